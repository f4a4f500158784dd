//! fastapp's run-time error type: every user error is a [`Finding`] with a
//! stable rule id, the app, the location, and the fix.

pub use fastapp_config::Finding;

/// What an app's hook or readiness check may fail with: any error.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl From<Finding> for Error {
    fn from(finding: Finding) -> Error {
        Error::Rule(Box::new(finding))
    }
}

/// Everything that can go wrong between `main` and the first request.
///
/// ```
/// let err: fastapp_core::Error = fastapp_core::Finding::new("app.E012", "listed twice", "remove one").into();
/// assert_eq!(err.findings()[0].id, "app.E012");
/// ```
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule was broken.
    #[error("{0}")]
    Rule(Box<Finding>),
    /// Several rules were broken; all are reported at once.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Error>),
    /// An I/O error (binding the port, reading a file): `io.E090`.
    #[error("{}", io_finding(context, source))]
    Io {
        /// What was being done.
        context: String,
        /// The error.
        source: std::io::Error,
    },
}

impl Error {
    /// One error for a list of them (the list must not be empty).
    ///
    /// ```
    /// use fastapp_core::{Error, Finding};
    /// let one = |id| Error::from(Finding::new(id, "broken", "mend it"));
    /// assert!(matches!(Error::many(vec![one("app.E010")]), Error::Rule(_)));
    /// assert!(matches!(Error::many(vec![one("app.E010"), one("app.E012")]), Error::Many(_)));
    /// ```
    pub fn many(mut errors: Vec<Error>) -> Error {
        if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Many(errors)
        }
    }

    /// The same error, with `location` given to every finding that has none
    /// (e.g. the command line, for a command's argument errors).
    pub(crate) fn or_location(self, location: &str) -> Error {
        match self {
            Error::Rule(mut finding) => {
                if finding.location.is_none() {
                    finding.location = Some(location.to_string());
                }
                Error::Rule(finding)
            }
            Error::Many(errors) => Error::Many(errors.into_iter().map(|e| e.or_location(location)).collect()),
            io => io,
        }
    }

    /// The findings inside, flattened (an I/O error becomes `io.E090`).
    ///
    /// ```
    /// use fastapp_core::{Error, Finding};
    /// let io = Error::Io { context: "binding 127.0.0.1:1".into(), source: std::io::ErrorKind::PermissionDenied.into() };
    /// let both = Error::many(vec![Finding::new("app.E010", "not linked", "link it").into(), io]);
    /// let ids: Vec<&str> = both.findings().iter().map(|f| f.id).collect();
    /// assert_eq!(ids, ["app.E010", "io.E090"]);
    /// ```
    pub fn findings(&self) -> Vec<Finding> {
        match self {
            Error::Rule(finding) => vec![(**finding).clone()],
            Error::Many(errors) => errors.iter().flat_map(Error::findings).collect(),
            Error::Io { context, source } => vec![io_finding(context, source)],
        }
    }
}

/// An I/O error as its finding (`io.E090`).
fn io_finding(context: &str, source: &std::io::Error) -> Finding {
    Finding::new(
        "io.E090",
        format!("{context}: {source}"),
        "check the path or port named above",
    )
}

/// `message` with each line said once: libpq reports every connection
/// attempt, and with `sslmode=prefer` it tries the same server twice (with
/// TLS, then without), so the same line came twice.
fn without_repeats(message: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    let lines: Vec<&str> = message
        .trim_end()
        .lines()
        .filter(|line| line.trim().is_empty() || seen.insert(line.trim()))
        .collect();
    lines.join("\n")
}

/// A database error as a finding (`db.E030`).
pub(crate) fn database(url: &str, message: impl std::fmt::Display) -> Error {
    let message = crate::database_url::scrub(&without_repeats(&message.to_string()), url);
    Finding::new(
        "db.E030",
        format!("cannot use database {}: {message}", crate::database_url::redact_url(url)),
        "check DATABASE_URL (or `database_url` in fastapp.toml [settings]) and that the database server is running",
    )
    .location(format!("database {}", crate::database_url::redact_url(url)))
    .into()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_libpq_repeats_is_said_once() {
        let libpq = "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user \"u\"\n\
                     connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user \"u\"\n";
        let err = super::database("postgres://u:p@127.0.0.1/db", libpq);
        let message = &err.findings()[0].message;
        assert_eq!(
            message.matches("password authentication failed").count(),
            1,
            "{message}"
        );
        let two = "connection refused\n\tIs the server running?";
        assert_eq!(super::without_repeats(two), two);
    }
}
