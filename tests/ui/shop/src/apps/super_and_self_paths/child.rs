pub fn g() -> u8 {
    super::newsletter::v() * 2
}
