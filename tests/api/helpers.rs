//! `spawn_app()`: a real server on a free port with a database of its own (a temporary SQLite
//! file, or a fresh PostgreSQL database when TEST_DATABASE_URL is set, dropped afterwards).
//! The process migrates and seeds one template database, once; each test gets a copy of it (a
//! file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL) instead of migrating and
//! seeding its own.
use std::collections::HashMap;
use std::net::TcpListener;

use actix_web::web;
use awc::Client;
use serde_json::Value;
use suara::bootstrap::configuration::Settings;
use suara::bootstrap::startup::Application;
use suara::bootstrap::state::AppState;

pub struct TestApp {
    pub addr: String,
    pub state: web::Data<AppState>,
    pub client: Client,
    _db: FreshDb,
    data_dir: std::path::PathBuf,
}

/// An empty database of one test's own: a SQLite file in a directory, or, when
/// TEST_DATABASE_URL is set, a new database on that PostgreSQL server, dropped with this value.
pub struct FreshDb {
    pub url: String,
    pg: Option<(String, String)>,
}

impl FreshDb {
    pub async fn new(dir: &std::path::Path) -> Self {
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(admin_url) => {
                let name = format!("suara_test_{}", random_suffix());
                let admin = sea_orm::Database::connect(&admin_url)
                    .await
                    .expect("TEST_DATABASE_URL must be reachable");
                sea_orm::ConnectionTrait::execute_unprepared(
                    &admin,
                    &format!("CREATE DATABASE {name}"),
                )
                .await
                .expect("create test database");
                let _ = admin.close().await;
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_string())
                    .expect("URL has a database path");
                FreshDb {
                    url: format!("{base}/{name}"),
                    pg: Some((admin_url, name)),
                }
            }
            None => FreshDb {
                url: format!("sqlite://{}/suara.db?mode=rwc", dir.display()),
                pg: None,
            },
        }
    }
}

impl FreshDb {
    /// A copy of the process's template database (migrated and seeded with the demo units).
    pub async fn from_template(dir: &std::path::Path) -> Self {
        match template().await {
            Template::Sqlite(file) => {
                std::fs::create_dir_all(dir).expect("test data dir");
                std::fs::copy(file, dir.join("suara.db")).expect("copy the template database");
                FreshDb {
                    url: format!("sqlite://{}/suara.db?mode=rwc", dir.display()),
                    pg: None,
                }
            }
            Template::Postgres {
                admin_url,
                name: template,
            } => {
                let name = format!("suara_test_{}", random_suffix());
                let admin = sea_orm::Database::connect(admin_url.as_str())
                    .await
                    .expect("TEST_DATABASE_URL must be reachable");
                // Two copies begun at the same moment may find the template busy: try again.
                let mut tries = 0;
                loop {
                    let sql = format!("CREATE DATABASE {name} TEMPLATE {template}");
                    match sea_orm::ConnectionTrait::execute_unprepared(&admin, &sql).await {
                        Ok(_) => break,
                        Err(e) if tries < 50 && e.to_string().contains("being accessed") => {
                            tries += 1;
                            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        }
                        Err(e) => panic!("copy the template database: {e}"),
                    }
                }
                let _ = admin.close().await;
                FreshDb {
                    url: format!("{}/{name}", url_base(admin_url)),
                    pg: Some((admin_url.clone(), name)),
                }
            }
        }
    }
}

fn url_base(admin_url: &str) -> &str {
    admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .expect("URL has a database path")
}

