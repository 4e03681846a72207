//! The two yardsticks the response benchmark compares Suara with (run by bench/responses.sh;
//! built only with `--features bench`):
//! - `bench_baseline DB PORT`: the bare baseline, one actix-web handler that only parses a response
//!   body and inserts one row into SQLite (WAL, synchronous=NORMAL, a pool of 10), or into
//!   PostgreSQL when DB is a `postgres://` URL (a pool of 16, Suara's default there);
//! - `bench_baseline - PORT ceiling`: the HTTP ceiling, the same request parsed and checked as
//!   Suara does (the SKM definition, the unit's services, the derived signals) and answered
//!   without storing anything: what Suara could reach if storing cost nothing.
use std::collections::BTreeMap;
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, post, web};
use sea_orm::sqlx::postgres::PgPoolOptions;
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::sqlx::{self, PgPool, SqlitePool};

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Body {
    answers: BTreeMap<String, serde_json::Value>,
    respondent: BTreeMap<String, serde_json::Value>,
    service: Option<String>,
    channel: Option<String>,
}

/// The baseline's database: the same one-row insert on either engine.
enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[post("/api/v1/units/{slug}/responses")]
async fn respond(
    store: web::Data<Store>,
    slug: web::Path<String>,
    body: web::Json<Body>,
) -> HttpResponse {
    let answers = serde_json::to_string(&body.answers).unwrap_or_default();
    let id: Result<i64, sqlx::Error> = match store.get_ref() {
        Store::Sqlite(pool) => {
            sqlx::query_scalar("INSERT INTO responses (unit, answers) VALUES (?, ?) RETURNING id")
                .bind(slug.as_str())
                .bind(answers)
                .fetch_one(pool)
                .await
        }
        Store::Postgres(pool) => {
            sqlx::query_scalar("INSERT INTO responses (unit, answers) VALUES ($1, $2) RETURNING id")
                .bind(slug.as_str())
                .bind(answers)
                .fetch_one(pool)
                .await
        }
    };
    match id {
        Ok(id) => HttpResponse::Created().json(serde_json::json!({ "id": id })),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

async fn serve(store: Store, port: u16) -> std::io::Result<()> {
    let data = web::Data::new(store);
    HttpServer::new(move || App::new().app_data(data.clone()).service(respond))
        .bind(("127.0.0.1", port))?
        .run()
        .await
}

async fn open_postgres(url: &str) -> Store {
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .connect(url)
        .await
        .expect("open postgres");
    sqlx::query("CREATE TABLE IF NOT EXISTS responses (id BIGSERIAL PRIMARY KEY, unit TEXT NOT NULL, answers TEXT NOT NULL)")
        .execute(&pool)
        .await
        .expect("create table");
    Store::Postgres(pool)
}

async fn open_sqlite(path: &str) -> Store {
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(10)
        .connect_with(opts)
        .await
        .expect("open sqlite");
    sqlx::query("CREATE TABLE IF NOT EXISTS responses (id INTEGER PRIMARY KEY AUTOINCREMENT, unit TEXT NOT NULL, answers TEXT NOT NULL)")
        .execute(&pool)
        .await
        .expect("create table");
    Store::Sqlite(pool)
}

/// What the ceiling knows up front, as Suara's unit cache does.
struct Known {
    def: suara::domain::survey::Definition,
    services: Vec<String>,
    next: std::sync::atomic::AtomicI64,
}

#[post("/api/v1/units/{slug}/responses")]
async fn ceiling(
    known: web::Data<Known>,
    _slug: web::Path<String>,
    body: web::Json<Body>,
) -> HttpResponse {
    let body = body.into_inner();
    let mut raw = body.answers;
    raw.extend(body.respondent);
    if let Some(s) = body.service {
        raw.insert("SERVICE".into(), serde_json::Value::String(s));
    }
    match suara::domain::survey::validate(&known.def, &raw, &known.services) {
        Ok(valid) => {
            let standard = suara::domain::survey::Standard {
                minutes: Some(60),
                fee_rupiah: Some(0),
            };
            let mut numeric = valid.numeric_answers();
            numeric.extend(suara::domain::survey::derived_signals(
                &known.def,
                &valid.answers,
                standard,
            ));
            std::hint::black_box((numeric, valid.answers_json(), valid.profile_json()));
            let id = known
                .next
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            HttpResponse::Created().json(serde_json::json!({ "id": id }))
        }
        Err(p) => HttpResponse::UnprocessableEntity().json(p),
    }
}

fn main() -> std::io::Result<()> {
    if std::env::args().nth(3).as_deref() == Some("ceiling") {
        return ceiling_main();
    }
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "baseline.db".into());
    let port: u16 = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(18081);
    actix_web::rt::System::new().block_on(async move {
        let store = if path.starts_with("postgres://") || path.starts_with("postgresql://") {
            open_postgres(&path).await
        } else {
            open_sqlite(&path).await
        };
        serve(store, port).await
    })
}

fn ceiling_main() -> std::io::Result<()> {
    let port: u16 = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(18082);
    let known = web::Data::new(Known {
        def: suara::domain::skm_survey::skm_definition(),
        services: [
            "ktp-el",
            "kartu-keluarga",
            "akta-kelahiran",
            "pindah-datang",
        ]
        .map(String::from)
        .to_vec(),
        next: std::sync::atomic::AtomicI64::new(1),
    });
    actix_web::rt::System::new().block_on(async move {
        HttpServer::new(move || App::new().app_data(known.clone()).service(ceiling))
            .bind(("127.0.0.1", port))?
            .run()
            .await
    })
}
