//! Administrators' survey pages: create a survey, add a version (published versions are never
//! edited: a change is a new draft), publish a draft, and assign a survey to a unit.
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::domain::survey::Definition;
use crate::i18n::Lang;
use crate::service::error::{ServiceError, translate};
use crate::service::survey_registry;
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

/// Parses the definition field (its rules are the use case's); the message names what is wrong.
fn definition(form: &FormData, lang: Lang, errors: &mut FieldErrors) -> Option<Definition> {
    let raw = form.text("definition").unwrap_or_default();
    match serde_json::from_str::<Definition>(&raw) {
        Err(e) => {
            errors.insert("definition".into(), format!("{}: {e}", lang.t("tr_v_json")));
            None
        }
        Ok(d) => Some(d),
    }
}

/// A refusal the form can show beside its fields, or the error page.
fn form_errors(e: ServiceError, lang: Lang) -> Result<FieldErrors, PageError> {
    match e {
        ServiceError::Invalid(f) => Ok(f),
        ServiceError::Problems(p) => Ok(translate(&p, lang)),
        other => Err(other.into()),
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
    let code = form.text("code").unwrap_or_default();
    let name = form.text("name").unwrap_or_default();
    let mut errors = FieldErrors::new();
    let def = definition(&form, lang, &mut errors);
    let created = match &def {
        // Unparsable: the other fields' problems are shown with it.
        None => Err(ServiceError::Invalid(
            survey_registry::check_new(&state.db, lang, &code, &name, None).await?,
        )),
        Some(d) => {
            survey_registry::create(&state.db, lang, &code, &name, d, form.checked("publish")).await
        }
    };
    if let Err(e) = created {
        errors.extend(form_errors(e, lang)?);
        return render(&state, &req, lang, &user, Some(("create", errors, form))).await;
    }
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
    let op = format!("version:{code}");
    let mut errors = FieldErrors::new();
    let Some(def) = definition(&form, lang, &mut errors) else {
        return render(&state, &req, lang, &user, Some((&op, errors, form))).await;
    };
    if let Err(e) = survey_registry::add_version(&state.db, &code, &def).await {
        let errors = form_errors(e, lang)?;
        return render(&state, &req, lang, &user, Some((&op, errors, form))).await;
    }
    Ok(redirect(&flash::to(LIST, "survey_version_added")))
}

#[post("/admin/surveys/{code}/versions/{version}/publish")]
async fn publish(
    state: State,
    StaffForm(user, _): StaffForm,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, PageError> {
    admin(&user)?;
    survey_registry::publish(&state.db, &path.0, path.1).await?;
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
    let assigned = survey_registry::assign(
        &state.db,
        lang,
        &form.text("unit").unwrap_or_default(),
        &form.text("survey").unwrap_or_default(),
        form.checked("require_code"),
    )
    .await;
    let errors = match assigned {
        Ok(()) => return Ok(redirect(&flash::to(LIST, "survey_assigned"))),
        // The unit is a field of this form, not the address.
        Err(ServiceError::NotFound) => {
            FieldErrors::from([("unit".to_string(), lang.t("v_choice").to_string())])
        }
        Err(e) => form_errors(e, lang)?,
    };
    render(&state, &req, lang, &user, Some(("assign", errors, form))).await
}
