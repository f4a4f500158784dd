//! Every rule's stable id, in one list: what `[check] silence` may name,
//! and what the README's tables document (a test holds the source, this
//! list and the README together).

/// The id of every rule fastapp reports, errors (`.E`) and warnings (`.W`).
///
/// ```
/// assert!(fastapp_config::rules::RULES.contains(&"route.E016"));
/// ```
pub const RULES: &[&str] = &[
    // Compile time (macros).
    "isolation.E001",
    "isolation.E002",
    "model.E003",
    "model.E004",
    "link.E005",
    "app.E006",
    "migration.E007",
    "isolation.E008",
    "app.E009",
    "isolation.E009",
    "config.E000",
    "link.E026",
    "link.E027",
    "app.E028",
    "isolation.E029",
    "isolation.E031",
    // Start-up and `check`.
    "config.E001",
    "config.E002",
    "config.E003",
    "app.W001",
    "app.W002",
    "app.E010",
    "app.E011",
    "app.E012",
    "app.E013",
    "app.E014",
    "app.E015",
    "route.E016",
    "route.E017",
    "graph.E018",
    "model.E019",
    "settings.E020",
    "settings.E021",
    "schema.E022",
    "app.E023",
    "settings.E024",
    "app.E025",
    "app.E032",
    "route.E033",
    "graph.W004",
    "app.W005",
    "db.E030",
    "check.E070",
    "check.E071",
    "check.W003",
    "openapi.E072",
    "openapi.E073",
    "openapi.E074",
    "route.E099",
    // Migrations.
    "migration.E040",
    "migration.E041",
    "migration.E042",
    "migration.E043",
    "migration.E044",
    "migration.E045",
    "migration.E046",
    "migration.E047",
    "migration.E048",
    "migration.E049",
    "migration.E050",
    "migration.E051",
    "migration.E052",
    "migration.E053",
    "migration.E054",
    "migration.E055",
    "migration.E056",
    "migration.E057",
    // cargo fastapp.
    "name.E060",
    "name.E061",
    "name.E062",
    "scaffold.E063",
    "scaffold.E064",
    "scaffold.E065",
    "scaffold.E066",
    "scaffold.E067",
    "scaffold.E068",
    "extract.E075",
    "extract.E076",
    "extract.E077",
    "extract.E078",
    "extract.E079",
    "extract.E081",
    "io.E090",
    "cli.E080",
];

/// Whether `id` is a warning's id (`app.W001`): warnings can be silenced,
/// errors cannot.
///
/// ```
/// assert!(fastapp_config::rules::is_warning("app.W001"));
/// assert!(!fastapp_config::rules::is_warning("route.E016"));
/// ```
pub fn is_warning(id: &str) -> bool {
    id.split_once('.').is_some_and(|(_, code)| code.starts_with('W'))
}

/// The known id closest to `id`, for "did you mean".
///
/// ```
/// assert_eq!(fastapp_config::rules::closest("app.W01"), Some("app.W001"));
/// ```
pub fn closest(id: &str) -> Option<&'static str> {
    RULES
        .iter()
        .map(|known| (strsim::levenshtein(id, known), *known))
        .filter(|(distance, _)| *distance <= 3)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}
