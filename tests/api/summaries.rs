//! The per unit quarter and year summaries: after intake of every kind (responses on dates out
//! of order and long past, complaints moving through their states) they hold exactly what a
//! rebuild from the monthly cells and a rebuild from the rows give, and an overview read from
//! them has the confidence intervals worked from the answers themselves.
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use suara::domain::stats::Summary;
use suara::store::analytics::{Codes, by_unit};

use crate::analytics::{act, respond_for};
use crate::helpers::{TestApp, spawn_app};

const UNIT: &str = "disdukcapil-kota-jambi";
const RSUD: &str = "rsud-raden-mattaher";

type Cells = BTreeMap<String, (i64, f64, f64)>;

/// Every summary row, (period, unit) → its cells.
async fn dump(app: &TestApp) -> BTreeMap<(String, i32), Cells> {
    let db = &app.state.db;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT period, unit_id, cells FROM rollup_unit_period",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                (
                    r.try_get::<String>("", "period").unwrap(),
                    r.try_get::<i32>("", "unit_id").unwrap(),
                ),
                suara::domain::summary_cells::decode(&r.try_get::<Vec<u8>>("", "cells").unwrap())
                    .expect("cells that decode"),
            )
        })
        .collect()
}

/// Counts equal; sums equal but for the last bits of a non-integer value added in another
/// order (the IKM of one response is a ninth of a sum: 2.888…).
pub fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

/// What differs between two dumps (empty when they agree).
fn differences(
    a: &BTreeMap<(String, i32), Cells>,
    b: &BTreeMap<(String, i32), Cells>,
) -> Vec<String> {
    let mut out = vec![];
    let keys: std::collections::BTreeSet<_> = a.keys().chain(b.keys()).collect();
    for k in keys {
        let (x, y) = (
            a.get(k).cloned().unwrap_or_default(),
            b.get(k).cloned().unwrap_or_default(),
        );
        let codes: std::collections::BTreeSet<_> = x.keys().chain(y.keys()).collect();
        for c in codes {
            let ok = match (x.get(c), y.get(c)) {
                (Some((n, s, ss)), Some((m, t, tt))) => n == m && close(*s, *t) && close(*ss, *tt),
                _ => false,
            };
            if !ok {
                out.push(format!("{k:?} {c}: {:?} vs {:?}", x.get(c), y.get(c)));
            }
        }
    }
    out
}

/// The same counts, and sums equal but for the last bits (`close`).
pub fn same_sums(
    a: &HashMap<i32, HashMap<String, Summary>>,
    b: &HashMap<i32, HashMap<String, Summary>>,
) -> bool {
    a.len() == b.len()
        && a.iter().all(|(u, x)| {
            b.get(u).is_some_and(|y| {
                x.len() == y.len()
                    && x.iter().all(|(c, p)| {
                        y.get(c).is_some_and(|q| {
                            p.n == q.n && close(p.sum, q.sum) && close(p.sumsq, q.sumsq)
                        })
                    })
            })
        })
}

fn quarter_bounds(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(d.year(), (d.month() - 1) / 3 * 3 + 1, 1).unwrap();
    let next = first.checked_add_months(chrono::Months::new(3)).unwrap();
    (first, next.pred_opt().unwrap())
}

