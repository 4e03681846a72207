//! The supervisors' desk: the public note and attachments for staff (deadlines and the
//! dashboard's counts are in `deadlines.rs`).
use chrono::{Duration, NaiveDate};
use entity::complaint;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, multipart, spawn_app};

const RSUD: &str = "rsud-raden-mattaher";
const DUKCAPIL: &str = "disdukcapil-kota-jambi";
const LONG: &str = "Saya menunggu empat jam di poliklinik anak tanpa kepastian kapan dipanggil.";

pub(crate) async fn file(app: &TestApp, unit: &str) -> String {
    let r = app
        .post_json(
            "/api/v1/complaints",
            &json!({"unit": unit, "kind": "pengaduan", "category": "waktu_tunggu", "description": LONG,
                    "contact": {"name": "Sri Wahyuni", "email": "sri@example.id"}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["tracking_id"].as_str().unwrap().to_string()
}

pub(crate) async fn model(app: &TestApp, id: &str) -> complaint::Model {
    suara::store::complaints::by_tracking_id(&app.state.db, id)
        .await
        .unwrap()
        .unwrap()
}

/// Sets a complaint's filing time (noon WIB of `day`) and deadlines, as if filed then.
pub(crate) async fn backdate(app: &TestApp, id: &str, day: NaiveDate, due: [NaiveDate; 3]) {
    let mut m = model(app, id).await.into_active_model();
    m.created_at = Set(suara::domain::calendar::wib_day_start(day) + Duration::hours(12));
    m.due_verify = Set(due[0]);
    m.due_first_response = Set(due[1]);
    m.due_resolve = Set(due[2]);
    m.update(&app.state.db).await.unwrap();
}

#[actix_web::test]
async fn the_public_note_shows_on_the_track_page_and_api() {
    let app = spawn_app().await;
    let sup = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let id = file(&app, RSUD).await;
    let note = "Berkas Ibu sudah kami terima; poliklinik anak menambah petugas mulai Senin.";
    let r = app
        .call_as(
            &sup,
            "POST",
            &format!("/api/v1/staff/complaints/{id}/transitions"),
            Some(&json!({"action": "verify", "note": note})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let secret = "Catatan internal: petugas loket 2 sedang cuti.";
    let r = app
        .call_as(
            &sup,
            "POST",
            &format!("/api/v1/staff/complaints/{id}/notes"),
            Some(&json!({"body": secret})),
        )
        .await;
    assert_eq!(r.status, 201);
    let v = app.get(&format!("/api/v1/complaints/{id}")).await.json();
    let h = v["history"].as_array().unwrap();
    assert_eq!(h.last().unwrap()["status"], "verified");
    assert_eq!(h.last().unwrap()["note"], note);
    assert_eq!(h[0]["note"], Value::Null, "filing has no note");
    let page = app.get(&format!("/track/{id}")).await;
    assert!(
        page.body
            .contains("poliklinik anak menambah petugas mulai Senin")
    );
    assert!(!page.body.contains("petugas loket 2") && !v.to_string().contains("loket 2"));
}

#[actix_web::test]
async fn attachments_open_for_the_units_staff_only() {
    let app = spawn_app().await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake image bytes";
    let pdf = b"%PDF-1.4 surat keterangan";
    let form = [
        ("kind", "pengaduan"),
        ("category", "waktu_tunggu"),
        ("description", LONG),
    ];
    let (ct, body) = multipart(
        &form,
        &[
            ("attachments", "antrean poli.png", png),
            ("attachments", "surat (1).pdf", pdf),
        ],
    );
    let r = app
        .call(
            "POST",
            &format!("/u/{RSUD}/complaint"),
            Body::Raw(&ct, body),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = r.header("location").unwrap()[7..20].to_string();
    let pw = app.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let sup = app.token_user("sup2@rsud.id", "supervisor", &[RSUD]).await;
    let v = app
        .get_as(&sup, &format!("/api/v1/staff/complaints/{id}"))
        .await
        .json();
    let a = v["attachments"].as_array().unwrap();
    assert_eq!(a.len(), 2);
    let img_url = a[0]["url"].as_str().unwrap().to_string();
    let pdf_url = a[1]["url"].as_str().unwrap().to_string();
    assert!(img_url.starts_with(&format!("/api/v1/staff/complaints/{id}/attachments/")));
    assert_eq!(a[0]["image"], true);
    assert_eq!(a[1]["image"], false);

    let r = app.get_as(&sup, &img_url).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, String::from_utf8_lossy(png), "the stored bytes");
    assert_eq!(r.header("content-type").unwrap(), "image/png");
    assert_eq!(r.header("x-content-type-options").unwrap(), "nosniff");
    assert!(
        r.header("content-disposition")
            .unwrap()
            .starts_with("inline; filename=\"antrean poli.png\"")
    );
    assert!(r.header("cache-control").unwrap().contains("no-store"));
    let r = app.get_as(&sup, &pdf_url).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type").unwrap(), "application/pdf");
    let cd = r.header("content-disposition").unwrap();
    assert!(
        cd.starts_with(
            "attachment; filename=\"surat _1_.pdf\"; filename*=UTF-8''surat%20%281%29%2Epdf"
        ),
        "{cd}"
    );

    // The page shows the image as a thumbnail and links both (the session cookie opens them).
    let s = app.login("sup@rsud.id", &pw).await;
    let page = app
        .get_with(&format!("/staff/complaints/{id}"), &[("cookie", &s.cookie)])
        .await;
    // (tera escapes `/` in attributes as `&#x2F;`, which the browser reads back.)
    let esc = |u: &str| u.replace('/', "&#x2F;");
    assert!(
        page.body
            .contains(&format!("<img class=\"thumb\" src=\"{}\"", esc(&img_url))),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("<a href=\"{}\">", esc(&pdf_url)))
    );
    let r = app.get_with(&img_url, &[("cookie", &s.cookie)]).await;
    assert_eq!(r.status, 200);

    // Another unit's staff: 404, whether the file exists or not; planners: 403 (not their role).
    let other = app
        .token_user("sup@dukcapil.id", "supervisor", &[DUKCAPIL])
        .await;
    let planner = app.token_user("plan@x.id", "planner", &[]).await;
    assert_eq!(app.get_as(&other, &img_url).await.status, 404);
    assert_eq!(app.get_as(&planner, &img_url).await.status, 403);
    let pv = app
        .get_as(&planner, &format!("/api/v1/staff/complaints/{id}"))
        .await
        .json();
    assert_eq!(pv["attachments"][0]["url"], Value::Null);
    let other_id = file(&app, RSUD).await;
    let wrong = img_url.replace(&id, &other_id);
    assert_eq!(
        app.get_as(&sup, &wrong).await.status,
        404,
        "not this complaint's file"
    );
    let r = app
        .get_as(
            &sup,
            &format!("/api/v1/staff/complaints/{id}/attachments/x1"),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(app.get(&img_url).await.status, 401);
}
