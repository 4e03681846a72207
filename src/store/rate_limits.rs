//! The abuse limits of several nodes, counted in PostgreSQL so that every node sees the same
//! counts: the public rate limit as a GCRA bucket (one `tat`, the theoretical arrival time, per
//! client; one statement per check) and the login throttle's failures. Times are seconds by the
//! database's clock, which every node shares. The tables are UNLOGGED (see the migration).
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

const NOW: &str = "extract(epoch from clock_timestamp())";
/// One instant for a whole statement (`clock_timestamp()` moves while it runs).
const STMT_NOW: &str = "extract(epoch from statement_timestamp())";

/// What one key's bucket said to `asked` requests of a batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Granted {
    /// How many of them may go ahead (the first ones asked).
    pub granted: u32,
    /// Seconds the bucket is ahead of now after them: the rest wait until it has room.
    pub ahead: f64,
}

/// Takes `counts[i]` requests from the bucket of `keys[i]` (distinct keys), each bucket refilling
/// one request per `emission` seconds and holding `burst`. One statement for the whole batch;
/// `granted` is computed from the bucket as it was (an UPDATE's SET sees the old row), so two
/// nodes updating one bucket at once take turns on its row and never grant more than it holds.
pub async fn take_many(
    db: &impl ConnectionTrait,
    keys: &[String],
    counts: &[i32],
    emission: f64,
    burst: u32,
) -> Result<Vec<(String, Granted)>, DbErr> {
    let burst = i32::try_from(burst).unwrap_or(i32::MAX);
    let tolerance = emission * f64::from(burst);
    // A new bucket grants up to the burst; an existing one what fits below the tolerance.
    let sql = format!(
        "INSERT INTO rate_buckets AS b (key, tat, granted) \
         SELECT k, {STMT_NOW} + LEAST(n, $3) * $4, LEAST(n, $3) \
         FROM unnest($1::text[], $2::int[]) AS r(k, n) \
         ON CONFLICT (key) DO UPDATE SET \
           granted = GREATEST(0, LEAST(excluded.granted, \
             floor(($5 - (GREATEST(b.tat, {STMT_NOW}) - {STMT_NOW})) / $4 + 1e-9)::int)), \
           tat = GREATEST(b.tat, {STMT_NOW}) + $4 * GREATEST(0, LEAST(excluded.granted, \
             floor(($5 - (GREATEST(b.tat, {STMT_NOW}) - {STMT_NOW})) / $4 + 1e-9)::int)) \
         RETURNING key, granted, tat - {STMT_NOW} AS ahead"
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [
                keys.to_vec().into(),
                counts.to_vec().into(),
                burst.into(),
                emission.into(),
                tolerance.into(),
            ],
        ))
        .await?;
    rows.into_iter()
        .map(|r| {
            let granted: i32 = r.try_get("", "granted")?;
            Ok((
                r.try_get("", "key")?,
                Granted {
                    granted: granted.max(0) as u32,
                    ahead: r.try_get("", "ahead")?,
                },
            ))
        })
        .collect()
}

/// Seconds a refused request waits: until the bucket, `ahead` of now, has room for one.
pub fn wait_after(g: Granted, emission: f64, burst: u32) -> f64 {
    (g.ahead + emission - emission * f64::from(burst)).max(0.0)
}

type Ask = (
    String,
    tokio::sync::oneshot::Sender<Result<Result<(), f64>, ()>>,
);

/// The public rate limit's checks of one process, batched: whatever waits while a statement runs
/// goes in the next one, so many requests cost one round trip (the same idea as the response
/// writer's group commit). `Err(())` to a caller: the database did not answer.
pub struct SharedBuckets {
    tx: tokio::sync::mpsc::Sender<Ask>,
}

const MAX_BATCH: usize = 512;

impl SharedBuckets {
    pub fn start(db: sea_orm::DatabaseConnection, emission: f64, burst: u32) -> Self {
        let (tx, rx) = tokio::sync::mpsc::channel::<Ask>(8192);
        tokio::spawn(run(db, rx, emission, burst));
        SharedBuckets { tx }
    }

