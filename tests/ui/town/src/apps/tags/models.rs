#[fastapp_core::model(table = tags)]
pub struct Tag {
    pub id: String,
    pub label: String,
}
