//! The recommendation engine's run: every active rule over every active unit (propose, refresh
//! or withdraw, by `domain::training::rerun`), then the impact of finished trainings. Safe to
//! repeat and to run in several processes at once.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use entity::training_recommendation as rec;
use sea_orm::DbErr;
use serde::Serialize;

use crate::domain::calendar::wib_date;
use crate::domain::training::engine::evaluate;
use crate::domain::training::lifecycle::Status;
use crate::domain::training::rerun::{self, Step};
use crate::domain::training::rules::RuleDef;
use crate::store;
use crate::store::training::catalogue::{self, parse_rule};
use crate::store::training::recommendations as recs;

#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
pub struct RunSummary {
    /// New recommendations proposed.
    pub proposed: u32,
    /// Open proposals whose evidence was brought up to date.
    pub refreshed: u32,
    /// Proposals withdrawn because their signal no longer holds.
    pub withdrawn: u32,
    /// Completed trainings whose impact was measured.
    pub evaluated: u32,
}

/// Runs every active rule over every active unit, then evaluates completed trainings whose
/// after-window has closed. Safe to repeat and to run in several processes at once: an open
/// recommendation is refreshed, never duplicated (a unique key on unit and rule).
/// `db` takes the writes and the recommendations' own state; `read` (a replica, or `db` again)
/// serves the signals, the heavy part.
pub async fn run(
    db: &sea_orm::DatabaseConnection,
    read: &sea_orm::DatabaseConnection,
    today: NaiveDate,
    before_days: u32,
    after_days: u32,
) -> Result<RunSummary, DbErr> {
    // Measure finished trainings first: a measured one no longer holds its rule back.
    let mut summary = RunSummary {
        evaluated: recs::evaluate_due(db, read, today, before_days, after_days).await?,
        ..Default::default()
    };
    let units = store::units::list(db, false).await?;
    let programmes: HashMap<String, i32> = catalogue::programmes(db)
        .await?
        .into_iter()
        .filter(|p| !p.archived)
        .map(|p| (p.code, p.id))
        .collect();
    let mut rules: BTreeMap<u32, Vec<(entity::training_rule::Model, RuleDef)>> = BTreeMap::new();
    for r in catalogue::rules(db).await?.into_iter().filter(|r| r.active) {
        match parse_rule(&r) {
            Ok(def) => rules.entry(def.window_days).or_default().push((r, def)),
            Err(e) => tracing::warn!(rule = %r.code, error = %e, "skipping an unreadable rule"),
        }
    }
    let mut open: HashMap<(i32, i32), rec::Model> = HashMap::new();
    let mut blocked: HashSet<(i32, i32)> = HashSet::new();
    for r in recs::all(db).await? {
        let key = (r.unit_id, r.rule_id);
        let Some(status) = Status::parse(&r.status) else {
            tracing::warn!(id = r.id, status = %r.status, "a recommendation with an unknown status");
            continue;
        };
        if r.open_key.is_some() {
            open.insert(key, r);
        } else if rerun::holds_back(
            &rerun::Closed {
                status,
                measured: r.impact.is_some(),
                withdrawn: r.withdrawn,
                changed_on: wib_date(r.updated_at),
            },
            today,
        ) {
            blocked.insert(key);
        }
    }
    for (days, group) in &rules {
        let signals = store::training::signals::gather(read, &units, today, *days).await?;
        for us in &signals {
            for (r, def) in group {
                let key = (us.unit_id, r.id);
                let finding = evaluate(def, us);
                let existing = open.get(&key);
                let open_status = existing.and_then(|e| Status::parse(&e.status));
                match (
                    rerun::step(finding.is_some(), open_status, blocked.contains(&key)),
                    finding,
                    existing,
                ) {
                    (Step::Refresh, Some(f), Some(existing)) => {
                        recs::refresh(db, existing, &f).await?;
                        summary.refreshed += 1;
                    }
                    (Step::Propose, Some(f), _) => {
                        let Some(pid) = def.programmes.iter().find_map(|c| programmes.get(c))
                        else {
                            continue;
                        };
                        if recs::propose(db, us.unit_id, r, *pid, def, &f).await? {
                            summary.proposed += 1;
                        }
                    }
                    (Step::Withdraw, _, Some(existing)) => {
                        recs::withdraw(db, existing).await?;
                        summary.withdrawn += 1;
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(summary)
}
