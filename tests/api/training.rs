use chrono::{Datelike, Duration};
use serde_json::{Value, json};

use crate::analytics::respond;
use crate::helpers::{Body, TestApp, spawn_app, spawn_app_with};

const UNIT: &str = "disdukcapil-kota-jambi";

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> crate::helpers::Resp {
    app.call_as(token, "POST", path, Some(body)).await
}

fn day(ago: i64) -> String {
    (suara::service::today_wib() - Duration::days(ago))
        .format("%Y-%m-%d")
        .to_string()
}

/// 40 answers a day on two days in each half of the last 90 days: U7 (behaviour) at 2, all
/// else at 3 — a clear, lasting low signal for the `perilaku-petugas` rule.
pub(crate) async fn low_behaviour(app: &TestApp) {
    for ago in [10, 30, 55, 80] {
        for i in 0..20 {
            let mut u = [3; 9];
            u[6] = if i % 4 == 0 { 3 } else { 2 };
            respond(app, &day(ago), u, 30, 1).await;
        }
    }
}

/// The id of the first recommendation a list page links to.
pub(crate) fn first_recommendation(page: &str) -> String {
    page.split("/planner/training/")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.parse::<i32>().is_ok())
        .expect("a recommendation on the page")
        .to_string()
}

fn by_rule<'a>(list: &'a Value, rule: &str) -> Vec<&'a Value> {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule"] == rule)
        .collect()
}

#[actix_web::test]
async fn the_engine_recommends_on_evidence_and_reruns_do_not_duplicate() {
    let app = spawn_app().await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let first = post(&app, &planner, "/api/v1/training/run", &json!({})).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.json()["proposed"], 0, "no data, no recommendation");
    low_behaviour(&app).await;
    let run = post(&app, &planner, "/api/v1/training/run", &json!({})).await;
    assert_eq!(run.json()["proposed"], 1, "{}", run.body);
    let list = app
        .get_as(&planner, "/api/v1/training/recommendations")
        .await;
    assert_eq!(list.status, 200);
    let recs = by_rule(&list.json(), "perilaku-petugas")
        .into_iter()
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(recs.len(), 1, "{}", list.body);
    let r = &recs[0];
    assert_eq!(r["unit"], UNIT);
    assert_eq!(r["status"], "proposed");
    assert_eq!(r["programme"]["code"], "pelayanan-prima");
    // 80 answers, 60 at 2 and 20 at 3: mean 2.25; severity 3 (capped); reach 1 + log10(6000/500).
    let o = &r["finding"]["observations"][0];
    assert_eq!(o["signal"], "U7");
    assert_eq!(o["n"], 80);
    assert_eq!(o["value"], 2.25);
    assert_eq!(o["fires"], true);
    let reach = 1.0 + (6000.0f64 / 500.0).log10();
    assert!(
        (r["priority"].as_f64().unwrap() - 3.0 * reach).abs() < 1e-9,
        "{r}"
    );
    assert_eq!(r["level"], "high");
    assert!(
        o["text_id"]
            .as_str()
            .unwrap()
            .contains("U7 (Perilaku pelaksana): 2,25 (n = 80")
    );
    assert!(
        o["text_en"]
            .as_str()
            .unwrap()
            .contains("U7 (Staff behaviour): 2.25 (n = 80")
    );
    // Rerunning refreshes the open recommendation instead of adding another.
    let again = post(&app, &planner, "/api/v1/training/run", &json!({})).await;
    assert_eq!(again.json()["proposed"], 0);
    assert_eq!(again.json()["refreshed"], 1);
    let list = app
        .get_as(&planner, "/api/v1/training/recommendations?status=proposed")
        .await;
    assert_eq!(by_rule(&list.json(), "perilaku-petugas").len(), 1);
}

