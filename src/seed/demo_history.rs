//! A year of believable demo history for the five demo units, so a new user sees the whole loop
//! on first start: RSUD's waits grow (a high-priority queue-management proposal), Disdukcapil's
//! procedure sends people back (a medium one), Samsat's behaviour training worked ("effective"),
//! Puskesmas Paal X's technical training changed nothing ("no significant change").
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, Set, TransactionTrait,
};

use crate::domain::complaint::deadlines;
use crate::domain::skm_survey::skm_definition;
use crate::domain::survey::{Answer, Standard};
use crate::domain::training::{RuleDef, evaluate};
use crate::seed::rng::Rng;
use crate::seed::rows::{Generated, ResponseRow, insert_responses, numeric_signals, response_row};
use crate::store;

const DAYS: i64 = 400;

/// How a unit's answers look `ago` days before today.
struct Profile {
    slug: &'static str,
    per_weekday: f64,
    means: fn(i64) -> [f64; 9],
    wait: fn(i64) -> f64,
    /// Chance a respondent needed 3+ visits.
    revisit: f64,
}

fn ramp(ago: i64, start: i64, from: f64, to: f64) -> f64 {
    if ago >= start {
        from
    } else {
        to + (from - to) * ago as f64 / start as f64
    }
}

const PROFILES: &[Profile] = &[
    Profile {
        slug: "rsud-raden-mattaher",
        per_weekday: 7.0,
        means: |ago| {
            let mut m = [3.2, 3.1, 3.2, 3.6, 3.2, 3.3, 3.2, 3.0, 3.1];
            m[2] = ramp(ago, 180, 3.2, 2.5);
            m
        },
        wait: |ago| ramp(ago, 180, 70.0, 185.0),
        revisit: 0.08,
    },
    Profile {
        slug: "disdukcapil-kota-jambi",
        per_weekday: 8.0,
        means: |_| [2.9, 2.7, 3.1, 3.8, 3.2, 3.2, 3.2, 3.1, 3.0],
        wait: |_| 45.0,
        revisit: 0.32,
    },
    Profile {
        slug: "dpmptsp-provinsi-jambi",
        per_weekday: 2.5,
        means: |_| [3.4, 3.3, 3.3, 3.7, 3.4, 3.4, 3.5, 3.3, 3.4],
        wait: |_| 25.0,
        revisit: 0.05,
    },
    Profile {
        slug: "puskesmas-paal-x",
        per_weekday: 5.0,
        means: |_| [3.2, 3.2, 3.1, 3.8, 3.1, 2.6, 3.2, 3.0, 3.0],
        wait: |_| 25.0,
        revisit: 0.06,
    },
    Profile {
        slug: "samsat-kota-jambi",
        per_weekday: 6.0,
        means: |ago| {
            let mut m = [3.2, 3.2, 3.2, 3.3, 3.2, 3.2, 3.2, 3.1, 3.1];
            m[6] = if ago > SAMSAT_DONE { 2.5 } else { 3.2 };
            m
        },
        wait: |_| 35.0,
        revisit: 0.05,
    },
];

/// Samsat's behaviour workshop ended this many days ago; Puskesmas's bimtek this many.
const SAMSAT_DONE: i64 = 200;
const PUSKESMAS_DONE: i64 = 140;

