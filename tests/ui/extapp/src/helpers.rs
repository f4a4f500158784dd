pub fn count() -> usize {
    fastapp_core::__private::APPS.len()
}
