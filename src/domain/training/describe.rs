//! How the engine's signals read to people: names, values, percentages and p-values, in
//! Bahasa Indonesia and English, every number through [`crate::domain::format`].
use std::collections::HashMap;

use super::rules::{Condition, RateBase};
use crate::domain::{format, skm};

/// Complaint categories' names by code, (Bahasa Indonesia, English), so a text says "Pengaduan
/// Waktu tunggu" rather than the rule's `waktu_tunggu`; a code missing from it reads as itself.
pub type CategoryNames = HashMap<String, (String, String)>;

/// "p < 0,001" / "p = 0,038" (English "p < 0.001", "p = 0.038").
pub(crate) fn fmt_p(p: f64, indonesian: bool) -> String {
    format::p_value(p, indonesian)
}

pub(crate) fn pct(x: f64, indonesian: bool) -> String {
    format::percent(x, 0, indonesian)
}

/// A measure's name in English: an element's, or the index's; the Indonesian one when there is
/// no English name.
fn measure_name_en(code: &str) -> &'static str {
    match code.trim_start_matches('_') {
        "IKM" => "Community Satisfaction Index",
        c => match skm::element_name_en(c) {
            "" => skm::measure_name(c),
            en => en,
        },
    }
}

/// The signal's name and how its values read, in Bahasa Indonesia and English.
pub fn describe_signal(c: &Condition, names: &CategoryNames) -> (String, String) {
    match c {
        Condition::ElementBelow { code, .. } | Condition::Decline { code, .. } => {
            let code = code.to_uppercase();
            let (name, name_en) = (skm::measure_name(&code), measure_name_en(&code));
            (format!("{code} ({name})"), format!("{code} ({name_en})"))
        }
        Condition::WaitOverStandard { .. } => (
            "Menunggu melebihi waktu standar".into(),
            "Waiting longer than the standard time".into(),
        ),
        Condition::MeasuredWaitOverStandard { .. } => (
            "Antrean terukur melebihi waktu standar".into(),
            "Measured queue waits over the standard time".into(),
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
/// pelaksana) < 3,00", "… turun ≥ 0,30", "Pengaduan Waktu tunggu per 1.000 responden > 20,0";
/// English "U7 (Staff behaviour) < 3.00").
pub fn describe_condition(c: &Condition, names: &CategoryNames) -> (String, String) {
    let (name_id, name_en) = describe_signal(c, names);
    let (line_id, line_en) = match c {
        Condition::ElementBelow { threshold, .. } => (
            format!("< {}", fmt_value(c, *threshold, true)),
            format!("< {}", fmt_value(c, *threshold, false)),
        ),
        Condition::Decline { min_drop, .. } => (
            format!("turun ≥ {}", fmt_value(c, *min_drop, true)),
            format!("drops by ≥ {}", fmt_value(c, *min_drop, false)),
        ),
        Condition::WaitOverStandard { threshold }
        | Condition::MeasuredWaitOverStandard { threshold }
        | Condition::VisitsGe3 { threshold }
        | Condition::ComplaintRate { threshold, .. }
        | Condition::ResolutionLate { threshold } => (
            format!("> {}", fmt_value(c, *threshold, true)),
            format!("> {}", fmt_value(c, *threshold, false)),
        ),
    };
    (
        format!("{name_id} {line_id}"),
        format!("{name_en} {line_en}"),
    )
}

/// Formats a value of this condition's signal for people (Bahasa Indonesia when `indonesian`):
/// shares as whole percentages, complaint rates to one decimal, means to two.
pub fn fmt_value(c: &Condition, v: f64, indonesian: bool) -> String {
    match c {
        Condition::WaitOverStandard { .. }
        | Condition::MeasuredWaitOverStandard { .. }
        | Condition::VisitsGe3 { .. }
        | Condition::ResolutionLate { .. } => pct(v, indonesian),
        Condition::ComplaintRate { .. } => format::decimal(v, 1, indonesian),
        _ => format::decimal(v, 2, indonesian),
    }
}

pub(crate) fn standard_text(std: &[i32]) -> (String, String) {
    let (Some(lo), Some(hi)) = (std.iter().min(), std.iter().max()) else {
        return (String::new(), String::new());
    };
    let n = |v: &i32, id: bool| format::whole(*v as i64, id);
    if lo == hi {
        (
            format!(" (standar {} menit)", n(lo, true)),
            format!(" (standard {} minutes)", n(lo, false)),
        )
    } else {
        (
            format!(" (standar {}–{} menit)", n(lo, true), n(hi, true)),
            format!(" (standard {}–{} minutes)", n(lo, false), n(hi, false)),
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
                "Pengaduan Waktu tunggu, lain per 1.000 responden > 20,0".into(),
                "Complaints Waiting time, lain per 1,000 responses > 20.0".into()
            )
        );
        let drop = Condition::Decline {
            code: "u3".into(),
            min_drop: 0.3,
        };
        assert_eq!(
            describe_condition(&drop, &names),
            (
                "U3 (Waktu penyelesaian) turun ≥ 0,30".into(),
                "U3 (Completion time) drops by ≥ 0.30".into()
            )
        );
        let late = Condition::ResolutionLate { threshold: 0.25 };
        assert_eq!(
            describe_condition(&late, &names).1,
            "Complaints resolved after their deadline > 25%"
        );
        let low = Condition::ElementBelow {
            code: "IKM".into(),
            threshold: 3.064,
        };
        assert_eq!(
            describe_condition(&low, &names),
            (
                "IKM (Indeks Kepuasan Masyarakat) < 3,06".into(),
                "IKM (Community Satisfaction Index) < 3.06".into()
            )
        );
        assert_eq!(
            standard_text(&[60, 1440]),
            (
                " (standar 60–1.440 menit)".into(),
                " (standard 60–1,440 minutes)".into()
            )
        );
        assert_eq!(fmt_p(0.0004, true), "p < 0,001");
        assert_eq!(pct(0.125, false), "13%");
    }
}
