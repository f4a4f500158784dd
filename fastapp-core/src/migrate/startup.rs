//! What a server does with migrations before it serves: apply every
//! pending one ([`apply_all`]; `serve`), or refuse to start while any is
//! pending ([`require_applied`]; `serve --no-migrate`, `migrate --check`).

use std::time::Duration;

use fastapp_config::{outln, Finding};

use super::{dev, migrate, plan, set_ddl_lock_timeout, verify, with_lock, MigrationSet, Target};
use crate::{db, Error};

/// How long to wait: for another runner's lock, and for a table lock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Waits {
    /// `migrate_lock_timeout`.
    pub(crate) lock: Duration,
    /// `ddl_lock_timeout`.
    pub(crate) ddl: Duration,
}

impl Waits {
    /// The waits `settings` give: `migrate_lock_timeout` and
    /// `ddl_lock_timeout`, in seconds.
    pub(crate) fn of(settings: &crate::Settings) -> Waits {
        Waits {
            lock: Duration::from_secs(settings.migrate_lock_timeout),
            ddl: Duration::from_secs(settings.ddl_lock_timeout),
        }
    }
}

/// Applies every pending migration of `sets` to the database at `url`. For
/// `dev` (`serve --dev`, started by `cargo fastapp dev`), migrations a dev
/// server applied and that were edited since are reverted first, said on
/// stdout, and what is applied is remembered ([`dev`]).
pub(crate) fn apply_all(url: &str, sets: &[MigrationSet], waits: Waits, dev: bool) -> Result<(), Error> {
    let mut conn = db::connect(url)?;
    set_ddl_lock_timeout(&mut conn, waits.ddl)?;
    with_lock(url, &mut conn, waits.lock, |conn| {
        if !dev {
            return migrate(conn, sets, sets, Target::Latest).map(drop);
        }
        for redone in dev::redo_edited(conn, sets)? {
            let why = if redone.edited {
                "edited since `cargo fastapp dev` applied it"
            } else {
                "newer than an edited one"
            };
            outln!(
                "fastapp: dev: reverted migration {} of `{}` ({why}) with the down.sql it was applied with; \
                 applying it again (development database only)",
                redone.name,
                redone.app
            );
        }
        // What applies is kept even when a later migration fails.
        let before = dev::applied(conn, sets)?;
        let migrated = migrate(conn, sets, sets, Target::Latest);
        dev::remember(conn, sets, &before)?;
        migrated.map(drop)
    })
}

/// `migration.E050` unless every migration of `sets` is applied (reads
/// only; a missing SQLite file has everything pending and is not created).
pub(crate) fn require_applied(url: &str, sets: &[MigrationSet]) -> Result<(), Error> {
    let mut conn = if db::missing_sqlite_file(url) {
        db::connect(":memory:")?
    } else {
        db::connect(url)?
    };
    verify(&mut conn, sets, sets).map_err(Error::many)?;
    let pending = plan(&mut conn, sets, Target::Latest)?;
    if pending.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = pending
        .iter()
        .map(|(index, m)| format!("{} {}", sets[*index].app(), m.name))
        .collect();
    Err(Finding::new(
        "migration.E050",
        format!("{} migration(s) pending: {}", list.len(), list.join(", ")),
        "run `migrate` (once, as a release step) before starting servers with --no-migrate",
    )
    .location(format!("database {}", crate::database_url::redact_url(url)))
    .into())
}
