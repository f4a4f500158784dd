#[fastapp_core::model(table = crate::apps::accounts::users)]
pub struct Account {
    pub id: i32,
}
