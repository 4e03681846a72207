//! Planner measures for one unit (or group) and period, from rollup sums.
//! Everything that comes from survey answers is withheld below the small-cell limit.
use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::skm;
use super::stats::{Summary, histogram_quantile, proportion_ci95};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Mean {
    pub n: u64,
    pub mean: Option<f64>,
    /// 95% confidence interval [low, high].
    pub ci: Option<[f64; 2]>,
}

fn mean(s: &Summary, k: u64) -> Mean {
    if s.n < k {
        return Mean {
            n: s.n,
            mean: None,
            ci: None,
        };
    }
    Mean {
        n: s.n,
        mean: s.mean(),
        ci: s.ci95().map(|(a, b)| [a, b]),
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Share {
    pub n: u64,
    pub share: Option<f64>,
    pub ci: Option<[f64; 2]>,
}

fn share(s: &Summary, k: u64) -> Share {
    if s.n < k || s.n == 0 {
        return Share {
            n: s.n,
            share: None,
            ci: None,
        };
    }
    let yes = s.sum.round() as u64;
    Share {
        n: s.n,
        share: Some(yes as f64 / s.n as f64),
        ci: proportion_ci95(yes, s.n).map(|(a, b)| [a, b]),
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Ikm {
    /// Mean of respondents' weighted scores (1–4).
    pub ikm: f64,
    pub ci: Option<[f64; 2]>,
    /// IKM × 25, two decimals.
    pub converted: f64,
    pub converted_ci: Option<[f64; 2]>,
    pub grade: String,
    pub grade_label: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Wait {
    #[serde(flatten)]
    pub mean: Mean,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    /// Share of answers above the service's declared standard time.
    pub over_standard: Share,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Visits {
    #[serde(flatten)]
    pub mean: Mean,
    pub share_ge3: Share,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Fees {
    /// Rupiah actually paid.
    pub paid: Mean,
    /// Share who paid more than the declared fee.
    pub over_declared: Share,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Complaints {
    pub total: u64,
    pub by_category: BTreeMap<String, u64>,
    pub by_kind: BTreeMap<String, u64>,
    pub by_status: BTreeMap<String, u64>,
    /// Median hours from filing to verification.
    pub median_hours_to_verify: Option<f64>,
    /// Median days from filing to resolution.
    pub median_days_to_resolve: Option<f64>,
    /// Of the resolved ones, the share resolved by their deadline.
    pub resolved_within_deadline: Option<f64>,
    /// Of the resolved or closed ones, the share the citizen reopened.
    pub reopen_rate: Option<f64>,
    /// Complaints per 1,000 survey responses in the same period.
    pub per_1000_responses: Option<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Measures {
    pub responses: u64,
    /// Fewer responses than the small-cell limit: survey figures are withheld.
    pub suppressed: bool,
    pub ikm: Option<Ikm>,
    pub elements: BTreeMap<String, Mean>,
    pub wait_minutes: Wait,
    pub visits: Visits,
    pub fees: Fees,
    pub complaints: Complaints,
}

/// Measures from the sums of one unit or group and period (code → sums).
pub fn measures(
    sums: &HashMap<String, Summary>,
    elements: &[(String, f64)],
    k: u64,
    complaints: Complaints,
) -> Measures {
    let get = |c: &str| sums.get(c).copied().unwrap_or_default();
    let responses = get("*").n;
    let suppressed = responses < k;
    // Below the limit every survey figure is withheld, whatever its own n.
    let k_eff = if suppressed { u64::MAX } else { k };
    let ikm_s = get("_IKM");
    let ikm = (!suppressed).then(|| ikm_s.mean()).flatten().map(|v| {
        let ci = ikm_s.ci95().map(|(a, b)| [a, b]);
        let conv = skm::converted(v);
        let g = skm::grade(conv);
        Ikm {
            ikm: v,
            ci,
            converted: skm::round2(conv),
            converted_ci: ci.map(|[a, b]| {
                [
                    skm::round2(skm::converted(a)),
                    skm::round2(skm::converted(b)),
                ]
            }),
            grade: g.letter().into(),
            grade_label: g.label_id().into(),
        }
    });
    let mut buckets = vec![];
    for (code, s) in sums {
        if let Some(lower) = code
            .strip_prefix("_WAIT@")
            .and_then(|l| l.parse::<i64>().ok())
        {
            buckets.push((lower, super::stats::wait_bucket(lower).1, s.n));
        }
    }
    let wait = get("WAIT_MIN");
    let quantile = |q| {
        if wait.n >= k_eff {
            histogram_quantile(&buckets, q)
        } else {
            None
        }
    };
    let complaints = Complaints {
        per_1000_responses: (responses > 0)
            .then(|| complaints.total as f64 * 1000.0 / responses as f64),
        ..complaints
    };
    Measures {
        responses,
        suppressed,
        ikm,
        elements: elements
            .iter()
            .map(|(c, _)| (c.clone(), mean(&get(c), k_eff)))
            .collect(),
        wait_minutes: Wait {
            mean: mean(&wait, k_eff),
            median: quantile(0.5),
            p90: quantile(0.9),
            over_standard: share(&get("_WAIT_OVER"), k_eff),
        },
        visits: Visits {
            mean: mean(&get("VISITS"), k_eff),
            share_ge3: share(&get("_VISITS_GE3"), k_eff),
        },
        fees: Fees {
            paid: mean(&get("FEE_PAID"), k_eff),
            over_declared: share(&get("_FEE_OVER"), k_eff),
        },
        complaints,
    }
}

/// Decimals the pages show a mean with (elements on 1–4, IKM konversi on 25–100).
pub const SHOWN_PLACES: usize = 2;

/// The smallest fall an alert calls "turun berturut-turut" (fell in a row), on the 1–4 scale of
/// the elements: 0.05, a twentieth of a point (× 25 = 1.25 on the 25–100 scale of IKM konversi).
/// A unit's month of a few hundred answers has a standard error of about 0.03–0.05 on an
/// element, so a smaller run of falls is within noise; a fall that does not even show at two
/// decimals ("3,65 → 3,65") is never one.
pub const MIN_FALL: f64 = 0.05;

/// A run of falls ending with the last period: how many steps, and the index where it began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Falls {
    pub steps: u32,
    pub from: usize,
}

/// How many periods in a row, ending with the last, a mean visibly fell: each step lower as
/// shown at `places` decimals (an unrounded 3.654 → 3.651 is no fall: both read 3,65), and the
/// run as a whole at least `min` lower as shown. `None` when the last step shows no fall or the
/// run falls by less than `min`.
pub fn consecutive_falls(means: &[f64], places: usize, min: f64) -> Option<Falls> {
    let shown: Vec<f64> = means
        .iter()
        .map(|m| super::format::shown(*m, places))
        .collect();
    let mut steps = 0;
    for w in shown.windows(2).rev() {
        if w[1] < w[0] {
            steps += 1;
        } else {
            break;
        }
    }
    if steps == 0 {
        return None;
    }
    let from = shown.len() - 1 - steps;
    // A small tolerance: 3.70 − 3.65 is 0.04999… in binary.
    (shown[from] - shown[shown.len() - 1] >= min - 1e-9).then_some(Falls {
        steps: steps as u32,
        from,
    })
}

/// Whether a unit may be ranked: enough responses for its population (Krejcie–Morgan), or 30
/// when it states none.
pub fn rankable(responses: u64, population: Option<u64>, floor: Option<u64>) -> bool {
    let need = floor.unwrap_or_else(|| population.map_or(30, skm::min_sample).max(1));
    responses >= need
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(pairs: &[(&str, &[f64])]) -> HashMap<String, Summary> {
        let mut m = HashMap::new();
        for (c, xs) in pairs {
            m.insert(
                c.to_string(),
                Summary::new(
                    xs.len() as u64,
                    xs.iter().sum(),
                    xs.iter().map(|x| x * x).sum(),
                ),
            );
        }
        m
    }

    #[test]
    fn measures_by_hand() {
        let s = sums(&[
            ("*", &[1.0; 6]),
            ("U1", &[4.0, 3.0, 3.0, 4.0, 2.0, 2.0]),
            ("_IKM", &[3.0, 3.0, 3.0, 3.0, 3.0, 3.0]),
            ("WAIT_MIN", &[30.0, 30.0, 60.0, 60.0, 90.0, 120.0]),
            ("_WAIT@30", &[1.0, 1.0]),
            ("_WAIT@60", &[1.0, 1.0]),
            ("_WAIT@90", &[1.0]),
            ("_WAIT@120", &[1.0]),
            ("_WAIT_OVER", &[0.0, 0.0, 0.0, 0.0, 1.0, 1.0]),
            ("VISITS", &[1.0, 1.0, 1.0, 3.0, 4.0, 1.0]),
            ("_VISITS_GE3", &[0.0, 0.0, 0.0, 1.0, 1.0, 0.0]),
        ]);
        let m = measures(&s, &[("U1".into(), 1.0)], 5, Complaints::default());
        assert_eq!(m.responses, 6);
        assert!(!m.suppressed);
        assert_eq!(m.elements["U1"].mean, Some(3.0));
        let ikm = m.ikm.unwrap();
        assert_eq!(ikm.converted, 75.0);
        assert_eq!(ikm.grade, "C");
        assert_eq!(m.wait_minutes.mean.mean, Some(65.0));
        // Median: the 3rd of 6 answers is the first half of the [60,65) bucket's two → 60 + 2.5
        // (answers are taken as spread evenly within their 5-minute bucket; the raw median is 60).
        assert_eq!(m.wait_minutes.median, Some(62.5));
        assert_eq!(m.wait_minutes.over_standard.share, Some(2.0 / 6.0));
        assert_eq!(m.visits.share_ge3.share, Some(2.0 / 6.0));
        let small = measures(
            &sums(&[("*", &[1.0; 4]), ("U1", &[4.0; 4])]),
            &[("U1".into(), 1.0)],
            5,
            Complaints::default(),
        );
        assert!(small.suppressed && small.ikm.is_none() && small.elements["U1"].mean.is_none());
    }

    #[test]
    fn a_fall_is_named_only_when_it_shows_and_is_large_enough() {
        let falls =
            |m: &[f64]| consecutive_falls(m, SHOWN_PLACES, MIN_FALL).map(|f| (f.steps, f.from));
        // The complaint: 3.70 → 3.6549 → 3.6512 reads "3,65 → 3,65": the last step shows no
        // fall, so no alert, though the unrounded mean fell twice.
        assert_eq!(falls(&[3.70, 3.6549, 3.6512]), None);
        // 3.80 → 3.74 → 3.69: both steps show (3,80 → 3,74 → 3,69), 0.11 in all: two in a row
        // from the first period.
        assert_eq!(falls(&[3.80, 3.74, 3.69]), Some((2, 0)));
        // Visible but tiny: 3.70 → 3.69 → 3.68 is 0.02 in all, below 0.05: no alert.
        assert_eq!(falls(&[3.70, 3.69, 3.68]), None);
        // Exactly the minimum as shown: 3.70 → 3.67 → 3.65 is 0.05 (binary 0.0499…): named.
        assert_eq!(falls(&[3.70, 3.67, 3.65]), Some((2, 0)));
        // A rise breaks the run: only the last two steps count, 3.75 → 3.60 → 3.50.
        assert_eq!(falls(&[3.5, 3.75, 3.60, 3.50]), Some((2, 1)));
        // The same scale × 25 for IKM konversi: 78.05 → 77.10 is 0.95 < 1.25; → 76.50 is 1.55.
        let ikm = |m: &[f64]| consecutive_falls(m, SHOWN_PLACES, MIN_FALL * 25.0).map(|f| f.steps);
        assert_eq!(ikm(&[78.05, 77.10]), None);
        assert_eq!(ikm(&[78.05, 77.10, 76.50]), Some(2));
        // Rounding half up as shown: 3.655 reads 3,66, 3.6549 reads 3,65.
        assert_eq!(falls(&[3.70, 3.655, 3.6549]), Some((2, 0)));
        assert_eq!(falls(&[3.6]), None);
        assert_eq!(falls(&[]), None);
    }

    #[test]
    fn ranking_needs_enough_responses() {
        assert!(!rankable(29, None, None));
        assert!(rankable(30, None, None));
        assert!(
            !rankable(300, Some(10_000), None),
            "needs 370 for 10,000 users"
        );
        assert!(rankable(370, Some(10_000), None));
        assert!(
            rankable(10, Some(10_000), Some(10)),
            "a configured floor wins"
        );
    }
}
