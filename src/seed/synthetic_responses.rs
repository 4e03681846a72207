//! The responses of `seed-synthetic`: one generator of realistic answer sets and their rollup
//! sums, written here by multi-row INSERTs (SQLite) or by `copy_load` (PostgreSQL).
use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::domain::survey::{Answer, Definition, Standard};
use crate::seed::rng::Rng;
use crate::seed::rows::{Generated, ResponseRow, insert_responses, numeric_signals, response_row};
use crate::store;

/// A one-line progress bar on stderr.
pub fn progress(label: &str, done: u64, total: u64, started: Instant) {
    let pct = if total == 0 {
        100.0
    } else {
        done as f64 * 100.0 / total as f64
    };
    let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-3);
    let bar = (pct / 5.0) as usize;
    eprint!(
        "\r{label} [{}{}] {pct:5.1}% {done}/{total} ({rate:.0}/s)   ",
        "#".repeat(bar),
        ".".repeat(20 - bar.min(20))
    );
    let _ = std::io::Write::flush(&mut std::io::stderr());
}

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
    pub(crate) cells: HashMap<(u32, u32), (i64, f64, f64)>,
    ids: HashMap<String, u32>,
    pub(crate) names: Vec<String>,
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
    pub(crate) fn generated<'a>(&'a self, w: &World, unit_id: i32) -> Generated<'a> {
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
