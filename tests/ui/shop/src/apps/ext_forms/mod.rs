// Every syntactic way to reach the external app crate.
extern crate newsletter;

use ::newsletter::NewSubscriber;
use fastapp_core::{AppContext, Router};

pub fn forms(_new: Option<NewSubscriber>) {
    let _register = newsletter::register;
    let _subscriber: Option<newsletter::Subscriber> = None;
    let _table = ::newsletter::schema::subscribers::table;
    println!("{:?}", newsletter::schema::subscribers::table);
}

// A function of the same name does not hide the crate (other namespace).
#[allow(dead_code)]
fn newsletter() {}

pub fn shadowed() -> Option<newsletter::Subscriber> {
    None
}

#[cfg(any())]
#[newsletter::route]
fn never_compiled() {
    newsletter::magic!();
    let _ = vec![return ::newsletter::register];
}

#[fastapp_core::internal_app]
pub fn register(_ctx: &mut AppContext) -> Option<Router> {
    forms(None);
    None
}
