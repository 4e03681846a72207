//! Open311 GeoReport v2 under `/open311/v2`, over real HTTP: discovery, services (JSON and
//! XML), a definition, a POST with a staff API token and its GET, a bad key, the filters, and
//! what must never leak (a `rahasia` complaint, contact details, the citizen's text).
use serde_json::{Value, json};

use crate::helpers::{Body, Resp, TestApp, random_suffix, spawn_app};

const RSUD: &str = "rsud-raden-mattaher";
const DESCRIPTION: &str = "Antrean di loket pendaftaran poliklinik anak lebih dari tiga jam.";

/// A minimal well-formedness check: one prolog, one root, every tag closed in order, no raw
/// `<` or stray `&` in text. Returns the root element's name.
fn well_formed(xml: &str) -> String {
    let rest = xml
        .strip_prefix(r#"<?xml version="1.0" encoding="utf-8"?>"#)
        .unwrap_or_else(|| panic!("XML prolog: {xml}"));
    let mut stack: Vec<String> = vec![];
    let mut root = None;
    let mut i = 0;
    let b = rest.as_bytes();
    while i < b.len() {
        if b[i] == b'<' {
            let end = rest[i..].find('>').expect("tag closes") + i;
            let tag = &rest[i + 1..end];
            assert!(!tag.contains('<'), "nested < in tag: {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(name),
                    "closing tag order in {xml}"
                );
            } else {
                let self_closing = tag.ends_with('/');
                let name = tag.trim_end_matches('/').to_string();
                assert!(
                    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                    "tag name {name:?}"
                );
                if stack.is_empty() {
                    assert!(root.is_none(), "one root element: {xml}");
                    root = Some(name.clone());
                }
                if !self_closing {
                    stack.push(name);
                }
            }
            i = end + 1;
        } else {
            assert!(!stack.is_empty(), "text outside the root: {xml}");
            if b[i] == b'&' {
                let entity = &rest[i..rest[i..].find(';').expect("entity ends") + i + 1];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity),
                    "entity {entity}"
                );
            }
            let c = rest[i..].chars().next().unwrap();
            assert!(
                !c.is_control() || "\t\n\r".contains(c),
                "control character in {xml}"
            );
            i += c.len_utf8();
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    root.expect("a root element")
}

fn is_json(r: &Resp) -> bool {
    r.header("content-type").as_deref() == Some("application/json; charset=utf-8")
}

fn is_xml(r: &Resp) -> bool {
    r.header("content-type").as_deref() == Some("text/xml; charset=utf-8")
}

