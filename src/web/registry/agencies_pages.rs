//! Administrator pages for agencies, and the admin index listing agencies and units.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::domain::registry::AgencyInput;
use crate::i18n::Lang;
use crate::service::registry;
use crate::store;
use crate::web::auth::StaffPage;
use crate::web::error::{FieldErrors, PageError};
use crate::web::flash;
use crate::web::forms::{FormData, StaffForm};
use crate::web::registry::admin_form::{Field, admin, field, form_errors, form_page};
use crate::web::render::{context, page, redirect};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(agency_new)
        .service(agency_create)
        .service(agency_edit)
        .service(agency_update)
        .service(agency_archive);
}

#[get("/admin")]
async fn index(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let mut ctx = context(&req, lang, Some(&user));
    let agencies: Vec<store::units::AgencyView> = store::units::agencies(&state.db, true)
        .await?
        .iter()
        .map(Into::into)
        .collect();
    ctx.insert("agencies", &agencies);
    ctx.insert("units", &store::units::list(&state.db, true).await?);
    page(&state, "admin/index.html", &ctx)
}

fn agency_fields(lang: Lang, form: &FormData, errors: &FieldErrors) -> Vec<Field> {
    vec![
        field("slug", "text", true, lang, form, errors),
        field("name", "text", true, lang, form, errors),
    ]
}

fn agency_input(form: &FormData) -> AgencyInput {
    AgencyInput {
        slug: form.text("slug"),
        name: form.text("name"),
    }
}

#[get("/admin/agencies/new")]
async fn agency_new(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let f = FormData(vec![]);
    form_page(
        &state,
        &req,
        lang,
        &user,
        lang.t("new_agency"),
        "/admin/agencies",
        agency_fields(lang, &f, &FieldErrors::new()),
        StatusCode::OK,
    )
}

#[post("/admin/agencies")]
async fn agency_create(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let errors = match registry::create_agency(&state.db, &agency_input(&form)).await {
        Ok(_) => return Ok(redirect(&flash::to("/admin", "agency_created"))),
        Err(e) => form_errors(e, lang)?,
    };
    form_page(
        &state,
        &req,
        lang,
        &user,
        lang.t("new_agency"),
        "/admin/agencies",
        agency_fields(lang, &form, &errors),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

#[get("/admin/agencies/{slug}/edit")]
async fn agency_edit(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let a = store::units::agency_by_slug(&state.db, &slug)
        .await?
        .ok_or(PageError::NotFound)?;
    let f = FormData(vec![
        ("slug".into(), a.slug.clone()),
        ("name".into(), a.name.clone()),
    ]);
    form_page(
        &state,
        &req,
        lang,
        &user,
        &a.name,
        &format!("/admin/agencies/{}/edit", a.slug),
        agency_fields(lang, &f, &FieldErrors::new()),
        StatusCode::OK,
    )
}

#[post("/admin/agencies/{slug}/edit")]
async fn agency_update(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let a = store::units::agency_by_slug(&state.db, &slug)
        .await?
        .ok_or(PageError::NotFound)?;
    let errors = match registry::update_agency(&state.db, &slug, &agency_input(&form)).await {
        Ok(_) => return Ok(redirect(&flash::to("/admin", "agency_saved"))),
        Err(e) => form_errors(e, lang)?,
    };
    form_page(
        &state,
        &req,
        lang,
        &user,
        &a.name,
        &format!("/admin/agencies/{slug}/edit"),
        agency_fields(lang, &form, &errors),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

#[post("/admin/agencies/{slug}/archive")]
async fn agency_archive(
    state: State,
    StaffForm(user, _): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    registry::archive_agency(&state.db, &slug).await?;
    Ok(redirect(&flash::to("/admin", "agency_archived")))
}
