#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_core_table.rs"]
mod apps;

fn main() {
    let app = fastapp_core::registry::apps().iter().find(|a| a.name == "uses_core_table").unwrap();
    assert!(app.depends_on.is_empty());
}
