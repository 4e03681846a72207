use serde_json::{Value, json};

use crate::helpers::{Body, SmtpServer, html_part, multipart, spawn_app, spawn_app_with};

const RSUD: &str = "rsud-raden-mattaher";

fn complaint(extra: Value) -> Value {
    let mut c = json!({
        "unit": RSUD,
        "kind": "pengaduan",
        "category": "waktu_tunggu",
        "description": "Saya menunggu empat jam di poliklinik anak tanpa kepastian kapan dipanggil.",
        "wait_minutes": 240,
        "contact": {"name": "Sri Wahyuni", "email": "sri@example.id", "phone": "0812-7000-1234"},
        "anonim": false,
        "rahasia": false
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

async fn file(app: &crate::helpers::TestApp, extra: Value) -> String {
    file_with_code(app, extra).await.0
}

/// (tracking ID, reopen code) as the filing answered them.
async fn file_with_code(app: &crate::helpers::TestApp, extra: Value) -> (String, String) {
    let r = app.post_json("/api/v1/complaints", &complaint(extra)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let v = r.json();
    (
        v["tracking_id"].as_str().unwrap().to_string(),
        v["reopen_code"].as_str().unwrap().to_string(),
    )
}

async fn staff(
    app: &crate::helpers::TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> crate::helpers::Resp {
    app.call_as(token, method, path, body.as_ref()).await
}

#[actix_web::test]
async fn a_citizen_files_and_tracks_without_an_account() {
    let app = spawn_app().await;
    let id = file(&app, json!({})).await;
    assert!(id.starts_with("SRA-") && id.len() == 13);
    assert!(!id[4..].contains(['0', 'O', '1', 'I']));
    let t = app
        .get(&format!("/api/v1/complaints/{}", id.to_lowercase()))
        .await;
    assert_eq!(t.status, 200);
    let v = t.json();
    assert_eq!(v["status"], "received");
    assert_eq!(v["category"], "waktu_tunggu");
    assert!(v["next_deadline"].is_string());
    let text = t.body.to_lowercase();
    assert!(
        !text.contains("sri") && !text.contains("0812") && !text.contains("empat jam"),
        "no contact, no description: {text}"
    );
    let unknown = app.get("/api/v1/complaints/SRA-2222-2222").await;
    let malformed = app.get("/api/v1/complaints/hello").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.body, malformed.body,
        "unknown and malformed IDs look the same"
    );
    let page = app.get(&format!("/track/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&id) && !page.body.contains("Sri Wahyuni"));
    // The deadline in words, as the citizen reads dates ("Senin, 7 Desember 2026").
    let due: chrono::NaiveDate = v["next_deadline"].as_str().unwrap().parse().unwrap();
    assert!(
        page.body.contains(&format!(
            "Batas verifikasi: <strong>{}</strong>",
            suara::domain::format::long_date(due, true)
        )),
        "{}",
        page.body
    );
    assert_eq!(v["next_step"], "verify");
    // Shared on WhatsApp with its link; copied with one tap where the browser can.
    assert!(
        page.body.contains("href=\"https://wa.me/?text="),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("data-copy=\"{id}\"")));
    let lookup = app
        .get(&format!(
            "/track?id={}",
            id.replace('-', "+").to_lowercase()
        ))
        .await;
    assert_eq!(lookup.status, 303);
}

#[actix_web::test]
async fn intake_validation_names_each_field() {
    let app = spawn_app().await;
    let r = app
        .post_json(
            "/api/v1/complaints",
            &json!({"unit": "nope", "kind": "gosip", "category": "x", "description": "pendek", "incident_date": "2999-01-01",
                    "visits": 0, "contact": {"email": "bukan-email", "phone": "abc"}}),
        )
        .await;
    assert_eq!(r.status, 422);
    let f = &r.json()["fields"];
    for k in [
        "unit",
        "kind",
        "category",
        "description",
        "incident_date",
        "visits",
        "contact.email",
        "contact.phone",
    ] {
        assert!(f[k].is_string(), "{k}: {f}");
    }
    assert_eq!(f["description"], "Uraian harus 20–4.000 karakter.");
    let missing = app.post_json("/api/v1/complaints", &json!({})).await;
    assert_eq!(missing.json()["fields"]["unit"], "Wajib diisi.");
}

#[actix_web::test]
async fn the_lifecycle_with_audit_log_and_illegal_moves() {
    let app = spawn_app().await;
    let t = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let (id, code) = file_with_code(&app, json!({})).await;
    let base = format!("/api/v1/staff/complaints/{id}");
    let bad = staff(
        &app,
        &t,
        "POST",
        &format!("{base}/transitions"),
        Some(json!({"action": "resolve"})),
    )
    .await;
    assert_eq!(
        bad.status, 409,
        "cannot resolve before verifying: {}",
        bad.body
    );
    for a in ["verify", "start"] {
        let r = staff(
            &app,
            &t,
            "POST",
            &format!("{base}/transitions"),
            Some(json!({"action": a})),
        )
        .await;
        assert_eq!(r.status, 200, "{a}: {}", r.body);
    }
    assert_eq!(
        staff(
            &app,
            &t,
            "POST",
            &format!("{base}/notes"),
            Some(json!({"body": "cek jadwal dokter"}))
        )
        .await
        .status,
        201
    );
    assert_eq!(
        staff(
            &app,
            &t,
            "POST",
            &format!("{base}/replies"),
            Some(json!({"body": "Kami menambah loket pendaftaran."}))
        )
        .await
        .status,
        201
    );
    let m = staff(
        &app,
        &t,
        "PATCH",
        &base,
        Some(json!({"assignee": "Budi (pendaftaran)", "priority": "tinggi"})),
    )
    .await;
    assert_eq!(m.json()["priority"], "tinggi");
    let r = staff(
        &app,
        &t,
        "POST",
        &format!("{base}/transitions"),
        Some(json!({"action": "resolve", "note": "Loket tambahan dibuka."})),
    )
    .await;
    assert_eq!(r.json()["status"], "resolved");
    let v = r.json();
    let kinds: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "status", "status", "status", "note", "reply", "assign", "priority", "status"
        ]
    );
    assert_eq!(v["events"][1]["from_status"], "received");
    assert_eq!(v["events"][1]["to_status"], "verified");
    // The citizen sees the reply and statuses, never the note or the assignment.
    let public = app.get(&format!("/api/v1/complaints/{id}")).await;
    assert!(
        public.body.contains("Kami menambah loket pendaftaran.")
            && !public.body.contains("cek jadwal")
            && !public.body.contains("Budi")
    );
    assert!(public.json()["can_reopen_until"].is_string());
    // Staff cannot reopen; the citizen can, within the window.
    assert_eq!(
        staff(
            &app,
            &t,
            "POST",
            &format!("{base}/transitions"),
            Some(json!({"action": "reopen"}))
        )
        .await
        .status,
        409
    );
    // A stranger knows the tracking ID (it is public), not the code: refused.
    for stranger in [
        json!({"reason": "x"}),
        json!({"reason": "x", "code": "ABCD-EFGH"}),
    ] {
        let r = app
            .post_json(&format!("/api/v1/complaints/{id}/reopen"), &stranger)
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.json()["fields"]["code"].is_string(), "{}", r.body);
    }
    assert_eq!(
        app.get(&format!("/api/v1/complaints/{id}")).await.json()["status"],
        "resolved",
        "nothing changed"
    );
    // The citizen, with the code from the filing, typed loosely.
    let typed = code.to_lowercase().replace('-', " ");
    let re = app
        .post_json(
            &format!("/api/v1/complaints/{id}/reopen"),
            &json!({"reason": "Masih antre lama", "code": typed}),
        )
        .await;
    assert_eq!(re.status, 200, "{}", re.body);
    assert_eq!(re.json()["status"], "reopened");
    let again = app
        .post_json(
            &format!("/api/v1/complaints/{id}/reopen"),
            &json!({"code": code}),
        )
        .await;
    assert_eq!(
        again.status, 409,
        "only a resolved complaint can be reopened"
    );
    let reject = staff(
        &app,
        &t,
        "POST",
        &format!("{base}/transitions"),
        Some(json!({"action": "reject"})),
    )
    .await;
    assert_eq!(reject.status, 409);
}

#[actix_web::test]
async fn rejection_needs_a_reason_and_may_forward() {
    let app = spawn_app().await;
    let t = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let id = file(&app, json!({})).await;
    let p = format!("/api/v1/staff/complaints/{id}/transitions");
    let r = staff(&app, &t, "POST", &p, Some(json!({"action": "reject"}))).await;
    assert_eq!(r.status, 422);
    assert!(r.json()["fields"]["reason"].is_string());
    let r = staff(&app, &t, "POST", &p, Some(json!({"action": "reject", "reason": "Kewenangan Samsat", "forward_to": "samsat-kota-jambi"}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["forwarded_to"], "samsat-kota-jambi");
    assert!(
        app.get(&format!("/api/v1/complaints/{id}")).await.json()["history"][1]["status"]
            == "rejected"
    );
}

#[actix_web::test]
async fn deadlines_skip_weekends_and_the_holiday_table() {
    let app = spawn_app().await;
    let admin = app.token_user("admin@x.id", "admin", &[]).await;
    // Make the next ten calendar days holidays: the verify deadline must land after them.
    let today = suara::service::today_wib();
    for i in 1..=10 {
        let d = today + chrono::Duration::days(i);
        let r = staff(
            &app,
            &admin,
            "PUT",
            &format!("/api/v1/admin/holidays/{d}"),
            Some(json!({"name": "uji", "kind": "cuti_bersama"})),
        )
        .await;
        assert_eq!(r.status, 204);
    }
    let id = file(&app, json!({})).await;
    let v = app.get(&format!("/api/v1/complaints/{id}")).await.json();
    let due = chrono::NaiveDate::parse_from_str(v["next_deadline"].as_str().unwrap(), "%Y-%m-%d")
        .unwrap();
    let cal = suara::store::complaints::calendar(&app.state.db)
        .await
        .unwrap();
    assert_eq!(due, cal.add_working_days(today, 3));
    assert!(due > today + chrono::Duration::days(10));
    let mut d = today;
    let mut working = 0;
    while d < due {
        d += chrono::Duration::days(1);
        if !matches!(
            chrono::Datelike::weekday(&d),
            chrono::Weekday::Sat | chrono::Weekday::Sun
        ) && d > today + chrono::Duration::days(10)
        {
            working += 1;
        }
    }
    assert_eq!(
        working, 3,
        "three working days after the holidays and weekends"
    );
    let list = staff(&app, &admin, "GET", "/api/v1/admin/holidays", None)
        .await
        .json();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|h| h["name"] == "Hari Kemerdekaan Republik Indonesia"),
        "national holidays seeded"
    );
}

#[actix_web::test]
async fn privacy_anonymous_planners_and_other_units() {
    let app = spawn_app().await;
    let sup = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let other = app
        .token_user("sup@samsat.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    let planner = app.token_user("plan@bkd.id", "planner", &[]).await;
    let open = file(&app, json!({})).await;
    let anon = file(&app, json!({"anonim": true, "rahasia": true, "description": "<script>alert(1)</script> petugas meminta uang tambahan."})).await;
    let v = staff(
        &app,
        &sup,
        "GET",
        &format!("/api/v1/staff/complaints/{open}"),
        None,
    )
    .await
    .json();
    assert_eq!(v["contact"]["email"], "sri@example.id");
    let v = staff(
        &app,
        &sup,
        "GET",
        &format!("/api/v1/staff/complaints/{anon}"),
        None,
    )
    .await;
    assert!(
        v.json()["contact"].is_null() && !v.body.contains("sri@example.id"),
        "anonymous: no contact for anyone"
    );
    let p = staff(
        &app,
        &planner,
        "GET",
        &format!("/api/v1/staff/complaints/{open}"),
        None,
    )
    .await;
    assert_eq!(p.status, 200);
    assert!(
        p.json()["contact"].is_null() && !p.body.contains("0812"),
        "planners see no contact data"
    );
    // Planners read; acting is not their role (403, the role decides before the complaint).
    assert_eq!(
        staff(
            &app,
            &planner,
            "POST",
            &format!("/api/v1/staff/complaints/{open}/transitions"),
            Some(json!({"action": "verify"}))
        )
        .await
        .status,
        403
    );
    for path in [
        format!("/api/v1/staff/complaints/{open}"),
        format!("/api/v1/staff/complaints/{anon}"),
    ] {
        assert_eq!(staff(&app, &other, "GET", &path, None).await.status, 404);
    }
    assert_eq!(
        staff(
            &app,
            &other,
            "POST",
            &format!("/api/v1/staff/complaints/{open}/transitions"),
            Some(json!({"action": "verify"}))
        )
        .await
        .status,
        404
    );
    assert_eq!(
        staff(
            &app,
            &other,
            "POST",
            &format!("/api/v1/staff/complaints/{open}/replies"),
            Some(json!({"body": "x"}))
        )
        .await
        .status,
        404
    );
    let q = staff(&app, &other, "GET", "/api/v1/staff/complaints", None)
        .await
        .json();
    assert_eq!(q["items"].as_array().unwrap().len(), 0);
    // Pages: another unit's complaint is 404; HTML in descriptions is shown as text.
    let pw = app
        .create_user("sup2@samsat.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    let s = app.login("sup2@samsat.id", &pw).await;
    assert_eq!(
        app.get_with(
            &format!("/staff/complaints/{open}"),
            &[("cookie", &s.cookie)]
        )
        .await
        .status,
        404
    );
    let pw = app.create_user("sup2@rsud.id", "supervisor", &[RSUD]).await;
    let s = app.login("sup2@rsud.id", &pw).await;
    let page = app
        .get_with(
            &format!("/staff/complaints/{anon}"),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; petugas meminta uang tambahan."),
        "the description shown as text"
    );
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("sri@example.id"));
    // The queue page is a desk page: names, not codes, and the width of the screen.
    let queue = app
        .get_with("/staff/complaints", &[("cookie", &s.cookie)])
        .await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("class=\"desk\""), "{}", queue.body);
    let rows = queue.body.split("<tbody>").last().unwrap_or(&queue.body);
    let cells: Vec<&str> = rows.split("<td>").skip(1).collect();
    assert!(
        !cells
            .iter()
            .any(|c| c.starts_with("waktu_tunggu<") || c.starts_with("rsud-")),
        "codes shown: {cells:?}"
    );
}

#[actix_web::test]
async fn the_queue_sorts_by_deadline_filters_and_counts() {
    let app = spawn_app().await;
    let t = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let a = file(&app, json!({})).await;
    let b = file(&app, json!({"category": "korupsi"})).await;
    let c = file(
        &app,
        json!({"kind": "aspirasi", "category": "sarana_prasarana"}),
    )
    .await;
    staff(
        &app,
        &t,
        "POST",
        &format!("/api/v1/staff/complaints/{a}/transitions"),
        Some(json!({"action": "verify"})),
    )
    .await;
    let q = staff(&app, &t, "GET", "/api/v1/staff/complaints", None)
        .await
        .json();
    let ids: Vec<&str> = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["tracking_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    let dates: Vec<&str> = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["next_deadline"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "sorted by next deadline");
    assert_eq!(
        ids.last().copied(),
        Some(a.as_str()),
        "verified: its next deadline is later than a verification deadline"
    );
    assert_eq!(q["counts"]["received"], 2);
    assert_eq!(q["counts"]["verified"], 1);
    let only = staff(
        &app,
        &t,
        "GET",
        "/api/v1/staff/complaints?category=korupsi",
        None,
    )
    .await
    .json();
    assert_eq!(only["items"][0]["tracking_id"], b.as_str());
    let kind = staff(
        &app,
        &t,
        "GET",
        "/api/v1/staff/complaints?kind=aspirasi&status=received",
        None,
    )
    .await
    .json();
    assert_eq!(kind["items"][0]["tracking_id"], c.as_str());
    assert_eq!(
        staff(&app, &t, "GET", "/api/v1/staff/complaints?overdue=1", None)
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // Bulk: two duplicates of the first.
    let bulk = staff(&app, &t, "POST", "/api/v1/staff/complaints/bulk", Some(json!({"tracking_ids": [b, c, "SRA-2222-2222"], "action": "mark_duplicate", "duplicate_of": a}))).await;
    assert_eq!(bulk.status, 200, "{}", bulk.body);
    assert_eq!(bulk.json()["done"].as_array().unwrap().len(), 2);
    assert!(bulk.json()["failed"]["SRA-2222-2222"].is_string());
    let d = staff(
        &app,
        &t,
        "GET",
        &format!("/api/v1/staff/complaints/{b}"),
        None,
    )
    .await
    .json();
    assert_eq!(d["status"], "duplicate");
    assert_eq!(d["duplicate_of"], a.as_str());
}

#[actix_web::test]
async fn the_complaint_page_keeps_values_checks_files_by_content() {
    let app = spawn_app().await;
    let form = [
        ("kind", "pengaduan"),
        ("category", "waktu_tunggu"),
        ("description", "terlalu pendek"),
        ("contact.email", "sri@example.id"),
        ("anonim", "1"),
    ];
    let (ct, body) = multipart(&form, &[]);
    let r = app
        .call(
            "POST",
            &format!("/u/{RSUD}/complaint"),
            Body::Raw(&ct, body),
            &[],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("terlalu pendek</textarea>") && r.body.contains("value=\"sri@example.id\"")
    );
    assert!(r.body.contains("name=\"anonim\" value=\"1\" checked"));
    let long = "Antrean di loket pendaftaran tidak bergerak selama dua jam dan tidak ada petugas.";
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake image bytes";
    let fake = b"MZ this is an exe pretending to be a photo";
    let good = [
        ("kind", "pengaduan"),
        ("category", "waktu_tunggu"),
        ("description", long),
    ];
    let (ct, body) = multipart(&good, &[("attachments", "foto.jpg", fake)]);
    let r = app
        .call(
            "POST",
            &format!("/u/{RSUD}/complaint"),
            Body::Raw(&ct, body),
            &[],
        )
        .await;
    assert_eq!(r.status, 422, "type is checked by content, not by name");
    assert!(r.body.contains("Hanya JPG, PNG, WebP atau PDF."));
    let (ct, body) = multipart(&good, &[("attachments", "antrean.png", png)]);
    let r = app
        .call(
            "POST",
            &format!("/u/{RSUD}/complaint"),
            Body::Raw(&ct, body),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let loc = r.header("location").unwrap();
    // The citizen's own link: the tracking page with the reopen code.
    let (path, query) = loc.split_once('?').unwrap();
    assert!(path.starts_with("/track/SRA-"), "{loc}");
    assert!(query.starts_with("new=1&code="), "{loc}");
    let id = path.trim_start_matches("/track/").to_string();
    let t = app.token_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let v = staff(
        &app,
        &t,
        "GET",
        &format!("/api/v1/staff/complaints/{id}"),
        None,
    )
    .await
    .json();
    assert_eq!(v["attachments"][0]["content_type"], "image/png");
    assert_eq!(v["attachments"][0]["size"], png.len());
    let stored: Vec<_> = std::fs::read_dir(&app.state.settings.attachments_dir)
        .unwrap()
        .collect();
    assert_eq!(stored.len(), 1, "stored under the data directory");
    let big = vec![0xFFu8; 5 * 1024 * 1024 + 10];
    let mut big = big;
    big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
    let (ct, body) = multipart(&good, &[("attachments", "besar.jpg", &big)]);
    let r = app
        .call(
            "POST",
            &format!("/u/{RSUD}/complaint"),
            Body::Raw(&ct, body),
            &[],
        )
        .await;
    assert_eq!(r.status, 413);
    let page = app.get(&format!("/track/{id}?new=1")).await;
    assert!(page.body.contains(&id) && page.body.contains("Simpan ID pelacakan"));
}

#[actix_web::test]
async fn staff_complaint_forms_need_the_csrf_token() {
    let app = spawn_app().await;
    let id = file(&app, json!({})).await;
    let pw = app.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let s = app.login("sup@rsud.id", &pw).await;
    let path = format!("/staff/complaints/{id}");
    let r = app
        .call(
            "POST",
            &path,
            Body::Form(&[("op", "transition"), ("action", "verify")]),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .call(
            "POST",
            &path,
            Body::Form(&[
                ("csrf", &s.csrf),
                ("op", "transition"),
                ("action", "verify"),
            ]),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 303);
    // Every action says what it did on the page it lands on.
    let landed = r.header("location").unwrap();
    assert_eq!(landed, format!("{path}?ok=transition"));
    let page = app.get_with(&landed, &[("cookie", &s.cookie)]).await;
    assert!(page.body.contains("Diverifikasi"));
    assert!(page.body.contains("Status diperbarui."), "{}", page.body);
    // A link cannot put its own words there.
    let forged = app
        .get_with(&format!("{path}?ok=Hubungi+0812"), &[("cookie", &s.cookie)])
        .await;
    assert!(!forged.body.contains("role=\"status\">Hubungi"));
    assert!(!forged.body.contains("class=\"notice\" role=\"status\""));
    let q = app
        .get_with("/staff/complaints", &[("cookie", &s.cookie)])
        .await;
    assert!(q.status == 200 && q.body.contains(&id));
    // A bulk reject without a reason is refused out loud, and changes nothing.
    let r = app
        .call(
            "POST",
            "/staff/complaints/bulk",
            Body::Form(&[("csrf", &s.csrf), ("action", "reject"), ("ids", &id)]),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 303);
    let landed = r.header("location").unwrap();
    assert!(landed.starts_with("/staff/complaints?error="), "{landed}");
    let q = app.get_with(&landed, &[("cookie", &s.cookie)]).await;
    assert!(q.body.contains("role=\"alert\""), "{}", q.body);
    // Words in a link show only when this session's action signed them: a crafted link, or
    // the signed one with other words, shows no alert.
    let sig = landed.split("sig=").nth(1).unwrap();
    for forged in [
        "/staff/complaints?error=Akun+Anda+diblokir".to_string(),
        format!("/staff/complaints?error=Akun+Anda+diblokir&sig={sig}"),
    ] {
        let q = app.get_with(&forged, &[("cookie", &s.cookie)]).await;
        assert_eq!(q.status, 200);
        assert!(!q.body.contains("Akun Anda diblokir"), "{forged} was shown");
        assert!(
            !q.body.contains("role=\"alert\""),
            "{forged} raised an alert"
        );
    }
    let page = app.get_with(&path, &[("cookie", &s.cookie)]).await;
    assert!(page.body.contains("Diverifikasi"), "still verified");
    // The next deadline in words ("Tanggapan pertama ke pelapor: paling lambat Senin, 7 Desember
    // 2026"), not an ISO date.
    let due = page
        .body
        .split("Tanggapan pertama ke pelapor</strong>: paling lambat ")
        .nth(1)
        .expect("the next deadline is shown");
    let weekdays = [
        "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
    ];
    assert!(
        weekdays.iter().any(|w| due.starts_with(w)),
        "{}",
        &due[..due.len().min(40)]
    );
    // With a reason it is done, and said.
    let r = app
        .call(
            "POST",
            "/staff/complaints/bulk",
            Body::Form(&[
                ("csrf", &s.csrf),
                ("action", "reject"),
                ("ids", &id),
                ("reason", "Bukan kewenangan unit ini."),
            ]),
            &[("cookie", &s.cookie)],
        )
        .await;
    let landed = r.header("location").unwrap();
    let q = app.get_with(&landed, &[("cookie", &s.cookie)]).await;
    assert!(
        q.body.contains("1 pengaduan diubah."),
        "{landed}: {}",
        q.body
    );
}

#[actix_web::test]
#[ignore = "needs aiosmtpd (python3 -m pip install aiosmtpd)"]
async fn mail_goes_through_a_real_smtp_server() {
    let port = SmtpServer::free_port();
    let smtp = SmtpServer::start(port).await;
    let url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[
        ("SUARA_MAIL_TRANSPORT", "smtp"),
        ("SUARA_SMTP_URL", &url),
        ("SUARA_MAIL_RETRY_MS", "200"),
    ])
    .await;
    app.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let id = file(
        &app,
        json!({"description": "Petugas menulis <b>tebal</b> & meminta biaya tambahan di loket."}),
    )
    .await;
    let msgs = smtp.wait_for(2, 10).await;
    assert_eq!(
        msgs.len(),
        2,
        "receipt to the citizen and a notice to the supervisor"
    );
    let receipt = msgs
        .iter()
        .find(|m| m.contains("To: sri@example.id"))
        .expect("receipt");
    assert!(receipt.contains(&id) && receipt.contains("Laporan"));
    let notice = msgs
        .iter()
        .find(|m| m.contains("To: sup@rsud.id"))
        .expect("supervisor notice");
    assert!(notice.contains("Pengaduan baru") && !notice.contains("sri@example.id"));
    let t = app.token_user("sup2@rsud.id", "supervisor", &[RSUD]).await;
    staff(
        &app,
        &t,
        "POST",
        &format!("/api/v1/staff/complaints/{id}/transitions"),
        Some(json!({"action": "verify", "note": "Kami cek <i>rekaman</i> CCTV."})),
    )
    .await;
    let msgs = smtp.wait_for(3, 10).await;
    let update = msgs
        .iter()
        .find(|m| m.contains("Diverifikasi"))
        .expect("status e-mail");
    let html = html_part(update);
    assert!(
        html.contains("Kami cek &lt;i&gt;rekaman&lt;&#x2F;i&gt; CCTV."),
        "HTML part escapes what staff typed: {html}"
    );
    assert!(!html.contains("<i>"), "no raw tag in the HTML part: {html}");
}

#[actix_web::test]
#[ignore = "needs aiosmtpd (python3 -m pip install aiosmtpd)"]
async fn smtp_down_then_up_loses_nothing_and_sends_once() {
    let port = SmtpServer::free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[
        ("SUARA_MAIL_TRANSPORT", "smtp"),
        ("SUARA_SMTP_URL", &url),
        ("SUARA_MAIL_RETRY_MS", "200"),
    ])
    .await;
    let mut ids = vec![];
    for _ in 0..3 {
        ids.push(file(&app, json!({})).await);
    }
    // The server is down: complaints are accepted, messages wait with their attempts counted.
    let db = &app.state.db;
    let tried = crate::helpers::wait_until(10, || async {
        let rows = suara::store::outbox::all(db).await.unwrap();
        rows.iter()
            .any(|r| r.attempts >= 1 && r.last_error.is_some())
    })
    .await;
    assert!(tried, "the worker tries the down server");
    let rows = suara::store::outbox::all(&app.state.db).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.sent_at.is_none()));
    assert!(
        rows.iter()
            .any(|r| r.attempts >= 1 && r.last_error.is_some())
    );
    let smtp = SmtpServer::start(port).await;
    let msgs = smtp.wait_for(3, 30).await;
    assert_eq!(msgs.len(), 3);
    for id in &ids {
        assert_eq!(
            msgs.iter().filter(|m| m.contains(id.as_str())).count(),
            1,
            "{id} sent exactly once"
        );
    }
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(smtp.messages().len(), 3, "nothing is sent twice");
    assert_eq!(
        suara::store::outbox::pending(&app.state.db).await.unwrap(),
        0
    );
    let rows = suara::store::outbox::all(&app.state.db).await.unwrap();
    assert!(
        rows.iter().all(|r| r.last_error.is_none()),
        "a sent message keeps no error"
    );
}

#[actix_web::test]
async fn bad_input_on_a_staff_page_is_a_4xx_not_a_500() {
    let app = spawn_app().await;
    let id = file(&app, json!({})).await;
    let pw = app.create_user("sup@rsud.id", "supervisor", &[RSUD]).await;
    let s = app.login("sup@rsud.id", &pw).await;
    let path = format!("/staff/complaints/{id}");
    let r = app
        .call(
            "POST",
            &path,
            Body::Form(&[("csrf", &s.csrf), ("op", "hapus-semua")]),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 400, "an unknown op is the client's mistake");
    assert!(r.body.contains("Permintaan tidak valid"));
}
