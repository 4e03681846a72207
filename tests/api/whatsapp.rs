//! WhatsApp Cloud API end to end: Meta's handshake, signed notifications driving a survey to
//! one stored response, redeliveries that change nothing, and replies reaching a local stand-in
//! for the Graph API through the outbox.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use suara::security::hmac_sha256_hex;

use crate::helpers::{Body, TestApp, spawn_app_with};

const UNIT: &str = "disdukcapil-kota-jambi";
const SECRET: &str = "app-secret-for-tests";
const VERIFY: &str = "verify-me-42";
const PHONE_ID: &str = "1098765";
const TOKEN: &str = "graph-token-xyz";

/// (path, authorization, body) of every message the stand-in Graph API received.
type Sent = Arc<Mutex<Vec<(String, String, Value)>>>;

async fn graph_api() -> (String, Sent) {
    let sent: Sent = Arc::default();
    let kept = sent.clone();
    let server = HttpServer::new(move || {
        let kept = kept.clone();
        App::new().default_service(web::to(move |req: HttpRequest, body: web::Json<Value>| {
            let kept = kept.clone();
            async move {
                let auth = req
                    .headers()
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                kept.lock()
                    .unwrap()
                    .push((req.path().to_string(), auth, body.into_inner()));
                HttpResponse::Ok().json(json!({"messages": [{"id": "wamid.out"}]}))
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .expect("bind the stand-in Graph API");
    let addr = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    (format!("http://{addr}/v21.0"), sent)
}

async fn wa_app() -> (TestApp, Sent) {
    let (url, sent) = graph_api().await;
    let app = spawn_app_with(&[
        ("SUARA_WHATSAPP_VERIFY_TOKEN", VERIFY),
        ("SUARA_WHATSAPP_APP_SECRET", SECRET),
        ("SUARA_WHATSAPP_API_URL", &url),
        ("SUARA_WHATSAPP_TOKEN", TOKEN),
        ("SUARA_WHATSAPP_PHONE_NUMBER_ID", PHONE_ID),
        ("SUARA_MAIL_RETRY_MS", "200"),
    ])
    .await;
    (app, sent)
}

/// A notification as Meta sends it, with one text message.
fn notification(from: &str, id: &str, text: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "6281100000000", "phone_number_id": PHONE_ID},
            "contacts": [{"profile": {"name": "Warga"}, "wa_id": from}],
            "messages": [{"from": from, "id": id, "timestamp": "1764633600",
                "type": "text", "text": {"body": text}}]
        }}]}]
    }))
    .unwrap()
}

async fn post_signed(app: &TestApp, body: Vec<u8>) -> crate::helpers::Resp {
    let sig = format!("sha256={}", hmac_sha256_hex(SECRET.as_bytes(), &body));
    app.call(
        "POST",
        "/api/v1/channels/whatsapp",
        Body::Raw("application/json", body),
        &[("x-hub-signature-256", &sig)],
    )
    .await
}

async fn say(app: &TestApp, from: &str, id: &str, text: &str) {
    let r = post_signed(app, notification(from, id, text)).await;
    assert_eq!(r.status, 200, "{text}: {}", r.body);
    assert_eq!(r.json()["messages"], 1);
}

/// The texts sent to `to` once one of them contains `want` (up to 15 s).
async fn wait_for(app: &TestApp, sent: &Sent, to: &str, want: &str) -> Vec<String> {
    for _ in 0..150 {
        app.state.outbox.wake();
        let texts: Vec<String> = sent
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, _, b)| b["to"] == to)
            .map(|(_, _, b)| b["text"]["body"].as_str().unwrap_or_default().to_string())
            .collect();
        if texts.iter().any(|t| t.contains(want)) {
            return texts;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the Graph API never received {want:?} for {to}");
}

async fn whatsapp_responses(app: &TestApp) -> Vec<entity::response::Model> {
    entity::response::Entity::find()
        .filter(entity::response::Column::Channel.eq("whatsapp"))
        .all(&app.state.db)
        .await
        .unwrap()
}

