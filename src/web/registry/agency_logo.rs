//! An agency's logo: administrators upload (PNG or SVG ≤ 200 KB, checked by content) or
//! remove it on `/admin/agencies/{slug}/logo`; anyone gets it at `/agencies/{slug}/logo` for the
//! kop of printed reports — as an image only: the answer forbids scripts and sniffing, so even
//! an SVG opened on its own runs nothing.
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::i18n::Lang;
use crate::service::agency_logos;
use crate::service::error::{ServiceError, translate};
use crate::store;
use crate::web::auth::StaffPage;
use crate::web::error::{FieldErrors, PageError};
use crate::web::flash;
use crate::web::forms::{StaffForm, StaffUpload, Upload};
use crate::web::registry::admin_form::admin;
use crate::web::render::{context, page_with_status, redirect};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(logo_file)
        .service(logo_page)
        .service(logo_upload)
        .service(logo_delete);
}

#[get("/agencies/{slug}/logo")]
async fn logo_file(state: State, slug: web::Path<String>) -> Result<HttpResponse, PageError> {
    let logo = agency_logos::logo(&state.db, &slug)
        .await?
        .ok_or(PageError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(logo.content_type)
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(logo.bytes))
}

async fn render(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    user: &crate::web::auth::CurrentUser,
    slug: &str,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let a = store::units::agency_by_slug(&state.db, slug)
        .await?
        .ok_or(PageError::NotFound)?;
    let has_logo = agency_logos::logo(&state.db, slug).await?.is_some();
    let mut ctx = context(req, lang, Some(user));
    ctx.insert("agency_name", &a.name);
    ctx.insert("agency_slug", &a.slug);
    ctx.insert("has_logo", &has_logo);
    ctx.insert("errors", errors);
    page_with_status(state, status, "admin/logo.html", &ctx)
}

#[get("/admin/agencies/{slug}/logo")]
async fn logo_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    render(
        &state,
        &req,
        lang,
        &user,
        &slug,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

#[post("/admin/agencies/{slug}/logo")]
async fn logo_upload(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffUpload(user, _, file): StaffUpload,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let refused = |key: &str| {
        let mut e = FieldErrors::new();
        e.insert("logo".into(), lang.t(key).to_string());
        e
    };
    let errors = match file {
        Upload::None => refused("v_required"),
        Upload::TooLarge => refused("v_logo_size"),
        Upload::File { bytes, .. } => match agency_logos::set_logo(&state.db, &slug, bytes).await {
            Ok(()) => {
                return Ok(redirect(&flash::to(
                    &format!("/admin/agencies/{slug}/logo"),
                    "agency_logo_saved",
                )));
            }
            Err(ServiceError::Problems(p)) => translate(&p, lang),
            Err(e) => return Err(e.into()),
        },
    };
    render(
        &state,
        &req,
        lang,
        &user,
        &slug,
        &errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[post("/admin/agencies/{slug}/logo/delete")]
async fn logo_delete(
    state: State,
    StaffForm(user, _): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    agency_logos::remove_logo(&state.db, &slug).await?;
    Ok(redirect(&flash::to(
        &format!("/admin/agencies/{slug}/logo"),
        "agency_logo_removed",
    )))
}