#[actix_web::test]
async fn planners_decide_supervisors_comment_and_other_units_get_404() {
    let app = spawn_app().await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let sup = app
        .token_user("sup@dukcapil.id", "supervisor", &[UNIT])
        .await;
    let other = app
        .token_user("sup@rsud.id", "supervisor", &["rsud-raden-mattaher"])
        .await;
    low_behaviour(&app).await;
    post(&app, &planner, "/api/v1/training/run", &json!({})).await;
    let list = app
        .get_as(
            &sup,
            &format!("/api/v1/units/{UNIT}/training-recommendations"),
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let id = by_rule(&list.json(), "perilaku-petugas")[0]["id"]
        .as_i64()
        .unwrap();
    let base = format!("/api/v1/training/recommendations/{id}");
    // Another unit's supervisor cannot see it, by id or by unit.
    assert_eq!(app.get_as(&other, &base).await.status, 404);
    assert_eq!(
        app.get_as(
            &other,
            &format!("/api/v1/units/{UNIT}/training-recommendations")
        )
        .await
        .status,
        404
    );
    let theirs = app
        .get_as(&other, "/api/v1/training/recommendations")
        .await
        .json();
    assert!(by_rule(&theirs, "perilaku-petugas").is_empty());
    assert_eq!(
        post(
            &app,
            &other,
            &format!("{base}/comments"),
            &json!({"body": "x"})
        )
        .await
        .status,
        404
    );
    // The unit's supervisor comments but does not decide.
    let c = post(
        &app,
        &sup,
        &format!("{base}/comments"),
        &json!({"body": "Setuju, mohon dijadwalkan bulan Maret."}),
    )
    .await;
    assert_eq!(c.status, 201, "{}", c.body);
    assert_eq!(
        post(&app, &sup, &format!("{base}/accept"), &json!({}))
            .await
            .status,
        403
    );
    // Not in the plan yet, but not "no recommendation" either: it awaits a decision.
    let waiting = app
        .get_as(&planner, &format!("/api/v1/training/plan?unit={UNIT}"))
        .await
        .json();
    assert!(
        waiting["units"][0]["awaiting_decision"].as_u64().unwrap() >= 1,
        "{waiting}"
    );
    // Lifecycle: schedule before accept is a conflict; accept; bad schedule → fields; schedule.
    assert_eq!(
        post(&app, &planner, &format!("{base}/schedule"), &json!({}))
            .await
            .status,
        409
    );
    let a = post(
        &app,
        &planner,
        &format!("{base}/accept"),
        &json!({"note": "prioritas"}),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["status"], "accepted");
    // Accepted, it is an item of the unit's follow-up plan: a training, linked, on U7.
    let plan = app
        .get_as(&planner, &format!("/api/v1/units/{UNIT}/follow-ups"))
        .await
        .json();
    let item = plan
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["recommendation_id"] == a.json()["id"])
        .unwrap_or_else(|| panic!("an item for the recommendation: {plan}"))
        .clone();
    assert_eq!(item["kind"], "training");
    assert_eq!(item["status"], "planned");
    assert_eq!(item["elements"], json!(["U7"]));
    let bad = post(
        &app,
        &planner,
        &format!("{base}/schedule"),
        &json!({"start_date": "2027-03-03", "end_date": "2027-03-02", "participants": 500, "jp": 0}),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let f = &bad.json()["fields"];
    for k in ["end_date", "participants", "jp"] {
        assert!(f[k].is_string(), "missing {k}: {f}");
    }
    let start = day(3);
    let end = day(2);
    let s = post(
        &app,
        &planner,
        &format!("{base}/schedule"),
        &json!({"start_date": start, "end_date": end, "participants": 25, "jp": 16}),
    )
    .await;
    assert_eq!(s.status, 200, "{}", s.body);
    assert_eq!(s.json()["status"], "scheduled");
    let future = post(
        &app,
        &planner,
        &format!("{base}/complete"),
        &json!({"completed_on": day(-5)}),
    )
    .await;
    assert_eq!(future.status, 422);
    assert!(future.json()["fields"]["completed_on"].is_string());
    let done = post(
        &app,
        &planner,
        &format!("{base}/complete"),
        &json!({"completed_on": end}),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let d = done.json();
    assert_eq!(d["status"], "completed");
    assert!(
        d["impact"].is_null(),
        "measured only once the after-window has closed"
    );
    assert!(d["evaluation_due"].is_string());
    assert_eq!(
        post(
            &app,
            &planner,
            &format!("{base}/dismiss"),
            &json!({"reason": "x"})
        )
        .await
        .status,
        409
    );
    // The audit log has every step, with who did it.
    let kinds: Vec<String> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        ["proposed", "comment", "accept", "schedule", "complete"]
    );
    assert_eq!(d["events"][1]["actor"], "sup@dukcapil.id");
    // The yearly plan: 25 staff × 16 JP = 400 JP over the unit's 95 staff = 4.21 JP each.
    let year = chrono::NaiveDate::parse_from_str(&start, "%Y-%m-%d")
        .unwrap()
        .year();
    let p = app
        .get_as(
            &planner,
            &format!("/api/v1/training/plan?year={year}&unit={UNIT}"),
        )
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    let u = &p.json()["units"][0];
    assert_eq!(u["jp_total"], 400);
    assert!((u["jp_per_staff"].as_f64().unwrap() - 400.0 / 95.0).abs() < 1e-9);
    assert_eq!(u["meets_minimum"], false);
    let csv = app
        .get_as(
            &planner,
            &format!("/api/v1/training/plan?year={year}&unit={UNIT}&format=csv"),
        )
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("year,unit,unit_name,staff_count,programme"));
    assert!(lines[1].contains(",25,16,400,"), "{}", lines[1]);
    assert!(
        lines[2].contains(",TOTAL,") && lines[2].ends_with(",20,false"),
        "{}",
        lines[2]
    );
}

