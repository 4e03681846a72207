//! Acting on a complaint: transitions, replies and notes, assignment and priority, the e-mails
//! they cause, and closing what the citizen did not reopen.

use std::collections::HashMap;

use chrono::Utc;
use entity::complaint;
use sea_orm::{IntoActiveModel, Set};
use serde::{Deserialize, Serialize};

use super::*;
use crate::domain::calendar::Calendar;
use crate::domain::citizen_news::NewsChannel;
use crate::domain::complaint::{self as rules, Action, Actor, Status, TransitionError};
use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::service::today_wib;
use crate::store;
use crate::store::complaints::Event;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct TransitionIn {
    /// `verify`, `start`, `resolve`, `close`, `reject`, `mark_duplicate`.
    pub action: String,
    /// Shown to the citizen with the status change.
    pub note: Option<String>,
    /// Required with `reject`.
    pub reason: Option<String>,
    /// With `reject`: the unit with authority, by slug.
    pub forward_to: Option<String>,
    /// Required with `mark_duplicate`: the original's tracking ID.
    pub duplicate_of: Option<String>,
    /// A citizen's `reopen`: the code they received at filing (the tracking ID is public).
    #[serde(skip)]
    pub reopen_code: Option<String>,
}

/// Applies one action (staff or citizen) with its audit entry and e-mail, in one transaction.
pub async fn act(
    state: &ServiceContext,
    c: complaint::Model,
    input: &TransitionIn,
    actor: Option<&CurrentUser>,
    lang: Lang,
) -> Result<complaint::Model, ServiceError> {
    if let Some(u) = actor
        && !u.acts_on_unit(c.unit_id)
    {
        return Err(ServiceError::NotFound);
    }
    let action = Action::parse(&input.action)
        .ok_or_else(|| ServiceError::field("action", lang.t("v_choice")))?;
    // A citizen proves the complaint is theirs with the code they were given at filing: anyone
    // can read a tracking ID (the tracking page, the Open311 list), nobody else has the code.
    if actor.is_none()
        && !input.reopen_code.as_deref().is_some_and(|code| {
            crate::security::reopen_code_matches(&state.reopen_key, &c.tracking_id, code)
        })
    {
        let key = if clean(&input.reopen_code).is_none() {
            "v_required"
        } else {
            "v_reopen_code"
        };
        return Err(ServiceError::field("code", lang.t(key)));
    }
    let cal: Calendar = store::complaints::calendar(&state.db).await?;
    let from = status_of(&c)?;
    let to = rules::transition(
        from,
        action,
        if actor.is_some() {
            Actor::Staff
        } else {
            Actor::Citizen
        },
        &cal,
        today_wib(),
        c.resolved_at.map(wib_date),
    )
    .map_err(|e| match e {
        TransitionError::NotCitizens => ServiceError::NotFound,
        other => ServiceError::Conflict(other.to_string()),
    })?;
    let mut p = Problems::new();
    let reason = clean(&input.reason);
    let note = clean(&input.note);
    let mut forward = None;
    let mut dup = None;
    if action == Action::Reject {
        if reason.is_none() {
            p.insert("reason".into(), "v_required");
        }
        if let Some(slug) = clean(&input.forward_to) {
            match store::units::by_slug(&state.db, &slug).await? {
                Some(u) if u.id != c.unit_id => forward = Some(u),
                _ => {
                    p.insert("forward_to".into(), "v_choice");
                }
            }
        }
    }
    if action == Action::MarkDuplicate {
        match clean(&input.duplicate_of).and_then(|t| rules::normalise_tracking_id(&t)) {
            None => {
                p.insert("duplicate_of".into(), "v_required");
            }
            Some(t) => match store::complaints::by_tracking_id(&state.db, &t).await? {
                Some(o) if o.id != c.id && o.unit_id == c.unit_id => dup = Some(o),
                _ => {
                    p.insert("duplicate_of".into(), "v_choice");
                }
            },
        }
    }
    if !p.is_empty() {
        return Err(ServiceError::problems(&p, lang));
    }
    let now = Utc::now();
    let txn = crate::store::begin_write(&state.db).await?;
    let mut m = c.clone().into_active_model();
    m.status = Set(to.as_str().into());
    m.updated_at = Set(now);
    match to {
        Status::Verified => m.verified_at = Set(Some(now)),
        Status::Resolved => m.resolved_at = Set(Some(now)),
        Status::Closed => m.closed_at = Set(Some(now)),
        Status::Reopened => m.reopen_count = Set(c.reopen_count + 1),
        Status::Rejected => {
            m.reject_reason = Set(reason.clone());
            m.forwarded_to_unit_id = Set(forward.as_ref().map(|u| u.id));
        }
        Status::Duplicate => m.duplicate_of = Set(dup.as_ref().map(|d| d.id)),
        _ => {}
    }
    if actor.is_some() && c.first_response_at.is_none() && to != Status::Verified {
        m.first_response_at = Set(Some(now));
    }
    let c2 = store::complaints::save(&txn, m).await?;
    let actor_label = actor.map_or_else(|| "warga".to_string(), |u| u.name.clone());
    let public_body = match to {
        Status::Rejected => reason.clone(),
        Status::Reopened => note.clone().or(reason.clone()),
        _ => note.clone(),
    };
    let event_id = store::complaints::add_event(
        &txn,
        Event {
            complaint_id: c.id,
            actor_user_id: actor.map(|u| u.id),
            actor_label: &actor_label,
            kind: "status",
            from_status: Some(from),
            to_status: Some(to),
            body: public_body.as_deref(),
            public: true,
        },
    )
    .await?;
    super::news::notify_citizen(state, &txn, &c2, public_body.as_deref(), event_id).await?;
    txn.commit().await?;
    state.outbox.wake();
    Ok(c2)
}

