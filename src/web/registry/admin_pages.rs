//! Administrator pages for the registry: agencies, units, services.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;

use crate::domain::registry::{AgencyInput, ServiceInput, UNIT_KINDS, UnitInput};
use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::state::State;
use crate::store::{self, is_unique_violation};
use crate::web::auth::{CurrentUser, StaffPage};
use crate::web::error::{ApiError, FieldErrors, PageError};
use crate::web::forms::{FormData, StaffForm};
use crate::web::registry::admin_api::{check_service, check_unit};
use crate::web::render::{context, page, page_with_status, redirect};
use crate::web::translate;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(agency_new)
        .service(agency_create)
        .service(agency_edit)
        .service(agency_update)
        .service(agency_archive)
        .service(unit_new)
        .service(unit_create)
        .service(unit_edit)
        .service(unit_update)
        .service(unit_archive)
        .service(service_create)
        .service(service_edit)
        .service(service_update)
        .service(service_archive);
}

/// Admin pages answer 404 to everyone else, like any page they may not see.
fn admin(user: &CurrentUser) -> Result<(), PageError> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(PageError::NotFound)
    }
}

#[derive(Serialize)]
struct Field {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    value: String,
    error: Option<String>,
    required: bool,
    options: Vec<(String, String)>,
}

fn field(
    name: &'static str,
    kind: &'static str,
    required: bool,
    lang: Lang,
    form: &FormData,
    errors: &FieldErrors,
) -> Field {
    Field {
        name,
        label: lang.t(&format!("f_{name}")),
        kind,
        value: form.text(name).unwrap_or_default(),
        error: errors.get(name).cloned(),
        required,
        options: vec![],
    }
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    user: &CurrentUser,
    title: &str,
    action: &str,
    fields: Vec<Field>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let mut ctx = context(req, lang, Some(user));
    ctx.insert("title", title);
    ctx.insert("action", action);
    ctx.insert("fields", &fields);
    ctx.insert("has_errors", &fields.iter().any(|f| f.error.is_some()));
    page_with_status(state, status, "admin/form.html", &ctx)
}

