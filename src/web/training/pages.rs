//! Training pages: the recommendation list, one recommendation with its decisions, the yearly
//! plan, and the administrators' catalogue with the rule editor and its preview.
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::domain::training::describe::describe_condition;
use crate::domain::training::engine::explanation_in_english;
use crate::i18n::Lang;
use crate::service::error::ServiceError;
use crate::service::training::{self, ActIn, ListQuery};
use crate::store;
use crate::store::training::catalogue as cat;
use crate::web::analytics::Signature;
use crate::web::auth::StaffPage;
use crate::web::error::{ApiError, PageError};
use crate::web::flash;
use crate::web::forms::StaffForm;
use crate::web::render::{context, page, redirect};
use crate::web::state::State;
use crate::web::training::admin_api::{check_rule, programme_rows, run_preview};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_page)
        .service(run_page)
        .service(plan_page)
        .service(detail_page)
        .service(detail_post)
        .service(admin_page)
        .service(rule_page)
        .service(rule_post);
}

#[get("/planner/training")]
async fn list_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let recs = training::list(&state, &user, &q, lang).await?;
    let agencies: Vec<store::units::AgencyView> = store::units::agencies(&state.db, false)
        .await?
        .iter()
        .map(Into::into)
        .collect();
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert("recs", &recs);
    ctx.insert("agencies", &agencies);
    ctx.insert(
        "q",
        &serde_json::json!({"status": q.status, "agency": q.agency, "level": q.level}),
    );
    ctx.insert("decides", &training::decides(&user));
    page(&state, "planner/training.html", &ctx)
}

#[post("/planner/training/run")]
async fn run_page(state: State, StaffForm(user, _): StaffForm) -> Result<HttpResponse, PageError> {
    training::run(&state, &user).await?;
    Ok(redirect(&flash::to("/planner/training", "training_run")))
}

#[get("/planner/training/plan")]
async fn plan_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    q: web::Query<ListQuery>,
    sig: web::Query<Signature>,
) -> Result<HttpResponse, PageError> {
    let plan = training::plan(&state, &user, &q, lang).await?;
    let mut ctx = context(&req, lang, Some(&user));
    // Printed as a document: the letterhead names the office typed for it, else the agency
    // (or agencies) of the units in the plan; the signature block is typed on the page and kept
    // in the link, as on the SKM report. Nothing here is stored.
    let units = store::units::list(&state.db, false).await?;
    let mut agencies: Vec<String> = vec![];
    let mut agency_slugs: Vec<String> = vec![];
    for u in &plan.units {
        if let Some(v) = units.iter().find(|v| v.slug == u.unit)
            && !agencies.contains(&v.agency.name)
        {
            agencies.push(v.agency.name.clone());
            agency_slugs.push(v.agency.slug.clone());
        }
    }
    agencies.sort();
    // One agency's plan carries its logo.
    let logo = match agency_slugs.as_slice() {
        [one] => crate::service::agency_logos::logo(&state.db, one)
            .await?
            .map(|_| one.clone()),
        _ => None,
    };
    let agency = sig.office().unwrap_or_else(|| agencies.join(" · "));
    let single = (plan.units.len() == 1).then(|| plan.units[0].name.clone());
    ctx.insert(
        "kop",
        &serde_json::json!({"agency": agency, "unit": single, "address": None::<String>, "logo": logo}),
    );
    ctx.insert("sign", &sig.block(None));
    ctx.insert("today", &crate::service::today_wib().to_string());
    let agency_list: Vec<store::units::AgencyView> = store::units::agencies(&state.db, false)
        .await?
        .iter()
        .map(Into::into)
        .collect();
    ctx.insert("agencies", &agency_list);
    ctx.insert(
        "q",
        &serde_json::json!({"agency": q.agency, "unit": q.unit}),
    );
    ctx.insert("plan", &plan);
    ctx.insert("query", req.query_string());
    page(&state, "planner/training_plan.html", &ctx)
}

/// A failed form: which one (`op`), the messages per field, and what was typed.
type Failed = (
    String,
    crate::web::error::FieldErrors,
    Vec<(String, String)>,
);

