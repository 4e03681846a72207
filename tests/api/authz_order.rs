//! Authorisation before validation, over the whole OpenAPI document: every staff operation names
//! the roles it admits (the scopes of its `staff` security requirement), and a role it does not
//! admit gets 403 whatever it sends — half-filled, wrongly typed or malformed — never the 400 or
//! 422 that would describe the input. A supervisor sent to another unit's resource gets the
//! project's 404 (README: other units answer 404, not 403). The roles are read from the document,
//! so an operation added with roles that the code does not enforce, or without roles, fails here.
use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::{Body, TestApp, multipart, spawn_app};

/// The unit whose resources fill the paths: a complaint with an attachment, a reply template
/// and a training recommendation live there.
const THEIRS: &str = "disdukcapil-kota-jambi";
/// The unit the walking supervisor supervises.
const MINE: &str = "samsat-kota-jambi";
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
const ROLES: [&str; 3] = ["admin", "supervisor", "planner"];

/// Real values for every path parameter the document uses, by parameter and path.
struct Ids {
    agency: String,
    service: String,
    survey: String,
    competency: String,
    programme: String,
    rule: String,
    holiday: String,
    tracking_id: String,
    attachment: String,
    template: String,
    recommendation: String,
    follow_up: String,
    employee: String,
    round: String,
    source: String,
}

impl Ids {
    fn value(&self, path: &str, param: &str) -> Option<String> {
        let v = match param {
            "slug" if path.starts_with("/api/v1/admin/agencies/") => &self.agency,
            "slug" => THEIRS,
            "service" => &self.service,
            "code" if path.starts_with("/api/v1/admin/surveys/") => &self.survey,
            "code" if path.starts_with("/api/v1/admin/competencies/") => &self.competency,
            "code" if path.starts_with("/api/v1/admin/training-programmes/") => &self.programme,
            "code" if path.starts_with("/api/v1/admin/training-rules/") => &self.rule,
            "version" => "1",
            "date" => &self.holiday,
            "tracking_id" => &self.tracking_id,
            "id" if path.contains("/attachments/") => &self.attachment,
            "id" if path.contains("/reply-templates/") => &self.template,
            "id" if path.starts_with("/api/v1/training/recommendations/") => &self.recommendation,
            "id" if path.starts_with("/api/v1/follow-ups/") => &self.follow_up,
            "id" if path.starts_with("/api/v1/employees/") => &self.employee,
            "id" if path.starts_with("/api/v1/need-rounds/") => &self.round,
            "id" if path.starts_with("/api/v1/learning/sources/") => &self.source,
            "employee_id" => &self.employee,
            "action" => "accept",
            _ => return None,
        };
        Some(v.to_string())
    }

    /// The path with every `{param}` filled, or the names nothing fills.
    fn fill(&self, template: &str) -> Result<String, Vec<String>> {
        let mut missing = vec![];
        let filled: Vec<String> = template
            .split('/')
            .map(
                |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => self.value(template, name).unwrap_or_else(|| {
                        missing.push(name.to_string());
                        String::new()
                    }),
                    None => seg.to_string(),
                },
            )
            .collect();
        if missing.is_empty() {
            Ok(filled.join("/"))
        } else {
            Err(missing)
        }
    }
}

fn str_of(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .to_string()
}

