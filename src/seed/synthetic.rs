//! `suara seed-synthetic`: realistic bulk data for benchmarks and demos. Units are skewed (a few
//! busy hospitals, many quiet puskesmas), days have a weekly rhythm, and about one unit in
//! twenty deteriorates over time (slower service, ruder staff, longer waits, more complaints).
//! Responses are written unit by unit in large multi-row transactions, with their rollups.
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use crate::domain::calendar::Calendar;
use crate::domain::complaint::{deadlines, tracking_id};
use crate::domain::complaint_cells::{self, ComplaintState};
use crate::domain::registry::{ServiceInput, UnitInput};
use crate::domain::skm_survey::skm_definition;
use crate::domain::survey::{Answer, Standard};
use crate::seed::rows::{Generated, ResponseRow, insert_responses, numeric_signals, response_row};
use crate::store;

/// splitmix64: small, fast, reproducible; no cryptographic use.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// Roughly normal (sum of four uniforms), mean 0, sd 1.
    pub fn normal(&mut self) -> f64 {
        (self.f64() + self.f64() + self.f64() + self.f64() - 2.0) * (3.0_f64).sqrt()
    }
}

pub struct Options {
    pub units: usize,
    pub responses: u64,
    pub complaints: u64,
    pub years: u32,
    pub seed: u64,
}

struct SynthUnit {
    id: i32,
    services: Vec<(i32, i32)>, // (service id, standard minutes)
    base: [f64; 9],
    wait: f64,
    deteriorating: bool,
    weight: f64,
}

fn progress(label: &str, done: u64, total: u64, started: Instant) {
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
    let _ = std::io::stderr().flush();
}

