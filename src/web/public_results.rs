//! A unit's published SKM results: the public page `/u/{slug}/hasil` (no JavaScript, a few KB)
//! and the same as JSON, `GET /api/v1/units/{slug}/results` — no login, no personal data.
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Datelike;
use serde::Deserialize;

use crate::i18n::Lang;
use crate::service::public_results::{self, PublicResults};
use crate::web::error::{ApiError, PageError};
use crate::web::render::{context, page};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(api_results)
        .service(results_page)
        .service(screen_page);
}

/// The operation in the OpenAPI document (see [`crate::web::openapi`]).
#[derive(utoipa::OpenApi)]
#[openapi(paths(api_results))]
pub struct Api;

#[derive(Deserialize)]
pub struct YearQuery {
    pub year: Option<String>,
}

/// The year asked for (this year by default), or the field's message.
fn year_of(q: &YearQuery, lang: Lang) -> Result<i32, String> {
    match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => Ok(crate::service::today_wib().year()),
        Some(y) => y.parse().map_err(|_| lang.t("v_range").to_string()),
    }
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/results", tag = "follow-up",
    params(("slug" = String, Path), ("year" = Option<i32>, Query, description = "default this year")),
    responses((status = 200, body = PublicResults, description = "The unit's published SKM results: IKM, NRR per element (withheld below the minimum cell), the trend by quarter, complaint handling, and the follow-up plan with its status; no personal data"),
        (status = 404), (status = 422, body = crate::web::error::ErrorBody)))]
#[get("/api/v1/units/{slug}/results")]
pub async fn api_results(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = year_of(&q, lang).map_err(|m| ApiError::field("year", m))?;
    let r = public_results::results(&state, &slug, year, lang)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(r))
}

#[get("/u/{slug}/hasil")]
pub async fn results_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    slug: web::Path<String>,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let year = year_of(&q, lang).unwrap_or_else(|_| crate::service::today_wib().year());
    let r = public_results::results(&state, &slug, year, lang).await?;
    let mut ctx = context(&req, lang, None);
    ctx.insert("r", &r);
    page(&state, "public/results.html", &ctx)
}

/// The display mode for a TV or kiosk in the waiting room: large type, the IKM and what is
/// being done about the weak spots, the QR to the survey. It refreshes itself every five
/// minutes without JavaScript, by the `Refresh` response header: a display nobody operates is
/// real-time content (WCAG 2.2.1's exception); in the page itself a `<meta>` refresh would
/// also reload the page under someone reading it with a screen reader at a desk.
#[get("/u/{slug}/layar")]
pub async fn screen_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let year = crate::service::today_wib().year();
    let r = public_results::results(&state, &slug, year, lang).await?;
    let mut ctx = context(&req, lang, None);
    // The screen shows a few items, those not yet done first.
    let mut items: Vec<&public_results::PublicFollowUp> = r.follow_ups.iter().collect();
    items.sort_by_key(|f| f.status == "done");
    items.truncate(3);
    ctx.insert("items", &items);
    ctx.insert("r", &r);
    ctx.insert(
        "survey_url",
        &format!("{}/u/{}", state.settings.base_url, r.unit),
    );
    let mut res = page(&state, "public/screen.html", &ctx)?;
    res.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("refresh"),
        actix_web::http::header::HeaderValue::from_static("300"),
    );
    Ok(res)
}
