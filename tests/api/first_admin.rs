//! The first administrator: `suara serve` on a database with no staff at all creates
//! `admin@suara.local` with a one-time password it logs once; a database with any staff member
//! gets none. These run the real binary, on SQLite or (with TEST_DATABASE_URL) PostgreSQL.
use std::io::{BufRead, BufReader};

use crate::helpers::{FreshDb, random_suffix, spawn_app_with};

const ADMIN: &str = "admin@suara.local";

/// A database of the test's own that the binary and the in-process app can both open.
struct OwnDb {
    db: FreshDb,
    dir: std::path::PathBuf,
}

impl OwnDb {
    async fn new() -> OwnDb {
        let dir = std::env::temp_dir().join(format!("suara-first-admin-{}", random_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        OwnDb {
            db: FreshDb::new(&dir).await,
            dir,
        }
    }

    /// Starts `suara serve` on this database, reads its log until it listens, stops it; the
    /// first-administrator line if it logged one.
    fn serve_once(&self) -> Option<String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_suara"))
            .arg("serve")
            .env("DATABASE_URL", &self.db.url)
            .env("SUARA_DATA_DIR", &self.dir)
            .env("SUARA_PORT", port.to_string())
            .env("SUARA_SEED_DEMO_HISTORY", "false")
            .env("SUARA_TRAINING_INTERVAL_MINS", "0")
            .env("SUARA_DIGEST_HOUR", "off")
            .env("SUARA_MAIL_TRANSPORT", "log")
            .env("SUARA_LOG", "warn,suara=info")
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start suara serve");
        let out = child.stdout.take().unwrap();
        let mut admin_line = None;
        let mut listening = false;
        let mut log = String::new();
        for line in BufReader::new(out).lines() {
            let line = line.unwrap_or_default();
            log.push_str(&line);
            log.push('\n');
            if line.contains("created the first administrator") {
                admin_line = Some(line.clone());
            }
            if line.contains("Suara listening") {
                listening = true;
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        assert!(listening, "suara serve did not start:\n{log}");
        admin_line
    }

    async fn admin_row(&self) -> Option<entity::user::Model> {
        let db = suara::bootstrap::db::connect(&self.db.url, 1)
            .await
            .unwrap();
        let u = suara::store::users::find_by_email(&db, ADMIN)
            .await
            .unwrap();
        db.close().await.unwrap();
        u
    }

    async fn staff_count(&self) -> u64 {
        let db = suara::bootstrap::db::connect(&self.db.url, 1)
            .await
            .unwrap();
        let n = suara::store::users::count(&db).await.unwrap();
        db.close().await.unwrap();
        n
    }
}

impl Drop for OwnDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The logged password works on the real login form and opens the admin pages; a second start
/// logs no password and leaves the one account exactly as it was.
#[actix_web::test]
async fn the_first_start_password_logs_in_as_the_only_admin_and_a_restart_keeps_it() {
    let db = OwnDb::new().await;
    let line = db
        .serve_once()
        .expect("the first start logs the administrator it created");
    assert!(line.contains(ADMIN), "{line}");
    assert!(line.contains("shown once"), "{line}");
    let password = line
        .split("with password ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .expect("the line names the password")
        .to_string();
    // random_token(9): 18 hex digits.
    assert_eq!(password.len(), 18, "{password}");
    assert!(password.chars().all(|c| c.is_ascii_hexdigit()));
    let created = db.admin_row().await.expect("admin@suara.local exists");
    assert_eq!(created.role, "admin");
    assert!(created.active);
    assert_ne!(created.password_hash, password, "only a hash is stored");
    assert_eq!(db.staff_count().await, 1);

    assert_eq!(db.serve_once(), None, "a second start creates nobody");
    let after = db.admin_row().await.expect("still there");
    assert_eq!(after.id, created.id);
    assert_eq!(
        after.password_hash, created.password_hash,
        "the password is unchanged"
    );
    assert_eq!(db.staff_count().await, 1);

    // The password from the log, through the login form of an app on that database.
    let app = spawn_app_with(&[("DATABASE_URL", db.db.url.as_str())]).await;
    let wrong = app.post_login(ADMIN, "not-the-password", None).await;
    assert_eq!(wrong.status, 401);
    let session = app.login(ADMIN, &password).await;
    let me = app
        .get_with("/api/v1/staff/me", &[("cookie", session.cookie.as_str())])
        .await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["role"], "admin");
    let admin_page = app
        .get_with("/admin", &[("cookie", session.cookie.as_str())])
        .await;
    assert_eq!(admin_page.status, 200, "the admin pages open");
}

/// "No staff" is the promise, not "no administrator": a database that already has a staff
/// member (here a supervisor, added before the binary ever ran) gets no administrator.
#[actix_web::test]
async fn a_database_that_already_has_staff_gets_no_first_administrator() {
    let db = OwnDb::new().await;
    {
        let app = spawn_app_with(&[("DATABASE_URL", db.db.url.as_str())]).await;
        app.create_user("sup@rsud.id", "supervisor", &["rsud-raden-mattaher"])
            .await;
    }
    assert_eq!(db.serve_once(), None, "no administrator line");
    assert!(db.admin_row().await.is_none());
    assert_eq!(db.staff_count().await, 1);
}
