// `crate::apps` for the const_block case.
#[path = "../apps/const_block/mod.rs"]
pub mod const_block;