enum Template {
    Sqlite(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

/// Templates older than this were left by an earlier run (a test run takes minutes).
const STALE_SECS: u64 = 3600;

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// The process's template, migrated and seeded by the app's own start-up code, once.
async fn template() -> &'static Template {
    static TEMPLATE: tokio::sync::OnceCell<Template> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let dir = std::env::temp_dir().join(format!(
                "suara-template-{}-{}",
                now_secs(),
                random_suffix()
            ));
            std::fs::create_dir_all(&dir).expect("template dir");
            let admin_url = std::env::var("TEST_DATABASE_URL")
                .ok()
                .filter(|u| !u.is_empty());
            let (url, template) = match admin_url {
                Some(admin_url) => {
                    let name = format!("suara_tpl_{}_{}", now_secs(), random_suffix());
                    let admin = sea_orm::Database::connect(admin_url.as_str())
                        .await
                        .expect("TEST_DATABASE_URL must be reachable");
                    drop_stale_pg_templates(&admin).await;
                    sea_orm::ConnectionTrait::execute_unprepared(
                        &admin,
                        &format!("CREATE DATABASE {name}"),
                    )
                    .await
                    .expect("create the template database");
                    let _ = admin.close().await;
                    let url = format!("{}/{name}", url_base(&admin_url));
                    (url, Template::Postgres { admin_url, name })
                }
                None => {
                    remove_stale_sqlite_templates();
                    let file = dir.join("suara.db");
                    let url = format!("sqlite://{}?mode=rwc", file.display());
                    (url, Template::Sqlite(file))
                }
            };
            let mut env = base_env(&dir);
            env.insert("DATABASE_URL".into(), url);
            let settings =
                Settings::from_lookup(|k| env.get(k).cloned()).expect("test settings are valid");
            let conn = suara::bootstrap::startup::prepare_database(&settings)
                .await
                .expect("migrate and seed the template");
            if matches!(template, Template::Sqlite(_)) {
                // Everything into the main file, which is what the tests copy.
                sea_orm::ConnectionTrait::execute_unprepared(
                    &conn,
                    "PRAGMA wal_checkpoint(TRUNCATE)",
                )
                .await
                .expect("checkpoint the template");
            }
            // A PostgreSQL template may have no one connected while it is copied.
            conn.close().await.expect("close the template");
            template
        })
        .await
}

async fn drop_stale_pg_templates(admin: &sea_orm::DatabaseConnection) {
    use sea_orm::{ConnectionTrait, Statement};
    let rows = admin
        .query_all_raw(Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'suara_tpl_%'",
        ))
        .await
        .unwrap_or_default();
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let made: u64 = name
            .split('_')
            .nth(2)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if now_secs().saturating_sub(made) > STALE_SECS {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
}

fn remove_stale_sqlite_templates() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let made: Option<u64> = name
            .strip_prefix("suara-template-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|s| s.parse().ok());
        if made.is_some_and(|m| now_secs().saturating_sub(m) > STALE_SECS) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

impl Drop for FreshDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg.take() {
            // The test's own runtime is going away; drop the database from a thread of our own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(admin) = sea_orm::Database::connect(&admin_url).await {
                        let _ = sea_orm::ConnectionTrait::execute_unprepared(
                            &admin,
                            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                        )
                        .await;
                    }
                });
            })
            .join();
        }
    }
}

pub fn random_suffix() -> String {
    suara::security::random_token(6)
}

