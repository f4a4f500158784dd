//! Links the fixture project's external apps into its binary.
fastapp_core::link!();
