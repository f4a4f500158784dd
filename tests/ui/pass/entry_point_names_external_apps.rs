#[path = "../entry/src/main.rs"]
mod project;

fn main() {
    assert_eq!(project::PROJECT.external_apps.len(), 1);
    assert_eq!(project::PROJECT.external_apps[0].name, "newsletter");
    let _ = project::external_register();
    assert_eq!(project::core::name(), "newsletter::Subscriber");
}
