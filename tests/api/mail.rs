//! The outbox across processes: two workers sharing one database and a relay slower than the
//! lease would allow for a batch still send every message exactly once.
use std::time::Duration;

use crate::helpers::{SmtpServer, spawn_app_with};

#[actix_web::test]
#[ignore = "needs aiosmtpd (python3 -m pip install aiosmtpd)"]
async fn two_workers_and_a_slow_relay_send_each_message_once() {
    let port = SmtpServer::free_port();
    // One second a message: sixteen messages take longer than the ten-second lease as a batch
    // (the old worker leased its whole batch). A send is cut off at half the lease, five
    // seconds, which leaves room for a loaded machine: a cut-off send may have reached the
    // relay, and its retry would be a second copy.
    let smtp = SmtpServer::start_slow(port, 1.0).await;
    let url = format!("smtp://127.0.0.1:{port}");
    let env = [
        ("SUARA_MAIL_TRANSPORT", "smtp"),
        ("SUARA_SMTP_URL", url.as_str()),
        ("SUARA_MAIL_LEASE_SECS", "10"),
        ("SUARA_MAIL_RETRY_MS", "200"),
    ];
    let a = spawn_app_with(&env).await;
    // A second process on the same database, with its own worker.
    let shared = a.state.settings.database_url.clone();
    let mut env_b = env.to_vec();
    env_b.push(("DATABASE_URL", shared.as_str()));
    let b = spawn_app_with(&env_b).await;
    let n = 16;
    for i in 0..n {
        suara::store::outbox::enqueue(
            &a.state.db,
            "test",
            &format!("warga{i}@example.id"),
            &format!("Pesan nomor {i}"),
            "isi",
            "<p>isi</p>",
        )
        .await
        .unwrap();
    }
    a.state.outbox.wake();
    b.state.outbox.wake();
    let msgs = smtp.wait_for(n, 60).await;
    assert!(msgs.len() >= n, "only {} of {n} arrived", msgs.len());
    // Longer than a lease, so a worker that lost its lease would have sent again by now.
    actix_web::rt::time::sleep(Duration::from_secs(11)).await;
    let msgs = smtp.messages();
    for i in 0..n {
        let to = format!("To: warga{i}@example.id");
        assert_eq!(
            msgs.iter().filter(|m| m.contains(&to)).count(),
            1,
            "message {i} sent exactly once"
        );
    }
    assert_eq!(msgs.len(), n, "nothing is sent twice");
    let rows = suara::store::outbox::all(&a.state.db).await.unwrap();
    assert!(rows.iter().all(|r| r.sent_at.is_some()));
}
