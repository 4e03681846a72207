//! Open311 GeoReport v2 under `/open311/v2`, in JSON and XML (the path's `.json` or `.xml`):
//! discovery, services (complaint categories), service definitions, filing a request with a
//! Suara API token as `api_key`, listing and reading requests, tokens. Parse, call
//! [`crate::service::open311`], render; errors are GeoReport's `[{code, description}]`.
//! The mapping decisions are in docs/open311.md.
pub mod error;
pub mod xml;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;

use crate::bootstrap::state::AppState;
use crate::domain::validation::has_control_chars;
use crate::i18n::Lang;
use crate::service::open311::{
    self as geo, Open311Discovery, Open311Filed, Open311Request, Open311Service,
    Open311ServiceDefinition, Open311Token,
};
use crate::web::request_checks::{BodyRefused, read_limited};
use crate::web::state::State;
pub use error::{Fmt, Open311Error, Open311ErrorItem};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(discovery)
        .service(services)
        .service(service_definition)
        .service(post_request)
        .service(get_requests)
        .service(get_request)
        .service(get_token);
}

/// The GeoReport operations in the OpenAPI document (the `.json` paths; `.xml` answers the same).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    discovery,
    services,
    service_definition,
    post_request,
    get_requests,
    get_request,
    get_token
))]
pub struct Api;

/// Query or form parameters, in order; an empty value is as good as none.
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(raw: &[u8], fmt: Fmt) -> Result<Params, Open311Error> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(raw)
            .map_err(|_| Open311Error::bad(fmt, "The parameters do not parse."))?;
        if let Some((k, _)) = pairs
            .iter()
            .find(|(k, v)| has_control_chars(k) || has_control_chars(v))
        {
            let name = if has_control_chars(k) { "parameter" } else { k };
            return Err(Open311Error::bad(
                fmt,
                format!("{name}: control characters are not allowed."),
            ));
        }
        Ok(Params(pairs))
    }

    /// The first non-blank value of `name`.
    fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
            .map(str::to_string)
    }
}

/// The format from the path's extension (anything but `json` or `xml` names nothing), the query
/// parameters, and the jurisdiction check every endpoint makes.
fn begin(state: &AppState, req: &HttpRequest) -> Result<(Fmt, Params), Open311Error> {
    let fmt = match req.match_info().get("fmt").map(str::to_ascii_lowercase) {
        Some(f) if f == "json" => Fmt::Json,
        Some(f) if f == "xml" => Fmt::Xml,
        _ => return Err(Open311Error::not_found(Fmt::Json)),
    };
    let q = Params::parse(req.query_string().as_bytes(), fmt)?;
    geo::check_jurisdiction(state, q.get("jurisdiction_id").as_deref())
        .map_err(|e| Open311Error::service(fmt, Lang::from_request(req), e))?;
    Ok((fmt, q))
}

fn ok<T: Serialize>(fmt: Fmt, value: &T, xml: impl FnOnce() -> String) -> HttpResponse {
    match fmt {
        Fmt::Json => HttpResponse::Ok()
            .content_type(error::JSON)
            .body(serde_json::to_string(value).unwrap_or_default()),
        Fmt::Xml => HttpResponse::Ok().content_type(error::XML).body(xml()),
    }
}

#[utoipa::path(get, path = "/open311/v2/discovery.json", tag = "open311",
    params(("jurisdiction_id" = Option<String>, Query, description = "This deployment's host name; another is a 400.")),
    responses((status = 200, body = Open311Discovery, content_type = "application/json"),
        (status = 400, body = Vec<Open311ErrorItem>, content_type = "application/json")))]
#[get("/open311/v2/discovery.{fmt}")]
pub async fn discovery(state: State, req: HttpRequest) -> Result<HttpResponse, Open311Error> {
    let (fmt, _) = begin(&state, &req)?;
    let d = geo::discovery(&state);
    Ok(ok(fmt, &d, || xml::discovery(&d)))
}

#[utoipa::path(get, path = "/open311/v2/services.json", tag = "open311",
    params(("jurisdiction_id" = Option<String>, Query, description = "This deployment's host name; another is a 400.")),
    responses((status = 200, body = Vec<Open311Service>, content_type = "application/json"),
        (status = 400, body = Vec<Open311ErrorItem>, content_type = "application/json")))]
#[get("/open311/v2/services.{fmt}")]
pub async fn services(
    state: State,
    req: HttpRequest,
    lang: Lang,
) -> Result<HttpResponse, Open311Error> {
    let (fmt, _) = begin(&state, &req)?;
    let list = geo::services(&state, lang)
        .await
        .map_err(|e| Open311Error::service(fmt, lang, e))?;
    Ok(ok(fmt, &list, || xml::services(&list)))
}

