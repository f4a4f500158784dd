#[path = "../shop/src/cases/method_call_chain.rs"]
mod apps;

fn main() {
    assert!(apps::method_call_chain::f());
}
