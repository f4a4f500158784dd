//! Secrets in settings: which keys are secret, and [`Secret`]. How a
//! database URL is printed without its password is `database_url`'s.

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
