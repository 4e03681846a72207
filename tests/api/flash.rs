//! The desk says what happened: every form on the admin and training pages lands on a page that
//! names what it did ("Unit disimpan."), and a link cannot make a page say anything of its own.
use crate::helpers::{Body, Resp, Session, TestApp, spawn_app};
use crate::training::{first_recommendation, low_behaviour};

const UNIT: &str = "disdukcapil-kota-jambi";
const NOTICE: &str = "class=\"notice\" role=\"status\"";

/// Posts a staff form with the session's CSRF token.
async fn send(app: &TestApp, s: &Session, path: &str, form: &[(&str, &str)]) -> Resp {
    let mut with_csrf = vec![("csrf", s.csrf.as_str())];
    with_csrf.extend_from_slice(form);
    app.call(
        "POST",
        path,
        Body::Form(&with_csrf),
        &[("cookie", &s.cookie)],
    )
    .await
}

/// Posts a staff form; expects the see-other and returns where it points.
async fn post(app: &TestApp, s: &Session, path: &str, form: &[(&str, &str)]) -> String {
    let r = send(app, s, path, form).await;
    assert_eq!(r.status, 303, "{path}: {}", r.body);
    r.header("location").expect("a see-other has a location")
}

/// The page a form landed on, which must say `text` as the status notice.
async fn says(app: &TestApp, s: &Session, landed: &str, text: &str) {
    let page = app.get_with(landed, &[("cookie", &s.cookie)]).await;
    assert_eq!(page.status, 200, "{landed}");
    assert!(
        page.body.contains(&format!("{NOTICE}>{text}</p>")),
        "{landed} should say {text:?}: {}",
        page.body
    );
}

#[actix_web::test]
async fn registry_forms_say_what_they_did_and_unknown_confirmations_show_nothing() {
    let app = spawn_app().await;
    let pw = app.create_user("root@x.id", "admin", &[]).await;
    let s = app.login("root@x.id", &pw).await;
    let edit = format!("/admin/units/{UNIT}/edit");
    let landed = post(
        &app,
        &s,
        &edit,
        &[
            ("agency", "pemkot-jambi"),
            ("slug", UNIT),
            ("name", "Disdukcapil Kota Jambi"),
            ("kind", "dukcapil"),
        ],
    )
    .await;
    assert_eq!(landed, format!("{edit}?ok=unit_saved"));
    says(&app, &s, &landed, "Unit disimpan.").await;
    says(&app, &s, &format!("{landed}&lang=en"), "Unit saved.").await;
    let svc = format!("/admin/units/{UNIT}/services");
    let landed = post(
        &app,
        &s,
        &svc,
        &[("slug", "akta-kematian"), ("name", "Akta kematian")],
    )
    .await;
    says(&app, &s, &landed, "Layanan ditambahkan.").await;
    let archive = format!("/admin/units/{UNIT}/services/akta-kematian/archive");
    let landed = post(&app, &s, &archive, &[]).await;
    says(&app, &s, &landed, "Layanan diarsipkan.").await;
    let landed = post(
        &app,
        &s,
        "/admin/agencies",
        &[("slug", "pemprov-uji"), ("name", "Pemerintah Provinsi Uji")],
    )
    .await;
    assert_eq!(landed, "/admin?ok=agency_created");
    says(&app, &s, &landed, "Instansi ditambahkan.").await;
    let landed = post(
        &app,
        &s,
        "/admin/surveys/assign",
        &[("unit", UNIT), ("survey", "skm-2017")],
    )
    .await;
    says(&app, &s, &landed, "Survei untuk unit disimpan.").await;
    // A refused form says so above the fields, and claims nothing went through.
    let r = send(&app, &s, &edit, &[("slug", "Salah Slug")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Ada isian yang perlu diperbaiki"));
    assert!(!r.body.contains(NOTICE));
    // Only known confirmations have words; anything else in the link shows nothing.
    for forged in ["Hubungi+0812+untuk+refund", "unit_savedx", "bulk", ""] {
        let page = app
            .get_with(&format!("{edit}?ok={forged}"), &[("cookie", &s.cookie)])
            .await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains(NOTICE), "ok={forged} showed a notice");
        // (The link itself is kept in the language switch's `next`; never as text.)
        assert!(!page.body.contains(">Hubungi"));
    }
}

#[actix_web::test]
async fn training_decisions_say_what_they_did() {
    let app = spawn_app().await;
    let pw = app.create_user("plan@bkd.id", "planner", &[]).await;
    low_behaviour(&app).await;
    let s = app.login("plan@bkd.id", &pw).await;
    let landed = post(&app, &s, "/planner/training/run", &[]).await;
    assert_eq!(landed, "/planner/training?ok=training_run");
    says(&app, &s, &landed, "Rekomendasi dihitung ulang.").await;
    let list = app
        .get_with("/planner/training", &[("cookie", &s.cookie)])
        .await;
    assert!(!list.body.contains(NOTICE), "no confirmation without ?ok=");
    let id = first_recommendation(&list.body);
    let path = format!("/planner/training/{id}");
    let landed = post(&app, &s, &path, &[("op", "accept")]).await;
    assert_eq!(landed, format!("{path}?ok=training_accept"));
    says(&app, &s, &landed, "Rekomendasi disetujui.").await;
    // Declining without a reason comes back with a message on top and beside the field.
    let r = send(&app, &s, &path, &[("op", "dismiss")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Ada isian yang perlu diperbaiki"));
    assert!(r.body.contains("Wajib diisi."));
    let reason = [
        ("op", "dismiss"),
        ("reason", "Sudah ada pelatihan serupa bulan lalu."),
    ];
    let landed = post(&app, &s, &path, &reason).await;
    says(&app, &s, &landed, "Rekomendasi ditolak.").await;
    says(
        &app,
        &s,
        &format!("{landed}&lang=en"),
        "Recommendation dismissed.",
    )
    .await;
    // Deciding again (a second tab) is refused in the reader's language, not the API's.
    let r = send(&app, &s, &path, &reason).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("tidak berlaku untuk status rekomendasi saat ini")
    );
    assert!(!r.body.contains("cannot dismiss"));
    let landed = post(
        &app,
        &s,
        &path,
        &[("op", "comment"), ("body", "Dibahas di rapat.")],
    )
    .await;
    says(&app, &s, &landed, "Komentar disimpan.").await;
}

#[actix_web::test]
async fn a_saved_rule_is_confirmed_on_the_catalogue() {
    let app = spawn_app().await;
    let pw = app.create_user("root@x.id", "admin", &[]).await;
    let s = app.login("root@x.id", &pw).await;
    let def = r#"{"conditions": [{"signal": "element_below", "code": "U7", "threshold": 2.5}], "programmes": ["pelayanan-prima"]}"#;
    let landed = post(
        &app,
        &s,
        "/admin/training/rules/perilaku-petugas",
        &[
            ("name", "Perilaku"),
            ("active", "1"),
            ("definition", def),
            ("save", "1"),
        ],
    )
    .await;
    assert_eq!(landed, "/admin/training?ok=rule_saved");
    says(&app, &s, &landed, "Aturan disimpan.").await;
}
