diesel::table! {
    coupons (id) {
        id -> Text,
    }
}
