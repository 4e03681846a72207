//! Follow-up plans (RTL) over the API: a closed period's draft takes the two lowest-NRR
//! elements (as the analytics report them) and is idempotent; items are created and changed
//! field by field with 422s per field and a history; access is scoped (another unit's
//! supervisor gets 404, planners see every unit).
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

const RSUD: &str = "rsud-raden-mattaher";
const SAMSAT: &str = "samsat-kota-jambi";
const DUKCAPIL: &str = "disdukcapil-kota-jambi";

fn period() -> (String, String) {
    let today = suara::service::today_wib();
    (
        (today - chrono::Duration::days(120)).to_string(),
        (today - chrono::Duration::days(30)).to_string(),
    )
}

async fn draft(app: &TestApp, token: &str, slug: &str) -> crate::helpers::Resp {
    let (from, to) = period();
    app.call_as(
        token,
        "POST",
        &format!("/api/v1/units/{slug}/follow-ups/draft"),
        Some(&json!({"from": from, "to": to})),
    )
    .await
}

#[actix_web::test]
async fn the_draft_takes_the_two_lowest_elements_once() {
    let app = spawn_app().await;
    let sup = app
        .token_user("kasi@dukcapil.id", "supervisor", &[DUKCAPIL])
        .await;
    // Six respondents 60 days ago, worked by hand: U3 = 2 each (NRR 2.00, the lowest); U5 and
    // U7 alternate 2 and 3 (NRR 2.50, tied second: U5 comes first in element order); the rest 3
    // or 4.
    let day = (suara::service::today_wib() - chrono::Duration::days(60)).to_string();
    for i in 0..6 {
        let alt = if i % 2 == 0 { 2 } else { 3 };
        crate::analytics::respond(&app, &day, [3, 4, 2, 3, alt, 3, alt, 4, 3], 30, 1).await;
    }
    // Six waiting-time complaints 60 days ago: 6 per 6 responses is far over the queue rule's
    // 20 per 1,000 responses (with at least 5): a third item, for the category.
    for _ in 0..6 {
        let r = app
            .post_json(
                "/api/v1/complaints",
                &json!({"unit": DUKCAPIL, "kind": "pengaduan", "category": "waktu_tunggu",
                    "description": "Antrean sangat panjang dan nomor urut tidak dipanggil."}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    {
        use sea_orm::{EntityTrait, sea_query::Expr};
        let when = (suara::service::today_wib() - chrono::Duration::days(60))
            .and_hms_opt(3, 0, 0)
            .unwrap()
            .and_utc();
        entity::complaint::Entity::update_many()
            .col_expr(entity::complaint::Column::CreatedAt, Expr::value(when))
            .exec(&app.state.db)
            .await
            .unwrap();
    }
    let want = ["U3", "U5"];
    let (from, to) = period();
    let r = draft(&app, &sup, DUKCAPIL).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let d = r.json();
    assert_eq!(d["created"], 3, "{d}");
    let all = d["items"].as_array().unwrap();
    let cat = &all[2];
    assert_eq!(cat["categories"], json!(["waktu_tunggu"]));
    assert!(
        cat["justification"]
            .as_str()
            .unwrap()
            .starts_with("6 pengaduan"),
        "{cat}"
    );
    let items = &all[..2];
    let got: Vec<String> = items
        .iter()
        .map(|i| i["elements"][0].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, want);
    assert!(
        items[0]["justification"]
            .as_str()
            .unwrap()
            .starts_with("NRR U3 2,00")
    );
    assert!(
        items[1]["justification"]
            .as_str()
            .unwrap()
            .starts_with("NRR U5 2,50")
    );
    for i in items {
        assert_eq!(i["status"], "planned");
        assert_eq!(i["period_from"], from);
        let why = i["justification"].as_str().unwrap();
        assert!(
            why.starts_with(&format!("NRR {}", i["elements"][0].as_str().unwrap())),
            "{why}"
        );
        assert!(why.contains("(n = 6)"), "{why}");
    }
    // Again: nothing new, the same items.
    let again = draft(&app, &sup, DUKCAPIL).await.json();
    assert_eq!(again["created"], 0);
    let ids = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&again), ids(&d));
    let year = to[..4].to_string();
    let list = app
        .get_as(
            &sup,
            &format!("/api/v1/units/{DUKCAPIL}/follow-ups?year={year}"),
        )
        .await;
    assert_eq!(list.json().as_array().unwrap().len(), 3);
    // An open period cannot be drafted.
    let today = suara::service::today_wib().to_string();
    let r = app
        .call_as(
            &sup,
            "POST",
            &format!("/api/v1/units/{DUKCAPIL}/follow-ups/draft"),
            Some(&json!({"from": from, "to": today})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("\"to\""), "{}", r.body);
}

#[actix_web::test]
async fn items_change_field_by_field_and_stay_in_their_unit() {
    let app = spawn_app().await;
    let sup = app.token_user("kasi@rsud.id", "supervisor", &[RSUD]).await;
    let other = app
        .token_user("kasi@samsat.id", "supervisor", &[SAMSAT])
        .await;
    let planner = app.token_user("plan@bappeda.id", "planner", &[]).await;
    let base = format!("/api/v1/units/{RSUD}/follow-ups");
    // Every problem at once, by field.
    let bad = app
        .call_as(
            &sup,
            "POST",
            &base,
            Some(&json!({"title": "x", "kind": "magic", "elements": ["U10"],
                "period_from": "2026-07-01", "period_to": "2026-06-30", "progress": 101,
                "evidence": {"link": "ftp://x"}, "done_on": "2026-07-02"})),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let fields = bad.json()["fields"].clone();
    for f in [
        "title",
        "kind",
        "elements",
        "period_to",
        "progress",
        "evidence.link",
        "done_on",
    ] {
        assert!(fields.get(f).is_some(), "{f} in {fields}");
    }
    let r = app
        .call_as(
            &sup,
            "POST",
            &base,
            Some(
                &json!({"title": "Tambah satu loket pendaftaran", "kind": "staffing",
                "elements": ["U3"], "categories": ["waktu_tunggu"],
                "owner": {"name": "dr. Sari", "position": "Kabid Pelayanan"},
                "due_on": "2026-09-30", "period_from": "2026-01-01", "period_to": "2026-06-30"}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let item = r.json();
    let id = item["id"].as_i64().unwrap();
    assert_eq!(item["status"], "planned");
    assert_eq!(item["owner"]["position"], "Kabid Pelayanan");
    // Another unit's supervisor: 404 everywhere; a planner sees it.
    let one = format!("/api/v1/follow-ups/{id}");
    assert_eq!(app.get_as(&other, &one).await.status, 404);
    assert_eq!(app.get_as(&other, &base).await.status, 404);
    assert_eq!(
        app.call_as(&other, "PATCH", &one, Some(&json!({"progress": 50})))
            .await
            .status,
        404
    );
    assert_eq!(draft(&app, &other, RSUD).await.status, 404);
    assert_eq!(app.get_as(&planner, &one).await.status, 200);
    // Done after the fact, with its evidence: progress 100, the date as given, in the history.
    let r = app
        .call_as(
            &sup,
            "PATCH",
            &one,
            Some(&json!({"status": "done", "done_on": "2026-07-15",
                "evidence": {"text": "Loket 3 dibuka", "link": "https://rsud.jambiprov.go.id/sk-loket"}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let done = r.json();
    assert_eq!(done["progress"], 100);
    assert_eq!(done["done_on"], "2026-07-15");
    assert_eq!(done["late"], false);
    let history = done["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["changes"]["status"], "done");
    assert_eq!(history[1]["actor"], "kasi@rsud.id");
    // Reopened, it loses its date.
    let r = app
        .call_as(
            &sup,
            "PATCH",
            &one,
            Some(&json!({"status": "in_progress", "progress": 60})),
        )
        .await;
    assert_eq!(r.json()["done_on"], Value::Null);
    let list = app
        .get_as(&sup, &format!("{base}?status=in_progress"))
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        app.get_as(&sup, &format!("{base}?status=lost"))
            .await
            .status,
        422
    );
}

#[actix_web::test]
async fn the_yearly_evaluation_scores_itself() {
    let app = spawn_app().await;
    let sup = app
        .token_user("kasi@dukcapil.id", "supervisor", &[DUKCAPIL])
        .await;
    let other = app
        .token_user("kasi@samsat.id", "supervisor", &[SAMSAT])
        .await;
    let url = format!("/api/v1/units/{DUKCAPIL}/pekppp?year=2026");
    // The unit's visitor count is not known: the minimum sample is 30.
    {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        entity::unit::Entity::update_many()
            .col_expr(
                entity::unit::Column::MonthlyVisitors,
                Expr::value(Option::<i32>::None),
            )
            .filter(entity::unit::Column::Slug.eq(DUKCAPIL))
            .exec(&app.state.db)
            .await
            .unwrap();
    }
    // Nothing yet: no responses, no media, no RTL.
    let p = app.get_as(&sup, &url).await.json();
    let scores = |p: &Value| -> Vec<u64> {
        p["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["score"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(scores(&p), [0, 0, 0, 0], "{p}");
    assert_eq!(p["min_sample"], 30, "no visitor count: 30");
    // 30 responses in 2026 (the minimum sample), a board and social media; Suara's page counts
    // as the website once there are results.
    for _ in 0..30 {
        crate::analytics::respond(&app, "2026-03-10", [3; 9], 30, 1).await;
    }
    let media = format!("/api/v1/units/{DUKCAPIL}/publication-media");
    let r = app
        .call_as(
            &sup,
            "PUT",
            &media,
            Some(&json!({"media": ["social", "board", "board"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["media"], json!(["board", "social"]));
    let bad = app
        .call_as(&sup, "PUT", &media, Some(&json!({"media": ["radio"]})))
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        app.call_as(&other, "PUT", &media, Some(&json!({"media": ["print"]})))
            .await
            .status,
        404
    );
    // Two RTL items of the first half of 2026 (report date 1 July): one done on 20 July.
    let base = format!("/api/v1/units/{DUKCAPIL}/follow-ups");
    let mut ids = vec![];
    for title in ["Sederhanakan persyaratan KK", "Tambah petugas loket"] {
        let r = app
            .call_as(
                &sup,
                "POST",
                &base,
                Some(&json!({"title": title, "kind": "procedure",
                    "period_from": "2026-01-01", "period_to": "2026-06-30"})),
            )
            .await;
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    let patch = |id: i64, body: Value| {
        let (app, sup) = (&app, &sup);
        async move {
            let r = app
                .call_as(
                    sup,
                    "PATCH",
                    &format!("/api/v1/follow-ups/{id}"),
                    Some(&body),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
    };
    patch(ids[0], json!({"status": "done", "done_on": "2026-07-20"})).await;
    patch(ids[1], json!({"status": "in_progress", "progress": 40})).await;
    let p = app.get_as(&sup, &url).await.json();
    assert_eq!(p["responses"], 30);
    assert_eq!(p["media"], json!(["board", "social", "website"]));
    // 6: sample met, offline (board) and electronic, one item done → 5. 7: three media → 3.
    // 8: 1 of 2 done = 50% → 3. 9: not all done → 0.
    assert_eq!(scores(&p), [5, 3, 3, 0], "{p}");
    // The second done on 15 September: all done, the last 2.5 months after the report → 4;
    // 100% realised → 5.
    patch(ids[1], json!({"status": "done", "done_on": "2026-09-15"})).await;
    let p = app.get_as(&sup, &url).await.json();
    assert_eq!(scores(&p), [5, 3, 5, 4], "{p}");
    assert!(
        p["indicators"][2]["evidence"]
            .as_str()
            .unwrap()
            .contains("2 dari 2")
    );
    assert_eq!(app.get_as(&other, &url).await.status, 404);
}

#[actix_web::test]
async fn a_done_item_is_measured_before_and_after() {
    let app = spawn_app().await;
    let sup = app
        .token_user("kasi@dukcapil.id", "supervisor", &[DUKCAPIL])
        .await;
    // Done 120 days ago: the 90 days before and the 90 after have both closed.
    let today = suara::service::today_wib();
    let done = today - chrono::Duration::days(120);
    let before = (done - chrono::Duration::days(10)).to_string();
    let after = (done + chrono::Duration::days(10)).to_string();
    // Worked by hand: U3 before 1,2,1,2,… (mean 1,5, s = 0,51, n = 30); after 3,4,3,4,… (mean
    // 3,5); Welch's t ≈ 15, p far below 0,05: improved. U5 is 3 throughout: no change.
    for i in 0..30 {
        let (b, a) = if i % 2 == 0 { (1, 3) } else { (2, 4) };
        crate::analytics::respond(&app, &before, [3, 3, b, 3, 3, 3, 3, 3, 3], 30, 1).await;
        crate::analytics::respond(&app, &after, [3, 3, a, 3, 3, 3, 3, 3, 3], 30, 1).await;
    }
    let base = format!("/api/v1/units/{DUKCAPIL}/follow-ups");
    let make = |title: &str, kind: &str, element: &str, done_on: chrono::NaiveDate| {
        json!({"title": title, "kind": kind, "elements": [element], "status": "done",
            "done_on": done_on.to_string(), "period_from": "2026-01-01", "period_to": "2026-06-30"})
    };
    let effect = |body: Value| {
        let (app, sup, base) = (&app, &sup, &base);
        async move {
            let r = app.call_as(sup, "POST", base, Some(&body)).await;
            assert_eq!(r.status, 201, "{}", r.body);
            r.json()["effect"].clone()
        }
    };
    let e = effect(make("Sistem antrean baru", "queue", "U3", done)).await;
    assert_eq!(e["label"], "effective", "{e}");
    assert_eq!(e["rows"][0]["before"], 1.5);
    assert_eq!(e["rows"][0]["after"], 3.5);
    assert_eq!(e["needs_review"], false);
    let e = effect(make("Pelatihan produk layanan", "training", "U5", done)).await;
    assert_eq!(e["label"], "no_significant_change", "{e}");
    assert_eq!(
        e["needs_review"], true,
        "a training that changed nothing is reviewed"
    );
    let e = effect(make(
        "Perbaikan lama",
        "facilities",
        "U9",
        chrono::NaiveDate::from_ymd_opt(2025, 1, 15).unwrap(),
    ))
    .await;
    assert_eq!(e["label"], "insufficient_data", "{e}");
    let e = effect(make(
        "Baru selesai",
        "procedure",
        "U2",
        today - chrono::Duration::days(10),
    ))
    .await;
    assert_eq!(e["label"], "pending", "{e}");
    // Published: a done item of last year's plan says what it changed.
    let year = chrono::Datelike::year(&today);
    let mut last_year = make("Loket tambahan", "staffing", "U3", done);
    last_year["period_from"] = json!(format!("{}-07-01", year - 1));
    last_year["period_to"] = json!(format!("{}-12-31", year - 1));
    assert_eq!(effect(last_year).await["label"], "effective");
    let res = app
        .get(&format!("/api/v1/units/{DUKCAPIL}/results?year={year}"))
        .await
        .json();
    let prev = res["previous_follow_ups"].as_array().unwrap();
    let item = prev.iter().find(|f| f["title"] == "Loket tambahan");
    assert_eq!(
        item.map(|f| &f["effect"]),
        Some(&json!("effective")),
        "{res}"
    );
    let page = app.get(&format!("/u/{DUKCAPIL}/hasil?year={year}")).await;
    assert!(page.body.contains("Loket tambahan"), "{}", page.body);
    assert!(page.body.contains("Efektif"), "{}", page.body);
}

#[actix_web::test]
async fn the_desk_plans_and_closes_items_without_javascript() {
    let app = spawn_app().await;
    let pw = app
        .create_user("kasi@dukcapil.id", "supervisor", &[DUKCAPIL])
        .await;
    let s = app.login("kasi@dukcapil.id", &pw).await;
    let cookie = [("cookie", s.cookie.as_str())];
    let plan = format!("/staff/units/{DUKCAPIL}/follow-ups?year=2026");
    let page = app.get_with(&plan, &cookie).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Belum ada rencana tindak lanjut"));
    let post = |path: String, mut form: Vec<(&'static str, String)>| {
        let (app, s) = (&app, &s);
        async move {
            form.push(("csrf", s.csrf.clone()));
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(
                "POST",
                &path,
                crate::helpers::Body::Form(&pairs),
                &[("cookie", &s.cookie)],
            )
            .await
        }
    };
    let r = post(
        format!("/staff/units/{DUKCAPIL}/follow-ups"),
        vec![
            ("title", "Papan informasi persyaratan".into()),
            ("kind", "information".into()),
            ("elements", "U1".into()),
            ("period_from", "2026-01-01".into()),
            ("period_to", "2026-06-30".into()),
            ("due_on", "2026-08-31".into()),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().contains("ok=follow_up_added"));
    // A refused form says why.
    let r = post(
        format!("/staff/units/{DUKCAPIL}/follow-ups"),
        vec![("title", "x".into()), ("kind", "information".into())],
    )
    .await;
    assert_eq!(r.status, 303);
    let again = app
        .get_with(r.header("location").as_deref().unwrap(), &cookie)
        .await;
    assert!(again.body.contains("role=\"alert\""), "{}", again.body);
    let page = app.get_with(&plan, &cookie).await;
    assert!(page.body.contains("Papan informasi persyaratan"));
    let id = page
        .body
        .split("action=\"/staff/follow-ups/")
        .nth(1)
        .and_then(|x| x.split('"').next())
        .unwrap()
        .to_string();
    let r = post(
        format!("/staff/follow-ups/{id}"),
        vec![
            ("status", "done".into()),
            ("done_on", "2026-07-20".into()),
            ("evidence", "Papan dipasang di ruang tunggu".into()),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = app.get_with(&plan, &cookie).await;
    assert!(
        page.body.contains("<strong>Selesai</strong> · 100%"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Papan dipasang di ruang tunggu"));
    // Planners see every unit's plan.
    let ppw = app.create_user("plan@bappeda.id", "planner", &[]).await;
    let p = app.login("plan@bappeda.id", &ppw).await;
    let all = app
        .get_with("/planner/follow-ups?year=2026", &[("cookie", &p.cookie)])
        .await;
    assert_eq!(all.status, 200);
    assert!(all.body.contains("Dinas Kependudukan"), "{}", all.body);
    // The province's ranking: every unit's four scores, the total and what costs points.
    let rank = app
        .get_with("/planner/pekppp?year=2026", &[("cookie", &p.cookie)])
        .await;
    assert_eq!(rank.status, 200, "{}", rank.body);
    assert!(rank.body.contains("Nilai PEKPPP unsur SKM 2026"));
    assert!(rank.body.contains("/20"));
    assert!(rank.body.contains("Yang mengurangi nilai"));
    // Another unit's supervisor: 404.
    let opw = app
        .create_user("kasi@samsat.id", "supervisor", &[SAMSAT])
        .await;
    let o = app.login("kasi@samsat.id", &opw).await;
    assert_eq!(
        app.get_with(&plan, &[("cookie", &o.cookie)]).await.status,
        404
    );
    assert_eq!(
        app.get_with(
            &format!("/staff/follow-ups/{id}/evidence"),
            &[("cookie", &o.cookie)]
        )
        .await
        .status,
        404
    );
}
