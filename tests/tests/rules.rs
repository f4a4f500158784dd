//! One table of rules (`fastapp_config::rules`) held together with the
//! source that reports them, the pages `explain` prints, and the documents
//! generated from it (`RULES.md`, the README's index).
//!
//! `FASTAPP_BLESS=1 cargo test -p fastapp-tests --test rules` rewrites the
//! generated documents from the table.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use fastapp_core::config::rules;

/// Every `"<area>.E000"` / `"<area>.W000"` (also `[area.E000]`) in `text`.
fn ids_in(text: &str, out: &mut BTreeSet<String>) {
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices('.') {
        let code = &bytes[at + 1..];
        if code.len() < 4 || !matches!(code[0], b'E' | b'W') || !code[1..4].iter().all(u8::is_ascii_digit) {
            continue;
        }
        let start = text[..at]
            .rfind(|c: char| !c.is_ascii_lowercase())
            .map_or(0, |i| i + 1);
        let before = text[..start].chars().next_back();
        let after = code.get(4).copied();
        if start < at && matches!(before, Some('"' | '[' | '`')) && matches!(after, Some(b'"' | b']' | b'`'))
        {
            out.insert(text[start..at + 5].to_string());
        }
    }
}

fn sources(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // The table itself is what the others are compared with.
            if !path.ends_with("fastapp-config/src/rules") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            ids_in(&std::fs::read_to_string(&path).unwrap(), out);
        }
    }
}

fn table_ids() -> BTreeSet<String> {
    rules::all().map(|rule| rule.id.to_string()).collect()
}

#[test]
fn every_reported_rule_is_in_the_table_and_every_rule_is_reported() {
    let root = support::workspace();
    let mut reported = BTreeSet::new();
    for krate in [
        "fastapp-config",
        "fastapp-macros",
        "fastapp-core",
        "cargo-fastapp",
    ] {
        sources(&root.join(krate).join("src"), &mut reported);
    }
    assert!(reported.len() > 40, "the scan finds the ids: {reported:?}");
    let listed = table_ids();
    let unlisted: Vec<_> = reported.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "reported but not in fastapp_config::rules: {unlisted:?}"
    );
    let stale: Vec<_> = listed.difference(&reported).collect();
    assert!(
        stale.is_empty(),
        "in fastapp_config::rules but reported nowhere: {stale:?}"
    );
}

/// The README's index between its markers, and RULES.md, are what the table
/// generates; with `FASTAPP_BLESS=1` they are rewritten.
#[test]
fn the_readme_index_and_rules_md_are_generated_from_the_table() {
    let root = support::workspace();
    let bless = std::env::var_os("FASTAPP_BLESS").is_some();
    let (begin, end) = ("<!-- rules:begin -->\n", "<!-- rules:end -->");
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let from = readme.find(begin).expect("README.md has `<!-- rules:begin -->`") + begin.len();
    let to = readme.find(end).expect("README.md has `<!-- rules:end -->`");
    let index = rules::markdown_index();
    let rules_md_path = root.join("RULES.md");
    let rules_md = std::fs::read_to_string(&rules_md_path).unwrap_or_default();
    if bless {
        std::fs::write(
            &readme_path,
            format!("{}{index}{}", &readme[..from], &readme[to..]),
        )
        .unwrap();
        std::fs::write(&rules_md_path, rules::markdown()).unwrap();
        return;
    }
    let hint = "run `FASTAPP_BLESS=1 cargo test -p fastapp-tests --test rules` to regenerate it from fastapp-config/src/rules/";
    assert!(
        readme[from..to] == index,
        "README.md's index of rules differs from the table: {hint}"
    );
    assert!(
        rules_md == rules::markdown(),
        "RULES.md differs from the table: {hint}"
    );

    // Any id the README names elsewhere is a rule's (or, where it says
    // what was renamed, a rule's old id).
    let mut documented = BTreeSet::new();
    ids_in(&readme, &mut documented);
    let unknown: Vec<_> = documented.iter().filter(|id| rules::find(id).is_none()).collect();
    assert!(
        unknown.is_empty(),
        "the README names ids that are not rules: {unknown:?}"
    );
}

