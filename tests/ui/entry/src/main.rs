// The entry point may name external apps (to link them, or to read their
// items at start-up); only core and internal apps may not.
pub mod core;

use newsletter as _;

fastapp_core::project!();

pub fn external_register() -> fn(&mut fastapp_core::AppContext) -> Option<fastapp_core::Router> {
    newsletter::register
}
