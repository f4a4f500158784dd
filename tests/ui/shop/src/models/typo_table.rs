use diesel::prelude::*;

// A typo in the table (`user` for `users`), in a model that is used: one
// error, model.E004 with its "did you mean", and none of rustc's about the
// uses below (the model is expanded against `users`, which it fits).
#[fastapp_core::model(table = user)]
pub struct Person {
    pub id: String,
    pub username: String,
}

pub fn uses(conn: &mut diesel::SqliteConnection) -> QueryResult<Vec<Person>> {
    let _columns = Person::COLUMNS;
    let person = Person {
        id: "1".into(),
        username: "ann".into(),
    };
    diesel::insert_into(crate::core::schema::users::table)
        .values(&person)
        .execute(conn)?;
    crate::core::schema::users::table
        .select(Person::as_select())
        .load(conn)
}
