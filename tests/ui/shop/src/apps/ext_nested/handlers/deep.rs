// Two levels below the app's root file.
pub fn count(subscribers: &[newsletter::Subscriber]) -> usize {
    subscribers.len()
}
