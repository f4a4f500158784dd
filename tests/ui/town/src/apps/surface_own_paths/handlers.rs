pub fn f() -> (crate::apps::surface_own_paths::models::Mine, super::super::surface_own_paths::models::Mine) {
    (super::models::Mine, crate::apps::surface_own_paths::models::Mine)
}
