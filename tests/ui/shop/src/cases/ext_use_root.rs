// `crate::apps` for the ext_use_root case.
#[path = "../apps/ext_use_root/mod.rs"]
pub mod ext_use_root;
