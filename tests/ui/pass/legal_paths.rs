// Legal references keep compiling, and references to other internal apps are
// recorded as the app's dependencies.

#[path = "../shop/src/core/mod.rs"]
mod core;

#[path = "../shop/src/cases/legal_paths.rs"]
mod apps;

fn main() {
    let app = fastapp_core::registry::apps()
        .iter()
        .find(|app| app.name == "legal_paths")
        .expect("legal_paths is registered");
    assert_eq!(app.depends_on, ["accounts"]);
    assert_eq!(app.kind, fastapp_core::registry::AppKind::Internal);
    let accounts = fastapp_core::registry::apps().iter().find(|app| app.name == "accounts").unwrap();
    assert!(accounts.depends_on.is_empty());
    let user = fastapp_core::registry::models().iter().find(|m| m.type_name == "User").unwrap();
    assert_eq!(user.table, "users");
    assert_eq!(user.internal_app(), Some("accounts"));
    assert!(apps::legal_paths::uses_everything().contains("see newsletter::Subscriber (6)"));
}