pub async fn seed(db: &DatabaseConnection, today: NaiveDate) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut rng = Rng::new(20_261_122);
    let skm = store::surveys::ensure_skm(db).await?;
    let version = store::surveys::published_version(db, skm.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("SKM has no published version"))?;
    let def = skm_definition();
    let codes = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"];
    let mut total = 0usize;
    for p in PROFILES {
        let Some(unit) = store::units::by_slug(db, p.slug).await? else {
            continue;
        };
        let services = store::units::services(db, unit.id, false).await?;
        // The unit's main counter service: the one with the longest declared standard time.
        let svc = services
            .iter()
            .filter(|s| s.standard_minutes.is_some())
            .max_by_key(|s| s.standard_minutes)
            .map(|s| (s.id, s.standard_minutes));
        let mut rows: Vec<ResponseRow> = vec![];
        let mut rollups: HashMap<(i32, NaiveDate, String), (i64, f64, f64)> = HashMap::new();
        for ago in (1..=DAYS).rev() {
            let day = today - Duration::days(ago);
            let rate = match day.weekday() {
                chrono::Weekday::Sat => p.per_weekday * 0.3,
                chrono::Weekday::Sun => 0.0,
                _ => p.per_weekday,
            };
            let n = (rate + rng.normal() * rate.sqrt()).round().max(0.0) as usize;
            let means = (p.means)(ago);
            for _ in 0..n {
                let mut answers = BTreeMap::new();
                for (k, c) in codes.iter().enumerate() {
                    let v = (means[k] + 0.6 * rng.normal()).round().clamp(1.0, 4.0) as i64;
                    answers.insert(c.to_string(), Answer::Int(v));
                }
                let wait = ((p.wait)(ago) * (0.35 * rng.normal()).exp())
                    .round()
                    .clamp(1.0, 720.0) as i64;
                let visits = if rng.f64() < p.revisit {
                    3 + rng.below(2) as i64
                } else {
                    1 + rng.below(2) as i64
                };
                answers.insert("WAIT_MIN".into(), Answer::Int(wait));
                answers.insert("VISITS".into(), Answer::Int(visits));
                let mut profile = BTreeMap::new();
                profile.insert(
                    "gender".to_string(),
                    Answer::Str(["L", "P"][rng.below(2) as usize].into()),
                );
                profile.insert("age".to_string(), Answer::Int(18 + rng.below(55) as i64));
                let numeric = numeric_signals(
                    &def,
                    &answers,
                    &profile,
                    Standard {
                        minutes: svc.and_then(|s| s.1),
                        fee_rupiah: Some(0),
                    },
                );
                let mut add = |code: &str, v: f64| {
                    let e = rollups
                        .entry((unit.id, day, code.to_string()))
                        .or_insert((0, 0.0, 0.0));
                    e.0 += 1;
                    e.1 += v;
                    e.2 += v * v;
                };
                add(store::responses::RESPONSES_CODE, 1.0);
                add(&store::responses::channel_code("qr"), 1.0);
                for (c, v) in &numeric {
                    add(c, *v);
                }
                let created = day
                    .and_hms_opt(1 + rng.below(8) as u32, rng.below(60) as u32, 0)
                    .unwrap_or_default()
                    .and_utc();
                rows.push(response_row(&Generated {
                    unit_id: unit.id,
                    survey_version_id: version.id,
                    service_id: svc.map(|s| s.0),
                    created_at: created,
                    local_date: day,
                    answers: &answers,
                    profile: &profile,
                    wait_minutes: wait,
                    visits,
                }));
            }
        }
        total += rows.len();
        let txn = db.begin().await?;
        insert_responses(&txn, &mut rows).await?;
        store::rollups::upsert_rollups(&txn, rollups).await?;
        txn.commit().await?;
    }
    complaints(db, today, &mut rng).await?;
    crate::seed::demo_queue::seed(db, today, &mut rng).await?;
    crate::seed::demo_people::seed(db, today).await?;
    trainings(db, today).await?;
    tracing::info!(
        responses = total,
        secs = started.elapsed().as_secs_f64(),
        "seeded demo feedback and training history"
    );
    Ok(())
}

/// (unit, category, how many in the last 90 days, how many in the 90 before)
const COMPLAINTS: &[(&str, &str, u32, u32, &str)] = &[
    (
        "rsud-raden-mattaher",
        "waktu_tunggu",
        38,
        9,
        "Antrean poliklinik sangat lama, saya menunggu lebih dari tiga jam tanpa kepastian.",
    ),
    (
        "disdukcapil-kota-jambi",
        "prosedur",
        14,
        10,
        "Persyaratan berubah-ubah, saya harus bolak-balik tiga kali untuk mengurus KK.",
    ),
    (
        "samsat-kota-jambi",
        "perilaku_petugas",
        3,
        2,
        "Petugas loket berbicara dengan nada kasar ketika saya bertanya soal berkas.",
    ),
    (
        "puskesmas-paal-x",
        "kompetensi_petugas",
        6,
        6,
        "Petugas tidak bisa menjelaskan hasil pemeriksaan dan aturan rujukan BPJS.",
    ),
];

async fn complaints(
    db: &DatabaseConnection,
    today: NaiveDate,
    rng: &mut Rng,
) -> anyhow::Result<()> {
    let cal = store::complaints::calendar(db).await?;
    let cats = store::complaints::all_categories(db).await?;
    for (slug, cat, recent, earlier, text) in COMPLAINTS {
        let (Some(unit), Some(c)) = (
            store::units::by_slug(db, slug).await?,
            cats.values().find(|c| c.code == *cat),
        ) else {
            continue;
        };
        for i in 0..(recent + earlier) {
            let ago = if i < *recent {
                1 + rng.below(89) as i64
            } else {
                91 + rng.below(89) as i64
            };
            let day = today - Duration::days(ago);
            let now = day.and_hms_opt(3, 0, 0).unwrap_or_default().and_utc();
            let m = store::complaints::create(
                db,
                store::complaints::NewComplaint {
                    unit_id: unit.id,
                    service_id: None,
                    kind: "pengaduan".into(),
                    category_id: c.id,
                    description: (*text).into(),
                    incident_date: Some(day),
                    wait_minutes: None,
                    visits: None,
                    fee_paid: None,
                    contact_name: None,
                    contact_email: None,
                    contact_phone: None,
                    anonim: true,
                    rahasia: i % 7 == 3,
                    lang: "id".into(),
                    deadlines: deadlines(&cal, day, c.resolve_days.max(1) as u32),
                    now,
                    channel: "web".into(),
                    reply_to: None,
                    notify_via: None,
                },
            )
            .await?;
            if ago > 20 {
                let mut a: entity::complaint::ActiveModel = m.into();
                a.status = Set("closed".into());
                a.verified_at = Set(Some(now + Duration::days(1)));
                a.first_response_at = Set(Some(now + Duration::days(1)));
                a.resolved_at = Set(Some(now + Duration::days(4 + rng.below(8) as i64)));
                a.closed_at = Set(Some(now + Duration::days(16)));
                store::complaints::save(db, a).await?;
            }
        }
    }
    Ok(())
}

