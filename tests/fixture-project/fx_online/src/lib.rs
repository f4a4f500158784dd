//! An external app (PostgreSQL only) whose second migration builds a unique
//! index without blocking writes, outside a transaction. It fails while
//! `gadgets` holds a duplicate code, leaving an INVALID index behind.
#[fastapp_core::external_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
