fastapp_core::project!();