pub async fn run(db: &DatabaseConnection, o: &Options) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut rng = Rng::new(o.seed);
    let skm = store::surveys::ensure_skm(db).await?;
    let version = store::surveys::published_version(db, skm.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("SKM has no published version"))?;
    let def = skm_definition();
    let agency = match store::units::agency_by_slug(db, "sintetis").await? {
        Some(a) => a,
        None => store::units::create_agency(db, "sintetis", "Instansi sintetis (data uji)").await?,
    };
    let kinds = [
        "puskesmas",
        "rumah_sakit",
        "dukcapil",
        "samsat",
        "perizinan",
        "kantor_pelayanan",
    ];
    let existing = store::units::list(db, true)
        .await?
        .into_iter()
        .filter(|u| u.slug.starts_with("sint-"))
        .count();
    let mut units = vec![];
    for i in 0..o.units {
        let slug = format!("sint-{:04}", existing + i + 1);
        let kind = kinds[i % kinds.len()];
        let u = store::units::create(
            db,
            agency.id,
            &UnitInput {
                agency: None,
                slug: Some(slug.clone()),
                name: Some(format!(
                    "Unit sintetis {:04} ({})",
                    existing + i + 1,
                    kind.replace('_', " ")
                )),
                kind: Some(kind.into()),
                address: None,
                staff_count: Some(10 + rng.below(200) as i32),
                monthly_visitors: Some(200 + rng.below(20_000) as i32),
            },
        )
        .await?;
        let mut services = vec![];
        for s in 0..2 {
            let std = 30 + 15 * rng.below(5) as i32;
            let svc = store::units::create_service(
                db,
                u.id,
                &ServiceInput {
                    slug: Some(format!("layanan-{}", s + 1)),
                    name: Some(format!("Layanan {}", s + 1)),
                    standard_minutes: Some(std),
                    standard_days: None,
                    fee_rupiah: Some(0),
                },
            )
            .await?;
            services.push((svc.id, std));
        }
        let level = 2.7 + 0.8 * rng.f64();
        let mut base = [0.0; 9];
        for b in base.iter_mut() {
            *b = (level + 0.3 * rng.normal()).clamp(1.6, 3.9);
        }
        units.push(SynthUnit {
            id: u.id,
            services,
            base,
            wait: 20.0 + 80.0 * rng.f64(),
            deteriorating: rng.below(20) == 0,
            weight: 1.0 / ((i + 1) as f64).powf(0.8),
        });
    }
    let total_w: f64 = units.iter().map(|u| u.weight).sum();
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let first = today - Duration::days(365 * o.years as i64 - 1);
    let days: Vec<NaiveDate> = (0..=(today - first).num_days())
        .map(|d| first + Duration::days(d))
        .collect();
    let day_w: Vec<f64> = days
        .iter()
        .map(|d| match d.weekday() {
            chrono::Weekday::Sat => 0.3,
            chrono::Weekday::Sun => 0.1,
            _ => 1.0,
        })
        .collect();
    let mut cum = Vec::with_capacity(day_w.len());
    let mut acc = 0.0;
    for w in &day_w {
        acc += w;
        cum.push(acc);
    }
    let pick_day = |r: f64| -> usize { cum.partition_point(|c| *c < r * acc).min(cum.len() - 1) };
    let codes = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"];
    let genders = ["L", "P"];
    let edu = ["SD", "SMP", "SMA", "SMA", "D1-D3", "D4-S1", "D4-S1", "S2+"];
    let jobs = [
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
    let mut code_ids: HashMap<String, u32> = HashMap::new();
    let mut code_names: Vec<String> = vec![];
    let mut written = 0u64;
    let t0 = Instant::now();
    let span = days.len() as f64;
    for (ui, u) in units.iter().enumerate() {
        let n = if ui + 1 == units.len() {
            o.responses.saturating_sub(written)
        } else {
            ((o.responses as f64) * u.weight / total_w).round() as u64
        };
        // (day index, code index) → (n, Σx, Σx²); codes are interned so adding allocates nothing.
        let mut rollups: HashMap<(u32, u32), (i64, f64, f64)> = HashMap::new();
        let mut rows: Vec<ResponseRow> = Vec::with_capacity(1000);
        let txn = db.begin().await?;
        for _ in 0..n {
            let di = pick_day(rng.f64());
            let day = days[di];
            let t = di as f64 / span;
            let mut answers = BTreeMap::new();
            for (k, c) in codes.iter().enumerate() {
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
            profile.insert(
                "gender".to_string(),
                Answer::Str(genders[rng.below(2) as usize].into()),
            );
            profile.insert("age".to_string(), Answer::Int(17 + rng.below(60) as i64));
            profile.insert(
                "education".to_string(),
                Answer::Str(edu[rng.below(edu.len() as u64) as usize].into()),
            );
            profile.insert(
                "occupation".to_string(),
                Answer::Str(jobs[rng.below(jobs.len() as u64) as usize].into()),
            );
            let numeric = numeric_signals(
                &def,
                &answers,
                &profile,
                Standard {
                    minutes: Some(std),
                    fee_rupiah: Some(0),
                },
            );
            let mut add = |code: &str, v: f64| {
                let ci = match code_ids.get(code) {
                    Some(&i) => i,
                    None => {
                        code_names.push(code.to_string());
                        let i = code_names.len() as u32 - 1;
                        code_ids.insert(code.to_string(), i);
                        i
                    }
                };
                let e = rollups.entry((di as u32, ci)).or_insert((0, 0.0, 0.0));
                e.0 += 1;
                e.1 += v;
                e.2 += v * v;
            };
            add(store::responses::RESPONSES_CODE, 1.0);
            for (c, v) in &numeric {
                add(c, *v);
            }
            let created = (day
                .and_hms_opt(1 + rng.below(10) as u32, rng.below(60) as u32, 0)
                .unwrap_or_default())
            .and_utc();
            rows.push(response_row(&Generated {
                unit_id: u.id,
                survey_version_id: version.id,
                service_id: Some(svc_id),
                created_at: created,
                local_date: day,
                answers: &answers,
                profile: &profile,
                wait_minutes: wait,
                visits,
            }));
            if rows.len() == 1000 {
                insert_responses(&txn, &mut rows).await?;
            }
            written += 1;
            if written.is_multiple_of(20_000) {
                progress("responses ", written, o.responses, t0);
            }
        }
        insert_responses(&txn, &mut rows).await?;
        // Codes were interned while adding; the shared writer takes them by name.
        let named: HashMap<(i32, NaiveDate, &str), (i64, f64, f64)> = rollups
            .into_iter()
            .map(|((d, c), v)| ((u.id, days[d as usize], code_names[c as usize].as_str()), v))
            .collect();
        store::rollups::upsert_rollups(&txn, named).await?;
        txn.commit().await?;
    }
    progress("responses ", written, o.responses, t0);
    eprintln!();
    seed_complaints(db, &units, o.complaints, &days, &mut rng).await?;
    // A bulk load leaves much of a SQLite database in its WAL, where every later read has to look
    // first; fold it back. Both engines learn the new table sizes for their query planners.
    match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await?;
            db.execute_unprepared("PRAGMA optimize").await?;
        }
        _ => {
            db.execute_unprepared("ANALYZE").await?;
        }
    }
    eprintln!(
        "seeded {} units, {written} responses, {} complaints in {:.1} s",
        o.units,
        o.complaints,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn seed_complaints(
    db: &DatabaseConnection,
    units: &[SynthUnit],
    total: u64,
    days: &[NaiveDate],
    rng: &mut Rng,
) -> anyhow::Result<()> {
    let cats = store::complaints::categories(db).await?;
    let cal: Calendar = store::complaints::calendar(db).await?;
    let total_w: f64 = units
        .iter()
        .map(|u| u.weight * if u.deteriorating { 3.0 } else { 1.0 })
        .sum();
    let t0 = Instant::now();
    let mut done = 0u64;
    let txn = db.begin().await?;
    let mut batch: Vec<entity::complaint::ActiveModel> = vec![];
    let mut ids = std::collections::HashSet::new();
    let mut cells = store::complaint_rollups::Cells::new();
    for u in units {
        let share = u.weight * if u.deteriorating { 3.0 } else { 1.0 } / total_w;
        let n = ((total as f64) * share).round() as u64;
        for _ in 0..n.min(total.saturating_sub(done)) {
            let di = rng.below(days.len() as u64) as usize;
            let day = days[di];
            let cat = &cats[if u.deteriorating && rng.below(2) == 0 {
                0
            } else {
                rng.below(cats.len() as u64) as usize
            }];
            let created = day
                .and_hms_opt(2 + rng.below(8) as u32, rng.below(60) as u32, 0)
                .unwrap_or_default()
                .and_utc();
            let dl = deadlines(&cal, day, cat.resolve_days.max(1) as u32);
            let age = (days.len() - 1 - di) as i64;
            let (status, verified, resolved) = if age < 3 {
                ("received", None, None)
            } else if age < 10 {
                (
                    "in_progress",
                    Some(created + Duration::hours(2 + rng.below(70) as i64)),
                    None,
                )
            } else {
                let v = created + Duration::hours(2 + rng.below(70) as i64);
                let r = v + Duration::hours(24 + rng.below(24 * 20) as i64);
                (
                    if rng.below(10) == 0 {
                        "resolved"
                    } else {
                        "closed"
                    },
                    Some(v),
                    Some(r),
                )
            };
            let tid = loop {
                let mut random = [0u8; 8];
                for b in random.iter_mut() {
                    *b = rng.below(256) as u8;
                }
                let t = tracking_id(random);
                if ids.insert(t.clone()) {
                    break t;
                }
            };
            let kind = if rng.below(5) == 0 {
                "aspirasi"
            } else {
                "pengaduan"
            };
            let reopen_count = if rng.below(25) == 0 { 1 } else { 0 };
            let state = ComplaintState {
                kind,
                category_id: cat.id,
                status,
                created_at: created,
                verified_at: verified,
                resolved_at: resolved,
                due_resolve: dl.resolve,
                reopen_count,
            };
            for (d, code, n, s, ss) in complaint_cells::delta(None, Some(&state)) {
                let e = cells.entry((u.id, d, code)).or_default();
                e.0 += n;
                e.1 += s;
                e.2 += ss;
            }
            use sea_orm::Set;
            batch.push(entity::complaint::ActiveModel {
                tracking_id: Set(tid),
                unit_id: Set(u.id),
                service_id: Set(None),
                kind: Set(kind.into()),
                category_id: Set(cat.id),
                description: Set("Data sintetis untuk uji beban.".into()),
                incident_date: Set(Some(day)),
                wait_minutes: Set(None),
                visits: Set(None),
                fee_paid: Set(None),
                contact_name: Set(None),
                contact_email: Set(None),
                contact_phone: Set(None),
                anonim: Set(true),
                rahasia: Set(false),
                lang: Set("id".into()),
                status: Set(status.into()),
                priority: Set("normal".into()),
                assignee: Set(None),
                duplicate_of: Set(None),
                forwarded_to_unit_id: Set(None),
                reject_reason: Set(None),
                created_at: Set(created),
                updated_at: Set(created),
                verified_at: Set(verified),
                first_response_at: Set(verified),
                resolved_at: Set(resolved),
                closed_at: Set(if status == "closed" { resolved } else { None }),
                reopen_count: Set(reopen_count),
                due_verify: Set(dl.verify),
                due_first_response: Set(dl.first_response),
                due_resolve: Set(dl.resolve),
                ..Default::default()
            });
            done += 1;
            if batch.len() == 60 {
                use sea_orm::EntityTrait;
                entity::complaint::Entity::insert_many(std::mem::take(&mut batch))
                    .exec(&txn)
                    .await?;
                if done.is_multiple_of(5_000) {
                    progress("complaints", done, total, t0);
                }
            }
        }
    }
    if !batch.is_empty() {
        use sea_orm::EntityTrait;
        entity::complaint::Entity::insert_many(batch)
            .exec(&txn)
            .await?;
    }
    store::rollups::upsert_rollups(&txn, cells).await?;
    txn.commit().await?;
    progress("complaints", done, total, t0);
    eprintln!();
    Ok(())
}
