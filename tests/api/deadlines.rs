//! Deadlines follow the holiday calendar (with the overdue flags and the dashboard's counts).
use chrono::{Duration, NaiveDate};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::json;

use crate::desk::{backdate, file, model};
use crate::helpers::spawn_app;

const RSUD: &str = "rsud-raden-mattaher";
const DUKCAPIL: &str = "disdukcapil-kota-jambi";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[actix_web::test]
async fn holidays_move_running_deadlines_across_a_weekend() {
    let app = spawn_app().await;
    let admin = app.token_user("admin@x.id", "admin", &[]).await;
    let sup = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    // Filed Thursday 22 April 2027 (waktu_tunggu: 5 working days): verify Tue 27 (after the
    // weekend), first response and resolve Thu 29.
    let filed = d("2027-04-22");
    let running = file(&app, RSUD).await;
    let resolved = file(&app, RSUD).await;
    let later = file(&app, RSUD).await;
    let first = [d("2027-04-27"), d("2027-04-29"), d("2027-04-29")];
    backdate(&app, &running, filed, first).await;
    backdate(&app, &resolved, filed, first).await;
    backdate(
        &app,
        &later,
        d("2027-04-26"),
        [d("2027-04-29"), d("2027-05-03"), d("2027-05-03")],
    )
    .await;
    let mut m = model(&app, &resolved).await.into_active_model();
    m.status = Set("resolved".into());
    m.update(&app.state.db).await.unwrap();

    let put = |day: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            app.call_as(
                admin,
                "PUT",
                &format!("/api/v1/admin/holidays/{day}"),
                Some(&json!({"name": "Cuti bersama (susulan)", "kind": "cuti_bersama"})),
            )
            .await
            .status
        }
    };
    let view = |id: String| {
        let (app, sup) = (&app, &sup);
        async move {
            app.get_as(sup, &format!("/api/v1/staff/complaints/{id}"))
                .await
                .json()
        }
    };
    // A late cuti bersama on Monday 26 April: each deadline moves one working day.
    assert_eq!(put("2027-04-26").await, 204);
    let v = view(running.clone()).await;
    assert_eq!(
        (
            &v["due_verify"],
            &v["due_first_response"],
            &v["due_resolve"]
        ),
        (
            &json!("2027-04-28"),
            &json!("2027-04-30"),
            &json!("2027-04-30")
        )
    );
    assert_eq!(v["next_deadline"], "2027-04-28");
    let ev = v["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(ev["kind"], "deadline");
    assert_eq!(ev["public"], false);
    assert_eq!(
        ev["body"],
        "Hari libur 2027-04-26 ditambahkan; tenggat bergeser: verifikasi 2027-04-27 → 2027-04-28, \
         tindak lanjut pertama 2027-04-29 → 2027-04-30, penyelesaian 2027-04-29 → 2027-04-30."
    );
    // Resolved, or filed on the holiday itself: untouched.
    assert_eq!(view(resolved.clone()).await["due_resolve"], "2027-04-29");
    let l = view(later.clone()).await;
    assert_eq!(l["due_verify"], "2027-04-29");
    assert!(!l["events"].to_string().contains("deadline"));
    // Another on Friday 30 April pushes first response and resolution across the weekend.
    assert_eq!(put("2027-04-30").await, 204);
    let v = view(running.clone()).await;
    assert_eq!(v["due_verify"], "2027-04-28");
    assert_eq!(v["due_resolve"], "2027-05-03");
    // Removing Monday's moves the verify deadline back; the history has each move.
    let r = app
        .call_as(&admin, "DELETE", "/api/v1/admin/holidays/2027-04-26", None)
        .await;
    assert_eq!(r.status, 204);
    let v = view(running.clone()).await;
    assert_eq!(
        (
            &v["due_verify"],
            &v["due_first_response"],
            &v["due_resolve"]
        ),
        (
            &json!("2027-04-27"),
            &json!("2027-04-29"),
            &json!("2027-04-29")
        )
    );
    let moves: Vec<_> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "deadline")
        .collect();
    assert_eq!(moves.len(), 3);
    assert!(
        moves[2]["body"]
            .as_str()
            .unwrap()
            .starts_with("Hari libur 2027-04-26 dihapus")
    );
    // The public view follows the new dates but does not list internal entries.
    let p = app
        .get(&format!("/api/v1/complaints/{running}"))
        .await
        .json();
    assert_eq!(p["next_deadline"], "2027-04-27");
    assert!(!p.to_string().contains("Hari libur"));
}