#[actix_web::test]
async fn a_signed_whatsapp_survey_stores_once_whatever_meta_redelivers() {
    let (app, sent) = wa_app().await;
    let wa = "6281234567010";
    let mut messages: Vec<String> = vec![format!("SKM {UNIT}"), "1".into()];
    messages.extend(["4", "3", "4", "4", "3", "4", "4", "4", "2"].map(String::from));
    messages.push("25".into());
    messages.push("Petugas ramah, antrean agak lama.".into());
    for (i, text) in messages.iter().enumerate() {
        let id = format!("wamid.in.{i}");
        say(&app, wa, &id, text).await;
        // Meta redelivers some messages mid-conversation (a slow answer, a lost 200): the
        // second copy must not answer the next question.
        if i == 4 || i == 8 {
            say(&app, wa, &id, text).await;
        }
    }
    let texts = wait_for(&app, &sent, wa, "Jawaban Anda tersimpan").await;
    // One message in, at most a few out, and every question asked once: SKM by WhatsApp
    // takes the citizen 13 messages.
    assert_eq!(messages.len(), 13);
    let rows = whatsapp_responses(&app).await;
    assert_eq!(rows.len(), 1, "{texts:#?}");
    assert_eq!(rows[0].wait_minutes, Some(25));
    let answers: Value = serde_json::from_str(&rows[0].answers).unwrap();
    // Each element has the number typed for it: the redeliveries did not shift the answers.
    // (The model questionnaire asks about facilities, U9, before complaint handling, U8.)
    let typed = [4, 3, 4, 4, 3, 4, 4, 4, 2];
    let asked = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"];
    for (code, want) in asked.iter().zip(typed) {
        assert_eq!(answers[*code], want, "{code} in {answers}");
    }
    // The whole last notification again, after the thanks: nothing new.
    say(&app, wa, "wamid.in.12", messages.last().unwrap()).await;
    assert_eq!(whatsapp_responses(&app).await.len(), 1);
    // Replies went to the business number's endpoint with the bearer token.
    let all = sent.lock().unwrap().clone();
    assert!(!all.is_empty());
    for (path, auth, body) in &all {
        assert_eq!(path, &format!("/v21.0/{PHONE_ID}/messages"));
        assert_eq!(auth, &format!("Bearer {TOKEN}"));
        assert_eq!(body["messaging_product"], "whatsapp");
        assert_eq!(body["type"], "text");
    }
    // Every reply was sent once and asks each question once.
    let thanks = texts
        .iter()
        .filter(|t| t.contains("Jawaban Anda tersimpan"))
        .count();
    assert_eq!(thanks, 1, "{texts:#?}");
}

#[actix_web::test]
async fn the_handshake_and_the_signature_guard_the_webhook() {
    let (app, _sent) = wa_app().await;
    let ok = app
        .get(&format!(
            "/api/v1/channels/whatsapp?hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=1158201444"
        ))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body, "1158201444");
    let wrong = app
        .get("/api/v1/channels/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")
        .await;
    assert_eq!(wrong.status, 403, "{}", wrong.body);

    let body = notification("6281234567011", "wamid.x", "SKM disdukcapil-kota-jambi");
    let none = app
        .call(
            "POST",
            "/api/v1/channels/whatsapp",
            Body::Raw("application/json", body.clone()),
            &[],
        )
        .await;
    assert_eq!(none.status, 401, "{}", none.body);
    let forged = format!("sha256={}", hmac_sha256_hex(b"another-secret", &body));
    let r = app
        .call(
            "POST",
            "/api/v1/channels/whatsapp",
            Body::Raw("application/json", body.clone()),
            &[("x-hub-signature-256", &forged)],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // A body changed after signing is refused too.
    let sig = format!("sha256={}", hmac_sha256_hex(SECRET.as_bytes(), &body));
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    let r = app
        .call(
            "POST",
            "/api/v1/channels/whatsapp",
            Body::Raw("application/json", tampered),
            &[("x-hub-signature-256", &sig)],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        entity::chat_session::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
    // A delivery-status notification (no messages) is fine and does nothing.
    let statuses = serde_json::to_vec(&json!({"object": "whatsapp_business_account",
        "entry": [{"changes": [{"value": {"statuses": [{"id": "wamid.out", "status": "read"}]}}]}]}))
    .unwrap();
    let r = post_signed(&app, statuses).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["messages"], 0);
    // Signed but not JSON: 400, not a 500.
    let r = post_signed(&app, b"not json".to_vec()).await;
    assert_eq!(r.status, 400, "{}", r.body);

    let off = spawn_app_with(&[]).await;
    let r = off
        .get("/api/v1/channels/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1")
        .await;
    assert_eq!(r.status, 404);
}
