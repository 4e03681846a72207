//! Completed courses in: a SIASN-shaped or Moodle file, or xAPI statements. A completion counts
//! once (its key); one whose NIP is no employee's yet, or whose activity is no catalogue
//! programme's, is kept and listed for a planner to map, never dropped. Administrators and
//! planners (BKPSDM) deliver them; supervisors get 403.
use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::sources::{Deliverer, delivers};
use crate::domain::learning::{self, Completion};
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::service::queue::Rejected;
use crate::service::today_wib;
use crate::store;
use crate::store::employees::NewRecord;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LearningImported {
    pub accepted: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub problems: Vec<Rejected>,
    /// Of the accepted: records kept for a planner to map (an unknown NIP or activity).
    pub unmapped: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Unmapped {
    pub nip: String,
    pub course: String,
    pub completed_on: chrono::NaiveDate,
    pub source: String,
    /// The NIP is no employee's.
    pub unknown_person: bool,
    /// The activity is no programme's (no JP).
    pub unknown_activity: bool,
}

/// A programme for an activity: its code, or an IRI whose last segment is its code.
fn programme_of<'a>(
    activity: &str,
    programmes: &'a HashMap<String, i32>,
) -> Option<(&'a String, i32)> {
    let last = activity
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(activity);
    programmes
        .get_key_value(activity)
        .or_else(|| programmes.get_key_value(last))
        .map(|(k, jp)| (k, *jp))
}

async fn store_completions(
    state: &ServiceContext,
    completions: Vec<Completion>,
) -> Result<(u64, u64, u64), ServiceError> {
    let programmes: HashMap<String, i32> = store::training::catalogue::programmes(&state.read)
        .await?
        .into_iter()
        .map(|p| (p.code, p.jp))
        .collect();
    // Activities a planner mapped by hand count like the programme's own code.
    let maps = store::learning_sources::maps(&state.read).await?;
    let nips: Vec<String> = completions.iter().map(|c| c.nip.clone()).collect();
    let people = store::employees::ids_by_nip(&state.db, &nips).await?;
    let rows: Vec<NewRecord> = completions
        .into_iter()
        .map(|c| {
            let mapped = programme_of(&c.course, &programmes).or_else(|| {
                let code = maps.get(&c.course)?;
                programmes.get_key_value(code).map(|(k, jp)| (k, *jp))
            });
            NewRecord {
                employee_id: people.get(&c.nip).copied(),
                programme_code: mapped.map(|m| m.0.clone()),
                jp: c.jp.or(mapped.map(|m| m.1)),
                key: c.key,
                nip: c.nip,
                course: c.course,
                completed_on: c.completed_on,
                source: c.source,
            }
        })
        .collect();
    let unmapped = rows
        .iter()
        .filter(|r| r.employee_id.is_none() || r.jp.is_none())
        .count() as u64;
    let txn = store::begin_write(&state.db).await?;
    let stored = store::employees::insert_records(&txn, &rows).await?;
    txn.commit().await?;
    Ok((stored, rows.len() as u64 - stored, unmapped))
}

/// A file of completions: `siasn` or `moodle`.
pub async fn import(
    state: &ServiceContext,
    who: &Deliverer,
    format: &str,
    body: &[u8],
    lang: Lang,
) -> Result<LearningImported, ServiceError> {
    who.may(format)?;
    let rows = match format {
        "siasn" => learning::siasn_csv(body),
        "moodle" => learning::moodle_csv(body),
        _ => return Err(ServiceError::invalid("format", "v_choice")),
    }
    .map_err(|k| ServiceError::invalid("file", k))?;
    let (mut good, mut rejected, mut problems) = (vec![], 0, vec![]);
    for (index, r) in rows {
        match r {
            Ok(c) => good.push(c),
            Err(p) => {
                rejected += 1;
                if problems.len() < 1000 {
                    problems.push(crate::service::queue::Rejected::new(index, p, lang));
                }
            }
        }
    }
    let (accepted, duplicates, unmapped) = store_completions(state, good).await?;
    Ok(LearningImported {
        accepted,
        duplicates,
        rejected,
        problems,
        unmapped,
    })
}

/// xAPI statements (one or an array): the statement ids, as an LRS answers; `completed` and
/// `passed` count as completions.
pub async fn statements(
    state: &ServiceContext,
    who: &Deliverer,
    body: &Value,
) -> Result<Vec<String>, ServiceError> {
    who.may("xapi")?;
    let list = learning::xapi(body, today_wib()).map_err(ServiceError::BadRequest)?;
    let ids = list.iter().map(|s| s.id.clone()).collect();
    let completions = list.into_iter().filter_map(|s| s.completion).collect();
    store_completions(state, completions).await?;
    Ok(ids)
}

/// Records still to map, newest first.
pub async fn unmapped(
    state: &ServiceContext,
    user: &CurrentUser,
) -> Result<Vec<Unmapped>, ServiceError> {
    if !delivers(user) {
        return Err(ServiceError::Forbidden);
    }
    Ok(store::employees::unmapped(&state.read)
        .await?
        .into_iter()
        .map(|r| Unmapped {
            unknown_person: r.employee_id.is_none(),
            unknown_activity: r.jp.is_none(),
            nip: r.nip,
            course: r.course,
            completed_on: r.completed_on,
            source: r.source,
        })
        .collect())
}