#[actix_web::test]
async fn overdue_flags_and_dashboard_counts_follow_the_calendar() {
    let app = spawn_app().await;
    let admin = app.token_user("admin@x.id", "admin", &[]).await;
    let sup = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let other = app
        .token_user("sup@dukcapil.id", "supervisor", &[DUKCAPIL])
        .await;
    let cal = suara::store::complaints::calendar(&app.state.db)
        .await
        .unwrap();
    let today = suara::service::today_wib();
    // The latest filing day whose verify deadline has passed: overdue by the calendar as it is.
    let mut x = today;
    while cal.add_working_days(x, 3) >= today {
        x -= Duration::days(1);
    }
    let late = file(&app, RSUD).await;
    let due = cal.add_working_days(x, 3);
    backdate(
        &app,
        &late,
        x,
        [due, cal.add_working_days(x, 5), cal.add_working_days(x, 5)],
    )
    .await;
    let due_today = file(&app, RSUD).await;
    let mut m = model(&app, &due_today).await.into_active_model();
    m.due_verify = Set(today);
    m.update(&app.state.db).await.unwrap();
    let _fresh = file(&app, RSUD).await;
    let verified = file(&app, RSUD).await;
    let r = app
        .call_as(
            &sup,
            "POST",
            &format!("/api/v1/staff/complaints/{verified}/transitions"),
            Some(&json!({"action": "verify"})),
        )
        .await;
    assert_eq!(r.status, 200);
    let counts = app.get_as(&sup, "/api/v1/staff/dashboard").await.json();
    assert_eq!(counts, json!({"new": 3, "due_today": 1, "overdue": 1}));
    assert_eq!(
        app.get_as(&other, "/api/v1/staff/dashboard").await.json(),
        json!({"new": 0, "due_today": 0, "overdue": 0})
    );
    let q = app
        .get_as(&sup, "/api/v1/staff/complaints?overdue=1")
        .await
        .json();
    assert_eq!(q["total"], 1);
    assert_eq!(q["items"][0]["tracking_id"], late.as_str());

    // A holiday on the first working day after filing: the deadline moves to today or later.
    let h = cal.add_working_days(x, 1);
    let r = app
        .call_as(
            &admin,
            "PUT",
            &format!("/api/v1/admin/holidays/{h}"),
            Some(&json!({"name": "Cuti bersama", "kind": "cuti_bersama"})),
        )
        .await;
    assert_eq!(r.status, 204);
    let v = app
        .get_as(&sup, &format!("/api/v1/staff/complaints/{late}"))
        .await
        .json();
    assert_eq!(v["overdue"], false, "{v}");
    assert_eq!(
        app.get_as(&sup, "/api/v1/staff/complaints?overdue=1")
            .await
            .json()["total"],
        0
    );
    assert_eq!(
        app.get_as(&sup, "/api/v1/staff/dashboard").await.json()["overdue"],
        0
    );
    // Taken away again: overdue again.
    let r = app
        .call_as(
            &admin,
            "DELETE",
            &format!("/api/v1/admin/holidays/{h}"),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        app.get_as(&sup, "/api/v1/staff/dashboard").await.json()["overdue"],
        1
    );

    // The page shows the same counts.
    let pw = app.create_user("page@rsud.id", "supervisor", &[RSUD]).await;
    let s = app.login("page@rsud.id", &pw).await;
    let page = app.get_with("/staff", &[("cookie", &s.cookie)]).await;
    assert!(
        page.body.contains("<strong id=\"count-new\">3</strong>"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<strong id=\"count-due-today\">1</strong>")
    );
    assert!(
        page.body
            .contains("id=\"count-overdue\" class=\"error\">1</strong>")
    );
    assert!(page.body.contains("lewat tenggat"));
}
