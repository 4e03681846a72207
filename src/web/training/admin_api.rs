//! The training catalogues and rules as data, for administrators: competencies, programmes,
//! rules with validation, and a preview of which units a rule would flag today and why.
use actix_web::{HttpResponse, get, patch, post, put, web};
use serde::{Deserialize, Serialize};

use crate::bootstrap::state::AppState;
use crate::domain::training::rules::{self, RuleDef};
use crate::domain::training::{COMPETENCY_KINDS, FORMS, Finding, METHODS, evaluate};
use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::service::today_wib;
use crate::store;
use crate::store::training::catalogue::{self as cat, CompetencyView, ProgrammeView, RuleView};
use crate::web::auth::{AdminApi, Admitted, DecidingApi};
use crate::web::error::ApiError;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(competencies)
        .service(create_competency)
        .service(update_competency)
        .service(programmes)
        .service(create_programme)
        .service(update_programme)
        .service(list_rules)
        .service(preview)
        .service(create_rule)
        .service(put_rule);
}

fn problems(p: &Problems, lang: Lang) -> ApiError {
    ApiError::Validation(crate::service::error::translate(p, lang))
}

fn text_ok(s: &str, max: usize) -> bool {
    let n = s.trim().chars().count();
    (3..=max).contains(&n)
}

pub fn check_competency(v: &CompetencyView) -> Problems {
    let mut p = Problems::new();
    if !rules::code_ok(&v.code) {
        p.insert("code".into(), "v_slug");
    }
    if !text_ok(&v.name, 200) {
        p.insert("name".into(), "v_length");
    }
    if !COMPETENCY_KINDS.contains(&v.kind.as_str()) {
        p.insert("kind".into(), "v_choice");
    }
    p
}

pub fn check_programme(v: &ProgrammeView, known: &[String]) -> Problems {
    let mut p = Problems::new();
    if !rules::code_ok(&v.code) {
        p.insert("code".into(), "v_slug");
    }
    if !text_ok(&v.name, 200) {
        p.insert("name".into(), "v_length");
    }
    if v.competencies.is_empty() || v.competencies.iter().any(|c| !known.contains(c)) {
        p.insert("competencies".into(), "v_choice");
    }
    if !FORMS.contains(&v.form.as_str()) {
        p.insert("form".into(), "v_choice");
    }
    if !METHODS.contains(&v.method.as_str()) {
        p.insert("method".into(), "v_choice");
    }
    if !(1..=500).contains(&v.jp) {
        p.insert("jp".into(), "v_range");
    }
    p
}

#[utoipa::path(get, path = "/api/v1/admin/competencies", tag = "training-admin", security(("staff" = ["admin"])),
    responses((status = 200, body = [CompetencyView])))]
#[get("/api/v1/admin/competencies")]
pub async fn competencies(state: State, _admin: AdminApi) -> Result<HttpResponse, ApiError> {
    let list: Vec<CompetencyView> = cat::competencies(&state.db)
        .await?
        .iter()
        .map(Into::into)
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(post, path = "/api/v1/admin/competencies", tag = "training-admin", security(("staff" = ["admin"])),
    request_body = CompetencyView, responses((status = 201, body = CompetencyView), (status = 409), (status = 422)))]
