#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_declared_table.rs"]
mod apps;

fn main() {
    let app = fastapp_core::registry::apps().iter().find(|a| a.name == "uses_declared_table").unwrap();
    assert_eq!(app.depends_on, ["accounts"]);
}