/// `check --explain <id>` and `cargo fastapp explain <id>` print each
/// rule's page; an old id prints its new rule's; an unknown one fails with
/// a "did you mean".
#[test]
fn explain_prints_every_rules_page_from_both_programs() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("explain.db");
    let mut explained = 0;
    for rule in rules::all() {
        let ids = std::iter::once(rule.id).chain(rule.aliases.iter().copied());
        for id in ids {
            let project = support::example_command(dir.path(), &db, &["check", "--explain", id])
                .output()
                .unwrap();
            let tool = support::cargo_fastapp(dir.path(), &["explain", id]);
            for (who, out) in [("check --explain", project), ("cargo fastapp explain", tool)] {
                assert!(
                    out.status.success(),
                    "{who} {id}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                assert_eq!(String::from_utf8_lossy(&out.stdout), rule.page(), "{who} {id}");
            }
            explained += 1;
        }
    }
    assert_eq!(
        explained,
        rules::all().map(|r| 1 + r.aliases.len()).sum::<usize>()
    );
    assert!(!db.exists(), "`check --explain` opens no database");

    let json = support::example_command(dir.path(), &db, &["check", "--explain", "route.E016", "--json"])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["id"], "route.E016");
    assert_eq!(value["stage"], "start");

    // `--explain` checks nothing: the flags of a check are refused, not ignored.
    for flag in [&["--database"][..], &["--fail-level", "warning"]] {
        let args = [&["check", "--explain", "route.E016"][..], flag].concat();
        let out = support::example_command(dir.path(), &db, &args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // A usage error, as every other (`cli.E080`, exit 1).
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("[cli.E080] '--explain <ID>' cannot be used with"),
            "{args:?}: {stderr}"
        );
    }
    assert!(!db.exists(), "a refused `check --explain` opens no database");

    let list = support::cargo_fastapp(dir.path(), &["explain"]);
    let listed = String::from_utf8_lossy(&list.stdout);
    assert_eq!(listed.lines().count(), rules::all().count(), "{listed}");

    for (who, out) in [
        (
            "check --explain",
            support::example_command(dir.path(), &db, &["check", "--explain", "route.E16"])
                .output()
                .unwrap(),
        ),
        (
            "cargo fastapp explain",
            support::cargo_fastapp(dir.path(), &["explain", "route.E16"]),
        ),
    ] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{who}: {stderr}");
        assert!(
            stderr.contains("[cli.E080] `route.E16` is not a rule of fastapp"),
            "{who}: {stderr}"
        );
        assert!(stderr.contains("did you mean `route.E016`?"), "{who}: {stderr}");
    }
}

/// Every finding's last line is the command that explains its rule, at
/// run time as at compile time (the trybuild suite pins the macros').
#[test]
fn every_diagnostic_ends_pointing_to_its_rules_page() {
    let dir = tempfile::tempdir().unwrap();
    let config = "apps = [\"apps.nope\", \"apps.blog\", \"apps.blog\"]\n";
    let out = support::fixture(config, &dir.path().join("x.db"), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Each finding begins `error: [id]` or `warning: [id]` on a line of its own.
    let mut findings: Vec<Vec<&str>> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with("error: [") || line.starts_with("warning: [") {
            findings.push(vec![line]);
        } else if let Some(finding) = findings.last_mut().filter(|_| line.starts_with(' ')) {
            finding.push(line);
        }
    }
    assert!(findings.len() >= 2, "{stderr}");
    for finding in findings {
        let id = &finding[0][finding[0].find('[').unwrap() + 1..finding[0].find(']').unwrap()];
        assert!(rules::find(id).is_some(), "{id}");
        let last = finding.last().unwrap().trim();
        assert_eq!(last, format!("= explain: cargo fastapp explain {id}"), "{stderr}");
    }
}