/// Seeds what the paths name: an attachment-bearing complaint, a reply template, a training
/// recommendation and a holiday in or around `THEIRS`, and reads the catalogues' first codes.
async fn seed(app: &TestApp, admin: &str) -> Ids {
    let (ct, body) = multipart(
        &[
            ("kind", "pengaduan"),
            ("category", "waktu_tunggu"),
            (
                "description",
                "Saya menunggu tiga jam di loket KTP tanpa kepastian kapan dipanggil.",
            ),
        ],
        &[(
            "attachments",
            "antrean.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR x",
        )],
    );
    let r = app
        .call(
            "POST",
            &format!("/u/{THEIRS}/complaint"),
            Body::Raw(&ct, body),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.header("location").expect("a tracking page");
    let tracking_id = location
        .split("/track/")
        .nth(1)
        .and_then(|s| s.split(['?', '/']).next())
        .expect("the tracking ID in the location")
        .to_string();
    let view = app
        .get_as(admin, &format!("/api/v1/staff/complaints/{tracking_id}"))
        .await;
    assert_eq!(view.status, 200, "{}", view.body);
    let attachment = str_of(&view.json()["attachments"][0], "url")
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();

    let t = app
        .call_as(
            admin,
            "POST",
            &format!("/api/v1/staff/units/{THEIRS}/reply-templates"),
            Some(&json!({"title": "Terima kasih", "body": "Laporan Anda kami terima."})),
        )
        .await;
    assert_eq!(t.status, 201, "{}", t.body);
    let template = t.json()["id"].to_string();

    crate::training::low_behaviour(app).await;
    let run = app
        .call_as(admin, "POST", "/api/v1/training/run", None)
        .await;
    assert_eq!(run.status, 200, "{}", run.body);
    let recs = app
        .get_as(
            admin,
            &format!("/api/v1/units/{THEIRS}/training-recommendations"),
        )
        .await
        .json();
    let recommendation = recs[0]["id"].to_string();
    assert!(
        recommendation.parse::<i64>().is_ok(),
        "a recommendation for {THEIRS}: {recs}"
    );

    let f = app
        .call_as(
            admin,
            "POST",
            &format!("/api/v1/units/{THEIRS}/follow-ups"),
            Some(&json!({"title": "Tambah loket", "kind": "staffing",
                "period_from": "2026-01-01", "period_to": "2026-06-30"})),
        )
        .await;
    assert_eq!(f.status, 201, "{}", f.body);
    let follow_up = f.json()["id"].to_string();

    let e = app
        .call_as(
            admin,
            "POST",
            &format!("/api/v1/units/{THEIRS}/employees"),
            Some(&json!({"nip": "198503122010012003", "name": "Siti Aminah",
                "position": "Operator", "competency_kind": "teknis"})),
        )
        .await;
    assert_eq!(e.status, 201, "{}", e.body);
    let employee = e.json()["id"].to_string();
    let r = app
        .call_as(
            admin,
            "POST",
            &format!("/api/v1/units/{THEIRS}/need-rounds"),
            Some(&json!({"year": 2026})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let round = r.json()["id"].to_string();
    let s = app
        .call_as(
            admin,
            "POST",
            "/api/v1/learning/sources",
            Some(&json!({"name": "moodle-uji", "kind": "moodle"})),
        )
        .await;
    assert_eq!(s.status, 201, "{}", s.body);
    let source = s.json()["id"].to_string();

    let holiday = "2031-01-02".to_string();
    let h = app
        .call_as(
            admin,
            "PUT",
            &format!("/api/v1/admin/holidays/{holiday}"),
            Some(&json!({"name": "Cuti bersama uji", "kind": "cuti_bersama"})),
        )
        .await;
    assert_eq!(h.status, 204, "{}", h.body);

    let first = |v: Value, key: &str| str_of(&v[0], key);
    let unit = app
        .get_as(admin, "/api/v1/admin/units")
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["slug"] == THEIRS)
        .cloned()
        .expect("the unit");
    Ids {
        agency: str_of(&unit["agency"], "slug"),
        service: first(
            app.get_as(admin, &format!("/api/v1/admin/units/{THEIRS}/services"))
                .await
                .json(),
            "slug",
        ),
        survey: first(
            app.get_as(admin, "/api/v1/admin/surveys").await.json(),
            "code",
        ),
        competency: first(
            app.get_as(admin, "/api/v1/admin/competencies").await.json(),
            "code",
        ),
        programme: first(
            app.get_as(admin, "/api/v1/admin/training-programmes")
                .await
                .json(),
            "code",
        ),
        rule: first(
            app.get_as(admin, "/api/v1/admin/training-rules")
                .await
                .json(),
            "code",
        ),
        holiday,
        tracking_id,
        attachment,
        template,
        recommendation,
        follow_up,
        employee,
        round,
        source,
    }
}

/// A schema with `$ref`s followed (and a nullable `oneOf` reduced to its non-null branch).
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap();
        return resolve(doc, &doc["components"]["schemas"][name]);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(branches) = schema[key].as_array()
            && let Some(b) = branches.iter().find(|b| b["type"] != "null")
        {
            return resolve(doc, b);
        }
    }
    schema
}

/// The JSON type a schema wants, if it names one.
fn type_of(doc: &Value, schema: &Value) -> Option<String> {
    let s = resolve(doc, schema);
    match &s["type"] {
        Value::String(t) => Some(t.clone()),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .map(str::to_string),
        _ if s.get("properties").is_some() => Some("object".into()),
        _ => None,
    }
}

