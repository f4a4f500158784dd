//! `pub(in crate::apps)`: every app is in there.
pub(in crate::apps) mod helpers {
    pub fn help() {}
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
