//! The people side of the loop: learning sources deliver with tokens of their own, a planner
//! maps an unknown activity once and its completions count, a programme's participants get its
//! JP, and after it the participants and their supervisor say what changed (Kirkpatrick 1, 3).
use base64::Engine;
use chrono::Datelike;
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, spawn_app};

use crate::people::{BUDI, DUKCAPIL, SITI};

const RINA: &str = "199204302019032002";

pub(crate) async fn send(
    app: &TestApp,
    auth: &str,
    path: &str,
    ct: &'static str,
    body: &str,
    extra: &[(&str, &str)],
) -> (u16, Value) {
    let mut headers = vec![("authorization", auth)];
    headers.extend_from_slice(extra);
    let r = app
        .call(
            "POST",
            path,
            Body::Raw(ct, body.as_bytes().to_vec()),
            &headers,
        )
        .await;
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

async fn hire(app: &TestApp, sup: &str, people: &[(&str, &str)]) -> Vec<i64> {
    let mut ids = vec![];
    for (nip, name) in people {
        let r = app
            .call_as(sup, "POST", &format!("/api/v1/units/{DUKCAPIL}/employees"),
                Some(&json!({"nip": nip, "name": name, "position": "Operator", "competency_kind": "teknis"})))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    ids
}

async fn jp(app: &TestApp, token: &str) -> Vec<(String, i64, i64)> {
    let year = suara::service::today_wib().year();
    let list = app
        .get_as(
            token,
            &format!("/api/v1/units/{DUKCAPIL}/employees?year={year}"),
        )
        .await
        .json();
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_string(),
                e["jp_planned"].as_i64().unwrap(),
                e["jp_done"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn new_source(app: &TestApp, token: &str, name: &str, kind: &str) -> crate::helpers::Resp {
    let body = json!({"name": name, "kind": kind});
    app.call_as(token, "POST", "/api/v1/learning/sources", Some(&body))
        .await
}

#[actix_web::test]
async fn a_learning_source_delivers_its_kind_with_its_own_token() {
    let app = spawn_app().await;
    let sup = app
        .token_user("kasi@capil.id", "supervisor", &[DUKCAPIL])
        .await;
    let planner = app.token_user("plan@bkpsdm.id", "planner", &[]).await;
    hire(&app, &sup, &[(SITI, "Siti Aminah")]).await;
    let year = suara::service::today_wib().year();

    // Only BKPSDM makes sources; a bad kind is named.
    let bad = new_source(&app, &planner, "x", "scorm").await;
    assert_eq!(bad.status, 422);
    assert!(bad.json()["fields"]["kind"].is_string(), "{}", bad.body);
    let s = new_source(&app, &sup, "lms", "moodle").await;
    assert_eq!(s.status, 403);
    let moodle = new_source(&app, &planner, "moodle-bpsdmd", "moodle").await;
    assert_eq!(moodle.status, 201, "{}", moodle.body);
    let token = moodle.json()["token"].as_str().unwrap().to_string();
    let again = new_source(&app, &planner, "moodle-bpsdmd", "xapi").await;
    assert_eq!(again.status, 422, "a name is one source's");
    let listed = app.get_as(&planner, "/api/v1/learning/sources").await;
    assert!(!listed.body.contains(&token), "the token is shown once");

    // Moodle's completion export with the source's token: counted (16 JP of the programme).
    // Moodle's export says when in seconds since 1970.
    let at = chrono::NaiveDate::from_ymd_opt(year, 2, 3)
        .unwrap()
        .and_hms_opt(3, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp();
    let file = format!("userid,course,timecompleted\n{SITI},pelayanan-prima,{at}\n");
    let auth = format!("Bearer {token}");
    let (status, v) = send(
        &app,
        &auth,
        "/api/v1/learning/records?format=moodle",
        "text/csv",
        &file,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["accepted"], 1);
    // Its token delivers Moodle files only: not SIASN files, not statements.
    let (status, _) = send(
        &app,
        &auth,
        "/api/v1/learning/records?format=siasn",
        "text/csv",
        &file,
        &[],
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = send(
        &app,
        &auth,
        "/api/v1/xapi/statements",
        "application/json",
        "[]",
        &[("x-experience-api-version", "1.0.3")],
    )
    .await;
    assert_eq!(status, 403);
    // An LRS source by Basic authentication, the token as the password.
    let lrs = new_source(&app, &planner, "lrs", "xapi").await.json();
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD
            .encode(format!("lrs:{}", lrs["token"].as_str().unwrap()))
    );
    let (status, ids) = send(
        &app,
        &basic,
        "/api/v1/xapi/statements",
        "application/json",
        "[]",
        &[("x-experience-api-version", "1.0.3")],
    )
    .await;
    assert_eq!((status, ids), (200, json!([])));
    // A made-up source token is 401; a revoked one too, and its records stay.
    let (status, _) = send(
        &app,
        "Bearer sl_made-up",
        "/api/v1/learning/records?format=moodle",
        "text/csv",
        &file,
        &[],
    )
    .await;
    assert_eq!(status, 401);
    let id = moodle.json()["id"].as_i64().unwrap();
    let r = app
        .call_as(
            &planner,
            "DELETE",
            &format!("/api/v1/learning/sources/{id}"),
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    let (status, _) = send(
        &app,
        &auth,
        "/api/v1/learning/records?format=moodle",
        "text/csv",
        &file,
        &[],
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(jp(&app, &sup).await, vec![("Siti Aminah".into(), 0, 16)]);
}

#[actix_web::test]
async fn an_unknown_activity_is_mapped_once_and_counts_from_then_on() {
    let app = spawn_app().await;
    let sup = app
        .token_user("kasi@capil.id", "supervisor", &[DUKCAPIL])
        .await;
    let planner = app.token_user("plan@bkpsdm.id", "planner", &[]).await;
    hire(&app, &sup, &[(SITI, "Siti Aminah"), (BUDI, "Budi Santoso")]).await;
    let year = suara::service::today_wib().year();
    let activity = "https://elearning.jambiprov.go.id/mod/scorm/view.php?id=77";
    let statement = |id: &str, nip: &str| {
        json!({"id": id, "actor": {"account": {"homePage": "https://elearning.jambiprov.go.id", "name": nip}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}, "object": {"id": activity},
            "timestamp": format!("{year}-06-02T03:00:00Z")})
    };
    let auth = format!("Bearer {planner}");
    let xapi = |body: Value| {
        let (app, auth) = (&app, &auth);
        async move {
            send(
                app,
                auth,
                "/api/v1/xapi/statements",
                "application/json",
                &body.to_string(),
                &[("x-experience-api-version", "1.0.3")],
            )
            .await
        }
    };
    let (status, _) = xapi(statement("11111111-0000-4000-8000-000000000001", SITI)).await;
    assert_eq!(status, 200);
    let unmapped = app
        .get_as(&planner, "/api/v1/learning/unmapped")
        .await
        .json();
    assert_eq!(unmapped[0]["course"], activity, "{unmapped}");
    assert_eq!(unmapped[0]["unknown_activity"], true);
    assert_eq!(jp(&app, &sup).await[1], ("Siti Aminah".into(), 0, 0));

    // A programme that is not in the catalogue is named; a supervisor may not map.
    let bad = app
        .call_as(
            &planner,
            "POST",
            "/api/v1/learning/mappings",
            Some(&json!({"activity": activity, "programme": "tidak-ada"})),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.json()["fields"]["programme"].is_string());
    let r = app
        .call_as(
            &sup,
            "POST",
            "/api/v1/learning/mappings",
            Some(&json!({"activity": activity, "programme": "pelayanan-prima"})),
        )
        .await;
    assert_eq!(r.status, 403);
    let m = app
        .call_as(
            &planner,
            "POST",
            "/api/v1/learning/mappings",
            Some(&json!({"activity": activity, "programme": "pelayanan-prima"})),
        )
        .await;
    assert_eq!(m.status, 200, "{}", m.body);
    assert_eq!(
        (m.json()["records"].clone(), m.json()["jp"].clone()),
        (json!(1), json!(16))
    );
    let unmapped = app
        .get_as(&planner, "/api/v1/learning/unmapped")
        .await
        .json();
    assert_eq!(unmapped, json!([]));
    // Budi's later completion of the same activity counts at once; Siti's resent, once.
    xapi(json!([
        statement("11111111-0000-4000-8000-000000000002", BUDI),
        statement("11111111-0000-4000-8000-000000000001", SITI)
    ]))
    .await;
    assert_eq!(
        jp(&app, &sup).await,
        vec![
            ("Budi Santoso".into(), 0, 16),
            ("Siti Aminah".into(), 0, 16)
        ]
    );
}

/// A completed programme (the perilaku-petugas recommendation) for DUKCAPIL of `jp` JP.
async fn a_programme(app: &TestApp, planner: &str, jp: i64) -> String {
    crate::training::low_behaviour(app).await;
    app.call_as(planner, "POST", "/api/v1/training/run", Some(&json!({})))
        .await;
    let list = app
        .get_as(
            planner,
            &format!("/api/v1/units/{DUKCAPIL}/training-recommendations"),
        )
        .await
        .json();
    let id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "perilaku-petugas")
        .expect("the recommendation")["id"]
        .to_string();
    let base = format!("/api/v1/training/recommendations/{id}");
    let today = suara::service::today_wib().format("%Y-%m-%d").to_string();
    let r = app
        .call_as(planner, "POST", &format!("{base}/accept"), Some(&json!({})))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app
        .call_as(
            planner,
            "POST",
            &format!("{base}/schedule"),
            Some(&json!({"start_date": today, "end_date": today, "participants": 3, "jp": jp})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    id
}

#[actix_web::test]
async fn participants_get_the_programmes_jp_and_say_what_changed_afterwards() {
    let app = spawn_app().await;
    let sup = app
        .token_user("kasi@capil.id", "supervisor", &[DUKCAPIL])
        .await;
    let other = app
        .token_user("kasi@samsat.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    let planner = app.token_user("plan@bkpsdm.id", "planner", &[]).await;
    let ids = hire(
        &app,
        &sup,
        &[
            (SITI, "Siti Aminah"),
            (BUDI, "Budi Santoso"),
            (RINA, "Rina Wati"),
        ],
    )
    .await;
    let r = app
        .call_as(
            &sup,
            "PATCH",
            &format!("/api/v1/employees/{}", ids[0]),
            Some(&json!({"email": "siti@capil.id"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = a_programme(&app, &planner, 12).await;
    let base = format!("/api/v1/training/recommendations/{id}");

    // Until a list is set, the whole unit takes part: 12 JP planned for each.
    assert!(
        jp(&app, &sup).await.iter().all(|p| p.1 == 12),
        "{:?}",
        jp(&app, &sup).await
    );
    let list = app
        .get_as(&sup, &format!("{base}/participants"))
        .await
        .json();
    assert_eq!(list["whole_unit"], true);
    assert_eq!(list["participants"].as_array().unwrap().len(), 3);
    // The supervisor names two; someone of another unit is refused by field.
    let r = app
        .call_as(
            &sup,
            "PUT",
            &format!("{base}/participants"),
            Some(&json!({"employee_ids": [ids[0], 999_999]})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["employee_ids"].is_string());
    assert_eq!(
        app.call_as(
            &other,
            "PUT",
            &format!("{base}/participants"),
            Some(&json!({"employee_ids": [ids[0]]}))
        )
        .await
        .status,
        404
    );
    let r = app
        .call_as(
            &sup,
            "PUT",
            &format!("{base}/participants"),
            Some(&json!({"employee_ids": [ids[0], ids[1], ids[1]]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        jp(&app, &sup).await,
        vec![
            ("Budi Santoso".into(), 12, 0),
            ("Rina Wati".into(), 0, 0),
            ("Siti Aminah".into(), 12, 0)
        ]
    );

    // Before it is completed, nobody evaluates it.
    let r = app
        .call_as(&sup, "POST", &format!("{base}/reflection-links"), None)
        .await;
    assert_eq!(r.status, 409);
    let today = suara::service::today_wib().format("%Y-%m-%d").to_string();
    let r = app
        .call_as(
            &planner,
            "POST",
            &format!("{base}/complete"),
            Some(&json!({"completed_on": today})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Level 1: a link each; Siti's reflection, refused when empty, kept once on a double tap.
    let links = app
        .call_as(&sup, "POST", &format!("{base}/reflection-links"), None)
        .await;
    assert_eq!(links.status, 200, "{}", links.body);
    let links = links.json();
    assert_eq!(links.as_array().unwrap().len(), 2);
    let siti = links
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "Siti Aminah")
        .unwrap();
    let path = siti["url"]
        .as_str()
        .unwrap()
        .split_once("/k/")
        .map(|(_, t)| format!("/k/{t}"))
        .unwrap();
    // Siti has an address: her link went by e-mail too, Budi's did not.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mail = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Kind.eq("reflection_link"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].to_addr, "siti@capil.id");
    assert!(mail[0].body_text.contains(siti["url"].as_str().unwrap()));
    assert_eq!(siti["emailed"], true);
    let page = app.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Siti Aminah") && page.body.contains("Seberapa bermanfaat"),
        "{}",
        page.body
    );
    let refused = app
        .call(
            "POST",
            &path,
            Body::Form(&[("reflection", "Menyapa warga lebih dulu")]),
            &[],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("Menyapa warga lebih dulu"),
        "the form again with the text kept"
    );
    for _ in 0..2 {
        let ok = app
            .call(
                "POST",
                &path,
                Body::Form(&[
                    ("reaction", "4"),
                    ("reflection", "Menyapa warga lebih dulu"),
                ]),
                &[],
            )
            .await;
        assert_eq!(ok.status, 200);
        assert!(ok.body.contains("Terima kasih"), "{}", ok.body);
    }
    assert_eq!(app.get("/k/bukan-tautan").await.status, 404);

    // Level 3: the supervisor rates Siti and Budi; a planner may not, nor anyone for Rina.
    let rate = |who: &str, e: i64, score: i64| {
        let (app, base, who) = (&app, &base, who.to_string());
        async move {
            app.call_as(
                &who,
                "PUT",
                &format!("{base}/participants/{e}/rating"),
                Some(&json!({"behaviour": score, "note": "Lebih ramah"})),
            )
            .await
        }
    };
    assert_eq!(rate(&planner, ids[0], 3).await.status, 403);
    assert_eq!(rate(&sup, ids[0], 5).await.status, 422);
    assert_eq!(
        rate(&sup, ids[2], 3).await.status,
        404,
        "Rina did not take part"
    );
    assert_eq!(rate(&sup, ids[0], 3).await.status, 200);
    let last = rate(&sup, ids[1], 1).await;
    assert_eq!(last.status, 200, "{}", last.body);
    let e = &last.json()["evaluation"];
    assert_eq!(
        (
            e["participants"].clone(),
            e["reflections"].clone(),
            e["reaction_mean"].clone()
        ),
        (json!(2), json!(1), json!(4.0))
    );
    assert_eq!(
        (
            e["ratings"].clone(),
            e["behaviour_mean"].clone(),
            e["changed"].clone()
        ),
        (json!(2), json!(2.0), json!(1))
    );
    assert_eq!(e["verdict"], "changed", "one of two rated changed: half");
    // Beside the citizens' signal, on the recommendation and its page.
    let d = app.get_as(&planner, &base).await.json();
    assert_eq!(d["people"], *e);
    assert!(d.get("impact").is_some());
    let pw = app.create_user("plan2@bkpsdm.id", "planner", &[]).await;
    let s = app.login("plan2@bkpsdm.id", &pw).await;
    let page = app
        .get_with(
            &format!("/planner/training/{id}"),
            &[("cookie", s.cookie.as_str())],
        )
        .await;
    assert!(
        page.body.contains("Penilaian oleh pegawai dan atasan"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Atasan melihat perubahan di tempat kerja")
    );
}

#[actix_web::test]
async fn the_supervisor_runs_the_needs_round_from_a_page() {
    let app = spawn_app().await;
    let pw = app
        .create_user("kasi@capil.id", "supervisor", &[DUKCAPIL])
        .await;
    let s = app.login("kasi@capil.id", &pw).await;
    let sup = app
        .token_user("kasi2@capil.id", "supervisor", &[DUKCAPIL])
        .await;
    hire(&app, &sup, &[(SITI, "Siti Aminah"), (BUDI, "Budi Santoso")]).await;
    let year = suara::service::today_wib().year().to_string();
    let cookie = [("cookie", s.cookie.as_str())];
    let path = format!("/staff/units/{DUKCAPIL}/people");
    let page = app.get_with(&path, &cookie).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Siti Aminah") && page.body.contains("belum dibuka"));
    assert!(!page.body.contains(SITI), "no NIP on the page");
    let post = |form: Vec<(&'static str, String)>| {
        let (app, path, s) = (&app, &path, &s);
        async move {
            let mut pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            pairs.push(("csrf", s.csrf.as_str()));
            app.call(
                "POST",
                path,
                Body::Form(&pairs),
                &[("cookie", s.cookie.as_str())],
            )
            .await
        }
    };
    // Opening the round shows each person's link once.
    let opened = post(vec![("op", "open".into()), ("year", year.clone())]).await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    // Tera writes `/` as `&#x2F;`.
    let body = opened.body.replace("&#x2F;", "/");
    let link = body
        .split("/n/")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .map(|t| format!("/n/{t}"))
        .unwrap_or_else(|| panic!("a link on the page: {}", opened.body));
    assert_eq!(body.matches("/n/").count(), 2, "one link each");
    // One of them answers through the link (whoever it is).
    let r = app
        .call(
            "POST",
            &link,
            Body::Form(&[
                ("c1", "pelayanan-prima"),
                ("c1_current", "2"),
                ("c1_needed", "4"),
                ("wish", "Menghadapi warga yang marah"),
            ]),
            &[],
        )
        .await;
    assert_eq!(r.status, 200);
    let page = app.get_with(&path, &cookie).await;
    assert!(
        page.body.contains("Menghadapi warga yang marah"),
        "{}",
        page.body
    );
    assert!(page.body.contains("1 / 2"), "who answered");

    // A course without its JP comes back with the course kept and the JP named.
    let ids: Vec<i64> = app
        .get_as(&sup, &format!("/api/v1/units/{DUKCAPIL}/employees"))
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    let who = ids[0].to_string();
    let refused = post(vec![
        ("op", "confirm".into()),
        ("year", year.clone()),
        ("employee_id", who.clone()),
        ("course", "Kursus komunikasi efektif".into()),
    ])
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused
            .body
            .contains(r#"value="Kursus komunikasi efektif""#),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"id="jp-"#) && refused.body.contains("aria-invalid"));
    let ok = post(vec![
        ("op", "confirm".into()),
        ("year", year.clone()),
        ("employee_id", who),
        ("programme", "pelayanan-prima".into()),
    ])
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let planned = jp(&app, &sup).await;
    assert!(planned.iter().any(|p| p.1 == 16), "{planned:?}");
    // Another unit's supervisor does not see these people.
    let pw = app
        .create_user("kasi@samsat.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    let other = app.login("kasi@samsat.id", &pw).await;
    let r = app
        .get_with(&path, &[("cookie", other.cookie.as_str())])
        .await;
    assert_eq!(r.status, 404);
}
