//! What a stranger or a busy office can send: control characters, dates from another era, a
//! database that refuses one row of a batch, thousands of complaints, and the same submission
//! sent again and again.
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, bearer, hidden, multipart, spawn_app};

const UNIT: &str = "disdukcapil-kota-jambi";

fn response(comment: &str) -> Value {
    json!({
        "answers": {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 2, "U9": 3,
            "WAIT_MIN": 35, "VISITS": 1, "COMMENT": comment},
        "respondent": {"gender": "P", "age": 34, "education": "SMA", "occupation": "swasta"},
        "service": "ktp-el"
    })
}

fn complaint() -> Value {
    json!({
        "unit": UNIT,
        "kind": "pengaduan",
        "category": "waktu_tunggu",
        "description": "Antrean KTP-el tiga jam tanpa nomor urut yang jelas di loket dua.",
        "contact": {"name": "Budi", "email": "budi@example.id"}
    })
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let row = app
        .state
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

#[actix_web::test]
async fn control_characters_and_odd_dates_are_4xx_with_the_field() {
    let app = spawn_app().await;
    let r = app
        .post_json(
            &format!("/api/v1/units/{UNIT}/responses"),
            &response("antre\u{0}lama"),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.json()["fields"]["answers.COMMENT"].is_string(),
        "{}",
        r.body
    );

    let mut c = complaint();
    c["contact"]["name"] = json!("Bu\u{1b}[31mdi");
    let r = app.post_json("/api/v1/complaints", &c).await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["contact.name"].is_string(), "{}", r.body);

    // A number sent as a string, where the schema says number, names its field.
    let mut c = complaint();
    c["wait_minutes"] = json!("35");
    let r = app.post_json("/api/v1/complaints", &c).await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["wait_minutes"].is_string(), "{}", r.body);

    // A path segment no resource is named: 404, JSON under /api and a page elsewhere.
    let r = app.get("/api/v1/units/disdukcapil%00/survey").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"], "not_found");
    assert_eq!(app.get("/u/disdukcapil%00").await.status, 404);

    // Filters and date ranges.
    let token = app.token_user("admin@hard.id", "admin", &[]).await;
    let auth = bearer(&token);
    let h = [("authorization", auth.as_str())];
    let r = app
        .get_with("/api/v1/staff/complaints?status=%00", &h)
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["status"].is_string());
    let r = app
        .get_with("/api/v1/staff/complaints?status=nonsense", &h)
        .await;
    assert_eq!(
        r.status, 422,
        "an unknown status is named, not an empty queue"
    );
    for q in ["from=-5000-01-01", "from=1500-01-01", "to=9999-12-31"] {
        let r = app.get(&format!("/api/v1/units/{UNIT}/ikm?{q}")).await;
        assert_eq!(r.status, 422, "{q}: {}", r.body);
    }
    let r = app
        .get_with(
            &format!("/api/v1/analytics/units/{UNIT}?from=-5000-01-01"),
            &h,
        )
        .await;
    assert_eq!(r.status, 422);

    // The login form: a 4xx page, not a 500.
    let r = app
        .call(
            "POST",
            "/login",
            Body::Form(&[("email", "a\u{0}@b.id"), ("password", "x"), ("csrf", "y")]),
            &[],
        )
        .await;
    assert_eq!(r.status, 400);

    // Nothing reached the database.
    assert_eq!(count(&app, "responses").await, 0);
    assert_eq!(count(&app, "complaints").await, 0);
}

