// @generated automatically by Diesel CLI.

diesel::table! {
    notes (id) {
        id -> Text,
        body -> Text,
    }
}

diesel::table! {
    posts (id) {
        id -> Text,
        author_id -> Text,
        title -> Text,
    }
}

diesel::table! {
    tags (id) {
        id -> Text,
        label -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
    }
}

diesel::joinable!(posts -> users (author_id));

diesel::allow_tables_to_appear_in_same_query!(notes, posts, tags, users,);