/// A public reply (counts as the first follow-up) or an internal note. A reply's news goes to
/// the citizen; the channel it went on, `None` when it could not (or for a note).
pub async fn comment(
    state: &ServiceContext,
    c: complaint::Model,
    user: &CurrentUser,
    body: &str,
    public: bool,
    lang: Lang,
) -> Result<Option<NewsChannel>, ServiceError> {
    if !user.acts_on_unit(c.unit_id) {
        return Err(ServiceError::NotFound);
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 4000 {
        return Err(ServiceError::field(
            "body",
            lang.t(if body.is_empty() {
                "v_required"
            } else {
                "v_length"
            }),
        ));
    }
    let txn = crate::store::begin_write(&state.db).await?;
    let event_id = store::complaints::add_event(
        &txn,
        Event {
            complaint_id: c.id,
            actor_user_id: Some(user.id),
            actor_label: &user.name,
            kind: if public { "reply" } else { "note" },
            from_status: None,
            to_status: None,
            body: Some(body),
            public,
        },
    )
    .await?;
    let mut via = None;
    if public {
        let mut m = c.clone().into_active_model();
        if c.first_response_at.is_none() {
            m.first_response_at = Set(Some(Utc::now()));
        }
        m.updated_at = Set(Utc::now());
        let c2 = store::complaints::save(&txn, m).await?;
        via = super::news::notify_citizen(state, &txn, &c2, Some(body), event_id).await?;
    }
    txn.commit().await?;
    state.outbox.wake();
    Ok(via)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct MetaIn {
    /// Staff member handling it (free text); empty clears.
    pub assignee: Option<String>,
    /// `rendah`, `normal` or `tinggi`.
    pub priority: Option<String>,
}

pub const PRIORITIES: [&str; 3] = ["rendah", "normal", "tinggi"];

pub async fn set_meta(
    state: &ServiceContext,
    c: complaint::Model,
    user: &CurrentUser,
    i: &MetaIn,
    lang: Lang,
) -> Result<complaint::Model, ServiceError> {
    if !user.acts_on_unit(c.unit_id) {
        return Err(ServiceError::NotFound);
    }
    if let Some(p) = &i.priority
        && !PRIORITIES.contains(&p.as_str())
    {
        return Err(ServiceError::field("priority", lang.t("v_choice")));
    }
    if i.assignee.as_ref().is_some_and(|a| a.chars().count() > 100) {
        return Err(ServiceError::field("assignee", lang.t("v_length")));
    }
    let txn = crate::store::begin_write(&state.db).await?;
    let mut m = c.clone().into_active_model();
    let mut changes = vec![];
    if let Some(a) = &i.assignee {
        let a = Some(a.trim().to_string()).filter(|s| !s.is_empty());
        if a != c.assignee {
            changes.push(("assign", a.clone().unwrap_or_else(|| "-".into())));
            m.assignee = Set(a);
        }
    }
    if let Some(p) = &i.priority
        && p != &c.priority
    {
        changes.push(("priority", p.clone()));
        m.priority = Set(p.clone());
    }
    m.updated_at = Set(Utc::now());
    let c2 = store::complaints::save(&txn, m).await?;
    for (kind, body) in changes {
        store::complaints::add_event(
            &txn,
            Event {
                complaint_id: c.id,
                actor_user_id: Some(user.id),
                actor_label: &user.name,
                kind,
                from_status: None,
                to_status: None,
                body: Some(&body),
                public: false,
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(c2)
}

/// Closes resolved complaints whose citizen did not reopen them within 10 working days.
pub async fn close_expired(state: &ServiceContext) -> Result<usize, ServiceError> {
    let cal = store::complaints::calendar(&state.db).await?;
    let today = today_wib();
    let mut n = 0;
    for c in store::complaints::resolved_before(&state.db, Utc::now()).await? {
        let Some(r) = c.resolved_at else { continue };
        if today <= cal.add_working_days(wib_date(r), rules::REOPEN_WINDOW_DAYS) {
            continue;
        }
        let txn = crate::store::begin_write(&state.db).await?;
        let mut m = c.clone().into_active_model();
        m.status = Set(Status::Closed.as_str().into());
        m.closed_at = Set(Some(Utc::now()));
        m.updated_at = Set(Utc::now());
        store::complaints::save(&txn, m).await?;
        store::complaints::add_event(
            &txn,
            Event {
                complaint_id: c.id,
                actor_user_id: None,
                actor_label: "sistem",
                kind: "status",
                from_status: Some(Status::Resolved),
                to_status: Some(Status::Closed),
                body: None,
                public: true,
            },
        )
        .await?;
        txn.commit().await?;
        n += 1;
    }
    Ok(n)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct BulkIn {
    pub tracking_ids: Vec<String>,
    /// `reject` or `mark_duplicate`.
    pub action: String,
    pub reason: Option<String>,
    pub duplicate_of: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BulkOut {
    pub done: Vec<String>,
    /// Tracking ID → why it was not changed.
    pub failed: HashMap<String, String>,
}

/// One action (reject, mark as duplicate) on many complaints; each succeeds or fails on its own.
/// A problem with the request itself (before any complaint changed) refuses the whole.
pub async fn bulk(
    state: &ServiceContext,
    user: &CurrentUser,
    b: &BulkIn,
    lang: Lang,
) -> Result<BulkOut, ServiceError> {
    if !["reject", "mark_duplicate"].contains(&b.action.as_str()) {
        return Err(ServiceError::field("action", lang.t("v_choice")));
    }
    if b.tracking_ids.is_empty() || b.tracking_ids.len() > 200 {
        return Err(ServiceError::field("tracking_ids", lang.t("v_length")));
    }
    let mut out = BulkOut {
        done: vec![],
        failed: HashMap::new(),
    };
    for id in &b.tracking_ids {
        let input = TransitionIn {
            action: b.action.clone(),
            reason: b.reason.clone(),
            duplicate_of: b.duplicate_of.clone(),
            ..Default::default()
        };
        let r = match scoped(state, user, id).await {
            Ok(c) => act(state, c, &input, Some(user), lang).await.map(|_| ()),
            Err(e) => Err(e),
        };
        match r {
            Ok(()) => out.done.push(id.clone()),
            Err(ServiceError::Invalid(f)) if out.done.is_empty() && out.failed.is_empty() => {
                return Err(ServiceError::Invalid(f));
            }
            Err(e) => {
                out.failed.insert(
                    id.clone(),
                    match e {
                        ServiceError::NotFound => "not found".into(),
                        other => other.to_string(),
                    },
                );
            }
        }
    }
    Ok(out)
}
