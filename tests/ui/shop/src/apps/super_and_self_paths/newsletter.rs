pub fn v() -> u8 {
    2
}
