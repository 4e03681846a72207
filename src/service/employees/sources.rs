//! Who delivers completions: BKPSDM planners and administrators by hand, or a learning source
//! (an LMS, an LRS, a SIASN file drop) with a token of its own that delivers its kind of record
//! and nothing else. And the planner's mapping of an unknown activity to a catalogue programme,
//! which gives the waiting records their JP and maps the activity's later completions too.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::validation::{Problems, short_text};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::{CurrentUser, Role};
use crate::store;

/// Who may deliver learning records by hand (BKPSDM): planners and administrators.
pub fn delivers(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Admin | Role::Planner)
}

pub const SOURCE_KINDS: [&str; 3] = ["siasn", "moodle", "xapi"];

/// The caller delivering completions.
pub enum Deliverer {
    Staff(CurrentUser),
    Source(entity::learning_source::Model),
}

impl Deliverer {
    /// May this caller deliver records of `kind` (`siasn`, `moodle`, `xapi`)? Staff who are not
    /// planners or administrators, and a source's token used for another kind, get 403.
    pub fn may(&self, kind: &str) -> Result<(), ServiceError> {
        match self {
            Deliverer::Staff(u) if delivers(u) => Ok(()),
            Deliverer::Source(s) if s.kind == kind => Ok(()),
            _ => Err(ServiceError::Forbidden),
        }
    }
}

/// The active source whose token this is, if any.
pub async fn by_token(
    state: &ServiceContext,
    token: &str,
) -> Result<Option<entity::learning_source::Model>, ServiceError> {
    Ok(store::learning_sources::by_hash(&state.db, &crate::security::sha256_hex(token)).await?)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SourceIn {
    /// A name people recognise, e.g. `moodle-bkpsdm` (unique, up to 60 characters).
    pub name: Option<String>,
    /// `siasn`, `moodle` or `xapi`: what the token may deliver.
    pub kind: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SourceOut {
    pub id: i32,
    pub name: String,
    pub kind: String,
    /// The token's first characters, to recognise it.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked: bool,
    /// The token itself: only in the answer that made it (stored hashed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

fn out(s: entity::learning_source::Model, token: Option<String>) -> SourceOut {
    SourceOut {
        id: s.id,
        name: s.name,
        kind: s.kind,
        prefix: s.prefix,
        created_at: s.created_at,
        revoked: s.revoked_at.is_some(),
        token,
    }
}

fn keeper(user: &CurrentUser) -> Result<(), ServiceError> {
    if delivers(user) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// A new source with its token (shown once).
pub async fn create(
    state: &ServiceContext,
    user: &CurrentUser,
    s: &SourceIn,
) -> Result<SourceOut, ServiceError> {
    keeper(user)?;
    let mut p = Problems::new();
    let name = short_text("name", &s.name, 60, true, &mut p).unwrap_or_default();
    let kind = s.kind.as_deref().map(str::trim).unwrap_or_default();
    if kind.is_empty() {
        p.insert("kind".into(), "v_required");
    } else if !SOURCE_KINDS.contains(&kind) {
        p.insert("kind".into(), "v_choice");
    }
    if !p.is_empty() {
        return Err(ServiceError::Problems(p));
    }
    let token = format!("sl_{}", crate::security::random_token(24));
    let hash = crate::security::sha256_hex(&token);
    match store::learning_sources::insert(&state.db, (&name, kind), &hash, &token[..10]).await {
        Ok(m) => Ok(out(m, Some(token))),
        Err(e) if store::is_unique_violation(&e) => Err(ServiceError::invalid("name", "v_taken")),
        Err(e) => Err(e.into()),
    }
}

pub async fn list(
    state: &ServiceContext,
    user: &CurrentUser,
) -> Result<Vec<SourceOut>, ServiceError> {
    keeper(user)?;
    Ok(store::learning_sources::all(&state.read)
        .await?
        .into_iter()
        .map(|s| out(s, None))
        .collect())
}

/// Revokes a source's token: it delivers nothing more (its records stay).
pub async fn revoke(
    state: &ServiceContext,
    user: &CurrentUser,
    id: &str,
) -> Result<(), ServiceError> {
    keeper(user)?;
    let id = id.parse::<i32>().map_err(|_| ServiceError::NotFound)?;
    if store::learning_sources::revoke(&state.db, id).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct MappingIn {
    /// The activity or course exactly as the records name it (`course` in the unmapped list).
    pub activity: Option<String>,
    /// The catalogue programme's code.
    pub programme: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MappingOut {
    pub activity: String,
    pub programme: String,
    pub jp: i32,
    /// Waiting records that now count with the programme's JP.
    pub records: u64,
}

/// Maps an activity to a programme: its waiting records get the programme's JP now, its later
/// completions as they arrive.
pub async fn map_activity(
    state: &ServiceContext,
    user: &CurrentUser,
    m: &MappingIn,
) -> Result<MappingOut, ServiceError> {
    keeper(user)?;
    let mut p = Problems::new();
    let activity = short_text("activity", &m.activity, 300, true, &mut p).unwrap_or_default();
    let code = short_text("programme", &m.programme, 60, true, &mut p).unwrap_or_default();
    let programme = if code.is_empty() {
        None
    } else {
        store::training::catalogue::programme_by_code(&state.db, &code).await?
    };
    if !code.is_empty() && programme.is_none() {
        p.insert("programme".into(), "v_choice");
    }
    let (Some(programme), true) = (programme, p.is_empty()) else {
        return Err(ServiceError::Problems(p));
    };
    let txn = store::begin_write(&state.db).await?;
    let records =
        store::learning_sources::map_activity(&txn, &activity, &programme.code, programme.jp)
            .await?;
    txn.commit().await?;
    Ok(MappingOut {
        activity,
        programme: programme.code,
        jp: programme.jp,
        records,
    })
}
