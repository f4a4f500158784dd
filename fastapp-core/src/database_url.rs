//! The database URL: which backend it names ([`Backend`]), whether fastapp
//! can use it ([`check_url`]), and how it is shown without its password
//! ([`redact_url`], and [`scrub`] for a database's error messages).
//!
//! It depends only on `secrets` (which words make a parameter secret), so
//! settings, connections and errors all use it and none of them another
//! for it.

use crate::secrets::is_secret_key;

/// Which database a URL names.
///
/// ```
/// use fastapp_core::db::Backend;
/// assert_eq!(Backend::of_url("postgres://u@localhost/app"), Backend::Postgres);
/// assert_eq!(Backend::of_url("app.db"), Backend::Sqlite);
/// assert_eq!(Backend::of_url("sqlite://app.db"), Backend::Sqlite);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file (or `:memory:`).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` are PostgreSQL; anything else is a SQLite path.
    ///
    /// ```
    /// use fastapp_core::db::Backend;
    /// assert_eq!(Backend::of_url("postgresql://db/app"), Backend::Postgres);
    /// assert_eq!(Backend::of_url("file:app.db"), Backend::Sqlite);
    /// ```
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// Whether this build can connect to it: fastapp-core's feature
    /// `sqlite` or `postgres` (both on by default).
    ///
    /// ```
    /// use fastapp_core::db::Backend;
    /// assert_eq!(Backend::Postgres.built_in(), cfg!(feature = "postgres"));
    /// ```
    pub fn built_in(self) -> bool {
        match self {
            Backend::Sqlite => cfg!(feature = "sqlite"),
            Backend::Postgres => cfg!(feature = "postgres"),
        }
    }

    /// `sqlite` or `postgres`: its feature's name.
    ///
    /// ```
    /// assert_eq!(fastapp_core::db::Backend::Sqlite.feature(), "sqlite");
    /// ```
    pub fn feature(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// Why `url` cannot be used by this build, when its backend is not built
    /// in (settings.E020's message and fix).
    pub(crate) fn missing(self) -> (String, String) {
        let name = if self == Backend::Sqlite {
            "SQLite"
        } else {
            "PostgreSQL"
        };
        (
            format!("`database_url` names a {name} database, and this build has no {name} support (fastapp-core's feature `{}` is off)", self.feature()),
            format!(
                "turn the feature on in Cargo.toml (`fastapp-core = {{ version = \"0.1\", features = [\"{}\"] }}`), or set DATABASE_URL to a database of the built-in backend",
                self.feature()
            ),
        )
    }
}

/// What a database URL may be: a `postgres://` / `postgresql://` URL, or a
/// SQLite file path (optionally `sqlite://<path>`). Refused, as
/// `settings.E020`: an empty URL, an in-memory SQLite database (each pooled
/// connection would get its own, empty one), and a libpq `key=value`
/// string (it would be taken for a file name, password and all).
///
/// ```
/// use fastapp_core::db::check_url;
/// assert!(check_url("app.db").is_ok());
/// assert!(check_url("postgres://app:pw@db/app").is_ok());
/// for bad in [
///     "", " ", ":memory:", "sqlite://:memory:", "file::memory:?cache=shared", "file:x?vfs=memdb",
///     "file:%3Amemory%3A", "file:", "file:?mode=rwc", "file:x.db?MODE=memory", "host=db password=pw dbname=app",
///     "password=secret", " app.db", "app.db\n",
/// ] {
///     assert_eq!(check_url(bad).unwrap_err().id, "settings.E020", "{bad}");
/// }
/// assert!(!check_url("host=db password=hunter2").unwrap_err().to_string().contains("hunter2"));
/// assert!(!check_url("password=hunter2").unwrap_err().to_string().contains("hunter2"));
/// assert!(check_url("file:app.db?mode=rwc").is_ok());
/// ```
pub fn check_url(url: &str) -> Result<(), fastapp_config::Finding> {
    let refuse = |what: String, fix: &str| {
        Err(fastapp_config::Finding::new("settings.E020", what, fix)
            .location("database_url (DATABASE_URL, .env or fastapp.toml [settings])"))
    };
    if url.trim() != url && !url.trim().is_empty() {
        return refuse(
            format!(
                "`database_url` has spaces at its start or end (`{}`): a file would be named with them",
                redact_url(url)
            ),
            "remove the spaces around DATABASE_URL's value (fastapp does not trim it: a file name may end with a space)",
        );
    }
    let backend = Backend::of_url(url);
    if !backend.built_in() {
        let (what, fix) = backend.missing();
        return refuse(what, &fix);
    }
    if backend == Backend::Postgres {
        return Ok(());
    }
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    if path.trim().is_empty() {
        return refuse(
            "`database_url` is empty".into(),
            "set DATABASE_URL to a SQLite file path (e.g. `app.db`) or a postgres:// URL, or unset it to use fastapp.toml's",
        );
    }
    // A database no other connection sees: "an in-memory" or "a temporary" one.
    if let Err(kind) = sqlite_file(path) {
        return refuse(
            format!("`database_url` is {kind} SQLite database (`{path}`): each pooled connection would get its own, empty one"),
            "use a SQLite file path (e.g. `app.db`); tests get a fresh file each from fastapp_core::testing",
        );
    }
    if let Some((scheme, _)) = path.split_once("://").filter(|(scheme, _)| *scheme != "file") {
        return refuse(
            format!("`database_url` is a `{scheme}://` URL, a database fastapp cannot use"),
            "use a SQLite file path (e.g. `app.db`, `sqlite://app.db`, `file:app.db`) or a postgres:// URL",
        );
    }
    let libpq_pair = |pair: &str| {
        pair.split_once('=')
            .is_some_and(|(key, _)| LIBPQ_KEYWORDS.contains(&key.trim()))
    };
    if (path.contains('=') && path.contains(char::is_whitespace)) || path.split_whitespace().any(libpq_pair) {
        return refuse(
            format!(
                "`database_url` looks like a libpq key=value string (`{}`), not a URL",
                redact_url(path)
            ),
            "write it as a URL: postgres://user:password@host:port/dbname",
        );
    }
    Ok(())
}

