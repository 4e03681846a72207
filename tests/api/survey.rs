use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::{Body, bearer, spawn_app, spawn_app_with};

const UNIT: &str = "disdukcapil-kota-jambi";

fn answers(u: [i64; 9]) -> Value {
    json!({
        "answers": {"U1": u[0], "U2": u[1], "U3": u[2], "U4": u[3], "U5": u[4], "U6": u[5], "U7": u[6], "U8": u[7], "U9": u[8], "WAIT_MIN": 35, "VISITS": 2},
        "respondent": {"gender": "P", "age": 34, "education": "SMA", "occupation": "swasta"},
        "service": "ktp-el",
        "channel": "kiosk"
    })
}

#[actix_web::test]
async fn active_definition_has_the_skm_elements_by_code() {
    let app = spawn_app().await;
    let s = app
        .get(&format!("/api/v1/units/{UNIT}/survey"))
        .await
        .json();
    assert_eq!(s["survey"], "skm-2017");
    let qs = s["definition"]["questions"].as_array().unwrap();
    let u8 = qs.iter().find(|q| q["code"] == "U8").unwrap();
    assert_eq!(u8["type"], "likert4");
    assert_eq!(u8["options"][3]["label"]["id"], "Dikelola dengan baik");
    let codes: Vec<&str> = qs.iter().map(|q| q["code"].as_str().unwrap()).collect();
    let pos = |c: &str| codes.iter().position(|x| *x == c).unwrap();
    assert!(
        pos("U9") < pos("U8"),
        "the model questionnaire asks U9 before U8"
    );
    assert!(
        s["services"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["slug"] == "ktp-el")
    );
}

