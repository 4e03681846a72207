//! `suara seed-synthetic`: realistic bulk data for benchmarks and demos. Units are skewed (a few
//! busy hospitals, many quiet puskesmas), days have a weekly rhythm, and about one unit in
//! twenty deteriorates over time (slower service, ruder staff, longer waits, more complaints).
//! Responses are written unit by unit with their rollups (`synthetic_responses`: INSERTs on SQLite,
//! COPY on PostgreSQL).
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use crate::domain::calendar::Calendar;
use crate::domain::complaint::{deadlines, tracking_id};
use crate::domain::complaint_cells::{self, ComplaintState};
use crate::domain::registry::{ServiceInput, UnitInput};
use crate::domain::skm_survey::skm_definition;
use crate::seed::copy_load::copy_all;
use crate::seed::rng::Rng;
use crate::seed::synthetic_responses::{SynthUnit, World, insert_in_batches, progress};
use crate::store;

pub struct Options {
    pub units: usize,
    pub responses: u64,
    pub complaints: u64,
    pub years: u32,
    pub seed: u64,
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
    let world = World {
        version_id: version.id,
        def,
        days: days.clone(),
        cum,
        acc,
    };
    let plan: Vec<u64> = {
        let mut planned = 0u64;
        units
            .iter()
            .enumerate()
            .map(|(ui, u)| {
                let n = if ui + 1 == units.len() {
                    o.responses.saturating_sub(planned)
                } else {
                    ((o.responses as f64) * u.weight / total_w).round() as u64
                };
                planned += n;
                n
            })
            .collect()
    };
    let t0 = Instant::now();
    let written = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            // Partitions first, so the load does not pile into the default partition.
            store::partitions::ensure_range(db, first, today).await?;
            let n = copy_all(db, world, &units, &plan, rng.next_u64(), o.responses, t0).await?;
            // COPY wrote the daily and monthly cells directly: the summaries follow from them.
            let txn = store::begin_write(db).await?;
            store::summaries::rebuild_all(&txn).await?;
            txn.commit().await?;
            n
        }
        _ => insert_in_batches(db, &world, &units, &plan, &mut rng, o.responses, t0).await?,
    };
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
                channel: "web",
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
                channel: Set("web".into()),
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
