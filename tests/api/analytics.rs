use chrono::NaiveDate;

use crate::helpers::{TestApp, bearer, spawn_app, spawn_app_with};

const UNIT: &str = "disdukcapil-kota-jambi";

/// Stores a response for `day` through the real writer (rollups included), as intake would.
/// Its wait is judged against a 60-minute standard.
pub async fn respond(app: &TestApp, day: &str, u: [i64; 9], wait: i64, visits: i64) {
    respond_for(app, day, u, wait, visits, None).await
}

/// The same for one of the unit's services (`Some`): its own standard, and the service on the
/// row, as a rebuild from the rows will read it.
/// A service of the analytics unit with a declared standard time, so a rebuild from the rows
/// derives the same wait-over-standard as the intake did.
pub async fn service_with_standard(app: &TestApp) -> entity::service::Model {
    let db = &app.state.db;
    let unit = suara::store::units::by_slug(db, UNIT)
        .await
        .unwrap()
        .unwrap();
    suara::store::units::services(db, unit.id, false)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.standard_minutes.is_some())
        .expect("a service with a standard")
}

pub async fn respond_for(
    app: &TestApp,
    day: &str,
    u: [i64; 9],
    wait: i64,
    visits: i64,
    service: Option<&entity::service::Model>,
) {
    let unit = suara::store::units::by_slug(&app.state.db, UNIT)
        .await
        .unwrap()
        .unwrap();
    let active = suara::store::surveys::active_for_unit(&app.state.db, unit.id)
        .await
        .unwrap()
        .unwrap();
    let codes = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"];
    let mut answers = std::collections::BTreeMap::new();
    for (c, v) in codes.iter().zip(u) {
        answers.insert(c.to_string(), suara::domain::survey::Answer::Int(v));
    }
    answers.insert("WAIT_MIN".into(), suara::domain::survey::Answer::Int(wait));
    answers.insert("VISITS".into(), suara::domain::survey::Answer::Int(visits));
    let mut numeric: Vec<(String, f64)> = answers
        .iter()
        .filter_map(|(k, a)| a.numeric().map(|v| (k.clone(), v)))
        .collect();
    let std = match service {
        Some(s) => suara::domain::survey::Standard {
            minutes: s.standard_minutes,
            fee_rupiah: Some(s.fee_rupiah),
        },
        None => suara::domain::survey::Standard {
            minutes: Some(60),
            fee_rupiah: Some(0),
        },
    };
    numeric.extend(suara::domain::survey::derived_signals(
        &active.definition,
        &answers,
        std,
    ));
    let d = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    let r = suara::store::responses::NewResponse {
        unit_id: unit.id,
        survey_version_id: active.version.id,
        service_id: service.map(|s| s.id),
        channel: "api".into(),
        created_at: d.and_hms_opt(3, 0, 0).unwrap().and_utc(),
        local_date: d,
        // As the survey stores them, so a rebuild from the rows finds them again.
        answers: serde_json::to_string(
            &answers
                .iter()
                .filter_map(|(k, a)| match a {
                    suara::domain::survey::Answer::Int(v) => Some((k.clone(), *v)),
                    _ => None,
                })
                .collect::<std::collections::BTreeMap<String, i64>>(),
        )
        .unwrap(),
        respondent: "{}".into(),
        comment: None,
        wait_minutes: Some(wait as i32),
        visits: Some(visits as i32),
        fee_paid: None,
        code: None,
        numeric,
    };
    app.state.responses.submit(r).await.unwrap();
}

