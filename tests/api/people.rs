//! The people of a unit: NIPs checked, kept by the unit's supervisors only, and each person's
//! JP counted from the files and statements of where they learned — once, however often sent.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, bearer, spawn_app};

pub(crate) const DUKCAPIL: &str = "disdukcapil-kota-jambi";
const SAMSAT: &str = "samsat-kota-jambi";
pub(crate) const SITI: &str = "198503122010012003";
pub(crate) const BUDI: &str = "199001152015031001";

async fn raw(
    app: &TestApp,
    token: &str,
    path: &str,
    ct: &'static str,
    body: &str,
    extra: &[(&str, &str)],
) -> (u16, Value) {
    crate::people_loop::send(app, &bearer(token), path, ct, body, extra).await
}

fn people(slug: &str) -> String {
    format!("/api/v1/units/{slug}/employees")
}

#[actix_web::test]
async fn nips_are_checked_and_people_are_the_units_own() {
    let app = spawn_app().await;
    let sup = app
        .token_user("kasi@capil.id", "supervisor", &[DUKCAPIL])
        .await;
    let other = app
        .token_user("kasi@samsat.id", "supervisor", &[SAMSAT])
        .await;
    let planner = app.token_user("plan@bkpsdm.id", "planner", &[]).await;
    let add = |nip: &str| json!({"nip": nip, "name": "Siti Aminah", "position": "Pengadministrasi Kependudukan", "competency_kind": "teknis"});
    for (nip, field_msg) in [
        ("19850312201001200", "18"),
        ("198502302010012003", "lahir"),
        ("198503122010013003", "jenis kelamin"),
        ("198503122002012003", "pengangkatan"),
    ] {
        let r = app
            .call_as(&sup, "POST", &people(DUKCAPIL), Some(&add(nip)))
            .await;
        assert_eq!(r.status, 422, "{nip}: {}", r.body);
        let msg = r.json()["fields"]["nip"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase();
        assert!(msg.contains(field_msg), "{nip}: {msg}");
    }
    let r = app
        .call_as(&sup, "POST", &people(DUKCAPIL), Some(&add(SITI)))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(
        app.call_as(&sup, "POST", &people(DUKCAPIL), Some(&add(SITI)))
            .await
            .status,
        422,
        "one NIP, one person"
    );
    // Another unit's supervisor: 404 for the list, the person and the file; planners read.
    assert_eq!(app.get_as(&other, &people(DUKCAPIL)).await.status, 404);
    assert_eq!(
        app.call_as(
            &other,
            "PATCH",
            &format!("/api/v1/employees/{id}"),
            Some(&json!({"position": "x"}))
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.call_as(&planner, "POST", &people(DUKCAPIL), Some(&add(BUDI)))
            .await
            .status,
        403
    );
    let list = app.get_as(&planner, &people(DUKCAPIL)).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json()[0]["nip"], SITI);
    // Many by CSV: the good rows kept, each bad one named.
    let file = format!(
        "nip,name,position,competency_kind,email\n{BUDI},Budi Santoso,Operator,teknis,budi@capil.id\n123,Tidak Sah,Operator,teknis,\n"
    );
    let (status, v) = raw(&app, &sup, &people(DUKCAPIL), "text/csv", &file, &[]).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (v["created"].clone(), v["rejected"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(v["problems"][0]["index"], 1);
    // Archived people leave the list; the NIP cannot be edited.
    let r = app
        .call_as(
            &sup,
            "PATCH",
            &format!("/api/v1/employees/{id}"),
            Some(&json!({"archived": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let names: Vec<Value> = app
        .get_as(&sup, &people(DUKCAPIL))
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["nip"].clone())
        .collect();
    assert_eq!(names, [json!(BUDI)]);
    let r = app
        .call_as(
            &sup,
            "PATCH",
            &format!("/api/v1/employees/{id}"),
            Some(&json!({"nip": BUDI})),
        )
        .await;
    assert_eq!(r.status, 422);
    // Never on a public page.
    for path in [format!("/u/{DUKCAPIL}"), format!("/u/{DUKCAPIL}/hasil")] {
        assert!(!app.get(&path).await.body.contains(SITI));
    }
}

#[actix_web::test]
async fn jp_from_files_and_xapi_counts_once_and_unknowns_wait_to_be_mapped() {
    let app = spawn_app().await;
    let sup = app
        .token_user("kasi@capil.id", "supervisor", &[DUKCAPIL])
        .await;
    let planner = app.token_user("plan@bkpsdm.id", "planner", &[]).await;
    for (nip, name) in [(SITI, "Siti Aminah"), (BUDI, "Budi Santoso")] {
        let r = app
            .call_as(&sup, "POST", &people(DUKCAPIL), Some(&json!({"nip": nip, "name": name, "position": "Operator", "competency_kind": "teknis"})))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    use chrono::Datelike;
    let year = suara::service::today_wib().year();
    // SIASN's shape: Siti 16 + 8 JP; one row for a NIP Suara does not know.
    let file = format!(
        "nip,namaKursus,jumlahJam,jenisKursus,tanggalKursus,tanggalSelesaiKursus,institusiPenyelenggara,tahunKursus\n\
         {SITI},Pelayanan Prima,16,Kursus,{year}-03-02,{year}-03-03,BPSDMD,{year}\n\
         {SITI},Coaching BerAKHLAK,8,Kursus,{year}-04-05,{year}-04-06,BPSDMD,{year}\n\
         197001012000011001,Pelayanan Prima,16,Kursus,{year}-03-02,{year}-03-03,BPSDMD,{year}\n\
         {BUDI},Tanpa Jam,,Kursus,{year}-03-02,{year}-03-03,BPSDMD,{year}\n"
    );
    let (status, v) = raw(
        &app,
        &planner,
        "/api/v1/learning/records?format=siasn",
        "text/csv",
        &file,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (
            v["accepted"].clone(),
            v["rejected"].clone(),
            v["unmapped"].clone()
        ),
        (json!(3), json!(1), json!(1)),
        "{v}"
    );
    let (_, again) = raw(
        &app,
        &planner,
        "/api/v1/learning/records?format=siasn",
        "text/csv",
        &file,
        &[],
    )
    .await;
    assert_eq!(
        (again["accepted"].clone(), again["duplicates"].clone()),
        (json!(0), json!(3))
    );
    // A supervisor does not deliver records.
    let (status, _) = raw(
        &app,
        &sup,
        "/api/v1/learning/records",
        "text/csv",
        &file,
        &[],
    )
    .await;
    assert_eq!(status, 403);
    // xAPI: Budi completed the pelayanan-prima programme (16 JP in the catalogue) and an
    // activity Suara does not know.
    let actor = json!({"objectType": "Agent", "account": {"homePage": "https://elearning.jambiprov.go.id", "name": BUDI}});
    let statements = json!([
        {"id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee", "actor": actor, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
         "object": {"id": "https://elearning.jambiprov.go.id/course/pelayanan-prima"}, "timestamp": format!("{year}-05-02T03:00:00Z")},
        {"id": "7790e6c9-3ef0-4ed3-8b37-7f3964730bee", "actor": actor, "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
         "object": {"id": "https://elearning.jambiprov.go.id/course/kursus-lain"}, "timestamp": format!("{year}-05-03T03:00:00Z")}
    ]);
    let xapi = |body: Value| {
        let (app, planner) = (&app, &planner);
        async move {
            raw(
                app,
                planner,
                "/api/v1/xapi/statements",
                "application/json",
                &body.to_string(),
                &[("x-experience-api-version", "1.0.3")],
            )
            .await
        }
    };
    let (status, ids) = xapi(statements.clone()).await;
    assert_eq!(status, 200, "{ids}");
    assert_eq!(
        ids,
        json!([
            "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
            "7790e6c9-3ef0-4ed3-8b37-7f3964730bee"
        ])
    );
    xapi(statements).await;
    let (status, _) = raw(
        &app,
        &planner,
        "/api/v1/xapi/statements",
        "application/json",
        "{}",
        &[],
    )
    .await;
    assert_eq!(status, 400, "the version header is required");

    let list = app
        .get_as(&sup, &format!("{}?year={year}", people(DUKCAPIL)))
        .await
        .json();
    let jp = |nip: &str| {
        let p = list
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["nip"] == nip)
            .unwrap();
        (
            p["jp_done"].as_i64().unwrap(),
            p["meets_minimum"].as_bool().unwrap(),
        )
    };
    assert_eq!(jp(SITI), (24, true), "{list}");
    assert_eq!(
        jp(BUDI),
        (16, false),
        "the unknown activity has no JP yet: {list}"
    );
    let unmapped = app
        .get_as(&planner, "/api/v1/learning/unmapped")
        .await
        .json();
    let courses: Vec<&str> = unmapped
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["course"].as_str().unwrap())
        .collect();
    assert!(
        courses.contains(&"https://elearning.jambiprov.go.id/course/kursus-lain"),
        "{unmapped}"
    );
    assert!(
        unmapped
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["nip"] == "197001012000011001" && u["unknown_person"] == true)
    );

    // The SIASN file reads back the records with their JP.
    let r = app
        .get_as(
            &sup,
            &format!("/api/v1/units/{DUKCAPIL}/employees/siasn?year={year}"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut rd = csv::Reader::from_reader(r.body.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "nip",
            "namaKursus",
            "jumlahJam",
            "jenisKursus",
            "tanggalKursus",
            "tanggalSelesaiKursus",
            "institusiPenyelenggara",
            "tahunKursus"
        ]
    );
    let rows: Vec<Vec<String>> = rd
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let total: i64 = rows.iter().map(|r| r[2].parse::<i64>().unwrap()).sum();
    assert_eq!(total, 40, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r[0] == SITI && r[1] == "Pelayanan Prima" && r[5] == format!("{year}-03-03"))
    );
    // As a workbook for people.
    let x = app
        .get_as(
            &sup,
            &format!("/api/v1/units/{DUKCAPIL}/employees/siasn?year={year}&format=xlsx"),
        )
        .await;
    assert_eq!(x.status, 200);
    // Someone added after their course was reported: it counts for them.
    let late = "197001012000011001";
    let r = app
        .call_as(&sup, "POST", &people(DUKCAPIL), Some(&json!({"nip": late, "name": "Ahmad", "position": "Kasi", "competency_kind": "manajerial"})))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["jp_done"], 16);
}

#[actix_web::test]
async fn the_planner_sees_who_is_short_of_20_jp() {
    let app = spawn_app().await;
    let sup = app
        .token_user("kasi@capil.id", "supervisor", &[DUKCAPIL])
        .await;
    for (nip, name) in [(SITI, "Siti Aminah"), (BUDI, "Budi Santoso")] {
        app.call_as(&sup, "POST", &people(DUKCAPIL), Some(&json!({"nip": nip, "name": name, "position": "Operator", "competency_kind": "teknis"})))
            .await;
    }
    use chrono::Datelike;
    let year = suara::service::today_wib().year();
    let admin = app.token_user("admin@bkpsdm.id", "admin", &[]).await;
    let file = format!(
        "nip,namaKursus,jumlahJam,tanggalSelesaiKursus\n{SITI},Pelayanan Prima,24,{year}-01-02\n"
    );
    let (status, v) = raw(
        &app,
        &admin,
        "/api/v1/learning/records",
        "text/csv",
        &file,
        &[],
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let pw = app.create_user("plan@bkpsdm.id", "planner", &[]).await;
    let s = app.login("plan@bkpsdm.id", &pw).await;
    let page = app
        .get_with(
            &format!("/planner/jp?year={year}"),
            &[("cookie", s.cookie.as_str())],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    // One of two at 20 JP done: 50%; Budi is listed as short, Siti is not.
    assert!(page.body.contains("1 (50%)"), "{}", page.body);
    let short = &page.body[page.body.find("Belum mencapai 20 JP").unwrap()..];
    assert!(
        short.contains("Budi Santoso") && !short.contains("Siti Aminah"),
        "{short}"
    );
    assert!(!page.body.contains(SITI), "no NIP on the page");
}

#[actix_web::test]
async fn a_needs_round_from_link_to_confirmed_need_to_planned_jp() {
    let app = spawn_app().await;
    let sup = app
        .token_user("kasi@capil.id", "supervisor", &[DUKCAPIL])
        .await;
    let other = app
        .token_user("kasi@samsat.id", "supervisor", &[SAMSAT])
        .await;
    let planner = app.token_user("plan@bkpsdm.id", "planner", &[]).await;
    let mut ids = vec![];
    for (nip, name) in [(SITI, "Siti Aminah"), (BUDI, "Budi Santoso")] {
        let r = app
            .call_as(&sup, "POST", &people(DUKCAPIL), Some(&json!({"nip": nip, "name": name, "position": "Operator", "competency_kind": "teknis"})))
            .await;
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    // Budi has an address: his link also goes by e-mail.
    let r = app
        .call_as(
            &sup,
            "PATCH",
            &format!("/api/v1/employees/{}", ids[1]),
            Some(&json!({"email": "budi@capil.id"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    use chrono::Datelike;
    let year = suara::service::today_wib().year();
    let rounds = format!("/api/v1/units/{DUKCAPIL}/need-rounds");
    assert_eq!(
        app.call_as(&planner, "POST", &rounds, Some(&json!({"year": year})))
            .await
            .status,
        403
    );
    assert_eq!(
        app.call_as(&other, "POST", &rounds, Some(&json!({"year": year})))
            .await
            .status,
        404
    );
    let r = app
        .call_as(&sup, "POST", &rounds, Some(&json!({"year": year})))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let round = r.json();
    let links = round["links"].as_array().unwrap().clone();
    assert_eq!(links.len(), 2);
    let budi = links.iter().find(|l| l["name"] == "Budi Santoso").unwrap();
    assert_eq!(budi["emailed"], true);
    let mail = entity::outbox::Entity::find()
        .filter(entity::outbox::Column::Kind.eq("needs_link"))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(mail.len(), 1, "only Budi has an address");
    assert_eq!(mail[0].to_addr, "budi@capil.id");
    assert!(
        mail[0].body_text.contains(budi["url"].as_str().unwrap()),
        "{}",
        mail[0].body_text
    );
    let siti = links.iter().find(|l| l["name"] == "Siti Aminah").unwrap();
    assert_eq!(siti["emailed"], false);
    let path = siti["url"]
        .as_str()
        .unwrap()
        .split_once("/n/")
        .map(|(_, t)| format!("/n/{t}"))
        .unwrap();

    // Siti's page: her name, no account, no NIP.
    let page = app.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Siti Aminah") && !page.body.contains(SITI));
    // A level out of range comes back with her choices kept and the field named.
    let bad = [
        ("c1", "pelayanan-prima"),
        ("c1_current", "9"),
        ("c1_needed", "3"),
        ("wish", "Cara menghadapi warga yang marah"),
        ("method", "coaching"),
    ];
    let r = app.call("POST", &path, Body::Form(&bad), &[]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("Cara menghadapi warga yang marah")
            && r.body.contains(r#"value="coaching" selected"#),
        "{}",
        r.body
    );
    let good = [
        ("c1", "pelayanan-prima"),
        ("c1_current", "2"),
        ("c1_needed", "4"),
        ("wish", "Cara menghadapi warga yang marah"),
        ("method", "coaching"),
    ];
    let r = app.call("POST", &path, Body::Form(&good), &[]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Terima kasih"), "{}", r.body);
    // A double tap lands on the same thanks and stores nothing twice; the link is then closed.
    let again = app.call("POST", &path, Body::Form(&good), &[]).await;
    assert_eq!(again.status, 200);
    assert!(
        app.get(&path).await.body.contains("sudah"),
        "the link says it was used"
    );
    assert_eq!(app.get("/n/bukan-tautan").await.status, 404);

    // The supervisor sees who answered, and confirms a programme for her.
    let id = round["id"].as_i64().unwrap();
    let status = app
        .get_as(&sup, &format!("/api/v1/need-rounds/{id}"))
        .await
        .json();
    assert_eq!(status["answered"], 1, "{status}");
    let siti_status = status["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Siti Aminah")
        .unwrap()
        .clone();
    assert_eq!(siti_status["own"]["competencies"][0]["needed"], 4);
    assert_eq!(siti_status["own"]["method"], "coaching");
    assert_eq!(
        app.get_as(&other, &format!("/api/v1/need-rounds/{id}"))
            .await
            .status,
        404
    );
    assert_eq!(
        app.get_as(&planner, &format!("/api/v1/need-rounds/{id}"))
            .await
            .status,
        200
    );
    // A colleague adds their view of Siti through a link of their own.
    let r = app
        .call_as(
            &sup,
            "POST",
            &format!("/api/v1/need-rounds/{id}/colleague-links"),
            Some(&json!({"employee_id": ids[0]})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let colleague = r.json()["url"]
        .as_str()
        .unwrap()
        .split_once("/n/")
        .map(|(_, t)| format!("/n/{t}"))
        .unwrap();
    let page = app.get(&colleague).await;
    assert!(
        page.body
            .contains("Pandangan rekan kerja tentang Siti Aminah"),
        "{}",
        page.body
    );
    let view = [
        ("c1", "pelayanan-prima"),
        ("c1_current", "3"),
        ("c1_needed", "4"),
        ("wish", "Lebih sabar saat antrean panjang"),
    ];
    assert_eq!(
        app.call("POST", &colleague, Body::Form(&view), &[])
            .await
            .status,
        200
    );
    let status = app
        .get_as(&sup, &format!("/api/v1/need-rounds/{id}"))
        .await
        .json();
    let siti_status = status["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Siti Aminah")
        .unwrap()
        .clone();
    assert_eq!(
        siti_status["colleague"]["wish"], "Lebih sabar saat antrean panjang",
        "{siti_status}"
    );
    assert_eq!(
        siti_status["own"]["method"], "coaching",
        "her own answer stands"
    );
    let confirm = format!("/api/v1/need-rounds/{id}/confirmations");
    let r = app
        .call_as(
            &sup,
            "POST",
            &confirm,
            Some(&json!({"employee_id": ids[0], "programme": "tidak-ada"})),
        )
        .await;
    assert_eq!(r.status, 422);
    let r = app
        .call_as(
            &sup,
            "POST",
            &confirm,
            Some(&json!({"employee_id": ids[0], "programme": "pelayanan-prima"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Budi did not answer: his supervisor adds a course by name with its JP.
    let r = app
        .call_as(
            &sup,
            "POST",
            &confirm,
            Some(&json!({"employee_id": ids[1], "course": "Bimtek SIAK Terpusat", "jp": 12})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        app.call_as(
            &planner,
            "POST",
            &confirm,
            Some(&json!({"employee_id": ids[1], "course": "x", "jp": 1}))
        )
        .await
        .status,
        403
    );
    let list = app
        .get_as(&sup, &format!("{}?year={year}", people(DUKCAPIL)))
        .await
        .json();
    let planned = |name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()["jp_planned"]
            .clone()
    };
    assert_eq!(planned("Siti Aminah"), 16, "{list}");
    assert_eq!(planned("Budi Santoso"), 12);
}
