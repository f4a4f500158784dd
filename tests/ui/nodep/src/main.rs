// Lists an external app without a link package (link.E027).
fastapp_core::project!();
