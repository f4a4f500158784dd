// @generated automatically by Diesel CLI.

diesel::table! {
    items (id) {
        id -> Integer,
        name -> Text,
    }
}

diesel::table! {
    things (id) {
        id -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(items, things,);