/// A value no field of this type accepts.
fn wrong_for(t: Option<&str>) -> Value {
    match t {
        Some("string") => json!(42),
        Some("integer" | "number") => json!("not a number"),
        Some("boolean") => json!("not a boolean"),
        Some("array") => json!("not a list"),
        _ => json!(["not", "an", "object"]),
    }
}

/// The request body with every property of the wrong type.
fn wrong_types(doc: &Value, body_schema: &Value) -> Value {
    let s = resolve(doc, body_schema);
    match s["properties"].as_object() {
        Some(props) => Value::Object(
            props
                .iter()
                .map(|(k, p)| (k.clone(), wrong_for(type_of(doc, p).as_deref())))
                .collect(),
        ),
        None => wrong_for(type_of(doc, s).as_deref()),
    }
}

/// Every query parameter with a value it does not take.
fn bad_query(doc: &Value, params: &[Value]) -> String {
    params
        .iter()
        .filter(|p| p["in"] == "query")
        .map(|p| {
            let value = match type_of(doc, &p["schema"]).as_deref() {
                Some("integer" | "number") => "-1x",
                Some("boolean") => "maybe",
                _ => "zz-invalid",
            };
            format!("{}={value}", p["name"].as_str().unwrap())
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// What one request sends: a label, the query string, and the body.
struct Input {
    label: &'static str,
    query: String,
    body: Option<(&'static str, Vec<u8>)>,
}

fn inputs(doc: &Value, op: &Value) -> Vec<Input> {
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    let query = bad_query(doc, &params);
    let schema = &op["requestBody"]["content"]["application/json"]["schema"];
    if op.get("requestBody").is_none() {
        let label = if query.is_empty() {
            "no input"
        } else {
            "bad query"
        };
        return vec![Input {
            label,
            query,
            body: None,
        }];
    }
    let json_body = |v: Value| Some(("application/json", serde_json::to_vec(&v).unwrap()));
    vec![
        Input {
            label: "{}",
            query: query.clone(),
            body: json_body(json!({})),
        },
        Input {
            label: "wrong types",
            query: query.clone(),
            body: json_body(wrong_types(doc, schema)),
        },
        Input {
            label: "malformed JSON",
            query,
            body: Some(("application/json", b"{\"".to_vec())),
        },
    ]
}

async fn send(
    app: &TestApp,
    token: Option<&str>,
    method: &str,
    path: &str,
    input: &Input,
) -> (u16, String) {
    let url = if input.query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", input.query)
    };
    let auth = token.map(crate::helpers::bearer);
    let headers: Vec<(&str, &str)> = auth
        .as_deref()
        .map(|a| vec![("authorization", a)])
        .unwrap_or_default();
    let body = match &input.body {
        Some((ct, bytes)) => Body::Raw(ct, bytes.clone()),
        None => Body::None,
    };
    let r = app.call(&method.to_uppercase(), &url, body, &headers).await;
    (r.status, r.body)
}

/// The roles an operation admits, from its `staff` requirement; `None` when it has none.
fn staff_roles(op: &Value) -> Option<Vec<String>> {
    op["security"].as_array()?.iter().find_map(|req| {
        req.get("staff").map(|scopes| {
            scopes
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect()
        })
    })
}

#[actix_web::test]
async fn refused_roles_get_403_before_their_input_is_checked() {
    let app = spawn_app().await;
    let admin = app.token_user("admin@authz.id", "admin", &[]).await;
    let planner = app.token_user("plan@authz.id", "planner", &[]).await;
    let supervisor = app.token_user("sup@authz.id", "supervisor", &[MINE]).await;
    let ids = seed(&app, &admin).await;
    let doc = app.get("/api/openapi.json").await.json();
    let schemes = &doc["components"]["securitySchemes"];
    assert!(schemes["staff"].is_object(), "the staff scheme: {schemes}");

    let mut failures: Vec<String> = vec![];
    let mut staff_ops = 0;
    // (operation, role) pairs refused by role and checked with every input.
    let mut refused = 0;
    // Refusals checked with a body of the wrong type that the admin's answer proves invalid.
    let mut refused_invalid_bodies = 0;
    let mut hidden = 0;
    let mut allowed = 0;
    let mut seen_roles: BTreeMap<String, usize> = BTreeMap::new();

    for (template, item) in doc["paths"].as_object().unwrap() {
        if !template.starts_with("/api/") {
            continue;
        }
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let what = format!("{} {template}", method.to_uppercase());
            let path = match ids.fill(template) {
                Ok(p) => p,
                Err(missing) => {
                    failures.push(format!("{what}: no test value for {missing:?}"));
                    continue;
                }
            };
            let inputs = inputs(&doc, op);
            let Some(roles) = staff_roles(op) else {
                // Not a staff operation: it must not want one (a staff route that forgot its
                // roles answers an anonymous caller 401). Gateways declare their own scheme.
                if op.get("security").is_none() {
                    for input in &inputs {
                        let (status, body) = send(&app, None, method, &path, input).await;
                        if status >= 500 || status == 401 {
                            failures.push(format!(
                                "{what} ({}) declares no roles but answers an anonymous caller {status}: {body}",
                                input.label
                            ));
                        }
                    }
                }
                continue;
            };
            staff_ops += 1;
            if roles.is_empty() {
                failures.push(format!("{what}: a staff operation that declares no roles"));
                continue;
            }
            for r in &roles {
                if !ROLES.contains(&r.as_str()) {
                    failures.push(format!("{what}: unknown role {r:?}"));
                }
                *seen_roles.entry(r.clone()).or_default() += 1;
            }
            let has_path_params = template.contains('{');

            // The input is really invalid: the administrator, admitted everywhere, is refused it.
            let admin_refuses_body = if op.get("requestBody").is_some() {
                let (status, body) = send(&app, Some(&admin), method, &path, &inputs[1]).await;
                if !matches!(status, 400 | 422) {
                    failures.push(format!(
                        "{what}: the wrongly typed body should be invalid, the admin got {status}: {body}"
                    ));
                }
                matches!(status, 400 | 422)
            } else {
                false
            };

            for (role, token) in [("planner", &planner), ("supervisor", &supervisor)] {
                for input in &inputs {
                    let (status, body) = send(&app, Some(token), method, &path, input).await;
                    let case = format!("{what} as a {role} ({})", input.label);
                    if status >= 500 {
                        failures.push(format!("{case}: {status} {body}"));
                        continue;
                    }
                    if !roles.iter().any(|r| r == role) {
                        if status != 403 {
                            failures.push(format!(
                                "{case}: refused by role, wants 403, got {status}: {body}"
                            ));
                        }
                    } else if role == "supervisor" && has_path_params {
                        // Another unit's resource: the project answers 404, not 403.
                        if status != 404 {
                            failures.push(format!(
                                "{case}: another unit's, wants 404, got {status}: {body}"
                            ));
                        }
                    } else if matches!(status, 401 | 403) {
                        failures.push(format!(
                            "{case}: the document admits {role}s, got {status}: {body}"
                        ));
                    }
                }
                if !roles.iter().any(|r| r == role) {
                    refused += 1;
                    if admin_refuses_body {
                        refused_invalid_bodies += 1;
                    }
                } else if role == "supervisor" && has_path_params {
                    hidden += 1;
                } else {
                    allowed += 1;
                }
            }

            // No credentials: 401, whatever the input.
            for input in &inputs {
                let (status, body) = send(&app, None, method, &path, input).await;
                if status != 401 {
                    failures.push(format!(
                        "{what} anonymously ({}): wants 401, got {status}: {body}",
                        input.label
                    ));
                }
            }
        }
    }

    eprintln!(
        "authz_order: {staff_ops} staff operations; {refused} refused by role \
         ({refused_invalid_bodies} with a body the admin is refused), {hidden} other units' \
         resources, {allowed} admitted; roles {seen_roles:?}"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // What was walked: every role appears, and the refusals include the bodies an admin is
    // refused (so 403 came before a validation that would have failed).
    assert!(staff_ops >= 50, "staff operations walked: {staff_ops}");
    assert!(
        ROLES.iter().all(|r| seen_roles.contains_key(*r)),
        "{seen_roles:?}"
    );
    assert!(refused >= 40, "refusals checked: {refused}");
    assert!(
        refused_invalid_bodies >= 25,
        "refusals with an invalid body: {refused_invalid_bodies}"
    );
    assert!(hidden >= 10, "other units' resources checked: {hidden}");
    assert!(allowed >= 10, "admitted roles checked: {allowed}");
}
