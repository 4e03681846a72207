use serde_json::json;

use crate::helpers::{Body, bearer, hidden, spawn_app};

#[actix_web::test]
async fn admin_manages_agencies_units_and_services() {
    let app = spawn_app().await;
    let token = app.token_user("admin@x.id", "admin", &[]).await;
    let auth = bearer(&token);
    let h = [("authorization", auth.as_str())];
    let a = app
        .call(
            "POST",
            "/api/v1/admin/agencies",
            Body::Json(
                &json!({"slug": "pemkab-muaro-jambi", "name": "Pemerintah Kabupaten Muaro Jambi"}),
            ),
            &h,
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let u = app
        .call(
            "POST",
            "/api/v1/admin/units",
            Body::Json(&json!({"agency": "pemkab-muaro-jambi", "slug": "puskesmas-sengeti", "name": "Puskesmas Sengeti", "kind": "puskesmas", "monthly_visitors": 1500})),
            &h,
        )
        .await;
    assert_eq!(u.status, 201, "{}", u.body);
    assert_eq!(u.json()["agency"]["slug"], "pemkab-muaro-jambi");
    let s = app
        .call(
            "POST",
            "/api/v1/admin/units/puskesmas-sengeti/services",
            Body::Json(&json!({"slug": "imunisasi", "name": "Imunisasi", "standard_minutes": 30})),
            &h,
        )
        .await;
    assert_eq!(s.status, 201, "{}", s.body);
    let p = app
        .call(
            "PATCH",
            "/api/v1/admin/units/puskesmas-sengeti",
            Body::Json(&json!({"staff_count": 42})),
            &h,
        )
        .await;
    assert_eq!(p.status, 200);
    assert_eq!(p.json()["staff_count"], 42);
    assert_eq!(
        p.json()["name"],
        "Puskesmas Sengeti",
        "PATCH leaves other fields alone"
    );
    let ps = app
        .call(
            "PATCH",
            "/api/v1/admin/units/puskesmas-sengeti/services/imunisasi",
            Body::Json(&json!({"fee_rupiah": 0, "standard_minutes": 20})),
            &h,
        )
        .await;
    assert_eq!(ps.json()["standard_minutes"], 20);
    let public = app.get("/api/v1/units/puskesmas-sengeti").await.json();
    assert_eq!(public["services"][0]["slug"], "imunisasi");
    let d = app
        .call(
            "DELETE",
            "/api/v1/admin/units/puskesmas-sengeti",
            Body::None,
            &h,
        )
        .await;
    assert_eq!(d.status, 204);
    assert_eq!(app.get("/api/v1/units/puskesmas-sengeti").await.status, 404);
    let all = app.get_with("/api/v1/admin/units", &h).await.json();
    let archived = all
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["slug"] == "puskesmas-sengeti")
        .unwrap();
    assert_eq!(archived["archived"], true, "archived, not deleted");
}

#[actix_web::test]
async fn registry_validation_names_each_field() {
    let app = spawn_app().await;
    let token = app.token_user("admin@x.id", "admin", &[]).await;
    let auth = bearer(&token);
    let h = [("authorization", auth.as_str())];
    let r = app
        .call(
            "POST",
            "/api/v1/admin/units",
            Body::Json(&json!({"slug": "Bad Slug", "staff_count": -3})),
            &h,
        )
        .await;
    assert_eq!(r.status, 422);
    let f = &r.json()["fields"];
    for k in ["agency", "name", "kind", "slug", "staff_count"] {
        assert!(f[k].is_string(), "{k} has a message: {f}");
    }
    let r = app
        .call(
            "POST",
            "/api/v1/admin/units",
            Body::Json(
                &json!({"agency": "nope", "slug": "abc", "name": "Abc unit", "kind": "samsat"}),
            ),
            &h,
        )
        .await;
    assert_eq!(r.json()["fields"]["agency"], "Instansi tidak ditemukan.");
    let dup = app
        .call("POST", "/api/v1/admin/units", Body::Json(&json!({"agency": "pemkot-jambi", "slug": "samsat-kota-jambi", "name": "Dup", "kind": "samsat"})), &h)
        .await;
    assert_eq!(dup.status, 422);
    assert_eq!(dup.json()["fields"]["slug"], "Sudah dipakai.");
    let en = app
        .call(
            "POST",
            "/api/v1/admin/agencies",
            Body::Json(&json!({"slug": "x"})),
            &[("authorization", auth.as_str()), ("accept-language", "en")],
        )
        .await;
    assert_eq!(en.json()["fields"]["name"], "Required.");
    let wrong_type = app
        .call(
            "POST",
            "/api/v1/admin/agencies",
            Body::Json(&json!({"slug": 5, "name": "x"})),
            &h,
        )
        .await;
    assert_eq!(wrong_type.status, 422);
    let broken = app
        .call(
            "POST",
            "/api/v1/admin/agencies",
            Body::Raw("application/json", b"{\"slug\":".to_vec()),
            &h,
        )
        .await;
    assert_eq!(broken.status, 400);
    assert_eq!(broken.json()["error"], "bad_request");
}

