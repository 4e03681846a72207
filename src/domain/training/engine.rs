//! The recommendation engine: pure and deterministic. A rule fires for a unit only on enough
//! evidence: the minimum n, a 95% interval that lies wholly beyond the threshold, and the signal
//! showing in both halves of the window (not a one-week blip).
use serde::{Deserialize, Serialize};

use super::describe::{describe_signal, fmt_p, fmt_value, standard_text};
use super::rules::{Condition, RateBase, RuleDef};
use super::signals::{Signals, UnitSignals};
use crate::domain::stats::{
    Summary, poisson_ci95, poisson_rates, proportion_ci95, two_proportion, welch,
};

/// Significance level of every test here.
pub const ALPHA: f64 = 0.05;

/// One signal of one unit read against one condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Observation {
    /// `U3`, `IKM`, `wait_over_standard`, `visits_ge3`, `complaints:waktu_tunggu`, `resolution_late`.
    pub signal: String,
    pub value: Option<f64>,
    pub n: u64,
    pub ci: Option<[f64; 2]>,
    pub threshold: f64,
    /// The same signal in the previous window.
    pub previous: Option<f64>,
    pub previous_n: u64,
    /// −1: significantly worse than the previous window; 1: significantly better; 0: neither.
    pub trend: i8,
    pub trend_p: Option<f64>,
    /// The signal in the older and newer half of the window.
    pub halves: [Option<f64>; 2],
    pub fires: bool,
    /// Why it does not fire: `not_enough_data`, `within_threshold`, `interval_overlaps`, `blip`.
    pub held_back: Option<String>,
    /// 1 (at the threshold) to 3 (far beyond it).
    pub severity: f64,
    pub text_id: String,
    pub text_en: String,
}

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

/// What a condition measures in one window: (estimate, n) and its interval.
struct Reading {
    value: Option<f64>,
    n: u64,
    ci: Option<(f64, f64)>,
}

fn element_reading(s: &Signals, code: &str) -> Reading {
    let x = s.element(code);
    Reading {
        value: x.mean(),
        n: x.n,
        ci: x.ci95(),
    }
}

fn share_reading(x: Summary) -> Reading {
    let k = x.sum.round().max(0.0) as u64;
    Reading {
        value: (x.n > 0).then(|| k as f64 / x.n as f64),
        n: x.n,
        ci: proportion_ci95(k, x.n),
    }
}

/// The exposure a complaint rate divides by, in its own units (thousands of responses or
/// visits, or months), or `None` when it is unknown.
pub fn exposure(per: RateBase, s: &Signals, monthly_visitors: Option<u64>) -> Option<f64> {
    let e = match per {
        RateBase::Responses => s.responses() as f64 / 1000.0,
        RateBase::Visits => monthly_visitors? as f64 * s.days() as f64 / 30.4375 / 1000.0,
        RateBase::Month => s.days() as f64 / 30.0,
    };
    (e > 0.0).then_some(e)
}

fn rate_reading(s: &Signals, categories: &[String], per: RateBase, mv: Option<u64>) -> Reading {
    let k = s.complaints_in(categories);
    match exposure(per, s, mv) {
        Some(e) => {
            let (lo, hi) = poisson_ci95(k);
            Reading {
                value: Some(k as f64 / e),
                n: k,
                ci: Some((lo / e, hi / e)),
            }
        }
        None => Reading {
            value: None,
            n: k,
            ci: None,
        },
    }
}

fn read(c: &Condition, s: &Signals, mv: Option<u64>) -> Reading {
    match c {
        Condition::ElementBelow { code, .. } | Condition::Decline { code, .. } => {
            element_reading(s, code)
        }
        Condition::WaitOverStandard { .. } => share_reading(s.sum("_WAIT_OVER")),
        Condition::VisitsGe3 { .. } => share_reading(s.sum("_VISITS_GE3")),
        Condition::ComplaintRate {
            categories, per, ..
        } => rate_reading(s, categories, *per, mv),
        Condition::ResolutionLate { .. } => {
            let (late, judged) = s.late();
            Reading {
                value: (judged > 0).then(|| late as f64 / judged as f64),
                n: judged,
                ci: proportion_ci95(late, judged),
            }
        }
    }
}

/// Whether lower values are worse for this condition's signal.
fn lower_is_worse(c: &Condition) -> bool {
    matches!(
        c,
        Condition::ElementBelow { .. } | Condition::Decline { .. }
    )
}