/// The keywords of a libpq connection string (`host=db password=…`).
const LIBPQ_KEYWORDS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "connect_timeout",
    "sslmode",
    "sslrootcert",
    "application_name",
    "options",
    "service",
    "target_session_attrs",
];

/// The file SQLite opens for a SQLite `url`, read as SQLite reads it: a
/// `sqlite://` prefix dropped; for a `file:` URI the name percent-decoded,
/// an empty or `localhost` authority dropped, the parameters cut off.
/// `Err` when no file is shared: "an in-memory" database (`:memory:`, a
/// URI naming it or with `mode=memory` / `vfs=memdb`) or "a temporary" one
/// (an empty name). The migration lock sits beside the file.
///
/// ```text
/// assert_eq!(sqlite_file("file:x%2Edb?mode=rwc"), Ok("x.db".into()));
/// assert_eq!(sqlite_file("file://localhost/srv/app.db"), Ok("/srv/app.db".into()));
/// assert_eq!(sqlite_file("file:"), Err("a temporary"));
/// ```
pub(crate) fn sqlite_file(url: &str) -> Result<String, &'static str> {
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    if path == ":memory:" {
        return Err("an in-memory");
    }
    let Some(uri) = path.strip_prefix("file:") else {
        return if path.is_empty() {
            Err("a temporary")
        } else {
            Ok(path.to_string())
        };
    };
    let (name, query) = uri.split_once('?').unwrap_or((uri, ""));
    let name = name.split_once('#').map_or(name, |(name, _)| name);
    // `file://host/path`: the authority is not part of the name.
    let name = match name.strip_prefix("//") {
        Some(rest) => rest.find('/').map_or("", |at| &rest[at..]),
        None => name,
    };
    let name = percent_encoding::percent_decode_str(name)
        .decode_utf8_lossy()
        .into_owned();
    if name == ":memory:" {
        return Err("an in-memory");
    }
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
        let key = key.to_ascii_lowercase();
        if (key == "mode" && value.eq_ignore_ascii_case("memory"))
            || (key == "vfs" && value.eq_ignore_ascii_case("memdb"))
        {
            return Err("an in-memory");
        }
    }
    if name.is_empty() {
        return Err("a temporary");
    }
    Ok(name)
}

