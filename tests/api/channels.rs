//! The SMS channel end to end: a gateway posts a citizen's messages, the conversation files a
//! complaint or stores a survey, and the replies reach a fake gateway through the outbox.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, spawn_app_with};

const UNIT: &str = "disdukcapil-kota-jambi";
const TOKEN: &str = "gateway-secret-123";

type Inbox = Arc<Mutex<Vec<Value>>>;

/// A gateway that takes every outbound SMS and keeps its JSON body; answers 200.
async fn gateway() -> (String, Inbox) {
    let inbox: Inbox = Arc::default();
    let kept = inbox.clone();
    let server = HttpServer::new(move || {
        let kept = kept.clone();
        App::new().route(
            "/send",
            web::post().to(move |body: web::Json<Value>| {
                let kept = kept.clone();
                async move {
                    kept.lock().unwrap().push(body.into_inner());
                    HttpResponse::Ok().finish()
                }
            }),
        )
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .expect("bind the gateway");
    let addr = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    (format!("http://{addr}/send"), inbox)
}

async fn sms_app() -> (TestApp, Inbox) {
    let (url, inbox) = gateway().await;
    let app = spawn_app_with(&[
        ("SUARA_SMS_TOKEN", TOKEN),
        ("SUARA_SMS_SEND_URL", &url),
        ("SUARA_MAIL_RETRY_MS", "200"),
    ])
    .await;
    (app, inbox)
}

async fn sms(app: &TestApp, from: &str, text: &str, id: &str) {
    let auth = format!("Bearer {TOKEN}");
    let r = app
        .call(
            "POST",
            "/api/v1/channels/sms",
            Body::Form(&[("from", from), ("text", text), ("id", id)]),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(r.status, 200, "{text}: {}", r.body);
    assert_eq!(r.json()["ok"], true);
}

/// The texts the gateway received for `to` once one of them contains `want` (up to 15 s).
async fn wait_for(app: &TestApp, inbox: &Inbox, to: &str, want: &str) -> Vec<String> {
    for _ in 0..150 {
        app.state.outbox.wake();
        let texts: Vec<String> = inbox
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m["to"] == to)
            .map(|m| m["text"].as_str().unwrap_or_default().to_string())
            .collect();
        if texts.iter().any(|t| t.contains(want)) {
            return texts;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the gateway never received {want:?} for {to}");
}

#[actix_web::test]
async fn an_sms_complaint_is_filed_and_its_tracking_id_sent_back() {
    let (app, inbox) = sms_app().await;
    let number = "+6281234567001";
    sms(&app, number, &format!("ADUAN {UNIT}"), "m1").await;
    sms(&app, number, "1", "m2").await;
    sms(
        &app,
        number,
        "Antrean sangat panjang dan tidak ada nomor urut.",
        "m3",
    )
    .await;
    sms(&app, number, "-", "m4").await;
    let texts = wait_for(&app, &inbox, number, "ID: ").await;
    let filed = texts.iter().find(|t| t.contains("ID: ")).unwrap();
    let tracking = filed
        .split("ID: ")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .unwrap()
        .to_string();
    assert!(filed.contains(&format!("/track/{tracking}")), "{filed}");
    let r = app.get(&format!("/api/v1/complaints/{tracking}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Every reply was sent once, with its outbox id for the gateway to de-duplicate.
    let ids: Vec<i64> = inbox
        .lock()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids, unique);

    let sessions = entity::chat_session::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    let s = &sessions[0];
    assert_eq!(s.channel, "sms");
    assert_eq!(s.sender_hash, suara::security::sha256_hex(number));
    for field in [&s.sender_hash, &s.state, &s.lang] {
        assert!(
            !field.contains("81234567001"),
            "the number in clear: {field}"
        );
    }
}

#[actix_web::test]
async fn an_sms_survey_stores_one_response_on_the_sms_channel() {
    let (app, inbox) = sms_app().await;
    let number = "081234567002";
    let mut n = 0;
    let mut say = |text: String| {
        n += 1;
        (text, format!("s{n}"))
    };
    let mut messages = vec![say(format!("SKM {UNIT}")), say("1".into())];
    for _ in 0..9 {
        messages.push(say("4".into()));
    }
    messages.push(say("15".into()));
    messages.push(say("Pelayanan cepat.".into()));
    for (text, id) in &messages {
        sms(&app, number, text, id).await;
    }
    wait_for(&app, &inbox, number, "Jawaban Anda tersimpan").await;
    let rows = entity::response::Entity::find()
        .filter(entity::response::Column::Channel.eq("sms"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].wait_minutes, Some(15));
    // Planners see it by channel, in JSON and in the spreadsheet.
    let t = app.token_user("planner@bappeda.id", "planner", &[]).await;
    let a = app
        .get_as(&t, &format!("/api/v1/analytics/units/{UNIT}?by=day"))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = a.json();
    assert_eq!(a["channels"]["responses"]["sms"], 1, "{}", a["channels"]);
    let today = a["series"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(today["channels"]["responses"]["sms"], 1);
    let csv = app
        .get_as(&t, &format!("/api/v1/analytics/units/{UNIT}.csv?by=day"))
        .await;
    let lines: Vec<&str> = csv.body.lines().collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = header.iter().position(|h| *h == "responses_sms").unwrap();
    let last: Vec<&str> = lines.last().unwrap().split(',').collect();
    assert_eq!(last[col], "1", "{}", csv.body);
    // The gateway redelivers the last message: the conversation is over, nothing new is stored.
    let (text, id) = messages.last().unwrap();
    sms(&app, number, text, id).await;
    let again = entity::response::Entity::find()
        .filter(entity::response::Column::Channel.eq("sms"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
}

#[actix_web::test]
async fn the_sms_route_wants_the_gateway_token_and_is_off_without_one() {
    let (app, _inbox) = sms_app().await;
    let body = json!({"from": "+628111", "text": "BANTUAN"});
    for auth in [None, Some("Bearer wrong"), Some("gateway-secret-123")] {
        let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("authorization", *a)).collect();
        let r = app
            .call("POST", "/api/v1/channels/sms", Body::Json(&body), &headers)
            .await;
        assert_eq!(r.status, 401, "{auth:?}: {}", r.body);
    }
    let auth = format!("Bearer {TOKEN}");
    let r = app
        .call(
            "POST",
            "/api/v1/channels/sms",
            Body::Json(&json!({"from": "+628111"})),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // A NUL never reaches the session or the intake (PostgreSQL would refuse it in text).
    let r = app
        .call(
            "POST",
            "/api/v1/channels/sms",
            Body::Form(&[("from", "+628111"), ("text", "SKM\u{0}x")]),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let off = spawn_app_with(&[]).await;
    let r = off
        .call(
            "POST",
            "/api/v1/channels/sms",
            Body::Json(&body),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
}

#[actix_web::test]
async fn a_citizen_who_gave_a_contact_gets_status_news_by_sms() {
    let (app, inbox) = sms_app().await;
    let number = "+6281234567003";
    sms(&app, number, &format!("ADUAN {UNIT}"), "n1").await;
    sms(&app, number, "2", "n2").await;
    sms(
        &app,
        number,
        "Petugas loket meminta uang tambahan tanpa kuitansi.",
        "n3",
    )
    .await;
    sms(&app, number, "Budi", "n4").await;
    let texts = wait_for(&app, &inbox, number, "ID: ").await;
    let tracking = texts
        .iter()
        .find_map(|t| t.split("ID: ").nth(1))
        .and_then(|rest| rest.split('.').next())
        .unwrap()
        .to_string();
    let stored = entity::complaint::Entity::find()
        .filter(entity::complaint::Column::TrackingId.eq(tracking.as_str()))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.channel, "sms");
    assert_eq!(stored.reply_to.as_deref(), Some(number));

    let t = app
        .token_user("sup@dukcapil.id", "supervisor", &[UNIT])
        .await;
    let path = format!("/api/v1/staff/complaints/{tracking}/transitions");
    let r = app
        .call_as(&t, "POST", &path, Some(&json!({"action": "verify"})))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .call_as(
            &t,
            "POST",
            &path,
            Some(&json!({"action": "start", "note": "Petugas sedang diperiksa."})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let texts = wait_for(&app, &inbox, number, "Petugas sedang diperiksa.").await;
    let news: Vec<&String> = texts.iter().filter(|t| t.contains(&tracking)).collect();
    assert!(
        news.iter().any(|t| t.contains("Diverifikasi")),
        "{texts:#?}"
    );
    assert!(news.iter().all(|t| t.chars().count() <= 306), "{texts:#?}");
    // The unit can call back the citizen who asked for news (the complaint is not anonim).
    let view = app
        .get_as(&t, &format!("/api/v1/staff/complaints/{tracking}"))
        .await;
    assert_eq!(view.status, 200, "{}", view.body);
    assert_eq!(view.json()["channel"], "sms");
    assert_eq!(view.json()["contact"]["phone"], number);
    assert_eq!(view.json()["contact"]["name"], "Budi");
    // The public page never shows it.
    let public = app.get(&format!("/api/v1/complaints/{tracking}")).await;
    assert!(!public.body.contains("81234567003"), "{}", public.body);
}

#[actix_web::test]
async fn the_poster_prints_the_short_code_that_the_chat_understands() {
    let (url, inbox) = gateway().await;
    let app = spawn_app_with(&[
        ("SUARA_SMS_TOKEN", TOKEN),
        ("SUARA_SMS_SEND_URL", &url),
        ("SUARA_SMS_NUMBER", "0811-7400-100"),
        ("SUARA_WHATSAPP_NUMBER", "+62 811 0000 000"),
        ("SUARA_MAIL_RETRY_MS", "200"),
    ])
    .await;
    let poster = app.get(&format!("/u/{UNIT}/poster")).await;
    assert_eq!(poster.status, 200);
    let code = poster
        .body
        .split("SKM ")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_string();
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{code}");
    // (Tera escapes the slashes of an attribute; a browser reads them back.)
    let html = poster.body.replace("&#x2F;", "/");
    assert!(
        html.contains(&format!("https://wa.me/628110000000?text=SKM%20{code}")),
        "{html}"
    );
    assert!(poster.body.contains("0811-7400-100"));
    assert!(poster.body.contains(&format!("ADUAN {code}")));
    // Typed on a feature phone, the code opens the unit's survey.
    let number = "+6281234567004";
    sms(&app, number, &format!("skm {code}"), "p1").await;
    let texts = wait_for(&app, &inbox, number, "1/12").await;
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Dukcapil") || t.contains("Kependudukan")),
        "{texts:#?}"
    );
    // Without the numbers configured, the poster has no chat instructions.
    let plain = spawn_app_with(&[]).await;
    let p = plain.get(&format!("/u/{UNIT}/poster")).await;
    assert!(!p.body.contains("wa.me"), "{}", p.body);
}
