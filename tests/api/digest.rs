//! The supervisors' daily digest: one e-mail a day of their units' overdue complaints and those
//! due today or tomorrow, never two (however often, or from however many processes, it runs).
use chrono::{Duration, NaiveDate};
use entity::outbox;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::desk::{backdate, file, model};
use crate::helpers::{TestApp, spawn_app_with};

const RSUD: &str = "rsud-raden-mattaher";
const DUKCAPIL: &str = "disdukcapil-kota-jambi";

async fn digests_to(app: &TestApp, to: &str) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .filter(outbox::Column::Kind.eq("digest"))
        .filter(outbox::Column::ToAddr.eq(to))
        .all(&app.state.db)
        .await
        .unwrap()
}

/// Received complaints are due for verification: that date is the one the digest reads.
async fn due_on(app: &TestApp, id: &str, day: NaiveDate) {
    let m = model(app, id).await;
    let filed = suara::domain::calendar::wib_date(m.created_at);
    backdate(
        app,
        id,
        filed.min(day),
        [day, m.due_first_response, m.due_resolve],
    )
    .await;
}

#[actix_web::test]
async fn a_supervisor_gets_one_digest_of_their_units_due_work() {
    let app = spawn_app_with(&[("SUARA_DIGEST_HOUR", "7")]).await;
    let today = suara::service::today_wib();
    app.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    app.create_user("sup@dukcapil.id", "supervisor", &[DUKCAPIL])
        .await;
    let late = file(&app, RSUD).await;
    due_on(&app, &late, today - Duration::days(3)).await;
    let now = file(&app, RSUD).await;
    due_on(&app, &now, today).await;
    // Filed today: due in three working days, not in today's digest.
    let later = file(&app, RSUD).await;
    // Another unit's complaint, also overdue, with a supervisor of its own.
    let other = file(&app, DUKCAPIL).await;
    due_on(&app, &other, today - Duration::days(1)).await;

    // Before the hour: nothing.
    let n = suara::service::complaints::send_due(&app.state, today, 6)
        .await
        .unwrap();
    assert_eq!(n, 0);
    assert!(digests_to(&app, "sup@rsud.id").await.is_empty());

    let n = suara::service::complaints::send_due(&app.state, today, 8)
        .await
        .unwrap();
    assert_eq!(n, 2, "one digest per supervisor with something due");
    let rows = digests_to(&app, "sup@rsud.id").await;
    assert_eq!(rows.len(), 1);
    let m = &rows[0];
    assert!(m.subject.contains("1 terlambat"), "{}", m.subject);
    assert!(
        m.subject.contains("1 jatuh tempo hari ini"),
        "{}",
        m.subject
    );
    for body in [&m.body_text, &m.body_html] {
        assert!(body.contains(&late) && body.contains(&now), "{body}");
        assert!(!body.contains(&later), "not due yet: {body}");
        assert!(!body.contains(&other), "another unit's complaint: {body}");
        assert!(body.contains("Batas verifikasi"), "{body}");
        assert!(body.contains("Waktu"), "the category's name: {body}");
        assert!(
            body.contains(&suara::domain::format::long_date(today, true)),
            "{body}"
        );
        assert!(
            body.contains(&suara::domain::format::long_date(
                today - Duration::days(3),
                true
            )),
            "{body}"
        );
    }
    // The link to the complaint (the HTML part escapes its slashes, as every e-mail does).
    assert!(
        m.body_text.contains(&format!("/staff/complaints/{late}")),
        "{}",
        m.body_text
    );
    assert!(
        m.body_html
            .contains(&format!("&#x2F;staff&#x2F;complaints&#x2F;{late}"))
    );
    let theirs = digests_to(&app, "sup@dukcapil.id").await;
    assert_eq!(theirs.len(), 1);
    assert!(theirs[0].body_text.contains(&other) && !theirs[0].body_text.contains(&late));

    // Again, and from a second process sharing the database: still one each.
    assert_eq!(
        suara::service::complaints::send_due(&app.state, today, 9)
            .await
            .unwrap(),
        0
    );
    // A second process on the same database.
    let shared = app.state.settings.database_url.clone();
    let b = spawn_app_with(&[
        ("SUARA_DIGEST_HOUR", "7"),
        ("DATABASE_URL", shared.as_str()),
    ])
    .await;
    assert_eq!(
        suara::service::complaints::send_due(&b.state, today, 9)
            .await
            .unwrap(),
        0
    );
    assert_eq!(digests_to(&app, "sup@rsud.id").await.len(), 1);
    assert_eq!(digests_to(&app, "sup@dukcapil.id").await.len(), 1);
}

#[actix_web::test]
async fn nothing_due_no_digest_and_off_means_off() {
    let app = spawn_app_with(&[("SUARA_DIGEST_HOUR", "7")]).await;
    let today = suara::service::today_wib();
    app.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    // Filed today: the first deadline is three working days away.
    file(&app, RSUD).await;
    let n = suara::service::complaints::send_due(&app.state, today, 23)
        .await
        .unwrap();
    assert_eq!(n, 0);
    assert!(digests_to(&app, "sup@rsud.id").await.is_empty());

    let off = spawn_app_with(&[("SUARA_DIGEST_HOUR", "off")]).await;
    off.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let id = file(&off, RSUD).await;
    due_on(&off, &id, today - Duration::days(2)).await;
    let n = suara::service::complaints::send_due(&off.state, today, 23)
        .await
        .unwrap();
    assert_eq!(n, 0);
    assert!(digests_to(&off, "sup@rsud.id").await.is_empty());
}
