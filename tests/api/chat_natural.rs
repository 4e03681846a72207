//! The chat talks like people, end to end over the SMS gateway: a greeting gets the menu, the
//! SKM is answered with words and "45 menit", a complaint's tracking reply thanks and gives the
//! deadline in words, `CEK <ID>` answers the status, and a unit with its own questionnaire is
//! surveyed with its own questions.
use std::sync::{Arc, Mutex};

use actix_web::{App, HttpResponse, HttpServer, web};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, spawn_app_with, wait_until};

const TOKEN: &str = "natural-gateway";
const DUKCAPIL: &str = "disdukcapil-kota-jambi";

type Inbox = Arc<Mutex<Vec<Value>>>;

async fn gateway() -> (String, Inbox) {
    let inbox: Inbox = Arc::default();
    let kept = inbox.clone();
    let server = HttpServer::new(move || {
        let kept = kept.clone();
        App::new().default_service(web::to(move |body: web::Json<Value>| {
            let kept = kept.clone();
            async move {
                kept.lock().unwrap().push(body.into_inner());
                HttpResponse::Ok().finish()
            }
        }))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .expect("bind the gateway");
    let addr = server.addrs()[0];
    actix_web::rt::spawn(server.run());
    (format!("http://{addr}/send"), inbox)
}

async fn app() -> (TestApp, Inbox) {
    let (url, inbox) = gateway().await;
    let app = spawn_app_with(&[
        ("SUARA_SMS_TOKEN", TOKEN),
        ("SUARA_SMS_SEND_URL", &url),
        ("SUARA_MAIL_RETRY_MS", "100"),
    ])
    .await;
    (app, inbox)
}

async fn say(app: &TestApp, from: &str, id: &str, text: &str) {
    let r = app
        .call(
            "POST",
            "/api/v1/channels/sms",
            Body::Form(&[("from", from), ("text", text), ("id", id)]),
            &[("authorization", &format!("Bearer {TOKEN}"))],
        )
        .await;
    assert_eq!(r.status, 200, "{text}: {}", r.body);
}

/// Everything sent to `to`, once some message contains `want`.
async fn heard(app: &TestApp, inbox: &Inbox, to: &str, want: &str) -> Vec<String> {
    let texts = || -> Vec<String> {
        inbox
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m["to"] == to)
            .map(|m| m["text"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    let ok = wait_until(15, || async {
        app.state.outbox.wake();
        texts().iter().any(|t| t.contains(want))
    })
    .await;
    assert!(ok, "{to} never heard {want:?}: {:#?}", texts());
    texts()
}

#[actix_web::test]
async fn the_skm_by_sms_in_words_and_a_complaint_checked_by_its_id() {
    let (app, inbox) = app().await;
    let from = "+6281234560001";
    say(&app, from, "g1", "Halo").await;
    heard(&app, &inbox, from, "CEK <ID pelacakan>").await;

    let messages = [
        format!("SKM {DUKCAPIL}"),
        "1".into(),
        "sangat sesuai".into(),
        "mudah".into(),
        "Cepat".into(),
        "gratis".into(),
        "sesuai".into(),
        "kompeten".into(),
        "sopan dan ramah".into(),
        "baik".into(),
        "dikelola dengan baik".into(),
        "45 menit".into(),
        "Terima kasih, pelayanan cepat.".into(),
    ];
    for (i, m) in messages.iter().enumerate() {
        say(&app, from, &format!("s{i}"), m).await;
    }
    let texts = heard(&app, &inbox, from, "Terima kasih! Jawaban Anda tersimpan").await;
    // The menu, 12 questions (some with a repeat if a word was not understood), the thanks.
    let survey_texts: Vec<&String> = texts.iter().skip(1).collect();
    eprintln!(
        "SKM by SMS:\n{}",
        survey_texts
            .iter()
            .map(|t| format!("  < {t}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(survey_texts[0].contains("1/12"), "{survey_texts:#?}");
    assert!(survey_texts[0].starts_with("Survei kepuasan Dinas Kependudukan"));
    assert!(
        !texts.iter().any(|t| t.contains("Balas dengan nomor")),
        "every answer in words was understood: {texts:#?}"
    );
    assert!(survey_texts.len() <= 13, "{} messages", survey_texts.len());
    let rows = entity::response::Entity::find()
        .filter(entity::response::Column::Channel.eq("sms"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].wait_minutes, Some(45));
    let answers: Value = serde_json::from_str(&rows[0].answers).unwrap();
    assert_eq!(answers["U1"], 4, "sangat sesuai: {answers}");
    assert_eq!(answers["U2"], 3, "mudah: {answers}");
    assert_eq!(answers["U4"], 4, "gratis: {answers}");

    // A complaint: thanks and the deadline in words; then CEK with its ID.
    for (i, m) in [
        format!("ADUAN {DUKCAPIL}"),
        "waktu tunggu".into(),
        "Antrean KTP sangat lama dan nomor urut tidak dipanggil.".into(),
        "-".into(),
    ]
    .iter()
    .enumerate()
    {
        say(&app, from, &format!("a{i}"), m).await;
    }
    let texts = heard(&app, &inbox, from, "ID: SRA-").await;
    let filed = texts.iter().find(|t| t.contains("ID: SRA-")).unwrap();
    assert!(
        filed.starts_with("Terima kasih, aduan Anda kami terima."),
        "{filed}"
    );
    assert!(filed.contains("Paling lambat "), "{filed}");
    let tracking: String = filed
        .split("ID: ")
        .nth(1)
        .unwrap()
        .chars()
        .take(13)
        .collect();
    let c = suara::store::complaints::by_tracking_id(&app.state.db, &tracking)
        .await
        .unwrap()
        .unwrap();
    let due = suara::domain::format::long_date(c.due_resolve, true);
    assert!(filed.contains(&due), "{filed} / {due}");
    // SMS carries no photo: the citizen is told where photos go.
    assert!(
        texts
            .iter()
            .any(|t| t.contains("/u/disdukcapil-kota-jambi/complaint")),
        "{texts:#?}"
    );
    say(
        &app,
        from,
        "c1",
        &format!("cek {}", tracking.to_lowercase()),
    )
    .await;
    let texts = heard(&app, &inbox, from, "Batas penyelesaian").await;
    let status = texts
        .iter()
        .find(|t| t.contains("Batas penyelesaian"))
        .unwrap();
    assert!(
        status.contains(&tracking) && status.contains("Diterima"),
        "{status}"
    );
    say(&app, from, "c2", "CEK SRA-ZZZZ-ZZZZ").await;
    heard(&app, &inbox, from, "tidak ditemukan").await;
}

#[actix_web::test]
async fn a_unit_with_its_own_questionnaire_is_surveyed_with_it() {
    let (app, inbox) = app().await;
    let admin = app.token_user("admin@x.id", "admin", &[]).await;
    let def = json!({"title": {"id": "Survei singkat", "en": "Short survey"}, "questions": [
        {"code": "NPS", "type": "nps", "label": {"id": "Seberapa mungkin Anda merekomendasikan layanan ini (0–10)?", "en": "How likely are you to recommend us (0–10)?"}, "required": true},
        {"code": "FAST", "type": "yes_no", "label": {"id": "Apakah layanannya cepat?", "en": "Was it quick?"}, "signal": "wait_time"},
        {"code": "WHY", "type": "text", "max_length": 200, "label": {"id": "Apa yang lambat?", "en": "What was slow?"}, "show_if": {"code": "FAST", "equals": false}}
    ]});
    let r = app
        .call_as(
            &admin,
            "POST",
            "/api/v1/admin/surveys",
            Some(
                &json!({"code": "singkat", "name": "Singkat", "definition": def, "publish": true}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = app
        .call_as(
            &admin,
            "PUT",
            "/api/v1/admin/units/samsat-kota-jambi/survey",
            Some(&json!({"survey": "singkat"})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let from = "+6281234560002";
    for (i, m) in ["SKM samsat-kota-jambi", "9", "tidak", "Antre di kasir lama"]
        .iter()
        .enumerate()
    {
        say(&app, from, &format!("k{i}"), m).await;
    }
    let texts = heard(&app, &inbox, from, "Jawaban Anda tersimpan").await;
    assert!(
        texts[0].contains("Seberapa mungkin Anda merekomendasikan"),
        "{texts:#?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("Apa yang lambat?")),
        "{texts:#?}"
    );
    let rows = entity::response::Entity::find()
        .filter(entity::response::Column::Channel.eq("sms"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "stored, not 'not stored'");
    let answers: Value = serde_json::from_str(&rows[0].answers).unwrap();
    assert_eq!(answers["NPS"], 9);
    assert_eq!(answers["FAST"], false);
    assert_eq!(answers["WHY"], "Antre di kasir lama");
}
