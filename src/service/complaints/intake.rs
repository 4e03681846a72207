//! Filing a complaint: the input, its checks against the registry and the rules, and the one
//! transaction that writes the complaint, its audit entry, attachments, e-mails and submission key.

use chrono::Utc;
use entity::complaint;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use validator::ValidateEmail;

use super::*;
use crate::domain::complaint::{KINDS, Status, deadlines};
use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::today_wib;
use crate::store;
use crate::store::complaints::{Event, NewComplaint};

#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ContactIn {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// How to hear back: `email`, `whatsapp` or `sms` (only the channels this installation
    /// sends on; the form lists them). Absent: e-mail when one is given, else WhatsApp, else SMS
    /// for a phone; nothing without a contact.
    pub notify: Option<String>,
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

pub(super) fn clean(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Checks a complaint against the registry and the rules; problems by field.
pub async fn check(
    state: &ServiceContext,
    i: &ComplaintIn,
) -> Result<(NewComplaint, String), ServiceError> {
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
    let notify = match crate::domain::citizen_news::choose(
        contact.and_then(|c| c.notify.as_deref()),
        email.is_some(),
        phone.is_some(),
        state.settings.news,
    ) {
        Ok(c) => c.map(|c| c.as_str().to_string()),
        Err(key) => {
            p.insert("contact.notify".into(), key);
            None
        }
    };
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
        return Err(ServiceError::Problems(p));
    }
    let (Some(unit), Some(category)) = (unit, category) else {
        return Err(ServiceError::Problems(p));
    };
    let cal = store::complaints::calendar(db).await?;
    let dl = deadlines(&cal, today, category.resolve_days.max(1) as u32);
    Ok((
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
            // The caller says otherwise when it is not the web form.
            channel: "web".into(),
            reply_to: None,
            notify_via: notify,
        },
        unit.unit.name.clone(),
    ))
}

pub(super) fn label(lang: Lang, key: &str) -> String {
    lang.t(key).to_string()
}

/// What filing under a submission key came to.
pub enum Filing {
    Stored(Box<complaint::Model>),
    /// The key's first request filed this complaint (tracking ID); nothing new was stored.
    Before(String),
}

async fn filed_before(
    db: &impl ConnectionTrait,
    key: &store::idempotency::Key,
) -> Result<Option<Filing>, ServiceError> {
    Ok(match store::idempotency::seen(db, key).await? {
        store::idempotency::Seen::Same(t) => Some(Filing::Before(t)),
        store::idempotency::Seen::Different => return Err(ServiceError::KeyReused),
        store::idempotency::Seen::New => None,
    })
}

/// The code that lets the citizen who filed `tracking_id` reopen it (see
/// [`crate::security::reopen_code`]); given once at filing and in their own notifications.
pub fn reopen_code(state: &ServiceContext, tracking_id: &str) -> String {
    crate::security::reopen_code(&state.reopen_key, tracking_id)
}

/// The citizen's own link to their complaint: the tracking page with the reopen code filled in.
/// Only the citizen's receipt and notifications carry it; the plain tracking page shows no code.
pub fn own_link(state: &ServiceContext, tracking_id: &str) -> String {
    format!(
        "{}/track/{tracking_id}?code={}",
        state.settings.base_url,
        reopen_code(state, tracking_id)
    )
}

/// The scope of complaint submission keys.
pub const KEY_SCOPE: &str = "complaints";

/// Writes the complaint, its first audit entry, its attachments' rows, its e-mails and its
/// submission key in one transaction; a key already used answers what it filed first.
pub async fn file(
    state: &ServiceContext,
    mut n: NewComplaint,
    lang: Lang,
    attachments: &[StoredFile],
    key: Option<&store::idempotency::Key>,
) -> Result<Filing, ServiceError> {
    if let Some(k) = key
        && let Some(f) = filed_before(&state.db, k).await?
    {
        return Ok(f);
    }
    n.lang = lang.code().into();
    // Filed by chat with a contact given: news goes back on that chat.
    if n.reply_to.is_some() {
        n.notify_via = Some(n.channel.clone());
    }
    let txn = crate::store::begin_write(&state.db).await?;
    let c = store::complaints::create(&txn, n).await?;
    if let Some(k) = key
        && !store::idempotency::claim(&txn, k, Some(&c.tracking_id)).await?
    {
        // A twin request with the same key committed first: drop this one, answer that one.
        txn.rollback().await?;
        return filed_before(&state.db, k)
            .await?
            .ok_or(ServiceError::KeyReused);
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
    // A chat conversation's photos were held under it as they came: they go with its complaint.
    let chat_held = match key {
        Some(k) if ["whatsapp", "sms"].contains(&c.channel.as_str()) => {
            super::held::held_files(state, &super::held::chat_held_key(&k.key)).await?
        }
        _ => vec![],
    };
    for f in attachments.iter().chain(chat_held.iter().map(|h| &h.file)) {
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
        .ok_or(ServiceError::NotFound)?;
    let view = public_view(&txn, &c, lang).await?;
    if let Some(to) = &c.contact_email {
        let mut ctx = tera::Context::new();
        ctx.insert("c", &view);
        ctx.insert("track_url", &own_link(state, &c.tracking_id));
        ctx.insert("reopen_code", &reopen_code(state, &c.tracking_id));
        let (s, t, h) = state
            .outbox
            .compose("receipt", lang, &mut ctx)
            .map_err(|e| ServiceError::Internal(e.into()))?;
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
        let (s, t, h) = state
            .outbox
            .compose("new_complaint", Lang::Id, &mut ctx)
            .map_err(|e| ServiceError::Internal(e.into()))?;
        store::outbox::enqueue(&txn, "new_complaint", &sup, &s, &t, &h).await?;
    }
    txn.commit().await?;
    // The files are the complaint's now: only the rows that held them go.
    super::held::release_held(state, &chat_held, false).await?;
    crate::meters::complaint_filed(&c.channel);
    state.outbox.wake();
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

/// A citizen's file, already checked by content and written under the data directory.
#[derive(Debug, Clone)]
pub struct StoredFile {
    /// The name the citizen gave it, cleaned for display.
    pub filename: String,
    pub content_type: String,
    pub size: usize,
    /// The name it is stored under (random).
    pub stored_name: String,
}
