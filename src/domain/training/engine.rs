//! The recommendation engine: pure and deterministic. A rule fires for a unit only on enough
//! evidence: the minimum n, a 95% interval that lies wholly beyond the threshold, and the signal
//! showing in both halves of the window (not a one-week blip). `reading` measures a condition
//! in a window, `observe` judges one condition for one unit; here a rule's observations become a
//! prioritised finding.
use serde::{Deserialize, Serialize};

use super::observe::{Observation, observe};
use super::rules::RuleDef;
use super::signals::UnitSignals;
use crate::domain::format;

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

/// The priority in words, in Bahasa Indonesia and English, its numbers as each reader writes
/// them: "Prioritas 4,2 (sedang) = keparahan 1,9 × jangkauan 1,5 (1.490 pengunjung/bulan) ×
/// tren 1,50 (memburuk)"; "Priority 4.2 (medium) = severity 1.9 × reach 1.5 (1,490
/// visitors/month) × trend 1.50 (worsening)".
pub fn explain(
    priority: f64,
    severity: f64,
    reach: f64,
    trend: f64,
    monthly_visitors: Option<u64>,
) -> (String, String) {
    say_priority(
        level(priority),
        priority,
        severity,
        reach,
        trend,
        monthly_visitors,
    )
}

/// An Indonesian priority explanation as [`explain`] writes it, or wrote it before its numbers
/// were written the Indonesian way ("Prioritas 4.2 (sedang) = keparahan 1.9 × jangkauan 1.5
/// (1490 pengunjung/bulan) × tren 1.50 (memburuk)"), said in English: the audit log keeps the
/// Indonesian text, an English page shows this. `None` for any other text.
pub fn explanation_in_english(id: &str) -> Option<String> {
    // Decimals with a comma (now) or a point (before); no thousands in these.
    let num = |s: &str| s.trim().replace(',', ".").parse::<f64>().ok();
    let rest = id.strip_prefix("Prioritas ")?;
    let (priority, rest) = rest.split_once(" (")?;
    let (level_word, rest) = rest.split_once(") = keparahan ")?;
    let (severity, rest) = rest.split_once(" × jangkauan ")?;
    let (reach, rest) = rest.split_once(" (")?;
    let (visitors, rest) = rest.split_once(") × tren ")?;
    let (trend, rest) = rest.split_once(" (")?;
    rest.strip_suffix(')')?;
    let level = match level_word {
        "tinggi" => "high",
        "sedang" => "medium",
        "rendah" => "low",
        _ => return None,
    };
    let visitors = match visitors.strip_suffix(" pengunjung/bulan") {
        Some(v) => Some(v.replace('.', "").parse::<u64>().ok()?),
        None if visitors == "pengunjung tidak diketahui" => None,
        None => return None,
    };
    Some(
        say_priority(
            level,
            num(priority)?,
            num(severity)?,
            num(reach)?,
            num(trend)?,
            visitors,
        )
        .1,
    )
}

fn say_priority(
    level: &str,
    priority: f64,
    severity: f64,
    reach: f64,
    trend: f64,
    monthly_visitors: Option<u64>,
) -> (String, String) {
    let (trend_id, trend_en) = match trend {
        t if t > 1.0 => ("memburuk", "worsening"),
        t if t < 1.0 => ("membaik", "improving"),
        _ => ("stabil", "steady"),
    };
    let say = |id: bool| {
        let n = |x: f64, places: usize| format::decimal(x, places, id);
        let visitors = match monthly_visitors {
            Some(v) if id => format!("{} pengunjung/bulan", format::whole(v as i64, true)),
            Some(v) => format!("{} visitors/month", format::whole(v as i64, false)),
            None if id => "pengunjung tidak diketahui".into(),
            None => "visitors unknown".into(),
        };
        if id {
            format!(
                "Prioritas {} ({}) = keparahan {} × jangkauan {} ({visitors}) × tren {} ({trend_id})",
                n(priority, 1),
                level_id(level),
                n(severity, 1),
                n(reach, 1),
                n(trend, 2),
            )
        } else {
            format!(
                "Priority {} ({level}) = severity {} × reach {} ({visitors}) × trend {} ({trend_en})",
                n(priority, 1),
                n(severity, 1),
                n(reach, 1),
                n(trend, 2),
            )
        }
    };
    (say(true), say(false))
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
    let (explanation_id, explanation_en) =
        explain(priority, severity, reach, trend, u.monthly_visitors);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_priority_reads_in_each_language_with_its_numbers() {
        // 1.9 × 1.5 × 1.5 = 4.275 → "4,3" (medium: 3 ≤ 4.275 < 6).
        let (id, en) = explain(4.275, 1.9, 1.5, 1.5, Some(1490));
        assert_eq!(
            id,
            "Prioritas 4,3 (sedang) = keparahan 1,9 × jangkauan 1,5 (1.490 pengunjung/bulan) × tren 1,50 (memburuk)"
        );
        assert_eq!(
            en,
            "Priority 4.3 (medium) = severity 1.9 × reach 1.5 (1,490 visitors/month) × trend 1.50 (worsening)"
        );
        let (id, en) = explain(0.75, 1.0, 1.0, 0.75, None);
        assert!(
            id.ends_with("(pengunjung tidak diketahui) × tren 0,75 (membaik)"),
            "{id}"
        );
        assert!(en.starts_with("Priority 0.8 (low)"), "{en}");
    }

    #[test]
    fn a_logged_explanation_is_said_in_english() {
        let (id, en) = explain(4.275, 1.9, 1.5, 1.5, Some(1490));
        assert_eq!(explanation_in_english(&id), Some(en));
        let (id, en) = explain(0.75, 1.0, 1.0, 0.75, None);
        assert_eq!(explanation_in_english(&id), Some(en));
        // As the engine wrote it before: decimal points, no grouping; the level as logged
        // (5.96 reads 6,0 but was medium).
        assert_eq!(
            explanation_in_english(
                "Prioritas 5.96 (sedang) = keparahan 2.6 × jangkauan 1.5 (1490 pengunjung/bulan) × tren 1.50 (memburuk)"
            )
            .as_deref(),
            Some(
                "Priority 6.0 (medium) = severity 2.6 × reach 1.5 (1,490 visitors/month) × trend 1.50 (worsening)"
            )
        );
        assert_eq!(explanation_in_english("Perlu dijadwalkan ulang"), None);
        assert_eq!(
            explanation_in_english(
                "Prioritas x (sedang) = keparahan 1 × jangkauan 1 (a) × tren 1 (b)"
            ),
            None
        );
    }
}
