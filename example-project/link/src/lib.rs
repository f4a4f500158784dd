//! Links the example's external apps (`newsletter`) into its binary.
fastapp_core::link!();
