#[fastapp_core::model(table = user)]
pub struct User {
    pub id: i32,
    pub username: String,
}
