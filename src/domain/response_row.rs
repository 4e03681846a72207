//! One survey response as a row of the raw-data export: its answers by question code, the
//! numbers derived from them, and the respondent profile. Free text never: a `text` question
//! and the comment can hold a name, a phone number or a story that identifies someone, and the
//! export is for counting, so they are left out (they stay readable one by one, in the
//! service). Age is given in the report's bands, not in years, for the same reason.
use std::collections::BTreeMap;

use super::survey::{Answer, Definition, Kind, Standard, age_band, derived_signals};

/// Columns before the answers.
pub const FIXED: [&str; 6] = ["id", "date", "survey", "version", "service", "channel"];
/// Derived numbers: the respondent's weighted score (1–4) and ×25, and 1/0 flags against the
/// service's declared standard.
pub const DERIVED: [&str; 5] = [
    "ikm_score",
    "ikm_converted",
    "wait_over_standard",
    "visits_ge3",
    "fee_over_declared",
];

/// The answer and profile columns of the versions being exported, in question order, each
/// code once.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Columns {
    pub answers: Vec<String>,
    pub profile: Vec<String>,
}

pub fn columns<'a>(defs: impl IntoIterator<Item = &'a Definition>) -> Columns {
    let mut c = Columns::default();
    for d in defs {
        for q in &d.questions {
            let list = if q.profile {
                &mut c.profile
            } else if matches!(q.kind, Kind::Text { .. } | Kind::Service) {
                // Free text is not exported; the service has a column of its own.
                continue;
            } else {
                &mut c.answers
            };
            if !list.contains(&q.code) {
                list.push(q.code.clone());
            }
        }
    }
    c
}

pub fn header(c: &Columns) -> Vec<String> {
    FIXED
        .iter()
        .map(|s| s.to_string())
        .chain(c.answers.iter().cloned())
        .chain(DERIVED.iter().map(|s| s.to_string()))
        .chain(c.profile.iter().cloned())
        .collect()
}

/// The cells after the fixed ones: answers, derived numbers, profile. A missing answer is an
/// empty cell; a number is written with `.` and at most four decimals.
pub fn cells(
    c: &Columns,
    def: Option<&Definition>,
    answers: &BTreeMap<String, Answer>,
    profile: &BTreeMap<String, Answer>,
    standard: Standard,
) -> Vec<String> {
    let mut out: Vec<String> = c.answers.iter().map(|k| answer(answers.get(k))).collect();
    let derived: BTreeMap<String, f64> = def
        .map(|d| derived_signals(d, answers, standard))
        .unwrap_or_default()
        .into_iter()
        .collect();
    let score = derived.get("_IKM").copied();
    out.push(number(score));
    out.push(number(score.map(|s| s * 25.0)));
    for k in ["_WAIT_OVER", "_VISITS_GE3", "_FEE_OVER"] {
        out.push(number(derived.get(k).copied()));
    }
    out.extend(
        c.profile
            .iter()
            .map(|k| match (k.as_str(), profile.get(k)) {
                ("age", Some(Answer::Int(age))) => age_band(*age).to_string(),
                (_, a) => answer(a),
            }),
    );
    out
}

fn answer(a: Option<&Answer>) -> String {
    match a {
        None => String::new(),
        Some(Answer::Int(i)) => i.to_string(),
        Some(Answer::Bool(b)) => if *b { "1" } else { "0" }.to_string(),
        Some(Answer::Str(s)) => s.clone(),
        Some(Answer::List(l)) => l.join(";"),
    }
}

fn number(v: Option<f64>) -> String {
    v.map(|x| {
        let s = format!("{x:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::skm_survey::skm_definition;
    use super::*;

    #[test]
    fn an_skm_response_by_hand() {
        let d = skm_definition();
        let c = columns([&d, &d]);
        assert_eq!(
            c.answers,
            [
                "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8", "WAIT_MIN", "VISITS",
                "FEE_PAID"
            ]
        );
        assert_eq!(c.profile, ["gender", "age", "education", "occupation"]);
        let h = header(&c);
        assert_eq!(h.len(), 6 + 12 + 5 + 4);
        assert!(!h.iter().any(|x| x == "COMMENT" || x == "SERVICE"));
        let mut a = BTreeMap::new();
        // U1–U3 answered 4, U4–U7 3, U8 and U9 not at all: score (3·4 + 4·3) / 7 = 24/7.
        for (i, k) in ["U1", "U2", "U3", "U4", "U5", "U6", "U7"]
            .iter()
            .enumerate()
        {
            a.insert(k.to_string(), Answer::Int(if i < 3 { 4 } else { 3 }));
        }
        a.insert("WAIT_MIN".into(), Answer::Int(95));
        a.insert("VISITS".into(), Answer::Int(3));
        a.insert("COMMENT".into(), Answer::Str("Pak Budi di loket 3".into()));
        let mut p = BTreeMap::new();
        p.insert("gender".into(), Answer::Str("P".into()));
        p.insert("age".into(), Answer::Int(34));
        let std = Standard {
            minutes: Some(60),
            fee_rupiah: Some(0),
        };
        let row = cells(&c, Some(&d), &a, &p, std);
        assert_eq!(
            row,
            [
                "4", "4", "4", "3", "3", "3", "3", "", "", "95", "3", "", // answers
                "3.4286", "85.7143", "1", "1",
                "", // 24/7, ×25, waited > 60, ≥ 3 visits, no fee
                "P", "25-34", "", "", // profile, age in its band
            ]
        );
        assert!(!row.iter().any(|x| x.contains("Budi")), "no free text");
    }
}
