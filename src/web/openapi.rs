//! The OpenAPI document of every JSON endpoint, served at `/api/openapi.json`: each feature's
//! `Api` merged into one, with the error answers and the security scheme added to all.
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{Modify, OpenApi};

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A gateway's configured shared secret (SMS, RapidPro).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "learning_source",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("sl_…")
                    .description(Some(
                        "A learning source's token (`POST /api/v1/learning/sources`): it delivers \
                         its kind of record only (`siasn`, `moodle` or `xapi`; 403 otherwise). \
                         Basic authentication with the token as the password is accepted too.",
                    ))
                    .build(),
            ),
        );
        // An operation lists the roles it admits as this requirement's scopes (OpenAPI 3.1
        // allows role names for any scheme); any other role gets 403 before its input is read.
        components.add_security_scheme(
            "staff",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("sua_…")
                    .description(Some(
                        "A staff member's personal API token, or the session cookie with an \
                         `X-CSRF-Token` header on writes. The requirement's scopes are the roles \
                         admitted (`admin`, `supervisor`, `planner`); any other role gets 403 \
                         before its input is validated.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The error answers every handler can give, added to each `/api` operation where they apply
/// (so no annotation can forget them), and the JSON [`crate::web::error::ErrorBody`] on every 4xx.
///
/// - 400: malformed JSON or a wrong `Content-Type` (operations with a body), a query value of
///   the wrong type (operations with query parameters);
/// - 401: no or unknown bearer token; 403: the role may not do this, or a session without its
///   CSRF header (operations with `security`);
/// - 404: a path parameter names nothing (operations with path parameters);
/// - 413: a body over `SUARA_BODY_LIMIT_KB`; 422: a body or query value that parses but is invalid.
struct ErrorResponses;

fn error_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

fn add_errors(op: &mut Operation) {
    let params: Vec<ParameterIn> = op
        .parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) => Some(p.parameter_in.clone()),
            RefOr::Ref(_) => None,
        })
        .collect();
    let has = |want: ParameterIn| params.contains(&want);
    let body = op.request_body.is_some();
    let query = has(ParameterIn::Query);
    let mut wanted: Vec<(&str, &str)> = vec![];
    if body || query {
        wanted.push((
            "400",
            "Malformed request: invalid JSON, wrong content type or query value",
        ));
    }
    if op.security.is_some() {
        wanted.push(("401", "No or unknown bearer token"));
        wanted.push((
            "403",
            "Not allowed for this role (or a session without its CSRF header)",
        ));
    }
    if has(ParameterIn::Path) {
        wanted.push(("404", "Not found"));
    }
    if body {
        wanted.push(("413", "Request body too large"));
    }
    if body || query {
        wanted.push(("422", "Invalid fields; `fields` names each one"));
    }
    let responses = &mut op.responses.responses;
    for (status, description) in wanted {
        responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(error_response(description)));
    }
    for (status, response) in responses.iter_mut() {
        if let RefOr::T(r) = response
            && status.starts_with('4')
            && r.content.is_empty()
        {
            let description = if r.description.is_empty() {
                "Error".to_string()
            } else {
                r.description.clone()
            };
            *r = error_response(&description);
        }
    }
}

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with("/api/") {
                continue;
            }
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
                &mut item.head,
                &mut item.options,
            ]
            .into_iter()
            .flatten()
            {
                add_errors(op);
            }
        }
    }
}

/// The document's shell: title, description and the schemas every feature shares. Each feature
/// folder lists its own operations and schemas in its `Api`; [`document`] merges them in.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Suara API",
        description = "Citizen feedback on public services in Jambi."
    ),
    components(schemas(crate::web::error::ErrorBody))
)]
pub struct ApiDoc;

/// Every feature's `Api`, in the order they are merged: of two schemas with the same name the
/// first merged stays, so no two types may share a name (a test below keeps it so).
pub fn features() -> Vec<utoipa::openapi::OpenApi> {
    vec![
        crate::web::training::Api::openapi(),
        crate::web::health::Api::openapi(),
        crate::web::registry::Api::openapi(),
        crate::web::survey::Api::openapi(),
        crate::web::complaints::Api::openapi(),
        crate::web::follow_ups::Api::openapi(),
        crate::web::public_results::Api::openapi(),
        crate::web::queue::Api::openapi(),
        crate::web::employees::Api::openapi(),
        crate::web::learning::Api::openapi(),
        crate::web::analytics::Api::openapi(),
        crate::web::channels::Api::openapi(),
        crate::web::open311::Api::openapi(),
    ]
}

