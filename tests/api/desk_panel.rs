//! The complaint page in one screen and the reply templates page: one action panel whose
//! actions post without JavaScript, deadlines and history in words, units chosen by name, and
//! templates kept on a page of their own (a refused template comes back as typed).
use serde_json::json;

use crate::helpers::{Body, Session, TestApp, spawn_app};

const UNIT: &str = "disdukcapil-kota-jambi";

async fn filed(app: &TestApp) -> String {
    let r = app
        .post_json(
            "/api/v1/complaints",
            &json!({"unit": UNIT, "kind": "pengaduan", "category": "waktu_tunggu",
                "description": "Antrean sangat panjang dan nomor urut tidak dipanggil."}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["tracking_id"].as_str().unwrap().to_string()
}

async fn desk(app: &TestApp) -> Session {
    let pw = app
        .create_user("kasi@disdukcapil.id", "supervisor", &[UNIT])
        .await;
    app.login("kasi@disdukcapil.id", &pw).await
}

async fn post(
    app: &TestApp,
    s: &Session,
    path: &str,
    form: &[(&str, &str)],
) -> crate::helpers::Resp {
    let mut form = form.to_vec();
    form.push(("csrf", &s.csrf));
    app.call("POST", path, Body::Form(&form), &[("cookie", &s.cookie)])
        .await
}

#[actix_web::test]
async fn one_action_panel_with_deadlines_and_history_in_words() {
    let app = spawn_app().await;
    let tracking = filed(&app).await;
    let s = desk(&app).await;
    let path = format!("/staff/complaints/{tracking}");
    let page = app.get_with(&path, &[("cookie", &s.cookie)]).await;
    assert_eq!(page.status, 200);
    let b = &page.body;
    // One form with the actions to choose from; status first while one is possible.
    assert_eq!(b.matches("class=\"card action-panel\"").count(), 1);
    assert!(
        b.contains(r#"value="transition" id="op-transition" checked"#),
        "{b}"
    );
    for op in ["op-reply", "op-note", "op-meta"] {
        assert!(b.contains(&format!("id=\"{op}\"")));
    }
    // Forwarding names units by name, not slug.
    assert!(
        b.contains(">RSUD Raden Mattaher</option>") || b.contains("Raden Mattaher"),
        "{b}"
    );
    assert!(!b.contains("(slug"));
    // Deadlines say what each is for; the history says who, in words.
    assert!(b.contains("<strong>Verifikasi laporan</strong>: paling lambat "));
    assert!(b.contains("<strong>Penyelesaian</strong>: paling lambat "));
    assert!(
        b.contains("<strong>Pelapor</strong>"),
        "the citizen, not 'warga'"
    );
    assert!(b.contains("Pelapor tidak meninggalkan kontak"));
    // In English too.
    let en = app
        .get_with(
            &format!("{path}?lang=en"),
            &[("cookie", &s.cookie), ("accept-language", "en")],
        )
        .await;
    assert!(
        en.body.contains("<strong>Complainant</strong>"),
        "{}",
        en.body
    );

    // The panel's reply and note post without JavaScript, under their own names.
    let r = post(
        &app,
        &s,
        &path,
        &[("op", "reply"), ("reply_body", "Kami periksa hari ini.")],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().ends_with("ok=reply_none"));
    let r = post(
        &app,
        &s,
        &path,
        &[("op", "note"), ("note_body", "Cek CCTV loket 2.")],
    )
    .await;
    assert_eq!(r.status, 303);
    let page = app.get_with(&path, &[("cookie", &s.cookie)]).await;
    assert!(page.body.contains("Kami periksa hari ini."));
    assert!(page.body.contains("Cek CCTV loket 2."));
}

#[actix_web::test]
async fn reply_templates_have_a_page() {
    let app = spawn_app().await;
    let s = desk(&app).await;
    let path = format!("/staff/units/{UNIT}/reply-templates");
    let page = app.get_with(&path, &[("cookie", &s.cookie)]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Belum ada templat."));
    // No title: the form comes back with the text typed and the field's message.
    let r = post(
        &app,
        &s,
        &path,
        &[
            ("title", ""),
            ("body", "Terima kasih, kami tindak lanjuti."),
        ],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains(">Terima kasih, kami tindak lanjuti.</textarea>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("aria-invalid=\"true\" aria-describedby=\"e-rt-title\"")
    );
    let r = post(
        &app,
        &s,
        &path,
        &[
            ("title", "Terima kasih"),
            ("body", "Terima kasih, kami tindak lanjuti."),
            ("category", "waktu_tunggu"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = app
        .get_with(
            &format!("{path}?ok=reply_template_added"),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert!(page.body.contains("Templat balasan disimpan."));
    assert!(
        page.body.contains("Waktu tunggu terlalu lama"),
        "the category by name"
    );
    // The complaint page offers it and links here.
    let tracking = filed(&app).await;
    let c = app
        .get_with(
            &format!("/staff/complaints/{tracking}"),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert!(c.body.contains(">Terima kasih</a>"));
    assert!(c.body.contains(&format!("href=\"{path}\"")));
    // Deleted, it is gone; another unit's page is a 404.
    let id = page
        .body
        .split("/reply-templates/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_string();
    let r = post(&app, &s, &format!("{path}/{id}/delete"), &[]).await;
    assert_eq!(r.status, 303);
    let page = app.get_with(&path, &[("cookie", &s.cookie)]).await;
    assert!(page.body.contains("Belum ada templat."));
    let other = app
        .get_with(
            "/staff/units/rsud-raden-mattaher/reply-templates",
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(other.status, 404);
}