#[utoipa::path(get, path = "/open311/v2/services/{service_code}.json", tag = "open311",
    params(("service_code" = String, Path, description = "A complaint category code, e.g. `waktu_tunggu`."),
        ("jurisdiction_id" = Option<String>, Query, description = "This deployment's host name; another is a 400.")),
    responses((status = 200, body = Open311ServiceDefinition, content_type = "application/json"),
        (status = 400, body = Vec<Open311ErrorItem>, content_type = "application/json"),
        (status = 404, body = Vec<Open311ErrorItem>, content_type = "application/json")))]
#[get("/open311/v2/services/{service_code}.{fmt}")]
pub async fn service_definition(
    state: State,
    req: HttpRequest,
    lang: Lang,
) -> Result<HttpResponse, Open311Error> {
    let (fmt, _) = begin(&state, &req)?;
    let code = req.match_info().get("service_code").unwrap_or_default();
    let d = geo::definition(&state, code, lang)
        .await
        .map_err(|e| Open311Error::service(fmt, lang, e))?;
    Ok(ok(fmt, &d, || xml::definition(&d)))
}

/// The fields of `POST requests` (form-encoded). Only `api_key`, `service_code`,
/// `attribute[unit]` and `description` are used; the location, device and account fields are
/// accepted and not kept; the contact fields are kept for the unit and never shown.
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct Open311RequestIn {
    /// A Suara API token of a staff or integration account.
    api_key: String,
    /// A complaint category code (see `services`).
    service_code: String,
    /// The unit's slug (see the service definition).
    #[serde(rename = "attribute[unit]")]
    attribute_unit: String,
    /// 20–4,000 characters.
    description: String,
    jurisdiction_id: Option<String>,
    lat: Option<String>,
    long: Option<String>,
    address_string: Option<String>,
    address_id: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    device_id: Option<String>,
    account_id: Option<String>,
    media_url: Option<String>,
}

/// The body, up to the configured limit; the Content-Type must be a form's (or absent).
async fn read_form(
    state: &AppState,
    req: &HttpRequest,
    payload: web::Payload,
    fmt: Fmt,
) -> Result<Params, Open311Error> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or("?").to_ascii_lowercase());
    if ct.is_some_and(|c| !c.starts_with("application/x-www-form-urlencoded")) {
        return Err(Open311Error::bad(
            fmt,
            "Expected Content-Type: application/x-www-form-urlencoded.",
        ));
    }
    let body = read_limited(payload, state.settings.body_limit_bytes)
        .await
        .map_err(|e| match e {
            BodyRefused::TooLarge => Open311Error::new(fmt, 413, "The body is too large."),
            BodyRefused::Unreadable => Open311Error::bad(fmt, "The body could not be read."),
        })?;
    Params::parse(&body, fmt)
}

/// The `Idempotency-Key` header, refused as GeoReport's 400 when malformed.
fn idempotency_key(
    req: &HttpRequest,
    fmt: Fmt,
    lang: Lang,
) -> Result<Option<String>, Open311Error> {
    crate::web::request_checks::idempotency_key(req)
        .map(|k| k.map(|k| k.as_str().to_string()))
        .map_err(|_| Open311Error::bad(fmt, format!("Idempotency-Key: {}", lang.t("v_key_format"))))
}

#[utoipa::path(post, path = "/open311/v2/requests.json", tag = "open311",
    request_body(content = Open311RequestIn, content_type = "application/x-www-form-urlencoded"),
    params(("Idempotency-Key" = Option<String>, Header, description = "Optional; the same key with the same fields answers the first request's ID again.")),
    responses((status = 200, body = Vec<Open311Filed>, content_type = "application/json"),
        (status = 400, body = Vec<Open311ErrorItem>, content_type = "application/json"),
        (status = 403, body = Vec<Open311ErrorItem>, content_type = "application/json", description = "api_key missing or invalid"),
        (status = 413, body = Vec<Open311ErrorItem>, content_type = "application/json")))]
