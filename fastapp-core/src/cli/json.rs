//! `--json` output: one document, alone on stdout.

use fastapp_config::outln;

/// `value` as pretty JSON, alone on stdout.
pub(crate) fn print_json<T: serde::Serialize + ?Sized>(value: &T) {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).expect("JSON output serialises")
    );
}
