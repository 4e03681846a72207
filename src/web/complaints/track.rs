//! Following a complaint without an account: the tracking page and its lookup, the public JSON
//! view, and reopening, which needs the citizen's reopen code besides the public tracking ID.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::bootstrap::state::AppState;
use crate::domain::complaint::normalise_tracking_id;
use crate::i18n::Lang;
use crate::service::complaints::{self, PublicView, TransitionIn};
use crate::store;
use crate::web::error::{ApiError, PageError};
use crate::web::forms::FormData;
use crate::web::ratelimit::check_public_limit;
use crate::web::render::{context, page, page_with_status, redirect};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(api_track)
        .service(api_reopen)
        .service(track_lookup)
        .service(track_page)
        .service(reopen_page);
}

async fn find_public(state: &AppState, id: &str) -> Result<entity::complaint::Model, ApiError> {
    // Malformed and unknown IDs get the same answer.
    let id = normalise_tracking_id(id).ok_or(ApiError::NotFound)?;
    store::complaints::by_tracking_id(&state.db, &id)
        .await?
        .ok_or(ApiError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/complaints/{tracking_id}", tag = "complaints",
    params(("tracking_id" = String, Path)), responses((status = 200, body = PublicView), (status = 404)))]
#[get("/api/v1/complaints/{tracking_id}")]
pub async fn api_track(
    state: State,
    lang: Lang,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = find_public(&state, &id).await?;
    Ok(HttpResponse::Ok().json(complaints::public_view(&state.db, &c, lang).await?))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct ReopenIn {
    /// Why the citizen is not satisfied.
    pub reason: Option<String>,
    /// The reopen code the citizen received at filing (`XXXX-XXXX`; case, spaces and dashes
    /// do not matter). Required: the tracking ID alone is public.
    pub code: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/complaints/{tracking_id}/reopen", tag = "complaints", request_body = ReopenIn,
    params(("tracking_id" = String, Path)), responses((status = 200, body = PublicView), (status = 404),
        (status = 409, description = "Not allowed from the current status"),
        (status = 422, body = crate::web::error::ErrorBody, description = "No or a wrong reopen code (`fields.code`)"),
        (status = 429, description = "Rate limited; see Retry-After")))]
#[post("/api/v1/complaints/{tracking_id}/reopen")]
pub async fn api_reopen(
    state: State,
    req: HttpRequest,
    lang: Lang,
    id: web::Path<String>,
    body: crate::web::request_checks::Json<ReopenIn>,
) -> Result<HttpResponse, ApiError> {
    check_public_limit(&state, &req).await?;
    let c = find_public(&state, &id).await?;
    let input = TransitionIn {
        action: "reopen".into(),
        reason: body.reason.clone(),
        reopen_code: body.code.clone(),
        ..Default::default()
    };
    let c = complaints::act(&state, c, &input, None, lang).await?;
    Ok(HttpResponse::Ok().json(complaints::public_view(&state.db, &c, lang).await?))
}

#[get("/track")]
pub async fn track_lookup(
    state: State,
    req: HttpRequest,
    lang: Lang,
) -> Result<HttpResponse, PageError> {
    let q = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok();
    let typed = q
        .as_ref()
        .and_then(|q| q.get("id").cloned())
        .unwrap_or_default();
    if !typed.trim().is_empty() {
        if let Some(id) = normalise_tracking_id(&typed)
            && store::complaints::by_tracking_id(&state.db, &id)
                .await?
                .is_some()
        {
            return Ok(redirect(&format!("/track/{id}")));
        }
        let mut ctx = context(&req, lang, None);
        ctx.insert("typed", &typed);
        ctx.insert("not_found", &true);
        return page_with_status(
            &state,
            StatusCode::NOT_FOUND,
            "public/track_lookup.html",
            &ctx,
        );
    }
    let mut ctx = context(&req, lang, None);
    ctx.insert("typed", "");
    page(&state, "public/track_lookup.html", &ctx)
}

#[get("/track/{id}")]
pub async fn track_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let c = find_public(&state, &id).await?;
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let code = query
        .iter()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.as_str());
    let reopen = Reopen {
        code: code.unwrap_or_default(),
        reason: "",
        error: None,
    };
    render_track(&state, &req, lang, &c, &reopen, StatusCode::OK).await
}

/// The reopen form as the citizen left it: the code they typed (or their link carried), their
/// reason, and what was wrong.
struct Reopen<'a> {
    code: &'a str,
    reason: &'a str,
    error: Option<String>,
}

async fn render_track(
    state: &AppState,
    req: &HttpRequest,
    lang: Lang,
    c: &entity::complaint::Model,
    reopen: &Reopen<'_>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let view = complaints::public_view(&state.db, c, lang).await?;
    let mut ctx = context(req, lang, None);
    ctx.insert("c", &view);
    ctx.insert("new", &req.query_string().contains("new=1"));
    // A code that is this complaint's (the citizen's own link) is shown and filled in; anything
    // else in the address is ignored, so the page never confirms a guess.
    let own = crate::security::reopen_code_matches(&state.reopen_key, &c.tracking_id, reopen.code);
    ctx.insert(
        "own_code",
        &own.then(|| complaints::reopen_code(state, &c.tracking_id)),
    );
    ctx.insert(
        "reopen_code",
        if own || reopen.error.is_some() {
            reopen.code
        } else {
            ""
        },
    );
    ctx.insert("reopen_reason", reopen.reason);
    ctx.insert("reopen_error", &reopen.error);
    ctx.insert(
        "track_url",
        &format!("{}/track/{}", state.settings.base_url, view.tracking_id),
    );
    page_with_status(state, status, "public/track.html", &ctx)
}

#[post("/track/{id}/reopen")]
pub async fn reopen_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    id: web::Path<String>,
    form: crate::web::forms::Form,
) -> Result<HttpResponse, PageError> {
    check_public_limit(&state, &req).await?;
    let f = FormData(form.into_inner());
    let c = find_public(&state, &id).await?;
    let tracking = c.tracking_id.clone();
    let input = TransitionIn {
        action: "reopen".into(),
        reason: f.text("reason"),
        reopen_code: f.text("code"),
        ..Default::default()
    };
    match complaints::act(&state, c.clone(), &input, None, lang).await {
        Ok(_) | Err(crate::service::error::ServiceError::Conflict(_)) => {
            Ok(redirect(&format!("/track/{tracking}")))
        }
        // No or a wrong code: the form again, with what the citizen typed and why.
        Err(crate::service::error::ServiceError::Invalid(errors)) => {
            let code = input.reopen_code.clone().unwrap_or_default();
            let reason = input.reason.clone().unwrap_or_default();
            let reopen = Reopen {
                code: &code,
                reason: &reason,
                error: errors.values().next().cloned(),
            };
            render_track(
                &state,
                &req,
                lang,
                &c,
                &reopen,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
