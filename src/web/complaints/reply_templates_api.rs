//! Reply templates of a unit: its supervisors and administrators list, add and delete them; the
//! staff complaint page offers them in the reply form.
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, delete, get, post, web};
use futures_util::future::LocalBoxFuture;

use crate::bootstrap::state::AppState;
use crate::i18n::Lang;
use crate::service::complaints::{self, ReplyTemplateIn, ReplyTemplateOut};
use crate::web::auth::{ActingApi, Admitted, CurrentUser};
use crate::web::error::ApiError;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_reply_templates)
        .service(add_reply_template)
        .service(delete_reply_template);
}

#[utoipa::path(get, path = "/api/v1/staff/units/{slug}/reply-templates", tag = "staff", security(("staff" = ["admin", "supervisor"])),
    params(("slug" = String, Path)),
    responses((status = 200, description = "The unit's reply templates, by title", body = [ReplyTemplateOut]),
        (status = 404, description = "No such unit, or not one you supervise")))]
#[get("/api/v1/staff/units/{slug}/reply-templates")]
pub async fn list_reply_templates(
    state: State,
    ActingApi(user): ActingApi,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(complaints::reply_templates(&state, &user, &slug).await?))
}

/// The unit `{slug}` names, for a caller who acts on it: planners get 403, anyone else 404
/// whatever the reason — both before the handler's body is read.
pub struct ActedUnit(pub CurrentUser, pub entity::unit::Model);

impl FromRequest for ActedUnit {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let acting = ActingApi::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let slug = req.match_info().get("slug").map(str::to_string);
        Box::pin(async move {
            let ActingApi(user) = acting.await?;
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            let slug = slug.ok_or(ApiError::NotFound)?;
            let unit = complaints::acted_unit(&state, &user, &slug).await?;
            Ok(ActedUnit(user, unit))
        })
    }
}

#[utoipa::path(post, path = "/api/v1/staff/units/{slug}/reply-templates", tag = "staff", security(("staff" = ["admin", "supervisor"])),
    request_body = ReplyTemplateIn, params(("slug" = String, Path)),
    responses((status = 201, body = ReplyTemplateOut), (status = 404), (status = 422, description = "title 1–80, body 1–2000 characters; category a known code")))]
#[post("/api/v1/staff/units/{slug}/reply-templates")]
pub async fn add_reply_template(
    state: State,
    lang: Lang,
    Admitted(ActedUnit(user, unit), body): Admitted<
        ActedUnit,
        crate::web::request_checks::Json<ReplyTemplateIn>,
    >,
) -> Result<HttpResponse, ApiError> {
    let t = complaints::add_reply_template(&state, &user, &unit.slug, &body, lang).await?;
    Ok(HttpResponse::Created().json(t))
}

#[utoipa::path(delete, path = "/api/v1/staff/units/{slug}/reply-templates/{id}", tag = "staff", security(("staff" = ["admin", "supervisor"])),
    params(("slug" = String, Path), ("id" = i32, Path)), responses((status = 204), (status = 404)))]
#[delete("/api/v1/staff/units/{slug}/reply-templates/{id}")]
pub async fn delete_reply_template(
    state: State,
    ActingApi(user): ActingApi,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let id: i32 = id.parse().map_err(|_| ApiError::NotFound)?;
    complaints::remove_reply_template(&state, &user, &slug, id).await?;
    Ok(HttpResponse::NoContent().finish())
}
