//! The served OpenAPI document (`/api/openapi.json`) against the code: every `#[utoipa::path]`
//! annotation is registered, every actix route under `/api` (and `/open311`, as its `.json`
//! path) is annotated, error answers carry the documented body, request schemas say what is
//! required, and a wrong method on a known API path is a 405 naming the right ones. The CI fuzz run (`.ci/schemathesis`) checks the
//! rest against live responses.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::helpers::{Body, bearer, random_suffix, spawn_app};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `.rs` file under `src/`, with its text.
fn sources() -> Vec<(PathBuf, String)> {
    let mut files = vec![];
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable source");
            (p, text)
        })
        .collect()
}

/// `(METHOD, path)` of every `#[utoipa::path(method, path = "…", …)]` in the sources.
fn annotated_operations() -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (file, text) in sources() {
        for (i, _) in text.match_indices("#[utoipa::path(") {
            let rest = &text[i + "#[utoipa::path(".len()..];
            let method = rest.split(',').next().unwrap().trim().to_string();
            assert!(
                METHODS.contains(&method.as_str()),
                "{}: unexpected method {method:?}",
                file.display()
            );
            let after = &rest[rest.find("path = \"").expect("path = \"…\"") + 8..];
            let path = after.split('"').next().unwrap().to_string();
            ops.insert((method.to_uppercase(), path));
        }
    }
    ops
}

/// `(METHOD, path)` of every actix route macro (`#[get("/api/…")]` …) under `/api`.
fn api_routes() -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (file, text) in sources() {
        assert!(
            !text.contains("web::resource(\"/api") && !text.contains("web::scope(\"/api"),
            "{}: routes under /api are declared with the method macros, which this test reads",
            file.display()
        );
        for m in METHODS {
            let needle = format!("#[{m}(\"/api");
            for (i, _) in text.match_indices(&needle) {
                let rest = &text[i + needle.len() - 4..];
                let path = rest.split('"').next().unwrap().to_string();
                routes.insert((m.to_uppercase(), path));
            }
        }
    }
    routes
}

fn documented_operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in METHODS {
            if item.get(m).is_some() {
                ops.insert((m.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

#[actix_web::test]
async fn openapi_every_annotation_and_every_api_route_is_in_the_served_document() {
    let app = spawn_app().await;
    let res = app.get("/api/openapi.json").await;
    assert_eq!(res.status, 200);
    let doc = res.json();
    let documented = documented_operations(&doc);
    let annotated = annotated_operations();
    let routes = api_routes();
    assert!(annotated.len() > 50, "found the annotations: {annotated:?}");

    let unregistered: Vec<_> = annotated.difference(&documented).collect();
    assert!(
        unregistered.is_empty(),
        "annotated with #[utoipa::path] but not listed in its feature's `Api` (src/web/*/mod.rs): {unregistered:?}"
    );
    let stray: Vec<_> = documented.difference(&annotated).collect();
    assert!(
        stray.is_empty(),
        "documented without an annotation: {stray:?}"
    );

    let mut served = routes.clone();
    served.remove(&("GET".to_string(), "/api/openapi.json".to_string()));
    let api_documented: BTreeSet<_> = documented
        .iter()
        .filter(|(_, p)| p.starts_with("/api/"))
        .cloned()
        .collect();
    let undocumented: Vec<_> = served.difference(&api_documented).collect();
    assert!(
        undocumented.is_empty(),
        "JSON routes without an OpenAPI operation: {undocumented:?}"
    );
    let unserved: Vec<_> = api_documented.difference(&served).collect();
    assert!(
        unserved.is_empty(),
        "documented operations no route serves: {unserved:?}"
    );

    // GeoReport: each route `….{fmt}` is documented as its `.json` path, and nothing else is.
    let open311_documented: BTreeSet<_> = documented
        .iter()
        .filter(|(_, p)| p.starts_with("/open311/"))
        .cloned()
        .collect();
    assert_eq!(
        open311_routes(),
        open311_documented,
        "GeoReport routes and their documented .json operations"
    );
}

/// `(METHOD, path)` of every actix route macro under `/open311`, with `.{fmt}` read as `.json`.
fn open311_routes() -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (_, text) in sources() {
        for m in METHODS {
            let needle = format!("#[{m}(\"/open311");
            for (i, _) in text.match_indices(&needle) {
                let rest = &text[i + needle.len() - 8..];
                let path = rest.split('"').next().unwrap();
                assert!(path.ends_with(".{fmt}"), "{path}: ends with .{{fmt}}");
                routes.insert((m.to_uppercase(), path.replace(".{fmt}", ".json")));
            }
        }
    }
    assert!(routes.len() >= 7, "found the GeoReport routes: {routes:?}");
    routes
}

fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap();
            &doc["components"]["schemas"][name]
        }
        None => v,
    }
}