#[actix_web::test]
async fn summaries_equal_rebuilds_and_their_intervals_those_of_the_answers() {
    let app = spawn_app().await;
    let today = suara::service::today_wib();
    // Last quarter, whole: the overview reads it from the summaries alone.
    let (q_from, q_to) = quarter_bounds(quarter_bounds(today).0 - Duration::days(1));
    // Answers delivered out of order: last quarter's days interleaved with today, a day 400
    // days back (a backfill), and one the day before the quarter starts (kept out of it).
    let mut u1_in_quarter = vec![];
    let plan: Vec<(NaiveDate, i64)> = vec![
        (q_from + Duration::days(40), 3),
        (today, 4),
        (q_to, 1),
        (today - Duration::days(400), 2),
        (q_from, 4),
        (q_from - Duration::days(1), 1),
        (q_from + Duration::days(10), 2),
        (q_from + Duration::days(40), 4),
    ];
    let unit = suara::store::units::by_slug(&app.state.db, UNIT)
        .await
        .unwrap()
        .unwrap();
    let service = suara::store::units::services(&app.state.db, unit.id, false)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.standard_minutes.is_some())
        .expect("a service with a standard");
    for (i, (day, u1)) in plan.iter().enumerate() {
        let mut u = [3; 9];
        u[0] = *u1;
        respond_for(
            &app,
            &day.format("%Y-%m-%d").to_string(),
            u,
            10 + i as i64 * 7,
            1,
            Some(&service),
        )
        .await;
        if (q_from..=q_to).contains(day) {
            u1_in_quarter.push(*u1 as f64);
        }
    }
    // Complaints of another unit, moved through states (their cells are added and taken away).
    let sup = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    for category in ["waktu_tunggu", "prosedur", "waktu_tunggu"] {
        let r = app
            .post_json(
                "/api/v1/complaints",
                &json!({"unit": RSUD, "kind": "pengaduan", "category": category, "anonim": true,
                        "description": "Antrean pendaftaran tidak bergerak selama dua jam."}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let id = r.json()["tracking_id"].as_str().unwrap().to_string();
        act(&app, &sup, &id, "verify").await;
        if category == "prosedur" {
            act(&app, &sup, &id, "start").await;
        }
    }

    let kept = dump(&app).await;
    let periods: Vec<&str> = kept.keys().map(|k| k.0.as_str()).collect();
    assert!(periods.iter().any(|p| p.contains("-Q")) && periods.iter().any(|p| p.len() == 4));
    // From the monthly cells: the same cells.
    let txn = suara::store::begin_write(&app.state.db).await.unwrap();
    suara::store::summaries::rebuild_all(&txn).await.unwrap();
    txn.commit().await.unwrap();
    let again = dump(&app).await;
    let d = differences(&again, &kept);
    assert!(
        d.is_empty(),
        "summaries = a rebuild from the monthly cells: {d:#?}"
    );
    // From the rows (`suara rollup rebuild`): the same cells again.
    suara::store::responses::rebuild_rollups(&app.state.db, |_| {})
        .await
        .unwrap();
    let again = dump(&app).await;
    let d = differences(&again, &kept);
    assert!(d.is_empty(), "summaries = a rebuild from the rows: {d:#?}");

    // Whole quarters and years read from the summaries equal the cells summed month by month.
    let db = &app.state.db;
    for (from, to) in [
        (q_from, q_to),
        (
            NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(today.year() - 1, 12, 31).unwrap(),
        ),
        (today - Duration::days(420), today),
    ] {
        let fast = by_unit(db, None, from, to, Codes::NoProfile).await.unwrap();
        let mut cells = by_unit(db, None, from, to, Codes::All).await.unwrap();
        for c in cells.values_mut() {
            c.retain(|code, _| !code.starts_with("_P:"));
        }
        assert!(
            same_sums(&fast, &cells),
            "{from} – {to}: {fast:?}\n{cells:?}"
        );
    }

    // The overview of the quarter: U1's mean and interval as worked from the answers.
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let o = app
        .get_as(
            &planner,
            &format!("/api/v1/analytics/overview?from={q_from}&to={q_to}"),
        )
        .await;
    assert_eq!(o.status, 200, "{}", o.body);
    let row = o.json()["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == UNIT)
        .cloned()
        .unwrap();
    assert_eq!(row["responses"], u1_in_quarter.len());
    let n = u1_in_quarter.len() as u64;
    let s: f64 = u1_in_quarter.iter().sum();
    let ss: f64 = u1_in_quarter.iter().map(|x| x * x).sum();
    let want = Summary::new(n, s, ss);
    // Suppressed below the minimum cell: compare the sums the measures are made of instead.
    let sums = by_unit(db, None, q_from, q_to, Codes::Only(&["U1"]))
        .await
        .unwrap();
    let unit = suara::store::units::by_slug(db, UNIT)
        .await
        .unwrap()
        .unwrap();
    let got = sums[&unit.id]["U1"];
    assert_eq!(got, want);
    assert_eq!(got.ci95(), want.ci95());
}

/// Two writers (two nodes on PostgreSQL) adding to one unit's quarter at once: both additions
/// are in its summary, none lost.
#[actix_web::test]
async fn two_writers_racing_on_one_quarter_both_count() {
    let app = spawn_app().await;
    let unit = suara::store::units::by_slug(&app.state.db, UNIT)
        .await
        .unwrap()
        .unwrap();
    let day = suara::service::today_wib();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
    let mut tasks = vec![];
    for v in [2.0, 4.0] {
        let (db, barrier) = (app.state.db.clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            let mut sums = HashMap::new();
            sums.insert((unit.id, day, "U1".to_string()), (1i64, v, v * v));
            barrier.wait().await;
            let txn = suara::store::begin_write(&db).await.unwrap();
            suara::store::rollups::upsert_rollups(&txn, sums)
                .await
                .unwrap();
            txn.commit().await.unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let quarter = suara::domain::summary_cells::quarter_of(day);
    let got = dump(&app).await[&(quarter, unit.id)]["U1"];
    assert_eq!(got, (2, 6.0, 20.0));
}
