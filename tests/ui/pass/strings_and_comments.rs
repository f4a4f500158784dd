#[path = "../shop/src/cases/strings_and_comments.rs"]
mod apps;

fn main() {
    assert_eq!(apps::strings_and_comments::f(), "newsletter::Subscriber");
}
