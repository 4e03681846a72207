//! How the engine's signals read to people: names, values, percentages and p-values, in
//! Bahasa Indonesia and English.
use super::rules::{Condition, RateBase};
use crate::domain::skm;

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
pub fn describe_signal(c: &Condition) -> (String, String) {
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
            let c = categories.join(", ");
            (
                format!("Pengaduan {c} {pi}"),
                format!("Complaints {c} {pe}"),
            )
        }
        Condition::ResolutionLate { .. } => (
            "Pengaduan diselesaikan melewati tenggat".into(),
            "Complaints resolved after their deadline".into(),
        ),
    }
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
