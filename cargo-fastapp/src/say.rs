//! How much `cargo fastapp` says on stdout, set once by `-q`/`-v`
//! (`clap-verbosity-flag`): with `-q` nothing but errors (on stderr); by
//! default what each command did; with `-v` also every file it wrote and
//! every command it ran. Errors are printed whatever the level.

use std::sync::atomic::{AtomicU8, Ordering};

use clap_verbosity_flag::{InfoLevel, Verbosity, VerbosityFilter};

const QUIET: u8 = 0;
const NORMAL: u8 = 1;
const VERBOSE: u8 = 2;

static LEVEL: AtomicU8 = AtomicU8::new(NORMAL);

/// Sets the level from the command line's `-q`/`-v` flags.
pub fn set(verbosity: &Verbosity<InfoLevel>) {
    let level = match verbosity.filter() {
        VerbosityFilter::Off | VerbosityFilter::Error | VerbosityFilter::Warn => QUIET,
        VerbosityFilter::Info => NORMAL,
        VerbosityFilter::Debug | VerbosityFilter::Trace => VERBOSE,
    };
    LEVEL.store(level, Ordering::Relaxed);
}

/// `-q`: only errors are printed.
pub fn quiet() -> bool {
    LEVEL.load(Ordering::Relaxed) == QUIET
}

/// `-v`: the details too.
pub fn verbose() -> bool {
    LEVEL.load(Ordering::Relaxed) >= VERBOSE
}

/// A line saying what a command did: printed unless `-q`.
macro_rules! info {
    ($($arg:tt)*) => {
        if !$crate::say::quiet() {
            fastapp_config::outln!($($arg)*);
        }
    };
}

/// A detail (a file written, a command run): printed with `-v`.
macro_rules! detail {
    ($($arg:tt)*) => {
        if $crate::say::verbose() {
            fastapp_config::outln!($($arg)*);
        }
    };
}

pub(crate) use {detail, info};

#[cfg(test)]
mod tests {
    use clap::Parser;
    use clap_verbosity_flag::{InfoLevel, Verbosity};

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        verbosity: Verbosity<InfoLevel>,
    }

    #[test]
    fn the_flags_set_the_level() {
        for (args, quiet, verbose) in [
            (&["x"][..], false, false),
            (&["x", "-q"][..], true, false),
            (&["x", "-v"][..], false, true),
            (&["x", "-vv"][..], false, true),
        ] {
            super::set(&Cli::parse_from(args).verbosity);
            assert_eq!((super::quiet(), super::verbose()), (quiet, verbose), "{args:?}");
        }
        super::set(&Cli::parse_from(["x"]).verbosity);
    }
}
