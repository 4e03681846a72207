//! The reply templates page of a unit (`/staff/units/{slug}/reply-templates`): its supervisors
//! (and administrators) see the unit's templates, add one (for every category or one) and
//! delete one, without the API. A refused form comes back with what was typed.
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::i18n::Lang;
use crate::service::complaints::{self, ReplyTemplateIn};
use crate::service::error::ServiceError;
use crate::store;
use crate::web::auth::StaffPage;
use crate::web::error::{FieldErrors, PageError};
use crate::web::forms::{FormData, StaffForm};
use crate::web::render::{context, page_with_status, redirect};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(templates_page)
        .service(add_template)
        .service(delete_template);
}

fn path(slug: &str) -> String {
    format!("/staff/units/{slug}/reply-templates")
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    user: &crate::web::auth::CurrentUser,
    slug: &str,
    form: &FormData,
    errors: &FieldErrors,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, PageError> {
    let unit = complaints::acted_unit(state, user, slug).await?;
    let templates = complaints::reply_templates(state, user, slug).await?;
    let cats: Vec<(String, String)> = store::complaints::categories(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.code, lang.pick(c.name_id, c.name_en)))
        .collect();
    let cat_name = |code: &Option<String>| -> String {
        code.as_ref()
            .and_then(|c| cats.iter().find(|(k, _)| k == c))
            .map_or_else(
                || lang.t("rt_all_categories").to_string(),
                |(_, n)| n.clone(),
            )
    };
    let rows: Vec<serde_json::Value> = templates
        .iter()
        .map(|t| {
            serde_json::json!({"id": t.id, "title": t.title, "body": t.body,
                "category": cat_name(&t.category)})
        })
        .collect();
    let mut ctx = context(req, lang, Some(user));
    ctx.insert("unit_name", &unit.name);
    ctx.insert("unit_slug", &unit.slug);
    ctx.insert("templates", &rows);
    ctx.insert("categories", &cats);
    // Every field the template shows exists, typed or not.
    let mut v: std::collections::BTreeMap<String, String> = ["title", "body", "category"]
        .iter()
        .map(|k| (k.to_string(), String::new()))
        .collect();
    v.extend(form.values_map());
    ctx.insert("v", &v);
    ctx.insert("errors", errors);
    page_with_status(state, status, "staff/reply_templates.html", &ctx)
}

#[get("/staff/units/{slug}/reply-templates")]
async fn templates_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    render(
        &state,
        &req,
        lang,
        &user,
        &slug,
        &FormData(vec![]),
        &FieldErrors::new(),
        actix_web::http::StatusCode::OK,
    )
    .await
}

#[post("/staff/units/{slug}/reply-templates")]
async fn add_template(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, f): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let input = ReplyTemplateIn {
        title: f.text("title").unwrap_or_default(),
        body: f.text("body").unwrap_or_default(),
        category: f.text("category"),
    };
    match complaints::add_reply_template(&state, &user, &slug, &input, lang).await {
        Ok(_) => Ok(redirect(&crate::web::flash::to(
            &path(&slug),
            "reply_template_added",
        ))),
        Err(ServiceError::Invalid(errors)) => {
            render(
                &state,
                &req,
                lang,
                &user,
                &slug,
                &f,
                &errors,
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[post("/staff/units/{slug}/reply-templates/{id}/delete")]
async fn delete_template(
    state: State,
    StaffForm(user, _): StaffForm,
    p: web::Path<(String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = p.into_inner();
    complaints::remove_reply_template(&state, &user, &slug, id).await?;
    Ok(redirect(&crate::web::flash::to(
        &path(&slug),
        "reply_template_deleted",
    )))
}
