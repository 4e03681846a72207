//! Completed courses as the places people learn send them (`../shared/asn.md`): SIASN-shaped
//! CSV (`nip,namaKursus,jumlahJam,…,tanggalSelesaiKursus`), Moodle's completion export
//! (`userid,course,timecompleted`, the username being the NIP) and xAPI 1.0.3 statements (an
//! actor whose `account.name` is the NIP; verbs `completed` and `passed` count). Each completion
//! carries the key that counts it once.
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::domain::calendar::wib_date;
use crate::domain::validation::Problems;

#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    /// Counts it once: the statement id, or NIP + course + date.
    pub key: String,
    pub nip: String,
    /// The course's name (SIASN) or the activity's id (Moodle course, xAPI IRI).
    pub course: String,
    /// JP when the source says (SIASN); otherwise the mapped programme's.
    pub jp: Option<i32>,
    pub completed_on: NaiveDate,
    pub source: &'static str,
}

pub type Rows = Vec<(usize, Result<Completion, Problems>)>;

const VERBS: [&str; 2] = [
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
];

fn file_key(nip: &str, course: &str, on: NaiveDate) -> String {
    let course: String = course.trim().to_lowercase().chars().take(150).collect();
    format!("{nip}|{course}|{on}")
}

fn nip_digits(s: &str) -> Option<String> {
    let d: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    (d.len() == 18 && d.chars().all(|c| c.is_ascii_digit())).then_some(d)
}

/// A date as SIASN files write it: `2026-11-03` or `03-11-2026` / `03/11/2026`.
fn siasn_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

fn reader(body: &[u8]) -> ::csv::Reader<&[u8]> {
    let first = body.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = if first.contains(&b';') && !first.contains(&b',') {
        b';'
    } else {
        b','
    };
    ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(body)
}

fn column(header: &::csv::StringRecord, name: &str) -> Option<usize> {
    header
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
}

/// A file's shape: the columns holding the NIP, the course and the completion date (read by
/// `date`), and the JP when the file carries them.
struct Shape {
    nip: &'static str,
    course: &'static str,
    date: &'static str,
    read_date: fn(&str) -> Option<NaiveDate>,
    jp: Option<&'static str>,
    source: &'static str,
}

const SIASN: Shape = Shape {
    nip: "nip",
    course: "namaKursus",
    date: "tanggalSelesaiKursus",
    read_date: siasn_date,
    jp: Some("jumlahJam"),
    source: "siasn",
};

/// Moodle's `timecompleted` is epoch seconds; the day is Jambi's.
fn epoch_date(s: &str) -> Option<NaiveDate> {
    let secs = s.trim().parse::<i64>().ok()?;
    DateTime::<Utc>::from_timestamp(secs, 0).map(wib_date)
}

const MOODLE: Shape = Shape {
    nip: "userid",
    course: "course",
    date: "timecompleted",
    read_date: epoch_date,
    jp: None,
    source: "moodle",
};

/// SIASN-shaped rows; `Err` without the header's `nip`, `namaKursus`, `jumlahJam` and
/// `tanggalSelesaiKursus`.
pub fn siasn_csv(body: &[u8]) -> Result<Rows, &'static str> {
    completions(body, &SIASN)
}

/// Moodle's course completions; `Err` without `userid`, `course` and `timecompleted`.
pub fn moodle_csv(body: &[u8]) -> Result<Rows, &'static str> {
    completions(body, &MOODLE)
}

