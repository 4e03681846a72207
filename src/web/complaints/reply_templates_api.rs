//! Reply templates of a unit: its supervisors and administrators list, add and delete them; the
//! staff complaint page offers them in the reply form.
use actix_web::{HttpResponse, delete, get, post, web};

use crate::i18n::Lang;
use crate::service::complaints::{self as complaint_ops, ReplyTemplateIn, ReplyTemplateOut};
use crate::state::State;
use crate::web::auth::StaffApi;
use crate::web::error::ApiError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_reply_templates)
        .service(add_reply_template)
        .service(delete_reply_template);
}

#[utoipa::path(get, path = "/api/v1/staff/units/{slug}/reply-templates", tag = "staff", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses((status = 200, description = "The unit's reply templates, by title", body = [ReplyTemplateOut]),
        (status = 404, description = "No such unit, or not one you supervise")))]
#[get("/api/v1/staff/units/{slug}/reply-templates")]
pub async fn list_reply_templates(
    state: State,
    StaffApi(user): StaffApi,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(complaint_ops::reply_templates(&state, &user, &slug).await?))
}

#[utoipa::path(post, path = "/api/v1/staff/units/{slug}/reply-templates", tag = "staff", security(("bearer" = [])),
    request_body = ReplyTemplateIn, params(("slug" = String, Path)),
    responses((status = 201, body = ReplyTemplateOut), (status = 404), (status = 422, description = "title 1–80, body 1–2000 characters; category a known code")))]
#[post("/api/v1/staff/units/{slug}/reply-templates")]
pub async fn add_reply_template(
    state: State,
    StaffApi(user): StaffApi,
    lang: Lang,
    slug: web::Path<String>,
    body: crate::web::boundary::Json<ReplyTemplateIn>,
) -> Result<HttpResponse, ApiError> {
    let t = complaint_ops::add_reply_template(&state, &user, &slug, &body, lang).await?;
    Ok(HttpResponse::Created().json(t))
}

#[utoipa::path(delete, path = "/api/v1/staff/units/{slug}/reply-templates/{id}", tag = "staff", security(("bearer" = [])),
    params(("slug" = String, Path), ("id" = i32, Path)), responses((status = 204), (status = 404)))]
#[delete("/api/v1/staff/units/{slug}/reply-templates/{id}")]
pub async fn delete_reply_template(
    state: State,
    StaffApi(user): StaffApi,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let id: i32 = id.parse().map_err(|_| ApiError::NotFound)?;
    complaint_ops::remove_reply_template(&state, &user, &slug, id).await?;
    Ok(HttpResponse::NoContent().finish())
}
