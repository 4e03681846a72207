//! CSV exports: the complaint queue and a unit's raw survey responses (streamed by pages),
//! with formula cells neutralised and nothing personal.
use chrono::Duration;
use sea_orm::EntityTrait;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};
use crate::response_rows::response;

const RSUD: &str = "rsud-raden-mattaher";
const DUKCAPIL: &str = "disdukcapil-kota-jambi";

fn lines(body: &str) -> Vec<&str> {
    body.trim_start_matches('\u{feff}')
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect()
}

async fn file(app: &TestApp, unit: &str, category: &str, description: &str) -> String {
    let r = app
        .post_json(
            "/api/v1/complaints",
            &json!({"unit": unit, "kind": "pengaduan", "category": category, "description": description,
                    "contact": {"name": "Sri Wahyuni", "email": "sri@example.id", "phone": "0812-7000-1234"}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["tracking_id"].as_str().unwrap().to_string()
}

#[actix_web::test]
async fn the_queue_as_csv_with_the_same_filters() {
    let app = spawn_app().await;
    let sup = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let evil = "=HYPERLINK(\"http://jahat.example\",\"klik\") antrean terlalu lama sekali di loket";
    let a = file(&app, RSUD, "waktu_tunggu", evil).await;
    let b = file(
        &app,
        RSUD,
        "prosedur",
        "Persyaratan berubah-ubah setiap kali saya datang ke loket.",
    )
    .await;
    let c = file(
        &app,
        DUKCAPIL,
        "waktu_tunggu",
        "Antrean KTP-el di Disdukcapil tidak bergerak dua jam.",
    )
    .await;
    let r = app
        .get_as(&sup, "/api/v1/staff/complaints?format=csv")
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        r.header("content-disposition")
            .unwrap()
            .starts_with("attachment; filename=\"suara-pengaduan-")
    );
    assert!(r.body.starts_with('\u{feff}'));
    let l = lines(&r.body);
    assert!(l[0].starts_with("tracking_id,unit,kind,category,status,"));
    assert_eq!(
        l.len(),
        3,
        "two complaints of the supervisor's unit: {}",
        r.body
    );
    assert!(r.body.contains(&a) && r.body.contains(&b) && !r.body.contains(&c));
    assert!(
        r.body
            .contains(",\"'=HYPERLINK(\"\"http://jahat.example\"\",\"\"klik\"\") antrean"),
        "the formula is neutralised: {}",
        r.body
    );
    for secret in ["Sri Wahyuni", "sri@example.id", "0812-7000", "7000-1234"] {
        assert!(!r.body.contains(secret), "no contact details");
    }
    // Same filters, and `Accept: text/csv` works as well.
    let auth = crate::helpers::bearer(&sup);
    let r = app
        .get_with(
            "/api/v1/staff/complaints?category=prosedur",
            &[("authorization", &auth), ("accept", "text/csv")],
        )
        .await;
    assert_eq!(r.status, 200);
    let l = lines(&r.body);
    assert_eq!(l.len(), 2);
    assert!(l[1].starts_with(&format!(
        "{b},{RSUD},pengaduan,prosedur,received,normal,,api,0,0,"
    )));
    // The JSON queue is unchanged; a bad filter is a 422 either way.
    assert_eq!(
        app.get_as(&sup, "/api/v1/staff/complaints").await.json()["total"],
        2
    );
    assert_eq!(
        app.get_as(&sup, "/api/v1/staff/complaints?format=csv&status=lost")
            .await
            .status,
        422
    );
}

#[actix_web::test]
async fn a_units_raw_responses_stream_as_csv_across_pages() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let unit = suara::store::units::by_slug(db, DUKCAPIL)
        .await
        .unwrap()
        .unwrap();
    let url = format!("/api/v1/units/{DUKCAPIL}/responses");
    // One response through the API (with a comment and a formula), then 12,000 stored
    // directly over three days, more than two pages of 5,000.
    let r = app
        .post_json(
            &url,
            &json!({"answers": {"U1": 4, "U2": 4, "U3": 4, "U4": 4, "U5": 4, "U6": 4, "U7": 4, "U8": 4, "U9": 4,
                                "WAIT_MIN": 95, "COMMENT": "=1+1 Bu Sari sangat membantu"},
                    "respondent": {"gender": "P", "age": 34, "education": "SMA", "occupation": "swasta"},
                    "service": "ktp-el", "channel": "qr"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let api_id = r.json()["id"].as_i64().unwrap();
    let stored = entity::response::Entity::find_by_id(api_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let today = stored.local_date;
    let days = [
        today - Duration::days(3),
        today - Duration::days(2),
        today - Duration::days(1),
    ];
    let mut n = 0;
    for chunk in 0..24 {
        let rows: Vec<_> = (0..500)
            .map(|i| {
                n += 1;
                // Interleave the days so that id order and day order differ.
                response(days[(chunk + i) % 3], unit.id, stored.survey_version_id, n)
            })
            .collect();
        entity::response::Entity::insert_many(rows)
            .exec(db)
            .await
            .unwrap();
    }
    let sup = app
        .token_user("sup@dukcapil.id", "supervisor", &[DUKCAPIL])
        .await;
    let from = days[0];
    let r = app
        .get_as(&sup, &format!("{url}?format=csv&from={from}&to={today}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    let l = lines(&r.body);
    let header: Vec<&str> = l[0].split(',').collect();
    assert_eq!(
        &header[..7],
        [
            "id", "date", "survey", "version", "service", "channel", "U1"
        ]
    );
    for col in [
        "U8",
        "U9",
        "WAIT_MIN",
        "ikm_score",
        "ikm_converted",
        "wait_over_standard",
        "gender",
        "age",
        "occupation",
    ] {
        assert!(header.contains(&col), "{col}");
    }
    assert!(!header.contains(&"COMMENT"));
    assert_eq!(l.len(), 1 + 12_001, "every row once");
    // In (day, id) order, each id once.
    let keys: Vec<(String, i64)> = l[1..]
        .iter()
        .map(|x| {
            let mut c = x.split(',');
            let id = c.next().unwrap().parse().unwrap();
            (c.next().unwrap().to_string(), id)
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted);
    // The API response: its service, answers, score (4 → 100) and profile with the age band.
    let mine = l
        .iter()
        .find(|x| x.starts_with(&format!("{api_id},")))
        .unwrap();
    assert!(
        mine.starts_with(&format!("{api_id},{today},skm-2017,1,ktp-el,qr,4,")),
        "{mine}"
    );
    assert!(
        mine.contains(",4,100,") && mine.ends_with(",P,25-34,SMA,swasta"),
        "{mine}"
    );
    for secret in ["Ahmad", "Sari", "=1+1", ",41,"] {
        assert!(
            !r.body.contains(secret),
            "no free text, no exact age: {secret}"
        );
    }
    assert!(l[1].ends_with(",L,35-44,SMA,swasta"), "{}", l[1]);
    // The range: one day only.
    let r = app
        .get_as(&sup, &format!("{url}?from={}&to={}", days[1], days[1]))
        .await;
    assert_eq!(lines(&r.body).len(), 1 + 4_000);
    // Planners read every unit; another unit's supervisor gets 404; bad input is a 422.
    let planner = app.token_user("plan@x.id", "planner", &[]).await;
    assert_eq!(
        app.get_as(&planner, &format!("{url}?from={from}"))
            .await
            .status,
        200
    );
    let other = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    assert_eq!(app.get_as(&other, &url).await.status, 404);
    assert_eq!(
        app.get_as(&sup, "/api/v1/units/tidak-ada/responses")
            .await
            .status,
        404
    );
    let r = app.get_as(&sup, &format!("{url}?format=xml")).await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["format"].is_string());
    let r = app.get_as(&sup, &format!("{url}?from=2026-13-01")).await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["from"].is_string());
    assert_eq!(app.get(&url).await.status, 401);
    // Posting responses still works on the same path.
    assert_eq!(
        app.call("POST", &url, crate::helpers::Body::Json(&json!({})), &[])
            .await
            .status,
        422
    );
}
