//! The bare baseline the response benchmark compares Suara with: an actix-web handler that only
//! parses a response body and inserts one row into SQLite (WAL, synchronous=NORMAL, a pool of 10).
//! Run by bench/responses.sh; built only with `--features bench`.
use std::collections::BTreeMap;
use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, post, web};
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::sqlx::{self, SqlitePool};

#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct Body {
    answers: BTreeMap<String, serde_json::Value>,
    respondent: BTreeMap<String, serde_json::Value>,
    service: Option<String>,
    channel: Option<String>,
}

#[post("/api/v1/units/{slug}/responses")]
async fn respond(
    pool: web::Data<SqlitePool>,
    slug: web::Path<String>,
    body: web::Json<Body>,
) -> HttpResponse {
    let answers = serde_json::to_string(&body.answers).unwrap_or_default();
    match sqlx::query("INSERT INTO responses (unit, answers) VALUES (?, ?) RETURNING id")
        .bind(slug.as_str())
        .bind(answers)
        .fetch_one(pool.get_ref())
        .await
    {
        Ok(row) => {
            let id: i64 = sqlx::Row::get(&row, 0);
            HttpResponse::Created().json(serde_json::json!({ "id": id }))
        }
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

fn main() -> std::io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "baseline.db".into());
    let port: u16 = std::env::args()
        .nth(2)
        .and_then(|p| p.parse().ok())
        .unwrap_or(18081);
    actix_web::rt::System::new().block_on(async move {
        let opts = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(10).connect_with(opts).await.expect("open sqlite");
        sqlx::query("CREATE TABLE IF NOT EXISTS responses (id INTEGER PRIMARY KEY AUTOINCREMENT, unit TEXT NOT NULL, answers TEXT NOT NULL)")
            .execute(&pool)
            .await
            .expect("create table");
        let data = web::Data::new(pool);
        HttpServer::new(move || App::new().app_data(data.clone()).service(respond))
            .bind(("127.0.0.1", port))?
            .run()
            .await
    })
}
