//! Templates are files under `templates/`, embedded in the binary and
//! rendered with one small context: `{{key}}` is replaced by the key's value.

use std::collections::BTreeMap;

/// The values a template may use.
pub type Context = BTreeMap<&'static str, String>;

/// One template: where it goes (relative to the directory being written,
/// itself rendered) and its text.
pub struct Template {
    pub path: &'static str,
    pub text: &'static str,
}

macro_rules! templates {
    ($dir:literal: $($path:literal => $file:literal),* $(,)?) => {
        &[$(Template { path: $path, text: include_str!(concat!("../templates/", $dir, "/", $file)) }),*]
    };
}

/// A new project.
pub const PROJECT: &[Template] = templates!("project":
    "Cargo.toml" => "Cargo.toml.tmpl",
    "build.rs" => "build.rs.tmpl",
    "diesel.toml" => "diesel.toml",
    "fastapp.toml" => "fastapp.toml",
    ".env.example" => "env.example",
    ".gitignore" => "gitignore",
    "README.md" => "README.md",
    "migrations/.keep" => "migrations/.keep",
    "src/main.rs" => "src/main.rs",
    "src/tests.rs" => "src/tests.rs",
    "src/core/mod.rs" => "src/core/mod.rs",
    "src/core/schema.rs" => "src/core/schema.rs",
    "src/core/settings.rs" => "src/core/settings.rs",
    "src/apps/mod.rs" => "src/apps/mod.rs",
    "link/Cargo.toml" => "link/Cargo.toml.tmpl",
    "link/src/lib.rs" => "link/src/lib.rs",
);

/// A project's link package, relative to the project (for a project made
/// before `cargo fastapp new` wrote one).
pub const LINK: &[Template] = templates!("project":
    "link/Cargo.toml" => "link/Cargo.toml.tmpl",
    "link/src/lib.rs" => "link/src/lib.rs",
);

/// A new internal app, relative to the project.
pub const APP: &[Template] = templates!("app":
    "src/apps/{{name}}/mod.rs" => "mod.rs",
    "src/apps/{{name}}/api.rs" => "api.rs",
    "src/apps/{{name}}/models.rs" => "models.rs",
    "src/apps/{{name}}/handlers.rs" => "handlers.rs",
    "src/apps/{{name}}/tests.rs" => "tests.rs",
    "{{migration_dir}}/up.sql" => "up.sql",
    "{{migration_dir}}/down.sql" => "down.sql",
);

/// The `table!` block of an internal app's table, as diesel prints it.
pub const APP_TABLE: &str = include_str!("../templates/app/table.rs");

/// A new external app crate, relative to the crate.
pub const EXTERNAL: &[Template] = templates!("external":
    "Cargo.toml" => "Cargo.toml.tmpl",
    "build.rs" => "build.rs.tmpl",
    "diesel.toml" => "diesel.toml",
    "README.md" => "README.md",
    ".gitignore" => "gitignore",
    "src/lib.rs" => "lib.rs",
    "src/schema.rs" => "schema.rs",
    "src/tests.rs" => "tests.rs",
    "{{migration_dir}}/up.sql" => "up.sql",
    "{{migration_dir}}/down.sql" => "down.sql",
);

/// Replaces every `{{key}}` in `text` with its value in `context`.
///
/// A key the context lacks is a bug in cargo-fastapp, not a user error.
pub fn render(text: &str, context: &Context) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .unwrap_or_else(|| panic!("unclosed `{{{{` in a template: {rest}"));
        let key = after[..end].trim();
        let value = context
            .get(key)
            .unwrap_or_else(|| panic!("template key `{key}` is not in the context"));
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::cli::Database;
    use crate::project::FastappDependency;

    #[test]
    fn replaces_keys_and_leaves_other_braces() {
        let ctx = Context::from([("name", "shop".to_string()), ("table", "shop_items".to_string())]);
        assert_eq!(
            render("a {{name}} b {{ table }} {}", &ctx),
            "a shop b shop_items {}"
        );
    }

    /// Each set of templates renders with exactly the context its command
    /// builds (a key a template uses but its command lacks would panic).
    #[test]
    fn every_template_renders_with_its_commands_context() {
        let fastapp = FastappDependency::Version("0.1".into());
        let dir = Path::new("migrations/2026-01-01-000000_x");
        for db in [Database::Sqlite, Database::Postgres] {
            let ctx = crate::new::context("site", &fastapp, db);
            for t in PROJECT {
                assert!(!render(t.text, &ctx).contains("{{"), "{}", t.path);
                assert!(!render(t.path, &ctx).contains("{{"), "{}", t.path);
            }
        }
        let ctx = crate::app::internal_context("shop", "shop_items", dir);
        for t in APP {
            assert!(!render(t.text, &ctx).contains("{{"), "{}", t.path);
            assert!(!render(t.path, &ctx).contains("{{"), "{}", t.path);
        }
        assert!(render(APP_TABLE, &ctx).contains("shop_items (id)"));
        let ctx = crate::app::external_context("news", "news_items", dir, &fastapp);
        for t in EXTERNAL {
            assert!(!render(t.text, &ctx).contains("{{"), "{}", t.path);
            assert!(!render(t.path, &ctx).contains("{{"), "{}", t.path);
        }
    }

    #[test]
    #[should_panic(expected = "template key `nope`")]
    fn an_unknown_key_is_a_bug() {
        render("{{nope}}", &Context::new());
    }
}
