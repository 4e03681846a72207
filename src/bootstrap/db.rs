//! Opening the database: pool size and SQLite pragmas chosen here, migrations applied at start.
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_path(url)
        && let Some(parent) = std::path::Path::new(&path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", parent.display())))?;
    }
    let mut opt = ConnectOptions::new(url.to_string());
    opt.max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    // WAL lets readers run beside the single writer; NORMAL skips the fsync per commit (WAL keeps
    // the database consistent; a power cut may lose the last commits, not corrupt them);
    // busy_timeout makes a second writer wait instead of failing.
    opt.map_sqlx_sqlite_opts(|o| {
        o.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("temp_store", "memory")
            // 64 MiB of page cache per connection (the default is 2 MiB), taken only as used:
            // the analytics reads revisit the same rollup pages all day.
            .pragma("cache_size", "-65536")
            // The worker thread hands rows over in batches this size; the default, 50, makes a
            // planner's overview (thousands of rollup rows) ping-pong between threads.
            .row_buffer_size(1024)
    });
    Database::connect(opt).await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

pub fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    if path.is_empty() || path.contains(":memory:") {
        None
    } else {
        Some(path.to_string())
    }
}

/// The pool of this process: (connections open, of which idle, the limit).
pub fn pool_usage(db: &DatabaseConnection) -> (u32, u32, u32) {
    match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            let p = db.get_sqlite_connection_pool();
            (
                p.size(),
                p.num_idle() as u32,
                p.options().get_max_connections(),
            )
        }
        sea_orm::DbBackend::Postgres => {
            let p = db.get_postgres_connection_pool();
            (
                p.size(),
                p.num_idle() as u32,
                p.options().get_max_connections(),
            )
        }
        _ => (0, 0, 0),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_paths() {
        assert_eq!(
            super::sqlite_path("sqlite://data/suara.db?mode=rwc").as_deref(),
            Some("data/suara.db")
        );
        assert_eq!(super::sqlite_path("sqlite::memory:"), None);
        assert_eq!(super::sqlite_path("postgres://x/y"), None);
    }
}
