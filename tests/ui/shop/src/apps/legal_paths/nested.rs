//! A nested submodule file: `super::` and `crate::` paths into other apps.

pub fn deeper() -> &'static str {
    let _: Option<super::super::accounts::api::User> = None;
    let newsletter = "newsletter::Subscriber";
    helper(newsletter)
}

fn helper(s: &'static str) -> &'static str {
    s
}
