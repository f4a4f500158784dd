//! Core re-exports an external app's items (and exposes one in a signature
//! two files down): every internal app could reach them through core.
#![allow(dead_code, unused)]

mod deep;

pub use newsletter::Subscriber;
