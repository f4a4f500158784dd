// The {{name}} app's own schema module: its tables only.

diesel::table! {
    {{table}} (id) {
        id -> Text,
        name -> Text,
    }
}
