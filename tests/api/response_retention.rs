//! `SUARA_RESPONSE_RETENTION_MONTHS`: raw responses of whole months past the retention go (on
//! PostgreSQL their monthly partitions, detached and dropped or only detached), and every
//! figure over those months stays what it was, also after `suara rollup rebuild`.
use chrono::{Duration, NaiveDate};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use suara::domain::retention::ResponseRetention;
use suara::service::retention::expire_responses;
use suara::store::analytics::{Codes, by_unit};

use crate::analytics::{respond_for, service_with_standard};
use crate::helpers::{TestApp, spawn_app};
use crate::summaries::same_sums;

const UNIT: &str = "disdukcapil-kota-jambi";

type Figures = std::collections::HashMap<
    i32,
    std::collections::HashMap<String, suara::domain::stats::Summary>,
>;

/// The (unit, code) cells that differ, for a failure's message.
fn diff(a: &Figures, b: &Figures) -> Vec<String> {
    let mut out = vec![];
    for (u, x) in a {
        for (c, p) in x {
            let q = b.get(u).and_then(|y| y.get(c));
            if q.is_none_or(|q| q.n != p.n) {
                out.push(format!("{u} {c}: {p:?} vs {q:?}"));
            }
        }
    }
    for (u, y) in b {
        for c in y.keys() {
            if a.get(u).is_none_or(|x| !x.contains_key(c)) {
                out.push(format!("{u} {c}: missing"));
            }
        }
    }
    out
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let db = &app.state.db;
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

/// Responses on both sides of the horizon; returns the horizon and the old days.
async fn responses_around(app: &TestApp, r: ResponseRetention) -> (NaiveDate, Vec<NaiveDate>) {
    let today = suara::service::today_wib();
    let keep_from = r.keep_from(today);
    let old = vec![
        keep_from - Duration::days(1),
        keep_from - Duration::days(40),
        keep_from - Duration::days(400),
    ];
    let service = service_with_standard(app).await;
    for (i, day) in old.iter().chain([&keep_from, &today]).enumerate() {
        let mut u = [3; 9];
        u[0] = 1 + (i as i64 % 4);
        let wait = 15 + 10 * i as i64;
        respond_for(app, &day.to_string(), u, wait, 1, Some(&service)).await;
    }
    // Rows of past months landed in PostgreSQL's default partition; the daily upkeep gives
    // each month its own partition, as it would have had when the rows were new.
    suara::store::partitions::ensure(&app.state.db, today)
        .await
        .unwrap();
    (keep_from, old)
}

#[actix_web::test]
async fn old_responses_go_and_their_figures_stay() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let today = suara::service::today_wib();
    let r = ResponseRetention {
        months: 12,
        detach_only: false,
    };
    let (keep_from, old) = responses_around(&app, r).await;
    let first = today - Duration::days(800);
    let figures = |from, to| by_unit(db, None, from, to, Codes::All);
    let all_before = figures(first, today).await.unwrap();
    let old_before = figures(first, keep_from - Duration::days(1)).await.unwrap();
    assert!(!old_before.is_empty(), "the old months have figures");
    let rows_before = count(&app, "SELECT COUNT(*) FROM responses").await;

    let removed = expire_responses(db, today, r).await.unwrap();
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM responses").await,
        rows_before - old.len() as i64,
        "the three old responses are gone, the two new ones kept"
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM responses WHERE local_date < '{keep_from}'")
        )
        .await,
        0
    );
    let old_month = |d: NaiveDate| suara::store::partitions::month_of(d);
    if db.get_database_backend() == DbBackend::Postgres {
        let want: Vec<String> = {
            let mut m: Vec<_> = old.iter().map(|d| old_month(*d)).collect();
            m.sort();
            m.dedup();
            m.into_iter().map(migration::partitions::name).collect()
        };
        assert_eq!(removed.partitions, want, "whole monthly partitions dropped");
        let left = suara::store::partitions::list(db).await.unwrap();
        assert!(!left.iter().any(|t| want.contains(t)), "{left:?}");
        assert!(left.contains(&migration::partitions::name(old_month(keep_from))));
        for t in &want {
            let gone = count(
                &app,
                &format!("SELECT COUNT(*) FROM pg_class WHERE relname = '{t}'"),
            )
            .await;
            assert_eq!(gone, 0, "{t} dropped, not only detached");
        }
    } else {
        assert_eq!(removed.rows, old.len() as u64);
    }
    assert_eq!(
        suara::store::response_retention::kept_since(db)
            .await
            .unwrap(),
        Some(keep_from)
    );

    // Every figure is what it was, and stays so after a rebuild of the cells from the rows.
    let all_after = figures(first, today).await.unwrap();
    assert!(
        same_sums(&all_after, &all_before),
        "{:?}",
        diff(&all_after, &all_before)
    );
    suara::store::responses::rebuild_rollups(db, |_| {})
        .await
        .unwrap();
    assert!(
        same_sums(
            &figures(first, keep_from - Duration::days(1)).await.unwrap(),
            &old_before
        ),
        "a rebuild keeps the cells of the removed months"
    );
    let rebuilt = figures(first, today).await.unwrap();
    assert!(
        same_sums(&rebuilt, &all_before),
        "{:?}",
        diff(&rebuilt, &all_before)
    );

    // A second run finds nothing; the raw export of the old months is its header alone.
    let again = expire_responses(db, today, r).await.unwrap();
    assert!(again.partitions.is_empty() && again.rows == 0, "{again:?}");
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let csv = app
        .get_as(
            &planner,
            &format!(
                "/api/v1/units/{UNIT}/responses?from={first}&to={}",
                keep_from - Duration::days(1)
            ),
        )
        .await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert_eq!(csv.body.trim_end().lines().count(), 1, "{}", csv.body);
}

#[actix_web::test]
async fn detached_partitions_stay_as_tables_for_an_archive() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let r = ResponseRetention {
        months: 6,
        detach_only: true,
    };
    let (keep_from, old) = responses_around(&app, r).await;
    let removed = expire_responses(db, suara::service::today_wib(), r)
        .await
        .unwrap();
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM responses WHERE local_date < '{keep_from}'")
        )
        .await,
        0
    );
    if db.get_database_backend() != DbBackend::Postgres {
        // SQLite has no partitions: the rows are deleted whatever the setting.
        assert_eq!(removed.rows, old.len() as u64);
        return;
    }
    assert!(!removed.partitions.is_empty());
    let mut archived = 0;
    for t in &removed.partitions {
        archived += count(&app, &format!("SELECT COUNT(*) FROM \"{t}\"")).await;
    }
    assert_eq!(
        archived,
        old.len() as i64,
        "the detached tables hold the old rows"
    );
}