#[actix_web::test]
async fn unit_measures_match_the_hand_computation() {
    let app = spawn_app().await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    // Six respondents in March 2026: U1 = 4,3,3,4,2,2 (mean 3, s² = 0.8); other elements 3.
    // Waits 30,30,60,60,90,120 against a 60-minute standard: 2 of 6 over; visits 1,1,1,3,4,1.
    let u1 = [4, 3, 3, 4, 2, 2];
    let waits = [30, 30, 60, 60, 90, 120];
    let visits = [1, 1, 1, 3, 4, 1];
    for i in 0..6 {
        let mut u = [3; 9];
        u[0] = u1[i];
        respond(&app, "2026-03-10", u, waits[i], visits[i]).await;
    }
    let r = app
        .get_as(
            &planner,
            &format!("/api/v1/analytics/units/{UNIT}?from=2026-03-01&to=2026-03-31&by=month"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let a = r.json();
    let t = &a["total"];
    assert_eq!(t["responses"], 6);
    assert_eq!(t["elements"]["U1"]["mean"], 3.0);
    // CI: 3 ± t(0.975, 5) × sqrt(0.8/6) = 3 ± 2.5706 × 0.36515 = 3 ± 0.93865.
    let ci = t["elements"]["U1"]["ci"].as_array().unwrap();
    assert!(
        (ci[0].as_f64().unwrap() - 2.06135).abs() < 1e-3
            && (ci[1].as_f64().unwrap() - 3.93865).abs() < 1e-3,
        "{ci:?}"
    );
    // Each respondent's IKM = (U1 + 8×3)/9; mean = 3 → 75.00, grade C.
    assert_eq!(t["ikm"]["converted"], 75.0);
    assert_eq!(t["ikm"]["grade"], "C");
    assert_eq!(t["wait_minutes"]["mean"], 65.0);
    assert_eq!(t["wait_minutes"]["median"], 62.5);
    assert!(
        (t["wait_minutes"]["over_standard"]["share"]
            .as_f64()
            .unwrap()
            - 2.0 / 6.0)
            .abs()
            < 1e-12
    );
    assert!((t["visits"]["share_ge3"]["share"].as_f64().unwrap() - 2.0 / 6.0).abs() < 1e-12);
    assert_eq!(a["series"].as_array().unwrap().len(), 1);
    assert_eq!(a["series"][0]["period"], "2026-03");
}

#[actix_web::test]
async fn small_cells_are_withheld_and_thin_units_not_ranked() {
    let app = spawn_app_with(&[("SUARA_MIN_RANK_N", "6")]).await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    for _ in 0..3 {
        respond(&app, "2026-03-10", [4; 9], 20, 1).await;
    }
    let r = app
        .get_as(
            &planner,
            "/api/v1/analytics/overview?from=2026-03-01&to=2026-03-31",
        )
        .await
        .json();
    let d = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == UNIT)
        .unwrap()
        .clone();
    assert_eq!(d["responses"], 3);
    assert_eq!(d["suppressed"], true);
    assert!(
        d["ikm"].is_null()
            && d["elements"]["U1"]["mean"].is_null()
            && d["wait_minutes"]["median"].is_null()
    );
    assert!(d["rank"].is_null() && d["enough_data"] == false);
    for _ in 0..3 {
        respond(&app, "2026-03-11", [2; 9], 20, 1).await;
    }
    let r = app
        .get_as(
            &planner,
            "/api/v1/analytics/overview?from=2026-03-01&to=2026-03-31",
        )
        .await
        .json();
    let d = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == UNIT)
        .unwrap()
        .clone();
    assert_eq!(d["rank"], 1);
    assert_eq!(d["ikm"]["converted"], 75.0);
    assert_eq!(r["units"][0]["unit"], UNIT, "ranked units first");
    let other = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "samsat-kota-jambi")
        .unwrap();
    assert!(other["rank"].is_null());
}

