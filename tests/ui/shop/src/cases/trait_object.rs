// `crate::apps` for the trait_object case.
#[path = "../apps/trait_object/mod.rs"]
pub mod trait_object;