fn status_for(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
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

fn validation_fields(e: ApiError) -> Result<FieldErrors, PageError> {
    match e {
        ApiError::Validation(f) => Ok(f),
        other => Err(other.into()),
    }
}

fn taken(e: sea_orm::DbErr, lang: Lang) -> Result<FieldErrors, PageError> {
    if is_unique_violation(&e) {
        Ok(FieldErrors::from([(
            "slug".to_string(),
            lang.t("v_taken").to_string(),
        )]))
    } else {
        Err(e.into())
    }
}

fn check_agency(i: &AgencyInput, lang: Lang) -> FieldErrors {
    let mut p = Problems::new();
    if i.slug.is_none() {
        p.insert("slug".into(), "v_required");
    }
    if i.name.is_none() {
        p.insert("name".into(), "v_required");
    }
    if let Err(e) = validator::Validate::validate(i) {
        p.extend(crate::domain::validation::from_validator(&e));
    }
    translate(&p, lang)
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
    let input = agency_input(&form);
    let mut errors = check_agency(&input, lang);
    if errors.is_empty() {
        match store::units::create_agency(
            &state.db,
            input.slug.as_deref().unwrap_or_default(),
            input.name.as_deref().unwrap_or_default(),
        )
        .await
        {
            Ok(_) => return Ok(redirect("/admin")),
            Err(e) => errors = taken(e, lang)?,
        }
    }
    form_page(
        &state,
        &req,
        lang,
        &user,
        lang.t("new_agency"),
        "/admin/agencies",
        agency_fields(lang, &form, &errors),
        status_for(&errors),
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
    let input = agency_input(&form);
    let mut errors = check_agency(&input, lang);
    let title = a.name.clone();
    if errors.is_empty() {
        match store::units::update_agency(
            &state.db,
            a,
            input.slug.as_deref(),
            input.name.as_deref(),
        )
        .await
        {
            Ok(_) => return Ok(redirect("/admin")),
            Err(e) => errors = taken(e, lang)?,
        }
    }
    form_page(
        &state,
        &req,
        lang,
        &user,
        &title,
        &format!("/admin/agencies/{slug}/edit"),
        agency_fields(lang, &form, &errors),
        status_for(&errors),
    )
}

#[post("/admin/agencies/{slug}/archive")]
async fn agency_archive(
    state: State,
    StaffForm(user, _): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let a = store::units::agency_by_slug(&state.db, &slug)
        .await?
        .ok_or(PageError::NotFound)?;
    store::units::set_agency_archived(&state.db, a, true).await?;
    Ok(redirect("/admin"))
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
        .map(|k| (k.to_string(), k.replace('_', " ")))
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
    let mut errors = match check_unit(&state, &input, true, lang).await {
        Ok(_) => FieldErrors::new(),
        Err(e) => validation_fields(e)?,
    };
    errors.extend(translate(&problems, lang));
    if errors.is_empty() {
        let agency =
            store::units::agency_by_slug(&state.db, input.agency.as_deref().unwrap_or_default())
                .await?
                .ok_or(PageError::BadRequest)?;
        match store::units::create(&state.db, agency.id, &input).await {
            Ok(u) => return Ok(redirect(&format!("/admin/units/{}/edit", u.slug))),
            Err(e) => errors = taken(e, lang)?,
        }
    }
    let fields = unit_fields(&state, lang, &form, &errors).await?;
    form_page(
        &state,
        &req,
        lang,
        &user,
        lang.t("new_unit"),
        "/admin/units",
        fields,
        status_for(&errors),
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
    let unit = store::units::by_slug(&state.db, &slug)
        .await?
        .ok_or(PageError::NotFound)?;
    let mut problems = Problems::new();
    let input = unit_input(&form, &mut problems);
    let (mut errors, agency_id) = match check_unit(&state, &input, true, lang).await {
        Ok(a) => (FieldErrors::new(), a),
        Err(e) => (validation_fields(e)?, None),
    };
    errors.extend(translate(&problems, lang));
    if errors.is_empty() {
        match store::units::update(&state.db, unit, agency_id, &input).await {
            Ok(u) => return Ok(redirect(&format!("/admin/units/{}/edit", u.slug))),
            Err(e) => errors = taken(e, lang)?,
        }
    }
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
    let unit = store::units::by_slug(&state.db, &slug)
        .await?
        .ok_or(PageError::NotFound)?;
    store::units::set_archived(&state.db, unit, true).await?;
    Ok(redirect("/admin"))
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

fn check_service_form(
    input: &ServiceInput,
    problems: &Problems,
    lang: Lang,
) -> Result<FieldErrors, PageError> {
    let mut errors = match check_service(input, true, lang) {
        Ok(()) => FieldErrors::new(),
        Err(e) => validation_fields(e)?,
    };
    errors.extend(translate(problems, lang));
    Ok(errors)
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
    let unit = store::units::by_slug(&state.db, &slug)
        .await?
        .ok_or(PageError::NotFound)?;
    let mut problems = Problems::new();
    let input = service_input(&form, &mut problems);
    let mut errors = check_service_form(&input, &problems, lang)?;
    if errors.is_empty() {
        match store::units::create_service(&state.db, unit.id, &input).await {
            Ok(_) => return Ok(redirect(&format!("/admin/units/{slug}/edit"))),
            Err(e) => errors = taken(e, lang)?,
        }
    }
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
    let mut errors = check_service_form(&input, &problems, lang)?;
    let title = s.name.clone();
    if errors.is_empty() {
        match store::units::update_service(&state.db, s, &input).await {
            Ok(_) => return Ok(redirect(&format!("/admin/units/{}/edit", unit.slug))),
            Err(e) => errors = taken(e, lang)?,
        }
    }
    let action = format!("/admin/units/{}/services/{}/edit", path.0, path.1);
    form_page(
        &state,
        &req,
        lang,
        &user,
        &title,
        &action,
        service_fields(lang, &form, &errors),
        status_for(&errors),
    )
}

#[post("/admin/units/{slug}/services/{service}/archive")]
async fn service_archive(
    state: State,
    StaffForm(user, _): StaffForm,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let unit = store::units::by_slug(&state.db, &path.0)
        .await?
        .ok_or(PageError::NotFound)?;
    let s = store::units::service_by_slug(&state.db, unit.id, &path.1)
        .await?
        .ok_or(PageError::NotFound)?;
    store::units::set_service_archived(&state.db, s, true).await?;
    Ok(redirect(&format!("/admin/units/{}/edit", unit.slug)))
}
