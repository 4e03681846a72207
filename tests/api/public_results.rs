//! A unit's published results: anyone reads them (JSON and a small page without JavaScript),
//! with the IKM, the elements (withheld below the minimum cell), complaint handling and the
//! follow-up plan — and never a name, a contact or a complaint's text.
use serde_json::json;

use crate::helpers::spawn_app;

const DUKCAPIL: &str = "disdukcapil-kota-jambi";
const SAMSAT: &str = "samsat-kota-jambi";

#[actix_web::test]
async fn results_are_public_and_carry_no_personal_data() {
    let app = spawn_app().await;
    for _ in 0..6 {
        crate::analytics::respond(&app, "2026-03-10", [3, 3, 2, 4, 3, 3, 3, 3, 3], 30, 1).await;
    }
    let r = app
        .post_json(
            "/api/v1/complaints",
            &json!({"unit": DUKCAPIL, "kind": "pengaduan", "category": "waktu_tunggu",
                "description": "Petugas bernama Budi Rahasia membentak saya di loket dua.",
                "contact": {"name": "Siti Pelapor", "email": "siti@example.id"}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let sup = app
        .token_user("kasi@dukcapil.id", "supervisor", &[DUKCAPIL])
        .await;
    let r = app
        .call_as(
            &sup,
            "POST",
            &format!("/api/v1/units/{DUKCAPIL}/follow-ups"),
            Some(&json!({"title": "Tambah petugas loket KTP", "kind": "staffing", "elements": ["U3"],
                "owner": {"name": "dr. Sari Wulandari", "position": "Kabid Pelayanan"},
                "period_from": "2026-01-01", "period_to": "2026-06-30", "status": "in_progress", "progress": 40})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);

    let res = app
        .get(&format!("/api/v1/units/{DUKCAPIL}/results?year=2026"))
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let v = res.json();
    assert!(v["responses"].as_u64().unwrap() >= 6);
    assert!(v["ikm"]["converted"].as_f64().is_some(), "{v}");
    assert_eq!(v["elements"][2]["code"], "U3");
    assert!(v["elements"][2]["nrr"].as_f64().is_some());
    assert!(v["complaints"]["received"].as_u64().unwrap() >= 1);
    assert_eq!(v["follow_ups"][0]["title"], "Tambah petugas loket KTP");
    assert_eq!(v["follow_ups"][0]["progress"], 40);
    for secret in [
        "Sari Wulandari",
        "Kabid",
        "Budi Rahasia",
        "Siti Pelapor",
        "siti@example.id",
    ] {
        assert!(
            !res.body.contains(secret),
            "{secret} is published: {}",
            res.body
        );
    }
    // Too few responses: every survey figure is withheld.
    let thin = app
        .get(&format!("/api/v1/units/{SAMSAT}/results?year=2026"))
        .await
        .json();
    if thin["responses"].as_u64().unwrap() < 5 {
        assert_eq!(thin["suppressed"], true);
        assert!(thin["ikm"].is_null());
        assert!(thin["elements"][0]["nrr"].is_null());
    }
    // The page: small, in Indonesian and English (it needs no JavaScript).
    let page = app.get(&format!("/u/{DUKCAPIL}/hasil?year=2026")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Hasil Survei Kepuasan Masyarakat 2026"));
    assert!(page.body.contains("Tambah petugas loket KTP"));
    assert!(page.body.contains("Berjalan · 40%"), "{}", page.body);
    assert!(!page.body.contains("Sari Wulandari"));
    assert!(page.body.len() < 30_000, "{} bytes", page.body.len());
    let en = app
        .get_with(
            &format!("/u/{DUKCAPIL}/hasil?year=2026"),
            &[("accept-language", "en")],
        )
        .await;
    assert!(
        en.body.contains("Public Satisfaction Survey results"),
        "{}",
        en.body
    );
    // The waiting-room display: refreshes itself, shows the IKM, the plan and the survey's QR.
    let screen = app.get(&format!("/u/{DUKCAPIL}/layar")).await;
    assert_eq!(screen.status, 200);
    assert_eq!(screen.header("refresh").as_deref(), Some("300"));
    assert!(screen.body.contains("Tambah petugas loket KTP"));
    assert!(screen.body.contains(&format!("/u/{DUKCAPIL}/qr.svg")));
    assert!(!screen.body.contains("Sari Wulandari"));
    // Unknown unit, odd year.
    assert_eq!(app.get("/api/v1/units/tidak-ada/results").await.status, 404);
    assert_eq!(app.get("/u/tidak-ada/hasil").await.status, 404);
    assert_eq!(
        app.get(&format!("/api/v1/units/{DUKCAPIL}/results?year=abc"))
            .await
            .status,
        422
    );
}