#[post("/api/v1/admin/competencies")]
pub async fn create_competency(
    state: State,
    lang: Lang,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<CompetencyView>>,
) -> Result<HttpResponse, ApiError> {
    let p = check_competency(&body);
    if !p.is_empty() {
        return Err(problems(&p, lang));
    }
    if cat::competency_by_code(&state.db, &body.code)
        .await?
        .is_some()
    {
        return Err(ApiError::field("code", lang.t("v_taken")));
    }
    let m = cat::save_competency(&state.db, None, &body).await?;
    Ok(HttpResponse::Created().json(CompetencyView::from(&m)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CompetencyPatch {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub description: Option<String>,
    pub archived: Option<bool>,
}

#[utoipa::path(patch, path = "/api/v1/admin/competencies/{code}", tag = "training-admin", security(("staff" = ["admin"])),
    params(("code" = String, Path)), request_body = CompetencyPatch,
    responses((status = 200, body = CompetencyView), (status = 404), (status = 422)))]
#[patch("/api/v1/admin/competencies/{code}")]
pub async fn update_competency(
    state: State,
    lang: Lang,
    code: web::Path<String>,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<CompetencyPatch>>,
) -> Result<HttpResponse, ApiError> {
    let m = cat::competency_by_code(&state.db, &code)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut v = CompetencyView::from(&m);
    let b = body.into_inner();
    v.name = b.name.unwrap_or(v.name);
    v.kind = b.kind.unwrap_or(v.kind);
    v.description = b.description.or(v.description);
    v.archived = b.archived.unwrap_or(v.archived);
    let p = check_competency(&v);
    if !p.is_empty() {
        return Err(problems(&p, lang));
    }
    let m = cat::save_competency(&state.db, Some(m), &v).await?;
    Ok(HttpResponse::Ok().json(CompetencyView::from(&m)))
}

async fn competency_codes(state: &AppState) -> Result<Vec<String>, ApiError> {
    Ok(cat::competencies(&state.db)
        .await?
        .into_iter()
        .filter(|c| !c.archived)
        .map(|c| c.code)
        .collect())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ProgrammeRow {
    #[serde(flatten)]
    pub programme: ProgrammeView,
    /// Completed trainings of this programme judged not effective: review content and method.
    pub not_effective: u32,
}

#[utoipa::path(get, path = "/api/v1/admin/training-programmes", tag = "training-admin", security(("staff" = ["admin", "planner"])),
    responses((status = 200, body = [ProgrammeRow])))]
#[get("/api/v1/admin/training-programmes")]
pub async fn programmes(state: State, _decider: DecidingApi) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(programme_rows(&state).await?))
}

pub async fn programme_rows(state: &AppState) -> Result<Vec<ProgrammeRow>, ApiError> {
    let reviews = store::training::recommendations::programme_reviews(&state.db).await?;
    Ok(cat::programmes(&state.db)
        .await?
        .iter()
        .map(|p| ProgrammeRow {
            programme: p.into(),
            not_effective: reviews.get(&p.id).copied().unwrap_or(0),
        })
        .collect())
}

#[utoipa::path(post, path = "/api/v1/admin/training-programmes", tag = "training-admin", security(("staff" = ["admin"])),
    request_body = ProgrammeView, responses((status = 201, body = ProgrammeView), (status = 422)))]
#[post("/api/v1/admin/training-programmes")]
pub async fn create_programme(
    state: State,
    lang: Lang,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<ProgrammeView>>,
) -> Result<HttpResponse, ApiError> {
    let p = check_programme(&body, &competency_codes(&state).await?);
    if !p.is_empty() {
        return Err(problems(&p, lang));
    }
    if cat::programme_by_code(&state.db, &body.code)
        .await?
        .is_some()
    {
        return Err(ApiError::field("code", lang.t("v_taken")));
    }
    let m = cat::save_programme(&state.db, None, &body).await?;
    Ok(HttpResponse::Created().json(ProgrammeView::from(&m)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ProgrammePatch {
    pub name: Option<String>,
    pub competencies: Option<Vec<String>>,
    pub form: Option<String>,
    pub method: Option<String>,
    pub jp: Option<i32>,
    pub provider: Option<String>,
    pub description: Option<String>,
    pub archived: Option<bool>,
}

#[utoipa::path(patch, path = "/api/v1/admin/training-programmes/{code}", tag = "training-admin", security(("staff" = ["admin"])),
    params(("code" = String, Path)), request_body = ProgrammePatch,
    responses((status = 200, body = ProgrammeView), (status = 404), (status = 422)))]
#[patch("/api/v1/admin/training-programmes/{code}")]
pub async fn update_programme(
    state: State,
    lang: Lang,
    code: web::Path<String>,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<ProgrammePatch>>,
) -> Result<HttpResponse, ApiError> {
    let m = cat::programme_by_code(&state.db, &code)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut v = ProgrammeView::from(&m);
    let b = body.into_inner();
    v.name = b.name.unwrap_or(v.name);
    v.competencies = b.competencies.unwrap_or(v.competencies);
    v.form = b.form.unwrap_or(v.form);
    v.method = b.method.unwrap_or(v.method);
    v.jp = b.jp.unwrap_or(v.jp);
    v.provider = b.provider.or(v.provider);
    v.description = b.description.or(v.description);
    v.archived = b.archived.unwrap_or(v.archived);
    let p = check_programme(&v, &competency_codes(&state).await?);
    if !p.is_empty() {
        return Err(problems(&p, lang));
    }
    let m = cat::save_programme(&state.db, Some(m), &v).await?;
    Ok(HttpResponse::Ok().json(ProgrammeView::from(&m)))
}

#[utoipa::path(get, path = "/api/v1/admin/training-rules", tag = "training-admin", security(("staff" = ["admin", "planner"])),
    responses((status = 200, body = [RuleView])))]
