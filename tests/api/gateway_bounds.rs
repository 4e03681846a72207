//! Every gateway field bounded at the door: message ids up to 255 characters, sender numbers
//! that are E.164, webhook bodies within SUARA_BODY_LIMIT_KB, chat text within a question's
//! limit, and no bidirectional control characters in any text, web or chat. Never a 500, and
//! one bad message in a WhatsApp notification does not stop the others.
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;
use suara::security::hmac_sha256_hex;

use crate::helpers::{Body, Resp, TestApp, spawn_app_with};

const UNIT: &str = "disdukcapil-kota-jambi";
const TOKEN: &str = "bounds-gateway-secret";
const SECRET: &str = "bounds-app-secret";

async fn app() -> TestApp {
    spawn_app_with(&[
        ("SUARA_SMS_TOKEN", TOKEN),
        ("SUARA_WHATSAPP_VERIFY_TOKEN", "verify"),
        ("SUARA_WHATSAPP_APP_SECRET", SECRET),
        ("SUARA_WHATSAPP_TOKEN", "graph-token"),
        ("SUARA_WHATSAPP_PHONE_NUMBER_ID", "1098765"),
    ])
    .await
}

async fn sms(app: &TestApp, from: &str, text: &str, id: &str) -> Resp {
    crate::helpers::sms_as(app, TOKEN, from, text, id).await
}

async fn whatsapp(app: &TestApp, messages: serde_json::Value) -> Resp {
    let body = serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp", "messages": messages}}]}]
    }))
    .unwrap();
    let sig = format!("sha256={}", hmac_sha256_hex(SECRET.as_bytes(), &body));
    app.call(
        "POST",
        "/api/v1/channels/whatsapp",
        Body::Raw("application/json", body),
        &[("x-hub-signature-256", &sig)],
    )
    .await
}

fn wa_text(from: &str, id: &str, text: &str) -> serde_json::Value {
    json!({"from": from, "id": id, "timestamp": "1764633600", "type": "text",
        "text": {"body": text}})
}

/// The chat replies queued for `to`, oldest first.
async fn replies_to(app: &TestApp, to: &str) -> Vec<String> {
    entity::outbox::Entity::find()
        .filter(entity::outbox::Column::ToAddr.eq(to))
        .order_by_asc(entity::outbox::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.body_text)
        .collect()
}

#[actix_web::test]
async fn message_ids_over_255_characters_are_refused_on_every_retry_never_a_500() {
    let app = app().await;
    let long = "i".repeat(300);
    for _ in 0..2 {
        let r = sms(&app, "+6281200000001", "BANTUAN", &long).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.json()["fields"]["id"].is_string(), "{}", r.body);
    }
    let longest = "i".repeat(255);
    for _ in 0..2 {
        let r = sms(&app, "+6281200000001", "BANTUAN", &longest).await;
        assert_eq!(r.status, 200, "255 characters are fine: {}", r.body);
    }
    assert_eq!(
        replies_to(&app, "+6281200000001").await.len(),
        1,
        "the redelivery of a 255-character id changed nothing"
    );
}

#[actix_web::test]
async fn one_bad_whatsapp_message_does_not_stop_the_others() {
    let app = app().await;
    let wamid = format!("wamid.{}", "A".repeat(5_000));
    let huge_sender = "6".repeat(5_000);
    let messages = json!([
        wa_text("6281200000002", &wamid, "BANTUAN"),
        wa_text(&huge_sender, "wamid.ok-1", "BANTUAN"),
        wa_text("6281200000003", "wamid.ok-2", "BANTUAN"),
    ]);
    for _ in 0..2 {
        let r = whatsapp(&app, messages.clone()).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["messages"], 1, "only the good message: {}", r.body);
    }
    assert_eq!(replies_to(&app, "6281200000003").await.len(), 1);
    assert!(replies_to(&app, "6281200000002").await.is_empty());
    let stored_senders = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::ToAddr.eq(huge_sender.as_str()))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored_senders, 0, "a 5 KB sender is nobody's number");
}

