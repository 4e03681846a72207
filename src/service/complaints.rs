//! What the complaint pages and the complaint API share: filing, views, transitions, replies,
//! and the e-mails each step writes to the outbox in the same transaction.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::complaint;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};
use serde::{Deserialize, Serialize};
use validator::ValidateEmail;

use crate::domain::calendar::Calendar;
use crate::domain::complaint::{
    self as rules, Action, Actor, Deadlines, KINDS, Status, TransitionError, deadlines, is_overdue,
    next_deadline,
};
use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store;
use crate::store::complaints::{Event, NewComplaint};
use crate::web::auth::{CurrentUser, Role};
use crate::web::error::ApiError;
use crate::web::survey::api::today_wib;

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ContactIn {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ComplaintIn {
    /// Unit slug.
    #[schema(required = true, nullable = false)]
    pub unit: Option<String>,
    /// Service slug of that unit.
    pub service: Option<String>,
    /// `pengaduan`, `aspirasi` or `permintaan_informasi`.
    #[schema(required = true, nullable = false)]
    pub kind: Option<String>,
    /// Category code, e.g. `waktu_tunggu`.
    #[schema(required = true, nullable = false)]
    pub category: Option<String>,
    /// 20–4,000 characters.
    #[schema(required = true, nullable = false)]
    pub description: Option<String>,
    /// YYYY-MM-DD, not in the future.
    pub incident_date: Option<String>,
    pub wait_minutes: Option<i64>,
    pub visits: Option<i64>,
    pub fee_paid: Option<i64>,
    pub contact: Option<ContactIn>,
    /// Hide the complainant's identity from the unit.
    #[serde(default)]
    pub anonim: bool,
    /// Never show the report publicly.
    #[serde(default)]
    pub rahasia: bool,
}

fn clean(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Checks a complaint against the registry and the rules; problems by field.
pub async fn check(
    state: &AppState,
    i: &ComplaintIn,
) -> Result<Result<(NewComplaint, String), Problems>, ApiError> {
    let mut p = Problems::new();
    let db = &state.db;
    let unit = match clean(&i.unit) {
        None => {
            p.insert("unit".into(), "v_required");
            None
        }
        Some(slug) => match state.unit_cache.get(db, &slug).await? {
            Some(ctx) => Some(ctx),
            None => {
                p.insert("unit".into(), "v_choice");
                None
            }
        },
    };
    let kind = clean(&i.kind);
    match &kind {
        None => {
            p.insert("kind".into(), "v_required");
        }
        Some(k) if !KINDS.contains(&k.as_str()) => {
            p.insert("kind".into(), "v_choice");
        }
        _ => {}
    }
    let cats = store::complaints::categories(db).await?;
    let category = match clean(&i.category) {
        None => {
            p.insert("category".into(), "v_required");
            None
        }
        Some(c) => match cats.iter().find(|x| x.code == c) {
            Some(c) => Some(c.clone()),
            None => {
                p.insert("category".into(), "v_choice");
                None
            }
        },
    };
    let description = clean(&i.description).unwrap_or_default();
    let len = description.chars().count();
    if len == 0 {
        p.insert("description".into(), "v_required");
    } else if !(20..=4000).contains(&len) {
        p.insert("description".into(), "v_description_length");
    }
    let today = today_wib();
    let incident_date = match clean(&i.incident_date) {
        None => None,
        Some(s) => match crate::domain::validation::parse_date(&s) {
            Ok(d) if d <= today => Some(d),
            Ok(_) => {
                p.insert("incident_date".into(), "v_future_date");
                None
            }
            Err(k) => {
                p.insert("incident_date".into(), k);
                None
            }
        },
    };
    let mut ranged = |name: &str, v: Option<i64>, lo: i64, hi: i64| {
        if v.is_some_and(|x| !(lo..=hi).contains(&x)) {
            p.insert(name.into(), "v_range");
        }
    };
    ranged("wait_minutes", i.wait_minutes, 0, 10_080);
    ranged("visits", i.visits, 1, 50);
    ranged("fee_paid", i.fee_paid, 0, 1_000_000_000);
    let contact = i.contact.as_ref();
    let email = contact
        .and_then(|c| clean(&c.email))
        .map(|e| e.to_lowercase());
    if email
        .as_ref()
        .is_some_and(|e| !e.validate_email() || e.len() > 200)
    {
        p.insert("contact.email".into(), "v_email");
    }
    let phone = contact.and_then(|c| clean(&c.phone));
    if phone.as_ref().is_some_and(|ph| {
        ph.len() < 6
            || ph.len() > 20
            || !ph.chars().all(|c| c.is_ascii_digit() || "+- ".contains(c))
    }) {
        p.insert("contact.phone".into(), "v_phone");
    }
    let name = contact.and_then(|c| clean(&c.name));
    if name.as_ref().is_some_and(|n| n.chars().count() > 100) {
        p.insert("contact.name".into(), "v_length");
    }
    let service_id = match (clean(&i.service), &unit) {
        (Some(s), Some(ctx)) => match ctx.services.iter().find(|x| x.slug == s) {
            Some(x) => Some(x.id),
            None => {
                p.insert("service".into(), "v_choice");
                None
            }
        },
        _ => None,
    };
    if !p.is_empty() {
        return Ok(Err(p));
    }
    let (Some(unit), Some(category)) = (unit, category) else {
        return Ok(Err(p));
    };
    let cal = store::complaints::calendar(db).await?;
    let dl = deadlines(&cal, today, category.resolve_days.max(1) as u32);
    Ok(Ok((
        NewComplaint {
            unit_id: unit.unit.id,
            service_id,
            kind: kind.unwrap_or_default(),
            category_id: category.id,
            description,
            incident_date,
            wait_minutes: i.wait_minutes.map(|v| v as i32),
            visits: i.visits.map(|v| v as i32),
            fee_paid: i.fee_paid,
            contact_name: name,
            contact_email: email,
            contact_phone: phone,
            anonim: i.anonim,
            rahasia: i.rahasia,
            lang: String::new(),
            deadlines: dl,
            now: Utc::now(),
        },
        unit.unit.name.clone(),
    )))
}

fn label(lang: Lang, key: &str) -> String {
    lang.t(key).to_string()
}

/// What filing under a submission key came to.
pub enum Filing {
    Stored(Box<complaint::Model>),
    /// The key's first request filed this complaint (tracking ID); nothing new was stored.
    Before(String),
    /// The key was used for a different complaint; nothing was stored.
    KeyReused,
}

async fn filed_before(
    db: &impl ConnectionTrait,
    key: &store::idempotency::Key,
) -> Result<Option<Filing>, ApiError> {
    Ok(match store::idempotency::seen(db, key).await? {
        store::idempotency::Seen::Same(t) => Some(Filing::Before(t)),
        store::idempotency::Seen::Different => Some(Filing::KeyReused),
        store::idempotency::Seen::New => None,
    })
}

/// The scope of complaint submission keys.
pub const KEY_SCOPE: &str = "complaints";

/// Writes the complaint, its first audit entry, its attachments' rows, its e-mails and its
/// submission key in one transaction; a key already used answers what it filed first.
pub async fn file(
    state: &AppState,
    mut n: NewComplaint,
    lang: Lang,
    attachments: &[crate::web::complaints::uploads::StoredFile],
    key: Option<&store::idempotency::Key>,
) -> Result<Filing, ApiError> {
    if let Some(k) = key
        && let Some(f) = filed_before(&state.db, k).await?
    {
        return Ok(f);
    }
    n.lang = lang.code().into();
    let txn = crate::bootstrap::db::begin_write(&state.db).await?;
    let c = store::complaints::create(&txn, n).await?;
    if let Some(k) = key
        && !store::idempotency::claim(&txn, k, Some(&c.tracking_id)).await?
    {
        // A twin request with the same key committed first: drop this one, answer that one.
        txn.rollback().await?;
        return Ok(filed_before(&state.db, k)
            .await?
            .unwrap_or(Filing::KeyReused));
    }
    store::complaints::add_event(
        &txn,
        Event {
            complaint_id: c.id,
            actor_user_id: None,
            actor_label: "warga",
            kind: "status",
            from_status: None,
            to_status: Some(Status::Received),
            body: None,
            public: true,
        },
    )
    .await?;
    for f in attachments {
        store::complaints::add_attachment(
            &txn,
            c.id,
            &f.filename,
            &f.content_type,
            f.size as i64,
            &f.stored_name,
        )
        .await?;
    }
    let unit = store::units::by_id(&txn, c.unit_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let view = public_view(&txn, &c, lang).await?;
    if let Some(to) = &c.contact_email {
        let mut ctx = tera::Context::new();
        ctx.insert("c", &view);
        ctx.insert(
            "track_url",
            &format!("{}/track/{}", state.settings.base_url, c.tracking_id),
        );
        let (s, t, h) = crate::mail::compose(&state.tera, "receipt", lang, &mut ctx)
            .map_err(|e| ApiError::Internal(e.into()))?;
        store::outbox::enqueue(&txn, "receipt", to, &s, &t, &h).await?;
    }
    for sup in supervisors(&txn, unit.id).await? {
        let mut ctx = tera::Context::new();
        ctx.insert("c", &view);
        ctx.insert("unit", &unit.name);
        ctx.insert(
            "staff_url",
            &format!(
                "{}/staff/complaints/{}",
                state.settings.base_url, c.tracking_id
            ),
        );
        let (s, t, h) = crate::mail::compose(&state.tera, "new_complaint", Lang::Id, &mut ctx)
            .map_err(|e| ApiError::Internal(e.into()))?;
        store::outbox::enqueue(&txn, "new_complaint", &sup, &s, &t, &h).await?;
    }
    txn.commit().await?;
    state.mailer.wake();
    Ok(Filing::Stored(Box::new(c)))
}

async fn supervisors(
    db: &impl ConnectionTrait,
    unit_id: i32,
) -> Result<Vec<String>, sea_orm::DbErr> {
    let ids: Vec<i32> = entity::user_unit::Entity::find()
        .filter(entity::user_unit::Column::UnitId.eq(unit_id))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.user_id)
        .collect();
    Ok(entity::user::Entity::find()
        .filter(entity::user::Column::Id.is_in(ids))
        .filter(entity::user::Column::Role.eq("supervisor"))
        .filter(entity::user::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HistoryItem {
    pub at: chrono::DateTime<Utc>,
    /// `at` in Jambi time, for people.
    pub when: String,
    pub status: String,
    pub status_label: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reply {
    pub at: chrono::DateTime<Utc>,
    pub when: String,
    pub body: String,
}

/// What anyone holding the tracking ID may see: never contact details, never internal notes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicView {
    pub tracking_id: String,
    pub kind: String,
    pub kind_label: String,
    pub unit: String,
    pub unit_name: String,
    pub category: String,
    pub category_label: String,
    pub status: String,
    pub status_label: String,
    pub created_at: chrono::DateTime<Utc>,
    pub next_deadline: Option<NaiveDate>,
    pub overdue: bool,
    pub can_reopen_until: Option<NaiveDate>,
    pub history: Vec<HistoryItem>,
    pub replies: Vec<Reply>,
}

pub fn dl(c: &complaint::Model) -> Deadlines {
    Deadlines {
        verify: c.due_verify,
        first_response: c.due_first_response,
        resolve: c.due_resolve,
    }
}

pub fn status_of(c: &complaint::Model) -> Result<Status, sea_orm::DbErr> {
    store::complaints::status(c)
}

pub async fn public_view(
    db: &impl ConnectionTrait,
    c: &complaint::Model,
    lang: Lang,
) -> Result<PublicView, sea_orm::DbErr> {
    let unit = store::units::by_id(db, c.unit_id).await?;
    let cats = store::complaints::all_categories(db).await?;
    let cat = cats.get(&c.category_id);
    let status = status_of(c)?;
    let next = next_deadline(status, &dl(c), c.first_response_at.is_some());
    let events = store::complaints::events(db, c.id).await?;
    let cal = store::complaints::calendar(db).await?;
    Ok(PublicView {
        tracking_id: c.tracking_id.clone(),
        kind: c.kind.clone(),
        kind_label: label(lang, &format!("kind_{}", c.kind)),
        unit: unit.as_ref().map(|u| u.slug.clone()).unwrap_or_default(),
        unit_name: unit.map(|u| u.name).unwrap_or_default(),
        category: cat.map(|c| c.code.clone()).unwrap_or_default(),
        category_label: cat
            .map(|c| {
                if lang == Lang::En {
                    c.name_en.clone()
                } else {
                    c.name_id.clone()
                }
            })
            .unwrap_or_default(),
        status: c.status.clone(),
        status_label: label(lang, &format!("status_{}", c.status)),
        created_at: c.created_at,
        next_deadline: next,
        overdue: is_overdue(next, today_wib()),
        can_reopen_until: (status == Status::Resolved)
            .then(|| {
                c.resolved_at
                    .map(|r| cal.add_working_days(wib_date(r), rules::REOPEN_WINDOW_DAYS))
            })
            .flatten(),
        history: events
            .iter()
            .filter(|e| e.public && e.kind == "status")
            .filter_map(|e| {
                let s = e.to_status.clone()?;
                Some(HistoryItem {
                    at: e.at,
                    when: fmt_wib(e.at),
                    status_label: label(lang, &format!("status_{s}")),
                    status: s,
                })
            })
            .collect(),
        replies: events
            .iter()
            .filter(|e| e.public && e.kind == "reply")
            .map(|e| Reply {
                at: e.at,
                when: fmt_wib(e.at),
                body: e.body.clone().unwrap_or_default(),
            })
            .collect(),
    })
}

pub use crate::domain::calendar::{fmt_wib, wib_date};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffEvent {
    pub at: chrono::DateTime<Utc>,
    pub when: String,
    pub actor: String,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub body: Option<String>,
    pub public: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub size: i64,
}

/// The unit's view of a complaint. Contact details only for a non-anonymous complaint and a
/// role that acts on the unit; planners never see them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffView {
    #[serde(flatten)]
    pub public: PublicView,
    pub description: String,
    pub service: Option<String>,
    pub incident_date: Option<NaiveDate>,
    pub wait_minutes: Option<i32>,
    pub visits: Option<i32>,
    pub fee_paid: Option<i64>,
    pub anonim: bool,
    pub rahasia: bool,
    pub priority: String,
    pub assignee: Option<String>,
    pub contact: Option<Contact>,
    pub reject_reason: Option<String>,
    pub duplicate_of: Option<String>,
    pub forwarded_to: Option<String>,
    pub due_verify: NaiveDate,
    pub due_first_response: NaiveDate,
    pub due_resolve: NaiveDate,
    pub actions: Vec<Action>,
    pub events: Vec<StaffEvent>,
    pub attachments: Vec<Attachment>,
}

pub async fn staff_view(
    db: &impl ConnectionTrait,
    c: &complaint::Model,
    user: &CurrentUser,
    lang: Lang,
) -> Result<StaffView, sea_orm::DbErr> {
    let public = public_view(db, c, lang).await?;
    let service = match c.service_id {
        Some(id) => entity::service::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| s.name),
        None => None,
    };
    let show_contact = !c.anonim && user.role != Role::Planner && user.acts_on_unit(c.unit_id);
    let dup = match c.duplicate_of {
        Some(id) => store::complaints::by_id(db, id)
            .await?
            .map(|d| d.tracking_id),
        None => None,
    };
    let fwd = match c.forwarded_to_unit_id {
        Some(id) => store::units::by_id(db, id).await?.map(|u| u.slug),
        None => None,
    };
    let can_act = user.acts_on_unit(c.unit_id);
    Ok(StaffView {
        description: c.description.clone(),
        service,
        incident_date: c.incident_date,
        wait_minutes: c.wait_minutes,
        visits: c.visits,
        fee_paid: c.fee_paid,
        anonim: c.anonim,
        rahasia: c.rahasia,
        priority: c.priority.clone(),
        assignee: c.assignee.clone(),
        contact: show_contact.then(|| Contact {
            name: c.contact_name.clone(),
            email: c.contact_email.clone(),
            phone: c.contact_phone.clone(),
        }),
        reject_reason: c.reject_reason.clone(),
        duplicate_of: dup,
        forwarded_to: fwd,
        due_verify: c.due_verify,
        due_first_response: c.due_first_response,
        due_resolve: c.due_resolve,
        actions: if can_act {
            rules::staff_actions(status_of(c)?)
        } else {
            vec![]
        },
        events: store::complaints::events(db, c.id)
            .await?
            .into_iter()
            .map(|e| StaffEvent {
                at: e.at,
                when: fmt_wib(e.at),
                actor: e.actor_label,
                kind: e.kind,
                from_status: e.from_status,
                to_status: e.to_status,
                body: e.body,
                public: e.public,
            })
            .collect(),
        attachments: store::complaints::attachments(db, c.id)
            .await?
            .into_iter()
            .map(|a| Attachment {
                filename: a.filename,
                content_type: a.content_type,
                size: a.size,
            })
            .collect(),
        public,
    })
}

/// A complaint the user may see, or 404 whatever the reason.
pub async fn scoped(
    state: &AppState,
    user: &CurrentUser,
    tracking: &str,
) -> Result<complaint::Model, ApiError> {
    let id = rules::normalise_tracking_id(tracking).ok_or(ApiError::NotFound)?;
    match store::complaints::by_tracking_id(&state.db, &id).await? {
        Some(c) if user.sees_unit(c.unit_id) => Ok(c),
        _ => Err(ApiError::NotFound),
    }
}

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
}

/// Applies one action (staff or citizen) with its audit entry and e-mail, in one transaction.
pub async fn act(
    state: &AppState,
    c: complaint::Model,
    input: &TransitionIn,
    actor: Option<&CurrentUser>,
    lang: Lang,
) -> Result<complaint::Model, ApiError> {
    let action = Action::parse(&input.action)
        .ok_or_else(|| ApiError::field("action", lang.t("v_choice")))?;
    if let Some(u) = actor
        && !u.acts_on_unit(c.unit_id)
    {
        return Err(ApiError::NotFound);
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
        TransitionError::NotCitizens => ApiError::NotFound,
        other => ApiError::Conflict(other.to_string()),
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
        return Err(ApiError::Validation(crate::web::translate(&p, lang)));
    }
    let now = Utc::now();
    let txn = crate::bootstrap::db::begin_write(&state.db).await?;
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
    store::complaints::add_event(
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
    notify_citizen(state, &txn, &c2, public_body.as_deref()).await?;
    txn.commit().await?;
    state.mailer.wake();
    Ok(c2)
}

/// A public reply (counts as the first follow-up) or an internal note.
pub async fn comment(
    state: &AppState,
    c: complaint::Model,
    user: &CurrentUser,
    body: &str,
    public: bool,
    lang: Lang,
) -> Result<(), ApiError> {
    if !user.acts_on_unit(c.unit_id) {
        return Err(ApiError::NotFound);
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 4000 {
        return Err(ApiError::field(
            "body",
            lang.t(if body.is_empty() {
                "v_required"
            } else {
                "v_length"
            }),
        ));
    }
    let txn = crate::bootstrap::db::begin_write(&state.db).await?;
    store::complaints::add_event(
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
    if public {
        let mut m = c.clone().into_active_model();
        if c.first_response_at.is_none() {
            m.first_response_at = Set(Some(Utc::now()));
        }
        m.updated_at = Set(Utc::now());
        let c2 = store::complaints::save(&txn, m).await?;
        notify_citizen(state, &txn, &c2, Some(body)).await?;
    }
    txn.commit().await?;
    state.mailer.wake();
    Ok(())
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
    state: &AppState,
    c: complaint::Model,
    user: &CurrentUser,
    i: &MetaIn,
    lang: Lang,
) -> Result<complaint::Model, ApiError> {
    if !user.acts_on_unit(c.unit_id) {
        return Err(ApiError::NotFound);
    }
    if let Some(p) = &i.priority
        && !PRIORITIES.contains(&p.as_str())
    {
        return Err(ApiError::field("priority", lang.t("v_choice")));
    }
    if i.assignee.as_ref().is_some_and(|a| a.chars().count() > 100) {
        return Err(ApiError::field("assignee", lang.t("v_length")));
    }
    let txn = crate::bootstrap::db::begin_write(&state.db).await?;
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

async fn notify_citizen(
    state: &AppState,
    txn: &impl ConnectionTrait,
    c: &complaint::Model,
    message: Option<&str>,
) -> Result<(), ApiError> {
    let Some(to) = &c.contact_email else {
        return Ok(());
    };
    let lang = Lang::parse(&c.lang).unwrap_or_default();
    let view = public_view(txn, c, lang).await?;
    let mut ctx = tera::Context::new();
    ctx.insert("c", &view);
    ctx.insert("message", &message);
    ctx.insert(
        "track_url",
        &format!("{}/track/{}", state.settings.base_url, c.tracking_id),
    );
    let (s, t, h) = crate::mail::compose(&state.tera, "status_update", lang, &mut ctx)
        .map_err(|e| ApiError::Internal(e.into()))?;
    store::outbox::enqueue(txn, "status_update", to, &s, &t, &h).await?;
    Ok(())
}

/// Closes resolved complaints whose citizen did not reopen them within 10 working days.
pub async fn close_expired(state: &AppState) -> Result<usize, ApiError> {
    let cal = store::complaints::calendar(&state.db).await?;
    let today = today_wib();
    let mut n = 0;
    for c in store::complaints::resolved_before(&state.db, Utc::now()).await? {
        let Some(r) = c.resolved_at else { continue };
        if today <= cal.add_working_days(wib_date(r), rules::REOPEN_WINDOW_DAYS) {
            continue;
        }
        let txn = crate::bootstrap::db::begin_write(&state.db).await?;
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

/// The queue for a user, sorted by next deadline (overdue first), with counts per status.
pub struct QueueRow {
    pub c: complaint::Model,
    pub next: Option<NaiveDate>,
    pub overdue: bool,
}

pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// Complaints matching the filter, on every page.
    pub total: u64,
    /// Complaints per status within the caller's units.
    pub counts: HashMap<String, i64>,
}

pub async fn queue(
    state: &AppState,
    user: &CurrentUser,
    mut f: store::complaints::QueueFilter,
    overdue_only: bool,
    page: u64,
    size: u64,
) -> Result<QueuePage, ApiError> {
    let scope = match user.role {
        Role::Supervisor => Some(user.unit_ids.clone()),
        _ => None,
    };
    f.units = match (f.units.take(), &scope) {
        (Some(asked), Some(mine)) => Some(asked.into_iter().filter(|u| mine.contains(u)).collect()),
        (Some(asked), None) => Some(asked),
        (None, s) => s.clone(),
    };
    let today = today_wib();
    f.overdue_on = overdue_only.then_some(today);
    let (models, total) = store::complaints::queue(&state.db, &f, page, size).await?;
    let rows = models
        .into_iter()
        .map(|c| {
            let next = next_deadline(status_of(&c)?, &dl(&c), c.first_response_at.is_some());
            Ok(QueueRow {
                overdue: is_overdue(next, today),
                next,
                c,
            })
        })
        .collect::<Result<_, sea_orm::DbErr>>()?;
    let counts = store::complaints::counts(&state.db, scope.as_deref())
        .await?
        .into_iter()
        .map(|(s, n)| (s.as_str().to_string(), n))
        .collect();
    Ok(QueuePage {
        rows,
        total,
        counts,
    })
}