#[get("/api/v1/admin/training-rules")]
pub async fn list_rules(state: State, _decider: DecidingApi) -> Result<HttpResponse, ApiError> {
    let mut out = vec![];
    for r in cat::rules(&state.db).await? {
        out.push(cat::rule_view(&r)?);
    }
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RuleIn {
    /// Required when creating; the path names it when replacing.
    pub code: Option<String>,
    pub name: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    /// `{"window_days", "min_n", "match_all", "conditions": [{"signal", …}], "programmes"}`.
    #[schema(value_type = Object)]
    pub definition: serde_json::Value,
}

fn yes() -> bool {
    true
}

/// Parses and checks a rule definition against the catalogues; problems are keyed
/// `definition.…` so a form can show them beside the field.
pub async fn check_rule(
    state: &AppState,
    raw: &serde_json::Value,
    lang: Lang,
) -> Result<RuleDef, ApiError> {
    let def: RuleDef = serde_json::from_value(raw.clone())
        .map_err(|e| ApiError::field("definition", format!("{}: {e}", lang.t("tr_v_json"))))?;
    let cats: Vec<String> = store::complaints::all_categories(&state.db)
        .await?
        .into_values()
        .map(|c| c.code)
        .collect();
    let progs: Vec<String> = cat::programmes(&state.db)
        .await?
        .into_iter()
        .filter(|p| !p.archived)
        .map(|p| p.code)
        .collect();
    let p = rules::check(&def, &cats, &progs);
    if !p.is_empty() {
        let prefixed: Problems = p
            .into_iter()
            .map(|(k, v)| (format!("definition.{k}"), v))
            .collect();
        return Err(problems(&prefixed, lang));
    }
    Ok(def)
}

/// Creates or replaces a rule; the handlers have admitted an administrator (`AdminApi`).
async fn save_rule(
    state: &AppState,
    code: &str,
    body: &RuleIn,
    lang: Lang,
) -> Result<(RuleView, bool), ApiError> {
    let existing = cat::rule_by_code(&state.db, code).await?;
    let mut p = Problems::new();
    if !rules::code_ok(code) {
        p.insert("code".into(), "v_slug");
    }
    let name = body
        .name
        .clone()
        .or_else(|| existing.as_ref().map(|e| e.name.clone()))
        .unwrap_or_default();
    if !text_ok(&name, 200) {
        p.insert("name".into(), "v_length");
    }
    let checked = check_rule(state, &body.definition, lang).await;
    if !p.is_empty() {
        let mut fields = crate::service::error::translate(&p, lang);
        if let Err(ApiError::Validation(more)) = &checked {
            fields.extend(more.clone());
        }
        return Err(ApiError::Validation(fields));
    }
    let def = checked?;
    let created = existing.is_none();
    let m = cat::save_rule(&state.db, existing, code, name.trim(), body.active, &def).await?;
    Ok((cat::rule_view(&m)?, created))
}

#[utoipa::path(post, path = "/api/v1/admin/training-rules", tag = "training-admin", security(("staff" = ["admin"])),
    request_body = NewRule, responses((status = 201, body = RuleView), (status = 422)))]
