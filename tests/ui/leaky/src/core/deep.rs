pub fn latest() -> Option<newsletter::Subscriber> {
    None
}
