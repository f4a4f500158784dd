// `crate::apps` for the block_local_item case.
#[path = "../apps/block_local_item/mod.rs"]
pub mod block_local_item;
