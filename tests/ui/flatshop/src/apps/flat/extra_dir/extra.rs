// Reached through a `#[path]` attribute in a non-mod-rs file.
pub fn first(subscribers: &[newsletter::Subscriber]) -> Option<&newsletter::Subscriber> {
    subscribers.first()
}
