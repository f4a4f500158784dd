//! `super::super::super::core::schema` is core's schema too.
pub fn f() {
    let _ = super::super::super::core::schema::tags::table;
}
