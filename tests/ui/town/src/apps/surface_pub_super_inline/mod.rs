//! `pub(super)` reaches `crate::apps`, where the other apps are.
pub(super) mod helpers {
    pub fn help() {}
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
