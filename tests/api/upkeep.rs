//! The upkeep the timers run (`bootstrap::jobs`), called directly with time moved by writing
//! past timestamps: resolved complaints close after the reopen window, expired staff sessions stop
//! working and are purged, submission keys are forgotten after their promise; and the first start
//! of the binary creates one administrator, once.
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

const RSUD: &str = "rsud-raden-mattaher";

async fn file(app: &TestApp, key: Option<&str>, description: &str) -> String {
    let body = json!({
        "unit": RSUD,
        "kind": "pengaduan",
        "category": "waktu_tunggu",
        "description": description,
    });
    let headers: Vec<(&str, &str)> = key.map(|k| ("idempotency-key", k)).into_iter().collect();
    let r = app
        .call(
            "POST",
            "/api/v1/complaints",
            crate::helpers::Body::Json(&body),
            &headers,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["tracking_id"].as_str().unwrap().to_string()
}

async fn complaint(app: &TestApp, tracking_id: &str) -> entity::complaint::Model {
    entity::complaint::Entity::find()
        .filter(entity::complaint::Column::TrackingId.eq(tracking_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Marks a complaint resolved at `at` (as the workflow would have).
async fn resolve_at(app: &TestApp, tracking_id: &str, at: chrono::DateTime<Utc>) {
    let mut m = complaint(app, tracking_id).await.into_active_model();
    m.status = Set("resolved".into());
    m.resolved_at = Set(Some(at));
    m.update(&app.state.db).await.unwrap();
}

#[actix_web::test]
async fn resolved_complaints_close_after_the_reopen_window_and_not_before() {
    let app = spawn_app().await;
    let old = file(
        &app,
        None,
        "Antrean poliklinik empat jam, sudah lama sekali.",
    )
    .await;
    let fresh = file(&app, None, "Loket pendaftaran tutup sebelum jam layanan.").await;
    // Ten working days are at most two weeks and a few holidays: 40 days is past the window.
    resolve_at(&app, &old, Utc::now() - Duration::days(40)).await;
    resolve_at(&app, &fresh, Utc::now() - Duration::hours(1)).await;

    let closed = suara::service::complaints::close_expired(&app.state)
        .await
        .unwrap();
    assert_eq!(closed, 1);
    let c = complaint(&app, &old).await;
    assert_eq!(c.status, "closed");
    assert!(c.closed_at.is_some());
    assert_eq!(complaint(&app, &fresh).await.status, "resolved");
    // The closing is on the public history, by the system.
    let r = app.get(&format!("/api/v1/complaints/{old}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "closed");
    // A second run has nothing left to close.
    assert_eq!(
        suara::service::complaints::close_expired(&app.state)
            .await
            .unwrap(),
        0
    );
}

#[actix_web::test]
async fn an_expired_session_is_refused_and_purged_while_a_live_one_stays() {
    let app = spawn_app().await;
    app.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let user = suara::store::users::find_by_email(&app.state.db, "sup@rsud.id")
        .await
        .unwrap()
        .unwrap();
    let live = suara::store::users::create_session(&app.state.db, user.id, 8)
        .await
        .unwrap();
    let expired = suara::store::users::create_session(&app.state.db, user.id, -1)
        .await
        .unwrap();
    let page = |token: String| {
        let app = &app;
        async move {
            let cookie = format!("{}={token}", suara::web::auth::SESSION_COOKIE);
            app.call(
                "GET",
                "/staff",
                crate::helpers::Body::None,
                &[("cookie", cookie.as_str())],
            )
            .await
        }
    };
    assert_eq!(page(live.clone()).await.status, 200);
    let r = page(expired.clone()).await;
    assert!(
        (300..400).contains(&r.status)
            && r.header("location").unwrap_or_default().contains("/login"),
        "an expired session goes to the login page, got {} {:?}",
        r.status,
        r.header("location")
    );

    let purged = suara::store::users::purge_expired_sessions(&app.state.db)
        .await
        .unwrap();
    // The app's own upkeep tick runs at start-up too; on a loaded machine it may get there
    // first. Either way exactly the expired session is gone (checked below).
    assert!(purged <= 1, "{purged}");
    assert_eq!(
        page(live).await.status,
        200,
        "the live session survives the purge"
    );
    let left = entity::session::Entity::find()
        .filter(entity::session::Column::UserId.eq(user.id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(left.len(), 1);
    assert!(left[0].expires_at > Utc::now());
}

#[actix_web::test]
async fn a_submission_key_answers_its_first_complaint_until_it_is_purged() {
    let app = spawn_app().await;
    let text = "Petugas meminta biaya tambahan tanpa kuitansi.";
    let first = file(&app, Some("kunci-1"), text).await;
    // The job's cutoff is 48 hours back: a fresh key survives it, and its retry answers the
    // first complaint.
    let purged =
        suara::store::idempotency::purge_before(&app.state.db, Utc::now() - Duration::hours(48))
            .await
            .unwrap();
    assert_eq!(purged, 0);
    assert_eq!(file(&app, Some("kunci-1"), text).await, first);

    // Three days later the key is older than the cutoff: purged, and the same request is new.
    let rows = entity::idempotency_key::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    for r in rows {
        let mut m = r.into_active_model();
        m.created_at = Set(Utc::now() - Duration::days(3));
        m.update(&app.state.db).await.unwrap();
    }
    let purged =
        suara::store::idempotency::purge_before(&app.state.db, Utc::now() - Duration::hours(48))
            .await
            .unwrap();
    assert_eq!(purged, 1);
    let again = file(&app, Some("kunci-1"), text).await;
    assert_ne!(again, first, "a forgotten key files anew");
}

/// `suara serve` on a database with no staff creates `admin@suara.local` with a one-time
/// password it logs; a second start finds staff and creates nobody.
#[test]
fn the_first_start_creates_one_administrator_once() {
    use std::io::{BufRead, BufReader};
    let dir = std::env::temp_dir().join(format!("suara-first-{}", crate::helpers::random_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/suara.db?mode=rwc", dir.display());
    // Starts the server, returns the first-administrator line if it logs one, then stops it.
    let start = || {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_suara"))
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("SUARA_DATA_DIR", &dir)
            .env("SUARA_PORT", port.to_string())
            .env("SUARA_SEED_DEMO_HISTORY", "false")
            .env("SUARA_TRAINING_INTERVAL_MINS", "0")
            .env("SUARA_DIGEST_HOUR", "off")
            .env("SUARA_MAIL_TRANSPORT", "log")
            .env("SUARA_LOG", "warn,suara=info")
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let mut admin_line = None;
        for line in BufReader::new(out).lines() {
            let line = line.unwrap_or_default();
            if line.contains("created the first administrator") {
                admin_line = Some(line.clone());
            }
            if line.contains("Suara listening") {
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        admin_line
    };
    let first = start().expect("the first start logs the administrator it created");
    let password = first
        .split("with password ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("the line names the password")
        .to_string();
    assert!(start().is_none(), "a second start creates nobody");

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let db = suara::bootstrap::db::connect(&url, 1).await.unwrap();
        assert_eq!(suara::store::users::count(&db).await.unwrap(), 1);
        let admin = suara::store::users::find_by_email(&db, "admin@suara.local")
            .await
            .unwrap()
            .expect("admin@suara.local exists");
        assert_eq!(admin.role, "admin");
        assert!(suara::security::verify_password(
            &password,
            &admin.password_hash
        ));
        db.close().await.unwrap();
    });
    let _ = std::fs::remove_dir_all(&dir);
}