    /// `Ok(Ok(()))`: allowed; `Ok(Err(s))`: refused for `s` seconds; `Err(())`: no answer.
    pub async fn take(&self, key: String) -> Result<Result<(), f64>, ()> {
        let (done, wait) = tokio::sync::oneshot::channel();
        self.tx.send((key, done)).await.map_err(|_| ())?;
        wait.await.map_err(|_| ())?
    }
}

async fn run(
    db: sea_orm::DatabaseConnection,
    mut rx: tokio::sync::mpsc::Receiver<Ask>,
    emission: f64,
    burst: u32,
) {
    let mut batch: Vec<Ask> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut index: std::collections::HashMap<&str, usize> = Default::default();
        let mut keys: Vec<String> = vec![];
        let mut counts: Vec<i32> = vec![];
        for (k, _) in &batch {
            let i = *index.entry(k.as_str()).or_insert_with(|| {
                keys.push(k.clone());
                counts.push(0);
                keys.len() - 1
            });
            counts[i] += 1;
        }
        match take_many(&db, &keys, &counts, emission, burst).await {
            Ok(rows) => {
                let mut left: std::collections::HashMap<String, Granted> =
                    rows.into_iter().collect();
                for (k, done) in batch.drain(..) {
                    let verdict = match left.get_mut(&k) {
                        Some(g) if g.granted > 0 => {
                            g.granted -= 1;
                            Ok(())
                        }
                        Some(g) => Err(wait_after(*g, emission, burst)),
                        None => Ok(()),
                    };
                    let _ = done.send(Ok(verdict));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "shared rate limit unavailable; counting in process");
                for (_, done) in batch.drain(..) {
                    let _ = done.send(Err(()));
                }
            }
        }
    }
}

/// Forgets buckets that are full again (their `tat` has passed).
pub async fn purge_full(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Ok(db
        .execute_unprepared(&format!("DELETE FROM rate_buckets WHERE tat < {NOW}"))
        .await?
        .rows_affected())
}

/// (failures, seconds since the last) of each of `keys` that has any.
pub async fn failures(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<Vec<(String, u32, f64)>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!(
                "SELECT key, failures, {NOW} - last_at AS quiet FROM login_failures \
                 WHERE key = ANY($1)"
            ),
            [keys.to_vec().into()],
        ))
        .await?;
    rows.into_iter()
        .map(|r| {
            let failures: i32 = r.try_get("", "failures")?;
            Ok((
                r.try_get("", "key")?,
                failures.max(0) as u32,
                r.try_get("", "quiet")?,
            ))
        })
        .collect()
}

/// One more failure for each of `keys`; a count quiet for `forget_after` seconds starts again.
pub async fn fail(
    db: &impl ConnectionTrait,
    keys: &[String],
    forget_after: f64,
) -> Result<(), DbErr> {
    for key in keys {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!(
                "INSERT INTO login_failures AS f (key, failures, last_at) VALUES ($1, 1, {NOW}) \
                 ON CONFLICT (key) DO UPDATE SET \
                 failures = CASE WHEN {NOW} - f.last_at >= $2 THEN 1 ELSE f.failures + 1 END, \
                 last_at = {NOW}"
            ),
            [key.clone().into(), forget_after.into()],
        ))
        .await?;
    }
    Ok(())
}

pub async fn clear(db: &impl ConnectionTrait, keys: &[String]) -> Result<(), DbErr> {
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "DELETE FROM login_failures WHERE key = ANY($1)",
        [keys.to_vec().into()],
    ))
    .await?;
    Ok(())
}

/// Forgets failures quiet for `forget_after` seconds.
pub async fn purge_failures(db: &impl ConnectionTrait, forget_after: f64) -> Result<u64, DbErr> {
    Ok(db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("DELETE FROM login_failures WHERE {NOW} - last_at >= $1"),
            [forget_after.into()],
        ))
        .await?
        .rows_affected())
}
