//! Supervisors' tools: suggested duplicates on a complaint, and reply templates per unit.
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, hidden, spawn_app};

const RSUD: &str = "rsud-raden-mattaher";

async fn file(app: &TestApp, category: &str, description: &str) -> String {
    let r = app
        .post_json(
            "/api/v1/complaints",
            &json!({"unit": RSUD, "kind": "pengaduan", "category": category, "description": description,
                    "contact": {"name": "Sri", "email": "sri@example.id"}, "anonim": false, "rahasia": false}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["tracking_id"].as_str().unwrap().to_string()
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s["tracking_id"].as_str().unwrap().to_string())
        .collect()
}

#[actix_web::test]
async fn alike_complaints_are_suggested_and_marked_duplicate_in_one_click() {
    let app = spawn_app().await;
    let a = file(
        &app,
        "waktu_tunggu",
        "Antrian loket pendaftaran poliklinik anak sangat lama, menunggu empat jam.",
    )
    .await;
    let b = file(
        &app,
        "waktu_tunggu",
        "Antrian di loket pendaftaran poliklinik anak lama sekali, empat jam menunggu.",
    )
    .await;
    let other_text = file(
        &app,
        "waktu_tunggu",
        "Parkiran rumah sakit penuh dan tidak ada petugas yang mengatur kendaraan.",
    )
    .await;
    let other_cat = file(
        &app,
        "prosedur",
        "Antrian loket pendaftaran poliklinik anak sangat lama, menunggu empat jam.",
    )
    .await;
    // Alike, but filed 40 days earlier: outside the window.
    let old = file(
        &app,
        "waktu_tunggu",
        "Antrian loket pendaftaran poliklinik anak sangat lama, menunggu empat jam.",
    )
    .await;
    {
        use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
        let m = suara::store::complaints::by_tracking_id(&app.state.db, &old)
            .await
            .unwrap()
            .unwrap();
        let at = m.created_at - chrono::Duration::days(40);
        let mut am = m.into_active_model();
        am.created_at = Set(at);
        am.update(&app.state.db).await.unwrap();
    }
    let t = app.token_user("tok@rsud.id", "supervisor", &[RSUD]).await;
    let v = app
        .get_as(&t, &format!("/api/v1/staff/complaints/{a}"))
        .await;
    assert_eq!(v.status, 200, "{}", v.body);
    let v = v.json();
    assert_eq!(ids(&v["suggested_duplicates"]), vec![b.clone()], "{v}");
    let s = &v["suggested_duplicates"][0];
    assert!(s["similarity"].as_f64().unwrap() >= 0.2);
    assert!(
        s["summary"]
            .as_str()
            .unwrap()
            .starts_with("Antrian di loket")
    );
    assert_eq!(v["duplicates"], json!([]));
    for x in [&other_text, &other_cat, &old] {
        assert!(!v["suggested_duplicates"].to_string().contains(x.as_str()));
    }

    // The page offers a one-click form posting the existing transition with the CSRF token.
    let pw = app.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let sess = app.login("sup@rsud.id", &pw).await;
    let path = format!("/staff/complaints/{a}");
    let page = app.get_with(&path, &[("cookie", &sess.cookie)]).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(&format!("name=\"duplicate_of\" value=\"{b}\"")),
        "{}",
        page.body
    );
    let r = app
        .call(
            "POST",
            &path,
            Body::Form(&[
                ("csrf", &hidden(&page.body, "csrf")),
                ("op", "transition"),
                ("action", "mark_duplicate"),
                ("duplicate_of", &b),
            ]),
            &[("cookie", &sess.cookie)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!r.header("location").unwrap_or_default().contains("error"));

    // Linked both ways; a duplicate is no longer suggested.
    let va = app
        .get_as(&t, &format!("/api/v1/staff/complaints/{a}"))
        .await
        .json();
    assert_eq!(va["status"], "duplicate");
    assert_eq!(va["duplicate_of"], b.as_str());
    let vb = app
        .get_as(&t, &format!("/api/v1/staff/complaints/{b}"))
        .await
        .json();
    assert_eq!(vb["duplicates"], json!([a.clone()]));
    assert_eq!(vb["suggested_duplicates"], json!([]));
    let pb = app
        .get_with(
            &format!("/staff/complaints/{b}"),
            &[("cookie", &sess.cookie)],
        )
        .await;
    assert!(pb.body.contains(&format!("href=\"/staff/complaints/{a}\"")));
}

#[actix_web::test]
async fn supervisors_keep_reply_templates_that_prefill_the_reply() {
    let app = spawn_app().await;
    let id = file(
        &app,
        "waktu_tunggu",
        "Saya menunggu empat jam di poliklinik anak tanpa kepastian.",
    )
    .await;
    let sup = app.token_user("tpl@rsud.id", "supervisor", &[RSUD]).await;
    let admin = app.token_user("admin@tpl.id", "admin", &[]).await;
    let planner = app.token_user("plan@tpl.id", "planner", &[]).await;
    let stranger = app
        .token_user("tpl@samsat.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    let base = format!("/api/v1/staff/units/{RSUD}/reply-templates");

    // Only the unit's supervisors and administrators: 403 for planners (not their role), 404 for
    // other units' supervisors and unknown units.
    for (t, status) in [(&planner, 403), (&stranger, 404)] {
        assert_eq!(app.get_as(t, &base).await.status, status);
        let r = app
            .call_as(t, "POST", &base, Some(&json!({"title": "x", "body": "y"})))
            .await;
        assert_eq!(r.status, status);
    }
    assert_eq!(
        app.get_as(&sup, "/api/v1/staff/units/nope/reply-templates")
            .await
            .status,
        404
    );

    // 422 per field.
    let r = app
        .call_as(
            &sup,
            "POST",
            &base,
            Some(&json!({"title": " ", "body": "x".repeat(2001), "category": "gosip"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let f = &r.json()["fields"];
    for k in ["title", "body", "category"] {
        assert!(f[k].is_string(), "{k}: {f}");
    }
    let r = app
        .call_as(
            &sup,
            "POST",
            &base,
            Some(&json!({"title": "t".repeat(81), "body": "ok"})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["title"].is_string());

    // One for every category, one for this complaint's, one for another category.
    let general = app
        .call_as(&sup, "POST", &base, Some(&json!({"title": "Terima kasih", "body": "Terima kasih atas laporan Anda & kesabarannya."})))
        .await;
    assert_eq!(general.status, 201, "{}", general.body);
    let general = general.json();
    assert_eq!(general["category"], Value::Null);
    let wait = app
        .call_as(&admin, "POST", &base, Some(&json!({"title": "Antrian", "body": "Kami menambah loket pada jam sibuk.", "category": "waktu_tunggu"})))
        .await;
    assert_eq!(wait.status, 201, "{}", wait.body);
    assert_eq!(wait.json()["category"], "waktu_tunggu");
    let fees = app
        .call_as(&sup, "POST", &base, Some(&json!({"title": "Pungli", "body": "Kami memeriksa petugas loket.", "category": "biaya_pungli"})))
        .await;
    assert_eq!(fees.status, 201);
    let list = app.get_as(&sup, &base).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json().as_array().unwrap().len(), 3);
    assert_eq!(app.get_as(&stranger, &base).await.status, 404);

    // The page offers the matching ones; `?template=` pre-fills the reply without JavaScript.
    let pw = app.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let sess = app.login("sup@rsud.id", &pw).await;
    let path = format!("/staff/complaints/{id}");
    let page = app.get_with(&path, &[("cookie", &sess.cookie)]).await;
    assert!(
        page.body.contains(">Terima kasih</a>") && page.body.contains(">Antrian</a>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains(">Pungli</a>"));
    let chosen = app
        .get_with(
            &format!("{path}?template={}", general["id"]),
            &[("cookie", &sess.cookie)],
        )
        .await;
    assert_eq!(chosen.status, 200);
    assert!(
        chosen.body.contains(
            "name=\"reply_body\" rows=\"4\">Terima kasih atas laporan Anda &amp; kesabarannya.</textarea>"
        ),
        "{}",
        chosen.body
    );
    // Another unit's or another category's template is not offered.
    let other = app
        .get_with(
            &format!("{path}?template={}", fees.json()["id"]),
            &[("cookie", &sess.cookie)],
        )
        .await;
    assert!(other.body.contains("rows=\"3\"></textarea>"));

    // Delete: 404 for strangers and unknown ids, 204 once.
    let one = format!("{base}/{}", general["id"]);
    assert_eq!(
        app.call_as(&stranger, "DELETE", &one, None).await.status,
        404
    );
    assert_eq!(app.call_as(&sup, "DELETE", &one, None).await.status, 204);
    assert_eq!(app.call_as(&sup, "DELETE", &one, None).await.status, 404);
    assert_eq!(
        app.call_as(&sup, "DELETE", &format!("{base}/abc"), None)
            .await
            .status,
        404
    );
    assert_eq!(
        app.get_as(&sup, &base)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}
