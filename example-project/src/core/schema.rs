// @generated automatically by Diesel CLI.

diesel::table! {
    posts (id) {
        id -> Text,
        author_id -> Text,
        title -> Text,
        body -> Text,
        published -> Bool,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        email -> Text,
    }
}

diesel::joinable!(posts -> users (author_id));

diesel::allow_tables_to_appear_in_same_query!(posts, users,);
