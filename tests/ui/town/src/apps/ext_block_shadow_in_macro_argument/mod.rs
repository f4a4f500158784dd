#![allow(dead_code, unused, clippy::all)]
//! A module declared in a block inside `vec!`'s argument hides the crate there.
pub fn f() -> Vec<u8> {
    vec![{
        mod newsletter {
            pub fn one() -> u8 {
                1
            }
        }
        newsletter::one()
    }]
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