#[actix_web::test]
async fn only_admins_use_the_admin_api() {
    let app = spawn_app().await;
    assert_eq!(app.get("/api/v1/admin/units").await.status, 401);
    let planner = app.token_user("plan@x.id", "planner", &[]).await;
    let r = app
        .get_with(
            "/api/v1/admin/units",
            &[("authorization", &bearer(&planner))],
        )
        .await;
    assert_eq!(r.status, 403);
    let bogus = app
        .get_with(
            "/api/v1/admin/units",
            &[("authorization", "Bearer sua_nope")],
        )
        .await;
    assert_eq!(bogus.status, 401);
}

#[actix_web::test]
async fn admin_form_comes_back_with_values_and_messages() {
    let app = spawn_app().await;
    let pw = app.create_user("admin@x.id", "admin", &[]).await;
    let s = app.login("admin@x.id", &pw).await;
    let form = [
        ("csrf", s.csrf.as_str()),
        ("agency", "pemkot-jambi"),
        ("slug", "Salah Slug"),
        ("name", "Kantor Camat Telanaipura"),
        ("kind", "kantor_pelayanan"),
        ("staff_count", "dua puluh"),
    ];
    let r = app
        .call(
            "POST",
            "/admin/units",
            Body::Form(&form),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("value=\"Kantor Camat Telanaipura\""),
        "entered value kept"
    );
    assert!(
        r.body.contains("Gunakan huruf kecil"),
        "slug message in Indonesian"
    );
    assert!(
        r.body.contains("Harus berupa angka bulat"),
        "number message"
    );
    let ok = [
        ("csrf", s.csrf.as_str()),
        ("agency", "pemkot-jambi"),
        ("slug", "camat-telanaipura"),
        ("name", "Kantor Camat Telanaipura"),
        ("kind", "kantor_pelayanan"),
    ];
    let r = app
        .call(
            "POST",
            "/admin/units",
            Body::Form(&ok),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 303);
    let edit = app
        .get_with(
            "/admin/units/camat-telanaipura/edit",
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(edit.status, 200);
    assert_eq!(hidden(&edit.body, "csrf"), s.csrf);
    let svc = [
        ("csrf", s.csrf.as_str()),
        ("slug", "surat-pindah"),
        ("name", "Surat keterangan pindah"),
        ("standard_days", "2"),
    ];
    let r = app
        .call(
            "POST",
            "/admin/units/camat-telanaipura/services",
            Body::Form(&svc),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(
        app.get("/u/camat-telanaipura")
            .await
            .body
            .contains("Surat keterangan pindah")
    );
}

/// The API keeps the admin page's rule for a survey's name (3–200 characters once trimmed); a
/// taken code is a field problem, and publishing a version that is no longer a draft a conflict.
#[actix_web::test]
async fn survey_names_through_the_api_follow_the_pages_rule() {
    let app = spawn_app().await;
    let token = app.token_user("admin@x.id", "admin", &[]).await;
    let list = app.get_as(&token, "/api/v1/admin/surveys").await;
    assert_eq!(list.status, 200);
    let definition = list.json()[0]["versions"][0]["definition"].clone();
    let create = |code: &str, name: String| json!({"code": code, "name": name, "definition": definition.clone()});
    for (name, why) in [
        (String::new(), "empty"),
        ("  ab  ".to_string(), "two characters once trimmed"),
        ("x".repeat(201), "201 characters"),
    ] {
        let r = app
            .call_as(
                &token,
                "POST",
                "/api/v1/admin/surveys",
                Some(&create("baru", name)),
            )
            .await;
        assert_eq!(r.status, 422, "{why}: {}", r.body);
        assert!(r.json()["fields"]["name"].is_string(), "{why}: {}", r.body);
    }
    let r = app
        .call_as(
            &token,
            "POST",
            "/api/v1/admin/surveys",
            Some(&create("baru", "x".repeat(200))),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = app
        .call_as(
            &token,
            "POST",
            "/api/v1/admin/surveys",
            Some(&create("baru", "Survei lain".into())),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["code"].is_string(), "{}", r.body);
    // Version 1 is a draft: published once, then a conflict.
    let publish = "/api/v1/admin/surveys/baru/versions/1/publish";
    assert_eq!(app.call_as(&token, "POST", publish, None).await.status, 204);
    assert_eq!(app.call_as(&token, "POST", publish, None).await.status, 409);
}