fn required(doc: &Value, schema: &str) -> BTreeSet<String> {
    doc["components"]["schemas"][schema]["required"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn properties(doc: &Value, schema: &str) -> BTreeSet<String> {
    doc["components"]["schemas"][schema]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("schema {schema} has properties"))
        .keys()
        .cloned()
        .collect()
}

#[actix_web::test]
async fn openapi_errors_and_required_fields_are_documented() {
    let app = spawn_app().await;
    let doc = app.get("/api/openapi.json").await.json();
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());

    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/") {
            continue;
        }
        for m in METHODS {
            let Some(op) = item.get(m) else { continue };
            let responses = op["responses"].as_object().unwrap();
            let has = |s: &str| responses.contains_key(s);
            let what = format!("{} {path}", m.to_uppercase());
            if op.get("security").is_some() {
                assert!(has("401") && has("403"), "{what}: 401 and 403");
            }
            if op.get("requestBody").is_some() {
                for s in ["400", "413", "422"] {
                    assert!(has(s), "{what}: {s}");
                }
            }
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            if params.iter().any(|p| p["in"] == "path") {
                assert!(has("404"), "{what}: 404");
            }
            if params.iter().any(|p| p["in"] == "query") {
                assert!(has("400"), "{what}: 400");
            }
            for (status, r) in responses {
                if status.starts_with('4') {
                    let schema = &r["content"]["application/json"]["schema"];
                    assert_eq!(
                        schema["$ref"], "#/components/schemas/ErrorBody",
                        "{what} {status}: the error body"
                    );
                }
            }
        }
    }

    // What the handlers require, the schemas require.
    let want = |schema: &str, fields: &[&str]| {
        let req = required(&doc, schema);
        for f in fields {
            assert!(req.contains(*f), "{schema}.{f} required: {req:?}");
        }
    };
    want("ComplaintIn", &["unit", "kind", "category", "description"]);
    want("CommentIn", &["body"]);
    want("BodyIn", &["body"]);
    want("TransitionIn", &["action"]);
    want("NewAgency", &["slug", "name"]);
    want("NewUnit", &["agency", "slug", "name", "kind"]);
    want("NewService", &["slug", "name"]);
    want("NewRule", &["code", "name", "definition"]);
    want("NewSurvey", &["code", "name", "definition"]);
    want("CompetencyView", &["code", "name", "kind"]);
    want(
        "ProgrammeView",
        &["code", "name", "competencies", "form", "method", "jp"],
    );
    for s in ["CompetencyView", "ProgrammeView"] {
        assert!(!required(&doc, s).contains("archived"), "{s}.archived");
    }
    // The create-only documentation types name the fields of the real input types.
    for (doc_type, real) in [
        ("NewAgency", "AgencyInput"),
        ("NewUnit", "UnitInput"),
        ("NewService", "ServiceInput"),
        ("NewRule", "RuleIn"),
    ] {
        assert_eq!(
            properties(&doc, doc_type),
            properties(&doc, real),
            "{doc_type}"
        );
    }
    let create = &doc["paths"]["/api/v1/admin/agencies"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert_eq!(create["$ref"], "#/components/schemas/NewAgency");

    // The administrators' survey list is its own schema, not the public survey's.
    let list = &doc["paths"]["/api/v1/admin/surveys"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    let item = resolve(&doc, &list["items"]);
    let props: Vec<&str> = item["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(props, ["code", "name", "versions"]);
}

#[actix_web::test]
async fn openapi_wrong_method_on_a_known_api_path_is_405_with_allow() {
    let app = spawn_app().await;
    let res = app.call("DELETE", "/api/v1/units", Body::None, &[]).await;
    assert_eq!(res.status, 405);
    assert_eq!(res.header("allow").as_deref(), Some("GET"));
    assert_eq!(res.json()["error"], "method_not_allowed");

    let res = app
        .call("PUT", "/api/v1/admin/units/some-unit", Body::None, &[])
        .await;
    assert_eq!(res.status, 405);
    assert_eq!(res.header("allow").as_deref(), Some("PATCH, DELETE"));

    let res = app
        .call(
            "GET",
            "/api/v1/training/recommendations/7/accept",
            Body::None,
            &[],
        )
        .await;
    assert_eq!(res.status, 405);
    assert_eq!(res.header("allow").as_deref(), Some("POST"));

    // Unknown paths stay 404, with the JSON body.
    let res = app
        .call("DELETE", "/api/v1/nothing-here", Body::None, &[])
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(res.json()["error"], "not_found");
    // A query string that does not parse is a JSON 400, a path value of the wrong type a JSON 404.
    let token = app
        .token_user(&format!("oa-{}@x.id", random_suffix()), "admin", &[])
        .await;
    let auth = bearer(&token);
    let res = app
        .get_with(
            "/api/v1/training/plan?year=1&year=2",
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(res.status, 400);
    assert_eq!(res.json()["error"], "bad_request");
    let res = app
        .call(
            "POST",
            "/api/v1/admin/surveys/ikm/versions/not-a-number/publish",
            Body::None,
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(res.json()["error"], "not_found");
}

#[actix_web::test]
async fn openapi_creating_a_competency_or_programme_needs_no_archived_field() {
    let app = spawn_app().await;
    let token = app
        .token_user(&format!("oa-{}@x.id", random_suffix()), "admin", &[])
        .await;
    let auth = bearer(&token);
    let code = format!("kmp-{}", random_suffix());
    let res = app
        .call(
            "POST",
            "/api/v1/admin/competencies",
            Body::Json(
                &json!({"code": code, "name": "Komunikasi publik", "kind": "sosial_kultural"}),
            ),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.json()["archived"], false);

    let prog = format!("prg-{}", random_suffix());
    let res = app
        .call(
            "POST",
            "/api/v1/admin/training-programmes",
            Body::Json(
                &json!({"code": prog, "name": "Pelatihan komunikasi", "competencies": [code],
                "form": "klasikal", "method": "pelatihan", "jp": 16}),
            ),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    assert_eq!(res.json()["archived"], false);
}
