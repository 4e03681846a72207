//! Operations: `/metrics` behind its token, and a backup taken while the app serves.
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const UNIT: &str = "disdukcapil-kota-jambi";

fn response(u1: i64) -> Value {
    json!({
        "answers": {"U1": u1, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 3, "U9": 3},
        "service": "ktp-el",
        "channel": "kiosk"
    })
}

/// The value of the series whose line starts with `series` (name and labels as rendered).
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0)
}

async fn scrape(app: &TestApp) -> String {
    let r = app
        .get_with("/metrics", &[("authorization", "Bearer s3cret-metrics")])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("text/plain"))
    );
    r.body
}

#[actix_web::test]
async fn metrics_need_their_token_and_move_after_a_response() {
    let off = spawn_app().await;
    assert_eq!(
        off.get("/metrics").await.status,
        404,
        "no token set: no route"
    );

    let app = spawn_app_with(&[("SUARA_METRICS_TOKEN", "s3cret-metrics")]).await;
    assert_eq!(app.get("/metrics").await.status, 401);
    let wrong = app
        .get_with("/metrics", &[("authorization", "Bearer nope")])
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.body.is_empty(), "nothing leaks without the token");

    // Other tests in this process count too: compare before and after, never absolute values.
    let accepted = r#"suara_responses_accepted_total{channel="kiosk"}"#;
    let route = r#"suara_http_request_duration_seconds_count{route="/api/v1/units/{slug}/responses",method="POST",status="201"}"#;
    let before = scrape(&app).await;
    let r = app
        .post_json(&format!("/api/v1/units/{UNIT}/responses"), &response(4))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let after = scrape(&app).await;
    assert!(
        sample(&after, accepted) >= sample(&before, accepted) + 1.0,
        "{after}"
    );
    assert!(
        sample(&after, route) >= sample(&before, route) + 1.0,
        "{after}"
    );
    assert!(
        !after.contains(&format!("route=\"/api/v1/units/{UNIT}")),
        "routes are labelled by pattern, not by path"
    );
    for name in [
        "suara_response_batch_size_bucket",
        "suara_outbox_pending{transport=\"email\"}",
        "suara_outbox_oldest_pending_age_seconds{transport=\"sms\"}",
        "suara_db_pool_connections{state=\"in_use\"}",
        "suara_db_pool_max_connections",
    ] {
        assert!(after.contains(name), "{name} missing from\n{after}");
    }
}

#[actix_web::test]
async fn a_complaint_and_a_rate_limited_post_are_counted() {
    let app = spawn_app_with(&[
        ("SUARA_METRICS_TOKEN", "s3cret-metrics"),
        ("SUARA_PUBLIC_RATE_PER_MIN", "1"),
        ("SUARA_PUBLIC_RATE_BURST", "1"),
    ])
    .await;
    let filed = r#"suara_complaints_filed_total{channel="api"}"#;
    let limited = r#"suara_rate_limited_total{limit="public"}"#;
    let before = scrape(&app).await;
    let c = app
        .post_json(
            "/api/v1/complaints",
            &json!({"unit": UNIT, "kind": "pengaduan", "category": "waktu_tunggu",
                    "description": "Antrean sangat panjang dan tidak ada nomor antrean."}),
        )
        .await;
    assert_eq!(c.status, 201, "{}", c.body);
    let again = app
        .post_json(&format!("/api/v1/units/{UNIT}/responses"), &response(3))
        .await;
    assert_eq!(again.status, 429);
    let after = scrape(&app).await;
    assert!(
        sample(&after, filed) >= sample(&before, filed) + 1.0,
        "{after}"
    );
    assert!(
        sample(&after, limited) >= sample(&before, limited) + 1.0,
        "{after}"
    );
}

