//! RapidPro / TextIt flow results as survey responses: a flow's "Call webhook" action posts
//! its run's results at the end; their names are the survey's question codes (any case) or
//! names mapped to codes by configuration. The run's uuid keys the intake, so the flow's retry
//! of the same run stores nothing new and answers the same response id.
use std::collections::BTreeMap;

use serde_json::Value;

use crate::domain::validation::Problems;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::survey;

/// One run of a flow, as read off the webhook's body.
pub struct Run {
    pub uuid: String,
    /// The unit's slug, from the body's `unit` or a result named (or mapped to) `unit`.
    pub unit: Option<String>,
    /// Result name → value (`results.<name>.value`, or the result itself when it is a scalar).
    pub results: BTreeMap<String, Value>,
}

/// What came of a run.
pub enum Outcome {
    /// Stored now or by an earlier post of the same run; results that are no question's code
    /// (a flow keeps others, e.g. consent) are named so the flow's author sees them.
    Stored { id: i64, ignored: Vec<String> },
    /// Problems by field (`unit`, `run.uuid`, `results.<CODE>`), as message keys.
    Refused(Problems),
}

pub async fn accept(
    state: &ServiceContext,
    run: Run,
    map: &[(String, String)],
) -> Result<Outcome, ServiceError> {
    let code_for = |name: &str| -> String {
        let lower = name.to_lowercase();
        map.iter()
            .find(|(n, _)| *n == lower)
            .map_or(name.to_string(), |(_, c)| c.clone())
    };
    let mut results: Vec<(String, Value)> = run
        .results
        .into_iter()
        .map(|(name, v)| (code_for(&name), v))
        .collect();
    let unit = run.unit.or_else(|| {
        let i = results
            .iter()
            .position(|(c, _)| c.eq_ignore_ascii_case("unit"))?;
        match results.remove(i).1 {
            Value::String(s) => Some(s),
            other => Some(other.to_string()),
        }
    });
    let refuse = |field: &str, key: &'static str| {
        Ok(Outcome::Refused(Problems::from([(field.to_string(), key)])))
    };
    let Some(slug) = unit.map(|u| u.trim().to_string()).filter(|u| !u.is_empty()) else {
        return refuse("unit", "v_required");
    };
    let Some(uctx) = state.unit_cache.get(&state.db, &slug).await? else {
        return refuse("unit", "v_choice");
    };
    let Some(active) = uctx.active.as_ref() else {
        return refuse("unit", "v_no_survey");
    };
    let mut raw = BTreeMap::new();
    let mut ignored = Vec::new();
    for (code, v) in results {
        match active
            .definition
            .questions
            .iter()
            .find(|q| q.code.eq_ignore_ascii_case(&code))
        {
            Some(q) => {
                raw.insert(q.code.clone(), v);
            }
            None => ignored.push(code),
        }
    }
    let key = format!("rapidpro:{}", run.uuid);
    match survey::accept(
        state,
        &uctx.unit,
        active,
        &uctx.services,
        &raw,
        "rapidpro",
        None,
        Some(&key),
    )
    .await
    {
        Ok(id) => Ok(Outcome::Stored { id, ignored }),
        Err(ServiceError::KeyReused) => refuse("run.uuid", "v_run_reused"),
        Err(ServiceError::Problems(p)) => Ok(Outcome::Refused(
            p.into_iter()
                .map(|(code, m)| {
                    let field = if code == "code" {
                        code
                    } else {
                        format!("results.{code}")
                    };
                    (field, m)
                })
                .collect(),
        )),
        Err(e) => Err(e),
    }
}
