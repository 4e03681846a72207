//! Use cases run as a job or a chat channel runs them: on a real, migrated SQLite database and a
//! `ServiceContext`, with no HTTP in between.
use std::sync::Arc;
use std::time::Duration;

use migration::MigratorTrait;
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::domain::survey::Definition;
use crate::i18n::Lang;
use crate::outbox::Outbox;
use crate::outbox::mail::Mailer;
use crate::service::complaints::{self, ComplaintIn, Filing};
use crate::service::context::{ServiceContext, TrainingWindow, UseCaseSettings};
use crate::service::error::ServiceError;
use crate::service::sender_lock::SenderLocks;
use crate::service::survey_registry;
use crate::store;
use crate::store::responses::ResponseWriter;
use crate::store::unit_cache::UnitCache;

/// A migrated database in its own file (removed when the guard drops).
struct Db {
    conn: DatabaseConnection,
    dir: std::path::PathBuf,
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn database() -> Db {
    let dir = std::env::temp_dir().join(format!(
        "suara-use-case-{}",
        crate::security::random_token(8)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite:{}?mode=rwc", dir.join("t.db").display());
    let mut opt = ConnectOptions::new(url);
    opt.max_connections(4).sqlx_logging(false);
    let conn = Database::connect(opt).await.expect("open sqlite");
    migration::Migrator::up(&conn, None).await.expect("migrate");
    Db { conn, dir }
}

fn context(db: &DatabaseConnection) -> ServiceContext {
    let templates = tera::Tera::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/emails/**/*"
    ))
    .expect("the e-mail templates load");
    ServiceContext {
        db: db.clone(),
        read: db.clone(),
        settings: UseCaseSettings {
            base_url: "http://suara.test".into(),
            min_cell: 5,
            min_rank_n: None,
            digest_hour: None,
            attachments_dir: std::env::temp_dir(),
            training: TrainingWindow {
                before_days: 90,
                after_days: 90,
            },
            news: Default::default(),
            whatsapp_status_template: None,
            queue_retention_days: 400,
        },
        responses: ResponseWriter::start(db.clone()),
        unit_cache: UnitCache::new(Duration::from_secs(1)),
        outbox: Outbox::new(Arc::new(Mailer::logging()), Arc::new(templates)),
        chat_senders: SenderLocks::new(4),
        reopen_key: b"a test key".to_vec(),
    }
}

fn skm() -> Definition {
    crate::domain::skm_survey::skm_definition()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_name_follows_one_rule_and_a_code_is_taken_once() {
    let db = database().await;
    let db = &db.conn;
    let short = survey_registry::create(db, Lang::En, "kepuasan-2027", "ab", &skm(), false).await;
    match short {
        Err(ServiceError::Invalid(f)) => assert_eq!(f.keys().collect::<Vec<_>>(), ["name"]),
        other => panic!("a 2-character name must be refused, got {other:?}"),
    }
    let s = survey_registry::create(db, Lang::En, "kepuasan-2027", "Kepuasan 2027", &skm(), true)
        .await
        .expect("a good survey is created");
    assert_eq!(s.name, "Kepuasan 2027");
    let again =
        survey_registry::create(db, Lang::En, "kepuasan-2027", "Another name", &skm(), false).await;
    match again {
        Err(ServiceError::Invalid(f)) => assert!(f.contains_key("code"), "{f:?}"),
        other => panic!("a taken code must be refused, got {other:?}"),
    }
    // Version 1 was published at creation: publishing it again is a conflict, not a 404.
    assert!(matches!(
        survey_registry::publish(db, "kepuasan-2027", 1).await,
        Err(ServiceError::Conflict(_))
    ));
    assert!(matches!(
        survey_registry::publish(db, "kepuasan-2027", 2).await,
        Err(ServiceError::NotFound)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_filed_twice_under_one_key_is_stored_once() {
    let db = database().await;
    store::complaints::ensure_defaults(&db.conn).await.unwrap();
    crate::seed::first_start::demo(&db.conn).await.unwrap();
    let cx = context(&db.conn);
    let input = |description: &str| ComplaintIn {
        unit: Some("disdukcapil-kota-jambi".into()),
        kind: Some("pengaduan".into()),
        category: Some("waktu_tunggu".into()),
        description: Some(description.into()),
        ..Default::default()
    };
    let key =
        |body: &str| store::idempotency::Key::new(complaints::KEY_SCOPE, "k-1", &[body.as_bytes()]);
    let first_text = "Antrean KTP tiga jam tanpa kepastian.";
    let (n, _) = complaints::check(&cx, &input(first_text)).await.unwrap();
    let first = match complaints::file(&cx, n, Lang::Id, &[], Some(&key(first_text)))
        .await
        .unwrap()
    {
        Filing::Stored(c) => c.tracking_id,
        Filing::Before(_) => panic!("nothing was filed before"),
    };
    let (n, _) = complaints::check(&cx, &input(first_text)).await.unwrap();
    match complaints::file(&cx, n, Lang::Id, &[], Some(&key(first_text)))
        .await
        .unwrap()
    {
        Filing::Before(t) => assert_eq!(t, first),
        Filing::Stored(_) => panic!("a retry must not store twice"),
    }
    let other = "Sesuatu yang lain sama sekali.";
    let (n, _) = complaints::check(&cx, &input(other)).await.unwrap();
    assert!(matches!(
        complaints::file(&cx, n, Lang::Id, &[], Some(&key(other))).await,
        Err(ServiceError::KeyReused)
    ));
    // An empty description is a problem keyed by field, translated by whichever door asked.
    match complaints::check(&cx, &input("")).await {
        Err(ServiceError::Problems(p)) => assert!(p.contains_key("description"), "{p:?}"),
        other => panic!("an empty complaint must be refused, got {:?}", other.err()),
    }
}