#[actix_web::test]
async fn a_dismissed_recommendation_needs_a_reason_and_is_not_raised_again_at_once() {
    let app = spawn_app().await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    low_behaviour(&app).await;
    post(&app, &planner, "/api/v1/training/run", &json!({})).await;
    let list = app
        .get_as(&planner, "/api/v1/training/recommendations")
        .await
        .json();
    let id = by_rule(&list, "perilaku-petugas")[0]["id"]
        .as_i64()
        .unwrap();
    let base = format!("/api/v1/training/recommendations/{id}");
    let no_reason = post(&app, &planner, &format!("{base}/dismiss"), &json!({})).await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.json()["fields"]["reason"].is_string());
    let d = post(
        &app,
        &planner,
        &format!("{base}/dismiss"),
        &json!({"reason": "Sudah ada pelatihan dari kementerian"}),
    )
    .await;
    assert_eq!(d.status, 200);
    assert_eq!(
        d.json()["dismiss_reason"],
        "Sudah ada pelatihan dari kementerian"
    );
    let again = post(&app, &planner, "/api/v1/training/run", &json!({})).await;
    assert_eq!(again.json()["proposed"], 0, "{}", again.body);
    assert_eq!(
        app.get_as(&planner, "/api/v1/training/recommendations/abc")
            .await
            .status,
        404
    );
    assert_eq!(
        post(&app, &planner, &format!("{base}/explode"), &json!({}))
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn the_demo_history_shows_the_whole_loop() {
    let app = spawn_app_with(&[("SUARA_SEED_DEMO_HISTORY", "true")]).await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let list = app
        .get_as(&planner, "/api/v1/training/recommendations")
        .await;
    assert_eq!(list.status, 200);
    let recs = list.json();
    let all = recs.as_array().unwrap();
    let first_open = all.iter().find(|r| r["status"] == "proposed").unwrap();
    assert_eq!(first_open["unit"], "rsud-raden-mattaher");
    assert_eq!(first_open["programme"]["code"], "manajemen-antrian");
    assert_eq!(first_open["level"], "high");
    let label = |unit: &str| {
        all.iter()
            .find(|r| r["unit"] == unit && r["status"] == "completed")
            .map(|r| r["impact_label"].clone())
    };
    assert_eq!(label("samsat-kota-jambi"), Some(json!("effective")));
    assert_eq!(
        label("puskesmas-paal-x"),
        Some(json!("no_significant_change"))
    );
    // A training that did not work is flagged on its programme for review.
    let admin = app.token_user("admin@x.id", "admin", &[]).await;
    let progs = app
        .get_as(&admin, "/api/v1/admin/training-programmes")
        .await
        .json();
    let bimtek = progs
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "bimtek-teknis")
        .unwrap();
    assert_eq!(bimtek["not_effective"], 1);
}

