// `crate::apps` for the model_relative_elsewhere case.
#[path = "../apps/accounts/mod.rs"]
pub mod accounts;
#[path = "../apps/blog/mod.rs"]
pub mod blog;
#[path = "../apps/tags/mod.rs"]
pub mod tags;
#[path = "../apps/model_relative_elsewhere/mod.rs"]
pub mod model_relative_elsewhere;
