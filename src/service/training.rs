//! What the training API and pages share: scoped reads, decisions, comments, the plan.
use chrono::{Datelike, NaiveDate, Utc};
use sea_orm::{EntityTrait, IntoActiveModel, Set};
use serde::{Deserialize, Serialize};

use crate::domain::training::describe::describe_signal;
use crate::domain::training::lifecycle::{self, Action, Status, check_completion, check_schedule};
use crate::domain::training::plan::{self, PlanItem};
use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::{CurrentUser, Role};
use crate::service::today_wib;
use crate::store;
use crate::store::training::recommendations::{self as recs, EventView, Filter, Lookup, RecView};

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub status: Option<String>,
    pub agency: Option<String>,
    pub unit: Option<String>,
    pub level: Option<String>,
    pub year: Option<String>,
    pub format: Option<String>,
}

fn some(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The recommendations this user may see, filtered, highest priority first.
pub async fn list(
    state: &ServiceContext,
    user: &CurrentUser,
    q: &ListQuery,
    lang: Lang,
) -> Result<Vec<RecView>, ServiceError> {
    // A unit the user may not see is 404 before any filter value is checked.
    let lookup = Lookup::load(&state.db).await?;
    let agency = some(&q.agency);
    let unit = some(&q.unit);
    let ids: Vec<i32> = lookup
        .units
        .values()
        .filter(|u| user.sees_unit(u.id))
        .filter(|u| agency.as_ref().is_none_or(|a| &u.agency.slug == a))
        .filter(|u| unit.as_ref().is_none_or(|s| &u.slug == s))
        .map(|u| u.id)
        .collect();
    if unit.is_some() && ids.is_empty() {
        return Err(ServiceError::NotFound);
    }
    let mut f = Filter::default();
    if let Some(s) = some(&q.status) {
        if !lifecycle::STATUSES.contains(&s.as_str()) {
            return Err(ServiceError::field("status", lang.t("v_choice")));
        }
        f.status = Some(s);
    }
    if let Some(l) = some(&q.level) {
        if !["high", "medium", "low"].contains(&l.as_str()) {
            return Err(ServiceError::field("level", lang.t("v_choice")));
        }
        f.level = Some(l);
    }
    f.unit_ids = Some(ids);
    let rows = recs::list(&state.db, &f).await?;
    let after = state.settings.training.after_days;
    Ok(rows
        .iter()
        .filter_map(|r| lookup.view(r, after))
        .map(|mut v| {
            if !decides(user) {
                v.actions.clear();
            }
            v
        })
        .collect())
}

/// Planners and administrators decide; supervisors see and comment.
pub fn decides(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Planner | Role::Admin)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecDetail {
    #[serde(flatten)]
    pub recommendation: RecView,
    /// The other programmes the rule names, which a planner may pick instead when accepting.
    pub alternatives: Vec<store::training::catalogue::ProgrammeView>,
    pub events: Vec<EventView>,
    /// Each signal of the rule in words by its key (`U3`, `complaints:waktu_tunggu`), as
    /// (Bahasa Indonesia, English), for the pages' impact table; the API's rows keep the key.
    #[serde(skip)]
    pub signal_names: std::collections::HashMap<String, (String, String)>,
    /// What the participants and their supervisors said afterwards (Kirkpatrick 1 and 3),
    /// beside the citizens' signal in `impact`.
    pub people: crate::domain::training::people::PeopleEvaluation,
}

/// The recommendation if this user sees its unit; 404 whatever the reason otherwise. The web
/// edge asks this before it reads a comment's body, so another unit's id is 404, never 422.
pub async fn seen(
    state: &ServiceContext,
    user: &CurrentUser,
    id: i32,
) -> Result<entity::training_recommendation::Model, ServiceError> {
    recs::by_id(&state.db, id)
        .await?
        .filter(|r| user.sees_unit(r.unit_id))
        .ok_or(ServiceError::NotFound)
}

/// One recommendation the user may see, or 404.
pub async fn detail(
    state: &ServiceContext,
    user: &CurrentUser,
    id: i32,
) -> Result<RecDetail, ServiceError> {
    let r = seen(state, user, id).await?;
    let lookup = Lookup::load(&state.db).await?;
    let mut v = lookup
        .view(&r, state.settings.training.after_days)
        .ok_or(ServiceError::NotFound)?;
    if !decides(user) {
        v.actions.clear();
    }
    let def: crate::domain::training::RuleDef =
        serde_json::from_str(&r.rule_snapshot).map_err(|e| ServiceError::Internal(e.into()))?;
    let alternatives = def
        .programmes
        .iter()
        .filter_map(|c| lookup.programmes.values().find(|p| &p.code == c))
        .filter(|p| !p.archived)
        .map(Into::into)
        .collect();
    let names = store::training::signals::category_names(&state.db).await?;
    let signal_names = def
        .conditions
        .iter()
        .map(|c| (c.key(), describe_signal(c, &names)))
        .collect();
    Ok(RecDetail {
        recommendation: v,
        alternatives,
        events: recs::events(&state.db, r.id).await?,
        signal_names,
        people: people_evaluation(state, &r).await?,
    })
}

/// The people's evaluation of a programme: its listed participants' scores, or the unit's
/// employees (nothing said yet) while no list was set.
async fn people_evaluation(
    state: &ServiceContext,
    r: &entity::training_recommendation::Model,
) -> Result<crate::domain::training::people::PeopleEvaluation, ServiceError> {
    let rows = store::participants::of(&state.read, r.id).await?;
    let scores: Vec<_> = if rows.is_empty() {
        let n = store::employees::by_unit(&state.read, r.unit_id, false)
            .await?
            .len();
        vec![(None, None); n]
    } else {
        rows.iter().map(|p| (p.reaction, p.behaviour)).collect()
    };
    Ok(crate::domain::training::people::summarise(&scores))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ActIn {
    /// Required with `dismiss`.
    pub reason: Option<String>,
    /// A note for the audit log.
    pub note: Option<String>,
    /// With `accept`: another programme the rule names, by code.
    pub programme: Option<String>,
    /// With `schedule`: YYYY-MM-DD.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// With `schedule`: staff taking part.
    pub participants: Option<i64>,
    /// With `schedule`: JP per participant (default: the programme's).
    pub jp: Option<i64>,
    /// With `complete`: YYYY-MM-DD, default today.
    pub completed_on: Option<String>,
}

fn date(s: &Option<String>, field: &str, p: &mut Problems) -> Option<NaiveDate> {
    let v = some(s)?;
    match crate::domain::validation::parse_date(&v) {
        Ok(d) => Some(d),
        Err(k) => {
            p.insert(field.into(), k);
            None
        }
    }
}

fn merge(into: &mut Problems, from: Problems) {
    for (k, v) in from {
        into.entry(k).or_insert(v);
    }
}

/// Applies a planner's decision with its audit entry, in one transaction.
pub async fn act(
    state: &ServiceContext,
    user: &CurrentUser,
    id: i32,
    action: &str,
    input: &ActIn,
    lang: Lang,
) -> Result<RecDetail, ServiceError> {
    if !decides(user) {
        return Err(ServiceError::Forbidden);
    }
    let r = seen(state, user, id).await?;
    let action = Action::parse(action).ok_or(ServiceError::NotFound)?;
    let from = Status::parse(&r.status).ok_or(ServiceError::NotFound)?;
    let to = lifecycle::transition(from, action).ok_or_else(|| {
        ServiceError::Conflict(format!(
            "cannot {} a recommendation that is {}",
            action.as_str(),
            from.as_str()
        ))
    })?;
    let mut p = Problems::new();
    let mut m = r.clone().into_active_model();
    let mut body = some(&input.note);
    match action {
        Action::Accept => {
            if let Some(code) = some(&input.programme) {
                let def: crate::domain::training::RuleDef = serde_json::from_str(&r.rule_snapshot)
                    .map_err(|e| ServiceError::Internal(e.into()))?;
                match store::training::catalogue::programme_by_code(&state.db, &code).await? {
                    Some(pr) if def.programmes.contains(&code) && !pr.archived => {
                        m.programme_id = Set(pr.id)
                    }
                    _ => {
                        p.insert("programme".into(), "v_choice");
                    }
                }
            }
        }
        Action::Dismiss => match some(&input.reason) {
            Some(reason) if reason.chars().count() <= 2000 => {
                m.dismiss_reason = Set(Some(reason.clone()));
                body = Some(reason);
            }
            Some(_) => {
                p.insert("reason".into(), "v_length");
            }
            None => {
                p.insert("reason".into(), "v_required");
            }
        },
        Action::Schedule => {
            let unit = store::units::by_id(&state.db, r.unit_id).await?;
            let programme_jp = entity::training_programme::Entity::find_by_id(r.programme_id)
                .one(&state.db)
                .await?
                .map(|x| x.jp as i64);
            let start = date(&input.start_date, "start_date", &mut p);
            let end = date(&input.end_date, "end_date", &mut p);
            match check_schedule(
                start,
                end,
                input.participants,
                input.jp.or(programme_jp),
                unit.and_then(|u| u.staff_count),
            ) {
                Ok(s) => {
                    m.start_date = Set(Some(s.start));
                    m.end_date = Set(Some(s.end));
                    m.participants = Set(Some(s.participants));
                    m.jp = Set(Some(s.jp));
                    body = Some(format!(
                        "{} – {}, {} peserta × {} JP{}",
                        s.start,
                        s.end,
                        crate::domain::format::whole(s.participants as i64, true),
                        crate::domain::format::whole(s.jp as i64, true),
                        body.map(|b| format!(" — {b}")).unwrap_or_default()
                    ));
                }
                Err(e) => merge(&mut p, e),
            }
        }
        Action::Complete => {
            let done = date(&input.completed_on, "completed_on", &mut p)
                .or_else(|| some(&input.completed_on).is_none().then(today_wib));
            match check_completion(done, r.start_date, today_wib()) {
                Ok(d) => m.completed_on = Set(Some(d)),
                Err(e) => merge(&mut p, e),
            }
        }
    }
    if !p.is_empty() {
        return Err(ServiceError::problems(&p, lang));
    }
    m.status = Set(to.as_str().into());
    if !to.is_open() {
        m.open_key = Set(None);
    }
    m.updated_at = Set(Utc::now());
    let txn = crate::store::begin_write(&state.db).await?;
    recs::save(&txn, m).await?;
    recs::add_event(
        &txn,
        recs::NewEvent {
            recommendation_id: r.id,
            actor_user_id: Some(user.id),
            actor_label: &user.name,
            kind: action.as_str(),
            from_status: Some(from.as_str()),
            to_status: Some(to.as_str()),
            body,
        },
    )
    .await?;
    // Accepted, it becomes an item of the unit's follow-up plan, linked to it.
    if action == Action::Accept {
        let accepted = recs::by_id(&txn, r.id).await?.unwrap_or(r.clone());
        crate::service::follow_ups::item_for_recommendation(&txn, &accepted, user.id, &user.name)
            .await?;
    }
    txn.commit().await?;
    detail(state, user, id).await
}

/// A comment from anyone who sees the unit (supervisors included).
pub async fn comment(
    state: &ServiceContext,
    user: &CurrentUser,
    id: i32,
    body: Option<&str>,
    lang: Lang,
) -> Result<RecDetail, ServiceError> {
    let r = seen(state, user, id).await?;
    let body = body.map(str::trim).unwrap_or_default();
    if body.is_empty() {
        return Err(ServiceError::field("body", lang.t("v_required")));
    }
    if body.chars().count() > 4000 {
        return Err(ServiceError::field("body", lang.t("v_length")));
    }
    recs::add_event(
        &state.db,
        recs::NewEvent {
            recommendation_id: r.id,
            actor_user_id: Some(user.id),
            actor_label: &user.name,
            kind: "comment",
            from_status: None,
            to_status: None,
            body: Some(body.to_string()),
        },
    )
    .await?;
    detail(state, user, id).await
}

/// The competency development plan of `year` for the units this user sees.
pub async fn plan(
    state: &ServiceContext,
    user: &CurrentUser,
    q: &ListQuery,
    lang: Lang,
) -> Result<plan::Plan, ServiceError> {
    let year = match some(&q.year) {
        None => today_wib().year(),
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => y,
            _ => return Err(ServiceError::field("year", lang.t("v_range"))),
        },
    };
    let lookup = Lookup::load(&state.db).await?;
    let agency = some(&q.agency);
    let unit = some(&q.unit);
    let rows = recs::for_plan(&state.db, year).await?;
    let comps: std::collections::HashMap<String, String> =
        store::training::catalogue::competencies(&state.db)
            .await?
            .into_iter()
            .map(|c| (c.code, c.name))
            .collect();
    let mut units: Vec<&store::units::UnitView> = lookup
        .units
        .values()
        .filter(|u| user.sees_unit(u.id) && !u.archived)
        .filter(|u| agency.as_ref().is_none_or(|a| &u.agency.slug == a))
        .filter(|u| unit.as_ref().is_none_or(|s| &u.slug == s))
        .collect();
    if unit.is_some() && units.is_empty() {
        return Err(ServiceError::NotFound);
    }
    units.sort_by(|a, b| a.name.cmp(&b.name));
    let per_unit = units
        .into_iter()
        .map(|u| {
            let items: Vec<PlanItem> = rows
                .iter()
                .filter(|r| r.unit_id == u.id)
                .filter_map(|r| {
                    let p = lookup.programmes.get(&r.programme_id)?;
                    let pv: store::training::catalogue::ProgrammeView = p.into();
                    let jp = r.jp.unwrap_or(p.jp);
                    Some(PlanItem {
                        recommendation_id: r.id,
                        unit: u.slug.clone(),
                        programme: p.name.clone(),
                        competencies: pv
                            .competencies
                            .iter()
                            .map(|c| comps.get(c).cloned().unwrap_or_else(|| c.clone()))
                            .collect::<Vec<_>>()
                            .join("; "),
                        form: p.form.clone(),
                        method: p.method.clone(),
                        status: r.status.clone(),
                        start_date: r.start_date,
                        end_date: r.end_date,
                        participants: r.participants,
                        jp,
                        jp_total: r.participants.unwrap_or(0) as i64 * jp as i64,
                    })
                })
                .collect();
            (u.slug.clone(), u.name.clone(), u.staff_count, items)
        })
        .collect();
    let mut built = plan::build(year, per_unit);
    // A unit whose proposals wait for a decision is told so, not "no recommendation".
    let mut waiting: std::collections::HashMap<i32, u64> = std::collections::HashMap::new();
    for r in recs::all(&state.db).await? {
        if r.status == "proposed" {
            *waiting.entry(r.unit_id).or_default() += 1;
        }
    }
    for u in &mut built.units {
        if let Some(id) = lookup
            .units
            .values()
            .find(|v| v.slug == u.unit)
            .map(|v| v.id)
        {
            u.awaiting_decision = waiting.get(&id).copied().unwrap_or(0);
        }
    }
    Ok(built)
}

/// Reruns the engine now (planners and administrators).
pub async fn run(
    state: &ServiceContext,
    user: &CurrentUser,
) -> Result<crate::service::training_engine::RunSummary, ServiceError> {
    if !decides(user) {
        return Err(ServiceError::Forbidden);
    }
    Ok(crate::service::training_engine::run(
        &state.db,
        &state.read,
        today_wib(),
        state.settings.training.before_days,
        state.settings.training.after_days,
    )
    .await?)
}
