//! How `cargo fastapp` fails: with a [`Finding`].

use fastapp_config::Finding;

/// What every step returns: a finding says what went wrong.
pub type Result<T> = std::result::Result<T, Finding>;

/// `io.E090`: a file or directory cannot be used.
pub fn io_error(what: impl std::fmt::Display, path: &std::path::Path, err: std::io::Error) -> Finding {
    Finding::new(
        "io.E090",
        format!("cannot {what} {}: {err}", path.display()),
        "check that the path exists and is writable",
    )
    .location(path.display().to_string())
}
