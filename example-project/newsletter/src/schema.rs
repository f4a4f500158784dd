// The newsletter app's own schema module: its tables only.

diesel::table! {
    subscribers (id) {
        id -> Integer,
        email -> Text,
        topic -> Text,
    }
}
