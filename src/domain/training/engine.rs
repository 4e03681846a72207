//! The recommendation engine: pure and deterministic. A rule fires for a unit only on enough
//! evidence: the minimum n, a 95% interval that lies wholly beyond the threshold, and the signal
//! showing in both halves of the window (not a one-week blip). `reading` measures a condition
//! in a window, `observe` judges one condition for one unit; here a rule's observations become a
//! prioritised finding.
use serde::{Deserialize, Serialize};

use super::observe::{Observation, observe};
use super::rules::RuleDef;
use super::signals::UnitSignals;

/// A complaint quoted as evidence: its public tracking ID only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Example {
    pub tracking_id: String,
    pub category: String,
    pub filed_on: chrono::NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    pub unit_id: i32,
    pub window_from: Option<chrono::NaiveDate>,
    pub window_to: Option<chrono::NaiveDate>,
    pub observations: Vec<Observation>,
    pub examples: Vec<Example>,
    pub severity: f64,
    pub reach: f64,
    pub trend: f64,
    /// severity × reach × trend.
    pub priority: f64,
    /// `high` (≥ 6), `medium` (≥ 3) or `low`.
    pub level: String,
    pub explanation_id: String,
    pub explanation_en: String,
}

/// Reach from the unit's expected monthly visitors: 1 at 500 or fewer, 2 at 5,000, 3 at 50,000+.
pub fn reach(monthly_visitors: Option<u64>) -> f64 {
    match monthly_visitors {
        Some(v) if v > 0 => (1.0 + (v as f64 / 500.0).log10()).clamp(1.0, 3.0),
        _ => 1.0,
    }
}

pub fn level(priority: f64) -> &'static str {
    if priority >= 6.0 {
        "high"
    } else if priority >= 3.0 {
        "medium"
    } else {
        "low"
    }
}

pub fn level_id(level: &str) -> &'static str {
    match level {
        "high" => "tinggi",
        "medium" => "sedang",
        _ => "rendah",
    }
}

/// Reads a rule against one unit. `None` when the rule does not fire.
pub fn evaluate(def: &RuleDef, u: &UnitSignals) -> Option<Finding> {
    let cur = u.current();
    let obs: Vec<Observation> = def
        .conditions
        .iter()
        .map(|c| observe(c, u, &cur, def.min_n))
        .collect();
    let fired = if def.match_all {
        !obs.is_empty() && obs.iter().all(|o| o.fires)
    } else {
        obs.iter().any(|o| o.fires)
    };
    if !fired {
        return None;
    }
    let firing: Vec<&Observation> = obs.iter().filter(|o| o.fires).collect();
    let severity = firing.iter().map(|o| o.severity).fold(1.0, f64::max);
    let reach = reach(u.monthly_visitors);
    let trend = if firing.iter().any(|o| o.trend < 0) {
        1.5
    } else if firing.iter().all(|o| o.trend > 0) {
        0.75
    } else {
        1.0
    };
    let priority = severity * reach * trend;
    let level = level(priority);
    let (trend_id, trend_en) = match trend {
        t if t > 1.0 => ("memburuk", "worsening"),
        t if t < 1.0 => ("membaik", "improving"),
        _ => ("stabil", "steady"),
    };
    let visitors = u
        .monthly_visitors
        .map(|v| {
            (
                format!("{v} pengunjung/bulan"),
                format!("{v} visitors/month"),
            )
        })
        .unwrap_or_else(|| {
            (
                "pengunjung tidak diketahui".into(),
                "visitors unknown".into(),
            )
        });
    let explanation_id = format!(
        "Prioritas {priority:.1} ({}) = keparahan {severity:.1} × jangkauan {reach:.1} ({}) × tren {trend:.2} ({trend_id})",
        level_id(level),
        visitors.0
    );
    let explanation_en = format!(
        "Priority {priority:.1} ({level}) = severity {severity:.1} × reach {reach:.1} ({}) × trend {trend:.2} ({trend_en})",
        visitors.1
    );
    // A few complaints as examples: never a confidential one, newest first, IDs only.
    let cats: Vec<String> = def
        .conditions
        .iter()
        .flat_map(|c| c.categories().iter().cloned())
        .collect();
    let mut examples: Vec<Example> = cur
        .complaints
        .iter()
        .filter(|c| !c.rahasia && cats.contains(&c.category))
        .map(|c| Example {
            tracking_id: c.tracking_id.clone(),
            category: c.category.clone(),
            filed_on: c.filed_on,
        })
        .collect();
    examples.sort_by(|a, b| {
        b.filed_on
            .cmp(&a.filed_on)
            .then(a.tracking_id.cmp(&b.tracking_id))
    });
    examples.truncate(3);
    Some(Finding {
        unit_id: u.unit_id,
        window_from: cur.from,
        window_to: cur.to,
        observations: obs,
        examples,
        severity,
        reach,
        trend,
        priority,
        level: level.into(),
        explanation_id,
        explanation_en,
    })
}
