//! A relative table path that is not the schema's: rustc says so.
mod elsewhere {
    diesel::table! {
        notes (id) {
            id -> Text,
        }
    }
}

#[fastapp_core::model(table = self::elsewhere::notes)]
pub struct Note {
    pub id: String,
}
