//! Recommendation rules as data: which signals of a unit to read over which window, against
//! which thresholds, and which training programmes answer them. Stored as JSON, checked here.
use serde::{Deserialize, Serialize};

use crate::domain::validation::Problems;

pub const SKM_ELEMENTS: &[&str] = &["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"];

/// What a complaint rate is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RateBase {
    /// Complaints per 1,000 survey responses in the window.
    Responses,
    /// Complaints per 1,000 visits (the unit's expected monthly visitors over the window).
    Visits,
    /// Complaints per 30 days.
    Month,
}

/// One signal against one threshold. The JSON form carries the signal name in `signal`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "signal", rename_all = "snake_case")]
pub enum Condition {
    /// An element's NRR (U1–U9, or `IKM` for the weighted index) is below `threshold` (1–4).
    ElementBelow { code: String, threshold: f64 },
    /// The share of respondents who waited longer than the service's declared standard is above
    /// `threshold` (0–1).
    WaitOverStandard { threshold: f64 },
    /// The share of tickets whose wait, as the unit's queue machine stamped it (issued →
    /// called), was longer than their service's standard is above `threshold` (0–1).
    MeasuredWaitOverStandard { threshold: f64 },
    /// The share of respondents who needed three or more visits is above `threshold` (0–1).
    VisitsGe3 { threshold: f64 },
    /// Complaints in `categories` per 1,000 responses, per 1,000 visits or per month are above
    /// `threshold`, with at least `min_count` complaints.
    ComplaintRate {
        categories: Vec<String>,
        per: RateBase,
        threshold: f64,
        #[serde(default = "default_min_count")]
        min_count: u64,
    },
    /// The share of complaints resolved in the window after their working-day deadline is above
    /// `threshold` (0–1).
    ResolutionLate { threshold: f64 },
    /// An element's NRR fell by at least `min_drop` from the previous window of the same length
    /// (Welch's t-test, p < 0.05).
    Decline { code: String, min_drop: f64 },
}

fn default_min_count() -> u64 {
    5
}

fn default_window() -> u32 {
    90
}

