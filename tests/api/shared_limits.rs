//! Limits shared by every node: on PostgreSQL the public rate limit and the login throttle are
//! counted in the database, so one client spread over two nodes gets the burst one node gives,
//! and guessing a password on one node is slowed on the other. On SQLite (one node) the same
//! tests run against the one node's in-process counts.
use std::time::Instant;

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with};

const UNIT: &str = "disdukcapil-kota-jambi";
const PER_MIN: u32 = 60;
const BURST: u32 = 12;

fn response() -> Value {
    json!({
        "answers": {"U1": 3, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 3, "U9": 3},
        "service": "ktp-el",
    })
}

async fn node(database_url: Option<&str>) -> TestApp {
    let per_min = PER_MIN.to_string();
    let burst = BURST.to_string();
    let mut env = vec![
        ("SUARA_PUBLIC_RATE_PER_MIN", per_min.as_str()),
        ("SUARA_PUBLIC_RATE_BURST", burst.as_str()),
    ];
    if let Some(url) = database_url {
        env.push(("DATABASE_URL", url));
    }
    spawn_app_with(&env).await
}

/// Two nodes on one database on PostgreSQL; one node on SQLite.
async fn nodes() -> Vec<TestApp> {
    let a = node(None).await;
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        let url = a.state.settings.database_url.clone();
        let b = node(Some(&url)).await;
        vec![a, b]
    } else {
        vec![a]
    }
}

#[actix_web::test]
async fn one_client_over_every_node_gets_one_burst() {
    let nodes = nodes().await;
    let started = Instant::now();
    let mut accepted = 0u32;
    let mut refused = 0u32;
    for i in 0..(3 * BURST) as usize {
        let app = &nodes[i % nodes.len()];
        let r = app
            .post_json(&format!("/api/v1/units/{UNIT}/responses"), &response())
            .await;
        match r.status {
            201 => accepted += 1,
            429 => {
                refused += 1;
                let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
                assert!((1..=2).contains(&wait), "one a second sustained: {wait}");
            }
            other => panic!("{other}: {}", r.body),
        }
    }
    // The burst, plus what refilled (one a second) while the requests were sent.
    let refilled = (started.elapsed().as_secs_f64() * f64::from(PER_MIN) / 60.0).ceil() as u32;
    assert!(
        (BURST..=BURST + refilled).contains(&accepted),
        "{} node(s) accepted {accepted} of {}, refused {refused}; one node accepts {BURST} + {refilled}",
        nodes.len(),
        3 * BURST
    );
}

#[actix_web::test]
async fn password_guessing_on_one_node_is_slowed_on_every_node() {
    let nodes = nodes().await;
    let pw = nodes[0]
        .create_user("sup@shared.id", "supervisor", &[UNIT])
        .await;
    for i in 0..5 {
        let app = &nodes[i % nodes.len()];
        let r = app
            .post_login("sup@shared.id", "wrong-password", None)
            .await;
        assert_eq!(r.status, 401, "failure {i}");
    }
    // The sixth try, on the other node (when there is one), waits, even with the right password.
    let last = nodes.last().unwrap();
    let r = last.post_login("sup@shared.id", &pw, None).await;
    assert_eq!(r.status, 429, "{}", r.body);
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((25..=30).contains(&wait), "{wait}");
    // Another account from the same office address is not held up.
    let other = nodes[0]
        .create_user("sup2@shared.id", "supervisor", &[UNIT])
        .await;
    let r = last.post_login("sup2@shared.id", &other, None).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

/// The same, all at once: the checks of one node go to the database in batches, and a batch
/// never grants more than the bucket holds, however many of its requests share a client.
#[actix_web::test]
async fn one_client_all_at_once_over_every_node_gets_one_burst() {
    let nodes = nodes().await;
    let started = Instant::now();
    let path = format!("/api/v1/units/{UNIT}/responses");
    let body = response();
    let sends = (0..(4 * BURST) as usize).map(|i| nodes[i % nodes.len()].post_json(&path, &body));
    let answers = futures_util::future::join_all(sends).await;
    let refilled = (started.elapsed().as_secs_f64() * f64::from(PER_MIN) / 60.0).ceil() as u32;
    let accepted = answers.iter().filter(|r| r.status == 201).count() as u32;
    assert!(
        answers.iter().all(|r| [201, 429].contains(&r.status)),
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert!(
        (BURST..=BURST + refilled).contains(&accepted),
        "{} node(s) accepted {accepted} of {} sent at once; one node accepts {BURST} + {refilled}",
        nodes.len(),
        4 * BURST
    );
}