#[post("/api/v1/admin/training-rules")]
pub async fn create_rule(
    state: State,
    lang: Lang,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<RuleIn>>,
) -> Result<HttpResponse, ApiError> {
    let code = body.code.clone().unwrap_or_default();
    if cat::rule_by_code(&state.db, &code).await?.is_some() {
        return Err(ApiError::field("code", lang.t("v_taken")));
    }
    let (v, _) = save_rule(&state, &code, &body, lang).await?;
    Ok(HttpResponse::Created().json(v))
}

#[utoipa::path(put, path = "/api/v1/admin/training-rules/{code}", tag = "training-admin", security(("staff" = ["admin"])),
    params(("code" = String, Path)), request_body = RuleIn,
    responses((status = 200, body = RuleView), (status = 201, body = RuleView), (status = 422)))]
#[put("/api/v1/admin/training-rules/{code}")]
pub async fn put_rule(
    state: State,
    lang: Lang,
    code: web::Path<String>,
    Admitted(_admin, body): Admitted<AdminApi, crate::web::request_checks::Json<RuleIn>>,
) -> Result<HttpResponse, ApiError> {
    let (v, created) = save_rule(&state, &code, &body, lang).await?;
    Ok(if created {
        HttpResponse::Created().json(v)
    } else {
        HttpResponse::Ok().json(v)
    })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Flagged {
    pub unit: String,
    pub name: String,
    pub finding: Finding,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Preview {
    pub checked_units: usize,
    /// Highest priority first.
    pub flagged: Vec<Flagged>,
}

/// Which units a rule flags today, and why; nothing is stored.
pub async fn run_preview(state: &AppState, def: &RuleDef) -> Result<Preview, ApiError> {
    let units = store::units::list(&state.db, false).await?;
    let signals =
        store::training::signals::gather(&state.db, &units, today_wib(), def.window_days).await?;
    let mut flagged: Vec<Flagged> = signals
        .iter()
        .filter_map(|us| {
            evaluate(def, us).map(|f| Flagged {
                unit: us.slug.clone(),
                name: us.name.clone(),
                finding: f,
            })
        })
        .collect();
    flagged.sort_by(|a, b| b.finding.priority.total_cmp(&a.finding.priority));
    Ok(Preview {
        checked_units: units.len(),
        flagged,
    })
}

#[utoipa::path(post, path = "/api/v1/admin/training-rules/preview", tag = "training-admin", security(("staff" = ["admin", "planner"])),
    request_body = RuleIn, responses((status = 200, body = Preview), (status = 422)))]
#[post("/api/v1/admin/training-rules/preview")]
pub async fn preview(
    state: State,
    lang: Lang,
    Admitted(_decider, body): Admitted<DecidingApi, crate::web::request_checks::Json<RuleIn>>,
) -> Result<HttpResponse, ApiError> {
    let def = check_rule(&state, &body.definition, lang).await?;
    Ok(HttpResponse::Ok().json(run_preview(&state, &def).await?))
}

// The request body of the create operation. The handler shares one input type between create
// and PUT and requires these fields itself; this type only tells the document what a create must
// carry. `tests/api/openapi.rs` keeps its fields in step with the real input type.

/// A new training rule.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct NewRule {
    code: String,
    /// 3–200 characters.
    name: String,
    /// Default `true`.
    active: Option<bool>,
    /// `{"window_days", "min_n", "match_all", "conditions": [{"signal", …}], "programmes"}`.
    #[schema(value_type = Object)]
    definition: serde_json::Value,
}
