//! Measured waits: stamps from a unit's queue machine in, daily cells rebuilt, and the unit's
//! feed credentials. Who may deliver: the unit's supervisors, administrators, or the unit's
//! own feed token (made here, for the machine); anyone else hears 404 for the unit.
pub mod by_period;
mod published;
mod standards;
mod summary;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

pub use published::{MeasuredWait, measured_wait};
pub use standards::standards;
pub use summary::*;

use crate::domain::queue::QueueEvent;
use crate::domain::queue::adapters::Mapped;
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::store;

/// At most this many events in one JSON request; a day's file goes to the unit's endpoint.
pub const MAX_BATCH: usize = 5_000;
/// At most this many records in one file (a province's busiest unit stamps ~20,000 a day).
pub const MAX_FILE: usize = 200_000;
/// Problems listed in an answer (the count is always whole).
const MAX_LISTED: usize = 1_000;

/// Who delivers stamps.
pub enum Writer {
    Staff(CurrentUser),
    /// The unit's feed token or a Qminder signature made with its secret.
    Feed(i32),
}

impl Writer {
    fn may_write(&self, unit_id: i32) -> bool {
        match self {
            Writer::Staff(u) => u.acts_on_unit(unit_id),
            Writer::Feed(id) => *id == unit_id,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Rejected {
    /// The record's position in the request (0 is the first event, or the first row after a
    /// file's header).
    pub index: usize,
    /// Field → what is wrong.
    pub problems: BTreeMap<String, String>,
}

impl Rejected {
    /// Record `index` refused for `p` (message keys), said in `lang`.
    pub fn new(index: usize, p: crate::domain::validation::Problems, lang: Lang) -> Rejected {
        Rejected {
            index,
            problems: p
                .into_iter()
                .map(|(k, v)| (k, lang.t(v).to_string()))
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Ingested {
    /// Stamps stored by this request.
    pub accepted: u64,
    /// Stamps stored before (a resent file, a redelivered webhook): nothing changed.
    pub duplicates: u64,
    /// Records refused; the good ones of the same request are kept.
    pub rejected: u64,
    /// The first 1,000 refused records with each field's problem.
    pub problems: Vec<Rejected>,
}

/// The unit `slug` for a writer who may deliver its stamps; 404 otherwise.
pub async fn writable_unit(
    state: &ServiceContext,
    writer: &Writer,
    slug: &str,
) -> Result<entity::unit::Model, ServiceError> {
    match store::units::by_slug(&state.db, slug).await? {
        Some(u) if writer.may_write(u.id) && u.archived_at.is_none() => Ok(u),
        _ => Err(ServiceError::NotFound),
    }
}

/// The unit whose feed token `token` is, if any.
pub async fn feed_unit(
    state: &ServiceContext,
    slug: &str,
    token: &str,
) -> Result<Option<i32>, ServiceError> {
    let Some(u) = store::units::by_slug(&state.db, slug).await? else {
        return Ok(None);
    };
    let feed = store::queue::feed(&state.db, u.id).await?;
    Ok(feed
        .filter(|f| {
            crate::security::constant_time_eq(
                f.token_hash.as_bytes(),
                crate::security::sha256_hex(token).as_bytes(),
            )
        })
        .map(|_| u.id))
}

/// Whether `signature` (hex HMAC-SHA256 of `body`) was made with unit `slug`'s Qminder secret.
pub async fn qminder_unit(
    state: &ServiceContext,
    slug: &str,
    body: &[u8],
    signature: &str,
) -> Result<Option<i32>, ServiceError> {
    let Some(u) = store::units::by_slug(&state.db, slug).await? else {
        return Ok(None);
    };
    let feed = store::queue::feed(&state.db, u.id).await?;
    let sig = signature.trim().trim_start_matches("sha256=");
    Ok(feed
        .filter(|f| crate::security::hmac_sha256_matches(f.secret.as_bytes(), body, sig))
        .map(|_| u.id))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Feed {
    /// For the machine's `Authorization: Bearer …`; shown once.
    pub token: String,
    /// The webhook secret to give Qminder (it signs each delivery with it); shown once.
    pub secret: String,
    /// Where the machine delivers.
    pub url: String,
}

/// New feed credentials for unit `slug` (replacing any earlier: the old token stops working).
pub async fn new_feed(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
) -> Result<Feed, ServiceError> {
    let unit = writable_unit(state, &Writer::Staff(user.clone()), slug).await?;
    let token = format!("sq_{}", crate::security::random_token(24));
    let secret = crate::security::random_token(24);
    store::queue::set_feed(
        &state.db,
        unit.id,
        &crate::security::sha256_hex(&token),
        &token[..10],
        &secret,
    )
    .await?;
    Ok(Feed {
        token,
        secret,
        url: format!(
            "{}/api/v1/units/{}/queue/events",
            state.settings.base_url.trim_end_matches('/'),
            unit.slug
        ),
    })
}

/// Stores the records of one request. `unit`: the unit the path names (every record is
/// its); `None` for the batch endpoint, where each record names its unit.
pub async fn ingest(
    state: &ServiceContext,
    writer: &Writer,
    unit: Option<&entity::unit::Model>,
    records: Mapped,
    lang: Lang,
) -> Result<Ingested, ServiceError> {
    let mut rejected = 0u64;
    let mut problems = vec![];
    let mut reject = |index: usize, p: crate::domain::validation::Problems| {
        rejected += 1;
        if problems.len() < MAX_LISTED {
            problems.push(crate::service::queue::Rejected::new(index, p, lang));
        }
    };
    // Slug → unit id when the writer may deliver for it.
    let mut units: HashMap<String, Option<i32>> = HashMap::new();
    let mut by_unit: HashMap<i32, Vec<QueueEvent>> = HashMap::new();
    let mut bad_index: HashSet<usize> = HashSet::new();
    // Stamps of days whose raw stamps are no longer kept would rebuild such a day from a part.
    let oldest = crate::service::today_wib()
        - chrono::Duration::days(i64::from(state.settings.queue_retention_days) - 1);
    let newest = crate::service::today_wib() + chrono::Duration::days(1);
    for (index, r) in records {
        if bad_index.contains(&index) {
            continue;
        }
        let e = match r.and_then(|raw| raw.check()) {
            Ok(e) if e.day < oldest => {
                bad_index.insert(index);
                reject(index, [("at".to_string(), "v_queue_too_old")].into());
                continue;
            }
            Ok(e) if e.day > newest => {
                bad_index.insert(index);
                reject(index, [("at".to_string(), "v_queue_future")].into());
                continue;
            }
            Ok(e) => e,
            Err(p) => {
                bad_index.insert(index);
                reject(index, p);
                continue;
            }
        };
        let unit_id = match (unit, e.unit.as_deref()) {
            (Some(u), None) => Some(u.id),
            (Some(u), Some(s)) if s == u.slug => Some(u.id),
            (Some(_), Some(_)) => None,
            (None, None) => {
                bad_index.insert(index);
                reject(index, [("unit".to_string(), "v_required")].into());
                continue;
            }
            (None, Some(s)) => match units.get(s) {
                Some(id) => *id,
                None => {
                    let id = store::units::by_slug(&state.db, s)
                        .await?
                        .filter(|u| writer.may_write(u.id) && u.archived_at.is_none())
                        .map(|u| u.id);
                    units.insert(s.to_string(), id);
                    id
                }
            },
        };
        match unit_id {
            Some(id) => by_unit.entry(id).or_default().push(e),
            None => {
                bad_index.insert(index);
                reject(index, [("unit".to_string(), "v_queue_unit")].into());
            }
        }
    }
    let (mut accepted, mut duplicates) = (0, 0);
    for (unit_id, events) in by_unit {
        let txn = store::begin_write(&state.db).await?;
        let stored = store::queue::insert(&txn, unit_id, &events).await?;
        txn.commit().await?;
        accepted += stored;
        duplicates += events.len() as u64 - stored;
        if stored > 0 {
            let days: HashSet<NaiveDate> = events.iter().map(|e| e.day).collect();
            for day in days {
                rebuild_day(state, unit_id, day).await?;
            }
        }
    }
    crate::meters::queue_events(accepted, duplicates, rejected);
    Ok(Ingested {
        accepted,
        duplicates,
        rejected,
        problems,
    })
}

/// Rebuilds the unit's cells of `day` from all of that day's stamps.
pub async fn rebuild_day(
    state: &ServiceContext,
    unit_id: i32,
    day: NaiveDate,
) -> Result<(), ServiceError> {
    let standards = standards(state, unit_id).await?;
    let txn = store::begin_write(&state.db).await?;
    store::queue::lock_day(&txn, unit_id, day).await?;
    let stamps = store::queue::day_stamps(&txn, unit_id, day).await?;
    let cells = crate::domain::queue::measure_day(stamps, |service| {
        standards.get(&service.to_lowercase()).copied()
    });
    store::queue::replace_day(&txn, unit_id, day, cells).await?;
    txn.commit().await?;
    Ok(())
}

/// The unit whose feed token `token` is, for the batch endpoint.
pub async fn feed_by_token(
    state: &ServiceContext,
    token: &str,
) -> Result<Option<i32>, ServiceError> {
    Ok(
        store::queue::feed_by_hash(&state.db, &crate::security::sha256_hex(token))
            .await?
            .map(|f| f.unit_id),
    )
}