#[actix_web::test]
async fn rules_and_catalogues_are_validated_data_with_a_preview() {
    let app = spawn_app().await;
    let admin = app.token_user("admin@x.id", "admin", &[]).await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    low_behaviour(&app).await;
    let bad = app.call_as(
            &admin,
            "PUT",
            "/api/v1/admin/training-rules/perilaku-ketat",
            Some(&json!({"name": "Perilaku (ketat)", "definition": {"window_days": 7,
                "conditions": [{"signal": "element_below", "code": "U7", "threshold": 9}], "programmes": ["nope"]}})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let f = &bad.json()["fields"];
    for k in [
        "definition.window_days",
        "definition.conditions.0.threshold",
        "definition.programmes",
    ] {
        assert!(f[k].is_string(), "missing {k}: {f}");
    }
    let unknown_signal = post(&app, &admin, "/api/v1/admin/training-rules", &json!({"code": "x-y", "name": "Aneh",
        "definition": {"conditions": [{"signal": "moon_phase"}], "programmes": ["pelayanan-prima"]}})).await;
    assert_eq!(unknown_signal.status, 422);
    assert!(unknown_signal.json()["fields"]["definition"].is_string());
    let def = json!({"window_days": 90, "min_n": 30, "conditions": [
        {"signal": "element_below", "code": "U7", "threshold": 2.5}], "programmes": ["coaching-berakhlak"]});
    // The preview says which units the rule flags today, and why; nothing is stored.
    let pv = post(
        &app,
        &planner,
        "/api/v1/admin/training-rules/preview",
        &json!({"definition": def}),
    )
    .await;
    assert_eq!(pv.status, 200, "{}", pv.body);
    let flagged = pv.json()["flagged"].as_array().unwrap().clone();
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0]["unit"], UNIT);
    assert!(
        flagged[0]["finding"]["observations"][0]["text_en"]
            .as_str()
            .unwrap()
            .contains("2.25")
    );
    assert_eq!(
        app.call_as(
            &planner,
            "PUT",
            "/api/v1/admin/training-rules/perilaku-ketat",
            Some(&json!({"name": "Perilaku (ketat)", "definition": def})),
        )
        .await
        .status,
        403,
        "planners do not edit rules"
    );
    let ok = app
        .call_as(
            &admin,
            "PUT",
            "/api/v1/admin/training-rules/perilaku-ketat",
            Some(&json!({"name": "Perilaku (ketat)", "definition": def})),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    // Programmes: checked fields; a valid one is created.
    let badp = post(
        &app,
        &admin,
        "/api/v1/admin/training-programmes",
        &json!({"code": "X", "name": "a",
        "competencies": ["nope"], "form": "online", "method": "magic", "jp": 0, "archived": false}),
    )
    .await;
    assert_eq!(badp.status, 422);
    let f = badp.json()["fields"].clone();
    for k in ["code", "name", "competencies", "form", "method", "jp"] {
        assert!(f[k].is_string(), "missing {k}: {f}");
    }
    let okp = post(&app, &admin, "/api/v1/admin/training-programmes", &json!({"code": "mentoring-loket", "name": "Mentoring petugas loket",
        "competencies": ["pelayanan-prima"], "form": "nonklasikal", "method": "mentoring", "jp": 6, "provider": null, "description": null, "archived": false})).await;
    assert_eq!(okp.status, 201, "{}", okp.body);
    let comp = post(
        &app,
        &admin,
        "/api/v1/admin/competencies",
        &json!({"code": "bahasa-isyarat", "name": "Bahasa isyarat untuk layanan",
        "kind": "sosial_kultural", "description": null, "archived": false}),
    )
    .await;
    assert_eq!(comp.status, 201, "{}", comp.body);
    assert_eq!(
        app.get_as(&planner, "/api/v1/admin/competencies")
            .await
            .status,
        403
    );
}

#[actix_web::test]
async fn pages_show_decide_and_keep_what_was_typed() {
    let app = spawn_app().await;
    let pw = app.create_user("plan@bkd.id", "planner", &[]).await;
    low_behaviour(&app).await;
    let s = app.login("plan@bkd.id", &pw).await;
    let cookie = [("cookie", s.cookie.as_str())];
    let run = app
        .call(
            "POST",
            "/planner/training/run",
            Body::Form(&[("csrf", &s.csrf)]),
            &cookie,
        )
        .await;
    assert_eq!(run.status, 303);
    let list = app.get_with("/planner/training", &cookie).await;
    assert_eq!(list.status, 200);
    assert!(
        list.body
            .contains("Pelatihan Pelayanan Prima dan Komunikasi Efektif")
    );
    assert!(list.body.contains("U7 (Perilaku pelaksana): 2,25"));
    let id = first_recommendation(&list.body);
    let path = format!("/planner/training/{id}");
    let no_csrf = app
        .call("POST", &path, Body::Form(&[("op", "accept")]), &cookie)
        .await;
    assert_eq!(no_csrf.status, 403);
    let acc = app
        .call(
            "POST",
            &path,
            Body::Form(&[
                ("csrf", &s.csrf),
                ("op", "accept"),
                ("programme", "coaching-berakhlak"),
            ]),
            &cookie,
        )
        .await;
    assert_eq!(acc.status, 303, "{}", acc.body);
    // A schedule with the end before the start comes back with the values and the message.
    let bad = app
        .call(
            "POST",
            &path,
            Body::Form(&[
                ("csrf", &s.csrf),
                ("op", "schedule"),
                ("start_date", "2026-11-20"),
                ("end_date", "2026-11-10"),
                ("participants", "<b>x</b>"),
            ]),
            &cookie,
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("value=\"2026-11-20\"") && bad.body.contains("value=\"2026-11-10\""));
    assert!(
        bad.body.contains("value=\"&lt;b&gt;x&lt;&#x2F;b&gt;\""),
        "typed text kept, escaped"
    );
    assert!(bad.body.contains("Harus berupa angka") || bad.body.contains("class=\"error\""));
    let detail = app.get_with(&path, &cookie).await;
    assert!(
        detail
            .body
            .contains("Coaching perilaku Berorientasi Pelayanan"),
        "accepted with the alternative"
    );
    let plan = app.get_with("/planner/training/plan", &cookie).await;
    assert_eq!(plan.status, 200);
    assert!(plan.body.contains("Rencana pengembangan kompetensi"));
    let en = app.get_with("/planner/training?lang=en", &cookie).await;
    assert!(en.body.contains("Training recommendations"));
}

#[actix_web::test]
async fn the_rule_editor_previews_and_validates() {
    let app = spawn_app().await;
    let pw = app.create_user("root@x.id", "admin", &[]).await;
    low_behaviour(&app).await;
    let s = app.login("root@x.id", &pw).await;
    let cookie = [("cookie", s.cookie.as_str())];
    assert_eq!(app.get_with("/admin/training", &cookie).await.status, 200);
    let form = app
        .get_with("/admin/training/rules/perilaku-petugas", &cookie)
        .await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("element_below"));
    let def = r#"{"conditions": [{"signal": "element_below", "code": "U7", "threshold": 2.5}], "programmes": ["pelayanan-prima"]}"#;
    let pv = app
        .call(
            "POST",
            "/admin/training/rules/perilaku-petugas",
            Body::Form(&[
                ("csrf", &s.csrf),
                ("name", "Perilaku"),
                ("active", "1"),
                ("definition", def),
                ("preview", "1"),
            ]),
            &cookie,
        )
        .await;
    assert_eq!(pv.status, 200, "{}", pv.body);
    assert!(pv.body.contains("1 / 5"), "one of five units flagged");
    let broken = app
        .call(
            "POST",
            "/admin/training/rules/perilaku-petugas",
            Body::Form(&[
                ("csrf", &s.csrf),
                ("name", "Perilaku"),
                ("definition", "{not json"),
            ]),
            &cookie,
        )
        .await;
    assert_eq!(broken.status, 422);
    assert!(
        broken.body.contains("{not json"),
        "the typed definition is kept"
    );
    let saved = app
        .call(
            "POST",
            "/admin/training/rules/perilaku-petugas",
            Body::Form(&[
                ("csrf", &s.csrf),
                ("name", "Perilaku"),
                ("active", "1"),
                ("definition", def),
                ("save", "1"),
            ]),
            &cookie,
        )
        .await;
    assert_eq!(saved.status, 303);
}