#[actix_web::test]
async fn a_row_the_database_refuses_fails_alone_not_its_batch() {
    let app = spawn_app().await;
    let unit = suara::store::units::by_slug(&app.state.db, UNIT)
        .await
        .unwrap()
        .unwrap();
    let active = suara::store::surveys::active_for_unit(&app.state.db, unit.id)
        .await
        .unwrap()
        .unwrap();
    let now = chrono::Utc::now();
    let row = |survey_version_id: i32, comment: &str| suara::store::responses::NewResponse {
        unit_id: unit.id,
        survey_version_id,
        service_id: None,
        channel: "api".into(),
        created_at: now,
        local_date: now.date_naive(),
        answers: "{}".into(),
        respondent: "{}".into(),
        comment: Some(comment.into()),
        wait_minutes: None,
        visits: None,
        fee_paid: None,
        code: None,
        numeric: vec![("U1".into(), 4.0)],
    };
    // Sixty good rows and two the database refuses (a survey version that does not exist; on
    // PostgreSQL the second holds a NUL, which it refuses in text), sent at once so they share
    // batches.
    let pg = app.state.db.get_database_backend() == sea_orm::DbBackend::Postgres;
    let mut jobs = vec![];
    for i in 0..62 {
        let bad = i == 10 || i == 40;
        let r = match i {
            10 => row(i32::MAX, "versi tidak ada"),
            40 if pg => row(active.version.id, "nul\u{0}"),
            40 => row(i32::MAX, "versi tidak ada"),
            _ => row(active.version.id, &format!("baris {i}")),
        };
        let w = app.state.responses.clone();
        jobs.push(actix_web::rt::spawn(
            async move { (bad, w.submit(r).await) },
        ));
    }
    let (mut stored, mut refused) = (0, 0);
    for j in jobs {
        let (bad, res) = j.await.unwrap();
        assert_eq!(res.is_err(), bad, "only the bad rows fail: {res:?}");
        if bad { refused += 1 } else { stored += 1 }
    }
    assert_eq!((stored, refused), (60, 2));
    assert_eq!(count(&app, "responses").await, 60);
    // The rollups hold exactly the stored rows.
    let sums =
        suara::store::responses::sums(&app.state.db, unit.id, now.date_naive(), now.date_naive())
            .await
            .unwrap();
    assert_eq!(sums["U1"].0, 60);

    // On PostgreSQL, NUL is such a row too; through the API it never gets this far, and
    // concurrent citizens beside it are all stored.
    let mut posts = vec![];
    for i in 0..40 {
        let comment = if i % 8 == 0 {
            "nul\u{0}".to_string()
        } else {
            format!("ok {i}")
        };
        let client = awc::Client::default();
        let url = app.url(&format!("/api/v1/units/{UNIT}/responses"));
        posts.push(actix_web::rt::spawn(async move {
            let r = client
                .post(url)
                .send_json(&response(&comment))
                .await
                .unwrap();
            (comment.contains('\u{0}'), r.status().as_u16())
        }));
    }
    for p in posts {
        let (nul, status) = p.await.unwrap();
        assert_eq!(status, if nul { 422 } else { 201 });
    }
    assert_eq!(count(&app, "responses").await, 60 + 35);
}

/// Files `n` complaints straight into the store (as intake would, without mail), fast.
async fn bulk_complaints(app: &TestApp, n: usize) {
    let unit = suara::store::units::by_slug(&app.state.db, UNIT)
        .await
        .unwrap()
        .unwrap();
    let cats = suara::store::complaints::categories(&app.state.db)
        .await
        .unwrap();
    let cal = suara::store::complaints::calendar(&app.state.db)
        .await
        .unwrap();
    let today = suara::domain::calendar::wib_date(chrono::Utc::now());
    let dl = suara::domain::complaint::deadlines(&cal, today, 5);
    // A write transaction from the start, as the app takes them: a deferred one that reads first
    // cannot become a writer on SQLite once the app's own start-up jobs have written meanwhile.
    let txn = suara::store::begin_write(&app.state.db).await.unwrap();
    for i in 0..n {
        suara::store::complaints::create(
            &txn,
            suara::store::complaints::NewComplaint {
                unit_id: unit.id,
                service_id: None,
                kind: "pengaduan".into(),
                category_id: cats[i % cats.len()].id,
                description: format!("Pengaduan nomor {i} tentang antrean yang lama."),
                incident_date: None,
                wait_minutes: None,
                visits: None,
                fee_paid: None,
                contact_name: None,
                contact_email: None,
                contact_phone: None,
                anonim: true,
                rahasia: false,
                lang: "id".into(),
                deadlines: dl,
                now: chrono::Utc::now(),
                channel: "api".into(),
                reply_to: None,
                notify_via: None,
            },
        )
        .await
        .unwrap();
    }
    txn.commit().await.unwrap();
}

