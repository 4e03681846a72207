//! RapidPro flow results: one response per run, however often the flow posts it.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, spawn_app_with};

const TOKEN: &str = "rapidpro-flow-token";

async fn post(app: &TestApp, auth: &str, body: &Value) -> crate::helpers::Resp {
    app.call(
        "POST",
        "/api/v1/channels/rapidpro",
        Body::Json(body),
        &[("authorization", auth)],
    )
    .await
}

/// What a flow's "Call webhook" action posts at the end of an SKM run.
fn run(uuid: &str, unit: &str, answers: &[(&str, &str)]) -> Value {
    let mut results = serde_json::Map::new();
    results.insert(
        "unit".into(),
        json!({"name": "Unit", "value": unit, "category": "Other", "input": unit}),
    );
    for (name, v) in answers {
        results.insert(
            (*name).into(),
            json!({"name": name, "value": v, "category": "Has Number", "input": v}),
        );
    }
    json!({
        "contact": {"uuid": "c-1", "name": "Warga", "urn": "tel:+6281234567020"},
        "flow": {"uuid": "f-1", "name": "SKM"},
        "run": {"uuid": uuid, "created_on": "2026-12-02T08:00:00.000Z"},
        "results": results,
    })
}

async fn rapidpro_rows(app: &TestApp) -> Vec<entity::response::Model> {
    entity::response::Entity::find()
        .filter(entity::response::Column::Channel.eq("rapidpro"))
        .all(&app.state.db)
        .await
        .unwrap()
}

#[actix_web::test]
async fn a_run_posted_twice_stores_once_and_answers_the_same_id() {
    // A flow whose wait question is called "tunggu" and whose elements are lower-case codes.
    let app = spawn_app_with(&[
        ("SUARA_RAPIDPRO_TOKEN", TOKEN),
        ("SUARA_RAPIDPRO_MAP", "tunggu=WAIT_MIN"),
    ])
    .await;
    let mut answers: Vec<(&str, &str)> = vec![
        ("service", "kartu-keluarga"),
        ("u1", "4"),
        ("u2", "3"),
        ("U3", "4"),
        ("u4", "4"),
        ("u5", "3"),
        ("u6", "4"),
        ("u7", "4"),
        ("u8", "2"),
        ("u9", "4"),
        ("tunggu", "35"),
        ("consent", "yes"),
    ];
    let units = app.get("/api/v1/units/disdukcapil-kota-jambi").await.json();
    let service = units["services"][0]["slug"].as_str().unwrap().to_string();
    answers[0].1 = &service;
    let body = run("0b9b2a5e-run-1", "disdukcapil-kota-jambi", &answers);
    let first = post(&app, &format!("Token {TOKEN}"), &body).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let id = first.json()["id"].as_i64().unwrap();
    assert_eq!(first.json()["ignored"], json!(["consent"]));
    // RapidPro retries a webhook whose answer it did not get: the same run, the same id.
    let again = post(&app, &format!("Bearer {TOKEN}"), &body).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["id"].as_i64(), Some(id));
    // The same run cannot come back with other answers.
    let mut changed = answers.clone();
    changed[1].1 = "1";
    let r = post(
        &app,
        &format!("Token {TOKEN}"),
        &run("0b9b2a5e-run-1", "disdukcapil-kota-jambi", &changed),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("run.uuid"), "{}", r.body);
    let rows = rapidpro_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, id);
    assert_eq!(rows[0].wait_minutes, Some(35));
    let stored: Value = serde_json::from_str(&rows[0].answers).unwrap();
    assert_eq!(stored["U3"], 4);
    assert_eq!(stored["U8"], 2);
    // The contact's number is nowhere in the row.
    assert!(!format!("{:?}", rows[0]).contains("81234567020"));
    // Another run is another response.
    let other = post(
        &app,
        &format!("Token {TOKEN}"),
        &run("0b9b2a5e-run-2", "disdukcapil-kota-jambi", &answers),
    )
    .await;
    assert_eq!(other.status, 200, "{}", other.body);
    assert_ne!(other.json()["id"].as_i64(), Some(id));
    assert_eq!(rapidpro_rows(&app).await.len(), 2);
}

#[actix_web::test]
async fn a_bad_run_is_a_422_per_field_and_the_token_is_required() {
    let app = spawn_app_with(&[("SUARA_RAPIDPRO_TOKEN", TOKEN)]).await;
    let auth = format!("Token {TOKEN}");
    for wrong in ["", "Token nope", "Basic abc", TOKEN] {
        let r = post(&app, wrong, &run("r", "disdukcapil-kota-jambi", &[])).await;
        assert_eq!(r.status, 401, "{wrong:?}: {}", r.body);
    }
    let r = post(&app, &auth, &json!({"results": {}})).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("run.uuid"), "{}", r.body);
    let r = post(
        &app,
        &auth,
        &run("r-unknown", "no-such-unit", &[("u1", "4")]),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("\"unit\""), "{}", r.body);
    // A value outside 1–4 and missing elements: named by result, nothing stored.
    let r = post(
        &app,
        &auth,
        &run("r-bad", "disdukcapil-kota-jambi", &[("u1", "7")]),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("results.U1"), "{}", r.body);
    assert!(rapidpro_rows(&app).await.is_empty());
    let off = spawn_app_with(&[]).await;
    let r = post(&off, &auth, &run("r", "disdukcapil-kota-jambi", &[])).await;
    assert_eq!(r.status, 404, "{}", r.body);
}
