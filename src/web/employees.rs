//! People (ASN) over HTTP: a unit's employees with their JP (one by JSON, many by CSV), edits
//! and archiving, the SIASN course file, and completions in (SIASN or Moodle files, xAPI
//! statements). The caller is decided before the body is read: planners read, supervisors keep
//! their unit's people, BKPSDM planners and administrators deliver completions.
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, get, patch, post, web};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;

use crate::bootstrap::state::AppState;
use crate::i18n::Lang;
use crate::service::employees::needs::{
    self, ColleagueIn, ConfirmIn, RoundIn, RoundLink, RoundOut, RoundStatus,
};
use crate::service::employees::{self, EmployeeIn, EmployeeOut, EmployeesImported, siasn};
use crate::service::identity::{CurrentUser, Role};
use crate::web::auth::{Admitted, StaffApi};
use crate::web::error::ApiError;
use crate::web::follow_ups::SeenUnit;
use crate::web::request_checks::{Json, parse_json, read_file_body};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(siasn_file)
        .service(create)
        .service(update)
        .service(open_round)
        .service(round_status)
        .service(confirm_need)
        .service(colleague_link);
}

/// The people operations in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    list,
    siasn_file,
    create,
    update,
    open_round,
    round_status,
    confirm_need,
    colleague_link
))]
pub struct Api;

async fn staff(req: &HttpRequest) -> Result<CurrentUser, ApiError> {
    let StaffApi(user) = StaffApi::from_request(req, &mut Payload::None).await?;
    Ok(user)
}

/// A file or statement batch: at most `SUARA_QUEUE_BODY_LIMIT_MB`, like a queue's day file.
pub(super) async fn body(
    state: &State,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<web::Bytes, ApiError> {
    read_file_body(state.settings.queue_body_limit_bytes, req, payload).await
}

#[derive(Deserialize)]
pub struct YearQuery {
    pub year: Option<String>,
    pub format: Option<String>,
}

fn year_of(q: &YearQuery, lang: Lang) -> Result<Option<i32>, ApiError> {
    match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => Ok(None),
        Some(y) => y
            .parse::<i32>()
            .map(Some)
            .map_err(|_| ApiError::field("year", lang.t("v_range"))),
    }
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/employees", tag = "people", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("slug" = String, Path), ("year" = Option<i32>, Query, description = "default this year")),
    responses((status = 200, body = [EmployeeOut], description = "The unit's employees with `jp_planned`, `jp_done` and `meets_minimum` (20 JP) for the year"),
        (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[get("/api/v1/units/{slug}/employees")]
pub async fn list(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    Admitted(SeenUnit(user), q): Admitted<SeenUnit, web::Query<YearQuery>>,
) -> Result<HttpResponse, ApiError> {
    let year = year_of(&q, lang)?;
    let people = employees::list(&state, &user, &slug, year)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(people))
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/employees/siasn", tag = "people", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("slug" = String, Path), ("year" = Option<i32>, Query, description = "default this year"),
        ("format" = Option<String>, Query, description = "`csv` (default) or `xlsx`")),
    responses((status = 200, description = "The year's completed courses in SIASN's field names: nip, namaKursus, jumlahJam, jenisKursus, tanggalKursus, tanggalSelesaiKursus, institusiPenyelenggara, tahunKursus",
            content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[get("/api/v1/units/{slug}/employees/siasn")]
pub async fn siasn_file(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    Admitted(SeenUnit(user), q): Admitted<SeenUnit, web::Query<YearQuery>>,
) -> Result<HttpResponse, ApiError> {
    use chrono::Datelike;
    let year = year_of(&q, lang)?.unwrap_or_else(|| crate::service::today_wib().year());
    let format = q.format.as_deref().map(str::trim).unwrap_or("csv");
    if !matches!(format, "" | "csv" | "xlsx") {
        return Err(ApiError::field("format", lang.t("v_choice")));
    }
    let rows = siasn::rows(&state, &user, &slug, year)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    let name = format!("siasn-kursus-{slug}-{year}");
    if format == "xlsx" {
        use crate::web::xlsx::Cell;
        let cells: Vec<Vec<Cell>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, c)| match i {
                        // The NIP stays text: 18 digits are no number to Excel.
                        2 | 7 => Cell::from_csv(c),
                        4 | 5 => chrono::NaiveDate::parse_from_str(c, "%Y-%m-%d")
                            .map_or_else(|_| Cell::text(c.clone()), Cell::Date),
                        _ => Cell::text(c.clone()),
                    })
                    .collect()
            })
            .collect();
        let header = siasn::HEADER.iter().map(|h| h.to_string()).collect();
        let widths = [20.0, 40.0, 10.0, 12.0, 14.0, 14.0, 30.0, 10.0];
        let pages = futures_util::stream::iter([Ok(cells)]);
        return crate::web::xlsx::download(&name, "SIASN", header, &widths, pages).await;
    }
    let mut w = csv::Writer::from_writer(vec![]);
    let internal = |e: csv::Error| ApiError::Internal(e.into());
    w.write_record(siasn::HEADER).map_err(internal)?;
    for r in &rows {
        w.write_record(
            r.iter()
                .map(|c| crate::domain::spreadsheet::neutralise_str(c).into_owned()),
        )
        .map_err(internal)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        ))
        .body(bytes))
}

