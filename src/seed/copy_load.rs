//! `seed-synthetic` on PostgreSQL: `COPY` in the text format, a generator thread building the
//! rows while the database loads the previous batch.
use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use sea_orm::DatabaseConnection;

use crate::seed::rng::Rng;
use crate::seed::rows::Generated;
use crate::seed::synthetic_responses::{Sums, SynthUnit, World, progress};

/// What the generator thread hands the loader.
enum Piece {
    /// `COPY responses` text of up to `CHUNK` rows of the unit being generated.
    Rows(String, u64),
    /// The units since the last batch are complete: their daily and monthly rollup rows as
    /// `COPY` text. The loader commits after them.
    UnitsDone { days: String, months: String },
}

const CHUNK: u64 = 20_000;

const RESPONSE_COLUMNS: &str = "unit_id, survey_version_id, service_id, channel, created_at, \
    local_date, answers, respondent, comment, wait_minutes, visits, fee_paid";

/// PostgreSQL: `COPY` in the text format, in transactions that end at a unit's end (its
/// responses and its rollups together). The units are new, so their rollup rows are inserted, not upserted.
pub async fn copy_all(
    db: &DatabaseConnection,
    w: World,
    units: &[SynthUnit],
    plan: &[u64],
    seed: u64,
    total: u64,
    t0: Instant,
) -> anyhow::Result<u64> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Piece>(3);
    let units_owned = units.to_vec();
    let plan_owned = plan.to_vec();
    let generator = std::thread::spawn(move || generate(w, units_owned, plan_owned, seed, tx));
    let mut conn = db.get_postgres_connection_pool().acquire().await?;
    use sea_orm::sqlx::Executor;
    // The units and survey version were created just before, so the foreign keys hold by
    // construction; skipping their per-row checks halves the load. Needs a superuser; without
    // one the checks simply run.
    if let Err(e) = conn.execute("SET session_replication_role = replica").await {
        tracing::info!(error = %e, "foreign-key checks stay on during the load");
    }
    let mut written = 0u64;
    let mut open = false;
    while let Some(piece) = rx.recv().await {
        if !open {
            conn.execute("BEGIN").await?;
            open = true;
        }
        match piece {
            Piece::Rows(text, n) => {
                copy(
                    &mut conn,
                    &format!("COPY responses ({RESPONSE_COLUMNS}) FROM STDIN"),
                    text,
                )
                .await?;
                written += n;
                progress("responses ", written, total, t0);
            }
            Piece::UnitsDone { days, months } => {
                copy(
                    &mut conn,
                    "COPY rollup_unit_day (unit_id, local_date, code, n, sum, sumsq) FROM STDIN",
                    days,
                )
                .await?;
                copy(
                    &mut conn,
                    "COPY rollup_unit_month (unit_id, month, code, n, sum, sumsq) FROM STDIN",
                    months,
                )
                .await?;
                conn.execute("COMMIT").await?;
                open = false;
            }
        }
    }
    let _ = conn.execute("RESET session_replication_role").await;
    generator
        .join()
        .map_err(|_| anyhow::anyhow!("the generator thread panicked"))?;
    Ok(written)
}

async fn copy(
    conn: &mut sea_orm::sqlx::pool::PoolConnection<sea_orm::sqlx::Postgres>,
    statement: &str,
    text: String,
) -> anyhow::Result<()> {
    let mut c = conn.copy_in_raw(statement).await?;
    c.send(text.into_bytes()).await?;
    c.finish().await?;
    Ok(())
}

fn generate(
    w: World,
    units: Vec<SynthUnit>,
    plan: Vec<u64>,
    seed: u64,
    tx: tokio::sync::mpsc::Sender<Piece>,
) {
    let mut rng = Rng::new(seed);
    let (mut rows, mut in_chunk) = (String::new(), 0u64);
    let (mut days, mut months, mut rollup_lines) = (String::new(), String::new(), 0usize);
    let last = units.len().saturating_sub(1);
    for (i, (u, n)) in units.iter().zip(plan).enumerate() {
        let mut sums = Sums::default();
        for _ in 0..n {
            let one = w.response(u, &mut rng, &mut sums);
            copy_line(&one.generated(&w, u.id), &mut rows);
            in_chunk += 1;
            if in_chunk == CHUNK {
                let piece = Piece::Rows(std::mem::take(&mut rows), in_chunk);
                if tx.blocking_send(piece).is_err() {
                    return; // the loader failed and says why
                }
                in_chunk = 0;
            }
        }
        rollup_lines += rollup_text(u.id, &w.days, &sums, &mut days, &mut months);
        // Many small units share a batch: per-statement and per-commit costs dominate
        // otherwise. A batch ends only at a unit's end, so each commit is a consistent state.
        if i == last || in_chunk >= CHUNK / 2 || rollup_lines >= 4 * CHUNK as usize {
            if in_chunk > 0 {
                let piece = Piece::Rows(std::mem::take(&mut rows), in_chunk);
                if tx.blocking_send(piece).is_err() {
                    return;
                }
                in_chunk = 0;
            }
            let piece = Piece::UnitsDone {
                days: std::mem::take(&mut days),
                months: std::mem::take(&mut months),
            };
            if tx.blocking_send(piece).is_err() {
                return;
            }
            rollup_lines = 0;
        }
    }
}

/// One `responses` row in COPY text format (tab-separated, `\N` for NULL).
pub fn copy_line(r: &Generated<'_>, out: &mut String) {
    let answers = serde_json::to_string(r.answers).unwrap_or_default();
    let profile = serde_json::to_string(r.profile).unwrap_or_default();
    let service = r.service_id.map(|s| s.to_string());
    let _ = writeln!(
        out,
        "{}\t{}\t{}\tqr\t{}\t{}\t{}\t{}\t\\N\t{}\t{}\t\\N",
        r.unit_id,
        r.survey_version_id,
        service.as_deref().unwrap_or("\\N"),
        r.created_at.to_rfc3339(),
        r.local_date,
        escape(&answers),
        escape(&profile),
        r.wait_minutes,
        r.visits,
    );
}

/// Escapes what the COPY text format gives a meaning to: backslash, tab, newline, return.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['\\', '\t', '\n', '\r']) {
        return s.into();
    }
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .into()
}

/// Appends the unit's daily and monthly rollup rows; returns how many rows it added.
fn rollup_text(
    unit: i32,
    days: &[NaiveDate],
    sums: &Sums,
    day_text: &mut String,
    month_text: &mut String,
) -> usize {
    let mut months: HashMap<(i32, u32, u32), (i64, f64, f64)> = HashMap::new();
    for (&(d, c), &(n, s, ss)) in &sums.cells {
        let day = days[d as usize];
        let code = escape(&sums.names[c as usize]);
        let _ = writeln!(day_text, "{unit}\t{day}\t{code}\t{n}\t{s}\t{ss}");
        let e = months
            .entry((day.year(), day.month(), c))
            .or_insert((0, 0.0, 0.0));
        e.0 += n;
        e.1 += s;
        e.2 += ss;
    }
    let added = sums.cells.len() + months.len();
    for ((y, m, c), (n, s, ss)) in months {
        let code = escape(&sums.names[c as usize]);
        let _ = writeln!(month_text, "{unit}\t{y:04}-{m:02}\t{code}\t{n}\t{s}\t{ss}");
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_its_own_separators() {
        assert_eq!(escape(r#"{"a":1}"#), r#"{"a":1}"#);
        assert_eq!(escape("a\tb\nc\\d\re"), "a\\tb\\nc\\\\d\\re");
    }
}