/// A database URL fit to print: `scheme://user:secret@host` →
/// `scheme://user:***@host`; a query parameter whose name, percent-decoded
/// and in any case, is a secret's (`password`, `PASSWORD`, `pass%77ord`,
/// `sslpassword`) → `name=***`; in a libpq `key=value` string, any
/// `password=…` → `password=***`.
///
/// ```
/// # use fastapp_core::settings::redact_url;
/// assert_eq!(redact_url("postgres://app:pw@db/app"), "postgres://app:***@db/app");
/// assert_eq!(redact_url("postgres://db/app?user=a&password=pw&x=1"), "postgres://db/app?user=a&password=***&x=1");
/// assert_eq!(redact_url("postgres://db/app?PASSWORD=pw"), "postgres://db/app?PASSWORD=***");
/// assert_eq!(redact_url("postgres://db/app?pass%77ord=pw"), "postgres://db/app?pass%77ord=***");
/// assert_eq!(redact_url("postgres://u@db/app?password=p@w"), "postgres://u@db/app?password=***");
/// assert_eq!(redact_url("postgres://u:p?w/d@db/app"), "postgres://u:***@db/app");
/// assert_eq!(redact_url("host=db password=pw dbname=app"), "host=db password=*** dbname=app");
/// assert_eq!(redact_url("host=db PassWord = 'hunt er2' user=a"), "host=db PassWord = *** user=a");
/// ```
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return redact_pairs(url);
    };
    // The query first: a secret parameter's value may hold an `@`.
    let rest = match rest.split_once('?') {
        Some((base, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, _)) if is_secret_parameter(name) => format!("{name}=***"),
                    _ => pair.to_string(),
                })
                .collect();
            format!("{base}?{}", query.join("&"))
        }
        None => rest.to_string(),
    };
    // The user part ends at the last `@`: a password may hold `/`, `?`, `@`.
    let rest = match rest.rsplit_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => rest,
        },
        None => rest,
    };
    format!("{scheme}://{rest}")
}

/// A URL query parameter that carries a secret: its name, percent-decoded,
/// names one in any case (`PASSWORD`, `pass%77ord`, `sslpassword`).
fn is_secret_parameter(name: &str) -> bool {
    let name = percent_encoding::percent_decode_str(name)
        .decode_utf8_lossy()
        .to_lowercase();
    name.contains("password") || is_secret_key(&name)
}

/// A libpq `key=value` string with every `password=x` (`password = 'x y'`,
/// any case) made `password=***`.
fn redact_pairs(pairs: &str) -> String {
    let mut out = pairs.to_string();
    for value in password_values(pairs).into_iter().rev() {
        out.replace_range(value, "***");
    }
    out
}

/// Where the values of `password=x` (`password = 'x y'`, any case) are in
/// a libpq `key=value` string, quotes included.
fn password_values(pairs: &str) -> Vec<std::ops::Range<usize>> {
    // ASCII lower-casing keeps every byte where it was.
    let lower = pairs.to_ascii_lowercase();
    let mut values = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find("password") {
        let key_end = from + found + "password".len();
        from = key_end;
        let rest = &pairs[key_end..];
        let Some(eq) = rest
            .find(|c: char| !c.is_whitespace())
            .filter(|&i| rest[i..].starts_with('='))
        else {
            continue;
        };
        let after_eq = key_end + eq + 1;
        let start = after_eq + (pairs[after_eq..].len() - pairs[after_eq..].trim_start().len());
        let end = match pairs[start..].chars().next() {
            Some(quote @ ('\'' | '"')) => pairs[start + 1..]
                .find(quote)
                .map_or(pairs.len(), |i| start + 1 + i + 1),
            _ => pairs[start..]
                .find(char::is_whitespace)
                .map_or(pairs.len(), |i| start + i),
        };
        values.push(start..end);
        from = end;
    }
    values
}

/// The secrets in a database URL, as a message about it may quote them:
/// the password of its user part and of any secret query parameter, each
/// as written and percent-decoded, and the pieces libpq cuts a password
/// into when it is not percent-encoded (at `/`, `@`, `:`, `?`, `#`, `%`…).
fn secrets_of(url: &str) -> Vec<String> {
    let mut whole = Vec::new();
    if let Some((_, rest)) = url.split_once("://") {
        // As `redact_url` reads them: the query's secrets, then the user
        // part up to the last `@` of what is left.
        let mut without_secrets = rest.to_string();
        if let Some((base, query)) = rest.split_once('?') {
            without_secrets = base.to_string();
            for pair in query.split('&') {
                match pair.split_once('=') {
                    Some((name, value)) if is_secret_parameter(name) => whole.push(value.to_string()),
                    _ => without_secrets.push_str(pair),
                }
            }
        }
        if let Some((credentials, _)) = without_secrets.rsplit_once('@') {
            if let Some((_, password)) = credentials.split_once(':') {
                whole.push(password.to_string());
            }
        }
    } else {
        whole.extend(
            password_values(url)
                .into_iter()
                .map(|value| url[value].trim_matches(['\'', '"']).to_string()),
        );
    }
    let mut secrets = Vec::new();
    for secret in whole.into_iter().filter(|s| !s.is_empty()) {
        let decoded = percent_encoding::percent_decode_str(&secret)
            .decode_utf8_lossy()
            .into_owned();
        secrets.extend(
            secret
                .split(|c: char| "/?#@:[]&%=,; ".contains(c) || c.is_whitespace())
                .filter(|piece| !piece.is_empty())
                .map(str::to_string),
        );
        secrets.push(decoded);
        secrets.push(secret);
    }
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    secrets
}

