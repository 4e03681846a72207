//! A chat sender's messages raced: gateways deliver fast and in parallel, and on several nodes.
//! Two messages of one sender released together by a barrier are applied one after the other:
//! a doubled last message stores once, a doubled complaint files once, two answers are both
//! applied, and nobody gets a 5xx. With TEST_DATABASE_URL the same runs across two nodes.
use std::sync::Arc;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use tokio::sync::Barrier;

use crate::helpers::{Resp, TestApp, spawn_app_with};

const UNIT: &str = "disdukcapil-kota-jambi";
const TOKEN: &str = "race-gateway-secret";
/// Rounds per race: the fault this guards against showed in 10 of 10 tries.
const ROUNDS: usize = 6;

async fn node(database_url: Option<&str>) -> TestApp {
    let mut env = vec![("SUARA_SMS_TOKEN", TOKEN)];
    if let Some(url) = database_url {
        env.push(("DATABASE_URL", url));
    }
    spawn_app_with(&env).await
}

/// The nodes to race on: one node on SQLite; two sharing one database on PostgreSQL (the only
/// engine Suara runs on several nodes).
async fn nodes() -> (TestApp, Option<TestApp>) {
    let a = node(None).await;
    let b = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        let url = a.state.settings.database_url.clone();
        Some(node(Some(&url)).await)
    } else {
        None
    };
    (a, b)
}

async fn sms(app: &TestApp, from: &str, text: &str, id: &str) -> Resp {
    crate::helpers::sms_as(app, TOKEN, from, text, id).await
}

async fn say(app: &TestApp, from: &str, texts: &[&str], prefix: &str) {
    for (i, t) in texts.iter().enumerate() {
        let r = sms(app, from, t, &format!("{prefix}-{i}")).await;
        assert_eq!(r.status, 200, "{t}: {}", r.body);
    }
}

/// Two messages of one sender, released at the same instant (one to each node when there are
/// two); both must be answered 200.
async fn race(a: &TestApp, b: &TestApp, from: &str, texts: [&str; 2], prefix: &str) {
    let gate = Arc::new(Barrier::new(2));
    let (r1, r2) = tokio::join!(
        released(&gate, a, from, texts[0], format!("{prefix}-x")),
        released(&gate, b, from, texts[1], format!("{prefix}-y"))
    );
    for r in [r1, r2] {
        assert_eq!(r.status, 200, "a raced message: {}", r.body);
    }
}

async fn released(gate: &Barrier, app: &TestApp, from: &str, text: &str, id: String) -> Resp {
    gate.wait().await;
    sms(app, from, text, &id).await
}

fn survey_until_comment() -> Vec<&'static str> {
    let mut m = vec!["1"];
    m.extend(["4"; 9]);
    m.push("20");
    m
}

async fn sms_responses(app: &TestApp) -> u64 {
    entity::response::Entity::find()
        .filter(entity::response::Column::Channel.eq("sms"))
        .count(&app.state.db)
        .await
        .unwrap()
}

async fn sms_complaints(app: &TestApp) -> u64 {
    entity::complaint::Entity::find()
        .filter(entity::complaint::Column::Channel.eq("sms"))
        .count(&app.state.db)
        .await
        .unwrap()
}

#[actix_web::test]
async fn a_doubled_last_survey_message_stores_once() {
    let (a, b) = nodes().await;
    let b = b.as_ref().unwrap_or(&a);
    for round in 0..ROUNDS {
        let from = format!("+62812000{round:04}");
        let start = format!("SKM {UNIT}");
        let mut msgs = vec![start.as_str()];
        msgs.extend(survey_until_comment());
        say(&a, &from, &msgs, &format!("s{round}")).await;
        race(
            &a,
            b,
            &from,
            ["Antre lama.", "Petugas ramah."],
            &format!("s{round}"),
        )
        .await;
        assert_eq!(
            sms_responses(&a).await,
            round as u64 + 1,
            "round {round}: one response per survey"
        );
    }
}

#[actix_web::test]
async fn a_doubled_last_complaint_message_files_once() {
    let (a, b) = nodes().await;
    let b = b.as_ref().unwrap_or(&a);
    for round in 0..ROUNDS {
        let from = format!("+62813000{round:04}");
        say(
            &a,
            &from,
            &[
                &format!("ADUAN {UNIT}"),
                "1",
                "Antrean KTP-el tiga jam tanpa nomor urut.",
            ],
            &format!("c{round}"),
        )
        .await;
        race(&a, b, &from, ["-", "Budi"], &format!("c{round}")).await;
        assert_eq!(
            sms_complaints(&a).await,
            round as u64 + 1,
            "round {round}: one complaint per conversation"
        );
    }
    // And one supervisor notice per complaint: the outbox holds no twin receipts either.
    let chat_replies = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Transport.eq("sms"))
        .all(&a.state.db)
        .await
        .unwrap();
    let filed = chat_replies
        .iter()
        .filter(|m| m.body_text.contains("ID: "))
        .count();
    assert_eq!(filed, ROUNDS, "one tracking reply per complaint");
}

#[actix_web::test]
async fn two_answers_at_once_are_both_applied_in_turn() {
    let (a, b) = nodes().await;
    let b = b.as_ref().unwrap_or(&a);
    for round in 0..ROUNDS {
        let from = format!("+62814000{round:04}");
        // The service, then the first element: U1 and U2 answered at the same instant.
        say(
            &a,
            &from,
            &[&format!("SKM {UNIT}"), "1"],
            &format!("a{round}"),
        )
        .await;
        race(&a, b, &from, ["3", "2"], &format!("a{round}")).await;
        // Seven more elements, the wait and the comment finish it only if both were applied.
        let mut rest = vec!["4"; 7];
        rest.extend(["20", "-"]);
        say(&a, &from, &rest, &format!("a{round}-rest")).await;
        assert_eq!(
            sms_responses(&a).await,
            round as u64 + 1,
            "round {round}: the survey finished after 9 answers"
        );
    }
    let rows = entity::response::Entity::find()
        .filter(entity::response::Column::Channel.eq("sms"))
        .all(&a.state.db)
        .await
        .unwrap();
    for r in rows {
        let answers: serde_json::Value = serde_json::from_str(&r.answers).unwrap();
        let u1 = answers["U1"].as_i64().unwrap();
        let u2 = answers["U2"].as_i64().unwrap();
        assert_eq!(
            (u1.min(u2), u1.max(u2)),
            (2, 3),
            "both raced answers kept, one on each element: {answers}"
        );
        assert_eq!(answers["U9"], 4, "later answers on their own elements");
        assert_eq!(r.wait_minutes, Some(20));
    }
}
