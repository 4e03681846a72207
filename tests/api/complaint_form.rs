//! The complaint form refused for a field keeps its photo: the file is held under the form's
//! submission key, listed again (ticked) with a linked summary of what to fix, and goes with
//! the complaint when the form is sent again; unticked, it is removed.
use sea_orm::EntityTrait;

use crate::helpers::{Body, TestApp, hidden, multipart, spawn_app};

const RSUD: &str = "rsud-raden-mattaher";
const LONG: &str = "Antrean pendaftaran tidak bergerak lebih dari dua jam.";

fn files_on_disk(app: &TestApp) -> usize {
    std::fs::read_dir(&app.state.settings.attachments_dir)
        .map(|d| d.count())
        .unwrap_or(0)
}

fn png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(440_000, 7);
    png
}

/// Sends the form once with a too-short description and a photo: the 422 page.
async fn refused_with_photo(app: &TestApp) -> (String, String) {
    let url = format!("/u/{RSUD}/complaint");
    let form = app.get(&url).await;
    let key = hidden(&form.body, "submission_key");
    let (ct, body) = multipart(
        &[
            ("submission_key", key.as_str()),
            ("kind", "pengaduan"),
            ("category", "waktu_tunggu"),
            ("description", "pendek"),
        ],
        &[("attachments", "antrean.png", &png())],
    );
    let r = app.call("POST", &url, Body::Raw(&ct, body), &[]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    (key, r.body)
}

/// The form sent again, fixed, with no new file and the held photo ticked (`keep`) or not.
async fn resend(app: &TestApp, key: &str, keep: Option<&str>) -> crate::helpers::Resp {
    let mut fields = vec![
        ("submission_key", key),
        ("kind", "pengaduan"),
        ("category", "waktu_tunggu"),
        ("description", LONG),
        ("held_listed", "1"),
    ];
    if let Some(id) = keep {
        fields.push(("keep_held", id));
    }
    let (ct, body) = multipart(&fields, &[]);
    app.call(
        "POST",
        &format!("/u/{RSUD}/complaint"),
        Body::Raw(&ct, body),
        &[],
    )
    .await
}

#[actix_web::test]
async fn a_refused_complaint_keeps_its_photo_and_files_it_next_time() {
    let app = spawn_app().await;
    let (key, page) = refused_with_photo(&app).await;
    // The summary links to the field to fix; the photo is listed, ticked, in words.
    assert!(
        page.contains(r##"<a href="#description">Uraian</a>"##),
        "{page}"
    );
    assert!(page.contains("antrean.png"), "{page}");
    assert!(page.contains("PNG · 440 KB"), "{page}");
    assert!(!page.contains("Lampirkan kembali"));
    assert_eq!(
        hidden(&page, "submission_key"),
        key,
        "the same key comes back"
    );
    let held_id = page
        .split(r#"name="keep_held" value=""#)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a keep_held box")
        .to_string();
    assert_eq!(files_on_disk(&app), 1);
    // Sent again, fixed, with no new file: the held photo is the complaint's attachment.
    let r = resend(&app, &key, Some(&held_id)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let attachments = entity::complaint_attachment::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].filename, "antrean.png");
    assert_eq!(attachments[0].size, 440_000);
    assert!(
        app.state
            .settings
            .attachments_dir
            .join(&attachments[0].stored_name)
            .exists()
    );
    let held = entity::held_upload::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(held.is_empty(), "nothing is held once filed");
}

#[actix_web::test]
async fn an_unticked_held_photo_is_removed() {
    let app = spawn_app().await;
    let (key, _) = refused_with_photo(&app).await;
    assert_eq!(files_on_disk(&app), 1);
    let r = resend(&app, &key, None).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(files_on_disk(&app), 0, "the unticked photo is gone");
    assert!(
        entity::complaint_attachment::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
}

#[actix_web::test]
async fn held_photos_expire_with_the_key() {
    let app = spawn_app().await;
    refused_with_photo(&app).await;
    assert_eq!(files_on_disk(&app), 1);
    let removed = suara::service::complaints::expire_held(
        &app.state,
        chrono::Utc::now() + chrono::Duration::seconds(1),
    )
    .await
    .unwrap();
    assert_eq!(removed, 1);
    assert_eq!(files_on_disk(&app), 0);
}
