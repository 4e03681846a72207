//! How the engine's signals read to people: names, values, percentages and p-values, in
//! Bahasa Indonesia and English.
use std::collections::HashMap;

use super::rules::{Condition, RateBase};
use crate::domain::skm;

/// Complaint categories' names by code, (Bahasa Indonesia, English), so a text says "Pengaduan
/// Waktu tunggu" rather than the rule's `waktu_tunggu`; a code missing from it reads as itself.
pub type CategoryNames = HashMap<String, (String, String)>;

pub(crate) fn fmt_p(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

pub(crate) fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// The signal's name and how its values read, in Bahasa Indonesia and English.
pub fn describe_signal(c: &Condition, names: &CategoryNames) -> (String, String) {
    match c {
        Condition::ElementBelow { code, .. } | Condition::Decline { code, .. } => {
            let code = code.to_uppercase();
            let name = skm::measure_name(&code);
            (format!("{code} ({name})"), format!("{code} ({name})"))
        }
        Condition::WaitOverStandard { .. } => (
            "Menunggu melebihi waktu standar".into(),
            "Waiting longer than the standard time".into(),
        ),
        Condition::VisitsGe3 { .. } => (
            "Perlu datang 3 kali atau lebih".into(),
            "Needed three or more visits".into(),
        ),
        Condition::ComplaintRate {
            categories, per, ..
        } => {
            let (pi, pe) = match per {
                RateBase::Responses => ("per 1.000 responden", "per 1,000 responses"),
                RateBase::Visits => ("per 1.000 kunjungan", "per 1,000 visits"),
                RateBase::Month => ("per bulan", "per month"),
            };
            let named = |pick: fn(&(String, String)) -> &String| {
                categories
                    .iter()
                    .map(|c| names.get(c).map_or(c.as_str(), |n| pick(n).as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            (
                format!("Pengaduan {} {pi}", named(|n| &n.0)),
                format!("Complaints {} {pe}", named(|n| &n.1)),
            )
        }
        Condition::ResolutionLate { .. } => (
            "Pengaduan diselesaikan melewati tenggat".into(),
            "Complaints resolved after their deadline".into(),
        ),
    }
}

/// A condition as its rule reads: the signal and the line it must cross ("U7 (Perilaku
/// pelaksana) < 3.00", "… turun ≥ 0.30", "Pengaduan Waktu tunggu per 1.000 responden > 20.0").
pub fn describe_condition(c: &Condition, names: &CategoryNames) -> (String, String) {
    let (name_id, name_en) = describe_signal(c, names);
    let (line_id, line_en) = match c {
        Condition::ElementBelow { threshold, .. } => {
            let v = fmt_value(c, *threshold);
            (format!("< {v}"), format!("< {v}"))
        }
        Condition::Decline { min_drop, .. } => {
            let v = fmt_value(c, *min_drop);
            (format!("turun ≥ {v}"), format!("drops by ≥ {v}"))
        }
        Condition::WaitOverStandard { threshold }
        | Condition::VisitsGe3 { threshold }
        | Condition::ComplaintRate { threshold, .. }
        | Condition::ResolutionLate { threshold } => {
            let v = fmt_value(c, *threshold);
            (format!("> {v}"), format!("> {v}"))
        }
    };
    (
        format!("{name_id} {line_id}"),
        format!("{name_en} {line_en}"),
    )
}

/// Formats a value of this condition's signal.
pub fn fmt_value(c: &Condition, v: f64) -> String {
    match c {
        Condition::WaitOverStandard { .. }
        | Condition::VisitsGe3 { .. }
        | Condition::ResolutionLate { .. } => pct(v),
        Condition::ComplaintRate { .. } => format!("{v:.1}"),
        _ => format!("{v:.2}"),
    }
}

pub(crate) fn standard_text(std: &[i32]) -> (String, String) {
    let (Some(lo), Some(hi)) = (std.iter().min(), std.iter().max()) else {
        return (String::new(), String::new());
    };
    if lo == hi {
        (
            format!(" (standar {lo} menit)"),
            format!(" (standard {lo} minutes)"),
        )
    } else {
        (
            format!(" (standar {lo}–{hi} menit)"),
            format!(" (standard {lo}–{hi} minutes)"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_read_with_names_not_codes() {
        let names: CategoryNames = [(
            "waktu_tunggu".to_string(),
            ("Waktu tunggu".to_string(), "Waiting time".to_string()),
        )]
        .into();
        let rate = Condition::ComplaintRate {
            categories: vec!["waktu_tunggu".into(), "lain".into()],
            per: RateBase::Responses,
            threshold: 20.0,
            min_count: 5,
        };
        assert_eq!(
            describe_condition(&rate, &names),
            (
                "Pengaduan Waktu tunggu, lain per 1.000 responden > 20.0".into(),
                "Complaints Waiting time, lain per 1,000 responses > 20.0".into()
            )
        );
        let drop = Condition::Decline {
            code: "u3".into(),
            min_drop: 0.3,
        };
        assert_eq!(
            describe_condition(&drop, &names).0,
            "U3 (Waktu penyelesaian) turun ≥ 0.30"
        );
        let late = Condition::ResolutionLate { threshold: 0.25 };
        assert_eq!(
            describe_condition(&late, &names).1,
            "Complaints resolved after their deadline > 25%"
        );
    }
}