/// Backs up while responses keep arriving, then restores the copy: every response acknowledged
/// before the backup began is in it, and its rollups count exactly the responses it holds (one
/// committed state, not a torn one). SQLite: `VACUUM INTO`, the copy opened by a new app;
/// PostgreSQL: `pg_dump`, restored with `pg_restore` into a new database.
#[actix_web::test]
async fn a_backup_taken_while_serving_restores_every_response() {
    let app = spawn_app().await;
    let sqlite = app.state.db.get_database_backend() == sea_orm::DbBackend::Sqlite;
    if !sqlite
        && std::process::Command::new("pg_restore")
            .arg("--version")
            .output()
            .is_err()
    {
        eprintln!("pg_restore is not installed: the PostgreSQL round trip is skipped");
        return;
    }
    let url = format!("/api/v1/units/{UNIT}/responses");
    let mut acknowledged = vec![];
    for i in 0..40 {
        let r = app.post_json(&url, &response(1 + i % 4)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        acknowledged.push(r.json()["id"].as_i64().unwrap());
    }
    // Keep writing while the backup runs.
    let (stop_tx, mut stop_rx) = tokio::sync::oneshot::channel::<()>();
    let writer = {
        let client = app.client.clone();
        let target = format!("{}{url}", app.addr);
        actix_web::rt::spawn(async move {
            let mut n = 0;
            loop {
                if stop_rx.try_recv().is_ok() {
                    return n;
                }
                let r = client.post(&target).send_json(&response(2)).await;
                if r.is_ok_and(|r| r.status() == 201) {
                    n += 1;
                }
            }
        })
    };
    actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    let dir =
        std::env::temp_dir().join(format!("suara-backup-{}", crate::helpers::random_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(if sqlite { "copy.db" } else { "copy.dump" });
    let database_url = &app.state.settings.database_url;
    let report = suara::bootstrap::backup::backup(&app.state.db, database_url, &file)
        .await
        .expect("backup while serving");
    let _ = stop_tx.send(());
    let during = writer.await.unwrap();
    assert!(during > 0, "the app kept serving");
    assert!(report.bytes > 0);

    // A second backup to the same file is refused; the copy is untouched.
    let again = suara::bootstrap::backup::backup(&app.state.db, database_url, &file).await;
    assert!(again.unwrap_err().to_string().contains("already exists"));

    // Restore.
    let (db, restored, pg_db) = if sqlite {
        let restored = spawn_app_with(&[
            (
                "DATABASE_URL",
                &format!("sqlite://{}?mode=rw", file.display()),
            ),
            ("SUARA_SEED_DEMO", "false"),
        ])
        .await;
        (restored.state.db.clone(), Some(restored), None)
    } else {
        let admin_url = std::env::var("TEST_DATABASE_URL").unwrap();
        let name = format!("suara_restore_{}", crate::helpers::random_suffix());
        let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
        sea_orm::ConnectionTrait::execute_unprepared(&admin, &format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let target = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
        let out = std::process::Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "--dbname", &target])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let db = sea_orm::Database::connect(&target).await.unwrap();
        (db, None, Some((admin, name)))
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let ids: Vec<i64> = entity::response::Entity::find()
        .select_only()
        .column(entity::response::Column::Id)
        .into_tuple()
        .all(&db)
        .await
        .unwrap();
    for id in &acknowledged {
        assert!(ids.contains(id), "response {id} missing from the backup");
    }
    if sqlite {
        let counted = report
            .counts
            .iter()
            .find(|(t, _)| *t == "responses")
            .unwrap()
            .1;
        assert_eq!(counted, ids.len() as u64, "the report counts the copy");
    }
    let rollup_n: Vec<i64> = entity::rollup_unit_day::Entity::find()
        .select_only()
        .column(entity::rollup_unit_day::Column::N)
        .filter(entity::rollup_unit_day::Column::Code.eq("*"))
        .into_tuple()
        .all(&db)
        .await
        .unwrap();
    assert_eq!(
        rollup_n.iter().sum::<i64>(),
        ids.len() as i64,
        "the rollups in the copy count exactly its responses"
    );
    if let Some(restored) = &restored {
        let ikm = restored
            .get(&format!("/api/v1/units/{UNIT}/ikm"))
            .await
            .json();
        assert_eq!(ikm["responses"], ids.len());
    }
    let _ = db.close().await;
    if let Some((admin, name)) = pg_db {
        let _ = sea_orm::ConnectionTrait::execute_unprepared(
            &admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A reply that cannot be sent (no SMS gateway configured) waits in the outbox: the queue gauges
/// read it from the database at scrape time, and the failed attempts are counted.
#[actix_web::test]
async fn an_unsendable_reply_shows_in_the_outbox_gauges_and_failures() {
    let app = spawn_app_with(&[
        ("SUARA_METRICS_TOKEN", "s3cret-metrics"),
        ("SUARA_MAIL_RETRY_MS", "100"),
    ])
    .await;
    let failures = r#"suara_outbox_send_failures_total{transport="sms"}"#;
    let before = sample(&scrape(&app).await, failures);
    suara::store::outbox::enqueue_chat(&app.state.db, "sms", "+6281100000001", "Terima kasih")
        .await
        .unwrap();
    let mut text = String::new();
    for _ in 0..100 {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        text = scrape(&app).await;
        let pending = sample(&text, r#"suara_outbox_pending{transport="sms"}"#);
        let age = sample(
            &text,
            r#"suara_outbox_oldest_pending_age_seconds{transport="sms"}"#,
        );
        if sample(&text, failures) > before && pending >= 1.0 && age > 0.0 {
            break;
        }
    }
    assert!(sample(&text, failures) > before, "{text}");
    assert!(
        sample(&text, r#"suara_outbox_pending{transport="sms"}"#) >= 1.0,
        "{text}"
    );
    assert!(
        sample(
            &text,
            r#"suara_outbox_oldest_pending_age_seconds{transport="sms"}"#
        ) > 0.0,
        "{text}"
    );
}