async fn render_detail(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    user: &crate::web::auth::CurrentUser,
    id: i32,
    errors: Option<Failed>,
) -> Result<HttpResponse, PageError> {
    let d = training::detail(state, user, id).await?;
    let mut ctx = context(req, lang, Some(user));
    let signal_names: std::collections::HashMap<&String, &String> = d
        .signal_names
        .iter()
        .map(|(key, (id, en))| (key, lang.pick(id, en)))
        .collect();
    ctx.insert("signal_names", &signal_names);
    // The audit log keeps what the engine and the evaluation wrote, in Bahasa Indonesia; an
    // English page says the priority explanations and the impact in English.
    let events: Vec<serde_json::Value> = d
        .events
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).unwrap_or_default();
            if lang == Lang::En
                && let Some(body) = e.body.as_deref()
            {
                let impact = d.recommendation.impact.as_ref();
                let en = explanation_in_english(body)
                    .or_else(|| {
                        impact
                            .filter(|i| i.text_id == body)
                            .map(|i| i.text_en.clone())
                    })
                    .or_else(|| (e.kind == "schedule").then(|| schedule_in_english(body))?);
                if let Some(en) = en {
                    v["body"] = en.into();
                }
            }
            v
        })
        .collect();
    ctx.insert("events", &events);
    ctx.insert("d", &d);
    ctx.insert("r", &d.recommendation);
    ctx.insert("decides", &training::decides(user));
    ctx.insert("failed_op", "");
    ctx.insert("errors", &crate::web::error::FieldErrors::new());
    ctx.insert("values", &crate::web::error::FieldErrors::new());
    let status = if let Some((op, fields, values)) = errors {
        ctx.insert("failed_op", &op);
        ctx.insert("errors", &fields);
        ctx.insert(
            "values",
            &values
                .into_iter()
                .collect::<std::collections::BTreeMap<_, _>>(),
        );
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    crate::web::render::page_with_status(state, status, "planner/training_detail.html", &ctx)
}

/// A schedule as the audit log keeps it ("2026-05-18 – 2026-05-19, 1.200 peserta × 16 JP —
/// note") said in English ("…, 1,200 participants × 16 JP — note"); `None` for any other text.
fn schedule_in_english(body: &str) -> Option<String> {
    let (dates, rest) = body.split_once(", ")?;
    let (n, rest) = rest.split_once(" peserta × ")?;
    let (jp, tail) = rest.split_once(" JP")?;
    let whole = |x: &str| {
        x.replace('.', "")
            .parse::<i64>()
            .ok()
            .map(|v| crate::domain::format::whole(v, false))
    };
    Some(format!(
        "{dates}, {} participants × {} JP{tail}",
        whole(n)?,
        whole(jp)?
    ))
}

fn rec_id(s: &str) -> Result<i32, PageError> {
    s.parse().map_err(|_| PageError::NotFound)
}

#[get("/planner/training/{id}")]
async fn detail_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    render_detail(&state, &req, lang, &user, rec_id(&path)?, None).await
}

