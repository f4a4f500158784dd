#[fastapp_core::model(table = posts)]
pub struct Post {
    pub id: String,
    pub author_id: String,
    pub title: String,
}
