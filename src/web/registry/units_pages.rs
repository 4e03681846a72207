//! Administrator pages for service units and their services: create, edit, archive.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::domain::registry::{ServiceInput, UNIT_KINDS, UnitInput};
use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::service::registry::{self, Fields};
use crate::store;
use crate::web::auth::{CurrentUser, StaffPage};
use crate::web::error::{FieldErrors, PageError};
use crate::web::flash;
use crate::web::forms::{FormData, StaffForm};
use crate::web::registry::admin_form::{Field, admin, field, form_errors, form_page};
use crate::web::render::{context, page_with_status, redirect};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(unit_new)
        .service(unit_create)
        .service(unit_edit)
        .service(unit_update)
        .service(unit_archive)
        .service(service_create)
        .service(service_edit)
        .service(service_update)
        .service(service_archive);
}

async fn unit_fields(
    state: &State,
    lang: Lang,
    form: &FormData,
    errors: &FieldErrors,
) -> Result<Vec<Field>, PageError> {
    let mut agency = field("agency", "select", true, lang, form, errors);
    agency.label = lang.t("agency");
    agency.options = store::units::agencies(&state.db, false)
        .await?
        .into_iter()
        .map(|a| (a.slug, a.name))
        .collect();
    let mut kind = field("kind", "select", true, lang, form, errors);
    kind.options = UNIT_KINDS
        .iter()
        .map(|k| (k.to_string(), lang.t(&format!("unit_kind_{k}")).to_string()))
        .collect();
    Ok(vec![
        agency,
        field("slug", "text", true, lang, form, errors),
        field("name", "text", true, lang, form, errors),
        kind,
        field("address", "textarea", false, lang, form, errors),
        field("staff_count", "number", false, lang, form, errors),
        field("monthly_visitors", "number", false, lang, form, errors),
    ])
}

/// The unit's page: its form, its services, and where every unit and service form lands.
fn edit_url(slug: &str) -> String {
    format!("/admin/units/{slug}/edit")
}

fn unit_input(form: &FormData, problems: &mut Problems) -> UnitInput {
    UnitInput {
        agency: form.text("agency"),
        slug: form.text("slug"),
        name: form.text("name"),
        kind: form.text("kind"),
        address: Some(form.text("address").unwrap_or_default()),
        staff_count: form.number("staff_count", problems),
        monthly_visitors: form.number("monthly_visitors", problems),
    }
}

#[get("/admin/units/new")]
async fn unit_new(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let fields = unit_fields(&state, lang, &FormData(vec![]), &FieldErrors::new()).await?;
    form_page(
        &state,
        &req,
        lang,
        &user,
        lang.t("new_unit"),
        "/admin/units",
        fields,
        StatusCode::OK,
    )
}

