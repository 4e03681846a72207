//! Did the training move the signal? The signals that raised a recommendation are compared in a
//! window before the training against a window after it, each with its own test.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::describe::{CategoryNames, describe_signal, fmt_value};
use super::reading::{ALPHA, compare, exposure};
use super::rules::{Condition, RuleDef};
use super::signals::Signals;
use crate::domain::format;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImpactLabel {
    Effective,
    NoSignificantChange,
    Worse,
    NotEnoughData,
}

impl ImpactLabel {
    pub fn as_str(self) -> &'static str {
        match self {
            ImpactLabel::Effective => "effective",
            ImpactLabel::NoSignificantChange => "no_significant_change",
            ImpactLabel::Worse => "worse",
            ImpactLabel::NotEnoughData => "not_enough_data",
        }
    }

    /// Whether the programme's content and method should be reviewed.
    pub fn needs_review(self) -> bool {
        matches!(self, ImpactLabel::NoSignificantChange | ImpactLabel::Worse)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImpactRow {
    pub signal: String,
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub n_before: u64,
    pub n_after: u64,
    /// `welch_t` (means), `two_proportion_z` (shares) or `poisson_rate` (complaint rates).
    pub test: String,
    pub p: Option<f64>,
    /// Cohen's d (means), Cohen's h (shares) or the rate ratio after/before (rates).
    pub effect_size: Option<f64>,
    /// `improved`, `worse`, `no_change` or `not_enough_data`.
    pub outcome: String,
    pub text_id: String,
    pub text_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Impact {
    pub label: ImpactLabel,
    pub before_from: NaiveDate,
    pub before_to: NaiveDate,
    pub after_from: NaiveDate,
    pub after_to: NaiveDate,
    pub rows: Vec<ImpactRow>,
    pub text_id: String,
    pub text_en: String,
}

/// Every name [`test_name`] gives (each has its words in locales/, `tr_test_…`).
pub const TESTS: [&str; 3] = ["welch_t", "two_proportion_z", "poisson_rate"];

fn test_name(c: &Condition) -> &'static str {
    match c {
        Condition::ElementBelow { .. } | Condition::Decline { .. } => "welch_t",
        Condition::ComplaintRate { .. } => "poisson_rate",
        _ => "two_proportion_z",
    }
}

fn value_and_n(c: &Condition, s: &Signals, mv: Option<u64>) -> (Option<f64>, u64) {
    match c {
        Condition::ElementBelow { code, .. } | Condition::Decline { code, .. } => {
            let x = s.element(code);
            (x.mean(), x.n)
        }
        Condition::WaitOverStandard { .. }
        | Condition::MeasuredWaitOverStandard { .. }
        | Condition::VisitsGe3 { .. } => {
            let code = match c {
                Condition::WaitOverStandard { .. } => "_WAIT_OVER",
                Condition::MeasuredWaitOverStandard { .. } => super::reading::QUEUE_OVER,
                _ => "_VISITS_GE3",
            };
            let x = s.sum(code);
            ((x.n > 0).then(|| x.sum / x.n as f64), x.n)
        }
        Condition::ResolutionLate { .. } => {
            let (late, judged) = s.late();
            ((judged > 0).then(|| late as f64 / judged as f64), judged)
        }
        Condition::ComplaintRate {
            categories, per, ..
        } => {
            let k = s.complaints_in(categories);
            (exposure(*per, s, mv).map(|e| k as f64 / e), k)
        }
    }
}

/// Compares `before` with `after` for every condition of the rule that raised the
/// recommendation. `min_n` is the rule's; a complaint rate needs `min_count` complaints in the
/// two windows together. `names` are for the texts only.
pub fn evaluate_impact(
    def: &RuleDef,
    before: &Signals,
    after: &Signals,
    monthly_visitors: Option<u64>,
    names: &CategoryNames,
) -> Impact {
    let mut rows = vec![];
    for c in &def.conditions {
        let (vb, nb) = value_and_n(c, before, monthly_visitors);
        let (va, na) = value_and_n(c, after, monthly_visitors);
        let enough = match c {
            Condition::ComplaintRate { min_count, per, .. } => {
                vb.is_some()
                    && va.is_some()
                    && nb + na >= *min_count
                    && (*per != super::RateBase::Responses
                        || (before.responses() >= def.min_n && after.responses() >= def.min_n))
            }
            _ => nb >= def.min_n && na >= def.min_n,
        };
        let cmp = enough
            .then(|| compare(c, before, after, monthly_visitors))
            .flatten();
        let lower_is_worse = matches!(
            c,
            Condition::ElementBelow { .. } | Condition::Decline { .. }
        );
        let outcome = match cmp {
            None => "not_enough_data",
            Some((p, diff, _)) if p < ALPHA => {
                if (diff > 0.0) == lower_is_worse {
                    "improved"
                } else {
                    "worse"
                }
            }
            Some(_) => "no_change",
        };
        let (name_id, name_en) = describe_signal(c, names);
        let f = |v: Option<f64>, id: bool| v.map_or("–".to_string(), |v| fmt_value(c, v, id));
        let (verb_id, verb_en) = match (vb, va) {
            (Some(b), Some(a)) if a > b => ("naik", "rose"),
            (Some(b), Some(a)) if a < b => ("turun", "fell"),
            _ => ("tetap", "stayed"),
        };
        let (res_id, res_en) = match (outcome, cmp) {
            ("not_enough_data", _) => ("data belum cukup".to_string(), "not enough data".into()),
            (o, Some((p, _, _))) => {
                let (p_id, p_en) = (format::p_value(p, true), format::p_value(p, false));
                if o == "no_change" {
                    (
                        format!("tidak signifikan, {p_id}"),
                        format!("not significant, {p_en}"),
                    )
                } else {
                    (
                        format!("signifikan, {p_id}"),
                        format!("significant, {p_en}"),
                    )
                }
            }
            _ => (String::new(), String::new()),
        };
        let mut text_id = format!(
            "{name_id} {verb_id} dari {} ke {} ({res_id})",
            f(vb, true),
            f(va, true)
        );
        let mut text_en = format!(
            "{name_en} {verb_en} from {} to {} ({res_en})",
            f(vb, false),
            f(va, false)
        );
        if matches!(c, Condition::WaitOverStandard { .. })
            && let (Some(mb), Some(ma)) = (before.median_wait(), after.median_wait())
        {
            let (v_id, v_en) = if ma < mb {
                ("turun", "fell")
            } else {
                ("naik", "rose")
            };
            let m = |x: f64, id: bool| format::decimal(x, 0, id);
            text_id += &format!(
                "; median waktu tunggu {v_id} dari {} ke {} menit",
                m(mb, true),
                m(ma, true)
            );
            text_en += &format!(
                "; median wait {v_en} from {} to {} minutes",
                m(mb, false),
                m(ma, false)
            );
        }
        rows.push(ImpactRow {
            signal: c.key(),
            before: vb,
            after: va,
            n_before: nb,
            n_after: na,
            test: test_name(c).into(),
            p: cmp.map(|x| x.0),
            effect_size: cmp.map(|x| x.2).filter(|e| e.is_finite()),
            outcome: outcome.into(),
            text_id,
            text_en,
        });
    }
    let judged: Vec<&ImpactRow> = rows
        .iter()
        .filter(|r| r.outcome != "not_enough_data")
        .collect();
    let improved = judged.iter().any(|r| r.outcome == "improved");
    let worse = judged.iter().any(|r| r.outcome == "worse");
    let label = if judged.is_empty() {
        ImpactLabel::NotEnoughData
    } else if improved && !worse {
        ImpactLabel::Effective
    } else if worse && !improved {
        ImpactLabel::Worse
    } else {
        ImpactLabel::NoSignificantChange
    };
    let joined_id: Vec<&str> = judged.iter().map(|r| r.text_id.as_str()).collect();
    let joined_en: Vec<&str> = judged.iter().map(|r| r.text_en.as_str()).collect();
    let (verdict_id, verdict_en) = match label {
        ImpactLabel::Effective => ("efektif", "effective"),
        ImpactLabel::NoSignificantChange => (
            "tidak ada perubahan signifikan — tinjau materi dan metode pelatihan",
            "no significant change — review the programme's content and method",
        ),
        ImpactLabel::Worse => (
            "memburuk — tinjau materi dan metode pelatihan",
            "worse — review the programme's content and method",
        ),
        ImpactLabel::NotEnoughData => (
            "data belum cukup untuk menilai dampak",
            "not enough data to judge the effect",
        ),
    };
    let text_id = if joined_id.is_empty() {
        verdict_id.to_string()
    } else {
        format!("{} — {verdict_id}", joined_id.join("; "))
    };
    let text_en = if joined_en.is_empty() {
        verdict_en.to_string()
    } else {
        format!("{} — {verdict_en}", joined_en.join("; "))
    };
    Impact {
        label,
        before_from: before.from.unwrap_or_default(),
        before_to: before.to.unwrap_or_default(),
        after_from: after.from.unwrap_or_default(),
        after_to: after.to.unwrap_or_default(),
        rows,
        text_id,
        text_en,
    }
}

/// The windows compared for a training held from `start` to `completed`: `before_days` ending
/// the day before it began, `after_days` starting the day after it ended.
pub fn impact_windows(
    start: NaiveDate,
    completed: NaiveDate,
    before_days: u32,
    after_days: u32,
) -> ((NaiveDate, NaiveDate), (NaiveDate, NaiveDate)) {
    let b_to = start - chrono::Duration::days(1);
    let b_from = b_to - chrono::Duration::days(before_days.max(1) as i64 - 1);
    let a_from = completed + chrono::Duration::days(1);
    let a_to = a_from + chrono::Duration::days(after_days.max(1) as i64 - 1);
    ((b_from, b_to), (a_from, a_to))
}
