// The newsletter app's own schema module: its tables only.

diesel::table! {
    subscribers (id) {
        id -> Text,
        email -> Text,
        topic -> Text,
    }
}
