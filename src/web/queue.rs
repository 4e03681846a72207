//! Measured waits over HTTP: stamps in from queue machines (JSON batches, a day's CSV file, BPJS
//! Antrean, NovoSGA and Qminder), the unit's summary, and the machine's feed credentials. The
//! caller is decided before a byte of the body is read (Qminder, which signs the body instead of
//! sending a token, is the exception): planners get 403, another unit's staff 404.
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use serde_json::Value;

use crate::domain::queue::RawEvent;
use crate::domain::queue::adapters::{self, Mapped};
use crate::i18n::Lang;
use crate::service::identity::Role;
use crate::service::queue::{self, Feed, Ingested, QueueSummary, Writer};
use crate::web::auth::{ActingApi, Admitted, StaffApi};
use crate::web::error::ApiError;
use crate::web::follow_ups::SeenUnit;
use crate::web::request_checks::read_file_body;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(batch)
        .service(unit_events)
        .service(summary)
        .service(new_feed);
}

/// The queue operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(batch, unit_events, summary, new_feed))]
pub struct Api;

/// One stamp as JSON.
#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)] // documents the shape; records are read leniently, one by one
pub struct EventIn {
    /// The unit's slug (the batch endpoint only; the unit's endpoint takes it from the path).
    unit: Option<String>,
    /// The queue's service, by Suara's service slug or name to be judged against its standard.
    service: Option<String>,
    /// The ticket as printed; numbers start afresh each day.
    ticket: String,
    /// `issued`, `called`, `started`, `finished` or `no_show`.
    event: String,
    /// RFC 3339 with its offset, e.g. `2026-12-01T08:15:00+07:00`.
    at: String,
    counter: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct EventsIn {
    /// At most 5,000 (the batch endpoint).
    events: Vec<EventIn>,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `{"events": [...]}`: each record read on its own, so one bad record loses only itself.
fn events_json(body: &[u8], max: usize, lang: Lang) -> Result<Mapped, ApiError> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|_| ApiError::BadRequest("The body is not JSON.".into()))?;
    let Some(list) = v.get("events").and_then(Value::as_array) else {
        return Err(ApiError::field("events", lang.t("v_type")));
    };
    if list.len() > max {
        return Err(ApiError::field(
            "events",
            lang.t("v_queue_too_many")
                .replace("{max}", &max.to_string()),
        ));
    }
    Ok(list
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if !e.is_object() {
                return (i, Err([("event".to_string(), "v_type")].into()));
            }
            let wrong = ["unit", "service", "ticket", "event", "at", "counter"]
                .into_iter()
                .find(|k| {
                    e.get(*k)
                        .is_some_and(|x| !x.is_null() && text(Some(x)).is_none())
                });
            if let Some(k) = wrong {
                return (i, Err([(k.to_string(), "v_type")].into()));
            }
            (
                i,
                Ok(RawEvent {
                    unit: text(e.get("unit")),
                    service: text(e.get("service")),
                    ticket: text(e.get("ticket")),
                    event: text(e.get("event")),
                    at: text(e.get("at")),
                    counter: text(e.get("counter")),
                }),
            )
        })
        .collect())
}

async fn read_body(
    state: &State,
    payload: Option<web::Payload>,
    req: &HttpRequest,
) -> Result<web::Bytes, ApiError> {
    match payload {
        Some(p) => read_file_body(state.settings.queue_body_limit_bytes, req, p).await,
        None => Ok(web::Bytes::new()),
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
}

/// A staff caller admitted to deliver (administrators and supervisors): 401 without
/// credentials, 403 for planners.
async fn staff_writer(req: &HttpRequest) -> Result<Writer, ApiError> {
    let StaffApi(user) = StaffApi::from_request(req, &mut Payload::None).await?;
    if user.role == Role::Planner {
        return Err(ApiError::Forbidden);
    }
    Ok(Writer::Staff(user))
}

/// 200 whenever the request could be read, even when every record was refused: the counts
/// and each record's problems say what happened (422 is for a request wrong as a whole).
fn answer(r: Ingested) -> HttpResponse {
    HttpResponse::Ok().json(r)
}

#[utoipa::path(post, path = "/api/v1/queue/events", tag = "queue", security(("staff" = ["admin", "supervisor"])),
    request_body = EventsIn,
    responses((status = 200, body = Ingested, description = "Counts of stamps stored, already stored and refused (each refused record with its index and problems); good records are kept"),
        (status = 401), (status = 403), (status = 413),
        (status = 422, body = crate::web::error::ErrorBody, description = "`events` missing or longer than 5,000")))]
#[post("/api/v1/queue/events")]
pub async fn batch(
    state: State,
    lang: Lang,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // A unit's feed token delivers for its unit; a staff token or session for theirs.
    let writer = match bearer(&req) {
        Some(t) => match queue::feed_by_token(&state, &t)
            .await
            .map_err(|e| ApiError::from_service(e, lang))?
        {
            Some(unit) => Writer::Feed(unit),
            None => staff_writer(&req).await?,
        },
        None => staff_writer(&req).await?,
    };
    let body = read_body(&state, Some(payload), &req).await?;
    let records = events_json(&body, queue::MAX_BATCH, lang)?;
    let r = queue::ingest(&state, &writer, None, records, lang)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(answer(r))
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Json,
    Csv,
    Bpjs,
    NovoSga,
    Qminder,
}

