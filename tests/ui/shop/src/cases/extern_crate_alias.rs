// `crate::apps` for the extern_crate_alias case.
#[path = "../apps/extern_crate_alias/mod.rs"]
pub mod extern_crate_alias;
