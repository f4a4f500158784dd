// A link package: its one item lists the external apps, in order.
fastapp_core::link!();
