//! The upkeep timer (`bootstrap::jobs::spawn_upkeep`) as it runs, and where `close_expired`
//! draws its line. Time moves by writing past timestamps through the app's own database handle.
//!
//! The timer's first tick comes at start-up: a second app started on a database the first one
//! filled runs the real job over it, with the job's own cutoffs (sessions past `expires_at`,
//! submission keys older than 48 hours, resolved complaints past the reopen window).
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};

use crate::helpers::{
    Body, FreshDb, TestApp, random_suffix, spawn_app, spawn_app_with, wait_until,
};

const RSUD: &str = "rsud-raden-mattaher";

/// Files a complaint through the public API (with an Idempotency-Key when given); the answer.
async fn file(app: &TestApp, key: Option<&str>, description: &str) -> Value {
    let body = json!({
        "unit": RSUD,
        "kind": "pengaduan",
        "category": "waktu_tunggu",
        "description": description,
    });
    let headers: Vec<(&str, &str)> = key.map(|k| ("idempotency-key", k)).into_iter().collect();
    let r = app
        .call("POST", "/api/v1/complaints", Body::Json(&body), &headers)
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

async fn tracking_id(app: &TestApp, key: Option<&str>, description: &str) -> String {
    file(app, key, description).await["tracking_id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn complaint(app: &TestApp, tracking_id: &str) -> entity::complaint::Model {
    entity::complaint::Entity::find()
        .filter(entity::complaint::Column::TrackingId.eq(tracking_id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Puts a complaint in `status` with its resolution at `resolved_at`, as if it had happened then.
async fn set_status(
    app: &TestApp,
    tracking_id: &str,
    status: &str,
    resolved_at: Option<DateTime<Utc>>,
) {
    let mut m = complaint(app, tracking_id).await.into_active_model();
    m.status = Set(status.into());
    m.resolved_at = Set(resolved_at);
    m.update(&app.state.db).await.unwrap();
}

/// Moves a complaint's resolution to `at`, leaving its status as it is.
async fn resolved_at(app: &TestApp, tracking_id: &str, at: DateTime<Utc>) {
    let mut m = complaint(app, tracking_id).await.into_active_model();
    m.resolved_at = Set(Some(at));
    m.update(&app.state.db).await.unwrap();
}

async fn events(app: &TestApp, complaint_id: i32) -> Vec<entity::complaint_event::Model> {
    entity::complaint_event::Entity::find()
        .filter(entity::complaint_event::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(entity::complaint_event::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn close_expired(app: &TestApp) -> usize {
    suara::service::complaints::close_expired(&app.state)
        .await
        .unwrap()
}

/// A supervisor's transition through the staff API.
async fn act(app: &TestApp, token: &str, id: &str, action: &str) {
    let r = app
        .call_as(
            token,
            "POST",
            &format!("/api/v1/staff/complaints/{id}/transitions"),
            Some(&json!({"action": action, "note": "Loket tambahan dibuka."})),
        )
        .await;
    assert_eq!(r.status, 200, "{action}: {}", r.body);
}

/// The citizen's reopen through the public API, with the code they got at filing.
async fn reopen(app: &TestApp, id: &str, code: &str) -> crate::helpers::Resp {
    app.post_json(
        &format!("/api/v1/complaints/{id}/reopen"),
        &json!({"code": code, "reason": "Antrean masih sama panjangnya."}),
    )
    .await
}

/// The WIB day `d` at `h` hours and `m` minutes, as a UTC instant.
fn wib(d: NaiveDate, h: i64, m: i64) -> DateTime<Utc> {
    suara::domain::calendar::wib_day_start(d) + Duration::hours(h) + Duration::minutes(m)
}

/// Two minutes apart across a WIB midnight (which is 17:00 UTC, so both instants fall on the
/// same UTC date): the one resolved on the last day whose window still includes today stays
/// resolved and reopenable; the one resolved a minute before that day began is closed, by the
/// system, on the public history, and can no longer be reopened.
#[actix_web::test]
async fn the_reopen_window_ends_on_a_wib_day_and_the_citizen_and_the_closing_agree() {
    let app = spawn_app().await;
    let cal = suara::store::complaints::calendar(&app.state.db)
        .await
        .unwrap();
    let window = suara::domain::complaint::REOPEN_WINDOW_DAYS;
    let today = suara::service::today_wib();
    // The earliest resolution day whose window (10 working days, holidays counted) still
    // includes today; the day before it is the last one whose window has ended.
    let mut last_in = today;
    while cal.add_working_days(last_in - Duration::days(1), window) >= today {
        last_in -= Duration::days(1);
    }
    let first_out = last_in - Duration::days(1);
    assert!(cal.add_working_days(last_in, window) >= today);
    assert!(cal.add_working_days(first_out, window) < today);

    let inside = file(
        &app,
        None,
        "Antrean poliklinik empat jam, sudah lama sekali.",
    )
    .await;
    let outside = file(&app, None, "Loket pendaftaran tutup sebelum jam layanan.").await;
    let (inside_id, outside_id) = (
        inside["tracking_id"].as_str().unwrap(),
        outside["tracking_id"].as_str().unwrap(),
    );
    set_status(&app, inside_id, "resolved", Some(wib(last_in, 0, 1))).await;
    set_status(&app, outside_id, "resolved", Some(wib(last_in, 0, -1))).await;
    assert_eq!(
        wib(last_in, 0, 1).date_naive(),
        wib(last_in, 0, -1).date_naive(),
        "the two instants share a UTC date"
    );

    let closed = close_expired(&app).await;
    if suara::service::today_wib() != today {
        eprintln!("a WIB midnight passed during the test; the boundary was not checked");
        return;
    }
    assert_eq!(closed, 1);

    // Inside: still resolved, the public view offers the reopen until the window's last day,
    // and the citizen may use it.
    let view = app.get(&format!("/api/v1/complaints/{inside_id}")).await;
    assert_eq!(view.json()["status"], "resolved");
    assert_eq!(
        view.json()["can_reopen_until"],
        cal.add_working_days(last_in, window).to_string()
    );
    let r = reopen(&app, inside_id, inside["reopen_code"].as_str().unwrap()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "reopened");

    // Outside: closed now, by the system, publicly, once.
    let c = complaint(&app, outside_id).await;
    assert_eq!(c.status, "closed");
    let closed_at = c.closed_at.expect("closed_at is set");
    assert!((Utc::now() - closed_at).num_seconds().abs() < 60);
    let last = events(&app, c.id).await.pop().expect("an event");
    assert_eq!(
        (
            last.kind.as_str(),
            last.from_status.as_deref(),
            last.to_status.as_deref()
        ),
        ("status", Some("resolved"), Some("closed"))
    );
    assert_eq!(last.actor_user_id, None);
    assert_eq!(last.actor_label, "sistem");
    assert!(last.public);
    let view = app.get(&format!("/api/v1/complaints/{outside_id}")).await;
    let view = view.json();
    assert_eq!(view["status"], "closed");
    assert_eq!(view["can_reopen_until"], Value::Null);
    assert_eq!(
        view["history"].as_array().unwrap().last().unwrap()["status"],
        "closed"
    );
    let r = reopen(&app, outside_id, outside["reopen_code"].as_str().unwrap()).await;
    assert_eq!(
        r.status, 409,
        "a closed complaint is not reopened: {}",
        r.body
    );
    assert_eq!(complaint(&app, outside_id).await.status, "closed");
}

/// Only `resolved` closes: every other status is left alone however old its resolution, a
/// resolution without a date is skipped, and a complaint the citizen reopened and the unit
/// resolved again starts a new window from the new resolution.
#[actix_web::test]
async fn only_resolved_complaints_close_and_a_new_resolution_starts_a_new_window() {
    let app = spawn_app().await;
    let long_ago = Utc::now() - Duration::days(60);
    let mut left = vec![];
    for (i, status) in [
        "received",
        "verified",
        "in_progress",
        "reopened",
        "rejected",
        "duplicate",
        "closed",
    ]
    .into_iter()
    .enumerate()
    {
        let id = tracking_id(
            &app,
            None,
            &format!("Keluhan nomor {i}: antrean pendaftaran tidak bergerak."),
        )
        .await;
        set_status(&app, &id, status, Some(long_ago)).await;
        left.push((id, status));
    }
    let undated = tracking_id(&app, None, "Petugas loket tidak ada di tempat.").await;
    set_status(&app, &undated, "resolved", None).await;
    let mut before = vec![];
    for (id, _) in &left {
        let c = complaint(&app, id).await;
        before.push((c.clone(), events(&app, c.id).await.len()));
    }

    assert_eq!(close_expired(&app).await, 0);
    for ((id, status), (was, n)) in left.iter().zip(before) {
        let c = complaint(&app, id).await;
        assert_eq!(&c.status, status, "{id} was {status}");
        assert_eq!(c.closed_at, was.closed_at, "{status}: closed_at untouched");
        assert_eq!(c.updated_at, was.updated_at, "{status}: not written");
        assert_eq!(events(&app, c.id).await.len(), n, "{status}: no event");
    }
    assert_eq!(complaint(&app, &undated).await.status, "resolved");

    // Through the workflow: resolved by the unit, reopened by the citizen in time, then its
    // first resolution pushed far back: reopened is not resolved, so it stays open.
    let sup = app
        .token_user(
            &format!("sup-{}@rsud.id", random_suffix()),
            "supervisor",
            &[RSUD],
        )
        .await;
    let filed = file(
        &app,
        None,
        "Obat di farmasi habis tiga hari berturut-turut.",
    )
    .await;
    let id = filed["tracking_id"].as_str().unwrap();
    for action in ["verify", "start", "resolve"] {
        act(&app, &sup, id, action).await;
    }
    let r = reopen(&app, id, filed["reopen_code"].as_str().unwrap()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    resolved_at(&app, id, long_ago).await;
    assert_eq!(close_expired(&app).await, 0);
    assert_eq!(complaint(&app, id).await.status, "reopened");

    // Resolved again: the resolution is now, so the window is new and nothing closes ...
    act(&app, &sup, id, "resolve").await;
    let c = complaint(&app, id).await;
    assert!(c.resolved_at.unwrap() > Utc::now() - Duration::minutes(5));
    assert_eq!(close_expired(&app).await, 0);
    assert_eq!(complaint(&app, id).await.status, "resolved");
    // ... until that resolution, too, is past its window.
    resolved_at(&app, id, long_ago).await;
    assert_eq!(close_expired(&app).await, 1);
    let c = complaint(&app, id).await;
    assert_eq!(c.status, "closed");
    assert_eq!(c.reopen_count, 1);
}

/// A database of the test's own (SQLite file or PostgreSQL database), so two apps can share it.
struct SharedDb {
    db: FreshDb,
    dir: std::path::PathBuf,
}

impl SharedDb {
    async fn new() -> SharedDb {
        let dir = std::env::temp_dir().join(format!("suara-shared-{}", random_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        SharedDb {
            db: FreshDb::new(&dir).await,
            dir,
        }
    }
}

impl Drop for SharedDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes the job's inputs with one app, starts a second on the same database, and waits for
/// the second's first tick: what is past its cutoff goes, what is not stays and still works.
#[actix_web::test]
async fn the_upkeep_timer_closes_purges_and_forgets_by_its_own_cutoffs() {
    let shared = SharedDb::new().await;
    let first = spawn_app_with(&[("DATABASE_URL", shared.db.url.as_str())]).await;
    let db = &first.state.db;

    // Complaints: one resolved 40 days ago (past any 10-working-day window), one an hour ago.
    let old = tracking_id(
        &first,
        None,
        "Antrean poliklinik empat jam, sudah lama sekali.",
    )
    .await;
    let fresh = tracking_id(&first, None, "Loket pendaftaran tutup sebelum jam layanan.").await;
    set_status(
        &first,
        &old,
        "resolved",
        Some(Utc::now() - Duration::days(40)),
    )
    .await;
    set_status(
        &first,
        &fresh,
        "resolved",
        Some(Utc::now() - Duration::hours(1)),
    )
    .await;

    // Sessions: one expired a minute ago, one good for another hour.
    first
        .create_user("sup@rsud.id", "supervisor", &[RSUD])
        .await;
    let user = suara::store::users::find_by_email(db, "sup@rsud.id")
        .await
        .unwrap()
        .unwrap();
    let live = suara::store::users::create_session(db, user.id, 1)
        .await
        .unwrap();
    let expired = suara::store::users::create_session(db, user.id, 1)
        .await
        .unwrap();
    let expired_id = suara::security::sha256_hex(&expired);
    let mut s = entity::session::Entity::find_by_id(expired_id.clone())
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    s.expires_at = Set(Utc::now() - Duration::minutes(1));
    s.update(db).await.unwrap();

    // Submission keys: the job's cutoff is 48 hours; one key 47 hours old, one 49.
    let text_47 = "Petugas meminta biaya tambahan tanpa kuitansi.";
    let text_49 = "Kursi ruang tunggu rusak dan tidak diganti.";
    let first_47 = tracking_id(&first, Some("kunci-47"), text_47).await;
    let first_49 = tracking_id(&first, Some("kunci-49"), text_49).await;
    for (key, hours) in [("kunci-47", 47), ("kunci-49", 49)] {
        let row = entity::idempotency_key::Entity::find()
            .filter(entity::idempotency_key::Column::Key.eq(key))
            .one(db)
            .await
            .unwrap()
            .expect("the key was claimed");
        assert_eq!(
            row.resource.as_deref(),
            Some(if hours == 47 { &first_47 } else { &first_49 }.as_str())
        );
        let mut m = row.into_active_model();
        m.created_at = Set(Utc::now() - Duration::hours(hours));
        m.update(db).await.unwrap();
    }

    let second = spawn_app_with(&[("DATABASE_URL", shared.db.url.as_str())]).await;
    let db = &second.state.db;
    let done = wait_until(30, || async {
        let closed = complaint(&second, &old).await.status == "closed";
        let session_gone = entity::session::Entity::find_by_id(expired_id.clone())
            .one(db)
            .await
            .unwrap()
            .is_none();
        let key_gone = entity::idempotency_key::Entity::find()
            .filter(entity::idempotency_key::Column::Key.eq("kunci-49"))
            .one(db)
            .await
            .unwrap()
            .is_none();
        closed && session_gone && key_gone
    })
    .await;
    assert!(done, "the timer's first run closed, purged and forgot");

    // What was not past its cutoff is still there.
    assert_eq!(complaint(&second, &fresh).await.status, "resolved");
    let sessions = entity::session::Entity::find()
        .filter(entity::session::Column::UserId.eq(user.id))
        .all(db)
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].id, suara::security::sha256_hex(&live));
    let cookie = |token: &str| format!("{}={token}", suara::web::auth::SESSION_COOKIE);
    let r = second
        .get_with("/staff", &[("cookie", &cookie(&live))])
        .await;
    assert_eq!(r.status, 200, "the live session still works");
    let r = second
        .get_with("/staff", &[("cookie", &cookie(&expired))])
        .await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").unwrap().starts_with("/login"));

    // The 47-hour key still answers its first complaint; the 49-hour one is forgotten, so the
    // same request files a new one.
    assert_eq!(
        tracking_id(&second, Some("kunci-47"), text_47).await,
        first_47
    );
    let again = tracking_id(&second, Some("kunci-49"), text_49).await;
    assert_ne!(again, first_49, "a forgotten key files anew");
    drop(first);
}
