//! Staff sessions end: a login's session lasts SUARA_SESSION_TTL_HOURS (the row and the cookie
//! agree), an expired one is refused by pages (to the login page, keeping where the staff member
//! was going) and by the JSON API (401), and the purge deletes expired rows only. Time moves by
//! writing `expires_at` into the past through the app's own database handle.
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::helpers::{TestApp, spawn_app_with};

const RSUD: &str = "rsud-raden-mattaher";

async fn session_row(app: &TestApp, cookie: &str) -> Option<entity::session::Model> {
    let token = cookie
        .strip_prefix(&format!("{}=", suara::web::auth::SESSION_COOKIE))
        .expect("a session cookie");
    entity::session::Entity::find_by_id(suara::security::sha256_hex(token))
        .one(&app.state.db)
        .await
        .unwrap()
}

async fn expire(app: &TestApp, cookie: &str, at: chrono::DateTime<Utc>) {
    let mut m = session_row(app, cookie)
        .await
        .expect("the session row")
        .into_active_model();
    m.expires_at = Set(at);
    m.update(&app.state.db).await.unwrap();
}

/// Where a page sends a caller without a working session: the login page, with `next`.
fn goes_to_login(r: &crate::helpers::Resp, next: &str) {
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.header("location").unwrap_or_default();
    assert!(
        to.starts_with("/login?next=") && to.contains(next),
        "to the login page with next={next}: {to}"
    );
}

#[actix_web::test]
async fn a_login_lasts_its_ttl_and_an_expired_session_is_refused_everywhere() {
    let app = spawn_app_with(&[("SUARA_SESSION_TTL_HOURS", "2")]).await;
    let password = app.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;

    // The login form's answer: a cookie that lasts two hours, and a row that ends in two hours.
    let before = Utc::now();
    let r = app.post_login("sup@rsud.id", &password, None).await;
    let after = Utc::now();
    assert_eq!(r.status, 303, "{}", r.body);
    let set_cookie: Vec<String> = r
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .filter(|v| v.starts_with("suara_session="))
        .collect();
    assert_eq!(set_cookie.len(), 1, "{set_cookie:?}");
    assert!(set_cookie[0].contains("Max-Age=7200"), "{}", set_cookie[0]);
    let cookie = format!("suara_session={}", r.cookie("suara_session").unwrap());
    let row = session_row(&app, &cookie).await.expect("the session row");
    assert!(
        row.expires_at >= before + Duration::hours(2) - Duration::seconds(1)
            && row.expires_at <= after + Duration::hours(2) + Duration::seconds(1),
        "expires two hours after the login: {} (login {before}..{after})",
        row.expires_at
    );

    // Working: a page and the JSON API.
    let staff = |path: &'static str| {
        let (app, cookie) = (&app, cookie.clone());
        async move { app.get_with(path, &[("cookie", cookie.as_str())]).await }
    };
    assert_eq!(staff("/staff").await.status, 200);
    let me = staff("/api/v1/staff/me").await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["email"], "sup@rsud.id");

    // A second past its end, it is refused, although the browser would still send it.
    expire(&app, &cookie, Utc::now() - Duration::seconds(1)).await;
    goes_to_login(&staff("/staff").await, "staff");
    goes_to_login(&staff("/staff/complaints").await, "complaints");
    let r = staff("/api/v1/staff/me").await;
    assert_eq!(r.status, 401, "{}", r.body);
    assert_eq!(r.json()["error"], "unauthorized");

    // The same password logs in again, with a new session.
    let again = app.login("sup@rsud.id", &password).await;
    assert_ne!(again.cookie, cookie);
    assert_eq!(
        app.get_with("/api/v1/staff/me", &[("cookie", again.cookie.as_str())])
            .await
            .status,
        200
    );
}

#[actix_web::test]
async fn the_purge_deletes_expired_sessions_only_and_a_purged_cookie_stays_refused() {
    let app = spawn_app_with(&[]).await;
    let password = app.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let other_pw = app.create_user("planner@x.id", "planner", &[]).await;
    let expired = app.login("sup@rsud.id", &password).await.cookie;
    let ending_soon = app.login("sup@rsud.id", &password).await.cookie;
    let others = app.login("planner@x.id", &other_pw).await.cookie;
    expire(&app, &expired, Utc::now() - Duration::minutes(1)).await;
    // Still valid for another minute: not the purge's.
    expire(&app, &ending_soon, Utc::now() + Duration::minutes(1)).await;

    let purged = suara::store::users::purge_expired_sessions(&app.state.db)
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert!(session_row(&app, &expired).await.is_none());
    assert!(session_row(&app, &ending_soon).await.is_some());
    assert!(session_row(&app, &others).await.is_some());
    let all = entity::session::Entity::find()
        .filter(entity::session::Column::ExpiresAt.lt(Utc::now()))
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(all.is_empty(), "no expired row left: {all:?}");

    // The purged cookie is refused as the expired one was; the others still work.
    goes_to_login(
        &app.get_with("/staff", &[("cookie", expired.as_str())])
            .await,
        "staff",
    );
    assert_eq!(
        app.get_with("/api/v1/staff/me", &[("cookie", expired.as_str())])
            .await
            .status,
        401
    );
    for live in [&ending_soon, &others] {
        assert_eq!(
            app.get_with("/staff", &[("cookie", live.as_str())])
                .await
                .status,
            200
        );
    }
    // A second purge has nothing to do.
    assert_eq!(
        suara::store::users::purge_expired_sessions(&app.state.db)
            .await
            .unwrap(),
        0
    );
}
