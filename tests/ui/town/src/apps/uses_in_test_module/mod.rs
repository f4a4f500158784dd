#![allow(dead_code, unused, clippy::all)]
//! `#[cfg(test)]` code is held to `uses` too.
#[cfg(test)]
mod tests {
    use crate::apps::accounts::api::User;
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
