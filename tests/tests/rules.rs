//! One list of rule ids (`fastapp_config::rules::RULES`, what `[check]
//! silence` accepts) held together with the source that reports them and
//! the README that documents them.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use fastapp_core::config::rules::RULES;

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
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            // The list itself is what the others are compared with.
            if !path.ends_with("fastapp-config/src/rules.rs") {
                ids_in(&std::fs::read_to_string(&path).unwrap(), out);
            }
        }
    }
}

#[test]
fn every_reported_rule_is_listed_and_documented() {
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
    let listed: BTreeSet<String> = RULES.iter().map(|id| id.to_string()).collect();
    let unlisted: Vec<_> = reported.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "reported but not in fastapp_config::rules::RULES: {unlisted:?}"
    );
    let stale: Vec<_> = listed.difference(&reported).collect();
    assert!(stale.is_empty(), "in RULES but reported nowhere: {stale:?}");

    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut documented = BTreeSet::new();
    ids_in(&readme, &mut documented);
    let undocumented: Vec<_> = listed.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "in RULES but not in the README: {undocumented:?}"
    );
    let unknown: Vec<_> = documented.difference(&listed).collect();
    assert!(unknown.is_empty(), "in the README but not in RULES: {unknown:?}");
}
