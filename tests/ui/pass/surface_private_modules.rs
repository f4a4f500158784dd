#[path = "../town/src/core/mod.rs"]
mod core;

#[path = "../town/src/cases/surface_private_modules.rs"]
mod apps;

fn main() {
    assert!(std::mem::size_of::<apps::surface_private_modules::api::Note>() == 0);
}
