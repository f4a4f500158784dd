//! Secrets in settings and database URLs: which keys are secret, how a
//! URL and a database's error message are made fit to print, and [`Secret`].

use serde::Serialize;

/// The words that make a setting's key a secret's: its value is never
/// printed (`settings`, `settings --json`, `check --json`, `Debug`). A key
/// is split into words at `_`, `-`, `.` and case changes; one of these
/// words, or one of [`SECRET_PAIRS`], makes it secret. Name a secret so, or
/// type it [`Secret`], the sure way.
pub const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "tokens",
    "apikey",
    "credential",
    "credentials",
    "auth",
    "authorization",
    "cookie",
    "salt",
    "dsn",
];

/// Two words in a row that make a key secret (`jwt_signing_key`).
pub const SECRET_PAIRS: &[(&str, &str)] = &[
    ("api", "key"),
    ("private", "key"),
    ("signing", "key"),
    ("secret", "key"),
    ("access", "key"),
    ("session", "key"),
    ("encryption", "key"),
];

/// Keys whose values are never printed: see [`SECRET_WORDS`].
///
/// ```
/// # use fastapp_core::settings::is_secret_key;
/// for secret in ["password", "smtp_passwd", "apiKey", "api-key", "credentials", "auth", "jwt_signing_key", "GITHUB_TOKEN"] {
///     assert!(is_secret_key(secret), "{secret}");
/// }
/// for plain in ["author", "keyboard_layout", "page_size", "passenger_limit"] {
///     assert!(!is_secret_key(plain), "{plain}");
/// }
/// ```
pub fn is_secret_key(key: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if matches!(c, '_' | '-' | '.' | ' ') {
            words.push(std::mem::take(&mut word));
        } else {
            if c.is_uppercase() && previous_lower {
                words.push(std::mem::take(&mut word));
            }
            word.extend(c.to_lowercase());
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    words.push(word);
    words.retain(|w| !w.is_empty());
    words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        || words
            .windows(2)
            .any(|pair| SECRET_PAIRS.contains(&(pair[0].as_str(), pair[1].as_str())))
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

/// A setting that must never be printed: `Debug`, `Display` and `Serialize`
/// show `***`; [`Secret::expose`] gives the value.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct Smtp { password: fastapp_core::Secret<String> }
/// let smtp: Smtp = toml::from_str("password = \"hunter2\"").unwrap();
/// assert_eq!(smtp.password.expose(), "hunter2");
/// assert_eq!(serde_json::to_string(&smtp.password).unwrap(), "\"***\"");
/// ```
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    ///
    /// ```
    /// let s = fastapp_core::Secret::new(42);
    /// assert_eq!(*s.expose(), 42);
    /// assert_eq!(s.to_string(), "***");
    /// ```
    pub fn new(value: T) -> Secret<T> {
        Secret(value)
    }

    /// The secret value.
    ///
    /// ```
    /// assert_eq!(fastapp_core::Secret::new("t0p").expose(), &"t0p");
    /// ```
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> std::fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl<T> std::fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl<T> Serialize for Secret<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("***")
    }
}