/// A test of `before` against `after` for one condition: (p, after − before, effect size).
pub fn compare(
    c: &Condition,
    before: &Signals,
    after: &Signals,
    mv: Option<u64>,
) -> Option<(f64, f64, f64)> {
    match c {
        Condition::ElementBelow { code, .. } | Condition::Decline { code, .. } => {
            let t = welch(&before.element(code), &after.element(code))?;
            Some((t.p, t.diff, t.effect_size))
        }
        Condition::WaitOverStandard { .. }
        | Condition::VisitsGe3 { .. }
        | Condition::ResolutionLate { .. } => {
            let (kb, nb, ka, na) = match c {
                Condition::ResolutionLate { .. } => {
                    let (a, b) = before.late();
                    let (x, y) = after.late();
                    (a, b, x, y)
                }
                _ => {
                    let code = if matches!(c, Condition::WaitOverStandard { .. }) {
                        "_WAIT_OVER"
                    } else {
                        "_VISITS_GE3"
                    };
                    let (b, a) = (before.sum(code), after.sum(code));
                    (b.sum.round() as u64, b.n, a.sum.round() as u64, a.n)
                }
            };
            let t = two_proportion(kb, nb, ka, na)?;
            Some((
                t.p,
                ka as f64 / na as f64 - kb as f64 / nb as f64,
                t.effect_size,
            ))
        }
        Condition::ComplaintRate {
            categories, per, ..
        } => {
            let (eb, ea) = (exposure(*per, before, mv)?, exposure(*per, after, mv)?);
            let (kb, ka) = (
                before.complaints_in(categories),
                after.complaints_in(categories),
            );
            let t = poisson_rates(kb, eb, ka, ea)?;
            Some((t.p, ka as f64 / ea - kb as f64 / eb, t.effect_size))
        }
    }
}

