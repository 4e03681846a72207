//! What a condition measures in one window (an estimate, its n and 95% interval), and the test
//! of one window against another that trends and impacts rest on.
use super::rules::{Condition, RateBase};
use super::signals::Signals;
use crate::domain::stats::{
    Summary, poisson_ci95, poisson_rates, proportion_ci95, two_proportion, welch,
};

/// The signal code of measured waits over the standard: n = waits judged, sum = those over.
pub const QUEUE_OVER: &str = "_QUEUE_OVER";
/// The measured waits' minutes (n, sum, sum of squares).
pub const QUEUE_WAIT: &str = "_QUEUE_WAIT";

/// Significance level of every test here.
pub const ALPHA: f64 = 0.05;

/// What a condition measures in one window: (estimate, n) and its interval.
pub(super) struct Reading {
    pub(super) value: Option<f64>,
    pub(super) n: u64,
    pub(super) ci: Option<(f64, f64)>,
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

pub(super) fn read(c: &Condition, s: &Signals, mv: Option<u64>) -> Reading {
    match c {
        Condition::ElementBelow { code, .. } | Condition::Decline { code, .. } => {
            element_reading(s, code)
        }
        Condition::WaitOverStandard { .. } => share_reading(s.sum("_WAIT_OVER")),
        Condition::MeasuredWaitOverStandard { .. } => share_reading(s.sum(QUEUE_OVER)),
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
pub(super) fn lower_is_worse(c: &Condition) -> bool {
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
        | Condition::MeasuredWaitOverStandard { .. }
        | Condition::VisitsGe3 { .. }
        | Condition::ResolutionLate { .. } => {
            let (kb, nb, ka, na) = match c {
                Condition::ResolutionLate { .. } => {
                    let (a, b) = before.late();
                    let (x, y) = after.late();
                    (a, b, x, y)
                }
                _ => {
                    let code = match c {
                        Condition::WaitOverStandard { .. } => "_WAIT_OVER",
                        Condition::MeasuredWaitOverStandard { .. } => QUEUE_OVER,
                        _ => "_VISITS_GE3",
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
