//! Migration directory names as the diesel CLI writes them:
//! `YYYY-MM-DD-HHMMSS_<name>`, unique and newer than every existing one.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// The name of a new migration directory in `dir` for `name`: now (UTC),
/// or one second after the newest existing migration if that is later, so
/// that versions stay unique and ordered even when two are made within a
/// second.
pub fn directory_name(dir: &Path, name: &str) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let newest = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| parse(&entry.ok()?.file_name().to_string_lossy()))
        .max();
    let at = match newest {
        Some(newest) if newest >= now => newest + 1,
        _ => now,
    };
    format!("{}_{name}", format_utc(at))
}

/// Seconds since the epoch → `YYYY-MM-DD-HHMMSS`.
fn format_utc(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}-{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `YYYY-MM-DD-HHMMSS_…` → seconds since the epoch.
fn parse(name: &str) -> Option<i64> {
    let stamp = name.get(..17)?;
    let field = |range: std::ops::Range<usize>| stamp.get(range)?.parse::<i64>().ok();
    let (y, m, d) = (field(0..4)?, field(5..7)?, field(8..10)?);
    let (h, min, s) = (field(11..13)?, field(13..15)?, field(15..17)?);
    Some(days_from_civil(y, m, d) * 86_400 + h * 3600 + min * 60 + s)
}

// Howard Hinnant's algorithms (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_utc_timestamps() {
        assert_eq!(format_utc(0), "1970-01-01-000000");
        assert_eq!(format_utc(1_704_067_201), "2024-01-01-000001");
        assert_eq!(format_utc(1_709_210_096), "2024-02-29-123456");
        for secs in [0, 1_704_067_201, 1_709_210_096, 4_102_444_799] {
            assert_eq!(parse(&format!("{}_x", format_utc(secs))), Some(secs));
        }
        assert_eq!(parse("not-a-migration"), None);
    }

    #[test]
    fn a_new_migration_is_newer_than_every_existing_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("2999-01-01-000000_future")).unwrap();
        assert_eq!(directory_name(dir.path(), "x"), "2999-01-01-000001_x");
        let empty = tempfile::tempdir().unwrap();
        assert!(directory_name(empty.path(), "x").as_str() > "2026");
    }
}
