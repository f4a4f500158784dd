#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/uses_absent_is_unrestricted.rs"]
mod apps;

fn main() {
    let app = fastapp_core::registry::apps().iter().find(|a| a.name == "uses_absent_is_unrestricted").unwrap();
    assert_eq!(app.depends_on, ["blog"]);
}