/// An error answer: `[{code, description}]` with that code as the status.
fn assert_error(r: &Resp, code: u16) -> String {
    assert_eq!(r.status, code, "{}", r.body);
    assert!(is_json(r), "{:?}", r.header("content-type"));
    let v = r.json();
    let list = v.as_array().expect("a list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["code"], code);
    list[0]["description"]
        .as_str()
        .expect("a description")
        .to_string()
}

async fn staff_token(app: &TestApp) -> String {
    app.token_user(&format!("o311-{}@x.id", random_suffix()), "admin", &[])
        .await
}

async fn post(app: &TestApp, fmt: &str, form: &[(&str, &str)]) -> Resp {
    app.call(
        "POST",
        &format!("/open311/v2/requests.{fmt}"),
        Body::Form(form),
        &[],
    )
    .await
}

async fn file_json(app: &TestApp, extra: Value) -> String {
    let mut c = json!({
        "unit": RSUD,
        "kind": "pengaduan",
        "category": "waktu_tunggu",
        "description": DESCRIPTION,
        "contact": {"name": "Sri Wahyuni", "email": "sri@example.id", "phone": "0812-7000-1234"},
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    let r = app.post_json("/api/v1/complaints", &c).await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["tracking_id"].as_str().unwrap().to_string()
}

#[actix_web::test]
async fn open311_discovery_and_services_in_json_and_xml() {
    let app = spawn_app().await;
    let r = app.get("/open311/v2/discovery.json").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(is_json(&r));
    let d = r.json();
    let ep = &d["endpoints"][0];
    assert_eq!(ep["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert!(ep["url"].as_str().unwrap().ends_with("/open311/v2"));
    assert_eq!(ep["formats"], json!(["text/xml", "application/json"]));
    assert!(d["changeset"].as_str().unwrap().ends_with("+07:00"));
    let r = app.get("/open311/v2/discovery.xml").await;
    assert_eq!(r.status, 200);
    assert!(is_xml(&r));
    assert_eq!(well_formed(&r.body), "discovery");
    assert!(
        r.body.contains(
            "<formats><format>text/xml</format><format>application/json</format></formats>"
        )
    );

    let r = app.get("/open311/v2/services.json").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(is_json(&r));
    let list = r.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 10);
    let wt = list
        .iter()
        .find(|s| s["service_code"] == "waktu_tunggu")
        .expect("the waiting-time category");
    assert_eq!(wt["service_name"], "Waktu tunggu terlalu lama");
    assert_eq!(wt["group"], "pengaduan");
    assert_eq!(wt["metadata"], true);
    assert_eq!(wt["type"], "realtime");
    let en = app.get("/open311/v2/services.json?lang=en").await.json();
    assert_eq!(en[0]["service_name"], "Waiting too long");

    let r = app.get("/open311/v2/services.xml").await;
    assert_eq!(r.status, 200);
    assert!(is_xml(&r));
    assert_eq!(well_formed(&r.body), "services");
    assert!(r.body.contains(
        "<service><service_code>waktu_tunggu</service_code><service_name>Waktu tunggu terlalu lama</service_name>"
    ));
    assert_eq!(r.body.matches("<service>").count(), 10);

    // The definition: the unit is a required single-value list.
    let r = app.get("/open311/v2/services/waktu_tunggu.json").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let def = r.json();
    assert_eq!(def["service_code"], "waktu_tunggu");
    let unit = &def["attributes"][0];
    assert_eq!(unit["code"], "unit");
    assert_eq!(unit["datatype"], "singlevaluelist");
    assert_eq!(unit["required"], true);
    assert_eq!(unit["variable"], true);
    assert!(
        unit["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["key"] == RSUD)
    );
    let r = app.get("/open311/v2/services/waktu_tunggu.xml").await;
    assert_eq!(well_formed(&r.body), "service_definition");
    assert!(r.body.contains(&format!("<value><key>{RSUD}</key>")));

    // Unknown things are GeoReport 404s, in the format asked for.
    assert_error(&app.get("/open311/v2/services/no_such.json").await, 404);
    let r = app.get("/open311/v2/services/no_such.xml").await;
    assert_eq!(r.status, 404);
    assert!(is_xml(&r));
    assert_eq!(well_formed(&r.body), "errors");
    assert!(r.body.contains("<error><code>404</code><description>"));
    assert_error(&app.get("/open311/v2/services.html").await, 404);
    assert_error(&app.get("/open311/v2/nothing-here.json").await, 404);
    assert_error(&app.get("/open311/v2/services/a%00b.json").await, 404);

    // The jurisdiction: ours (the base URL's host), another (400), or empty (as if absent).
    assert_eq!(
        app.get("/open311/v2/services.json?jurisdiction_id=127.0.0.1")
            .await
            .status,
        200
    );
    let d = assert_error(
        &app.get("/open311/v2/services.json?jurisdiction_id=elsewhere.example")
            .await,
        400,
    );
    assert!(d.contains("jurisdiction_id"), "{d}");
    assert_eq!(
        app.get("/open311/v2/services.json?jurisdiction_id=")
            .await
            .status,
        200
    );
    // A control character in a parameter is a 400, never a query.
    let d = assert_error(&app.get("/open311/v2/requests.json?status=%00").await, 400);
    assert!(d.contains("status"), "{d}");
}

#[actix_web::test]
async fn open311_a_post_its_get_and_a_bad_key() {
    let app = spawn_app().await;
    let token = staff_token(&app).await;
    let r = post(
        &app,
        "json",
        &[
            ("api_key", &token),
            ("service_code", "waktu_tunggu"),
            ("attribute[unit]", RSUD),
            ("description", DESCRIPTION),
            ("email", "budi@example.id"),
            ("phone", "0812-3456-7890"),
            ("first_name", "Budi"),
            ("last_name", "Santoso"),
            ("lat", "-1.61"),
            ("long", "103.61"),
            ("address_string", ""),
            ("device_id", ""),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(is_json(&r));
    let answer = r.json();
    let id = answer[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(id.starts_with("SRA-"), "{id}");
    assert!(answer[0]["service_notice"].is_string());

    // Stored as a complaint from the open311 channel, kind pengaduan, with its contact.
    let c = suara::store::complaints::by_tracking_id(&app.state.db, &id)
        .await
        .unwrap()
        .expect("the complaint");
    assert_eq!(c.channel, "open311");
    assert_eq!(c.kind, "pengaduan");
    assert!(!c.rahasia && !c.anonim);
    assert_eq!(c.contact_email.as_deref(), Some("budi@example.id"));
    assert_eq!(c.contact_name.as_deref(), Some("Budi Santoso"));

    // Its GET: open, its category and unit, no contact, no description.
    let r = app.get(&format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(is_json(&r));
    let v = r.json();
    let req = &v[0];
    assert_eq!(req["service_request_id"], id.as_str());
    assert_eq!(req["status"], "open");
    assert_eq!(req["service_code"], "waktu_tunggu");
    assert_eq!(req["status_notes"], "Diterima");
    assert!(
        req["agency_responsible"]
            .as_str()
            .unwrap()
            .contains("Mattaher")
    );
    assert!(
        req["requested_datetime"]
            .as_str()
            .unwrap()
            .ends_with("+07:00")
    );
    assert!(
        req["expected_datetime"]
            .as_str()
            .unwrap()
            .ends_with("+07:00")
    );
    assert!(req["description"].is_null());
    for secret in ["budi", "santoso", "3456-7890", "antrean"] {
        assert!(
            !r.body.to_lowercase().contains(secret),
            "{secret} leaked: {}",
            r.body
        );
    }
    let r = app.get(&format!("/open311/v2/requests/{id}.xml")).await;
    assert!(is_xml(&r));
    assert_eq!(well_formed(&r.body), "service_requests");
    assert!(r.body.contains(&format!(
        "<request><service_request_id>{id}</service_request_id><status>open</status>"
    )));
    assert!(r.body.contains("<description/>"));
    // The token is the tracking ID.
    let t = app.get(&format!("/open311/v2/tokens/{id}.json")).await;
    assert_eq!(t.status, 200, "{}", t.body);
    assert_eq!(t.json(), json!([{"service_request_id": id, "token": id}]));
    assert_error(&app.get("/open311/v2/tokens/SRA-2222-2222.json").await, 404);
    assert_error(&app.get("/open311/v2/requests/hello.json").await, 404);

    // In the list, by ID, by code, by status; an empty filter is no filter.
    let ids = |r: Resp| -> Vec<String> {
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["service_request_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids(app.get("/open311/v2/requests.json").await).contains(&id));
    assert_eq!(
        ids(app
            .get(&format!(
                "/open311/v2/requests.json?service_request_id={},SRA-2222-2222&status=closed",
                id.to_lowercase()
            ))
            .await),
        [id.as_str()]
    );
    assert!(
        ids(app
            .get("/open311/v2/requests.json?service_code=waktu_tunggu,prosedur&status=open")
            .await)
        .contains(&id)
    );
    assert!(
        !ids(app
            .get("/open311/v2/requests.json?service_code=prosedur")
            .await)
        .contains(&id)
    );
    assert!(!ids(app.get("/open311/v2/requests.json?status=closed").await).contains(&id));
    assert!(
        ids(app
            .get("/open311/v2/requests.json?status=&service_code=&start_date=&end_date=&service_request_id=")
            .await)
        .contains(&id)
    );
    let today = suara::domain::calendar::wib_date(chrono::Utc::now());
    let from = today - chrono::Duration::days(1);
    assert!(
        ids(app
            .get(&format!(
                "/open311/v2/requests.json?start_date={from}T00:00:00%2B07:00&end_date={today}"
            ))
            .await)
        .contains(&id)
    );
    assert!(
        ids(app
            .get(&format!("/open311/v2/requests.json?end_date={from}"))
            .await)
        .is_empty()
    );
    let d = assert_error(
        &app.get("/open311/v2/requests.json?start_date=2026-01-01&end_date=2026-12-01")
            .await,
        400,
    );
    assert!(d.contains("90"), "{d}");
    assert_error(&app.get("/open311/v2/requests.json?status=done").await, 400);
    assert_error(
        &app.get("/open311/v2/requests.json?start_date=yesterday")
            .await,
        400,
    );
    let r = app.get("/open311/v2/requests.xml").await;
    assert_eq!(well_formed(&r.body), "service_requests");

    // A bad key, no key, a revoked-looking key: 403, before anything else is looked at.
    for form in [
        vec![
            ("api_key", "sua_not-a-token"),
            ("service_code", "waktu_tunggu"),
        ],
        vec![("service_code", "waktu_tunggu")],
        vec![("api_key", ""), ("service_code", "nothing")],
    ] {
        let d = assert_error(&post(&app, "json", &form).await, 403);
        assert!(d.contains("api_key"), "{d}");
    }
    let r = post(&app, "xml", &[("api_key", "wrong")]).await;
    assert_eq!(r.status, 403);
    assert!(is_xml(&r));
    assert_eq!(well_formed(&r.body), "errors");

    // The intake's rules, as 400s naming the GeoReport field.
    let base = [
        ("api_key", token.as_str()),
        ("service_code", "waktu_tunggu"),
        ("attribute[unit]", RSUD),
        ("description", DESCRIPTION),
    ];
    let without = |name: &str| -> Vec<(&str, &str)> {
        base.iter().filter(|(k, _)| *k != name).cloned().collect()
    };
    let d = assert_error(&post(&app, "json", &without("attribute[unit]")).await, 400);
    assert!(d.contains("attribute[unit]"), "{d}");
    let d = assert_error(&post(&app, "json", &without("service_code")).await, 400);
    assert!(d.contains("service_code"), "{d}");
    let mut short = without("description");
    short.push(("description", "terlalu pendek"));
    let d = assert_error(&post(&app, "json", &short).await, 400);
    assert!(d.contains("description"), "{d}");
    let mut other = base.to_vec();
    other.push(("jurisdiction_id", "elsewhere.example"));
    assert_error(&post(&app, "json", &other).await, 400);
    let mut bad_unit = without("attribute[unit]");
    bad_unit.push(("attribute[unit]", "no-such-unit"));
    assert_error(&post(&app, "json", &bad_unit).await, 400);
    let mut nul = without("description");
    let with_nul = format!("{DESCRIPTION}\u{0}");
    nul.push(("description", &with_nul));
    assert_error(&post(&app, "json", &nul).await, 400);
    // XML answer to a POST, and a JSON body is not a form.
    let r = post(&app, "xml", &base).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(well_formed(&r.body), "service_requests");
    assert!(r.body.contains("<service_request_id>SRA-"));
    let r = app
        .call(
            "POST",
            "/open311/v2/requests.json",
            Body::Json(&json!({"api_key": token})),
            &[],
        )
        .await;
    assert_error(&r, 400);

    // The same Idempotency-Key and fields answer the first request again.
    let key = format!("k-{}", random_suffix());
    let mut first = None;
    for _ in 0..2 {
        let r = app
            .call(
                "POST",
                "/open311/v2/requests.json",
                Body::Form(&base),
                &[("idempotency-key", &key)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let got = r.json()[0]["service_request_id"].clone();
        assert_eq!(*first.get_or_insert(got.clone()), got);
    }
}

#[actix_web::test]
async fn open311_never_shows_a_rahasia_complaint_or_contact_details() {
    let app = spawn_app().await;
    let secret = file_json(&app, json!({"rahasia": true})).await;
    let open = file_json(&app, json!({})).await;
    let anonymous = file_json(&app, json!({"anonim": true})).await;

    let list = app.get("/open311/v2/requests.json").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains(&open) && list.body.contains(&anonymous));
    assert!(
        !list.body.contains(&secret),
        "rahasia listed: {}",
        list.body
    );
    let by_id = app
        .get(&format!(
            "/open311/v2/requests.json?service_request_id={secret},{open}"
        ))
        .await;
    assert!(by_id.body.contains(&open) && !by_id.body.contains(&secret));
    assert_error(
        &app.get(&format!("/open311/v2/requests/{secret}.json"))
            .await,
        404,
    );
    assert_error(
        &app.get(&format!("/open311/v2/tokens/{secret}.json")).await,
        404,
    );
    let xml = app.get("/open311/v2/requests.xml").await;
    assert!(!xml.body.contains(&secret));

    for body in [
        list.body.to_lowercase(),
        xml.body.to_lowercase(),
        app.get(&format!("/open311/v2/requests/{open}.json"))
            .await
            .body
            .to_lowercase(),
    ] {
        for leak in ["sri", "wahyuni", "example.id", "0812", "antrean", "contact"] {
            assert!(!body.contains(leak), "{leak} leaked: {body}");
        }
    }
}

#[actix_web::test]
async fn open311_operations_are_in_the_openapi_document() {
    let app = spawn_app().await;
    let doc = app.get("/api/openapi.json").await.json();
    let paths = doc["paths"].as_object().unwrap();
    let mut ours: Vec<(&str, &str)> = vec![];
    for (path, item) in paths.iter().filter(|(p, _)| p.starts_with("/open311/")) {
        for m in ["get", "post"] {
            if let Some(op) = item.get(m) {
                ours.push((m, path.as_str()));
                for (status, r) in op["responses"].as_object().unwrap() {
                    let schema = &r["content"]["application/json"]["schema"];
                    if status.starts_with('4') {
                        assert_eq!(
                            schema["items"]["$ref"], "#/components/schemas/Open311ErrorItem",
                            "{m} {path} {status}"
                        );
                    } else {
                        assert!(schema.is_object(), "{m} {path} {status}: {r}");
                    }
                }
            }
        }
    }
    ours.sort();
    assert_eq!(
        ours,
        [
            ("get", "/open311/v2/discovery.json"),
            ("get", "/open311/v2/requests.json"),
            ("get", "/open311/v2/requests/{service_request_id}.json"),
            ("get", "/open311/v2/services.json"),
            ("get", "/open311/v2/services/{service_code}.json"),
            ("get", "/open311/v2/tokens/{token}.json"),
            ("post", "/open311/v2/requests.json"),
        ]
    );
    let post = &paths["/open311/v2/requests.json"]["post"];
    let form = &post["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"];
    assert_eq!(form["$ref"], "#/components/schemas/Open311RequestIn");
    let required = &doc["components"]["schemas"]["Open311RequestIn"]["required"];
    for f in ["api_key", "service_code", "attribute[unit]"] {
        assert!(
            required.as_array().unwrap().iter().any(|r| r == f),
            "{f} required: {required}"
        );
    }
    // Every documented GET without a path parameter answers 200 as documented.
    for (m, path) in &ours {
        if *m == "get" && !path.contains('{') {
            let r = app.get(path).await;
            assert_eq!(r.status, 200, "{path}: {}", r.body);
            assert!(is_json(&r));
        }
    }
}
