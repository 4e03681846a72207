//! `suara backup --to FILE`: a consistent copy of the database while the server keeps serving.
//! SQLite: `VACUUM INTO` (one read transaction, so the copy is one committed state, with every
//! response and the rollups that count it, and the server's writers are not stopped);
//! PostgreSQL: `pg_dump --format=custom` when it is on the PATH, otherwise how to run it.
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

/// The tables whose row counts a backup reports (and a restore can be checked against).
pub const COUNTED: [&str; 8] = [
    "agencies",
    "units",
    "users",
    "responses",
    "complaints",
    "complaint_events",
    "reply_templates",
    "outbox",
];

#[derive(Debug)]
pub struct Report {
    pub path: PathBuf,
    pub bytes: u64,
    /// (table, rows) in the copy; empty for a `pg_dump` archive.
    pub counts: Vec<(&'static str, u64)>,
    pub engine: &'static str,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} backup written to {} ({:.1} MB)",
            self.engine,
            self.path.display(),
            self.bytes as f64 / 1e6
        )?;
        for (t, n) in &self.counts {
            writeln!(f, "  {t:<18} {n}")?;
        }
        Ok(())
    }
}

/// Backs up the database `db` is connected to into `to`, which must not exist yet.
/// `database_url` is what `pg_dump` connects with on PostgreSQL.
pub async fn backup(
    db: &DatabaseConnection,
    database_url: &str,
    to: &Path,
) -> anyhow::Result<Report> {
    if to.exists() {
        bail!(
            "{} already exists; a backup never overwrites a file",
            to.display()
        );
    }
    match db.get_database_backend() {
        DbBackend::Sqlite => sqlite(db, to).await,
        DbBackend::Postgres => postgres(database_url, to).await,
        other => bail!("backups of {other:?} are not supported"),
    }
}

async fn sqlite(db: &DatabaseConnection, to: &Path) -> anyhow::Result<Report> {
    let target = to
        .to_str()
        .context("the backup path must be valid UTF-8")?
        .to_string();
    // SQLite refuses a target that exists and is not empty, so a race with another writer of
    // that file cannot overwrite it either.
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [target.clone().into()],
    ))
    .await
    .with_context(|| format!("VACUUM INTO {target} failed"))?;
    let bytes = std::fs::metadata(to)?.len();
    let copy = open_sqlite_copy(to).await?;
    let counts = count_rows(&copy).await?;
    copy.close().await?;
    Ok(Report {
        path: to.to_path_buf(),
        bytes,
        counts,
        engine: "SQLite",
    })
}

/// Opens a backup file (read and write, never create: a path that is not there is an error).
pub async fn open_sqlite_copy(path: &Path) -> anyhow::Result<DatabaseConnection> {
    if !path.is_file() {
        bail!("{} is not a file", path.display());
    }
    let url = format!("sqlite://{}?mode=rw", path.display());
    Database::connect(url)
        .await
        .with_context(|| format!("cannot open {}", path.display()))
}

/// Rows per [`COUNTED`] table.
pub async fn count_rows(db: &DatabaseConnection) -> anyhow::Result<Vec<(&'static str, u64)>> {
    let mut out = vec![];
    for t in COUNTED {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {t}"),
            ))
            .await?
            .context("COUNT(*) answered no row")?;
        let n: i64 = row.try_get("", "n")?;
        out.push((t, n.max(0) as u64));
    }
    Ok(out)
}

async fn postgres(database_url: &str, to: &Path) -> anyhow::Result<Report> {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join("pg_dump").is_file()))
        .unwrap_or(false);
    if !found {
        bail!(
            "pg_dump is not on the PATH. On PostgreSQL a backup is pg_dump's job (a consistent \
             snapshot while the server runs): install the client tools of the server's major \
             version (Debian: apt-get install postgresql-client) and run\n    \
             pg_dump --format=custom --file {} \"$DATABASE_URL\"\nrestore with \
             pg_restore --clean --if-exists --no-owner --dbname \"$DATABASE_URL\" {}",
            to.display(),
            to.display()
        );
    }
    let (url, file) = (database_url.to_string(), to.to_path_buf());
    let status = tokio::task::spawn_blocking(move || {
        std::process::Command::new("pg_dump")
            .arg("--format=custom")
            .arg("--file")
            .arg(&file)
            .arg("--dbname")
            .arg(&url)
            .status()
    })
    .await?
    .context("cannot run pg_dump")?;
    if !status.success() {
        bail!("pg_dump failed ({status})");
    }
    Ok(Report {
        path: to.to_path_buf(),
        bytes: std::fs::metadata(to)?.len(),
        counts: vec![],
        engine: "PostgreSQL (pg_dump custom format)",
    })
}
