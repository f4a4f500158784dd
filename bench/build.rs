// A new migration directory must rebuild the binary that embeds the shared
// migrations (`fastapp_core::project!()`).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=fastapp.toml");
}
