//! Fault points for the crash tests: with the `fault-points` feature and
//! `FASTAPP_FAULT=<point>` in the environment, the runner stops dead at
//! that point (after saying so on stderr) until the test kills it. Without
//! the feature, [`point`] is empty and compiles away.
//!
//! The points: `migrate.ran` (a migration's SQL ran, not yet recorded),
//! `migrate.recorded` (recorded, not yet committed) and `migrate.committed`
//! (between two migrations).

/// Stops here forever when `FASTAPP_FAULT` names this point.
#[inline]
pub(crate) fn point(name: &str) {
    #[cfg(feature = "fault-points")]
    if std::env::var("FASTAPP_FAULT").is_ok_and(|wanted| wanted == name) {
        eprintln!("fastapp: fault point {name} reached; waiting to be killed");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
    #[cfg(not(feature = "fault-points"))]
    let _ = name;
}