#[actix_web::test]
async fn responses_are_stored_and_scored_as_worked_by_hand() {
    let app = spawn_app().await;
    // Five respondents. U1 answers 4,4,3,3,4 → NRR 3.6; every other element fixed per respondent.
    let rows = [
        [4, 3, 2, 4, 3, 3, 4, 2, 3],
        [4, 3, 2, 4, 3, 3, 4, 2, 3],
        [3, 3, 2, 4, 3, 3, 4, 2, 3],
        [3, 3, 2, 4, 3, 3, 4, 2, 3],
        [4, 3, 2, 4, 3, 3, 4, 2, 3],
    ];
    let mut ids = vec![];
    for r in rows {
        let res = app
            .post_json(&format!("/api/v1/units/{UNIT}/responses"), &answers(r))
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        ids.push(res.json()["id"].as_i64().unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 5);
    let ikm = app.get(&format!("/api/v1/units/{UNIT}/ikm")).await.json();
    assert_eq!(ikm["responses"], 5);
    assert_eq!(ikm["elements"]["U1"]["nrr"], 3.6);
    assert_eq!(ikm["elements"]["U1"]["n"], 5);
    // Σ NRR = 3.6+3+2+4+3+3+4+2+3 = 27.6; IKM = 27.6/9 = 3.0666…; ×25 = 76.666… → 76.67 → B.
    let v = ikm["ikm"].as_f64().unwrap();
    assert!((v - 27.6 / 9.0).abs() < 1e-9);
    assert_eq!(ikm["ikm_converted"], 76.67);
    assert_eq!(ikm["grade"], "B");
    assert_eq!(ikm["grade_label"], "Baik");
    // 6,000 visitors a month over the period → a Krejcie–Morgan sample is reported.
    assert!(ikm["min_sample"].as_u64().unwrap() > 300);
    let stored = suara::store::responses::count_for_unit(
        &app.state.db,
        suara::store::units::by_slug(&app.state.db, UNIT)
            .await
            .unwrap()
            .unwrap()
            .id,
    )
    .await
    .unwrap();
    assert_eq!(stored, 5);
}

#[actix_web::test]
async fn small_samples_are_suppressed() {
    let app = spawn_app().await;
    app.post_json(&format!("/api/v1/units/{UNIT}/responses"), &answers([1; 9]))
        .await;
    let ikm = app.get(&format!("/api/v1/units/{UNIT}/ikm")).await.json();
    assert_eq!(ikm["responses"], 1);
    assert_eq!(ikm["suppressed"], true);
    assert!(ikm["ikm"].is_null() && ikm["elements"]["U1"]["nrr"].is_null());
}

#[actix_web::test]
async fn invalid_responses_get_a_message_per_field() {
    let app = spawn_app().await;
    let mut body = answers([4; 9]);
    body["answers"]["U1"] = json!(7);
    body["answers"]["U2"] = json!("baik");
    body["answers"].as_object_mut().unwrap().remove("U3");
    body["answers"]["NOPE"] = json!(1);
    body["respondent"]["education"] = json!("PhD");
    body["service"] = json!("paspor");
    let r = app
        .post_json(&format!("/api/v1/units/{UNIT}/responses"), &body)
        .await;
    assert_eq!(r.status, 422);
    let f = &r.json()["fields"];
    assert_eq!(f["answers.U1"], "Nilai di luar rentang yang diizinkan.");
    assert_eq!(f["answers.U2"], "Harus berupa angka bulat.");
    assert_eq!(f["answers.U3"], "Wajib diisi.");
    assert_eq!(f["answers.NOPE"], "Pertanyaan tidak dikenal.");
    assert_eq!(f["respondent.education"], "Pilihan tidak dikenal.");
    assert_eq!(f["service"], "Pilihan tidak dikenal.");
    let bad_channel = {
        let mut b = answers([4; 9]);
        b["channel"] = json!("fax");
        app.post_json(&format!("/api/v1/units/{UNIT}/responses"), &b)
            .await
    };
    assert_eq!(bad_channel.status, 422);
    assert_eq!(
        app.post_json("/api/v1/units/no-such-unit/responses", &answers([4; 9]))
            .await
            .status,
        404
    );
    let bad_range = app
        .get(&format!(
            "/api/v1/units/{UNIT}/ikm?from=2026-13-01&to=2026-01-01"
        ))
        .await;
    assert_eq!(bad_range.status, 422);
    assert!(bad_range.json()["fields"]["from"].is_string());
}

#[actix_web::test]
async fn the_survey_page_keeps_answers_and_explains_errors() {
    let app = spawn_app().await;
    let page = app.get(&format!("/u/{UNIT}/survey")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Dikelola dengan baik") && page.body.contains("name=\"WAIT_MIN\""));
    assert!(
        page.body.contains("<label for=\"q-WAIT_MIN\">"),
        "labels tied to inputs"
    );
    let mut form: Vec<(&str, &str)> = vec![
        ("SERVICE", "ktp-el"),
        ("U1", "4"),
        ("U2", "3"),
        ("U4", "4"),
        ("U5", "3"),
        ("U6", "3"),
        ("U7", "4"),
        ("U8", "2"),
        ("U9", "3"),
        ("WAIT_MIN", "45"),
        ("COMMENT", "<b>antrean</b> panjang"),
    ];
    let r = app
        .call("POST", &format!("/u/{UNIT}/survey"), Body::Form(&form), &[])
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("id=\"e-U3\""),
        "message next to the question"
    );
    assert!(r.body.contains("value=\"45\""), "entered wait time kept");
    assert!(
        r.body.contains("value=\"4\" checked"),
        "chosen answers kept"
    );
    assert!(
        r.body.contains("&lt;b&gt;antrean&lt;&#x2F;b&gt; panjang"),
        "comment kept, escaped"
    );
    // The summary names the question and links to it.
    assert!(r.body.contains("href=\"#f-U3\""), "{}", r.body);
    form.push(("U3", "2"));
    // A fee as Indonesians write it.
    form.push(("FEE_PAID", "Rp 50.000"));
    let ok = app
        .call("POST", &format!("/u/{UNIT}/survey"), Body::Form(&form), &[])
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    // A 2 on an element: the thank-you page offers to file a complaint.
    assert_eq!(
        ok.header("location").unwrap(),
        format!("/u/{UNIT}/thanks?low=1")
    );
    let thanks = app.get(&format!("/u/{UNIT}/thanks?low=1")).await.body;
    assert!(thanks.contains("Terima kasih"));
    assert!(thanks.contains("Ada yang kurang memuaskan?"), "{thanks}");
    assert!(thanks.contains(&format!("/u/{UNIT}/complaint")));
    let stored = entity::response::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.fee_paid.is_some() && r.channel == "web")
        .max_by_key(|r| r.id)
        .unwrap();
    assert_eq!(stored.fee_paid, Some(50_000));
    let en = app
        .call(
            "POST",
            &format!("/u/{UNIT}/survey?lang=en"),
            Body::Form(&[("U1", "9")]),
            &[],
        )
        .await;
    assert!(en.body.contains("Value out of range."));
}