#[actix_web::test]
async fn a_significant_fall_over_two_quarters_is_flagged() {
    let app = spawn_app().await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let plan = |q: usize| -> Vec<i64> {
        // U3 per respondent: Q1 all 3 or 4 (mean 3.5), Q2 mean 3.0, Q3 mean 2.5.
        match q {
            0 => vec![3, 4, 3, 4, 3, 4, 3, 4, 3, 4],
            1 => vec![3, 3, 3, 3, 3, 3, 2, 4, 3, 3],
            _ => vec![2, 3, 2, 3, 2, 3, 2, 3, 2, 3],
        }
    };
    for (q, day) in ["2026-02-10", "2026-05-10", "2026-08-10"]
        .iter()
        .enumerate()
    {
        for v in plan(q) {
            let mut u = [3; 9];
            u[2] = v;
            respond(&app, day, u, 45, 1).await;
        }
    }
    let a = app
        .get_as(
            &planner,
            &format!("/api/v1/analytics/units/{UNIT}?from=2026-01-01&to=2026-09-30&by=quarter"),
        )
        .await
        .json();
    let periods: Vec<&str> = a["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["2026-Q1", "2026-Q2", "2026-Q3"]);
    let u3 = a["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "U3")
        .unwrap();
    assert_eq!(u3["from_period"], "2026-Q2");
    assert_eq!(u3["consecutive_declines"], 2);
    assert!((u3["diff"].as_f64().unwrap() + 0.5).abs() < 1e-9);
    // Welch: Q2 (mean 3.0, s² = 2/9) vs Q3 (mean 2.5, s² = 2.5/9): t = −2.236, df ≈ 17.8, p ≈ 0.038.
    assert!((u3["p"].as_f64().unwrap() - 0.038).abs() < 0.003, "{u3}");
    assert_eq!(u3["significant"], true);
    let u1 = a["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "U1")
        .unwrap();
    assert_eq!(u1["significant"], false, "no change, no flag");
    assert_eq!(
        a["series"][2]["partial"], false,
        "Q3 ends on the range's end"
    );
    // Read mid-quarter, Q3 is unfinished: marked, and no change is measured into it.
    let mid = app
        .get_as(
            &planner,
            &format!("/api/v1/analytics/units/{UNIT}?from=2026-01-01&to=2026-08-15&by=quarter"),
        )
        .await
        .json();
    assert_eq!(mid["series"][2]["period"], "2026-Q3");
    assert_eq!(mid["series"][2]["partial"], true);
    assert_eq!(mid["series"][1]["partial"], false);
    let changes = mid["changes"].as_array().unwrap();
    assert!(
        changes.iter().all(|c| c["to_period"] != "2026-Q3"),
        "{changes:?}"
    );
    let u3 = changes.iter().find(|c| c["code"] == "U3").unwrap();
    assert_eq!(u3["to_period"], "2026-Q2");
    assert_eq!(u3["consecutive_declines"], 1);
}

#[actix_web::test]
async fn csv_for_spreadsheets() {
    let app = spawn_app().await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    for _ in 0..5 {
        respond(&app, "2026-03-10", [3; 9], 30, 1).await;
    }
    let r = app
        .get_with(
            "/api/v1/analytics/overview?from=2026-03-01&to=2026-03-31",
            &[("authorization", &bearer(&planner)), ("accept", "text/csv")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        r.body.starts_with('\u{feff}'),
        "BOM so spreadsheet programs read UTF-8"
    );
    let lines: Vec<&str> = r.body.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].starts_with("rank,unit,name,agency,kind,from,to,note,responses,ikm_converted")
    );
    assert_eq!(lines.len(), 1 + 5, "header and one row per demo unit");
    let row = lines.iter().find(|l| l.contains(UNIT)).unwrap();
    assert!(row.contains(",5,75,"), "{row}");
    assert!(
        lines
            .iter()
            .any(|l| l
                .contains("\"Kepolisian Daerah Jambi (Samsat, bersama Bapenda Provinsi Jambi)\"")),
        "commas quoted"
    );
    let s = app
        .get_as(
            &planner,
            &format!("/api/v1/analytics/units/{UNIT}.csv?from=2026-01-01&to=2026-03-31"),
        )
        .await;
    assert!(
        s.body.contains("\r\ndisdukcapil-kota-jambi,2026-03,5,75,"),
        "{}",
        s.body
    );
}

#[actix_web::test]
async fn analytics_access_follows_roles() {
    let app = spawn_app().await;
    let sup = app
        .token_user("sup@samsat.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    assert_eq!(app.get("/api/v1/analytics/overview").await.status, 401);
    assert_eq!(
        app.get_as(&sup, &format!("/api/v1/analytics/units/{UNIT}"))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get_as(&sup, "/api/v1/analytics/units/samsat-kota-jambi")
            .await
            .status,
        200
    );
    let o = app.get_as(&sup, "/api/v1/analytics/overview").await.json();
    assert_eq!(
        o["units"].as_array().unwrap().len(),
        1,
        "a supervisor sees only their units"
    );
    let bad = app
        .get_as(&sup, "/api/v1/analytics/units/samsat-kota-jambi?by=decade")
        .await;
    assert_eq!(bad.status, 422);
}

#[actix_web::test]
async fn planner_pages_render_charts_and_the_report() {
    let app = spawn_app().await;
    for day in ["2026-01-15", "2026-02-15", "2026-03-15"] {
        for i in 0..6 {
            respond(
                &app,
                day,
                [3, 3, 2 + (i % 2), 3, 3, 3, 4, 2, 3],
                50 + i * 10,
                1,
            )
            .await;
        }
    }
    let pw = app.create_user("plan@bkd.id", "planner", &[]).await;
    let s = app.login("plan@bkd.id", &pw).await;
    let c = [("cookie", s.cookie.as_str())];
    let o = app
        .get_with("/planner?from=2026-01-01&to=2026-03-31", &c)
        .await;
    assert_eq!(o.status, 200, "{}", o.body);
    assert!(o.body.contains("Dinas Kependudukan") && o.body.contains("data belum cukup"));
    let u = app
        .get_with(
            &format!("/planner/units/{UNIT}?from=2026-01-01&to=2026-03-31&by=month"),
            &c,
        )
        .await;
    assert_eq!(u.status, 200, "{}", u.body);
    assert_eq!(
        u.body.matches("<svg").count(),
        2 + 9,
        "server-drawn charts: IKM, waits, and the nine elements as small multiples"
    );
    assert!(!u.body.contains("<script"));
    // Numbers as Indonesians write them: the IKM with a decimal comma.
    let ikm = u
        .body
        .split("IKM <strong>")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_default();
    assert!(
        ikm.contains(',') && !ikm.contains('.'),
        "IKM shown as {ikm:?}"
    );
    let r = app
        .get_with(
            &format!("/planner/units/{UNIT}/report?from=2026-01-01&to=2026-03-31"),
            &c,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for s in [
        "Laporan Hasil Survei Kepuasan Masyarakat",
        "Waktu penyelesaian",
        "Mutu pelayanan",
        "Rencana tindak lanjut",
        // The regulation's grade intervals, Indonesian dates and decimals, the letterhead.
        "88,31 – 100,00",
        "Kamis, 1 Januari 2026",
        "class=\"kop\"",
        "IK 95%",
    ] {
        assert!(r.body.contains(s), "{s}");
    }
    // Every profile table counts those who left it blank and adds up to all 18 respondents.
    assert!(r.body.contains("Tidak diisi"));
    assert!(
        r.body
            .matches("<td>Jumlah</td><td class=\"num\">18</td>")
            .count()
            >= 3
    );
    // The signature block as typed, kept in the link.
    let signed = app
        .get_with(
            &format!(
                "/planner/units/{UNIT}/report?from=2026-01-01&to=2026-03-31&place=Kota+Jambi&date=2026-04-06&head=Dr.+Siti+Aminah&nip=197806122005012003"
            ),
            &c,
        )
        .await;
    assert_eq!(signed.status, 200);
    for s in [
        "Kota Jambi, Senin, 6 April 2026",
        "Dr. Siti Aminah",
        "NIP 197806122005012003",
    ] {
        assert!(signed.body.contains(s), "{s}: {}", signed.body);
    }
    // NRR to three decimals with a decimal comma.
    assert!(r.body.contains("3,000"), "{}", r.body);
}

#[actix_web::test]
async fn synthetic_data_and_a_rollup_rebuild_agree() {
    let app = spawn_app().await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let o = suara::seed::synthetic::Options {
        units: 6,
        responses: 3_000,
        complaints: 120,
        years: 1,
        seed: 7,
    };
    suara::seed::synthetic::run(&app.state.db, &o)
        .await
        .unwrap();
    let before = app
        .get_as(&planner, "/api/v1/analytics/overview?agency=sintetis")
        .await;
    assert_eq!(before.status, 200);
    let b = before.json();
    assert_eq!(b["units"].as_array().unwrap().len(), 6);
    assert_eq!(b["total"]["responses"], 3_000);
    assert_eq!(b["total"]["complaints"]["total"].as_u64().unwrap(), 120);
    let counts: Vec<u64> = b["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["responses"].as_u64().unwrap())
        .collect();
    assert!(
        counts.iter().max().unwrap() > &(2 * counts.iter().min().unwrap()),
        "units are skewed: {counts:?}"
    );
    let read = suara::store::responses::rebuild_rollups(&app.state.db, |_| {})
        .await
        .unwrap();
    assert_eq!(read, 3_000);
    let after = app
        .get_as(&planner, "/api/v1/analytics/overview?agency=sintetis")
        .await
        .json();
    assert!(
        same(&b, &after, "$"),
        "rebuilt rollups give the same figures"
    );
    let slug = b["units"][0]["unit"].as_str().unwrap().to_string();
    let t = app
        .get_as(
            &planner,
            &format!("/api/v1/analytics/units/{slug}?by=month"),
        )
        .await
        .json();
    assert!(t["series"].as_array().unwrap().len() >= 12);
}

/// Equal up to floating-point summation order.
fn same(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> bool {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            let ok = (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0);
            if !ok {
                eprintln!("{at}: {x} != {y}");
            }
            ok
        }
        (Array(x), Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .enumerate()
                    .all(|(i, (p, q))| same(p, q, &format!("{at}[{i}]")))
        }
        (Object(x), Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same(v, w, &format!("{at}.{k}"))))
        }
        _ => {
            let ok = a == b;
            if !ok {
                eprintln!("{at}: {a} != {b}");
            }
            ok
        }
    }
}

pub(crate) async fn act(app: &TestApp, token: &str, id: &str, action: &str) {
    let r = app
        .call_as(
            token,
            "POST",
            &format!("/api/v1/staff/complaints/{id}/transitions"),
            Some(&serde_json::json!({ "action": action })),
        )
        .await;
    assert_eq!(r.status, 200, "{action}: {}", r.body);
}

/// Complaint measures come from rollup cells that every change of a complaint moves; they
/// must agree with a count by hand after each step, with a rebuild, and with the start-up
/// backfill of a database that has complaints but no cells.
#[actix_web::test]
async fn complaint_measures_follow_every_transition() {
    use serde_json::json;
    const RSUD: &str = "rsud-raden-mattaher";
    let app = spawn_app().await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let sup = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let mut ids = vec![];
    let mut codes = vec![];
    for (kind, category) in [
        ("pengaduan", "waktu_tunggu"),
        ("pengaduan", "waktu_tunggu"),
        ("aspirasi", "prosedur"),
    ] {
        let r = app
            .post_json(
                "/api/v1/complaints",
                &json!({"unit": RSUD, "kind": kind, "category": category, "anonim": true,
                        "description": "Antrean pendaftaran tidak bergerak selama dua jam."}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        ids.push(r.json()["tracking_id"].as_str().unwrap().to_string());
        codes.push(r.json()["reopen_code"].as_str().unwrap().to_string());
    }
    for a in ["verify", "start", "resolve"] {
        act(&app, &sup, &ids[0], a).await;
    }
    act(&app, &sup, &ids[1], "verify").await;
    let today = suara::service::today_wib();
    let path = format!("/api/v1/analytics/units/{RSUD}?from={today}&to={today}&by=day");
    let c = app.get_as(&planner, &path).await.json()["total"]["complaints"].clone();
    assert_eq!(c["total"], 3);
    assert_eq!(c["by_kind"], json!({"pengaduan": 2, "aspirasi": 1}));
    assert_eq!(c["by_category"], json!({"waktu_tunggu": 2, "prosedur": 1}));
    assert_eq!(
        c["by_status"],
        json!({"resolved": 1, "verified": 1, "received": 1})
    );
    // Two verified within the hour: both in the [0, 1) h bucket, the median halfway → 0.5 h.
    assert_eq!(c["median_hours_to_verify"], 0.5);
    // One resolved the same day: in [0, 1) days, the median halfway → 0.5 days.
    assert_eq!(c["median_days_to_resolve"], 0.5);
    assert_eq!(c["resolved_within_deadline"], 1.0);
    assert_eq!(c["reopen_rate"], 0.0);
    // The citizen reopens the resolved one.
    let r = app
        .post_json(
            &format!("/api/v1/complaints/{}/reopen", ids[0]),
            &json!({"reason": "Masih antre lama", "code": codes[0]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let a = app.get_as(&planner, &path).await.json();
    let c = &a["total"]["complaints"];
    assert_eq!(
        c["by_status"],
        json!({"reopened": 1, "verified": 1, "received": 1})
    );
    assert_eq!(c["reopen_rate"], 1.0);
    assert_eq!(c["total"], 3);
    assert_eq!(a["series"][0]["complaints"]["total"], 3);
    // A rebuild from the rows gives the same figures.
    suara::store::responses::rebuild_rollups(&app.state.db, |_| {})
        .await
        .unwrap();
    let rebuilt = app.get_as(&planner, &path).await.json();
    assert!(same(&a, &rebuilt, "$"), "rebuilt complaint cells agree");
    // A database from before the cells: none at all, then the start-up backfill.
    for u in suara::store::units::list(&app.state.db, true)
        .await
        .unwrap()
    {
        suara::store::complaint_rollups::clear_unit(&app.state.db, u.id)
            .await
            .unwrap();
    }
    let empty = app.get_as(&planner, &path).await.json();
    assert_eq!(empty["total"]["complaints"]["total"], 0);
    let n = suara::store::complaint_rollups::backfill_if_missing(&app.state.db)
        .await
        .unwrap();
    assert_eq!(n, 3);
    assert_eq!(
        suara::store::complaint_rollups::backfill_if_missing(&app.state.db)
            .await
            .unwrap(),
        0,
        "only once"
    );
    let back = app.get_as(&planner, &path).await.json();
    assert!(same(&a, &back, "$"), "backfilled complaint cells agree");
    // Complaints by channel come from cells too: three filed through the API today.
    let by_channel: u64 = a["channels"]["complaints"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(by_channel, 3, "{}", a["channels"]);
    assert_eq!(
        a["series"][0]["channels"]["complaints"],
        a["channels"]["complaints"]
    );
    // A database from before the channel cells: the others are there, the channel ones not;
    // the start-up backfill computes every complaint cell again, once.
    use sea_orm::ConnectionTrait;
    let db = &app.state.db;
    for table in ["rollup_unit_day", "rollup_unit_month"] {
        db.execute_unprepared(&format!(
            "DELETE FROM {table} WHERE substr(code, 1, 6) = '_C:ch:'"
        ))
        .await
        .unwrap();
    }
    let txn = suara::store::begin_write(db).await.unwrap();
    suara::store::summaries::rebuild_all(&txn).await.unwrap();
    txn.commit().await.unwrap();
    let without = app.get_as(&planner, &path).await.json();
    assert_eq!(without["channels"]["complaints"], json!({}));
    assert_eq!(without["total"]["complaints"]["total"], 3);
    let n = suara::store::complaint_rollups::backfill_if_missing(db)
        .await
        .unwrap();
    assert_eq!(n, 3);
    let back = app.get_as(&planner, &path).await.json();
    assert!(same(&a, &back, "$"), "channel cells backfilled");
}
