//! Administrators' survey pages: create a survey, add a version (published versions are never
//! edited: a change is a new draft), publish a draft, and assign a survey to a unit.
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::domain::survey::{Definition, check_definition};
use crate::i18n::Lang;
use crate::store;
use crate::web::auth::{CurrentUser, StaffPage};
use crate::web::error::{FieldErrors, PageError};
use crate::web::flash;
use crate::web::forms::{FormData, StaffForm};
use crate::web::render::{context, page_with_status, redirect};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(assign)
        .service(add_version)
        .service(publish);
}

/// The list page, where every survey form lands.
const LIST: &str = "/admin/surveys";

/// Survey pages answer 404 to everyone but administrators.
fn admin(user: &CurrentUser) -> Result<(), PageError> {
    if !user.is_admin() {
        return Err(PageError::NotFound);
    }
    Ok(())
}

/// The list page, with a failed form's messages and typed values when there are any.
async fn render(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    user: &CurrentUser,
    failed: Option<(&str, FieldErrors, FormData)>,
) -> Result<HttpResponse, PageError> {
    let mut surveys = vec![];
    for s in store::surveys::all(&state.db).await? {
        let versions = store::surveys::versions(&state.db, s.id).await?;
        let latest = versions
            .iter()
            .max_by_key(|v| v.version)
            .map(|v| {
                serde_json::from_str::<serde_json::Value>(&v.definition)
                    .and_then(|j| serde_json::to_string_pretty(&j))
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        let vs: Vec<serde_json::Value> = versions
            .iter()
            .map(|v| serde_json::json!({"version": v.version, "status": v.status}))
            .collect();
        surveys.push(
            serde_json::json!({"code": s.code, "name": s.name, "versions": vs, "latest": latest}),
        );
    }
    let units = store::units::list(&state.db, false).await?;
    let mut ctx = context(req, lang, Some(user));
    ctx.insert("surveys", &surveys);
    ctx.insert("units", &units);
    let (status, op, errors, values) = match failed {
        Some((op, e, f)) => (
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            op.to_string(),
            e,
            f.values_map(),
        ),
        None => (
            actix_web::http::StatusCode::OK,
            String::new(),
            FieldErrors::new(),
            Default::default(),
        ),
    };
    ctx.insert("failed_op", &op);
    ctx.insert("errors", &errors);
    ctx.insert("values", &values);
    page_with_status(state, status, "admin/surveys.html", &ctx)
}

#[get("/admin/surveys")]
async fn list(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    render(&state, &req, lang, &user, None).await
}

/// Parses the definition field; the message names what is wrong.
fn definition(form: &FormData, lang: Lang, errors: &mut FieldErrors) -> Option<Definition> {
    let raw = form.text("definition").unwrap_or_default();
    match serde_json::from_str::<Definition>(&raw) {
        Err(e) => {
            errors.insert("definition".into(), format!("{}: {e}", lang.t("tr_v_json")));
            None
        }
        Ok(d) => match check_definition(&d) {
            Err(m) => {
                errors.insert("definition".into(), m);
                None
            }
            Ok(()) => Some(d),
        },
    }
}

#[post("/admin/surveys")]
async fn create(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let mut errors = FieldErrors::new();
    let code = form.text("code").unwrap_or_default();
    let name = form.text("name").unwrap_or_default();
    if crate::domain::registry::validate_slug(&code).is_err() {
        errors.insert("code".into(), lang.t("v_slug").into());
    } else if store::surveys::by_code(&state.db, &code).await?.is_some() {
        errors.insert("code".into(), lang.t("v_taken").into());
    }
    if !(3..=200).contains(&name.trim().chars().count()) {
        errors.insert("name".into(), lang.t("v_length").into());
    }
    let def = definition(&form, lang, &mut errors);
    let Some(def) = def.filter(|_| errors.is_empty()) else {
        return render(&state, &req, lang, &user, Some(("create", errors, form))).await;
    };
    let txn = crate::store::begin_write(&state.db).await?;
    let s = store::surveys::create(&txn, &code, name.trim()).await?;
    let v = store::surveys::add_version(&txn, s.id, &def).await?;
    if form.checked("publish") {
        store::surveys::publish(&txn, &v).await?;
    }
    txn.commit().await?;
    Ok(redirect(&flash::to(LIST, "survey_created")))
}

#[post("/admin/surveys/{code}/versions")]
async fn add_version(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
    code: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let s = store::surveys::by_code(&state.db, &code)
        .await?
        .ok_or(PageError::NotFound)?;
    let mut errors = FieldErrors::new();
    let Some(def) = definition(&form, lang, &mut errors) else {
        let op = format!("version:{}", s.code);
        return render(&state, &req, lang, &user, Some((&op, errors, form))).await;
    };
    store::surveys::add_version(&state.db, s.id, &def).await?;
    Ok(redirect(&flash::to(LIST, "survey_version_added")))
}

#[post("/admin/surveys/{code}/versions/{version}/publish")]
async fn publish(
    state: State,
    StaffForm(user, _): StaffForm,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let s = store::surveys::by_code(&state.db, &path.0)
        .await?
        .ok_or(PageError::NotFound)?;
    let v = store::surveys::versions(&state.db, s.id)
        .await?
        .into_iter()
        .find(|v| v.version == path.1 && v.status == store::surveys::DRAFT)
        .ok_or(PageError::NotFound)?;
    let txn = crate::store::begin_write(&state.db).await?;
    store::surveys::publish(&txn, &v).await?;
    txn.commit().await?;
    Ok(redirect(&flash::to(LIST, "survey_published")))
}

#[post("/admin/surveys/assign")]
async fn assign(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    let mut errors = FieldErrors::new();
    let unit = store::units::by_slug(&state.db, &form.text("unit").unwrap_or_default()).await?;
    let survey =
        store::surveys::by_code(&state.db, &form.text("survey").unwrap_or_default()).await?;
    if unit.is_none() {
        errors.insert("unit".into(), lang.t("v_choice").into());
    }
    if survey.is_none() {
        errors.insert("survey".into(), lang.t("v_choice").into());
    }
    match (unit, survey) {
        (Some(u), Some(s)) => {
            store::surveys::assign(&state.db, u.id, s.id, form.checked("require_code")).await?;
            Ok(redirect(&flash::to(LIST, "survey_assigned")))
        }
        _ => render(&state, &req, lang, &user, Some(("assign", errors, form))).await,
    }
}
