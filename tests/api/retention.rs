//! Personal data expires, by a clock the test holds (`service::retention::purge(db, files, now,
//! days)`): an outbox message loses its address and bodies exactly the retention period after
//! delivery (and its mail file with them), an unsent one is given up a period after it was
//! written and erased a period after its last attempt, a message not yet due is untouched;
//! ended chat sessions are deleted and live ones stay; a finished complaint loses its contact
//! a period after its last change, an open one keeps it.
use chrono::{DateTime, Duration, SubsecRound, Utc};
use entity::{chat_session, complaint, outbox};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};
use suara::service::retention::{Purged, purge};

use crate::helpers::{Body, TestApp, spawn_app_with};

const RSUD: &str = "rsud-raden-mattaher";
const UNIT: &str = "disdukcapil-kota-jambi";
const TOKEN: &str = "retention-gateway-secret";
const DAYS: i64 = 7;
/// In the middle of a survey.
const SURVEYING: &str = "+6281234500001";
/// Switched to English, then idle: the session remembers the language.
const ENGLISH: &str = "+6281234500002";
/// Asked for help, idle: the session remembers nothing.
const HELPED: &str = "+6281234500003";
/// A reply written a day after the rest, not yet due.
const LATER: &str = "+6281234500009";

async fn app() -> TestApp {
    spawn_app_with(&[
        ("SUARA_SMS_TOKEN", TOKEN),
        // No SUARA_SMS_SEND_URL: every SMS reply fails once and then waits an hour.
        ("SUARA_MAIL_RETRY_MS", "3600000"),
        ("SUARA_MAIL_TRANSPORT", "file"),
        ("SUARA_OUTBOX_RETENTION_DAYS", "7"),
    ])
    .await
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
}