fn format_of(req: &HttpRequest) -> Option<Format> {
    let q = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok()?;
    match q
        .get("format")
        .map(|f| f.trim().to_ascii_lowercase())
        .as_deref()
    {
        None | Some("") => {
            let csv = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("text/csv"));
            Some(if csv { Format::Csv } else { Format::Json })
        }
        Some("json") => Some(Format::Json),
        Some("csv") => Some(Format::Csv),
        Some("bpjs") => Some(Format::Bpjs),
        Some("novosga") => Some(Format::NovoSga),
        Some("qminder") => Some(Format::Qminder),
        Some(_) => None,
    }
}

#[utoipa::path(post, path = "/api/v1/units/{slug}/queue/events", tag = "queue", security(("staff" = ["admin", "supervisor"])),
    params(("slug" = String, Path),
        ("format" = Option<String>, Query, description = "`json` (default; `{\"events\": [...]}` without `unit`), `csv` (default for `text/csv`: header `ticket,service,event,at,counter`, commas or semicolons), `bpjs` (Antrean task updates), `novosga` (attendance records; times without an offset are WIB), `qminder` (a webhook, authenticated by its `X-Qminder-Signature` made with the unit's feed secret instead of a token)")),
    request_body(content = EventsIn, description = "Also `text/csv` or a vendor's JSON by `format`; up to 200,000 records. The unit's feed token (`POST …/queue/feed`) may deliver instead of a staff token."),
    responses((status = 200, body = Ingested), (status = 401), (status = 403), (status = 404), (status = 413),
        (status = 422, body = crate::web::error::ErrorBody, description = "An unknown format, a file without its header, or too many records")))]
#[post("/api/v1/units/{slug}/queue/events")]
pub async fn unit_events(
    state: State,
    lang: Lang,
    req: HttpRequest,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let err = |e| ApiError::from_service(e, lang);
    let format = format_of(&req);
    let signature = req
        .headers()
        .get("x-qminder-signature")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let token = bearer(&req);
    let mut payload = Some(payload);
    // Qminder signs the body: the one caller decided after reading it.
    let (writer, body) =
        if format == Some(Format::Qminder) && token.is_none() && signature.is_some() {
            let body = read_body(&state, payload.take(), &req).await?;
            let sig = signature.unwrap_or_default();
            match queue::qminder_unit(&state, &slug, &body, &sig)
                .await
                .map_err(err)?
            {
                Some(unit) => (Writer::Feed(unit), Some(body)),
                None => return Err(ApiError::Unauthorized),
            }
        } else {
            let feed = match &token {
                Some(t) => queue::feed_unit(&state, &slug, t).await.map_err(err)?,
                None => None,
            };
            let writer = match feed {
                Some(unit) => Writer::Feed(unit),
                None => staff_writer(&req).await?,
            };
            (writer, None)
        };
    let unit = queue::writable_unit(&state, &writer, &slug)
        .await
        .map_err(err)?;
    let Some(format) = format else {
        return Err(ApiError::field("format", lang.t("v_choice")));
    };
    let body = match body {
        Some(b) => b,
        None => read_body(&state, payload.take(), &req).await?,
    };
    let records = match format {
        Format::Json => events_json(&body, queue::MAX_FILE, lang)?,
        Format::Csv => adapters::csv(&body).map_err(|k| ApiError::field("file", lang.t(k)))?,
        Format::Bpjs | Format::NovoSga | Format::Qminder => {
            let v: Value = serde_json::from_slice(&body)
                .map_err(|_| ApiError::BadRequest("The body is not JSON.".into()))?;
            match format {
                Format::Bpjs => adapters::bpjs(&v),
                Format::NovoSga => adapters::novosga(&v),
                _ => adapters::qminder(&v),
            }
        }
    };
    if records.len() > queue::MAX_FILE {
        return Err(ApiError::field(
            "file",
            lang.t("v_queue_too_many")
                .replace("{max}", &queue::MAX_FILE.to_string()),
        ));
    }
    let r = queue::ingest(&state, &writer, Some(&unit), records, lang)
        .await
        .map_err(err)?;
    Ok(answer(r))
}

#[derive(Deserialize)]
pub struct SummaryQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub by: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/queue/summary", tag = "queue", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("slug" = String, Path),
        ("from" = Option<String>, Query, description = "YYYY-MM-DD (WIB days); default 29 days before `to`"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD; default today"),
        ("by" = Option<String>, Query, description = "`day` (default), `week` or `month`")),
    responses((status = 200, body = QueueSummary, description = "Tickets, nearest-rank p50/p90 of waits and service times in whole minutes, the share over each service's standard, no-shows — in total, per service and per period — beside the survey's reported wait"),
        (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[get("/api/v1/units/{slug}/queue/summary")]
pub async fn summary(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    Admitted(SeenUnit(user), q): Admitted<SeenUnit, web::Query<SummaryQuery>>,
) -> Result<HttpResponse, ApiError> {
    let err = |e| ApiError::from_service(e, lang);
    let period = queue::period(q.from.as_deref(), q.to.as_deref(), q.by.as_deref()).map_err(err)?;
    let s = queue::summary(&state, &user, &slug, period, lang)
        .await
        .map_err(err)?;
    Ok(HttpResponse::Ok().json(s))
}

#[utoipa::path(post, path = "/api/v1/units/{slug}/queue/feed", tag = "queue", security(("staff" = ["admin", "supervisor"])),
    params(("slug" = String, Path)),
    responses((status = 201, body = Feed, description = "New credentials for the unit's queue machine, shown once; the earlier ones stop working"),
        (status = 401), (status = 403), (status = 404)))]
#[post("/api/v1/units/{slug}/queue/feed")]
pub async fn new_feed(
    state: State,
    lang: Lang,
    ActingApi(user): ActingApi,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let f = queue::new_feed(&state, &user, &slug)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Created().json(f))
}
