// The entry point may name external apps; core may not.
mod core;

fastapp_core::project!();