async fn file(app: &TestApp, email: &str) -> String {
    let r = app
        .post_json(
            "/api/v1/complaints",
            &json!({"unit": RSUD, "kind": "pengaduan", "category": "waktu_tunggu",
                "description": "Antrean pendaftaran tidak bergerak selama dua jam.",
                "contact": {"name": "Sri Wahyuni", "email": email, "phone": "0812-7000-1234"}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["tracking_id"].as_str().unwrap().to_string()
}

async fn rows(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
}

async fn purge_at(app: &TestApp, now: DateTime<Utc>) -> Purged {
    purge(
        &app.state.db,
        app.state.outbox.files_dir(),
        now,
        app.state.settings.outbox_retention_days,
    )
    .await
    .unwrap()
}

/// Waits (up to 15 s) until the worker has sent every e-mail and tried every SMS once.
async fn worker_done(app: &TestApp) -> Vec<outbox::Model> {
    for _ in 0..150 {
        app.state.outbox.wake();
        let all = rows(app).await;
        if all.iter().all(|m| match m.transport.as_str() {
            "email" => m.sent_at.is_some(),
            _ => m.attempts >= 1 && m.locked_until.is_none(),
        }) {
            return all;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the worker did not get through the outbox: {:?}",
        rows(app).await
    );
}

async fn sessions(app: &TestApp) -> Vec<String> {
    let mut s: Vec<String> = chat_session::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.sender_hash)
        .collect();
    s.sort();
    s
}

fn hash(number: &str) -> String {
    suara::security::sha256_hex(number)
}

async fn complaint(app: &TestApp, id: &str) -> complaint::Model {
    complaint::Entity::find()
        .filter(complaint::Column::TrackingId.eq(id))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

fn kept(m: &outbox::Model) -> bool {
    !m.to_addr.is_empty() && !m.body_text.is_empty() && m.erased_at.is_none()
}

fn erased(m: &outbox::Model) -> bool {
    m.to_addr.is_empty()
        && m.subject.is_empty()
        && m.body_text.is_empty()
        && m.body_html.is_empty()
        && m.last_error.is_none()
        && m.erased_at.is_some()
}

#[actix_web::test]
async fn addresses_bodies_sessions_and_contacts_expire_exactly_at_their_cutoffs() {
    let app = app().await;
    let sup = app
        .token_user("sup-retention@rsud.id", "supervisor", &[RSUD])
        .await;
    let open = file(&app, "warga-a@example.id").await;
    let finished = file(&app, "warga-b@example.id").await;
    let r = app
        .call_as(
            &sup,
            "POST",
            &format!("/api/v1/staff/complaints/{finished}/transitions"),
            Some(&json!({"action": "reject", "reason": "Bukan kewenangan RSUD."})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    sms(&app, SURVEYING, &format!("SKM {UNIT}"), "m1").await;
    sms(&app, ENGLISH, "EN", "m2").await;
    sms(&app, HELPED, "BANTUAN", "m3").await;

    let before = worker_done(&app).await;
    let files = app
        .state
        .outbox
        .files_dir()
        .expect("file transport")
        .to_path_buf();
    let emails: Vec<i64> = before
        .iter()
        .filter(|m| m.transport == "email")
        .map(|m| m.id)
        .collect();
    let texts: Vec<i64> = before
        .iter()
        .filter(|m| m.transport == "sms")
        .map(|m| m.id)
        .collect();
    assert!(emails.len() >= 3, "two receipts and the rejection news");
    assert!(texts.len() >= 3, "a reply to each sender");
    for id in &emails {
        assert!(
            suara::outbox::mail::file_of(&files, *id).exists(),
            "mail file {id}"
        );
    }
    assert!(
        before
            .iter()
            .any(|m| m.to_addr == "warga-b@example.id" && m.kind == "status_update")
    );

    // --- Chat sessions, near the real clock: every session last touched at `u`.
    let u = Utc::now().trunc_subsecs(0);
    chat_session::Entity::update_many()
        .col_expr(chat_session::Column::UpdatedAt, Expr::value(u))
        .exec(&app.state.db)
        .await
        .unwrap();
    let quiet = Duration::minutes(suara::domain::conversation::QUIET_MINUTES);
    let p = purge_at(&app, u + quiet - Duration::seconds(1)).await;
    assert!(
        p.erased.is_empty() && p.given_up == 0 && p.contacts == 0,
        "{p:?}"
    );
    let mut live = vec![hash(SURVEYING), hash(ENGLISH)];
    live.sort();
    assert_eq!(
        sessions(&app).await,
        live,
        "a session that remembers nothing goes at once; a survey and a language choice stay"
    );
    assert!(rows(&app).await.iter().all(kept), "the outbox is untouched");
    let p = purge_at(&app, u + quiet).await;
    assert!(sessions(&app).await.is_empty(), "a quiet hour ends both");
    assert_eq!(p.sessions, 2, "{p:?}");

    // --- The outbox and complaints, a year ahead (the real upkeep never reaches it).
    let t0 = u + Duration::days(365);
    let period = Duration::days(DAYS);
    let db = &app.state.db;
    // Delivered at t0.
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::CreatedAt,
            Expr::value(t0 - Duration::minutes(1)),
        )
        .col_expr(outbox::Column::SentAt, Expr::value(t0))
        .col_expr(outbox::Column::LastAttemptAt, Expr::value(t0))
        .filter(outbox::Column::Id.is_in(emails.clone()))
        .exec(db)
        .await
        .unwrap();
    // Written at t0, failing ever since, last tried two hours later.
    let last_try = t0 + Duration::hours(2);
    outbox::Entity::update_many()
        .col_expr(outbox::Column::CreatedAt, Expr::value(t0))
        .col_expr(outbox::Column::LastAttemptAt, Expr::value(last_try))
        .filter(outbox::Column::Id.is_in(texts.clone()))
        .exec(db)
        .await
        .unwrap();
    // Written a day later and not yet due: nobody has tried it.
    let later = outbox::ActiveModel {
        transport: Set("sms".into()),
        kind: Set("chat_reply".into()),
        to_addr: Set(LATER.into()),
        subject: Set(String::new()),
        body_text: Set("Terima kasih.".into()),
        body_html: Set(String::new()),
        created_at: Set(t0 + Duration::days(1)),
        attempts: Set(0),
        next_attempt_at: Set(t0 + Duration::days(1)),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id;
    complaint::Entity::update_many()
        .col_expr(complaint::Column::UpdatedAt, Expr::value(t0))
        .exec(db)
        .await
        .unwrap();
    let by_id = |all: &[outbox::Model], id: i64| all.iter().find(|m| m.id == id).unwrap().clone();

    // A second before the period ends: nothing is erased, nothing given up.
    let p = purge_at(&app, t0 + period - Duration::seconds(1)).await;
    assert_eq!(p, Purged::default());
    let all = rows(&app).await;
    assert!(all.iter().all(kept), "{all:?}");
    assert!(all.iter().all(|m| m.gave_up_at.is_none()));
    assert!(complaint(&app, &finished).await.contact_email.is_some());

    // The period after delivery: the delivered messages are erased with their mail files; the
    // failing replies are given up but keep their address until a period after their last try.
    let at = t0 + period;
    let p = purge_at(&app, at).await;
    let mut erased_ids = p.erased.clone();
    erased_ids.sort();
    assert_eq!(erased_ids, emails, "{p:?}");
    assert_eq!(p.mail_files, emails.len() as u64);
    assert_eq!(p.given_up, texts.len() as u64);
    assert_eq!(p.contacts, 1, "the rejected complaint's contact");
    let all = rows(&app).await;
    for id in &emails {
        let m = by_id(&all, *id);
        assert!(erased(&m), "{m:?}");
        assert_eq!(m.erased_at, Some(at));
        // What the metrics and the record need stays.
        assert_eq!((m.transport.as_str(), m.sent_at), ("email", Some(t0)));
        assert!(!m.kind.is_empty() && m.last_attempt_at == Some(t0));
        assert!(
            !suara::outbox::mail::file_of(&files, *id).exists(),
            "mail file {id}"
        );
    }
    for id in &texts {
        let m = by_id(&all, *id);
        assert!(kept(&m) && m.last_error.is_some(), "{m:?}");
        assert_eq!(m.gave_up_at, Some(at));
    }
    let pending = by_id(&all, later);
    assert!(
        kept(&pending) && pending.gave_up_at.is_none(),
        "{pending:?}"
    );
    assert!(
        !all.iter()
            .any(|m| m.to_addr.contains("warga-") || m.body_text.contains("warga-b")),
        "no citizen e-mail left in the outbox"
    );
    let f = complaint(&app, &finished).await;
    assert_eq!(
        (f.contact_name, f.contact_email, f.contact_phone, f.reply_to),
        (None, None, None, None)
    );
    assert_eq!(f.status, "rejected");
    let o = complaint(&app, &open).await;
    assert_eq!(o.contact_email.as_deref(), Some("warga-a@example.id"));

    // Given up is never sent, even when due again; the metrics count only what still waits.
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::NextAttemptAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .filter(outbox::Column::Id.is_in(texts.clone()))
        .exec(db)
        .await
        .unwrap();
    let claimed = suara::store::outbox::claim_next(db, std::time::Duration::from_secs(60))
        .await
        .unwrap();
    assert!(claimed.is_none(), "{claimed:?}");
    assert_eq!(suara::store::outbox::pending(db).await.unwrap(), 1);
    let queue = suara::store::outbox::queue(db).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!((queue[0].0.as_str(), queue[0].1), ("sms", 1));

    // The staff view of the finished complaint still answers, without a contact.
    let v = app
        .get_as(&sup, &format!("/api/v1/staff/complaints/{finished}"))
        .await;
    assert_eq!(v.status, 200, "{}", v.body);
    assert!(!v.body.contains("warga-b@example.id") && !v.body.contains("0812"));
    let contact = &v.json()["contact"];
    assert!(
        contact.is_null() || contact.as_object().unwrap().values().all(Value::is_null),
        "{contact}"
    );

    // A period after the last try: the given-up replies are erased; the later one is untouched.
    let p = purge_at(&app, last_try + period - Duration::seconds(1)).await;
    assert!(p.erased.is_empty(), "{p:?}");
    assert!(
        rows(&app)
            .await
            .iter()
            .filter(|m| m.transport == "sms")
            .all(kept)
    );
    let p = purge_at(&app, last_try + period).await;
    let mut erased_ids = p.erased.clone();
    erased_ids.sort();
    assert_eq!(erased_ids, texts, "{p:?}");
    let all = rows(&app).await;
    for id in &texts {
        let m = by_id(&all, *id);
        assert!(erased(&m), "{m:?}");
        assert!(m.attempts >= 1 && m.gave_up_at.is_some() && m.sent_at.is_none());
    }
    assert!(kept(&by_id(&all, later)));
    for n in [SURVEYING, ENGLISH, HELPED] {
        assert!(
            !all.iter().any(|m| m.to_addr == n),
            "{n} left in the outbox"
        );
    }

    // Far ahead: the later reply too is given up, then erased; an open complaint keeps its contact.
    purge_at(&app, t0 + Duration::days(1) + period).await;
    let m = by_id(&rows(&app).await, later);
    assert!(kept(&m) && m.gave_up_at.is_some(), "{m:?}");
    let p = purge_at(&app, t0 + Duration::days(1) + period + period).await;
    assert_eq!(p.erased, vec![later]);
    assert_eq!(
        complaint(&app, &open).await.contact_email.as_deref(),
        Some("warga-a@example.id")
    );
    // Run again, nothing more to do.
    assert_eq!(
        purge_at(&app, t0 + Duration::days(1000)).await,
        Purged::default()
    );
}