/// The two completed trainings, proposed from what the engine saw before them.
async fn trainings(db: &DatabaseConnection, today: NaiveDate) -> anyhow::Result<()> {
    // The catalogue is seeded by start-up before this runs.
    let units = store::units::list(db, false).await?;
    for (slug, rule_code, programme, done_ago, participants) in [
        (
            "samsat-kota-jambi",
            "perilaku-petugas",
            "pelayanan-prima",
            SAMSAT_DONE,
            30,
        ),
        (
            "puskesmas-paal-x",
            "kompetensi-pelaksana",
            "bimtek-teknis",
            PUSKESMAS_DONE,
            20,
        ),
    ] {
        let Some(u) = units.iter().find(|u| u.slug == slug) else {
            continue;
        };
        let (Some(rule), Some(prog)) = (
            store::training::catalogue::rule_by_code(db, rule_code).await?,
            store::training::catalogue::programme_by_code(db, programme).await?,
        ) else {
            continue;
        };
        let def: RuleDef = store::training::catalogue::parse_rule(&rule)?;
        let done = today - Duration::days(done_ago);
        let start = done - Duration::days(1);
        let proposed_on = start - Duration::days(45);
        let signals = store::training::signals::gather(
            db,
            std::slice::from_ref(u),
            proposed_on,
            def.window_days,
        )
        .await?;
        let Some(finding) = signals.first().and_then(|s| evaluate(&def, s)) else {
            tracing::warn!(
                unit = slug,
                "demo history: the rule did not fire before the training"
            );
            continue;
        };
        let at = |d: NaiveDate| d.and_hms_opt(2, 0, 0).unwrap_or_default().and_utc();
        let r = entity::training_recommendation::ActiveModel {
            unit_id: Set(u.id),
            rule_id: Set(rule.id),
            programme_id: Set(prog.id),
            status: Set("completed".into()),
            open_key: Set(None),
            priority: Set(finding.priority),
            level: Set(finding.level.clone()),
            finding: Set(serde_json::to_string(&finding)?),
            rule_snapshot: Set(serde_json::to_string(&def)?),
            start_date: Set(Some(start)),
            end_date: Set(Some(done)),
            participants: Set(Some(participants)),
            jp: Set(Some(prog.jp)),
            completed_on: Set(Some(done)),
            created_at: Set(at(proposed_on)),
            updated_at: Set(at(done)),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let steps = [
            (
                proposed_on,
                "Suara",
                "proposed",
                None,
                "proposed",
                finding.explanation_id.clone(),
            ),
            (
                proposed_on + Duration::days(5),
                "Perencana BKD (demo)",
                "accept",
                Some("proposed"),
                "accepted",
                String::new(),
            ),
            (
                proposed_on + Duration::days(12),
                "Perencana BKD (demo)",
                "schedule",
                Some("accepted"),
                "scheduled",
                format!("{start} – {done}, {participants} peserta × {} JP", prog.jp),
            ),
            (
                done,
                "Perencana BKD (demo)",
                "complete",
                Some("scheduled"),
                "completed",
                String::new(),
            ),
        ];
        for (d, actor, kind, from, to, body) in steps {
            entity::training_event::ActiveModel {
                recommendation_id: Set(r.id),
                at: Set(at(d)),
                actor_user_id: Set(None),
                actor_label: Set(actor.into()),
                kind: Set(kind.into()),
                from_status: Set(from.map(str::to_string)),
                to_status: Set(Some(to.into())),
                body: Set((!body.is_empty()).then_some(body)),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Whether the demo history is still to be written: demo units exist but have no responses.
pub async fn wanted(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    let Some(u) = store::units::by_slug(db, "rsud-raden-mattaher").await? else {
        return Ok(false);
    };
    Ok(store::responses::count_for_unit(db, u.id).await? == 0)
}
