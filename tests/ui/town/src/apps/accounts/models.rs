#[fastapp_core::model(table = users)]
pub struct User {
    pub id: String,
    pub username: String,
}

pub fn is_admin(name: &str) -> bool {
    name == "admin"
}
