#[fastapp_core::model(table = notes)]
pub struct Note {
    pub id: i32,
}