#[actix_web::test]
async fn the_honeypot_stores_nothing() {
    let app = spawn_app().await;
    let form = [
        ("SERVICE", "ktp-el"),
        ("U1", "4"),
        ("U2", "4"),
        ("U3", "4"),
        ("U4", "4"),
        ("U5", "4"),
        ("U6", "4"),
        ("U7", "4"),
        ("U8", "4"),
        ("U9", "4"),
        ("website", "http://spam"),
    ];
    let r = app
        .call("POST", &format!("/u/{UNIT}/survey"), Body::Form(&form), &[])
        .await;
    assert_eq!(r.status, 303);
    let unit = suara::store::units::by_slug(&app.state.db, UNIT)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        suara::store::responses::count_for_unit(&app.state.db, unit.id)
            .await
            .unwrap(),
        0
    );
}

#[actix_web::test]
async fn public_posts_are_rate_limited_with_retry_after() {
    let app = spawn_app_with(&[
        ("SUARA_PUBLIC_RATE_PER_MIN", "6"),
        ("SUARA_PUBLIC_RATE_BURST", "2"),
    ])
    .await;
    let url = format!("/api/v1/units/{UNIT}/responses");
    assert_eq!(app.post_json(&url, &answers([4; 9])).await.status, 201);
    assert_eq!(app.post_json(&url, &answers([4; 9])).await.status, 201);
    let r = app.post_json(&url, &answers([4; 9])).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.json()["error"], "rate_limited");
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=10).contains(&wait));
    let page = app
        .call(
            "POST",
            &format!("/u/{UNIT}/survey"),
            Body::Form(&[("U1", "4")]),
            &[],
        )
        .await;
    assert_eq!(page.status, 429);
    assert!(
        page.body.contains("Terlalu banyak permintaan") && page.header("retry-after").is_some()
    );
    // A client behind a trusted proxy is told apart by X-Forwarded-For; without trust, it is not.
    let other = app
        .call(
            "POST",
            &url,
            Body::Json(&answers([4; 9])),
            &[("x-forwarded-for", "203.0.113.9")],
        )
        .await;
    assert_eq!(
        other.status, 429,
        "an untrusted peer cannot pick its own key"
    );
    let proxied = spawn_app_with(&[
        ("SUARA_PUBLIC_RATE_PER_MIN", "6"),
        ("SUARA_PUBLIC_RATE_BURST", "1"),
        ("SUARA_TRUSTED_PROXIES", "127.0.0.1"),
    ])
    .await;
    for ip in ["203.0.113.1", "203.0.113.2"] {
        let r = proxied
            .call(
                "POST",
                &url,
                Body::Json(&answers([4; 9])),
                &[("x-forwarded-for", ip)],
            )
            .await;
        assert_eq!(r.status, 201, "each forwarded client has its own quota");
    }
    let r = proxied
        .call(
            "POST",
            &url,
            Body::Json(&answers([4; 9])),
            &[("x-forwarded-for", "203.0.113.1")],
        )
        .await;
    assert_eq!(r.status, 429);
}

