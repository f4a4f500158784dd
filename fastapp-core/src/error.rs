//! fastapp's run-time error type: every user error is a [`Finding`] with a
//! stable rule id, the app, the location, and the fix.

use serde::Serialize;

/// One broken rule (or a warning): what, which app, where, and how to fix it.
///
/// ```
/// let finding = fastapp_core::Finding::new("app.E010", "app `apps.shop` is not linked", "add it")
///     .app("shop")
///     .location("fastapp.toml:1:9");
/// let text = finding.to_string();
/// assert!(text.starts_with("[app.E010] app `apps.shop` is not linked"));
/// assert!(text.contains("--> fastapp.toml:1:9"));
/// assert!(text.contains("= fix: add it"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's stable id, e.g. `route.E016` (listed in the README).
    pub id: &'static str,
    /// The app concerned, if any.
    pub app: Option<String>,
    /// What is wrong.
    pub message: String,
    /// Where: `file:line[:column]`, a route, a table, a migration.
    pub location: Option<String>,
    /// How to fix it.
    pub fix: String,
}

impl Finding {
    /// A finding for rule `id`.
    pub fn new(id: &'static str, message: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding {
            id,
            app: None,
            message: message.into(),
            location: None,
            fix: fix.into(),
        }
    }

    /// Names the app concerned.
    pub fn app(mut self, app: impl Into<String>) -> Finding {
        self.app = Some(app.into());
        self
    }

    /// Says where.
    pub fn location(mut self, location: impl Into<String>) -> Finding {
        self.location = Some(location.into());
        self
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}", self.id, self.message)?;
        if let Some(location) = &self.location {
            write!(f, "\n  --> {location}")?;
        }
        write!(f, "\n  = fix: {}", self.fix)
    }
}

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
    #[error("[io.E090] {context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The error.
        source: std::io::Error,
    },
}

impl Error {
    /// One error for a list of them (the list must not be empty).
    pub fn many(mut errors: Vec<Error>) -> Error {
        if errors.len() == 1 {
            errors.remove(0)
        } else {
            Error::Many(errors)
        }
    }

    /// The findings inside, flattened (an I/O error becomes `io.E090`).
    pub fn findings(&self) -> Vec<Finding> {
        match self {
            Error::Rule(finding) => vec![(**finding).clone()],
            Error::Many(errors) => errors.iter().flat_map(Error::findings).collect(),
            Error::Io { context, source } => vec![Finding::new(
                "io.E090",
                format!("{context}: {source}"),
                "check the path or port named above",
            )],
        }
    }
}

/// A database error as a finding (`db.E030`).
pub(crate) fn database(url: &str, message: impl std::fmt::Display) -> Error {
    Finding::new(
        "db.E030",
        format!("cannot use database {}: {message}", crate::settings::redact_url(url)),
        "check DATABASE_URL (or `database_url` in fastapp.toml [settings]) and that the database server is running",
    )
    .into()
}
