//! The standard output and error of both command lines (a project's and
//! `cargo fastapp`). `println!` and `eprintln!` panic when their stream is a
//! closed pipe (`routes | head`) or a full disk (exit 101). Here a closed
//! pipe drops the rest of the output quietly and the command still finishes
//! its work (a `migrate` piped into `head` still applies every migration);
//! any other write error on stdout is said once on stderr, and the command
//! then exits 1 ([`lost`]), so `openapi > openapi.json` on a full disk is no
//! success. stderr's own write errors cannot be said anywhere: they too make
//! the command exit 1 (`check 2>/dev/full`).

use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};

/// 0: every write went through; [`CLOSED`] or [`LOST`] once one failed
/// (later output is dropped). One for stdout, one for stderr.
static STATE: AtomicU8 = AtomicU8::new(0);
static ERR_STATE: AtomicU8 = AtomicU8::new(0);
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
            write_err(format_args!(
                "error: cannot write to standard output ({err}); the rest of the output is lost\n"
            ));
        }
    }
}

/// Writes `text` to stderr, as `eprint!` would, without ever panicking.
///
/// ```
/// fastapp_config::out::write_err(format_args!("warning: {}\n", "careful"));
/// fastapp_config::errln!("warning: {}", "careful"); // the same, through the macro
/// assert!(!fastapp_config::out::lost());
/// ```
pub fn write_err(text: std::fmt::Arguments<'_>) {
    to_stderr(|stderr| stderr.write_fmt(text));
}

/// Runs `write` on stderr unless a write failed before, recording a failure.
fn to_stderr(write: impl FnOnce(&mut std::io::StderrLock<'static>) -> std::io::Result<()>) {
    if ERR_STATE.load(Ordering::Relaxed) != 0 {
        return;
    }
    let mut stderr = std::io::stderr().lock();
    if let Err(err) = write(&mut stderr).and_then(|()| stderr.flush()) {
        let state = if err.kind() == std::io::ErrorKind::BrokenPipe {
            CLOSED
        } else {
            LOST
        };
        ERR_STATE.store(state, Ordering::Relaxed);
    }
}

/// stderr as a writer that never fails, under [`write_err`]'s rules: what
/// a logger writes to (a logger that sees a write fail reports it with
/// `eprintln!`, which panics on the same stream).
///
/// ```
/// use std::io::Write;
/// writeln!(fastapp_config::out::Stderr, "a log line").unwrap();
/// assert!(!fastapp_config::out::lost());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Stderr;

impl std::io::Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        to_stderr(|stderr| stderr.write_all(buf));
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether output was lost to a write error other than a closed pipe: the
/// command then fails.
///
/// ```
/// assert!(!fastapp_config::out::lost());
/// ```
pub fn lost() -> bool {
    STATE.load(Ordering::Relaxed) == LOST || ERR_STATE.load(Ordering::Relaxed) == LOST
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

/// `eprintln!` that never panics (see [`out`](mod@crate::out)).
///
/// ```
/// fastapp_config::errln!("error: {}", "no such app");
/// ```
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::out::write_err(::core::format_args!("{}\n", ::core::format_args!($($arg)*)))
    };
}
