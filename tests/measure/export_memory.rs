//! The raw-response export's memory: a million rows stream through a flat RSS.
use chrono::Duration;
use sea_orm::EntityTrait;

use crate::helpers::spawn_app;
use crate::response_rows::response;

const DUKCAPIL: &str = "disdukcapil-kota-jambi";

/// A memory figure of this process in kB (the server under test runs in it).
fn memory_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"))
}

/// Stores a million rows first (a minute or two), then downloads them; the client reads the
/// download chunk by chunk, so what grows is the server's.
#[actix_web::test]
async fn a_million_responses_stream_with_flat_memory() {
    use futures_util::StreamExt;
    use sea_orm::TransactionTrait;
    let rows: usize = std::env::var("EXPORT_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let app = spawn_app().await;
    let db = &app.state.db;
    let unit = suara::store::units::by_slug(db, DUKCAPIL)
        .await
        .unwrap()
        .unwrap();
    let version = entity::survey_version::Entity::find()
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let today = suara::service::today_wib();
    let started = std::time::Instant::now();
    let txn = db.begin().await.unwrap();
    for chunk in 0..rows.div_ceil(1000) {
        let batch: Vec<_> = (0..1000.min(rows - chunk * 1000))
            .map(|i| {
                let day = today - Duration::days(((chunk * 1000 + i) % 300) as i64);
                response(day, unit.id, version, i as i64)
            })
            .collect();
        entity::response::Entity::insert_many(batch)
            .exec(&txn)
            .await
            .unwrap();
    }
    txn.commit().await.unwrap();
    eprintln!(
        "stored {rows} rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let sup = app
        .token_user("sup@dukcapil.id", "supervisor", &[DUKCAPIL])
        .await;
    let from = today - Duration::days(400);
    // EXPORT_FORMAT=xlsx measures the workbook for people instead of the CSV.
    let xlsx = std::env::var("EXPORT_FORMAT").is_ok_and(|f| f == "xlsx");
    let format = if xlsx { "&format=xlsx" } else { "" };
    let url = format!("/api/v1/units/{DUKCAPIL}/responses?from={from}&to={today}{format}");
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak RSS");
    let before = memory_kb("VmRSS:");
    let started = std::time::Instant::now();
    let mut res = app
        .client
        .get(app.url(&url))
        .insert_header(("authorization", crate::helpers::bearer(&sup)))
        .timeout(std::time::Duration::from_secs(1800))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = res.next().await {
        let c = chunk.unwrap();
        bytes += c.len();
        lines += c.iter().filter(|b| **b == b'\n').count();
    }
    let peak = memory_kb("VmHWM:");
    eprintln!(
        "exported {} rows{}, {} MB in {:.1} s; RSS before {} MB, peak {} MB (+{} MB)",
        if xlsx { rows } else { lines - 1 },
        if xlsx { " as xlsx" } else { "" },
        bytes / 1_000_000,
        started.elapsed().as_secs_f64(),
        before / 1024,
        peak / 1024,
        peak.saturating_sub(before) / 1024
    );
    if xlsx {
        assert!(bytes > rows * 10, "{bytes} bytes for {rows} rows");
    } else {
        assert_eq!(lines, rows + 1);
    }
    // Held whole, a million rows would take gigabytes (a row read is about 1 KB before it is
    // written); a page of 5,000 rows is a few MB. On SQLite every pooled connection also keeps
    // up to 64 MiB of database pages (`cache_size` in `bootstrap::db`), which reading the whole
    // table fills. Measured (debug build): with a 2 MiB cache instead, +37 MB for 100,000 rows
    // and +42 MB for 1,000,000; with 64 MiB and 8 connections, +134 MB, +516 MB (400,000) and
    // +519 MB, the caches full. PostgreSQL: +10 MB for 400,000.
    let caches = if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        0
    } else {
        u64::from(app.state.settings.db_max_connections) * 64
    };
    // The bound is 128 MB: a full run on PostgreSQL in CI once grew 67 MB (the allocator keeps
    // what the pages freed); holding the rows whole would take about a gigabyte.
    assert!(
        peak.saturating_sub(before) < (128 + caches) * 1024,
        "memory grew by {} MB for a {} MB download",
        peak.saturating_sub(before) / 1024,
        bytes / 1_000_000
    );
}