#[actix_web::test]
async fn one_time_codes_take_one_response_each() {
    let app = spawn_app().await;
    let pw = app.create_user("sup@x.id", "supervisor", &[UNIT]).await;
    let s = app.login("sup@x.id", &pw).await;
    let r = app
        .call(
            "POST",
            &format!("/staff/units/{UNIT}/survey-settings"),
            Body::Form(&[("csrf", &s.csrf), ("require_code", "1")]),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = app
        .call(
            "POST",
            &format!("/staff/units/{UNIT}/codes"),
            Body::Form(&[("csrf", &s.csrf), ("count", "2")]),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(page.status, 200);
    let code = page
        .body
        .split("<code>")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 8);
    assert!(!code.contains(['0', 'O', '1', 'I']));
    let url = format!("/api/v1/units/{UNIT}/responses");
    let without = app.post_json(&url, &answers([4; 9])).await;
    assert_eq!(without.status, 422);
    assert!(without.json()["fields"]["code"].is_string());
    let mut body = answers([4; 9]);
    body["code"] = json!(code.to_lowercase());
    assert_eq!(app.post_json(&url, &body).await.status, 201);
    let again = app.post_json(&url, &body).await;
    assert_eq!(again.status, 422);
    assert_eq!(
        again.json()["fields"]["code"],
        "Kode tidak valid atau sudah dipakai."
    );
}

#[actix_web::test]
async fn surveys_are_versioned_and_responses_keep_their_version() {
    let app = spawn_app().await;
    let t = app.token_user("admin@x.id", "admin", &[]).await;
    let auth = bearer(&t);
    let h = [("authorization", auth.as_str())];
    let def = |label: &str| {
        json!({"title": {"id": "Survei singkat", "en": "Short survey"}, "questions": [
            {"code": "NPS", "type": "nps", "label": {"id": label, "en": label}, "required": true},
            {"code": "FAST", "type": "yes_no", "label": {"id": "Cepat?", "en": "Quick?"}, "signal": "wait_time"},
            {"code": "WHY", "type": "text", "max_length": 200, "label": {"id": "Kenapa?", "en": "Why?"}, "show_if": {"code": "FAST", "equals": false}}
        ]})
    };
    let c = app.call("POST", "/api/v1/admin/surveys", Body::Json(&json!({"code": "singkat", "name": "Singkat", "definition": def("Rekomendasikan?"), "publish": true})), &h).await;
    assert_eq!(c.status, 201, "{}", c.body);
    let bad = app
        .call(
            "POST",
            "/api/v1/admin/surveys/singkat/versions",
            Body::Json(&json!({"title": {"id": "x", "en": "x"}, "questions": []})),
            &h,
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(
        app.call(
            "PUT",
            "/api/v1/admin/units/samsat-kota-jambi/survey",
            Body::Json(&json!({"survey": "singkat"})),
            &h
        )
        .await
        .status,
        204
    );
    let url = "/api/v1/units/samsat-kota-jambi/responses";
    let r = app
        .post_json(
            url,
            &json!({"answers": {"NPS": 9, "FAST": false, "WHY": "antre"}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let v2 = app
        .call(
            "POST",
            "/api/v1/admin/surveys/singkat/versions",
            Body::Json(&def("Seberapa mungkin Anda merekomendasikan?")),
            &h,
        )
        .await;
    assert_eq!(v2.json()["version"], 2);
    assert_eq!(v2.json()["status"], "draft");
    let live = app
        .get("/api/v1/units/samsat-kota-jambi/survey")
        .await
        .json();
    assert_eq!(live["version"], 1, "a draft takes no responses");
    assert_eq!(
        app.call(
            "POST",
            "/api/v1/admin/surveys/singkat/versions/2/publish",
            Body::None,
            &h
        )
        .await
        .status,
        204
    );
    assert_eq!(
        app.call(
            "POST",
            "/api/v1/admin/surveys/singkat/versions/2/publish",
            Body::None,
            &h
        )
        .await
        .status,
        409
    );
    assert_eq!(
        app.get("/api/v1/units/samsat-kota-jambi/survey")
            .await
            .json()["version"],
        2
    );
    let r2 = app.post_json(url, &json!({"answers": {"NPS": 3}})).await;
    assert_eq!(r2.status, 201);
    use sea_orm::EntityTrait;
    let first = entity::response::Entity::find_by_id(r.json()["id"].as_i64().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let second = entity::response::Entity::find_by_id(r2.json()["id"].as_i64().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(first.survey_version_id, second.survey_version_id);
    assert_eq!(
        app.post_json(url, &json!({"answers": {"NPS": 11}}))
            .await
            .status,
        422
    );
}

#[actix_web::test]
async fn qr_code_and_poster() {
    let app = spawn_app().await;
    let qr = app.get(&format!("/u/{UNIT}/qr.svg")).await;
    assert_eq!(qr.status, 200);
    assert_eq!(qr.header("content-type").unwrap(), "image/svg+xml");
    assert!(qr.body.contains("<svg"));
    let poster = app.get(&format!("/u/{UNIT}/poster")).await;
    assert!(poster.body.contains("<svg") && poster.body.contains(UNIT));
    assert_eq!(app.get("/u/no-such-unit/qr.svg").await.status, 404);
}

#[actix_web::test]
async fn concurrent_responses_each_get_their_own_id() {
    let app = spawn_app().await;
    let url = format!("/api/v1/units/{UNIT}/responses");
    let posts = (0..120i64).map(|i| {
        let mut b = answers([4; 9]);
        b["answers"]["WAIT_MIN"] = json!(i);
        let (app, url) = (&app, &url);
        async move { (i, app.post_json(url, &b).await) }
    });
    let results = futures_util::future::join_all(posts).await;
    use sea_orm::EntityTrait;
    for (i, r) in results {
        assert_eq!(r.status, 201, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        let row = entity::response::Entity::find_by_id(id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.wait_minutes,
            Some(i as i32),
            "id {id} belongs to the response that was told it"
        );
    }
    let ikm = app.get(&format!("/api/v1/units/{UNIT}/ikm")).await.json();
    assert_eq!(ikm["responses"], 120, "rollups counted each response once");
    assert_eq!(ikm["elements"]["U7"]["n"], 120);
}