/// The rows of a file of `shape`, each a completion or its problems named by the file's own
/// column names.
fn completions(body: &[u8], shape: &Shape) -> Result<Rows, &'static str> {
    let mut r = reader(body);
    let h = r.headers().map_err(|_| "v_learning_header")?.clone();
    let jp_col = match shape.jp {
        Some(name) => Some(column(&h, name).ok_or("v_learning_header")?),
        None => None,
    };
    let (Some(n), Some(c), Some(d)) = (
        column(&h, shape.nip),
        column(&h, shape.course),
        column(&h, shape.date),
    ) else {
        return Err("v_learning_header");
    };
    let mut out = vec![];
    for (i, rec) in r.records().enumerate() {
        let Ok(rec) = rec else {
            out.push((i, Err([("row".to_string(), "v_type")].into())));
            continue;
        };
        let get = |k: usize| rec.get(k).unwrap_or_default();
        let mut p = Problems::new();
        let nip = nip_digits(get(n));
        if nip.is_none() {
            p.insert(shape.nip.into(), "v_nip_length");
        }
        let course = get(c).trim().to_string();
        if course.is_empty() || course.chars().count() > 300 {
            p.insert(shape.course.into(), "v_length");
        }
        let jp = jp_col.and_then(|j| {
            let jp = get(j)
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|x| (1..=1000).contains(x));
            if jp.is_none() {
                p.insert(shape.jp.unwrap_or_default().into(), "v_range");
            }
            jp
        });
        let on = (shape.read_date)(get(d));
        if on.is_none() {
            p.insert(shape.date.into(), "v_date");
        }
        match (nip, on, p.is_empty()) {
            (Some(nip), Some(on), true) => out.push((
                i,
                Ok(Completion {
                    key: file_key(&nip, &course, on),
                    nip,
                    course,
                    jp,
                    completed_on: on,
                    source: shape.source,
                }),
            )),
            _ => out.push((i, Err(p))),
        }
    }
    Ok(out)
}

/// One xAPI statement: its id (given, or derived from its content as an LRS assigns one) and,
/// when it counts (verb `completed` or `passed`), the completion.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub id: String,
    pub completion: Option<Completion>,
}

/// The statements of a body (one or an array), each checked as an LRS would: an `actor`, a
/// `verb` with an `id` and an `object` with an `id`; `Err` with the first problem otherwise.
pub fn xapi(body: &Value, today: NaiveDate) -> Result<Vec<Statement>, String> {
    let list: Vec<&Value> = match body {
        Value::Array(a) => a.iter().collect(),
        v @ Value::Object(_) => vec![v],
        _ => return Err("a statement or an array of statements".into()),
    };
    let mut out = vec![];
    for (i, s) in list.into_iter().enumerate() {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
        let verb = text(s.pointer("/verb/id")).ok_or(format!("statement {i}: verb.id"))?;
        let activity = text(s.pointer("/object/id")).ok_or(format!("statement {i}: object.id"))?;
        if s.get("actor").is_none_or(|a| !a.is_object()) {
            return Err(format!("statement {i}: actor"));
        }
        let id = match text(s.get("id")) {
            Some(id) if is_uuid(&id) => id.to_lowercase(),
            Some(_) => return Err(format!("statement {i}: id is not a UUID")),
            None => derived_uuid(s),
        };
        let on = text(s.get("timestamp"))
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| wib_date(t.with_timezone(&Utc)))
            .unwrap_or(today);
        let nip = text(s.pointer("/actor/account/name")).unwrap_or_default();
        let completion = VERBS.contains(&verb.as_str()).then(|| Completion {
            key: format!("xapi:{id}"),
            nip: nip.chars().take(40).collect(),
            course: activity.chars().take(300).collect(),
            jp: None,
            completed_on: on,
            source: "xapi",
        });
        out.push(Statement { id, completion });
    }
    Ok(out)
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A UUID from the statement's content, so a statement sent again without an id keeps it.
fn derived_uuid(s: &Value) -> String {
    let h = crate::domain::learning::digest(&s.to_string());
    format!(
        "{}-{}-4{}-8{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// FNV-1a, twice with different seeds, as 32 hex digits: enough to name a statement.
pub fn digest(s: &str) -> String {
    let fnv = |seed: u64| {
        s.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    format!(
        "{:016x}{:016x}",
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x8422_2325_cbf2_9ce4)
    )
}

#[cfg(test)]
mod tests;
