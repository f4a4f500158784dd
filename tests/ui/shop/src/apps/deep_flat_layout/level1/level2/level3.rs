pub fn f() -> Option<newsletter::Subscriber> {
    None
}
