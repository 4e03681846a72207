//! What a complaint looks like to the citizen (tracking) and to the unit (triage).

use chrono::{NaiveDate, Utc};
use entity::complaint;
use sea_orm::{ConnectionTrait, EntityTrait};
use serde::Serialize;

use super::*;
use crate::domain::complaint::{
    self as rules, Action, Deadlines, Status, is_overdue, next_deadline,
};
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::{CurrentUser, Role};
use crate::service::today_wib;
use crate::store;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HistoryItem {
    pub at: chrono::DateTime<Utc>,
    /// `at` in Jambi time, for people.
    pub when: String,
    pub status: String,
    pub status_label: String,
    /// What the unit wrote to the citizen with this change (the public note; the reason of a
    /// rejection; the citizen's own reason for reopening). Internal notes never appear here.
    pub note: Option<String>,
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
    /// What `next_deadline` is for: `verify`, `first_response` or `resolve`.
    pub next_step: Option<String>,
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

/// The complaint's status; an unknown one in the database is an error, never a guess.
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
            .map(|c| lang.pick(&c.name_id, &c.name_en).clone())
            .unwrap_or_default(),
        status: c.status.clone(),
        status_label: label(lang, &format!("status_{}", c.status)),
        created_at: c.created_at,
        next_deadline: next,
        next_step: crate::domain::complaint::next_step(
            status,
            &dl(c),
            c.first_response_at.is_some(),
        )
        .map(str::to_string),
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
                    note: e.body.clone().filter(|b| !b.trim().is_empty()),
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
    /// How the news of this entry went to the citizen: `email`, `whatsapp` or `sms`; null when
    /// nothing was sent (a note, or no contact).
    pub notified_via: Option<String>,
    /// Whether that news arrived, when some was sent.
    pub delivery: Option<Delivery>,
    /// The same in words, for the page ("kabar dikirim lewat WhatsApp · terkirim").
    pub news: Option<String>,
}

/// How one message to the citizen fared.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Delivery {
    /// `sent`, `pending` (not yet tried, or retrying), `failed` (tried, will retry) or `gave_up`.
    pub state: String,
    pub attempts: i32,
    /// The last error, while it is not delivered.
    pub error: Option<String>,
}

fn delivery(m: &entity::outbox::Model) -> Delivery {
    let state = if m.sent_at.is_some() {
        "sent"
    } else if m.gave_up_at.is_some() {
        "gave_up"
    } else if m.attempts > 0 {
        "failed"
    } else {
        "pending"
    };
    Delivery {
        state: state.into(),
        attempts: m.attempts,
        error: m.sent_at.is_none().then(|| m.last_error.clone()).flatten(),
    }
}

fn news_words(lang: Lang, via: &str, d: &Delivery) -> String {
    let head = lang
        .t("news_via")
        .replace("{via}", lang.t(&format!("notify_{via}")));
    let tail = match d.state.as_str() {
        "sent" => lang.t("news_sent").to_string(),
        "gave_up" => lang.t("news_gave_up").to_string(),
        "failed" => lang
            .t("news_failed")
            .replace("{n}", &d.attempts.to_string())
            .replace("{error}", d.error.as_deref().unwrap_or("-")),
        _ => lang.t("news_pending").to_string(),
    };
    format!("{head} · {tail}")
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
    /// Where the unit's supervisors (and administrators) open the file; `null` for anyone else.
    pub url: Option<String>,
    /// JPEG, PNG or WebP: the page shows it as a thumbnail.
    pub image: bool,
    /// The kind and size in words: "JPEG · 440 KB".
    pub label: String,
}

/// The unit's view of a complaint. Contact details only for a non-anonymous complaint and a
/// role that acts on the unit; planners never see them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffView {
    #[serde(flatten)]
    pub public: PublicView,
    pub description: String,
    pub service: Option<String>,
    /// Where it came in: `web`, `api`, `whatsapp`, `sms`, `open311`.
    pub channel: String,
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
    /// How the citizen hears back: `email`, `whatsapp`, `sms`; null when they left no way.
    pub notify_via: Option<String>,
    /// The three deadlines in order, each with what it is for and whether it was met.
    pub deadline_steps: Vec<DeadlineStep>,
    pub actions: Vec<Action>,
    pub events: Vec<StaffEvent>,
    pub attachments: Vec<Attachment>,
    /// Up to 5 open complaints of the same unit and category, filed within 30 days of this one,
    /// whose descriptions are alike (word-set Jaccard ≥ 0.2), most similar first.
    pub suggested_duplicates: Vec<SuggestedDuplicate>,
    /// Tracking IDs of the complaints marked as duplicates of this one.
    pub duplicates: Vec<String>,
}

/// A complaint that may be the same matter as the one viewed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SuggestedDuplicate {
    pub tracking_id: String,
    /// The first 140 characters of the description.
    pub summary: String,
    /// 0–1: the share of words the two descriptions have in common.
    pub similarity: f64,
}

/// Days before or after a complaint within which others are suggested as its duplicates.
pub const DUPLICATE_WINDOW_DAYS: i64 = 30;

