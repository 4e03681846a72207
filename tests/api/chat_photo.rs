//! A photo sent on WhatsApp in the middle of a complaint becomes the complaint's attachment:
//! fetched from a Graph API stand-in (media id → URL → bytes, with the bearer token), checked
//! by content like a web upload, held for the conversation and attached when it files. Outside
//! a complaint the citizen is told where photos go; a redelivery changes nothing.
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use suara::security::hmac_sha256_hex;

use crate::helpers::{Body, TestApp, spawn_app_with, wait_until};

const UNIT: &str = "disdukcapil-kota-jambi";
const SECRET: &str = "photo-app-secret";
const PHONE_ID: &str = "5550002";
const TOKEN: &str = "graph-token-photo";

/// Texts sent to citizens, and the authorisation each media request carried.
type Seen = Arc<Mutex<(Vec<Value>, Vec<String>)>>;

fn png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(20_000, 3);
    png
}

async fn graph(base_holder: Arc<Mutex<String>>) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let kept = seen.clone();
    let server = HttpServer::new(move || {
        let (kept, base) = (kept.clone(), base_holder.clone());
        App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
            let (kept, base) = (kept.clone(), base.clone());
            async move {
                let auth = req
                    .headers()
                    .get("authorization")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let path = req.path().to_string();
                if req.method() == actix_web::http::Method::POST {
                    let v: Value = serde_json::from_slice(&body).unwrap_or_default();
                    kept.lock().unwrap().0.push(v);
                    return HttpResponse::Ok().json(json!({"messages": [{"id": "wamid.out"}]}));
                }
                kept.lock().unwrap().1.push(auth);
                match path.as_str() {
                    "/v21.0/777001" => HttpResponse::Ok().json(json!({
                        "url": format!("{}/media/777001.bin", base.lock().unwrap()),
                        "mime_type": "image/png", "id": "777001"})),
                    "/v21.0/777002" => HttpResponse::Ok().json(json!({
                        "url": format!("{}/media/777002.bin", base.lock().unwrap()),
                        "mime_type": "image/png", "id": "777002"})),
                    "/media/777001.bin" => HttpResponse::Ok().body(png()),
                    "/media/777002.bin" => HttpResponse::Ok().body(b"MZ not an image".to_vec()),
                    _ => HttpResponse::NotFound().finish(),
                }
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .expect("bind the stand-in Graph API");
    let addr = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    (format!("http://{addr}"), seen)
}

async fn send(app: &TestApp, from: &str, id: &str, message: Value) {
    let mut m = message;
    m["from"] = json!(from);
    m["id"] = json!(id);
    m["timestamp"] = json!(chrono::Utc::now().timestamp().to_string());
    let body = serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"phone_number_id": PHONE_ID},
            "messages": [m]
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
    assert_eq!(r.status, 200, "{}", r.body);
}

fn text(t: &str) -> Value {
    json!({"type": "text", "text": {"body": t}})
}

fn image(id: &str) -> Value {
    json!({"type": "image", "image": {"id": id, "mime_type": "image/png"}})
}

/// Waits until a message to the citizen contains `want`.
async fn told(app: &TestApp, seen: &Seen, want: &str) {
    let ok = wait_until(15, || async {
        app.state.outbox.wake();
        seen.lock()
            .unwrap()
            .0
            .iter()
            .any(|m| m["text"]["body"].as_str().is_some_and(|b| b.contains(want)))
    })
    .await;
    assert!(ok, "never told {want:?}: {:?}", seen.lock().unwrap().0);
}

#[actix_web::test]
async fn a_whatsapp_photo_during_a_complaint_becomes_its_attachment() {
    let base = Arc::new(Mutex::new(String::new()));
    let (url, seen) = graph(base.clone()).await;
    *base.lock().unwrap() = url.clone();
    let app = spawn_app_with(&[
        ("SUARA_WHATSAPP_VERIFY_TOKEN", "verify"),
        ("SUARA_WHATSAPP_APP_SECRET", SECRET),
        ("SUARA_WHATSAPP_API_URL", &format!("{url}/v21.0")),
        ("SUARA_WHATSAPP_TOKEN", TOKEN),
        ("SUARA_WHATSAPP_PHONE_NUMBER_ID", PHONE_ID),
        ("SUARA_MAIL_RETRY_MS", "100"),
    ])
    .await;
    let from = "6281234567010";
    // Outside a complaint: told where photos go, nothing kept.
    send(&app, from, "wamid.p0", image("777001")).await;
    told(&app, &seen, "Foto hanya dapat dikirim saat membuat aduan").await;

    send(&app, from, "wamid.p1", text(&format!("ADUAN {UNIT}"))).await;
    send(&app, from, "wamid.p2", text("1")).await;
    send(&app, from, "wamid.p3", image("777001")).await;
    told(&app, &seen, "Foto diterima (1 dari 3)").await;
    // Meta redelivers the same photo: still one.
    send(&app, from, "wamid.p3", image("777001")).await;
    // Not an image by its bytes: refused, not kept.
    send(&app, from, "wamid.p4", image("777002")).await;
    told(&app, &seen, "Foto tidak terbaca").await;
    send(
        &app,
        from,
        "wamid.p5",
        text("Antrean sangat panjang dan nomor urut tidak dipanggil."),
    )
    .await;
    send(&app, from, "wamid.p6", text("Siti")).await;
    let c = entity::complaint::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.channel == "whatsapp")
        .expect("the chat filed a complaint");
    let attachments = suara::store::complaints::attachments(&app.state.db, c.id)
        .await
        .unwrap();
    assert_eq!(attachments.len(), 1, "{attachments:?}");
    assert_eq!(attachments[0].content_type, "image/png");
    assert_eq!(attachments[0].size, 20_000);
    let on_disk = std::fs::read(
        app.state
            .settings
            .attachments_dir
            .join(&attachments[0].stored_name),
    )
    .unwrap();
    assert_eq!(on_disk, png());
    assert!(
        entity::held_upload::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
    // Every media request carried the bearer token.
    let auths = seen.lock().unwrap().1.clone();
    assert!(
        !auths.is_empty() && auths.iter().all(|a| a == &format!("Bearer {TOKEN}")),
        "{auths:?}"
    );
}
