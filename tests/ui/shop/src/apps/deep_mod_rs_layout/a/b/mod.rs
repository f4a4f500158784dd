mod newsletter {
    pub fn n() -> u8 {
        3
    }
}

pub fn c() -> u8 {
    newsletter::n()
}
