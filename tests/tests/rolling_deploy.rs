//! A rolling deploy behind HAProxy loses nothing: `scripts/rolling-deploy.sh`
//! (three replicas of a `cargo fastapp new` project on PostgreSQL, a bounded
//! load of reads and writes, a release that adds a nullable column migrated
//! once, the replicas replaced one at a time with SIGTERM) reports 0 failed
//! requests and every acknowledged write found afterwards.

mod support;

use std::time::Instant;

#[test]
fn a_rolling_deploy_behind_haproxy_fails_no_request_and_loses_no_write() {
    if std::env::var_os("FASTAPP_TEST_POSTGRES").is_none() {
        assert!(
            std::env::var_os("FASTAPP_REQUIRE_POSTGRES").is_none(),
            "FASTAPP_REQUIRE_POSTGRES is set but FASTAPP_TEST_POSTGRES is not"
        );
        eprintln!("skipped: FASTAPP_TEST_POSTGRES is not set");
        return;
    }
    let started = Instant::now();
    let out = std::process::Command::new("bash")
        .arg(support::workspace().join("scripts/rolling-deploy.sh"))
        .env("CARGO_TARGET_DIR", support::target_dir())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let report = stdout
        .lines()
        .find_map(|l| l.strip_prefix("rolling-deploy: requests sent "))
        .unwrap_or_else(|| panic!("no report:\n{stdout}\n{stderr}"));
    eprintln!("rolling-deploy: requests sent {report} ({:?})", started.elapsed());
    // "N, failed F; writes acknowledged W, found afterwards W'"
    let numbers: Vec<u64> = report
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(|n| n.parse().unwrap())
        .collect();
    let [sent, failed, acknowledged, found] = numbers[..] else {
        panic!("{report}")
    };
    assert_eq!(failed, 0, "{report}\n{stderr}");
    assert_eq!(found, acknowledged, "{report}\n{stderr}");
    assert!(
        sent >= 200 && acknowledged >= 100,
        "a real load went through: {report}"
    );
    assert!(
        stderr.contains("replica 2: release 2"),
        "every replica replaced:\n{stderr}"
    );
    support::tally("requests through a rolling deploy", sent);
}
