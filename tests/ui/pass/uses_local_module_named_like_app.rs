#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_local_module_named_like_app.rs"]
mod apps;

fn main() {
    let app = fastapp_core::registry::apps().iter().find(|a| a.name == "uses_local_module_named_like_app").unwrap();
    assert!(app.depends_on.is_empty());
}
