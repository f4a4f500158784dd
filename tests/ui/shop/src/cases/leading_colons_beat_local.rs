// `crate::apps` for the leading_colons_beat_local case.
#[path = "../apps/leading_colons_beat_local/mod.rs"]
pub mod leading_colons_beat_local;
