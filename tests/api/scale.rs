//! Scale paths: the monthly partitions of `responses` on PostgreSQL, and the read URL that sends
//! analytics to a replica.
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait};
use serde_json::json;
use suara::store::partitions;

use crate::analytics::respond;
use crate::helpers::{FreshDb, random_suffix, spawn_app, spawn_app_with};

const UNIT: &str = "disdukcapil-kota-jambi";

fn body() -> serde_json::Value {
    json!({
        "answers": {"U1": 4, "U2": 3, "U3": 3, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 3, "U9": 3},
        "service": "ktp-el"
    })
}

#[actix_web::test]
async fn responses_land_in_the_partition_of_their_month() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let today = suara::service::today_wib();
    let r = app
        .post_json(&format!("/api/v1/units/{UNIT}/responses"), &body())
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    // A response from a month nobody made a partition for (a restored archive, a bulk load).
    respond(&app, "2020-03-10", [3; 9], 30, 1).await;
    let old = entity::response::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.local_date.to_string() == "2020-03-10")
        .expect("the old response is stored")
        .id;

    if db.get_database_backend() == DbBackend::Postgres {
        // Start-up made this month and the next three.
        let parts = partitions::list(db).await.unwrap();
        let mut m = partitions::month_of(today);
        for _ in 0..=partitions::AHEAD_MONTHS {
            let name = migration::partitions::name(m);
            assert!(parts.contains(&name), "{name} missing from {parts:?}");
            m = migration::partitions::next(m);
        }
        let this_month = migration::partitions::name(partitions::month_of(today));
        assert_eq!(partitions::partition_of(db, id).await.unwrap(), this_month);
        assert_eq!(
            partitions::partition_of(db, old).await.unwrap(),
            "responses_default"
        );
        // The daily job gives the stray month its partition and moves the row into it; a
        // second run finds nothing to do.
        assert_eq!(partitions::ensure(db, today).await.unwrap(), 1);
        assert_eq!(
            partitions::partition_of(db, old).await.unwrap(),
            "responses_y2020m03"
        );
        assert_eq!(partitions::ensure(db, today).await.unwrap(), 0);
        // Each partition carries the parent's index.
        let idx = db
            .query_one_raw(sea_orm::Statement::from_string(
                DbBackend::Postgres,
                "SELECT count(*) AS n FROM pg_indexes WHERE tablename = 'responses_y2020m03'
                 AND indexdef LIKE '%(unit_id, local_date)%'",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        assert_eq!(idx, 1);
    } else {
        // SQLite keeps its one table: nothing to create, every row in `responses`.
        assert!(partitions::list(db).await.unwrap().is_empty());
        assert_eq!(partitions::ensure(db, today).await.unwrap(), 0);
        assert_eq!(partitions::partition_of(db, id).await.unwrap(), "responses");
    }
    // Either way both rows are there, once.
    assert_eq!(entity::response::Entity::find().count(db).await.unwrap(), 2);
}

#[actix_web::test]
async fn analytics_read_from_the_read_url_and_writes_go_to_the_primary() {
    // `primary` stands in for the replica's source: its database is what `node` reads.
    let primary = spawn_app().await;
    let node = spawn_app_with(&[(
        "DATABASE_READ_URL",
        primary.state.settings.database_url.as_str(),
    )])
    .await;
    for app in [&primary, &primary, &node] {
        let r = app
            .post_json(&format!("/api/v1/units/{UNIT}/responses"), &body())
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let today = suara::service::today_wib();
    let path = format!("/api/v1/analytics/units/{UNIT}?from={today}&to={today}&by=month");
    let planner = node.token_user("plan@bkd.id", "planner", &[]).await;
    let r = node.get_as(&planner, &path).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["total"]["responses"],
        2,
        "the node's analytics count what the read database holds"
    );
    // The node's own write went to its primary, which its analytics do not read.
    assert_eq!(
        entity::response::Entity::find()
            .count(&node.state.db)
            .await
            .unwrap(),
        1
    );
    // Without a read URL analytics read the primary.
    let planner = primary.token_user("plan@bkd.id", "planner", &[]).await;
    let r = primary.get_as(&planner, &path).await;
    assert_eq!(r.json()["total"]["responses"], 2);
}

#[actix_web::test]
async fn the_partitioning_migration_keeps_every_existing_response() {
    use migration::{Migrator, MigratorTrait};
    // A database as it was before partitioning, holding responses across three months.
    let dir = std::env::temp_dir().join(format!("suara-mig-{}", random_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let fresh = FreshDb::new(&dir).await;
    let url = fresh.url.clone();
    let db = suara::bootstrap::db::connect(&url, 2).await.unwrap();
    // Everything before the partitioning (it and what came after run below).
    let before = Migrator::migrations()
        .iter()
        .position(|m| m.name().contains("response_partitions"))
        .expect("the partitioning migration") as u32;
    Migrator::up(&db, Some(before)).await.unwrap();
    let skm = suara::store::surveys::ensure_skm(&db).await.unwrap();
    let version = suara::store::surveys::published_version(&db, skm.id)
        .await
        .unwrap()
        .unwrap();
    let agency = suara::store::units::create_agency(&db, "a", "A")
        .await
        .unwrap();
    let unit_id = suara::store::units::create(
        &db,
        agency.id,
        &suara::domain::registry::UnitInput {
            agency: None,
            slug: Some("u".into()),
            name: Some("U".into()),
            kind: Some("puskesmas".into()),
            address: None,
            staff_count: None,
            monthly_visitors: None,
        },
    )
    .await
    .unwrap()
    .id;
    for (i, day) in ["2025-11-30", "2025-12-01", "2026-01-15", "2026-01-16"]
        .iter()
        .enumerate()
    {
        db.execute_unprepared(&format!(
            "INSERT INTO responses (unit_id, survey_version_id, channel, created_at, local_date,
                                    answers, respondent, wait_minutes)
             VALUES ({unit_id}, {}, 'qr', '{day}T03:00:00Z', '{day}', '{{}}', '{{}}', {i})",
            version.id
        ))
        .await
        .unwrap();
    }
    Migrator::up(&db, None).await.unwrap();
    let rows = entity::response::Entity::find().all(&db).await.unwrap();
    let mut waits: Vec<_> = rows.iter().map(|r| (r.id, r.wait_minutes)).collect();
    waits.sort();
    assert_eq!(
        waits.iter().map(|w| w.1).collect::<Vec<_>>(),
        vec![Some(0), Some(1), Some(2), Some(3)],
        "every row kept, in id order"
    );
    // The channel cells of the stored responses were added: four by QR, three months.
    let cells = suara::store::analytics::by_unit(
        &db,
        Some(&[unit_id]),
        "2025-11-01".parse().unwrap(),
        "2026-01-31".parse().unwrap(),
        suara::store::analytics::Codes::Only(&["_R:qr"]),
    )
    .await
    .unwrap();
    assert_eq!(cells[&unit_id]["_R:qr"].n, 4);
    if db.get_database_backend() == DbBackend::Postgres {
        let parts = partitions::list(&db).await.unwrap();
        for p in [
            "responses_default",
            "responses_y2025m11",
            "responses_y2025m12",
            "responses_y2026m01",
        ] {
            assert!(parts.contains(&p.to_string()), "{p} missing from {parts:?}");
        }
        let first = waits[0].0;
        assert_eq!(
            partitions::partition_of(&db, first).await.unwrap(),
            "responses_y2025m11"
        );
    }
    // New ids continue after the old ones.
    db.execute_unprepared(&format!(
        "INSERT INTO responses (unit_id, survey_version_id, channel, created_at, local_date,
                                answers, respondent)
         VALUES ({unit_id}, {}, 'qr', '2026-01-20T03:00:00Z', '2026-01-20', '{{}}', '{{}}')",
        version.id
    ))
    .await
    .unwrap();
    let max = entity::response::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .max()
        .unwrap();
    assert_eq!(max, waits[3].0 + 1);
    let _ = db.close().await;
    drop(fresh);
    let _ = std::fs::remove_dir_all(&dir);
}
