//! The raw export streamed by PostgreSQL's `COPY … TO STDOUT` is byte for byte the export read
//! a keyset page at a time (the path SQLite takes, and what every engine did before), on data
//! that tests the text format: tabs, line breaks, backslashes, quotes, formulas, no service,
//! answers that are not JSON, several rows a day in another order than their ids.
use std::sync::Arc;

use chrono::{Duration, Utc};
use futures_util::StreamExt;
use sea_orm::{ActiveValue::Set, EntityTrait};
use suara::service::identity::{CurrentUser, Role};
use suara::service::period::RangeQuery;
use suara::service::response_export::prepare;

use crate::helpers::spawn_app;

const UNIT: &str = "disdukcapil-kota-jambi";

#[actix_web::test]
async fn the_copy_export_is_the_paged_export_byte_for_byte() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let unit = suara::store::units::by_slug(db, UNIT)
        .await
        .unwrap()
        .unwrap();
    let active = suara::store::surveys::active_for_unit(db, unit.id)
        .await
        .unwrap()
        .unwrap();
    let service = suara::store::units::services(db, unit.id, false)
        .await
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let today = suara::service::today_wib();
    let odd = [
        r#"{"U1":4,"U2":"a\tb","U3":"two\nlines","U4":"back\\slash \"quoted\", comma","U5":"=HYPERLINK(\"x\")","WAIT_MIN":95,"VISITS":3,"FEE_PAID":0}"#,
        r#"{"U1":1,"U2":2,"U3":3,"U4":4,"U5":1,"U6":2,"U7":3,"U8":4,"U9":1,"WAIT_MIN":5}"#,
        "not json at all",
        r#"{"U1":2.5,"U2":-1,"U3":true,"U4":["x","y"],"U5":{"o":1},"U6":null,"U9":"Kéé – ✓"}"#,
        "{}",
    ];
    let profiles = [
        r#"{"gender":"P","age":34,"education":"SMA","occupation":"tab\there"}"#,
        r#"{"gender":"L","age":71,"education":"S1","occupation":"-3"}"#,
        r#"{"age":"tiga puluh","occupation":"@home\r\n"}"#,
        "",
    ];
    let mut rows = vec![];
    for i in 0..60usize {
        rows.push(entity::response::ActiveModel {
            unit_id: Set(unit.id),
            survey_version_id: Set(active.version.id),
            service_id: Set((i % 3 != 0).then_some(service.id)),
            channel: Set(["web", "qr", "kiosk"][i % 3].to_string()),
            created_at: Set(Utc::now()),
            // Days out of id order: 0, 2, 1, 0, 2, 1, …
            local_date: Set(today - Duration::days([0, 2, 1][i % 3])),
            answers: Set(odd[i % odd.len()].to_string()),
            respondent: Set(profiles[i % profiles.len()].to_string()),
            comment: Set(Some("Pak Budi\tdi loket".into())),
            ..Default::default()
        });
    }
    entity::response::Entity::insert_many(rows)
        .exec(db)
        .await
        .unwrap();

    let from = today - Duration::days(2);
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let got = app
        .get_as(
            &planner,
            &format!("/api/v1/units/{UNIT}/responses?from={from}&to={today}"),
        )
        .await;
    assert_eq!(got.status, 200, "{}", got.body);

    // The same export read a page at a time, written as the download writes it.
    let admin = CurrentUser {
        id: 0,
        email: "admin@x.id".into(),
        name: "admin".into(),
        role: Role::Admin,
        unit_ids: vec![],
        csrf: String::new(),
        via_token: true,
    };
    let range = RangeQuery {
        from: Some(from.to_string()),
        to: Some(today.to_string()),
    };
    let export = prepare(&app.state.cx, &admin, UNIT, &range, suara::i18n::Lang::Id)
        .await
        .unwrap();
    let mut table = suara::web::analytics::csv::Table::new();
    table.row(export.header());
    let mut pages = Arc::new(export).paged(app.state.read.clone());
    let mut n = 0;
    while let Some(page) = pages.next().await {
        for row in page.unwrap() {
            n += 1;
            table.row(row);
        }
    }
    assert_eq!(n, 60);
    let want = table.into_bytes();
    assert_eq!(
        got.body.as_bytes(),
        want.as_slice(),
        "COPY export:\n{}\npaged export:\n{}",
        got.body,
        String::from_utf8_lossy(&want)
    );
    // What the odd values came out as: kept, quoted, neutralised, never the comment.
    for cell in ["a\tb", "\"two\nlines\"", "'=HYPERLINK", "Kéé – ✓", "x;y"] {
        assert!(got.body.contains(cell), "{cell}");
    }
    assert!(!got.body.contains("Budi"));
}
