pub mod schema;

pub fn site_name() -> &'static str {
    "shop"
}