fn default_min_n() -> u64 {
    30
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleDef {
    /// Days read, ending today (28–730). The previous window of the same length is read for trends.
    #[serde(default = "default_window")]
    pub window_days: u32,
    /// Fewest responses (or complaints, for resolution delay) a survey signal needs to fire.
    #[serde(default = "default_min_n")]
    pub min_n: u64,
    /// `true`: every condition must hold; `false` (default): any one is enough.
    #[serde(default)]
    pub match_all: bool,
    pub conditions: Vec<Condition>,
    /// Codes of the training programmes that answer this rule, best first.
    pub programmes: Vec<String>,
}

impl Condition {
    /// A stable key for the signal, used in evidence and impact rows.
    pub fn key(&self) -> String {
        match self {
            Condition::ElementBelow { code, .. } | Condition::Decline { code, .. } => {
                code.to_uppercase()
            }
            Condition::WaitOverStandard { .. } => "wait_over_standard".into(),
            Condition::MeasuredWaitOverStandard { .. } => "measured_wait_over_standard".into(),
            Condition::VisitsGe3 { .. } => "visits_ge3".into(),
            Condition::ComplaintRate { categories, .. } => {
                format!("complaints:{}", categories.join("+"))
            }
            Condition::ResolutionLate { .. } => "resolution_late".into(),
        }
    }

    /// Complaint categories this condition reads (for example complaints in the evidence).
    pub fn categories(&self) -> &[String] {
        match self {
            Condition::ComplaintRate { categories, .. } => categories,
            _ => &[],
        }
    }
}

/// Checks a rule; `known_categories` and `known_programmes` are the catalogue's codes.
/// Problems are keyed by JSON path (`conditions.0.threshold`) with i18n message keys.
pub fn check(def: &RuleDef, known_categories: &[String], known_programmes: &[String]) -> Problems {
    let mut p = Problems::new();
    if !(28..=730).contains(&def.window_days) {
        p.insert("window_days".into(), "tr_v_window");
    }
    if !(5..=100_000).contains(&def.min_n) {
        p.insert("min_n".into(), "tr_v_min_n");
    }
    if def.conditions.is_empty() || def.conditions.len() > 10 {
        p.insert("conditions".into(), "tr_v_conditions");
    }
    for (i, c) in def.conditions.iter().enumerate() {
        let at = |f: &str| format!("conditions.{i}.{f}");
        let share_ok = |x: f64| x.is_finite() && x > 0.0 && x < 1.0;
        match c {
            Condition::ElementBelow { code, threshold } => {
                if !element_code_ok(code) {
                    p.insert(at("code"), "tr_v_element");
                }
                if !(threshold.is_finite() && *threshold > 1.0 && *threshold <= 4.0) {
                    p.insert(at("threshold"), "tr_v_nrr");
                }
            }
            Condition::Decline { code, min_drop } => {
                if !element_code_ok(code) {
                    p.insert(at("code"), "tr_v_element");
                }
                if !(min_drop.is_finite() && *min_drop > 0.0 && *min_drop <= 3.0) {
                    p.insert(at("min_drop"), "tr_v_drop");
                }
            }
            Condition::WaitOverStandard { threshold }
            | Condition::MeasuredWaitOverStandard { threshold }
            | Condition::VisitsGe3 { threshold }
            | Condition::ResolutionLate { threshold } => {
                if !share_ok(*threshold) {
                    p.insert(at("threshold"), "tr_v_share");
                }
            }
            Condition::ComplaintRate {
                categories,
                threshold,
                min_count,
                ..
            } => {
                if categories.is_empty() {
                    p.insert(at("categories"), "tr_v_categories");
                } else if let Some(bad) = categories.iter().find(|c| !known_categories.contains(c))
                {
                    let _ = bad;
                    p.insert(at("categories"), "tr_v_category_unknown");
                }
                if !(threshold.is_finite() && *threshold > 0.0) {
                    p.insert(at("threshold"), "tr_v_rate");
                }
                if *min_count == 0 || *min_count > 10_000 {
                    p.insert(at("min_count"), "tr_v_min_count");
                }
            }
        }
    }
    if def.programmes.is_empty() {
        p.insert("programmes".into(), "tr_v_programmes");
    } else if def.programmes.iter().any(|c| !known_programmes.contains(c)) {
        p.insert("programmes".into(), "tr_v_programme_unknown");
    }
    p
}

fn element_code_ok(code: &str) -> bool {
    let c = code.to_uppercase();
    c == "IKM" || SKM_ELEMENTS.contains(&c.as_str())
}

/// Rule codes are URL slugs: lower-case letters, digits and dashes.
pub fn code_ok(code: &str) -> bool {
    (2..=60).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !code.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats() -> Vec<String> {
        vec!["waktu_tunggu".into(), "perilaku_petugas".into()]
    }

    fn progs() -> Vec<String> {
        vec!["manajemen-antrian".into()]
    }

    #[test]
    fn a_rule_reads_from_json_with_defaults() {
        let def: RuleDef = serde_json::from_str(
            r#"{"conditions": [
                {"signal": "element_below", "code": "U3", "threshold": 3.0},
                {"signal": "complaint_rate", "categories": ["waktu_tunggu"], "per": "responses", "threshold": 20}
            ], "programmes": ["manajemen-antrian"]}"#,
        )
        .unwrap();
        assert_eq!(def.window_days, 90);
        assert_eq!(def.min_n, 30);
        assert!(!def.match_all);
        assert_eq!(
            def.conditions[1],
            Condition::ComplaintRate {
                categories: vec!["waktu_tunggu".into()],
                per: RateBase::Responses,
                threshold: 20.0,
                min_count: 5
            }
        );
        assert!(check(&def, &cats(), &progs()).is_empty());
        assert_eq!(def.conditions[1].key(), "complaints:waktu_tunggu");
    }

    #[test]
    fn bad_rules_get_a_message_per_field() {
        let def = RuleDef {
            window_days: 7,
            min_n: 1,
            match_all: false,
            conditions: vec![
                Condition::ElementBelow {
                    code: "U10".into(),
                    threshold: 5.0,
                },
                Condition::WaitOverStandard { threshold: 1.5 },
                Condition::ComplaintRate {
                    categories: vec!["parkir".into()],
                    per: RateBase::Month,
                    threshold: 0.0,
                    min_count: 0,
                },
                Condition::Decline {
                    code: "U3".into(),
                    min_drop: -1.0,
                },
            ],
            programmes: vec!["nope".into()],
        };
        let p = check(&def, &cats(), &progs());
        for k in [
            "window_days",
            "min_n",
            "conditions.0.code",
            "conditions.0.threshold",
            "conditions.1.threshold",
            "conditions.2.categories",
            "conditions.2.threshold",
            "conditions.2.min_count",
            "conditions.3.min_drop",
            "programmes",
        ] {
            assert!(p.contains_key(k), "missing {k}: {p:?}");
        }
        let empty = RuleDef {
            conditions: vec![],
            programmes: vec![],
            ..def
        };
        let p = check(&empty, &cats(), &progs());
        assert!(p.contains_key("conditions") && p.contains_key("programmes"));
    }

    #[test]
    fn rule_codes_are_slugs() {
        assert!(code_ok("antrian-u3"));
        assert!(!code_ok("Antrian"));
        assert!(!code_ok("-x"));
        assert!(!code_ok("a"));
    }
}
