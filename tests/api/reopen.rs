//! Reopening needs more than the public tracking ID: the code the citizen received at filing
//! (the API's answer, the receipt e-mail, the chat reply, the link in their notifications).
//! The tracking page stays open to the ID alone.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, spawn_app, spawn_app_with};

const RSUD: &str = "rsud-raden-mattaher";

async fn resolve(app: &TestApp, id: &str) {
    let sup = app
        .token_user(&format!("sup-{id}@rsud.id"), "supervisor", &[RSUD])
        .await;
    for action in ["verify", "start", "resolve"] {
        let r = app
            .call_as(
                &sup,
                "POST",
                &format!("/api/v1/staff/complaints/{id}/transitions"),
                Some(&json!({"action": action, "note": "Loket tambahan dibuka."})),
            )
            .await;
        assert_eq!(r.status, 200, "{action}: {}", r.body);
    }
}

async fn file(app: &TestApp, extra: Value) -> Value {
    let mut body = json!({"unit": RSUD, "kind": "pengaduan", "category": "waktu_tunggu",
        "description": "Antrean pendaftaran tidak bergerak selama dua jam."});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let r = app.post_json("/api/v1/complaints", &body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

async fn status(app: &TestApp, id: &str) -> String {
    app.get(&format!("/api/v1/complaints/{id}")).await.json()["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[actix_web::test]
async fn a_stranger_with_only_the_id_cannot_reopen_the_citizen_with_the_code_can() {
    let app = spawn_app().await;
    let filed = file(&app, json!({"contact": {"email": "warga@example.id"}})).await;
    let id = filed["tracking_id"].as_str().unwrap().to_string();
    let code = filed["reopen_code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 9, "XXXX-XXXX: {code}");
    resolve(&app, &id).await;

    // The receipt carries the code and the citizen's own link.
    let receipt = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Kind.eq("receipt"))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("a receipt");
    assert!(receipt.body_text.contains(&code), "{}", receipt.body_text);
    assert!(
        receipt
            .body_text
            .contains(&format!("/track/{id}?code={code}"))
    );
    // So does the resolved news.
    let news = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Kind.eq("status_update"))
        .order_by_desc(entity::outbox::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("status news");
    assert!(
        news.body_text.contains(&format!("?code={code}")),
        "{}",
        news.body_text
    );

    // The tracking page is open to the ID, and shows no code.
    let page = app.get(&format!("/track/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains(&code));
    // A guessed code in the address is not confirmed.
    let guess = app.get(&format!("/track/{id}?code=ABCD-EFGH")).await;
    assert!(
        !guess.body.contains("value=\"ABCD-EFGH\"") && !guess.body.contains("Simpan kode ini"),
        "never confirms a guess"
    );
    assert!(!page.body.contains("Simpan kode ini"));
    // The citizen's own link shows it and fills in the form.
    let own = app.get(&format!("/track/{id}?code={code}")).await;
    assert!(own.body.contains("Simpan kode ini"), "the code's notice");
    assert!(
        own.body.contains(&format!("value=\"{code}\"")),
        "the form filled in"
    );

    // A stranger's reopen from the page: the form again, their words kept, nothing changed.
    for typed in ["", "ABCD-EFGH"] {
        let r = app
            .call(
                "POST",
                &format!("/track/{id}/reopen"),
                Body::Form(&[("code", typed), ("reason", "Belum beres sama sekali")]),
                &[],
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(
            r.body.contains("Belum beres sama sekali"),
            "the reason kept"
        );
        assert!(r.body.contains("id=\"e-code\""), "the code's error");
        assert_eq!(status(&app, &id).await, "resolved");
    }
    // The citizen, from the page, with the code.
    let r = app
        .call(
            "POST",
            &format!("/track/{id}/reopen"),
            Body::Form(&[("code", &code), ("reason", "Belum beres")]),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(status(&app, &id).await, "reopened");
}

#[actix_web::test]
async fn a_code_opens_only_its_own_complaint_and_a_replay_answers_the_same_code() {
    let app = spawn_app().await;
    let a = file(&app, json!({})).await;
    let b = file(&app, json!({})).await;
    let (a_id, a_code) = (
        a["tracking_id"].as_str().unwrap(),
        a["reopen_code"].as_str().unwrap(),
    );
    let b_id = b["tracking_id"].as_str().unwrap();
    assert_ne!(a_code, b["reopen_code"].as_str().unwrap());
    resolve(&app, b_id).await;
    let r = app
        .post_json(
            &format!("/api/v1/complaints/{b_id}/reopen"),
            &json!({"code": a_code}),
        )
        .await;
    assert_eq!(r.status, 422, "another complaint's code: {}", r.body);
    assert_eq!(status(&app, b_id).await, "resolved");
    // A retried filing (same Idempotency-Key) answers the same ID and code.
    let body = json!({"unit": RSUD, "kind": "pengaduan", "category": "waktu_tunggu",
        "description": "Antrean pendaftaran tidak bergerak selama tiga jam."});
    let mut answers = vec![];
    for _ in 0..2 {
        let r = app
            .call(
                "POST",
                "/api/v1/complaints",
                Body::Json(&body),
                &[("idempotency-key", "reopen-replay-1")],
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        answers.push(r.json());
    }
    assert_eq!(answers[0], answers[1]);
    assert_ne!(answers[0]["tracking_id"], a_id);
}

#[actix_web::test]
async fn a_chat_complainant_gets_the_code_in_the_reply_and_it_works() {
    let app = spawn_app_with(&[("SUARA_SMS_TOKEN", "reopen-gateway")]).await;
    let from = "+6281299990001";
    for (i, text) in [
        format!("ADUAN {RSUD}"),
        "1".into(),
        "Antrean pendaftaran tidak bergerak selama dua jam.".into(),
        "Budi".into(),
    ]
    .iter()
    .enumerate()
    {
        let r = app
            .call(
                "POST",
                "/api/v1/channels/sms",
                Body::Form(&[("from", from), ("text", text), ("id", &format!("r{i}"))]),
                &[("authorization", "Bearer reopen-gateway")],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let reply = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::ToAddr.eq(from))
        .order_by_desc(entity::outbox::Column::Id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .body_text;
    let id = reply
        .split("ID: ")
        .nth(1)
        .and_then(|r| r.split('.').next())
        .unwrap_or_else(|| panic!("no ID in {reply}"))
        .to_string();
    let code = reply
        .split("Kode buka kembali: ")
        .nth(1)
        .map(|r| r.chars().take(9).collect::<String>())
        .unwrap_or_else(|| panic!("no code in {reply}"));
    resolve(&app, &id).await;
    let r = app
        .post_json(
            &format!("/api/v1/complaints/{id}/reopen"),
            &json!({"code": code}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(status(&app, &id).await, "reopened");
}
