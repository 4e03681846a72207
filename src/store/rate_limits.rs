//! The abuse limits of several nodes, counted in PostgreSQL so that every node sees the same
//! counts: the public rate limit as a GCRA bucket (one `tat`, the theoretical arrival time, per
//! client; one statement per check) and the login throttle's failures. Times are seconds by the
//! database's clock, which every node shares. The tables are UNLOGGED (see the migration).
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

const NOW: &str = "extract(epoch from clock_timestamp())";

/// Takes one request from `key`'s bucket, which refills one request per `emission` seconds
/// and holds `burst` of them. `Ok(None)`: allowed; `Ok(Some(s))`: refused, `s` seconds until the
/// next is allowed.
pub async fn take(
    db: &impl ConnectionTrait,
    key: &str,
    emission: f64,
    burst: u32,
) -> Result<Option<f64>, DbErr> {
    let tolerance = emission * f64::from(burst);
    // Allowed when the bucket, moved on by one request, is still within the burst; a refused
    // request leaves the bucket as it was (the WHERE keeps the row unchanged, nothing returned).
    let sql = format!(
        "INSERT INTO rate_buckets AS b (key, tat) VALUES ($1, {NOW} + $2) \
         ON CONFLICT (key) DO UPDATE SET tat = GREATEST(b.tat, {NOW}) + $2 \
         WHERE GREATEST(b.tat, {NOW}) + $2 - {NOW} <= $3 \
         RETURNING tat"
    );
    let allowed = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [key.into(), emission.into(), tolerance.into()],
        ))
        .await?;
    if allowed.is_some() {
        return Ok(None);
    }
    // Refused (the rare path): how long until the bucket has room again.
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            format!("SELECT tat - {NOW} AS ahead FROM rate_buckets WHERE key = $1"),
            [key.into()],
        ))
        .await?;
    let ahead: f64 = match row {
        Some(r) => r.try_get("", "ahead")?,
        None => 0.0,
    };
    Ok(Some((ahead + emission - tolerance).max(0.0)))
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
