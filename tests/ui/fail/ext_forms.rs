#[path = "../shop/src/cases/ext_forms.rs"]
mod apps;

fn main() {}
