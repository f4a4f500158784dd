diesel::table! {
    {{table}} (id) {
        id -> Text,
        name -> Text,
    }
}