#[actix_web::test]
async fn the_queue_filters_sorts_and_pages_in_the_database_at_thousands() {
    let app = spawn_app().await;
    bulk_complaints(&app, 2_500).await;
    let db = &app.state.db;
    // The 2,000 oldest are closed; of the open 500, the first 100 were due to be verified long ago.
    for sql in [
        "UPDATE complaints SET status = 'closed' WHERE id <= 2000",
        "UPDATE complaints SET due_verify = '2026-01-05' WHERE id > 2000 AND id <= 2100",
    ] {
        db.execute_unprepared(sql).await.unwrap();
    }
    let new = app.post_json("/api/v1/complaints", &complaint()).await;
    assert_eq!(new.status, 201);
    let new = new.json()["tracking_id"].as_str().unwrap().to_string();

    let token = app
        .token_user("sup@dukcapil.id", "supervisor", &[UNIT])
        .await;
    let auth = bearer(&token);
    let h = [("authorization", auth.as_str())];
    let q = app.get_with("/api/v1/staff/complaints", &h).await.json();
    assert_eq!(q["total"], 501, "open work only by default");
    assert_eq!(q["counts"]["closed"], 2000);
    assert_eq!(q["items"].as_array().unwrap().len(), 50);
    assert!(
        q["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] != "closed")
    );
    assert!(q["items"][0]["overdue"].as_bool().unwrap(), "overdue first");

    // Walking the pages finds every open complaint once, the new one among them, in order.
    let mut seen = std::collections::HashSet::new();
    let mut last = String::new();
    let mut next = Some("/api/v1/staff/complaints?size=200".to_string());
    while let Some(url) = next {
        let page = app.get_with(&url, &h).await.json();
        for i in page["items"].as_array().unwrap() {
            let due = i["next_deadline"].as_str().unwrap().to_string();
            assert!(due >= last, "sorted by next deadline");
            last = due;
            assert!(seen.insert(i["tracking_id"].as_str().unwrap().to_string()));
        }
        next = page["next"].as_str().map(str::to_string);
    }
    assert_eq!(seen.len(), 501);
    assert!(seen.contains(&new));

    let overdue = app
        .get_with("/api/v1/staff/complaints?overdue=1&size=200", &h)
        .await
        .json();
    assert_eq!(overdue["total"], 100);
    assert!(
        overdue["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["overdue"] == true)
    );
    let closed = app
        .get_with("/api/v1/staff/complaints?status=closed&size=10&page=3", &h)
        .await
        .json();
    assert_eq!(closed["total"], 2000);
    assert_eq!(closed["items"].as_array().unwrap().len(), 10);
    let all = app
        .get_with("/api/v1/staff/complaints?status=all", &h)
        .await
        .json();
    assert_eq!(all["total"], 2501);
    assert_eq!(
        app.get_with("/api/v1/staff/complaints?size=1000", &h)
            .await
            .status,
        422
    );
    // The page shows the same open work.
    let pw = app
        .create_user("sup2@dukcapil.id", "supervisor", &[UNIT])
        .await;
    let s = app.login("sup2@dukcapil.id", &pw).await;
    let page = app
        .get_with("/staff/complaints", &[("cookie", &s.cookie)])
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<strong>501</strong>"));
}

#[actix_web::test]
async fn one_idempotency_key_stores_once_through_the_api() {
    let app = spawn_app().await;
    let path = format!("/api/v1/units/{UNIT}/responses");
    let body = response("tiga kali ketuk");
    let key = [("idempotency-key", "9f1c2d7e-retry-1")];
    let mut ids = vec![];
    for _ in 0..3 {
        let r = app.call("POST", &path, Body::Json(&body), &key).await;
        assert_eq!(r.status, 201, "{}", r.body);
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    assert!(ids.iter().all(|i| *i == ids[0]), "{ids:?}");
    assert_eq!(count(&app, "responses").await, 1);
    // Sent at once, too.
    let mut jobs = vec![];
    for _ in 0..3 {
        let client = awc::Client::default();
        let url = app.url(&path);
        let body = response("serentak");
        jobs.push(actix_web::rt::spawn(async move {
            let mut r = client
                .post(url)
                .insert_header(("idempotency-key", "serentak-1"))
                .send_json(&body)
                .await
                .unwrap();
            let v: Value = r.json().await.unwrap();
            v["id"].as_i64().unwrap()
        }));
    }
    let mut at_once = vec![];
    for j in jobs {
        at_once.push(j.await.unwrap());
    }
    assert!(at_once.iter().all(|i| *i == at_once[0]), "{at_once:?}");
    assert_eq!(count(&app, "responses").await, 2);
    // The same key with another body.
    let r = app
        .call("POST", &path, Body::Json(&response("lain")), &key)
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["Idempotency-Key"].is_string());
    let r = app
        .call("POST", &path, Body::Json(&body), &[("idempotency-key", "")])
        .await;
    assert_eq!(r.status, 422, "an empty key is refused");

    // Complaints: the same tracking ID three times, one row, one receipt.
    let key = [("idempotency-key", "aduan-ketuk-3")];
    let mut ids = vec![];
    for _ in 0..3 {
        let r = app
            .call("POST", "/api/v1/complaints", Body::Json(&complaint()), &key)
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        ids.push(r.json()["tracking_id"].as_str().unwrap().to_string());
    }
    assert!(ids.iter().all(|i| *i == ids[0]));
    assert_eq!(count(&app, "complaints").await, 1);
    assert_eq!(count(&app, "outbox").await, 1, "one receipt");
    let mut other = complaint();
    other["category"] = json!("prosedur");
    let r = app
        .call("POST", "/api/v1/complaints", Body::Json(&other), &key)
        .await;
    assert_eq!(r.status, 422);
}

#[actix_web::test]
async fn a_double_tap_on_a_form_stores_once_and_lands_on_the_same_page() {
    let app = spawn_app().await;
    let page = app.get(&format!("/u/{UNIT}/survey")).await;
    let key = hidden(&page.body, "submission_key");
    assert!(key.len() >= 16);
    let again = app.get(&format!("/u/{UNIT}/survey")).await;
    assert_ne!(
        hidden(&again.body, "submission_key"),
        key,
        "one key per rendered form"
    );
    let form: Vec<(&str, &str)> = vec![
        ("submission_key", &key),
        ("SERVICE", "ktp-el"),
        ("U1", "4"),
        ("U2", "3"),
        ("U3", "3"),
        ("U4", "4"),
        ("U5", "3"),
        ("U6", "3"),
        ("U7", "4"),
        ("U8", "2"),
        ("U9", "3"),
    ];
    for _ in 0..3 {
        let r = app
            .call("POST", &format!("/u/{UNIT}/survey"), Body::Form(&form), &[])
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        // (U8 is a 2: the thank-you page will offer a complaint.)
        assert_eq!(
            r.header("location").unwrap(),
            format!("/u/{UNIT}/thanks?low=1")
        );
    }
    assert_eq!(count(&app, "responses").await, 1);
    // Back, change an answer, send: told so, with the answers kept and a fresh key.
    let mut changed = form.clone();
    changed[2] = ("U1", "1");
    let r = app
        .call(
            "POST",
            &format!("/u/{UNIT}/survey"),
            Body::Form(&changed),
            &[],
        )
        .await;
    assert_eq!(r.status, 422);
    let fresh = hidden(&r.body, "submission_key");
    assert_ne!(fresh, key);
    assert_eq!(count(&app, "responses").await, 1);

    // The complaint form with a photo: three taps, one complaint, the same tracking page.
    let page = app.get(&format!("/u/{UNIT}/complaint")).await;
    let key = hidden(&page.body, "submission_key");
    let jpeg: &[u8] = &[
        0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1,
    ];
    let mut locations = vec![];
    for _ in 0..3 {
        let (ct, body) = multipart(
            &[
                ("submission_key", &key),
                ("kind", "pengaduan"),
                ("category", "waktu_tunggu"),
                (
                    "description",
                    "Antrean KTP-el tiga jam tanpa nomor urut yang jelas.",
                ),
            ],
            &[("attachments", "antrean.jpg", jpeg)],
        );
        let r = app
            .call(
                "POST",
                &format!("/u/{UNIT}/complaint"),
                Body::Raw(&ct, body),
                &[],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        locations.push(r.header("location").unwrap());
    }
    assert!(
        locations.iter().all(|l| *l == locations[0]),
        "{locations:?}"
    );
    assert_eq!(count(&app, "complaints").await, 1);
    assert_eq!(count(&app, "complaint_attachments").await, 1);
    let files = std::fs::read_dir(&app.state.settings.attachments_dir)
        .unwrap()
        .count();
    assert_eq!(files, 1, "the copies sent again are not kept");
}

#[actix_web::test]
async fn a_one_time_code_spent_by_a_key_is_not_spent_for_its_retry() {
    let app = spawn_app().await;
    let pw = app.create_user("sup@kode.id", "supervisor", &[UNIT]).await;
    let s = app.login("sup@kode.id", &pw).await;
    let cookie = [("cookie", s.cookie.as_str())];
    let r = app
        .call(
            "POST",
            &format!("/staff/units/{UNIT}/survey-settings"),
            Body::Form(&[("csrf", &s.csrf), ("require_code", "1")]),
            &cookie,
        )
        .await;
    assert_eq!(r.status, 303);
    let page = app
        .call(
            "POST",
            &format!("/staff/units/{UNIT}/codes"),
            Body::Form(&[("csrf", &s.csrf), ("count", "1")]),
            &cookie,
        )
        .await;
    let code = page
        .body
        .split("<code>")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap();
    let mut body = response("dengan kode");
    body["code"] = json!(code);
    let path = format!("/api/v1/units/{UNIT}/responses");
    let key = [("idempotency-key", "kode-1")];
    let first = app.call("POST", &path, Body::Json(&body), &key).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let retry = app.call("POST", &path, Body::Json(&body), &key).await;
    assert_eq!(retry.status, 201, "{}", retry.body);
    assert_eq!(first.json()["id"], retry.json()["id"]);
    let other = app
        .call(
            "POST",
            &path,
            Body::Json(&body),
            &[("idempotency-key", "kode-2")],
        )
        .await;
    assert_eq!(
        other.status, 422,
        "a new submission may not spend the code again"
    );
    assert_eq!(count(&app, "responses").await, 1);
}

#[actix_web::test]
async fn an_admin_form_missing_a_field_comes_back_not_a_500() {
    let app = spawn_app().await;
    let pw = app.create_user("admin@form.id", "admin", &[]).await;
    let s = app.login("admin@form.id", &pw).await;
    let r = app
        .call(
            "POST",
            "/admin/surveys/assign",
            Body::Form(&[("csrf", &s.csrf), ("survey", "skm-2017")]),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("name=\"unit\""), "the form again");
}