#[utoipa::path(post, path = "/api/v1/units/{slug}/employees", tag = "people", security(("staff" = ["admin", "supervisor"])),
    params(("slug" = String, Path)),
    request_body(content = EmployeeIn, description = "One employee as JSON, or many as `text/csv` with the header `nip,name,position,competency_kind,email` (the good rows kept)"),
    responses((status = 201, body = EmployeeOut), (status = 200, body = EmployeesImported, description = "A CSV file: rows created, each refused row's problems"),
        (status = 401), (status = 403), (status = 404), (status = 413), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/units/{slug}/employees")]
pub async fn create(
    state: State,
    lang: Lang,
    req: HttpRequest,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let err = |e| ApiError::from_service(e, lang);
    let user = staff(&req).await?;
    if user.role == Role::Planner {
        return Err(ApiError::Forbidden);
    }
    employees::unit_kept(&state, &user, &slug)
        .await
        .map_err(err)?;
    let csv = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("text/csv"));
    let bytes = body(&state, &req, payload).await?;
    if csv {
        let r = employees::import(&state, &user, &slug, &bytes, lang)
            .await
            .map_err(err)?;
        return Ok(HttpResponse::Ok().json(r));
    }
    let e: EmployeeIn = parse_json(&bytes, lang)?;
    let out = employees::create(&state, &user, &slug, &e)
        .await
        .map_err(err)?;
    Ok(HttpResponse::Created().json(out))
}

/// The employee `{id}` names, for a caller who keeps their unit: 403 for planners, 404 for
/// anyone else — before the body is read.
pub struct KeptEmployee(pub CurrentUser);

impl FromRequest for KeptEmployee {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let staff = StaffApi::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let id = req.match_info().get("id").map(str::to_string);
        Box::pin(async move {
            let StaffApi(user) = staff.await?;
            if user.role == Role::Planner {
                return Err(ApiError::Forbidden);
            }
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            let found = match id.and_then(|i| i.parse::<i32>().ok()) {
                Some(i) => crate::store::employees::by_id(&state.db, i).await?,
                None => None,
            };
            match found {
                Some(e) if user.acts_on_unit(e.unit_id) => Ok(KeptEmployee(user)),
                _ => Err(ApiError::NotFound),
            }
        })
    }
}