/// The settings every test app starts from (`extra` overrides them).
fn base_env(data_dir: &std::path::Path) -> HashMap<String, String> {
    let mut env: HashMap<String, String> = HashMap::new();
    env.insert("SUARA_PUBLIC_RATE_PER_MIN".into(), "0".into());
    env.insert("SUARA_MAIL_TRANSPORT".into(), "log".into());
    // Tests build their own history and run the engine when they mean to.
    env.insert("SUARA_SEED_DEMO_HISTORY".into(), "false".into());
    env.insert("SUARA_TRAINING_INTERVAL_MINS".into(), "0".into());
    // Tests call the digest's use case themselves (`send_due`) when they mean to.
    env.insert("SUARA_DIGEST_HOUR".into(), "off".into());
    env.insert(
        "SUARA_LOG".into(),
        std::env::var("TEST_LOG").unwrap_or_else(|_| "error".into()),
    );
    env.insert("SUARA_DATA_DIR".into(), data_dir.display().to_string());
    env
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// `extra` overrides settings, e.g. `("SUARA_PUBLIC_RATE_PER_MIN", "5")`.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    // Each app has a data directory of its own (SQLite file, attachments, mail files).
    let data_dir = std::env::temp_dir().join(format!("suara-test-{}", random_suffix()));
    let mut env = base_env(&data_dir);
    // A test that seeds differently, or brings its own database, starts from an empty one.
    let own_seed = extra.iter().any(|(k, _)| {
        matches!(
            *k,
            "SUARA_SEED_DEMO" | "SUARA_SEED_DEMO_HISTORY" | "DATABASE_URL"
        )
    });
    let db = if own_seed {
        FreshDb::new(&data_dir).await
    } else {
        FreshDb::from_template(&data_dir).await
    };
    env.insert("DATABASE_URL".into(), db.url.clone());
    for (k, v) in extra {
        env.insert(k.to_string(), v.to_string());
    }
    let settings = Settings::from_lookup(|k| env.get(k).cloned()).expect("test settings are valid");
    suara::bootstrap::telemetry::init(&settings.log_filter);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let port = listener.local_addr().unwrap().port();
    let app = Application::build_with_listener(settings, listener)
        .await
        .expect("app builds");
    let state = app.state();
    actix_web::rt::spawn(app.into_server());
    TestApp {
        addr: format!("http://127.0.0.1:{port}"),
        state,
        client: Client::builder()
            .disable_redirects()
            .timeout(std::time::Duration::from_secs(30))
            .finish(),
        _db: db,
        data_dir,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

pub struct Resp {
    pub status: u16,
    pub headers: awc::http::header::HeaderMap,
    pub body: String,
    pub cookies: Vec<(String, String)>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

pub enum Body<'a> {
    None,
    Json(&'a Value),
    Form(&'a [(&'a str, &'a str)]),
    Raw(&'a str, Vec<u8>),
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.addr)
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        body: Body<'_>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let method = awc::http::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.client.request(method, self.url(path));
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let sent = match body {
            Body::None => req.send().await,
            Body::Json(v) => req.send_json(v).await,
            Body::Form(pairs) => req.send_form(&pairs).await,
            Body::Raw(ct, bytes) => {
                req.insert_header(("content-type", ct))
                    .send_body(bytes)
                    .await
            }
        };
        let mut res = sent.expect("request completes");
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let cookies = res
            .cookies()
            .map(|c| {
                c.iter()
                    .map(|c| (c.name().to_string(), c.value().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        let body = res.body().limit(20_000_000).await.expect("body");
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            cookies,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call("GET", path, Body::None, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        self.call("GET", path, Body::None, headers).await
    }

    pub async fn post_json(&self, path: &str, v: &Value) -> Resp {
        self.call("POST", path, Body::Json(v), &[]).await
    }

    /// The raw bytes of a GET as the holder of an API token (a download: an `.xlsx`, a PDF),
    /// asserting a 200.
    pub async fn client_bytes(&self, token: &str, path: &str) -> Vec<u8> {
        let mut res = self
            .client
            .get(self.url(path))
            .insert_header(("authorization", bearer(token)))
            .send()
            .await
            .expect("request completes");
        assert_eq!(res.status().as_u16(), 200, "{path}");
        res.body().limit(200_000_000).await.expect("body").to_vec()
    }

    /// A GET as the holder of an API token.
    pub async fn get_as(&self, token: &str, path: &str) -> Resp {
        self.call_as(token, "GET", path, None).await
    }

    /// A call as the holder of an API token, with a JSON body or none.
    pub async fn call_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Resp {
        let auth = bearer(token);
        let body = body.map_or(Body::None, Body::Json);
        self.call(method, path, body, &[("authorization", &auth)])
            .await
    }

    /// A staff account; returns its password.
    pub async fn create_user(&self, email: &str, role: &str, units: &[&str]) -> String {
        let mut ids = vec![];
        for slug in units {
            ids.push(
                suara::store::units::by_slug(&self.state.db, slug)
                    .await
                    .unwrap()
                    .expect("unit exists")
                    .id,
            );
        }
        let password = format!("pw-{}", random_suffix());
        suara::store::users::create(&self.state.db, email, email, &password, role, &ids)
            .await
            .unwrap();
        password
    }

    /// A staff account with a personal API token; returns the token.
    pub async fn token_user(&self, email: &str, role: &str, units: &[&str]) -> String {
        self.create_user(email, role, units).await;
        let u = suara::store::users::find_by_email(&self.state.db, email)
            .await
            .unwrap()
            .unwrap();
        suara::store::users::create_token(&self.state.db, u.id, "test")
            .await
            .unwrap()
    }

    /// Posts the login form once (with a fresh CSRF token) and returns the answer as it is.
    pub async fn post_login(&self, email: &str, password: &str, next: Option<&str>) -> Resp {
        let page = self.get("/login").await;
        let csrf = hidden(&page.body, "csrf");
        let cookie = format!(
            "suara_csrf={}",
            page.cookie("suara_csrf").expect("CSRF cookie")
        );
        let mut form = vec![
            ("email", email),
            ("password", password),
            ("csrf", csrf.as_str()),
        ];
        if let Some(n) = next {
            form.push(("next", n));
        }
        self.call("POST", "/login", Body::Form(&form), &[("cookie", &cookie)])
            .await
    }

    /// Logs in through the real form; returns the session cookie header value and the CSRF token.
    pub async fn login(&self, email: &str, password: &str) -> Session {
        let page = self.get("/login").await;
        let csrf_cookie = page.cookie("suara_csrf").expect("login sets a CSRF cookie");
        let field = hidden(&page.body, "csrf");
        assert_eq!(csrf_cookie, field);
        let cookie = format!("suara_csrf={csrf_cookie}");
        let res = self
            .call(
                "POST",
                "/login",
                Body::Form(&[("email", email), ("password", password), ("csrf", &field)]),
                &[("cookie", &cookie)],
            )
            .await;
        assert_eq!(res.status, 303, "login failed: {}", res.body);
        let session = res.cookie("suara_session").expect("session cookie");
        let cookie = format!("suara_session={session}");
        let dash = self.get_with("/staff", &[("cookie", &cookie)]).await;
        assert_eq!(dash.status, 200);
        Session {
            cookie,
            csrf: hidden(&dash.body, "csrf"),
        }
    }
}

pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// The value of the first hidden input named `name` in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no hidden {name} in page"))
        + needle.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// A message through the SMS gateway webhook, as the gateway holding `token` posts it.
pub async fn sms_as(app: &TestApp, token: &str, from: &str, text: &str, id: &str) -> Resp {
    let auth = format!("Bearer {token}");
    app.call(
        "POST",
        "/api/v1/channels/sms",
        Body::Form(&[("from", from), ("text", text), ("id", id)]),
        &[("authorization", &auth)],
    )
    .await
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// A real SMTP server process (Python's aiosmtpd, from PyPI) writing what it receives to a Maildir.
pub struct SmtpServer {
    child: std::process::Child,
    dir: std::path::PathBuf,
}

impl SmtpServer {
    pub fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    pub async fn start(port: u16) -> SmtpServer {
        Self::start_slow(port, 0.0).await
    }

    /// A relay that waits `delay_secs` after each message's data before it stores and accepts it.
    pub async fn start_slow(port: u16, delay_secs: f64) -> SmtpServer {
        // The tests that start one are #[ignore]d: `cargo test -- --include-ignored` (as .ci/run
        // does) runs them, and then a missing aiosmtpd is a failure, not a skip.
        let installed = std::process::Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            installed,
            "the SMTP tests need aiosmtpd: python3 -m pip install aiosmtpd"
        );
        let dir = std::env::temp_dir().join(format!("suara-smtp-{}", random_suffix()));
        let child = std::process::Command::new("python3")
            .args(["-c", SLOW_SMTP, &port.to_string(), &delay_secs.to_string()])
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        SmtpServer { child, dir }
    }

    /// Every message received so far, as raw text.
    pub fn messages(&self) -> Vec<String> {
        let mut out = vec![];
        for sub in ["new", "cur"] {
            if let Ok(rd) = std::fs::read_dir(self.dir.join(sub)) {
                for e in rd.flatten() {
                    out.push(std::fs::read_to_string(e.path()).unwrap_or_default());
                }
            }
        }
        out
    }

    /// Waits up to `secs` for at least `n` messages.
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<String> {
        for _ in 0..secs * 20 {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        self.messages()
    }
}

/// Polls `check` every 50 ms for up to `secs` seconds; whether it came true. For waiting on
/// something that will happen (a fixed sleep waits too long or not long enough); waiting to see
/// that something does *not* happen still needs a fixed wait.
pub async fn wait_until<F, Fut>(secs: u64, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..secs * 20 {
        if check().await {
            return true;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    check().await
}

/// The text/html part of a raw multipart message, its quoted-printable undone.
pub fn html_part(message: &str) -> String {
    let message = message.replace("\r\n", "\n");
    let start = message
        .find("Content-Type: text/html")
        .expect("an HTML part");
    let part = &message[start..];
    let body_start = part.find("\n\n").expect("part headers end") + 2;
    let body = &part[body_start..];
    let body = &body[..body.find("\n--").unwrap_or(body.len())];
    let qp = part[..body_start].contains("quoted-printable");
    if !qp {
        return body.to_string();
    }
    let bytes = body.replace("=\n", "").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).expect("quoted-printable escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8 HTML part")
}

/// aiosmtpd's Maildir handler with an optional sleep per message; args: port, delay, directory.
const SLOW_SMTP: &str = r#"
import asyncio, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

class Slow(Mailbox):
    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(float(sys.argv[2]))
        return await super().handle_DATA(server, session, envelope)

Controller(Slow(sys.argv[3]), hostname="127.0.0.1", port=int(sys.argv[1])).start()
while True:
    time.sleep(3600)
"#;

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A multipart/form-data body: (content type, bytes).
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = format!("----suara{}", random_suffix());
    let mut b = Vec::new();
    for (k, v) in fields {
        b.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (name, filename, bytes) in files {
        b.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        b.extend_from_slice(bytes);
        b.extend_from_slice(b"\r\n");
    }
    b.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), b)
}
