//! The trybuild suite: one compile-fail case per compile-time diagnostic,
//! and compile-pass cases for the code that must stay legal.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
