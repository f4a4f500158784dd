//! `check --explain <id>`: a rule's page from `fastapp_config::rules`.

use std::process::ExitCode;

use fastapp_config::{out, rules, Finding};

/// Prints `id`'s page (as JSON with `json`), or fails with a "did you mean".
pub(super) fn explain(id: &str, json: bool) -> Result<ExitCode, Finding> {
    let page = rules::explain(id)
        .map_err(|finding| finding.location(format!("command line: check --explain {id}")))?;
    match (json, rules::find(id)) {
        (true, Some(rule)) => super::json::print_json(rule),
        _ => out!("{page}"),
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unknown_id_says_where_and_what_it_may_have_meant() {
        let err = super::explain("route.E16", false).unwrap_err();
        assert_eq!(err.id, "cli.E080");
        assert_eq!(
            err.location.as_deref(),
            Some("command line: check --explain route.E16")
        );
        assert!(err.fix.contains("did you mean `route.E016`?"), "{}", err.fix);
    }
}
