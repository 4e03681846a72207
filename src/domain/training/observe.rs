//! One condition read against one unit: whether it fires (enough data, beyond the threshold
//! with its interval clear of it, in both halves of the window), how severe it is, and the
//! sentence that says so in Bahasa Indonesia and English.
use serde::{Deserialize, Serialize};

use super::describe::{describe_signal, fmt_p, fmt_value, standard_text};
use super::reading::{ALPHA, compare, lower_is_worse, read};
use super::rules::{Condition, RateBase};
use super::signals::{Signals, UnitSignals};
use crate::domain::format;

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

pub(super) fn observe(c: &Condition, u: &UnitSignals, cur: &Signals, min_n: u64) -> Observation {
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
        | Condition::MeasuredWaitOverStandard { threshold }
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
    // Every number in both languages: "2,25", "IK 95% 2,10–2,40", "p < 0,001", "1.490".
    let f = |v: f64| fmt_value(c, v, true);
    let fe = |v: f64| fmt_value(c, v, false);
    let mut text_id = format!("{name_id}: ");
    let mut text_en = format!("{name_en}: ");
    match r.value {
        Some(v) => {
            let n_word = if matches!(c, Condition::ComplaintRate { .. }) {
                ("pengaduan", "complaints")
            } else {
                ("n", "n")
            };
            let ci = |fmt: &dyn Fn(f64) -> String, id: bool| {
                r.ci.map(|(a, b)| {
                    let (a, b) = (fmt(a), fmt(b));
                    let dash = if a.starts_with('-') || b.starts_with('-') {
                        " – "
                    } else {
                        "–"
                    };
                    format!(", {} {a}{dash}{b}", format::ci_label(id))
                })
                .unwrap_or_default()
            };
            text_id += &format!(
                "{} ({} = {}{})",
                f(v),
                n_word.0,
                format::whole(r.n as i64, true),
                ci(&f, true)
            );
            text_en += &format!(
                "{} ({} = {}{})",
                fe(v),
                n_word.1,
                format::whole(r.n as i64, false),
                ci(&fe, false)
            );
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
                text_en += &format!("; a drop of {} (from {})", fe(p - v), fe(p));
            }
            text_id += &format!(", penurunan minimal {}", f(threshold));
            text_en += &format!(", at least {} required", fe(threshold));
        }
        _ => {
            text_id += &format!("; ambang {}", f(threshold));
            text_en += &format!("; threshold {}", fe(threshold));
        }
    }
    if let (Some(p), Some(v)) = (prev.value, r.value) {
        let decline = matches!(c, Condition::Decline { .. });
        let (up_id, up_en) = if v >= p {
            ("naik", "up")
        } else {
            ("turun", "down")
        };
        let (sig, sig_en) = match cmp {
            Some((pv, _, _)) if trend != 0 => (
                format!("signifikan, {}", fmt_p(pv, true)),
                format!("significant, {}", fmt_p(pv, false)),
            ),
            Some((pv, _, _)) => (
                format!("tidak signifikan, {}", fmt_p(pv, true)),
                format!("not significant, {}", fmt_p(pv, false)),
            ),
            None => ("tanpa uji".into(), "untested".into()),
        };
        if decline {
            text_id += &format!(" ({sig})");
            text_en += &format!(" ({sig_en})");
        } else {
            text_id += &format!("; {up_id} dari {} pada periode sebelumnya ({sig})", f(p));
            text_en += &format!("; {up_en} from {} in the previous period ({sig_en})", fe(p));
        }
    }
    if matches!(c, Condition::WaitOverStandard { .. })
        && let Some(m) = cur.median_wait()
    {
        let std = standard_text(&u.standard_minutes);
        text_id += &format!(
            "; median waktu tunggu {} menit{}",
            format::decimal(m, 0, true),
            std.0
        );
        text_en += &format!(
            "; median wait {} minutes{}",
            format::decimal(m, 0, false),
            std.1
        );
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
