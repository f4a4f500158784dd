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
);

/// A new internal app, relative to the project.
pub const APP: &[Template] = templates!("app":
    "src/apps/{{name}}/mod.rs" => "mod.rs",
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
    use super::*;

    fn context() -> Context {
        Context::from([
            ("name", "shop".to_string()),
            ("crate_name", "shop".to_string()),
            ("table", "shop_items".to_string()),
            ("migration_dir", "migrations/2026-01-01-000000_x".to_string()),
            ("fastapp_dependency", "fastapp-core = \"0.1\"".to_string()),
            (
                "fastapp_testing_dependency",
                "fastapp-core = { version = \"0.1\", features = [\"testing\"] }".to_string(),
            ),
            ("database_url", "shop.db".to_string()),
            ("database_kind", "SQLite".to_string()),
        ])
    }

    #[test]
    fn replaces_keys_and_leaves_other_braces() {
        let ctx = context();
        assert_eq!(
            render("a {{name}} b {{ table }} {}", &ctx),
            "a shop b shop_items {}"
        );
    }

    #[test]
    fn every_template_renders_with_the_full_context() {
        let ctx = context();
        for set in [PROJECT, APP, EXTERNAL] {
            for template in set {
                let text = render(template.text, &ctx);
                assert!(!text.contains("{{"), "{}", template.path);
                assert!(!render(template.path, &ctx).contains("{{"));
            }
        }
        assert!(render(APP_TABLE, &ctx).contains("shop_items (id)"));
    }

    #[test]
    #[should_panic(expected = "template key `nope`")]
    fn an_unknown_key_is_a_bug() {
        render("{{nope}}", &context());
    }
}