#[actix_web::test]
async fn sender_numbers_must_be_e164() {
    let app = app().await;
    for bad in [
        "TELKOMSEL",
        "+62 812 3456",
        &"6".repeat(16),
        &"6".repeat(5_000),
    ] {
        let r = sms(&app, bad, "BANTUAN", "x1").await;
        assert_eq!(r.status, 422, "{bad:.20}: {}", r.body);
        assert!(r.json()["fields"]["from"].is_string(), "{}", r.body);
    }
    assert_eq!(
        entity::outbox::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
}

#[actix_web::test]
async fn webhook_bodies_obey_the_documented_limit() {
    let app = app().await;
    let auth = format!("Bearer {TOKEN}");
    let padding = "a".repeat(100 * 1024);
    let r = app
        .call(
            "POST",
            "/api/v1/channels/sms",
            Body::Form(&[("from", "+6281200000004"), ("text", &padding)]),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.json()["error"], "payload_too_large");
    let r = whatsapp(
        &app,
        json!([wa_text("6281200000005", "wamid.big", &padding)]),
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.json()["error"], "payload_too_large");
    // Just inside the limit (64 KB) is read.
    let r = sms(&app, "+6281200000004", &"a".repeat(60 * 1024), "fits").await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[actix_web::test]
async fn chat_text_over_a_questions_limit_is_refused_with_a_message_saying_so() {
    let app = app().await;
    let from = "+6281200000006";
    let mut msgs = vec![format!("SKM {UNIT}"), "1".into()];
    msgs.extend(std::iter::repeat_n("4".to_string(), 9));
    msgs.push("-".into());
    msgs.push("x".repeat(5_000));
    for (i, m) in msgs.iter().enumerate() {
        let r = sms(&app, from, m, &format!("m{i}")).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let replies = replies_to(&app, from).await;
    let refusal = replies
        .iter()
        .find(|r| r.contains("terlalu panjang"))
        .unwrap_or_else(|| panic!("no refusal in {replies:?}"));
    assert!(
        refusal.contains("1.000"),
        "the limit, in Indonesian digits: {refusal}"
    );
    assert!(
        replies.last().unwrap().contains("komentar"),
        "the question again: {replies:?}"
    );
    let stored = entity::response::Entity::find()
        .filter(entity::response::Column::Channel.eq("sms"))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored, 0, "not stored cut short");
    // A shorter comment then finishes the same survey.
    let r = sms(&app, from, "Antrean panjang.", "m-final").await;
    assert_eq!(r.status, 200);
    let rows = entity::response::Entity::find()
        .filter(entity::response::Column::Channel.eq("sms"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].comment.as_deref(), Some("Antrean panjang."));
}

#[actix_web::test]
async fn bidirectional_controls_are_refused_in_web_text_and_dropped_from_chat() {
    let app = app().await;
    let rlo = "\u{202E}";
    // The JSON API: the field is named.
    let r = app
        .post_json(
            "/api/v1/complaints",
            &json!({"unit": UNIT, "kind": "pengaduan", "category": "waktu_tunggu",
                "description": format!("Antrean panjang sekali {rlo}gpj.exe di loket")}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.json()["fields"]["description"].is_string(), "{}", r.body);
    let r = app
        .post_json(
            &format!("/api/v1/units/{UNIT}/responses"),
            &json!({"answers": {"COMMENT": format!("baik\u{2066}isolasi\u{2069}")}}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // An SMS gateway's field: refused like a control character.
    let r = sms(&app, "+6281200000007", &format!("SKM{rlo} {UNIT}"), "b1").await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.json()["fields"]["text"].is_string());
    // A WhatsApp message: what the citizen wrote is kept without the override.
    let r = whatsapp(
        &app,
        json!([wa_text(
            "6281200000008",
            "wamid.b2",
            &format!("{rlo}SKM {UNIT}")
        )]),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let replies = replies_to(&app, "6281200000008").await;
    assert!(
        !replies.iter().any(|r| r.contains("tidak dikenali")),
        "the survey started: {replies:?}"
    );
    let sessions = entity::chat_session::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(sessions.iter().all(|s| !s.state.contains(rlo)));
}