#[post("/open311/v2/requests.{fmt}")]
pub async fn post_request(
    state: State,
    req: HttpRequest,
    lang: Lang,
    payload: web::Payload,
) -> Result<HttpResponse, Open311Error> {
    let (fmt, query) = begin(&state, &req)?;
    let form = read_form(&state, &req, payload, fmt).await?;
    let field = |name: &str| form.get(name).or_else(|| query.get(name));
    let key = field("api_key").ok_or_else(|| Open311Error::forbidden(fmt))?;
    let valid = geo::api_key_valid(&state, &key)
        .await
        .map_err(|e| Open311Error::service(fmt, lang, e))?;
    if !valid {
        return Err(Open311Error::forbidden(fmt));
    }
    geo::check_jurisdiction(&state, form.get("jurisdiction_id").as_deref())
        .map_err(|e| Open311Error::service(fmt, lang, e))?;
    let service_code =
        field("service_code").ok_or_else(|| Open311Error::bad(fmt, "service_code: required."))?;
    let idem = idempotency_key(&req, fmt, lang)?;
    let new = geo::NewRequest {
        service_code: Some(service_code),
        unit: field("attribute[unit]"),
        description: field("description"),
        email: field("email"),
        phone: field("phone"),
        first_name: field("first_name"),
        last_name: field("last_name"),
    };
    let filed = geo::file(&state, &new, lang, idem.as_deref())
        .await
        .map_err(|e| Open311Error::service(fmt, lang, e))?;
    let list = [filed];
    Ok(ok(fmt, &list, || xml::filed(&list)))
}

#[utoipa::path(get, path = "/open311/v2/requests.json", tag = "open311",
    params(
        ("service_request_id" = Option<String>, Query, description = "Tracking IDs, comma-separated; when given, the other filters are ignored."),
        ("service_code" = Option<String>, Query, description = "Category codes, comma-separated."),
        ("start_date" = Option<String>, Query, description = "ISO 8601 (e.g. 2026-12-01T00:00:00+07:00); default: 90 days before end_date."),
        ("end_date" = Option<String>, Query, description = "ISO 8601; at most 90 days after start_date; default: now."),
        ("status" = Option<String>, Query, description = "`open` or `closed` (or both, comma-separated)."),
        ("jurisdiction_id" = Option<String>, Query, description = "This deployment's host name; another is a 400.")),
    responses((status = 200, body = Vec<Open311Request>, content_type = "application/json"),
        (status = 400, body = Vec<Open311ErrorItem>, content_type = "application/json")))]
#[get("/open311/v2/requests.{fmt}")]
pub async fn get_requests(
    state: State,
    req: HttpRequest,
    lang: Lang,
) -> Result<HttpResponse, Open311Error> {
    let (fmt, q) = begin(&state, &req)?;
    let query = geo::RequestQuery {
        service_request_id: q.get("service_request_id"),
        service_code: q.get("service_code"),
        start_date: q.get("start_date"),
        end_date: q.get("end_date"),
        status: q.get("status"),
    };
    let list = geo::requests(&state, &query, lang)
        .await
        .map_err(|e| Open311Error::service(fmt, lang, e))?;
    Ok(ok(fmt, &list, || xml::requests(&list)))
}

#[utoipa::path(get, path = "/open311/v2/requests/{service_request_id}.json", tag = "open311",
    params(("service_request_id" = String, Path, description = "The tracking ID, e.g. SRA-ABCD-EFGH."),
        ("jurisdiction_id" = Option<String>, Query, description = "This deployment's host name; another is a 400.")),
    responses((status = 200, body = Vec<Open311Request>, content_type = "application/json", description = "A list of one"),
        (status = 400, body = Vec<Open311ErrorItem>, content_type = "application/json"),
        (status = 404, body = Vec<Open311ErrorItem>, content_type = "application/json")))]
#[get("/open311/v2/requests/{service_request_id}.{fmt}")]
pub async fn get_request(
    state: State,
    req: HttpRequest,
    lang: Lang,
) -> Result<HttpResponse, Open311Error> {
    let (fmt, _) = begin(&state, &req)?;
    let id = req
        .match_info()
        .get("service_request_id")
        .unwrap_or_default();
    let r = geo::request(&state, id, lang)
        .await
        .map_err(|e| Open311Error::service(fmt, lang, e))?;
    let list = [r];
    Ok(ok(fmt, &list, || xml::requests(&list)))
}

#[utoipa::path(get, path = "/open311/v2/tokens/{token}.json", tag = "open311",
    params(("token" = String, Path, description = "A request's ID is given at once, so the token is the tracking ID."),
        ("jurisdiction_id" = Option<String>, Query, description = "This deployment's host name; another is a 400.")),
    responses((status = 200, body = Vec<Open311Token>, content_type = "application/json", description = "A list of one"),
        (status = 400, body = Vec<Open311ErrorItem>, content_type = "application/json"),
        (status = 404, body = Vec<Open311ErrorItem>, content_type = "application/json")))]
#[get("/open311/v2/tokens/{token}.{fmt}")]
pub async fn get_token(state: State, req: HttpRequest) -> Result<HttpResponse, Open311Error> {
    let (fmt, _) = begin(&state, &req)?;
    let token = req.match_info().get("token").unwrap_or_default();
    let t = geo::token(&state, token)
        .await
        .map_err(|e| Open311Error::service(fmt, Lang::from_request(&req), e))?;
    let list = [t];
    Ok(ok(fmt, &list, || xml::tokens(&list)))
}
