//! The trybuild suite: one compile-fail case per way an app can break a
//! compile-time rule, and compile-pass cases for the code that must stay
//! legal (see the README's "Rules").
//!
//! All cases build in one project of trybuild's, whose dependencies are
//! compiled once; the pass cases are linked and run. The cases' diagnostics
//! need no debug info, and without it the suite took 41 s instead of 97 s
//! with its dependencies built, 279 s instead of 312 s from scratch (72
//! cases, this 2-core machine).

#[test]
fn ui() {
    // trybuild's cargo inherits this environment (it only drops RUSTFLAGS).
    std::env::set_var("CARGO_PROFILE_DEV_DEBUG", "false");
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
