//! A `super::` chain that does reach core's schema.
#[fastapp_core::model(table = super::super::super::core::schema::notes)]
pub struct Note {
    pub id: String,
    pub body: String,
}