fn observe(c: &Condition, u: &UnitSignals, cur: &Signals, min_n: u64) -> Observation {
    let mv = u.monthly_visitors;
    let r = read(c, cur, mv);
    let prev = read(c, &u.previous, mv);
    let halves = [
        read(c, &u.first_half, mv).value,
        read(c, &u.second_half, mv).value,
    ];
    let worse_low = lower_is_worse(c);
    let cmp = compare(c, &u.previous, cur, mv);
    let enough_for_trend =
        matches!(c, Condition::ComplaintRate { .. }) || (r.n >= min_n && prev.n >= min_n);
    let trend = match cmp {
        Some((p, diff, _)) if p < ALPHA && enough_for_trend => {
            if (diff < 0.0) == worse_low {
                -1
            } else {
                1
            }
        }
        _ => 0,
    };
    let threshold = match c {
        Condition::ElementBelow { threshold, .. }
        | Condition::WaitOverStandard { threshold }
        | Condition::VisitsGe3 { threshold }
        | Condition::ComplaintRate { threshold, .. }
        | Condition::ResolutionLate { threshold } => *threshold,
        Condition::Decline { min_drop, .. } => *min_drop,
    };
    // Enough data; the estimate beyond the threshold; its interval clear of it; both halves too.
    let enough = match c {
        Condition::ComplaintRate { min_count, per, .. } => {
            r.value.is_some()
                && r.n >= *min_count
                && (*per != RateBase::Responses || cur.responses() >= min_n)
        }
        Condition::Decline { .. } => r.n >= min_n && prev.n >= min_n,
        _ => r.n >= min_n,
    };
    let beyond = |v: f64| -> bool {
        match c {
            Condition::ElementBelow { .. } => v < threshold,
            Condition::Decline { .. } => prev.value.is_some_and(|p| p - v >= threshold),
            _ => v > threshold,
        }
    };
    let (held_back, severity) = if !enough {
        (Some("not_enough_data"), 1.0)
    } else if !r.value.is_some_and(beyond) {
        (Some("within_threshold"), 1.0)
    } else {
        let v = r.value.unwrap_or_default();
        let clear = match c {
            Condition::ElementBelow { .. } => r.ci.is_some_and(|(_, hi)| hi < threshold),
            Condition::Decline { .. } => cmp.is_some_and(|(p, diff, _)| p < ALPHA && diff < 0.0),
            _ => r.ci.is_some_and(|(lo, _)| lo > threshold),
        };
        let persistent = halves.iter().all(|h| match c {
            // Both halves below where the previous window stood.
            Condition::Decline { .. } => h.zip(prev.value).is_some_and(|(h, p)| h < p),
            _ => h.is_some_and(beyond),
        });
        let gap = match c {
            Condition::ElementBelow { .. } => (threshold - v) / 0.25,
            Condition::Decline { .. } => prev.value.map_or(0.0, |p| (p - v) / 0.25),
            Condition::ComplaintRate { .. } => v / threshold - 1.0,
            _ => (v - threshold) / 0.1,
        };
        let severity = 1.0 + gap.clamp(0.0, 2.0);
        if !clear {
            (Some("interval_overlaps"), severity)
        } else if !persistent {
            (Some("blip"), severity)
        } else {
            (None, severity)
        }
    };
    let fires = held_back.is_none();
    let (name_id, name_en) = describe_signal(c, &u.category_names);
    let f = |v: f64| fmt_value(c, v);
    let mut text_id = format!("{name_id}: ");
    let mut text_en = format!("{name_en}: ");
    match r.value {
        Some(v) => {
            let n_word = if matches!(c, Condition::ComplaintRate { .. }) {
                ("pengaduan", "complaints")
            } else {
                ("n", "n")
            };
            let ci =
                r.ci.map(|(a, b)| format!(", 95% CI {}–{}", f(a), f(b)))
                    .unwrap_or_default();
            text_id += &format!("{} ({} = {}{ci})", f(v), n_word.0, r.n);
            text_en += &format!("{} ({} = {}{ci})", f(v), n_word.1, r.n);
        }
        None => {
            text_id += "belum ada data";
            text_en += "no data yet";
        }
    }
    match c {
        // Said as the drop itself, so a rule that also tests the same element's level does not
        // read as the same condition twice.
        Condition::Decline { .. } => {
            if let (Some(p), Some(v)) = (prev.value, r.value) {
                text_id += &format!("; turun {} (dari {})", f(p - v), f(p));
                text_en += &format!("; a drop of {} (from {})", f(p - v), f(p));
            }
            text_id += &format!(", penurunan minimal {}", f(threshold));
            text_en += &format!(", at least {} required", f(threshold));
        }
        Condition::ElementBelow { .. } => {
            text_id += &format!("; ambang {}", f(threshold));
            text_en += &format!("; threshold {}", f(threshold));
        }
        _ => {
            text_id += &format!("; ambang {}", f(threshold));
            text_en += &format!("; threshold {}", f(threshold));
        }
    }
    if let (Some(p), Some(v)) = (prev.value, r.value) {
        let decline = matches!(c, Condition::Decline { .. });
        let (up_id, up_en) = if v >= p {
            ("naik", "up")
        } else {
            ("turun", "down")
        };
        let sig = match cmp {
            Some((pv, _, _)) if trend != 0 => format!("signifikan, {}", fmt_p(pv)),
            Some((pv, _, _)) => format!("tidak signifikan, {}", fmt_p(pv)),
            None => "tanpa uji".into(),
        };
        let sig_en = sig
            .replace("tidak signifikan", "not significant")
            .replace("signifikan", "significant")
            .replace("tanpa uji", "untested");
        if decline {
            text_id += &format!(" ({sig})");
            text_en += &format!(" ({sig_en})");
        } else {
            text_id += &format!("; {up_id} dari {} pada periode sebelumnya ({sig})", f(p));
            text_en += &format!("; {up_en} from {} in the previous period ({sig_en})", f(p));
        }
    }
    if matches!(c, Condition::WaitOverStandard { .. })
        && let Some(m) = cur.median_wait()
    {
        let std = standard_text(&u.standard_minutes);
        text_id += &format!("; median waktu tunggu {m:.0} menit{}", std.0);
        text_en += &format!("; median wait {m:.0} minutes{}", std.1);
    }
    if let Some(why) = held_back {
        let (i, e) = match why {
            "not_enough_data" => ("data belum cukup", "not enough data"),
            "within_threshold" => ("dalam batas", "within the threshold"),
            "interval_overlaps" => (
                "selang kepercayaan masih menyentuh ambang",
                "the confidence interval still touches the threshold",
            ),
            _ => (
                "hanya muncul di separuh periode",
                "shows in only half of the window",
            ),
        };
        text_id += &format!(" — {i}");
        text_en += &format!(" — {e}");
    }
    Observation {
        signal: c.key(),
        value: r.value,
        n: r.n,
        ci: r.ci.map(|(a, b)| [a, b]),
        threshold,
        previous: prev.value,
        previous_n: prev.n,
        trend,
        trend_p: cmp.map(|x| x.0),
        halves,
        fires,
        held_back: held_back.map(str::to_string),
        severity,
        text_id,
        text_en,
    }
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
