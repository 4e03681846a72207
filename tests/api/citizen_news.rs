//! News on the citizen's channel: a web complaint that leaves only a phone hears back by SMS or
//! WhatsApp (a template outside the 24-hour window, text inside it), the desk's JSON says how
//! each piece of news went out, and a delivery the gateway refuses shows in the history.
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use suara::security::hmac_sha256_hex;

use crate::helpers::{Body, TestApp, spawn_app_with, wait_until};

const UNIT: &str = "disdukcapil-kota-jambi";
const SECRET: &str = "news-app-secret";
const PHONE_ID: &str = "5550001";

/// (path, body) of every request a stand-in gateway received.
type Inbox = Arc<Mutex<Vec<(String, Value)>>>;

/// A stand-in for an SMS gateway or the Graph API: keeps every JSON body, answers `status`.
async fn stand_in(status: u16) -> (String, Inbox) {
    let inbox: Inbox = Arc::default();
    let kept = inbox.clone();
    let server = HttpServer::new(move || {
        let kept = kept.clone();
        App::new().default_service(web::to(move |req: HttpRequest, body: web::Json<Value>| {
            let kept = kept.clone();
            async move {
                kept.lock()
                    .unwrap()
                    .push((req.path().to_string(), body.into_inner()));
                HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                    .json(json!({"messages": [{"id": "wamid.out"}]}))
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .expect("bind the stand-in");
    let addr = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    (format!("http://{addr}"), inbox)
}

async fn file_with_phone(app: &TestApp, phone: &str, notify: Option<&str>) -> crate::helpers::Resp {
    let mut contact = json!({"name": "Siti", "phone": phone});
    if let Some(n) = notify {
        contact["notify"] = json!(n);
    }
    app.post_json(
        "/api/v1/complaints",
        &json!({"unit": UNIT, "kind": "pengaduan", "category": "waktu_tunggu",
            "description": "Antrean sangat panjang dan nomor urut tidak dipanggil.",
            "contact": contact}),
    )
    .await
}

async fn reply(app: &TestApp, token: &str, tracking: &str, body: &str) -> Value {
    let r = app
        .call_as(
            token,
            "POST",
            &format!("/api/v1/staff/complaints/{tracking}/replies"),
            Some(&json!({"body": body})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

async fn staff_events(app: &TestApp, token: &str, tracking: &str) -> Vec<Value> {
    let r = app
        .get_as(token, &format!("/api/v1/staff/complaints/{tracking}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["events"].as_array().unwrap().clone()
}

/// A supervisor of the unit: an API token and a logged-in page session.
async fn supervisor(app: &TestApp, email: &str) -> (String, crate::helpers::Session) {
    let pw = app.create_user(email, "supervisor", &[UNIT]).await;
    let u = suara::store::users::find_by_email(&app.state.db, email)
        .await
        .unwrap()
        .unwrap();
    let token = suara::store::users::create_token(&app.state.db, u.id, "test")
        .await
        .unwrap();
    (token, app.login(email, &pw).await)
}

async fn page(app: &TestApp, s: &crate::helpers::Session, path: &str) -> String {
    let r = app.get_with(path, &[("cookie", &s.cookie)]).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

/// An app sending on WhatsApp (with the status template) to a Graph API stand-in.
async fn whatsapp_app() -> (TestApp, Inbox) {
    let (url, inbox) = stand_in(200).await;
    let app = spawn_app_with(&[
        ("SUARA_WHATSAPP_VERIFY_TOKEN", "verify"),
        ("SUARA_WHATSAPP_APP_SECRET", SECRET),
        ("SUARA_WHATSAPP_API_URL", &format!("{url}/v21.0")),
        ("SUARA_WHATSAPP_TOKEN", "graph-token"),
        ("SUARA_WHATSAPP_PHONE_NUMBER_ID", PHONE_ID),
        ("SUARA_WHATSAPP_TEMPLATE_STATUS", "suara_status_update"),
        ("SUARA_MAIL_RETRY_MS", "100"),
    ])
    .await;
    (app, inbox)
}

/// A signed Cloud API notification: `from` said `text` at `sent_at` (epoch seconds).
async fn wa_says(app: &TestApp, from: &str, id: &str, sent_at: i64, text: &str) {
    let body = serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"phone_number_id": PHONE_ID},
            "contacts": [{"wa_id": from}],
            "messages": [{"from": from, "id": id, "timestamp": sent_at.to_string(),
                "type": "text", "text": {"body": text}}]
        }}]}]
    }))
    .unwrap();
    let sig = format!("sha256={}", hmac_sha256_hex(SECRET.as_bytes(), &body));
    let r = app
        .call(
            "POST",
            "/api/v1/channels/whatsapp",
            Body::Raw("application/json", body),
            &[("x-hub-signature-256", &sig)],
        )
        .await;
    assert_eq!(r.status, 200, "{text}: {}", r.body);
}

/// Polls until `inbox` holds `n` requests (the outbox worker is woken meanwhile).
async fn received(app: &TestApp, inbox: &Inbox, n: usize) -> Vec<(String, Value)> {
    let ok = wait_until(15, || async {
        app.state.outbox.wake();
        inbox.lock().unwrap().len() >= n
    })
    .await;
    assert!(ok, "the stand-in got {:?}", inbox.lock().unwrap());
    inbox.lock().unwrap().clone()
}

#[actix_web::test]
async fn a_phone_only_web_complaint_hears_back_by_sms_and_the_desk_says_so() {
    let (url, inbox) = stand_in(200).await;
    let app = spawn_app_with(&[
        ("SUARA_SMS_SEND_URL", &format!("{url}/send")),
        ("SUARA_MAIL_RETRY_MS", "100"),
    ])
    .await;
    // The form offers e-mail and SMS, the channels configured here.
    let form = app.get(&format!("/u/{UNIT}/complaint")).await;
    assert!(
        form.body.contains(r#"name="contact.notify" value="sms""#),
        "{}",
        form.body
    );
    assert!(form.body.contains(r#"name="contact.notify" value="email""#));
    assert!(!form.body.contains(r#"value="whatsapp""#));
    // WhatsApp is not configured here: asking for it is a field error, not a silent drop.
    let r = file_with_phone(&app, "0812-3456-7001", Some("whatsapp")).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("contact.notify"), "{}", r.body);
    let r = file_with_phone(&app, "0812-3456-7001", None).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let tracking = r.json()["tracking_id"].as_str().unwrap().to_string();

    let (t, desk) = supervisor(&app, "kasi@disdukcapil.id").await;
    let answered = reply(&app, &t, &tracking, "Loket tambahan dibuka mulai Senin.").await;
    assert_eq!(answered["notified_via"], "sms");
    let got = received(&app, &inbox, 1).await;
    assert_eq!(got[0].1["to"], "0812-3456-7001");
    let text = got[0].1["text"].as_str().unwrap();
    assert!(text.contains(&tracking), "{text}");
    assert!(text.contains("Loket tambahan"), "{text}");

    let events = staff_events(&app, &t, &tracking).await;
    let reply_event = events.iter().find(|e| e["kind"] == "reply").unwrap();
    assert_eq!(reply_event["notified_via"], "sms");
    // The filing itself told nobody anything; only the reply carries news.
    assert!(events[0]["notified_via"].is_null());
    let sent = wait_until(10, || async {
        staff_events(&app, &t, &tracking)
            .await
            .iter()
            .any(|e| e["kind"] == "reply" && e["delivery"]["state"] == "sent")
    })
    .await;
    assert!(sent, "{:?}", staff_events(&app, &t, &tracking).await);

    // The desk page says where the reply went.
    let html = page(
        &app,
        &desk,
        &format!("/staff/complaints/{tracking}?ok=reply_sms"),
    )
    .await;
    assert!(html.contains("Balasan dikirim lewat SMS."), "{html}");
    assert!(
        html.contains("kabar dikirim lewat SMS · terkirim"),
        "{html}"
    );
}

#[actix_web::test]
async fn whatsapp_news_is_a_template_outside_the_window_and_text_inside_it() {
    let (app, inbox) = whatsapp_app().await;
    // A phone and no e-mail: WhatsApp by default.
    let r = file_with_phone(&app, "0812 3456 7002", None).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let tracking = r.json()["tracking_id"].as_str().unwrap().to_string();
    let t = app
        .token_user("kasi2@disdukcapil.id", "supervisor", &[UNIT])
        .await;
    let r = app
        .call_as(
            &t,
            "POST",
            &format!("/api/v1/staff/complaints/{tracking}/transitions"),
            Some(&json!({"action": "verify", "note": "Laporan\nsedang   kami periksa."})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The citizen never wrote to the business number: only an approved template may reach them.
    let got = received(&app, &inbox, 1).await;
    let (path, m) = &got[0];
    assert_eq!(path, &format!("/v21.0/{PHONE_ID}/messages"));
    assert_eq!(m["to"], "6281234567002");
    assert_eq!(m["type"], "template", "{m}");
    assert_eq!(m["template"]["name"], "suara_status_update");
    assert_eq!(m["template"]["language"]["code"], "id");
    let params: Vec<&str> = m["template"]["components"][0]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        params,
        [
            tracking.as_str(),
            "Diverifikasi",
            "Laporan sedang kami periksa."
        ]
    );
    let events = staff_events(&app, &t, &tracking).await;
    let verified = events
        .iter()
        .find(|e| e["to_status"] == "verified")
        .unwrap();
    assert_eq!(verified["notified_via"], "whatsapp");

    // The citizen writes now (a signed webhook with the current time): free text again.
    let now = chrono::Utc::now().timestamp();
    wa_says(&app, "6281234567002", "wamid.news-1", now, "terima kasih").await;
    let before = received(&app, &inbox, 2).await.len();
    let answered = reply(&app, &t, &tracking, "Loket dua dibuka besok pagi.").await;
    assert_eq!(answered["notified_via"], "whatsapp");
    let got = received(&app, &inbox, before + 1).await;
    let news = got
        .iter()
        .find(|(_, m)| {
            m["type"] == "text"
                && m["text"]["body"]
                    .as_str()
                    .unwrap_or("")
                    .contains("Loket dua")
        })
        .unwrap_or_else(|| panic!("no text news in {got:?}"));
    assert_eq!(news.1["to"], "6281234567002");
}

#[actix_web::test]
async fn a_whatsapp_complainant_quiet_for_a_day_gets_the_template() {
    let (app, inbox) = whatsapp_app().await;
    // The complaint as the chat files it: a WhatsApp number that asked for news.
    let from = "6281234567003";
    let day_ago = (chrono::Utc::now() - chrono::Duration::hours(25)).timestamp();
    let r = file_with_phone(&app, "0811 0000 0000", Some("sms")).await;
    assert_eq!(r.status, 422, "SMS is not configured here: {}", r.body);
    let mut n = 0;
    for text in [
        format!("ADUAN {UNIT}"),
        "1".into(),
        "Antrean sangat panjang dan nomor urut tidak dipanggil.".into(),
        "Siti".into(),
    ] {
        n += 1;
        wa_says(&app, from, &format!("wamid.q{n}"), day_ago, &text).await;
    }
    let c = entity::complaint::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.channel == "whatsapp")
        .expect("the chat filed a complaint");
    assert_eq!(c.notify_via.as_deref(), Some("whatsapp"));
    let t = app
        .token_user("kasi3@disdukcapil.id", "supervisor", &[UNIT])
        .await;
    let answered = reply(&app, &t, &c.tracking_id, "Kami tambah petugas loket.").await;
    assert_eq!(answered["notified_via"], "whatsapp");
    let template = || {
        inbox
            .lock()
            .unwrap()
            .iter()
            .find(|(_, m)| m["type"] == "template")
            .map(|(_, m)| m.clone())
    };
    let came = wait_until(15, || async {
        app.state.outbox.wake();
        template().is_some()
    })
    .await;
    assert!(came, "no template in {:?}", inbox.lock().unwrap());
    let m = template().unwrap();
    assert_eq!(m["to"], from);
    assert_eq!(
        m["template"]["components"][0]["parameters"][0]["text"],
        c.tracking_id.as_str()
    );
}

#[actix_web::test]
async fn a_refused_delivery_shows_in_the_history() {
    let (url, inbox) = stand_in(503).await;
    let app = spawn_app_with(&[
        ("SUARA_SMS_SEND_URL", &format!("{url}/send")),
        ("SUARA_MAIL_RETRY_MS", "100"),
    ])
    .await;
    let r = file_with_phone(&app, "081234567004", Some("sms")).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let tracking = r.json()["tracking_id"].as_str().unwrap().to_string();
    let (t, desk) = supervisor(&app, "kasi4@disdukcapil.id").await;
    reply(&app, &t, &tracking, "Kami tindak lanjuti minggu ini.").await;
    received(&app, &inbox, 1).await;
    let failed = wait_until(10, || async {
        staff_events(&app, &t, &tracking).await.iter().any(|e| {
            e["delivery"]["state"] == "failed"
                && e["delivery"]["error"]
                    .as_str()
                    .unwrap_or("")
                    .contains("503")
        })
    })
    .await;
    assert!(failed, "{:?}", staff_events(&app, &t, &tracking).await);
    let html = page(&app, &desk, &format!("/staff/complaints/{tracking}")).await;
    assert!(
        html.contains("kabar dikirim lewat SMS · gagal dikirim"),
        "{html}"
    );
}
