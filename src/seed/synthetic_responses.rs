//! The responses of `seed-synthetic`: one generator of realistic answer sets and their rollup
//! sums, written by multi-row INSERTs on SQLite and by `COPY` on PostgreSQL, where a generator
//! thread builds the rows while the database loads the previous batch.
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::time::Instant;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::domain::survey::{Answer, Definition, Standard};
use crate::seed::rows::{Generated, ResponseRow, insert_responses, numeric_signals, response_row};
use crate::seed::synthetic::{Rng, progress};
use crate::store;

/// What one synthetic unit answers like.
#[derive(Clone)]
pub struct SynthUnit {
    pub id: i32,
    pub services: Vec<(i32, i32)>, // (service id, standard minutes)
    pub base: [f64; 9],
    pub wait: f64,
    pub deteriorating: bool,
    pub weight: f64,
}

/// The calendar and survey every generated response shares.
pub struct World {
    pub version_id: i32,
    pub def: Definition,
    pub days: Vec<NaiveDate>,
    /// Cumulative day weights (weekdays busy, Sundays quiet) and their total.
    pub cum: Vec<f64>,
    pub acc: f64,
}

/// (n, Σx, Σx²) per (day index, interned code) of one unit: interning keeps adding free of
/// allocation.
#[derive(Default)]
pub struct Sums {
    cells: HashMap<(u32, u32), (i64, f64, f64)>,
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Sums {
    fn add(&mut self, day: u32, code: &str, v: f64) {
        let ci = match self.ids.get(code) {
            Some(&i) => i,
            None => {
                self.names.push(code.to_string());
                let i = self.names.len() as u32 - 1;
                self.ids.insert(code.to_string(), i);
                i
            }
        };
        let e = self.cells.entry((day, ci)).or_insert((0, 0.0, 0.0));
        e.0 += 1;
        e.1 += v;
        e.2 += v * v;
    }
}

/// One generated response, before it becomes a row.
pub struct One {
    day: usize,
    created: DateTime<Utc>,
    service_id: i32,
    answers: BTreeMap<String, Answer>,
    profile: BTreeMap<String, Answer>,
    wait: i64,
    visits: i64,
}

impl One {
    fn generated<'a>(&'a self, w: &World, unit_id: i32) -> Generated<'a> {
        Generated {
            unit_id,
            survey_version_id: w.version_id,
            service_id: Some(self.service_id),
            created_at: self.created,
            local_date: w.days[self.day],
            answers: &self.answers,
            profile: &self.profile,
            wait_minutes: self.wait,
            visits: self.visits,
        }
    }
}

/// Every synthetic response comes by QR code.
const QR: &str = "_R:qr";
const CODES: [&str; 9] = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"];
const GENDERS: [&str; 2] = ["L", "P"];
const EDUCATION: [&str; 8] = ["SD", "SMP", "SMA", "SMA", "D1-D3", "D4-S1", "D4-S1", "S2+"];
const JOBS: [&str; 9] = [
    "pns",
    "swasta",
    "swasta",
    "wirausaha",
    "wirausaha",
    "pelajar",
    "lainnya",
    "tni",
    "polri",
];

impl World {
    fn pick_day(&self, r: f64) -> usize {
        self.cum
            .partition_point(|c| *c < r * self.acc)
            .min(self.cum.len() - 1)
    }

    /// A response of unit `u`, its signals added to `sums`.
    pub fn response(&self, u: &SynthUnit, rng: &mut Rng, sums: &mut Sums) -> One {
        let di = self.pick_day(rng.f64());
        let t = di as f64 / self.days.len() as f64;
        let mut answers = BTreeMap::new();
        for (k, c) in CODES.iter().enumerate() {
            let mut m = u.base[k];
            if u.deteriorating && (c == &"U3" || c == &"U7") {
                m -= 1.0 * t;
            }
            let v = (m + 0.7 * rng.normal()).round().clamp(1.0, 4.0) as i64;
            answers.insert(c.to_string(), Answer::Int(v));
        }
        let (svc_id, std) = u.services[rng.below(u.services.len() as u64) as usize];
        let mut wait_mean = u.wait;
        if u.deteriorating {
            wait_mean *= 1.0 + 1.5 * t;
        }
        let wait = (wait_mean * (0.45 * rng.normal()).exp())
            .round()
            .clamp(1.0, 1440.0) as i64;
        let visits = 1 + (rng.f64() * rng.f64() * 4.0) as i64;
        answers.insert("WAIT_MIN".into(), Answer::Int(wait));
        answers.insert("VISITS".into(), Answer::Int(visits));
        let mut profile = BTreeMap::new();
        let pick = |rng: &mut Rng, xs: &[&str]| xs[rng.below(xs.len() as u64) as usize].to_string();
        profile.insert("gender".to_string(), Answer::Str(pick(rng, &GENDERS)));
        profile.insert("age".to_string(), Answer::Int(17 + rng.below(60) as i64));
        profile.insert("education".to_string(), Answer::Str(pick(rng, &EDUCATION)));
        profile.insert("occupation".to_string(), Answer::Str(pick(rng, &JOBS)));
        let numeric = numeric_signals(
            &self.def,
            &answers,
            &profile,
            Standard {
                minutes: Some(std),
                fee_rupiah: Some(0),
            },
        );
        sums.add(di as u32, store::responses::RESPONSES_CODE, 1.0);
        sums.add(di as u32, QR, 1.0);
        for (c, v) in &numeric {
            sums.add(di as u32, c, *v);
        }
        let created = (self.days[di]
            .and_hms_opt(1 + rng.below(10) as u32, rng.below(60) as u32, 0)
            .unwrap_or_default())
        .and_utc();
        One {
            day: di,
            created,
            service_id: svc_id,
            answers,
            profile,
            wait,
            visits,
        }
    }
}

/// SQLite (and any engine without COPY): each unit in one transaction of multi-row INSERTs,
/// its rollups added through the shared writer.
pub async fn insert_in_batches(
    db: &DatabaseConnection,
    w: &World,
    units: &[SynthUnit],
    plan: &[u64],
    rng: &mut Rng,
    total: u64,
    t0: Instant,
) -> anyhow::Result<u64> {
    let mut written = 0u64;
    for (u, &n) in units.iter().zip(plan) {
        let mut sums = Sums::default();
        let mut rows: Vec<ResponseRow> = Vec::with_capacity(1000);
        let txn = db.begin().await?;
        for _ in 0..n {
            let one = w.response(u, rng, &mut sums);
            rows.push(response_row(&one.generated(w, u.id)));
            if rows.len() == 1000 {
                insert_responses(&txn, &mut rows).await?;
            }
            written += 1;
            if written.is_multiple_of(20_000) {
                progress("responses ", written, total, t0);
            }
        }
        insert_responses(&txn, &mut rows).await?;
        let named: HashMap<(i32, NaiveDate, &str), (i64, f64, f64)> = sums
            .cells
            .into_iter()
            .map(|((d, c), v)| {
                (
                    (u.id, w.days[d as usize], sums.names[c as usize].as_str()),
                    v,
                )
            })
            .collect();
        store::rollups::upsert_rollups(&txn, named).await?;
        txn.commit().await?;
    }
    Ok(written)
}

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