/// One form per decision (`op` = accept, dismiss, schedule, complete, comment); a mistake comes
/// back on the same page with the values kept and the message beside the field.
#[post("/planner/training/{id}")]
async fn detail_post(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = rec_id(&path)?;
    let op = form.text("op").unwrap_or_default();
    let result = if op == "comment" {
        training::comment(&state, &user, id, form.text("body").as_deref(), lang).await
    } else {
        let number = |k: &str| form.text(k).and_then(|v| v.trim().parse::<i64>().ok());
        let input = ActIn {
            reason: form.text("reason"),
            note: form.text("note"),
            programme: form.text("programme"),
            start_date: form.text("start_date"),
            end_date: form.text("end_date"),
            participants: number("participants"),
            jp: number("jp"),
            completed_on: form.text("completed_on"),
        };
        let mut bad = crate::web::error::FieldErrors::new();
        for k in ["participants", "jp"] {
            if form.text(k).is_some_and(|v| !v.trim().is_empty()) && number(k).is_none() {
                bad.insert(k.into(), lang.t("v_number").into());
            }
        }
        if bad.is_empty() {
            training::act(&state, &user, id, &op, &input, lang).await
        } else {
            Err(ServiceError::Invalid(bad))
        }
    };
    match result {
        Ok(_) => Ok(redirect(&flash::to(
            &format!("/planner/training/{id}"),
            &format!("training_{op}"),
        ))),
        Err(ServiceError::Invalid(fields)) => {
            render_detail(&state, &req, lang, &user, id, Some((op, fields, form.0))).await
        }
        // The service's words are for API clients (English); the page says it in the reader's language.
        Err(ServiceError::Conflict(_)) => {
            let mut f = crate::web::error::FieldErrors::new();
            f.insert("op".into(), lang.t("tr_conflict").into());
            render_detail(&state, &req, lang, &user, id, Some((op, f, form.0))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A rule on the catalogue page, with its conditions in words ("Pengaduan Waktu tunggu per
/// 1.000 responden > 20.0" rather than `complaint_rate waktu_tunggu 20`).
#[derive(serde::Serialize)]
struct RuleRow {
    #[serde(flatten)]
    rule: cat::RuleView,
    conditions: Vec<String>,
}

#[get("/admin/training")]
async fn admin_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
) -> Result<HttpResponse, PageError> {
    if !user.is_admin() {
        return Err(PageError::NotFound);
    }
    let comps: Vec<cat::CompetencyView> = cat::competencies(&state.db)
        .await?
        .iter()
        .map(Into::into)
        .collect();
    let names = store::training::signals::category_names(&state.db).await?;
    let mut rules = vec![];
    for r in cat::rules(&state.db).await? {
        let rule = cat::rule_view(&r)?;
        let conditions = rule
            .definition
            .conditions
            .iter()
            .map(|c| {
                let (id, en) = describe_condition(c, &names);
                lang.pick(id, en)
            })
            .collect();
        rules.push(RuleRow { rule, conditions });
    }
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert("competencies", &comps);
    ctx.insert("programmes", &programme_rows(&state).await?);
    ctx.insert("rules", &rules);
    page(&state, "admin/training.html", &ctx)
}

#[get("/admin/training/rules/{code}")]
async fn rule_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    code: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    if !user.is_admin() {
        return Err(PageError::NotFound);
    }
    let existing = cat::rule_by_code(&state.db, &code).await?;
    let mut ctx = context(&req, lang, Some(&user));
    let (name, active, def) = match &existing {
        Some(r) => {
            let v = cat::rule_view(r)?;
            (
                v.name,
                v.active,
                serde_json::to_string_pretty(&v.definition).unwrap_or_default(),
            )
        }
        None => (
            String::new(),
            true,
            "{\n  \"window_days\": 90,\n  \"min_n\": 30,\n  \"conditions\": [\n    {\"signal\": \"element_below\", \"code\": \"U7\", \"threshold\": 3.0}\n  ],\n  \"programmes\": [\"pelayanan-prima\"]\n}".into(),
        ),
    };
    ctx.insert("code", code.as_str());
    ctx.insert("exists", &existing.is_some());
    ctx.insert(
        "v",
        &serde_json::json!({"name": name, "active": active, "definition": def}),
    );
    ctx.insert("errors", &crate::web::error::FieldErrors::new());
    ctx.insert("preview", &None::<()>);
    page(&state, "admin/training_rule.html", &ctx)
}

/// Saves a rule, or (`preview`) shows which units it would flag today without saving it.
#[post("/admin/training/rules/{code}")]
async fn rule_post(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
    code: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    if !user.is_admin() {
        return Err(PageError::NotFound);
    }
    let name = form.text("name").unwrap_or_default();
    let active = form.checked("active");
    let raw = form.text("definition").unwrap_or_default();
    let mut errors = crate::web::error::FieldErrors::new();
    let mut preview = None;
    match serde_json::from_str::<serde_json::Value>(&raw) {
        Err(e) => {
            errors.insert("definition".into(), format!("{}: {e}", lang.t("tr_v_json")));
        }
        Ok(json) => match check_rule(&state, &json, lang).await {
            Err(ApiError::Validation(f)) => errors.extend(f),
            Err(e) => return Err(e.into()),
            Ok(def) => {
                if form.text("preview").is_some() {
                    preview = Some(run_preview(&state, &def).await?);
                } else if !crate::domain::training::rules::code_ok(&code)
                    || !(3..=200).contains(&name.trim().chars().count())
                {
                    errors.insert("name".into(), lang.t("v_length").into());
                } else {
                    let existing = cat::rule_by_code(&state.db, &code).await?;
                    cat::save_rule(&state.db, existing, &code, name.trim(), active, &def).await?;
                    return Ok(redirect(&flash::to("/admin/training", "rule_saved")));
                }
            }
        },
    }
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert("code", code.as_str());
    ctx.insert(
        "exists",
        &cat::rule_by_code(&state.db, &code).await?.is_some(),
    );
    ctx.insert(
        "v",
        &serde_json::json!({"name": name, "active": active, "definition": raw}),
    );
    ctx.insert("errors", &errors);
    ctx.insert("preview", &preview);
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    crate::web::render::page_with_status(&state, status, "admin/training_rule.html", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logged_schedule_is_said_in_english() {
        assert_eq!(
            schedule_in_english("2026-05-18 – 2026-05-19, 1.200 peserta × 16 JP — ruang rapat"),
            Some("2026-05-18 – 2026-05-19, 1,200 participants × 16 JP — ruang rapat".into())
        );
        assert_eq!(
            schedule_in_english("2026-05-18 – 2026-05-19, 30 peserta × 16 JP"),
            Some("2026-05-18 – 2026-05-19, 30 participants × 16 JP".into())
        );
        assert_eq!(schedule_in_english("Tidak ada anggaran"), None);
    }
}
