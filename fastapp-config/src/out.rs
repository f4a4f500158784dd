//! The standard output of both command lines (a project's and
//! `cargo fastapp`). `println!` panics when stdout is a
//! closed pipe (`routes | head`) or a full disk. Here a closed pipe drops
//! the rest of the output quietly and the command still finishes its work
//! (a `migrate` piped into `head` still applies every migration); any other
//! write error is said once on stderr, and the command then exits 1
//! ([`lost`]), so `openapi > openapi.json` on a full disk is no success.

use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

/// 0: every write went through; [`CLOSED`] or [`LOST`] once one failed
/// (later output is dropped).
static STATE: AtomicU8 = AtomicU8::new(0);
const CLOSED: u8 = 1;
const LOST: u8 = 2;

/// Writes `text` to stdout, as `print!` would, without ever panicking.
///
/// ```
/// fastapp_config::out::write(format_args!("{} apps\n", 3));
/// fastapp_config::outln!("{} apps", 3); // the same, through the macro
/// assert!(!fastapp_config::out::lost());
/// ```
pub fn write(text: std::fmt::Arguments<'_>) {
    if STATE.load(Ordering::Relaxed) != 0 {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = stdout.write_fmt(text).and_then(|()| stdout.flush()) {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            STATE.store(CLOSED, Ordering::Relaxed);
        } else {
            STATE.store(LOST, Ordering::Relaxed);
            eprintln!("error: cannot write to standard output ({err}); the rest of the output is lost");
        }
    }
}

/// Whether output was lost to a write error other than a closed pipe: the
/// command then fails.
///
/// ```
/// assert!(!fastapp_config::out::lost());
/// ```
pub fn lost() -> bool {
    STATE.load(Ordering::Relaxed) == LOST
}

/// `print!` that never panics (see [`out`](mod@crate::out)).
///
/// ```
/// fastapp_config::out!("{}\n", "done");
/// ```
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::write(::core::format_args!($($arg)*))
    };
}

/// `println!` that never panics (see [`out`](mod@crate::out)).
///
/// ```
/// fastapp_config::outln!("created `{}`", "blog");
/// ```
#[macro_export]
macro_rules! outln {
    () => {
        $crate::out::write(::core::format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::out::write(::core::format_args!("{}\n", ::core::format_args!($($arg)*)))
    };
}
