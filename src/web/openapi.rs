//! The OpenAPI document of every JSON endpoint, served at `/api/openapi.json`.
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{Modify, OpenApi};

use crate::web::analytics;
use crate::web::complaints::holidays_api;
use crate::web::complaints::{citizen as complaints, triage};
use crate::web::registry::{agencies_api as api_admin, surveys_api, units_api as api_units};
use crate::web::survey::api as api_survey;
use crate::web::training::{admin_api as training_admin, api as training};

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
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

// Request bodies of the create operations. The handlers share one input type between create
// and PATCH (where every field is optional) and require these fields themselves; these types
// only tell the document what a create must carry. `tests/api/openapi.rs` keeps their fields
// in step with the real input types.

/// A new agency.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewAgency {
    /// Lower-case letters, digits and single hyphens, 3–64 characters.
    slug: String,
    /// 3–200 characters.
    name: String,
}

/// A new service unit.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewUnit {
    /// Agency slug.
    agency: String,
    slug: String,
    /// 3–200 characters.
    name: String,
    /// One of `rumah_sakit`, `puskesmas`, `dukcapil`, `perizinan`, `samsat`, `kantor_pelayanan`, `lainnya`.
    kind: String,
    address: Option<String>,
    staff_count: Option<i32>,
    monthly_visitors: Option<i32>,
}

/// A new service of a unit.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewService {
    slug: String,
    /// 3–200 characters.
    name: String,
    /// Declared completion time at the counter, in minutes.
    standard_minutes: Option<i32>,
    /// Declared completion time, in working days.
    standard_days: Option<i32>,
    /// Declared fee in rupiah (0 = free).
    fee_rupiah: Option<i64>,
}

/// A new training rule.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewRule {
    code: String,
    /// 3–200 characters.
    name: String,
    /// Default `true`.
    active: Option<bool>,
    /// `{"window_days", "min_n", "match_all", "conditions": [{"signal", …}], "programmes"}`.
    #[schema(value_type = Object)]
    definition: serde_json::Value,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Suara API", description = "Citizen feedback on public services in Jambi."),
    modifiers(&Security, &ErrorResponses),
    components(schemas(crate::web::error::ErrorBody)),
    paths(
        crate::web::healthz,
        crate::web::readyz,
        api_units::list_units,
        api_units::get_unit,
        api_units::me,
        api_units::staff_unit,
        api_admin::list_agencies,
        api_admin::create_agency,
        api_admin::patch_agency,
        api_admin::archive_agency,
        api_admin::admin_list_units,
        api_admin::create_unit,
        api_admin::patch_unit,
        api_admin::archive_unit,
        api_admin::list_services,
        api_admin::create_service,
        api_admin::patch_service,
        api_admin::archive_service,
        surveys_api::list_surveys,
        surveys_api::create_survey,
        surveys_api::add_version,
        surveys_api::publish_version,
        surveys_api::assign_survey,
        holidays_api::list_holidays,
        holidays_api::put_holiday,
        holidays_api::delete_holiday,
        api_survey::get_survey,
        api_survey::post_response,
        api_survey::get_ikm,
        complaints::api_file,
        analytics::api_unit,
        analytics::api_overview,
        complaints::api_track,
        complaints::api_reopen,
        triage::api_queue,
        triage::api_get,
        triage::api_transition,
        triage::api_reply,
        triage::api_note,
        triage::api_meta,
        triage::api_bulk,
        training::list,
        training::unit_list,
        training::one,
        training::comment,
        training::act,
        training::run_now,
        training::plan,
        training_admin::competencies,
        training_admin::create_competency,
        training_admin::update_competency,
        training_admin::programmes,
        training_admin::create_programme,
        training_admin::update_programme,
        training_admin::list_rules,
        training_admin::create_rule,
        training_admin::put_rule,
        training_admin::preview,
    )
)]
pub struct ApiDoc;

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
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
