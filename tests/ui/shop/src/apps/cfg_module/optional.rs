pub fn f() {
    let _ = newsletter::register;
}
