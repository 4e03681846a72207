//! Staff, planner and admin pages name things in words, not the codes they are stored as (the
//! API keeps the codes).
use serde_json::json;

use crate::analytics::respond;
use crate::desk::file;
use crate::helpers::{spawn_app, spawn_app_with};
use crate::training::{first_recommendation, low_behaviour};

const UNIT: &str = "disdukcapil-kota-jambi";

#[actix_web::test]
async fn a_complaints_history_names_kinds_statuses_and_priorities() {
    let app = spawn_app().await;
    let id = file(&app, UNIT).await;
    let sup = app
        .token_user("sup@dukcapil.id", "supervisor", &[UNIT])
        .await;
    let base = format!("/api/v1/staff/complaints/{id}");
    let r = app
        .call_as(
            &sup,
            "POST",
            &format!("{base}/transitions"),
            Some(&json!({"action": "verify"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .call_as(&sup, "PATCH", &base, Some(&json!({"priority": "tinggi"})))
        .await;
    assert!(r.status < 300, "{}: {}", r.status, r.body);
    let pw = app
        .create_user("sup2@dukcapil.id", "supervisor", &[UNIT])
        .await;
    let s = app.login("sup2@dukcapil.id", &pw).await;
    let cookie = [("cookie", s.cookie.as_str())];
    let page = app
        .get_with(&format!("/staff/complaints/{id}"), &cookie)
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Status: Diterima → Diverifikasi"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Prioritas diubah"));
    assert!(!page.body.contains("received →") && !page.body.contains("→ verified"));
    let en = app
        .get_with(&format!("/staff/complaints/{id}?lang=en"), &cookie)
        .await;
    assert!(en.body.contains("Received → Verified"), "{}", en.body);
    assert!(en.body.contains("Priority changed") && en.body.contains(">High<"));
    // The API keeps the codes.
    let api = app.get_as(&sup, &base).await.json();
    assert!(
        api["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "status" && e["to_status"] == "verified")
    );
}

#[actix_web::test]
async fn element_codes_come_with_their_names() {
    let app = spawn_app().await;
    for _ in 0..6 {
        respond(&app, "2026-03-02", [3; 9], 30, 1).await;
    }
    let pw = app
        .create_user("sup@dukcapil.id", "supervisor", &[UNIT])
        .await;
    let s = app.login("sup@dukcapil.id", &pw).await;
    let cookie = [("cookie", s.cookie.as_str())];
    let page = app.get_with(&format!("/staff/units/{UNIT}"), &cookie).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("<td>U1 Persyaratan</td>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<th>Unsur</th>"));
    let pw = app.create_user("plan@bkd.id", "planner", &[]).await;
    let s = app.login("plan@bkd.id", &pw).await;
    let page = app
        .get_with(
            &format!("/planner/units/{UNIT}?from=2026-03-01&to=2026-03-31"),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<abbr title=\"Perilaku pelaksana\">U7</abbr>")
    );
}

#[actix_web::test]
async fn training_pages_name_decisions_programmes_and_kinds() {
    let app = spawn_app().await;
    low_behaviour(&app).await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let r = app
        .call_as(&planner, "POST", "/api/v1/training/run", None)
        .await;
    assert!(r.status < 300, "{}: {}", r.status, r.body);
    let pw = app.create_user("root@x.id", "admin", &[]).await;
    let s = app.login("root@x.id", &pw).await;
    let cookie = [("cookie", s.cookie.as_str())];
    let list = app.get_with("/planner/training", &cookie).await;
    let id = first_recommendation(&list.body);
    let r = app
        .call_as(
            &planner,
            "POST",
            &format!("/api/v1/training/recommendations/{id}/accept"),
            Some(&json!({})),
        )
        .await;
    assert!(r.status < 300, "{}: {}", r.status, r.body);
    let detail = app
        .get_with(&format!("/planner/training/{id}"), &cookie)
        .await;
    assert!(
        detail.body.contains("Diterima: Diusulkan → Diterima"),
        "{}",
        detail.body
    );
    assert!(
        detail.body.contains("Klasikal · Lokakarya")
            || detail.body.contains("Nonklasikal · Coaching")
    );
    // Complaint categories by name in the evidence and in the rule list, not `perilaku_petugas`.
    assert!(
        detail
            .body
            .contains("Pengaduan Perilaku petugas per 1.000 responden")
    );
    let admin = app.get_with("/admin/training", &cookie).await;
    assert!(admin.body.contains(
        "U7 (Perilaku pelaksana) &lt; 3,00; Pengaduan Perilaku petugas per 1.000 responden &gt; 10,0"
    ));
    assert!(
        admin.body.contains("(integritas, Sosial kultural)"),
        "{}",
        admin.body
    );
    assert!(
        admin
            .body
            .contains("<td>Pelayanan prima dan komunikasi efektif</td>")
    );
    let form = app.get_with("/admin/units/new", &cookie).await;
    assert!(form.body.contains(">Rumah sakit</option>"));
}

#[actix_web::test]
async fn a_measured_training_names_its_signals_and_tests() {
    let app = spawn_app_with(&[("SUARA_SEED_DEMO_HISTORY", "true")]).await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let all = app
        .get_as(
            &planner,
            "/api/v1/training/recommendations?status=completed",
        )
        .await
        .json();
    let measured = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| !r["impact"].is_null())
        .expect("the demo has a measured training");
    // The API keeps the keys…
    let row = &measured["impact"]["rows"][0];
    let (key, test) = (
        row["signal"].as_str().unwrap(),
        row["test"].as_str().unwrap(),
    );
    assert!(["welch_t", "two_proportion_z", "poisson_rate"].contains(&test));
    let one = app
        .get_as(
            &planner,
            &format!("/api/v1/training/recommendations/{}", measured["id"]),
        )
        .await;
    assert!(one.status == 200 && !one.body.contains("signal_names"));
    assert!(
        !app.get("/api/openapi.json")
            .await
            .body
            .contains("signal_names")
    );
    let pw = app.create_user("plan2@bkd.id", "planner", &[]).await;
    let s = app.login("plan2@bkd.id", &pw).await;
    let page = app
        .get_with(
            &format!("/planner/training/{}", measured["id"]),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(page.status, 200);
    // …the page says them in words.
    assert!(
        !page.body.contains(&format!("<td>{key}</td>")),
        "{key} shown raw"
    );
    assert!(
        !page.body.contains(&format!("<td>{test}</td>")),
        "{test} shown raw"
    );
    assert!(page.body.contains("<td>Uji "), "{}", page.body);
}