#[actix_web::test]
async fn admins_create_version_and_assign_surveys_on_pages() {
    let app = spawn_app().await;
    let pw = app.create_user("root@x.id", "admin", &[]).await;
    let s = app.login("root@x.id", &pw).await;
    let cookie = [("cookie", s.cookie.as_str())];
    let page = app.get_with("/admin/surveys", &cookie).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("skm-2017"));
    let bad = app
        .call(
            "POST",
            "/admin/surveys",
            Body::Form(&[
                ("csrf", &s.csrf),
                ("code", "skm-uji"),
                ("name", "SKM uji"),
                ("definition", "{oops"),
            ]),
            &cookie,
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("value=\"SKM uji\"") && bad.body.contains("{oops"));
    let def = serde_json::to_string(&suara::domain::skm_survey::skm_definition()).unwrap();
    let ok = app
        .call(
            "POST",
            "/admin/surveys",
            Body::Form(&[
                ("csrf", &s.csrf),
                ("code", "skm-uji"),
                ("name", "SKM uji"),
                ("definition", &def),
                ("publish", "1"),
            ]),
            &cookie,
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let v2 = app
        .call(
            "POST",
            "/admin/surveys/skm-uji/versions",
            Body::Form(&[("csrf", &s.csrf), ("definition", &def)]),
            &cookie,
        )
        .await;
    assert_eq!(v2.status, 303);
    let listed = app.get_with("/admin/surveys", &cookie).await;
    assert!(
        listed.body.contains("v2 · draf\n"),
        "a change is a new draft"
    );
    let assigned = app
        .call(
            "POST",
            "/admin/surveys/assign",
            Body::Form(&[("csrf", &s.csrf), ("unit", UNIT), ("survey", "skm-uji")]),
            &cookie,
        )
        .await;
    assert_eq!(assigned.status, 303);
    let unit = suara::store::units::by_slug(&app.state.db, UNIT)
        .await
        .unwrap()
        .unwrap();
    let active = suara::store::surveys::active_for_unit(&app.state.db, unit.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(active.survey.code, "skm-uji");
    assert_eq!(
        active.version.version, 1,
        "the published version, not the draft"
    );
}