#[utoipa::path(patch, path = "/api/v1/employees/{id}", tag = "people", security(("staff" = ["admin", "supervisor"])),
    params(("id" = i32, Path)), request_body = EmployeeIn,
    responses((status = 200, body = EmployeeOut), (status = 403), (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[patch("/api/v1/employees/{id}")]
pub async fn update(
    state: State,
    lang: Lang,
    id: web::Path<String>,
    Admitted(KeptEmployee(user), e): Admitted<KeptEmployee, Json<EmployeeIn>>,
) -> Result<HttpResponse, ApiError> {
    let out = employees::update(&state, &user, &id, &e)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(out))
}

/// The unit `{slug}` names, for a caller who keeps its people: 403 for planners, 404 for
/// another unit's staff — before the body is read.
pub struct KeptUnit(pub CurrentUser);

impl FromRequest for KeptUnit {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let staff = StaffApi::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let slug = req.match_info().get("slug").map(str::to_string);
        Box::pin(async move {
            let StaffApi(user) = staff.await?;
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            employees::unit_kept(&state, &user, slug.as_deref().unwrap_or_default())
                .await
                .map_err(|e| ApiError::from_service(e, Lang::Id))?;
            Ok(KeptUnit(user))
        })
    }
}

/// The needs round `{id}` names: planners read (`write` false), its unit's supervisors and
/// administrators act; 404 for anyone else, first.
async fn round_caller(req: &HttpRequest, write: bool) -> Result<CurrentUser, ApiError> {
    let user = staff(req).await?;
    if write && user.role == Role::Planner {
        return Err(ApiError::Forbidden);
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
    let id = req.match_info().get("id").unwrap_or_default().to_string();
    needs::seen_round(&state, &user, &id)
        .await
        .map_err(|e| ApiError::from_service(e, Lang::Id))?;
    Ok(user)
}

#[utoipa::path(post, path = "/api/v1/units/{slug}/need-rounds", tag = "people", security(("staff" = ["admin", "supervisor"])),
    params(("slug" = String, Path)), request_body = RoundIn,
    responses((status = 201, body = RoundOut, description = "The round for the year (opened once) with a new personal link for everyone who has not answered; earlier unanswered links stop working"),
        (status = 403), (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/units/{slug}/need-rounds")]
pub async fn open_round(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    Admitted(KeptUnit(user), r): Admitted<KeptUnit, Json<RoundIn>>,
) -> Result<HttpResponse, ApiError> {
    let out = needs::open_round(&state, &user, &slug, &r)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Created().json(out))
}

#[utoipa::path(get, path = "/api/v1/need-rounds/{id}", tag = "people", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("id" = i32, Path)),
    responses((status = 200, body = RoundStatus, description = "Who answered, what each said and what the supervisor confirmed"), (status = 404)))]
#[get("/api/v1/need-rounds/{id}")]
pub async fn round_status(
    state: State,
    lang: Lang,
    req: HttpRequest,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let user = round_caller(&req, false).await?;
    let s = needs::status(&state, &user, &id)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(s))
}

#[utoipa::path(post, path = "/api/v1/need-rounds/{id}/confirmations", tag = "people", security(("staff" = ["admin", "supervisor"])),
    params(("id" = i32, Path)), request_body = ConfirmIn,
    responses((status = 200, body = RoundStatus, description = "The supervisor's view of a person's need with the programme (its JP) or a named course and JP, which then count as planned for that person"),
        (status = 403), (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/need-rounds/{id}/confirmations")]
pub async fn confirm_need(
    state: State,
    lang: Lang,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let user = round_caller(&req, true).await?;
    let bytes = body(&state, &req, payload).await?;
    let c: ConfirmIn = parse_json(&bytes, lang)?;
    let s = needs::confirm(&state, &user, &id, &c)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(s))
}

#[utoipa::path(post, path = "/api/v1/need-rounds/{id}/colleague-links", tag = "people", security(("staff" = ["admin", "supervisor"])),
    params(("id" = i32, Path)), request_body = ColleagueIn,
    responses((status = 201, body = RoundLink, description = "A one-time link for a colleague to add their view of the employee's needs (shown once)"),
        (status = 403), (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[post("/api/v1/need-rounds/{id}/colleague-links")]
pub async fn colleague_link(
    state: State,
    lang: Lang,
    req: HttpRequest,
    id: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let user = round_caller(&req, true).await?;
    let bytes = body(&state, &req, payload).await?;
    let c: ColleagueIn = parse_json(&bytes, lang)?;
    let link = needs::colleague_link(&state, &user, &id, &c)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Created().json(link))
}