/// A database's error `message` about `url`, fit to print: whatever libpq
/// quotes of a password (the whole URL, the password as written, a piece of
/// one it could not read: `invalid percent-encoded token: "Sekr1t%x"`,
/// `invalid integer value "Se" for connection option "port"`) is `***`.
///
/// ```
/// # use fastapp_core::settings::scrub;
/// let url = "postgres://u:Sekr1t%x@127.0.0.1:1/db";
/// assert_eq!(scrub(r#"invalid percent-encoded token: "Sekr1t%x""#, url), r#"invalid percent-encoded token: "***""#);
/// let url = "postgres://u:Se/kr1t@127.0.0.1:1/db";
/// assert_eq!(
///     scrub(r#"invalid integer value "Se" for connection option "port""#, url),
///     r#"invalid integer value "***" for connection option "port""#,
/// );
/// let url = "postgres://u:Se@kr1t@127.0.0.1:1/db";
/// assert_eq!(scrub(r#"could not translate host name "kr1t@127.0.0.1" to address"#, url), r#"could not translate host name "***" to address"#);
/// // What names no secret is left as it is.
/// let url = "postgres://u:hunter2@127.0.0.1:1/db";
/// assert_eq!(scrub(r#"connection to server at "127.0.0.1", port 1 failed"#, url), r#"connection to server at "127.0.0.1", port 1 failed"#);
/// ```
pub fn scrub(message: &str, url: &str) -> String {
    let mut out = message.replace(url, &redact_url(url));
    let secrets = secrets_of(url);
    if secrets.is_empty() {
        return out;
    }
    // A quoted token holding a piece of a password: all of it goes.
    let mut scrubbed = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(open) = rest.find('"') {
        let Some(close) = rest[open + 1..].find('"') else {
            break;
        };
        let token = &rest[open + 1..open + 1 + close];
        scrubbed.push_str(&rest[..=open]);
        let holds_secret = secrets.iter().any(|secret| {
            token == secret || (secret.chars().count() >= 2 && token.contains(secret.as_str()))
        });
        scrubbed.push_str(if holds_secret && token != "***" {
            "***"
        } else {
            token
        });
        scrubbed.push('"');
        rest = &rest[open + 1 + close + 1..];
    }
    scrubbed.push_str(rest);
    out = scrubbed;
    // Anywhere else, a piece long enough not to be an ordinary word's.
    for secret in secrets.iter().filter(|s| s.chars().count() >= 3) {
        out = out.replace(secret.as_str(), "***");
    }
    out
}

/// `postgres://u:p@h:5432/postgres?sslmode=disable` with another database
/// name: the server and options kept (scratch and test databases).
pub(crate) fn with_database(server: &str, name: &str) -> String {
    let (base, query) = match server.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server, None),
    };
    let (scheme, rest) = base.split_once("://").unwrap_or(("postgres", base));
    let host = rest.split_once('/').map_or(rest, |(host, _)| host);
    match query {
        Some(query) => format!("{scheme}://{host}/{name}?{query}"),
        None => format!("{scheme}://{host}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn another_database_keeps_the_server_and_options() {
        use super::with_database;
        assert_eq!(
            with_database("postgres://u:p@h:5/postgres", "t1"),
            "postgres://u:p@h:5/t1"
        );
        assert_eq!(with_database("postgres://u@h", "t1"), "postgres://u@h/t1");
        assert_eq!(with_database("postgres://db", "tmp"), "postgres://db/tmp");
        assert_eq!(
            with_database("postgresql://u@h/db?sslmode=disable", "t1"),
            "postgresql://u@h/t1?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u:p@db:5432/app?sslmode=require", "tmp"),
            "postgres://u:p@db:5432/tmp?sslmode=require"
        );
    }
}
