// A module that includes its own file (cfg'd out) is scanned once, not
// until the compiler's stack runs out.
#[path = "../shop/src/cases/self_include.rs"]
mod apps;

fn main() {
    assert_eq!(apps::self_include::f(), 2);
}