/// Open complaints alike this one (see [`crate::domain::similarity`]).
pub async fn suggested_duplicates(
    db: &impl ConnectionTrait,
    c: &complaint::Model,
) -> Result<Vec<SuggestedDuplicate>, sea_orm::DbErr> {
    let others = store::complaints::duplicate_candidates(db, c, DUPLICATE_WINDOW_DAYS).await?;
    let texts: Vec<(usize, &str)> = others
        .iter()
        .enumerate()
        .map(|(i, o)| (i, o.description.as_str()))
        .collect();
    Ok(crate::domain::similarity::rank(&c.description, &texts)
        .into_iter()
        .map(|(i, s)| SuggestedDuplicate {
            tracking_id: others[i].tracking_id.clone(),
            summary: others[i].description.chars().take(140).collect(),
            similarity: (s * 100.0).round() / 100.0,
        })
        .collect())
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
        channel: c.channel.clone(),
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
            // A chat citizen who asked for news can be called back on that number.
            phone: c.contact_phone.clone().or_else(|| c.reply_to.clone()),
        }),
        reject_reason: c.reject_reason.clone(),
        duplicate_of: dup,
        forwarded_to: fwd,
        due_verify: c.due_verify,
        due_first_response: c.due_first_response,
        due_resolve: c.due_resolve,
        notify_via: news_channel(c).map(|v| v.as_str().to_string()),
        deadline_steps: deadline_steps(c, lang),
        actions: if can_act {
            rules::staff_actions(status_of(c)?)
        } else {
            vec![]
        },
        events: staff_events(db, c.id, lang).await?,
        attachments: store::complaints::attachments(db, c.id)
            .await?
            .into_iter()
            .map(|a| Attachment {
                url: attachment_url(c, a.id, user),
                image: a.content_type.starts_with("image/"),
                label: crate::domain::file_label::label(&a.content_type, a.size, lang == Lang::Id),
                filename: a.filename,
                content_type: a.content_type,
                size: a.size,
            })
            .collect(),
        suggested_duplicates: suggested_duplicates(db, c).await?,
        duplicates: store::complaints::duplicates_of(db, c.id).await?,
        public,
    })
}

/// How the citizen of `c` hears back, if at all. Complaints filed before the choice existed:
/// a chat complaint with a contact on its chat, else e-mail when one was given.
pub fn news_channel(c: &complaint::Model) -> Option<crate::domain::citizen_news::NewsChannel> {
    if let Some(v) = &c.notify_via {
        return crate::domain::citizen_news::NewsChannel::parse(v);
    }
    if c.reply_to.is_some() {
        return crate::domain::citizen_news::NewsChannel::parse(&c.channel)
            .filter(|ch| *ch != crate::domain::citizen_news::NewsChannel::Email);
    }
    c.contact_email
        .as_ref()
        .map(|_| crate::domain::citizen_news::NewsChannel::Email)
}

/// One deadline of a complaint, for people.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeadlineStep {
    /// `verify`, `first_response` or `resolve`.
    pub step: String,
    /// What it is for, in words ("Verifikasi laporan").
    pub label: String,
    pub due: NaiveDate,
    /// When the step was done (WIB), if it was.
    pub done_on: Option<NaiveDate>,
    /// Not done and the day has passed.
    pub late: bool,
}

fn deadline_steps(c: &complaint::Model, lang: Lang) -> Vec<DeadlineStep> {
    let today = crate::service::today_wib();
    [
        ("verify", c.due_verify, c.verified_at),
        ("first_response", c.due_first_response, c.first_response_at),
        ("resolve", c.due_resolve, c.resolved_at),
    ]
    .into_iter()
    .map(|(step, due, done)| {
        let done_on = done.map(wib_date);
        DeadlineStep {
            step: step.into(),
            label: lang.t(&format!("c_step_{step}")).to_string(),
            due,
            done_on,
            late: done_on.is_none() && due < today,
        }
    })
    .collect()
}

/// The history, each entry with how its news went to the citizen.
async fn staff_events(
    db: &impl ConnectionTrait,
    complaint_id: i32,
    lang: Lang,
) -> Result<Vec<StaffEvent>, sea_orm::DbErr> {
    let events = store::complaints::events(db, complaint_id).await?;
    let ids: Vec<i64> = events
        .iter()
        .filter(|e| e.notified_via.is_some())
        .map(|e| e.id)
        .collect();
    let rows = store::outbox::for_events(db, &ids).await?;
    Ok(events
        .into_iter()
        .map(|e| {
            // The last message of the entry (one per entry today).
            let d = rows
                .iter()
                .rev()
                .find(|m| m.complaint_event_id == Some(e.id))
                .map(delivery);
            let news = match (&e.notified_via, &d) {
                (Some(via), Some(d)) => Some(news_words(lang, via, d)),
                _ => None,
            };
            // Entries nobody signed in made are named in the page's language.
            let actor = match (e.actor_user_id, e.actor_label.as_str()) {
                (None, "warga") => lang.t("c_actor_citizen").to_string(),
                (None, "sistem") => lang.t("c_actor_system").to_string(),
                _ => e.actor_label,
            };
            StaffEvent {
                at: e.at,
                when: fmt_wib(e.at),
                actor,
                kind: e.kind,
                from_status: e.from_status,
                to_status: e.to_status,
                body: e.body,
                public: e.public,
                notified_via: e.notified_via,
                delivery: d,
                news,
            }
        })
        .collect())
}

/// A complaint the user may see, or 404 whatever the reason.
pub async fn scoped(
    state: &ServiceContext,
    user: &CurrentUser,
    tracking: &str,
) -> Result<complaint::Model, ServiceError> {
    let id = rules::normalise_tracking_id(tracking).ok_or(ServiceError::NotFound)?;
    match store::complaints::by_tracking_id(&state.db, &id).await? {
        Some(c) if user.sees_unit(c.unit_id) => Ok(c),
        _ => Err(ServiceError::NotFound),
    }
}
