//! Measured waits: stamps from queue machines in every shape units have, stored once, measured
//! by hand-worked numbers, scoped to the unit, and read back as a summary.
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, bearer, spawn_app};

const RSUD: &str = "rsud-raden-mattaher";
const DUKCAPIL: &str = "disdukcapil-kota-jambi";

async fn post(
    app: &TestApp,
    token: &str,
    path: &str,
    ct: &'static str,
    body: Vec<u8>,
) -> (u16, Value) {
    let auth = bearer(token);
    let r = app
        .call(
            "POST",
            path,
            Body::Raw(ct, body),
            &[("authorization", auth.as_str())],
        )
        .await;
    let v = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, v)
}

/// The WIB day `n` days ago: inside the stamps kept, whenever the suite runs.
fn ago(n: i64) -> chrono::NaiveDate {
    suara::service::today_wib() - chrono::Duration::days(n)
}

async fn post_json(app: &TestApp, token: &str, path: &str, v: &Value) -> (u16, Value) {
    post(
        app,
        token,
        path,
        "application/json",
        serde_json::to_vec(v).unwrap(),
    )
    .await
}

/// New feed credentials for the hospital's queue machine.
async fn new_feed(app: &TestApp, token: &str) -> Value {
    let r = app
        .call_as(
            token,
            "POST",
            &format!("/api/v1/units/{RSUD}/queue/feed"),
            None,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

fn events_path(slug: &str) -> String {
    format!("/api/v1/units/{slug}/queue/events")
}

/// Eleven tickets of the pharmacy (standard 30 minutes) on day `d`, worked by hand in
/// `domain::queue::tests`: waits 5, 8, 12, 18, 18, 25, 31, 40:30 and 55 minutes, one ticket
/// never called, one no-show.
fn pharmacy_day(d: chrono::NaiveDate) -> Vec<Value> {
    let mut events = vec![];
    let waits = [
        (5, 0),
        (8, 0),
        (12, 0),
        (18, 0),
        (18, 0),
        (25, 0),
        (31, 0),
        (40, 30),
        (55, 0),
    ];
    for (i, (m, s)) in waits.iter().enumerate() {
        let t = format!("F{:03}", i + 1);
        events.push(json!({"service": "farmasi", "ticket": t, "event": "issued", "at": format!("{d}T08:00:00+07:00")}));
        let (h, m) = (8 + m / 60, m % 60);
        events.push(json!({"service": "farmasi", "ticket": t, "event": "called",
            "at": format!("{d}T{h:02}:{m:02}:{s:02}+07:00"), "counter": "2"}));
    }
    events.push(json!({"service": "farmasi", "ticket": "F010", "event": "issued", "at": format!("{d}T09:00:00+07:00")}));
    events.push(json!({"service": "farmasi", "ticket": "F011", "event": "issued", "at": format!("{d}T09:00:00+07:00")}));
    events.push(json!({"service": "farmasi", "ticket": "F011", "event": "no_show", "at": format!("{d}T09:40:00+07:00")}));
    events
}

async fn summary(app: &TestApp, token: &str, slug: &str, q: &str) -> Value {
    let r = app
        .get_as(token, &format!("/api/v1/units/{slug}/queue/summary?{q}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[actix_web::test]
async fn a_known_day_measures_as_worked_by_hand_once_however_often_it_is_sent() {
    let app = spawn_app().await;
    let sup = app
        .token_user("antrean@rsud.id", "supervisor", &[RSUD])
        .await;
    let day = ago(25);
    let mut events = pharmacy_day(day);
    // Out of order: every call before its ticket was issued, in two deliveries.
    events.reverse();
    let (second, first) = events.split_at(events.len() / 2);
    for part in [first, second] {
        let body = serde_json::to_vec(&json!({"events": part})).unwrap();
        let (status, v) = post(&app, &sup, &events_path(RSUD), "application/json", body).await;
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["duplicates"], 0);
    }
    let q = format!("from={day}&to={day}");
    let s = summary(&app, &sup, RSUD, &q).await;
    let t = &s["total"];
    assert_eq!(t["tickets"], 11, "{s}");
    assert_eq!(t["waits"], 9, "a ticket never called is left out: {s}");
    assert_eq!(t["wait_p50"], 18);
    assert_eq!(t["wait_p90"], 55);
    assert_eq!(t["judged"], 9);
    assert!((t["over_standard_share"].as_f64().unwrap() - 3.0 / 9.0).abs() < 1e-9);
    assert!((t["no_show_share"].as_f64().unwrap() - 1.0 / 11.0).abs() < 1e-9);
    assert_eq!(s["services"][0]["service"], "farmasi");
    assert_eq!(s["services"][0]["standard_minutes"], 30);
    assert_eq!(s["periods"][0]["period"], day.to_string());

    // The whole day again, as a machine resends its file: nothing changes.
    let body = serde_json::to_vec(&json!({"events": pharmacy_day(day)})).unwrap();
    let (status, v) = post(&app, &sup, &events_path(RSUD), "application/json", body).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (v["accepted"].clone(), v["duplicates"].clone()),
        (json!(0), json!(21))
    );
    assert_eq!(summary(&app, &sup, RSUD, &q).await["total"], s["total"]);
    // By week and month the same day is one period.
    use chrono::Datelike;
    let around = format!(
        "from={}&to={}",
        day - chrono::Duration::days(3),
        day + chrono::Duration::days(3)
    );
    let w = summary(&app, &sup, RSUD, &format!("{around}&by=week")).await;
    let week = format!("{}-W{:02}", day.iso_week().year(), day.iso_week().week());
    let this = w["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == week.as_str());
    assert_eq!(this.map(|p| p["tickets"].clone()), Some(json!(11)), "{w}");
    let m = summary(&app, &sup, RSUD, &format!("{around}&by=month")).await;
    let month = format!("{}-{:02}", day.year(), day.month());
    assert!(
        m["periods"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["period"] == month.as_str()),
        "{m}"
    );
    let r = app
        .get_as(
            &sup,
            &format!("/api/v1/units/{RSUD}/queue/summary?from=2026-11-30&to=2026-11-01&by=year"),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("\"by\""), "{}", r.body);
}

#[actix_web::test]
async fn a_file_with_bad_rows_keeps_the_good_ones_and_names_each_problem() {
    let app = spawn_app().await;
    let sup = app
        .token_user("antrean@capil.id", "supervisor", &[DUKCAPIL])
        .await;
    // As Indonesian Excel saves it: semicolons.
    let d = ago(20);
    let file = format!(
        "ticket;service;event;at;counter\n\
        A001;ktp-el;issued;{d}T08:00:00+07:00;\n\
        A001;ktp-el;dipanggil;{d}T08:20:00+07:00;1\n\
        A001;ktp-el;called;{d}T08:20:00+07:00;1\n\
        A002;ktp-el;issued;{d} 08:05;\n\
        A003;ktp-el;issued;{d}T08:10:00+07:00;\n"
    );
    let (status, v) = post(
        &app,
        &sup,
        &events_path(DUKCAPIL),
        "text/csv",
        file.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["accepted"], 3, "{v}");
    assert_eq!(v["rejected"], 2);
    assert_eq!(v["problems"][0]["index"], 1);
    assert!(v["problems"][0]["problems"]["event"].is_string(), "{v}");
    assert_eq!(v["problems"][1]["index"], 3);
    assert!(
        v["problems"][1]["problems"]["at"]
            .as_str()
            .unwrap()
            .contains("+07:00"),
        "{v}"
    );
    let s = summary(&app, &sup, DUKCAPIL, &format!("from={d}&to={d}")).await;
    assert_eq!(s["total"]["tickets"], 2);
    assert_eq!(s["total"]["wait_p50"], 20);
    // Every row bad: nothing kept, and the answer says so.
    let (status, v) = post(
        &app,
        &sup,
        &events_path(DUKCAPIL),
        "text/csv",
        b"ticket,event,at\nX,issued,kemarin\n".to_vec(),
    )
    .await;
    assert_eq!((status, v["accepted"].clone()), (200, json!(0)), "{v}");
    assert_eq!(v["rejected"], 1);
    // No header: the file is refused as a whole.
    let (status, v) = post(
        &app,
        &sup,
        &events_path(DUKCAPIL),
        "text/csv",
        b"A1,issued\n".to_vec(),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    assert!(v["fields"]["file"].is_string(), "{v}");
}

#[actix_web::test]
async fn only_the_units_own_callers_deliver_and_read() {
    let app = spawn_app().await;
    let rsud = app
        .token_user("antrean@rsud.id", "supervisor", &[RSUD])
        .await;
    let capil = app
        .token_user("kasi@capil.id", "supervisor", &[DUKCAPIL])
        .await;
    let planner = app.token_user("plan@jambi.id", "planner", &[]).await;
    let day = json!({"events": pharmacy_day(ago(25))});
    let (status, _) = post_json(&app, &capil, &events_path(RSUD), &day).await;
    assert_eq!(status, 404, "another unit's supervisor");
    let (status, _) = post_json(&app, &planner, &events_path(RSUD), &day).await;
    assert_eq!(status, 403, "planners read only");
    let r = app
        .get_as(&capil, &format!("/api/v1/units/{RSUD}/queue/summary"))
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        app.get_as(&planner, &format!("/api/v1/units/{RSUD}/queue/summary"))
            .await
            .status,
        200
    );

    // The machine's own token: made by the unit's supervisor, good for that unit only.
    let feed = new_feed(&app, &rsud).await;
    let machine = feed["token"].as_str().unwrap().to_string();
    let (status, v) = post_json(&app, &machine, &events_path(RSUD), &day).await;
    assert_eq!((status, v["accepted"].clone()), (200, json!(21)), "{v}");
    let (status, _) = post_json(&app, &machine, &events_path(DUKCAPIL), &day).await;
    assert_eq!(status, 401, "a feed token is nobody's staff token");
    // The batch endpoint: each record names its unit; another unit's records are refused.
    let b = ago(24);
    let batch = json!({"events": [
        {"unit": RSUD, "service": "igd", "ticket": "G1", "event": "issued", "at": format!("{b}T10:00:00+07:00")},
        {"unit": DUKCAPIL, "ticket": "A1", "event": "issued", "at": format!("{b}T10:00:00+07:00")},
        {"unit": "tidak-ada", "ticket": "A1", "event": "issued", "at": format!("{b}T10:00:00+07:00")},
        {"ticket": 17, "event": "issued", "at": format!("{b}T10:00:00+07:00")}
    ]});
    let (status, v) = post_json(&app, &machine, "/api/v1/queue/events", &batch).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["accepted"], 1);
    assert_eq!(v["rejected"], 3);
    let unit_msgs: Vec<&Value> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["problems"]["unit"])
        .collect();
    assert_eq!(
        unit_msgs[0], unit_msgs[1],
        "unknown and not yours read the same: {v}"
    );
    // Too many at once.
    let many: Vec<Value> = (0..5001).map(|i| json!({"unit": RSUD, "ticket": i, "event": "issued", "at": format!("{b}T10:00:00+07:00")})).collect();
    let (status, v) = post_json(
        &app,
        &rsud,
        "/api/v1/queue/events",
        &json!({"events": many}),
    )
    .await;
    assert_eq!(status, 422, "{v}");
    // A new feed replaces the old token.
    new_feed(&app, &rsud).await;
    let (status, _) = post_json(&app, &machine, &events_path(RSUD), &day).await;
    assert_eq!(status, 401);
}

#[actix_web::test]
async fn vendor_samples_arrive_as_their_events() {
    let app = spawn_app().await;
    let sup = app
        .token_user("antrean@rsud.id", "supervisor", &[RSUD])
        .await;
    let path = |f: &str| format!("{}?format={f}", events_path(RSUD));
    // BPJS Antrean: the clinic stage of one booking, 11:00 → 11:20 → 11:35 WIB;
    // and one from 2024, older than the stamps kept (400 days): refused.
    let bd = ago(33);
    let t0 = bd
        .and_hms_opt(4, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis();
    let bpjs = json!([
        {"kodebooking": "RS-0001", "taskid": 3, "waktu": t0},
        {"kodebooking": "RS-0001", "taskid": 4, "waktu": t0 + 20 * 60_000},
        {"kodebooking": "RS-0001", "taskid": 5, "waktu": t0 + 35 * 60_000},
        {"kodebooking": "RS-0002", "taskid": 3, "waktu": 1733112000000i64}
    ]);
    let (status, v) = post_json(&app, &sup, &path("bpjs"), &bpjs).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["accepted"], 6, "{v}");
    assert_eq!(v["problems"][0]["index"], 3, "{v}");
    assert!(v["problems"][0]["problems"]["at"].is_string(), "{v}");
    let s = summary(&app, &sup, RSUD, &format!("from={bd}&to={bd}")).await;
    let poli = s["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["service"] == "poli");
    let poli = poli.unwrap_or_else(|| panic!("{s}"));
    assert_eq!(poli["wait_p50"], 20, "{s}");
    assert_eq!(poli["service_p50"], 15);
    // NovoSGA: local times without an offset are WIB.
    let nd = ago(22);
    let novosga = json!([{"id": 1, "senha": {"sigla": "A", "numero": 12}, "servico": {"nome": "farmasi"},
        "dataChegada": format!("{nd}T08:00:00"), "dataChamada": format!("{nd}T08:45:00"),
        "dataInicio": format!("{nd}T08:46:00"), "dataFim": format!("{nd}T08:50:00")}]);
    let (status, v) = post_json(&app, &sup, &path("novosga"), &novosga).await;
    assert_eq!((status, v["accepted"].clone()), (200, json!(4)), "{v}");
    let s = summary(&app, &sup, RSUD, &format!("from={nd}&to={nd}")).await;
    assert_eq!(s["total"]["wait_p50"], 45);
    assert_eq!(
        s["total"]["over_standard_share"], 1.0,
        "45 minutes against the pharmacy's 30"
    );

    // Qminder signs with the unit's feed secret, and sends no token.
    let secret = new_feed(&app, &sup).await["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let hook = serde_json::to_vec(
        &json!({"type": "ticket_created", "data": {"id": 4711, "line": {"id": 7, "name": "igd"},
        "created": {"date": format!("{}T01:00:00Z", ago(21))}}}),
    )
    .unwrap();
    let signed = |body: &[u8], key: &str| suara::security::hmac_sha256_hex(key.as_bytes(), body);
    let send = |sig: String, body: Vec<u8>| {
        let app = &app;
        let p = path("qminder");
        async move {
            app.call(
                "POST",
                &p,
                Body::Raw("application/json", body),
                &[("x-qminder-signature", sig.as_str())],
            )
            .await
        }
    };
    let r = send(signed(&hook, "not-the-secret"), hook.clone()).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = send(signed(&hook, &secret), hook.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["accepted"], 1);
    // Redelivered: stored once.
    let r = send(signed(&hook, &secret), hook).await;
    assert_eq!(r.json()["duplicates"], 1);
}

/// `n` pharmacy tickets on `day`, the first `over` waiting 45 minutes (standard 30), the rest 10.
fn tickets(day: chrono::NaiveDate, n: usize, over: usize) -> Vec<Value> {
    (0..n)
        .flat_map(|i| {
            let t = format!("P{i:03}");
            let wait = if i < over { 45 } else { 10 };
            vec![
                json!({"service": "farmasi", "ticket": t, "event": "issued", "at": format!("{day}T08:00:00+07:00")}),
                json!({"service": "farmasi", "ticket": t, "event": "called",
                    "at": format!("{day}T08:{wait:02}:00+07:00")}),
            ]
        })
        .collect()
}

#[actix_web::test]
async fn measured_waits_over_the_standard_raise_the_training_signal() {
    let app = spawn_app().await;
    let sup = app
        .token_user("antrean@rsud.id", "supervisor", &[RSUD])
        .await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let today = suara::service::today_wib();
    // Both halves of a 90-day window: 20 of 30 tickets over the standard in each.
    for ago in [60, 10] {
        let body = json!({"events": tickets(today - chrono::Duration::days(ago), 30, 20)});
        let (status, v) = post_json(&app, &sup, &events_path(RSUD), &body).await;
        assert_eq!((status, v["accepted"].clone()), (200, json!(60)), "{v}");
    }
    let def = json!({"window_days": 90, "min_n": 20, "conditions": [
        {"signal": "measured_wait_over_standard", "threshold": 0.3}], "programmes": ["pelayanan-prima"]});
    let r = app
        .call_as(
            &planner,
            "POST",
            "/api/v1/admin/training-rules/preview",
            Some(&json!({"definition": def})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    let flagged = v["flagged"].as_array().unwrap();
    let rsud = flagged.iter().find(|f| f["unit"] == RSUD);
    let rsud = rsud.unwrap_or_else(|| panic!("{v}"));
    let o = &rsud["finding"]["observations"][0];
    assert_eq!(o["signal"], "measured_wait_over_standard", "{o}");
    assert_eq!(o["n"], 60);
    assert!(
        (o["value"].as_f64().unwrap() - 40.0 / 60.0).abs() < 1e-9,
        "{o}"
    );
    assert_eq!(o["fires"], true);
    // Under the threshold: 5 of 30 over (17%) does not fire.
    let app = spawn_app().await;
    let sup = app
        .token_user("antrean@rsud.id", "supervisor", &[RSUD])
        .await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    for ago in [60, 10] {
        let body = json!({"events": tickets(today - chrono::Duration::days(ago), 30, 5)});
        post_json(&app, &sup, &events_path(RSUD), &body).await;
    }
    let v = app
        .call_as(
            &planner,
            "POST",
            "/api/v1/admin/training-rules/preview",
            Some(&json!({"definition": def})),
        )
        .await
        .json();
    assert!(
        !v["flagged"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["unit"] == RSUD),
        "{v}"
    );
}

#[actix_web::test]
async fn a_done_queue_item_is_judged_on_the_measured_waits() {
    let app = spawn_app().await;
    let sup = app
        .token_user("antrean@rsud.id", "supervisor", &[RSUD])
        .await;
    // "A second pharmacy counter", done 120 days ago: both 90-day windows have closed.
    let done = ago(120);
    // Worked by hand: before, 20 of 30 waits over the standard (67%); after, 3 of 30 (10%).
    // Two-proportion z ≈ 4.5, p far below 0.05: the share fell — effective.
    for (d, over) in [
        (done - chrono::Duration::days(10), 20),
        (done + chrono::Duration::days(10), 3),
    ] {
        let (status, v) = post_json(
            &app,
            &sup,
            &events_path(RSUD),
            &json!({"events": tickets(d, 30, over)}),
        )
        .await;
        assert_eq!((status, v["accepted"].clone()), (200, json!(60)), "{v}");
    }
    let r = app
        .call_as(&sup, "POST", &format!("/api/v1/units/{RSUD}/follow-ups"), Some(&json!({
            "title": "Loket farmasi kedua", "kind": "queue", "elements": [], "status": "done",
            "done_on": done.to_string(), "period_from": (done - chrono::Duration::days(30)).to_string(),
            "period_to": done.to_string()})))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let e = &r.json()["effect"];
    assert_eq!(e["label"], "effective", "{e}");
    let row = &e["rows"][0];
    assert_eq!(row["signal"], "measured_wait_over_standard");
    assert_eq!(
        (row["n_before"].clone(), row["n_after"].clone()),
        (json!(30), json!(30))
    );
    assert!(
        (row["before"].as_f64().unwrap() - 20.0 / 30.0).abs() < 1e-9,
        "{row}"
    );
    assert!((row["after"].as_f64().unwrap() - 0.1).abs() < 1e-9, "{row}");
}

#[actix_web::test]
async fn the_report_and_the_public_results_say_what_the_queue_measured() {
    let app = spawn_app().await;
    let sup = app
        .token_user("antrean@rsud.id", "supervisor", &[RSUD])
        .await;
    let d = ago(15);
    // 30 pharmacy tickets: 20 waited 45 minutes, 10 waited 10 (standard 30). Sorted, the 15th
    // is 45: the median; 20 of 30 over the standard is 67%.
    post_json(
        &app,
        &sup,
        &events_path(RSUD),
        &json!({"events": tickets(d, 30, 20)}),
    )
    .await;
    let line = "Waktu tunggu terukur: median 45 menit, standar 30 menit (67% melebihi standar; 30 antrean).";
    use chrono::Datelike;
    let res = app
        .get(&format!("/api/v1/units/{RSUD}/results?year={}", d.year()))
        .await
        .json();
    assert_eq!(res["measured_wait"]["wait_p50"], 45, "{res}");
    assert_eq!(res["measured_wait"]["text"], line);
    let page = app.get(&format!("/u/{RSUD}/hasil?year={}", d.year())).await;
    assert!(page.body.contains(line), "{}", page.body);
    let pw = app.create_user("plan@bkd.id", "planner", &[]).await;
    let s = app.login("plan@bkd.id", &pw).await;
    let report = app
        .get_with(
            &format!("/planner/units/{RSUD}/report?from={d}&to={d}"),
            &[("cookie", s.cookie.as_str())],
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.body);
    assert!(report.body.contains(line), "{}", report.body);
    // The unit's analytics: the measured median beside the reported one, in the table and as
    // a line of the wait chart; the overview has a column for it.
    let cookie = [("cookie", s.cookie.as_str())];
    let unit = app
        .get_with(
            &format!("/planner/units/{RSUD}?from={d}&to={d}&by=week"),
            &cookie,
        )
        .await;
    assert_eq!(unit.status, 200, "{}", unit.body);
    assert!(
        unit.body.contains("Tunggu terukur (median)"),
        "{}",
        unit.body
    );
    assert!(
        unit.body
            .contains("30 antrean · median 45 · p90 45 menit · 67% melebihi standar"),
        "{}",
        unit.body
    );
    assert!(
        unit.body.contains(">terukur<"),
        "the chart's line is labelled: {}",
        unit.body
    );
    let overview = app
        .get_with(&format!("/planner?from={d}&to={d}"), &cookie)
        .await;
    assert!(overview.body.contains("Tunggu terukur (median)"));
    let json = app
        .get_with(
            &format!("/api/v1/analytics/overview?from={d}&to={d}"),
            &cookie,
        )
        .await;
    assert_eq!(json.status, 200, "{}", json.body);
    let v = json.json();
    let row = v["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == RSUD)
        .unwrap();
    assert_eq!(row["measured_wait"]["wait_p50"], 45, "{row}");
    // A unit without a queue machine says nothing about measured waits.
    let other = app
        .get(&format!("/u/{DUKCAPIL}/hasil?year={}", d.year()))
        .await;
    assert!(!other.body.contains("Waktu tunggu terukur"));
}

/// Two machines (or a retry racing its original) deliver the same unit's day at the same
/// moment: every stamp is stored once and the day's cells count both deliveries — the later
/// rebuild never leaves the earlier reading behind.
#[actix_web::test]
async fn two_deliveries_of_one_day_at_once_both_count() {
    let app = spawn_app().await;
    let sup = app
        .token_user("antrean@rsud.id", "supervisor", &[RSUD])
        .await;
    let d = ago(12);
    // Different tickets in each delivery, and one delivery's stamps twice.
    let first = json!({"events": tickets(d, 30, 10)});
    let mut second_events: Vec<Value> = tickets(d, 30, 20)
        .into_iter()
        .map(|mut e| {
            let t = e["ticket"].as_str().unwrap().replace('P', "Q");
            e["ticket"] = json!(t);
            e
        })
        .collect();
    second_events.extend(tickets(d, 5, 5));
    let second = json!({"events": second_events});
    for _ in 0..3 {
        let gate = std::sync::Arc::new(tokio::sync::Barrier::new(2));
        let send = |body: &Value| {
            let (app, sup, gate) = (&app, &sup, gate.clone());
            let body = body.clone();
            async move {
                gate.wait().await;
                post_json(app, sup, &events_path(RSUD), &body).await
            }
        };
        let (a, b) = tokio::join!(send(&first), send(&second));
        assert_eq!((a.0, b.0), (200, 200), "{} {}", a.1, b.1);
    }
    // 30 P-tickets and 30 Q-tickets: 60 tickets, 120 stamps, whatever order the writes took.
    let rows = entity::queue_event::Entity::find()
        .filter(entity::queue_event::Column::Day.eq(d))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows, 120);
    let s = summary(&app, &sup, RSUD, &format!("from={d}&to={d}")).await;
    assert_eq!(s["total"]["tickets"], 60, "{s}");
    // 10 + 20 of 60 waited 45 minutes against the pharmacy's 30.
    assert_eq!(s["total"]["judged"], 60);
    assert!(
        (s["total"]["over_standard_share"].as_f64().unwrap() - 0.5).abs() < 1e-9,
        "{s}"
    );
}
