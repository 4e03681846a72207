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
    for x in [&other_text, &other_cat] {
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
