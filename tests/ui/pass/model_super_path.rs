#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/model_super_path.rs"]
mod apps;

fn main() {
    let note = fastapp_core::registry::models().iter().find(|m| m.type_name == "Note").unwrap();
    assert_eq!(note.table, "notes");
}