#[post("/admin/units")]
async fn unit_create(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let mut problems = Problems::new();
    let input = unit_input(&form, &mut problems);
    let errors = match registry::create_unit(&state.db, &input, problems).await {
        Ok(u) => return Ok(redirect(&flash::to(&edit_url(&u.slug), "unit_created"))),
        Err(e) => form_errors(e, lang)?,
    };
    let fields = unit_fields(&state, lang, &form, &errors).await?;
    form_page(
        &state,
        &req,
        lang,
        &user,
        lang.t("new_unit"),
        "/admin/units",
        fields,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

#[allow(clippy::too_many_arguments)]
async fn unit_edit_page(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    user: &CurrentUser,
    slug: &str,
    form: &FormData,
    errors: &FieldErrors,
    service_form: &FormData,
    service_errors: &FieldErrors,
) -> Result<HttpResponse, PageError> {
    let (_, view) = store::units::view_by_slug(&state.db, slug, true)
        .await?
        .ok_or(PageError::NotFound)?;
    let mut ctx = context(req, lang, Some(user));
    ctx.insert("unit", &view);
    ctx.insert("fields", &unit_fields(state, lang, form, errors).await?);
    ctx.insert(
        "service_fields",
        &service_fields(lang, service_form, service_errors),
    );
    ctx.insert(
        "has_errors",
        &(!errors.is_empty() || !service_errors.is_empty()),
    );
    let status = if errors.is_empty() && service_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page_with_status(state, status, "admin/unit.html", &ctx)
}

fn unit_form_from(view: &store::units::UnitView) -> FormData {
    let opt = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
    FormData(vec![
        ("agency".into(), view.agency.slug.clone()),
        ("slug".into(), view.slug.clone()),
        ("name".into(), view.name.clone()),
        ("kind".into(), view.kind.clone()),
        ("address".into(), view.address.clone().unwrap_or_default()),
        ("staff_count".into(), opt(view.staff_count)),
        ("monthly_visitors".into(), opt(view.monthly_visitors)),
    ])
}

#[get("/admin/units/{slug}/edit")]
async fn unit_edit(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let (_, view) = store::units::view_by_slug(&state.db, &slug, true)
        .await?
        .ok_or(PageError::NotFound)?;
    let empty = FieldErrors::new();
    unit_edit_page(
        &state,
        &req,
        lang,
        &user,
        &slug,
        &unit_form_from(&view),
        &empty,
        &FormData(vec![]),
        &empty,
    )
    .await
}

#[post("/admin/units/{slug}/edit")]
async fn unit_update(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let mut problems = Problems::new();
    let input = unit_input(&form, &mut problems);
    let errors = match registry::update_unit(&state.db, &slug, &input, Fields::All, problems).await
    {
        Ok(u) => return Ok(redirect(&flash::to(&edit_url(&u.slug), "unit_saved"))),
        Err(e) => form_errors(e, lang)?,
    };
    let empty = FieldErrors::new();
    unit_edit_page(
        &state,
        &req,
        lang,
        &user,
        &slug,
        &form,
        &errors,
        &FormData(vec![]),
        &empty,
    )
    .await
}

#[post("/admin/units/{slug}/archive")]
async fn unit_archive(
    state: State,
    StaffForm(user, _): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    registry::archive_unit(&state.db, &slug).await?;
    Ok(redirect(&flash::to("/admin", "unit_archived")))
}

fn service_fields(lang: Lang, form: &FormData, errors: &FieldErrors) -> Vec<Field> {
    let mut fee = field("fee_rupiah", "number", false, lang, form, errors);
    fee.label = lang.t("f_fee");
    vec![
        field("slug", "text", true, lang, form, errors),
        field("name", "text", true, lang, form, errors),
        field("standard_minutes", "number", false, lang, form, errors),
        field("standard_days", "number", false, lang, form, errors),
        fee,
    ]
}

fn service_input(form: &FormData, problems: &mut Problems) -> ServiceInput {
    ServiceInput {
        slug: form.text("slug"),
        name: form.text("name"),
        standard_minutes: form.number("standard_minutes", problems),
        standard_days: form.number("standard_days", problems),
        fee_rupiah: form.number("fee_rupiah", problems),
    }
}

#[post("/admin/units/{slug}/services")]
async fn service_create(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let mut problems = Problems::new();
    let input = service_input(&form, &mut problems);
    let errors = match registry::create_service(&state.db, &slug, &input, problems).await {
        Ok(_) => return Ok(redirect(&flash::to(&edit_url(&slug), "service_created"))),
        Err(e) => form_errors(e, lang)?,
    };
    let (_, view) = store::units::view_by_slug(&state.db, &slug, true)
        .await?
        .ok_or(PageError::NotFound)?;
    unit_edit_page(
        &state,
        &req,
        lang,
        &user,
        &slug,
        &unit_form_from(&view),
        &FieldErrors::new(),
        &form,
        &errors,
    )
    .await
}

#[get("/admin/units/{slug}/services/{service}/edit")]
async fn service_edit(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let unit = store::units::by_slug(&state.db, &path.0)
        .await?
        .ok_or(PageError::NotFound)?;
    let s = store::units::service_by_slug(&state.db, unit.id, &path.1)
        .await?
        .ok_or(PageError::NotFound)?;
    let opt = |v: Option<i32>| v.map(|x| x.to_string()).unwrap_or_default();
    let f = FormData(vec![
        ("slug".into(), s.slug.clone()),
        ("name".into(), s.name.clone()),
        ("standard_minutes".into(), opt(s.standard_minutes)),
        ("standard_days".into(), opt(s.standard_days)),
        ("fee_rupiah".into(), s.fee_rupiah.to_string()),
    ]);
    let action = format!("/admin/units/{}/services/{}/edit", unit.slug, s.slug);
    form_page(
        &state,
        &req,
        lang,
        &user,
        &s.name,
        &action,
        service_fields(lang, &f, &FieldErrors::new()),
        StatusCode::OK,
    )
}

#[post("/admin/units/{slug}/services/{service}/edit")]
async fn service_update(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let unit = store::units::by_slug(&state.db, &path.0)
        .await?
        .ok_or(PageError::NotFound)?;
    let s = store::units::service_by_slug(&state.db, unit.id, &path.1)
        .await?
        .ok_or(PageError::NotFound)?;
    let mut problems = Problems::new();
    let input = service_input(&form, &mut problems);
    let result =
        registry::update_service(&state.db, &path.0, &path.1, &input, Fields::All, problems);
    let errors = match result.await {
        Ok((unit, _)) => return Ok(redirect(&flash::to(&edit_url(&unit.slug), "service_saved"))),
        Err(e) => form_errors(e, lang)?,
    };
    let action = format!("/admin/units/{}/services/{}/edit", path.0, path.1);
    form_page(
        &state,
        &req,
        lang,
        &user,
        &s.name,
        &action,
        service_fields(lang, &form, &errors),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

#[post("/admin/units/{slug}/services/{service}/archive")]
async fn service_archive(
    state: State,
    StaffForm(user, _): StaffForm,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let unit = registry::archive_service(&state.db, &path.0, &path.1).await?;
    Ok(redirect(&flash::to(
        &edit_url(&unit.slug),
        "service_archived",
    )))
}