/// The served document: the shell with every feature merged in, then what holds for all of
/// them (the bearer scheme, the error answers).
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for feature in features() {
        doc.merge(feature);
    }
    let modifiers: [&dyn Modify; 2] = [&Security, &ErrorResponses];
    for m in modifiers {
        m.modify(&mut doc);
    }
    doc
}

/// The methods the API answers on `path` (a request path, not a template), for the `Allow`
/// header of a 405; `None` when no documented path matches. Built once from the document, which
/// a test keeps equal to the routes actix serves.
pub fn allowed_methods(path: &str) -> Option<String> {
    static ROUTES: std::sync::OnceLock<Vec<(Vec<String>, Vec<&'static str>)>> =
        std::sync::OnceLock::new();
    let routes = ROUTES.get_or_init(|| {
        let mut routes: Vec<(Vec<String>, Vec<&'static str>)> = document()
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("HEAD", item.head.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("OPTIONS", item.options.is_some()),
                ]
                .into_iter()
                .filter_map(|(m, present)| present.then_some(m))
                .collect();
                (template.split('/').map(str::to_string).collect(), methods)
            })
            .collect();
        routes.push((
            "/api/openapi.json".split('/').map(str::to_string).collect(),
            vec!["GET"],
        ));
        routes
    });
    let segments: Vec<&str> = path.split('/').collect();
    let mut allowed: Vec<&str> = vec![];
    for (template, methods) in routes {
        let matches = template.len() == segments.len()
            && template.iter().zip(&segments).all(|(t, s)| {
                if t.starts_with('{') && t.ends_with('}') {
                    !s.is_empty()
                } else {
                    t == s
                }
            });
        if matches {
            for m in methods {
                if !allowed.contains(m) {
                    allowed.push(m);
                }
            }
        }
    }
    if allowed.is_empty() {
        None
    } else {
        Some(allowed.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operations(doc: &utoipa::openapi::OpenApi) -> Vec<(String, &'static str)> {
        let mut ops = vec![];
        for (path, item) in &doc.paths.paths {
            for (m, present) in [
                ("get", item.get.is_some()),
                ("put", item.put.is_some()),
                ("post", item.post.is_some()),
                ("patch", item.patch.is_some()),
                ("delete", item.delete.is_some()),
            ] {
                if present {
                    ops.push((path.clone(), m));
                }
            }
        }
        ops
    }

    /// A merge keeps the first of two operations on the same path and method: no feature may
    /// list one another already does, and none is lost.
    #[test]
    fn every_feature_operation_is_in_the_document_once() {
        let mut from_features: Vec<_> = features().iter().flat_map(operations).collect();
        let count = from_features.len();
        from_features.sort();
        from_features.dedup();
        assert_eq!(count, from_features.len(), "an operation in two features");
        let mut served = operations(&document());
        served.sort();
        assert_eq!(served, from_features);
    }

    /// A merge also keeps the first of two schemas with the same name: two features may share a
    /// schema (the same type), but two types under one name lose one of them silently.
    #[test]
    fn features_name_their_schemas_apart() {
        let mut seen: std::collections::BTreeMap<String, String> = Default::default();
        let mut clashes = std::collections::BTreeSet::new();
        for feature in features() {
            for (name, schema) in feature.components.iter().flat_map(|c| &c.schemas) {
                let json = serde_json::to_string(schema).expect("a schema serialises");
                if seen.get(name).is_some_and(|prev| *prev != json) {
                    clashes.insert(name.clone());
                }
                seen.entry(name.clone()).or_insert(json);
            }
        }
        assert!(clashes.is_empty(), "schemas named alike: {clashes:?}");
    }
}

#[actix_web::get("/api/openapi.json")]
pub async fn openapi_json() -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok().json(document())
}
