//! Generic parameters of an `impl` and its methods.
#![allow(dead_code, unused, non_camel_case_types, clippy::all)]

pub struct Holder<newsletter>(pub newsletter);

impl<newsletter: Default + Clone> Holder<newsletter> {
    pub fn reset(&mut self) -> newsletter {
        std::mem::replace(&mut self.0, newsletter::default())
    }
}

pub trait Make {
    fn make<newsletter: Default>() -> newsletter {
        newsletter::default()
    }
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    None
}
