pub fn v() -> u8 {
    8
}
