// A project package that depends on an external app (trybuild's project has
// the tests crate's dev-dependency on `newsletter`): link.E026, even as a
// dev-dependency; and it lists the app without a link package: link.E027.
pub mod core;

fastapp_core::project!();
