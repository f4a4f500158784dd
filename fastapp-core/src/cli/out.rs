//! The commands' standard output. `println!` panics when stdout is a
//! closed pipe (`routes | head`) or a full disk; here a closed pipe drops
//! the rest of the output quietly and the command still finishes its work
//! (a `migrate` piped into `head` still applies every migration), and any
//! other write error is said once on stderr.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a write has failed: later output is dropped.
static FAILED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout, as `print!` would, without ever panicking.
pub(crate) fn write(text: std::fmt::Arguments<'_>) {
    if FAILED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = stdout.write_fmt(text).and_then(|()| stdout.flush()) {
        FAILED.store(true, Ordering::Relaxed);
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("warning: cannot write to standard output ({err}); the rest of the output is lost");
        }
    }
}

/// `print!` that never panics (see the [module](self)).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::out::write(format_args!($($arg)*))
    };
}

/// `println!` that never panics (see the [module](self)).
macro_rules! outln {
    () => {
        $crate::cli::out::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::out::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {out, outln};
