//! What a crate's `diesel.toml` says that fastapp needs: where the schema
//! module is, where the migrations are, and which tables `print-schema`
//! leaves out (`[print_schema] filter = { except_tables = [...] }`).

use std::path::{Path, PathBuf};

/// The parts of `diesel.toml` fastapp reads, with diesel's defaults.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("fastapp-config-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("diesel.toml"), "[print_schema]\nfile = \"src/core/schema.rs\"\n\
///     filter = { except_tables = [\"subscribers\"] }\n").unwrap();
/// let diesel = fastapp_config::diesel::DieselToml::read(&dir).unwrap();
/// assert_eq!(diesel.schema_file.as_deref(), Some("src/core/schema.rs"));
/// assert_eq!(diesel.except_tables, ["subscribers"]);
/// assert_eq!(diesel.migrations_dir, dir.join("migrations"));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DieselToml {
    /// `[print_schema] file`, as written (relative to the crate root).
    pub schema_file: Option<String>,
    /// `[migrations_directory] dir` joined to the crate root; `migrations` by default.
    pub migrations_dir: PathBuf,
    /// `[print_schema] filter.except_tables` (diesel reads them as regular expressions).
    pub except_tables: Vec<String>,
}

impl DieselToml {
    /// The schema module's file: `[print_schema] file`, else diesel's
    /// default `src/schema.rs`.
    ///
    /// ```
    /// let diesel = fastapp_config::diesel::DieselToml::parse(std::path::Path::new("."), "").unwrap();
    /// assert_eq!(diesel.schema_file(), "src/schema.rs");
    /// ```
    pub fn schema_file(&self) -> &str {
        self.schema_file.as_deref().unwrap_or("src/schema.rs")
    }

    /// Reads `<root>/diesel.toml`; a missing file means diesel's defaults,
    /// one that cannot be read (a directory, not UTF-8) is an error.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("fastapp-config-diesel-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let defaults = fastapp_config::diesel::DieselToml::read(&dir).unwrap();
    /// assert_eq!(defaults.schema_file(), "src/schema.rs");
    /// std::fs::write(dir.join("diesel.toml"), "[print_schema]\nfile = \"src/core/schema.rs\"\n").unwrap();
    /// assert_eq!(fastapp_config::diesel::DieselToml::read(&dir).unwrap().schema_file(), "src/core/schema.rs");
    /// std::fs::write(dir.join("diesel.toml"), b"\xff").unwrap();
    /// assert!(fastapp_config::diesel::DieselToml::read(&dir).unwrap_err().contains("diesel.toml"));
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn read(root: &Path) -> Result<DieselToml, String> {
        let path = root.join("diesel.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(err) => return Err(format!("cannot read {}: {err}", path.display())),
        };
        DieselToml::parse(root, &text).map_err(|err| format!("{}: {err}", path.display()))
    }

    /// Parses the text of a `diesel.toml` of the crate at `root`; the error
    /// is TOML's.
    ///
    /// ```
    /// use fastapp_config::diesel::DieselToml;
    /// let root = std::path::Path::new("/project");
    /// let diesel = DieselToml::parse(root, "[migrations_directory]\ndir = \"db/migrations\"\n").unwrap();
    /// assert_eq!(diesel.schema_file(), "src/schema.rs");
    /// assert!(DieselToml::parse(root, "[print_schema").is_err());
    /// ```
    pub fn parse(root: &Path, text: &str) -> Result<DieselToml, String> {
        let table: toml::Table = toml::from_str(text).map_err(|err| err.to_string())?;
        let print_schema = table.get("print_schema");
        let dir = table
            .get("migrations_directory")
            .and_then(|m| m.get("dir"))
            .and_then(|d| d.as_str())
            .unwrap_or("migrations");
        Ok(DieselToml {
            schema_file: print_schema
                .and_then(|p| p.get("file"))
                .and_then(|f| f.as_str())
                .map(str::to_string),
            migrations_dir: root.join(dir),
            except_tables: print_schema
                .and_then(|p| p.get("filter"))
                .and_then(|f| f.get("except_tables"))
                .and_then(|e| e.as_array())
                .map(|list| {
                    list.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }
}
