//! Demo stamps from RSUD's queue machine: the outpatient clinic's and the pharmacy's tickets of
//! the last 120 days, so the hospital's analytics show measured waits beside the remembered
//! ones. The clinic's waits grow as the survey's do (people remember waits a little longer than
//! the machine stamps them); the pharmacy's stay near its standard.
use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::DatabaseConnection;

use crate::domain::queue::{QueueEvent, measure_day};
use crate::seed::rng::Rng;
use crate::store;

const DAYS: i64 = 120;

/// A queue: (service slug, tickets a weekday, median wait `ago` days back, minutes).
type Queue = (&'static str, f64, fn(i64) -> f64);

const QUEUES: &[Queue] = &[
    ("rawat-jalan", 150.0, |ago| {
        150.0 - 90.0 * (ago as f64 / 180.0)
    }),
    ("farmasi", 80.0, |_| 24.0),
];

pub async fn seed(db: &DatabaseConnection, today: NaiveDate, rng: &mut Rng) -> anyhow::Result<()> {
    let Some(unit) = store::units::by_slug(db, "rsud-raden-mattaher").await? else {
        return Ok(());
    };
    let standards: HashMap<String, u32> = store::units::services(db, unit.id, false)
        .await?
        .into_iter()
        .filter_map(|s| Some((s.slug, u32::try_from(s.standard_minutes?).ok()?)))
        .collect();
    for ago in (1..=DAYS).rev() {
        let day = today - Duration::days(ago);
        let share = match day.weekday() {
            chrono::Weekday::Sat => 0.3,
            chrono::Weekday::Sun => continue,
            _ => 1.0,
        };
        let opens = Utc.from_utc_datetime(&day.and_hms_opt(0, 30, 0).unwrap_or_default());
        let mut events = vec![];
        for (service, per_day, median) in QUEUES {
            let n = (per_day * share).round() as usize;
            for i in 0..n {
                let ticket = format!("{}{:03}", &service[..1].to_uppercase(), i + 1);
                let issued = opens + Duration::seconds(rng.below(6 * 3600) as i64);
                let wait = (median(ago) * (0.45 * rng.normal()).exp()).clamp(1.0, 480.0);
                let called = issued + Duration::seconds((wait * 60.0) as i64);
                let mut stamp = |event: &'static str, at| {
                    events.push(QueueEvent {
                        unit: None,
                        service: service.to_string(),
                        ticket: ticket.clone(),
                        event,
                        at,
                        day,
                        counter: Some((1 + i % 4).to_string()),
                    })
                };
                stamp("issued", issued);
                if rng.f64() < 0.03 {
                    stamp("no_show", called);
                    continue;
                }
                stamp("called", called);
                stamp("started", called + Duration::seconds(30));
                let served = 8 * 60 + rng.below(12 * 60) as i64;
                stamp("finished", called + Duration::seconds(30 + served));
            }
        }
        store::queue::insert(db, unit.id, &events).await?;
        let stamps = store::queue::day_stamps(db, unit.id, day).await?;
        let cells = measure_day(stamps, |s| standards.get(s).copied());
        store::queue::replace_day(db, unit.id, day, cells).await?;
    }
    Ok(())
}
