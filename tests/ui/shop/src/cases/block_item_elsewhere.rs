// `crate::apps` for the block_item_elsewhere case.
#[path = "../apps/block_item_elsewhere/mod.rs"]
pub mod block_item_elsewhere;
