//! Survey definitions (versioned data) and the validation of one response against one version.
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::validation::Problems;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Text {
    pub id: String,
    pub en: String,
}

impl Text {
    pub fn new(id: &str, en: &str) -> Self {
        Text {
            id: id.into(),
            en: en.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Choice {
    /// Stored value: a number for scales, a code for choices.
    pub value: Value,
    pub label: Text,
}

/// What analytics and recommendations read from a question.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    Requirements,
    Procedure,
    WaitTime,
    Cost,
    Product,
    Competence,
    Behavior,
    ComplaintHandling,
    Facilities,
    Visits,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    /// SKM scale 1–4 with labels of its own per question.
    Likert4 {
        options: Vec<Choice>,
    },
    Rating5,
    Nps,
    SingleChoice {
        options: Vec<Choice>,
    },
    MultiChoice {
        options: Vec<Choice>,
    },
    YesNo,
    Number {
        min: i64,
        max: i64,
        unit: Option<String>,
    },
    Text {
        max_length: usize,
    },
    /// One of the unit's services, by slug.
    Service,
}

/// Show a question only when an earlier answer equals a value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
// Named apart from the training rules' `Condition` in the OpenAPI document.
#[schema(as = ShowIf)]
pub struct Condition {
    pub code: String,
    pub equals: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Question {
    /// Stable key answers are stored under (never the position).
    pub code: String,
    #[serde(flatten)]
    pub kind: Kind,
    pub label: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<Signal>,
    /// Part of the respondent profile (sent as `respondent` in the API).
    #[serde(default)]
    pub profile: bool,
    /// Weight in the IKM; questions without one are not IKM elements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ikm_weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Definition {
    pub title: Text,
    pub questions: Vec<Question>,
}

/// A definition that cannot be published as it stands.
pub fn check_definition(def: &Definition) -> Result<(), String> {
    if def.questions.is_empty() {
        return Err("a survey needs at least one question".into());
    }
    let mut seen = HashMap::new();
    for (i, q) in def.questions.iter().enumerate() {
        let code_ok = !q.code.is_empty()
            && q.code.len() <= 32
            && q.code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !code_ok {
            return Err(format!(
                "question {}: code must be 1–32 letters, digits or _",
                i + 1
            ));
        }
        if seen.insert(q.code.clone(), i).is_some() {
            return Err(format!("question code {} appears twice", q.code));
        }
        if let Some(c) = &q.show_if
            && seen.get(&c.code).is_none_or(|&j| j >= i)
        {
            return Err(format!(
                "{}: show_if must refer to an earlier question",
                q.code
            ));
        }
        match &q.kind {
            Kind::Likert4 { options } if options.len() != 4 => {
                return Err(format!("{}: likert4 needs exactly four labels", q.code));
            }
            Kind::SingleChoice { options } | Kind::MultiChoice { options }
                if options.is_empty() =>
            {
                return Err(format!("{}: a choice question needs options", q.code));
            }
            Kind::Number { min, max, .. } if min > max => {
                return Err(format!("{}: min is above max", q.code));
            }
            _ => {}
        }
        if q.ikm_weight.is_some_and(|w| !(w > 0.0 && w <= 1.0)) {
            return Err(format!("{}: ikm_weight must be in (0, 1]", q.code));
        }
    }
    let w: f64 = def.questions.iter().filter_map(|q| q.ikm_weight).sum();
    if w > 0.0 && (w - 1.0).abs() > 1e-6 {
        return Err(format!("IKM weights sum to {w:.4}, not 1"));
    }
    Ok(())
}

/// One answer, normalised.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Int(i64),
    Bool(bool),
    Str(String),
    List(Vec<String>),
}

impl Answer {
    /// The number analytics aggregate for this answer, if it is numeric.
    pub fn numeric(&self) -> Option<f64> {
        match self {
            Answer::Int(i) => Some(*i as f64),
            Answer::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }
    fn as_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A response that passed validation against one version.
#[derive(Debug, Clone, Default)]
pub struct ValidResponse {
    /// Non-profile answers, by code.
    pub answers: BTreeMap<String, Answer>,
    pub profile: BTreeMap<String, Answer>,
    pub service: Option<String>,
}

impl ValidResponse {
    fn get_int_by_signal(&self, def: &Definition, signal: Signal) -> Option<i64> {
        def.questions
            .iter()
            .filter(|q| q.signal == Some(signal) && matches!(q.kind, Kind::Number { .. }))
            .find_map(|q| match self.answers.get(&q.code) {
                Some(Answer::Int(i)) => Some(*i),
                _ => None,
            })
    }
    pub fn wait_minutes(&self, def: &Definition) -> Option<i64> {
        self.get_int_by_signal(def, Signal::WaitTime)
    }
    pub fn visits(&self, def: &Definition) -> Option<i64> {
        self.get_int_by_signal(def, Signal::Visits)
    }
    pub fn fee_paid(&self, def: &Definition) -> Option<i64> {
        self.get_int_by_signal(def, Signal::Cost)
    }
    /// The first free-text answer, shown to the unit as the respondent's comment.
    pub fn comment(&self, def: &Definition) -> Option<String> {
        def.questions
            .iter()
            .filter(|q| matches!(q.kind, Kind::Text { .. }) && !q.profile)
            .find_map(|q| match self.answers.get(&q.code) {
                Some(Answer::Str(s)) => Some(s.clone()),
                _ => None,
            })
    }
    /// (code, value) for every numeric answer: what the rollups add up.
    pub fn numeric_answers(&self) -> Vec<(String, f64)> {
        self.answers
            .iter()
            .filter_map(|(k, a)| a.numeric().map(|v| (k.clone(), v)))
            .collect()
    }
    pub fn answers_json(&self) -> String {
        serde_json::to_string(&self.answers).unwrap_or_else(|_| "{}".into())
    }
    pub fn profile_json(&self) -> String {
        serde_json::to_string(&self.profile).unwrap_or_else(|_| "{}".into())
    }
}

/// Validates raw answers (from JSON or a form; numbers may arrive as strings) against `def`.
/// `services` are the unit's service slugs. Problems are keyed by question code.
pub fn validate(
    def: &Definition,
    raw: &BTreeMap<String, Value>,
    services: &[String],
) -> Result<ValidResponse, Problems> {
    let mut problems = Problems::new();
    for code in raw.keys() {
        if !def.questions.iter().any(|q| &q.code == code) {
            problems.insert(code.clone(), "v_unknown_field");
        }
    }
    let mut out = ValidResponse::default();
    let mut given: HashMap<&str, Value> = HashMap::new();
    for q in &def.questions {
        if let Some(c) = &q.show_if
            && given.get(c.code.as_str()) != Some(&c.equals)
        {
            continue;
        }
        let value = raw.get(&q.code).filter(|v| !is_blank(v));
        let Some(value) = value else {
            // A unit without registered services cannot be asked which one was used.
            let unanswerable = matches!(q.kind, Kind::Service) && services.is_empty();
            if q.required && !unanswerable {
                problems.insert(q.code.clone(), "v_required");
            }
            continue;
        };
        match parse_answer(q, value, services) {
            Ok(a) => {
                given.insert(&q.code, a.as_value());
                if matches!(q.kind, Kind::Service) {
                    if let Answer::Str(s) = &a {
                        out.service = Some(s.clone());
                    }
                } else if q.profile {
                    out.profile.insert(q.code.clone(), a);
                } else {
                    out.answers.insert(q.code.clone(), a);
                }
            }
            Err(key) => {
                problems.insert(q.code.clone(), key);
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Whether a respondent rated any element 1 or 2 of 4 ("tidak/kurang baik"): the thank-you page
/// then offers to file a complaint, while it is fresh in mind.
pub fn has_low_rating(def: &Definition, raw: &BTreeMap<String, Value>) -> bool {
    def.questions
        .iter()
        .filter(|q| matches!(q.kind, Kind::Likert4 { .. }))
        .filter_map(|q| raw.get(&q.code).and_then(as_int))
        .any(|v| v <= 2)
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => super::validation::parse_whole(s),
        _ => None,
    }
}

fn as_str(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn choice_value(options: &[Choice], v: &Value) -> Option<String> {
    let s = as_str(v)?;
    options
        .iter()
        .find(|o| as_str(&o.value).as_deref() == Some(s.as_str()))
        .map(|_| s)
}

fn parse_answer(q: &Question, v: &Value, services: &[String]) -> Result<Answer, &'static str> {
    let ranged = |lo: i64, hi: i64| -> Result<Answer, &'static str> {
        let i = as_int(v).ok_or("v_number")?;
        if (lo..=hi).contains(&i) {
            Ok(Answer::Int(i))
        } else {
            Err("v_range")
        }
    };
    match &q.kind {
        Kind::Likert4 { .. } => ranged(1, 4),
        Kind::Rating5 => ranged(1, 5),
        Kind::Nps => ranged(0, 10),
        Kind::Number { min, max, .. } => ranged(*min, *max),
        Kind::YesNo => match v {
            Value::Bool(b) => Ok(Answer::Bool(*b)),
            _ => match as_str(v).as_deref() {
                Some("yes" | "ya" | "true" | "1") => Ok(Answer::Bool(true)),
                Some("no" | "tidak" | "false" | "0") => Ok(Answer::Bool(false)),
                _ => Err("v_choice"),
            },
        },
        Kind::SingleChoice { options } => {
            choice_value(options, v).map(Answer::Str).ok_or("v_choice")
        }
        Kind::MultiChoice { options } => {
            let items: Vec<&Value> = match v {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            let mut out = vec![];
            for item in items {
                let c = choice_value(options, item).ok_or("v_choice")?;
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            Ok(Answer::List(out))
        }
        Kind::Text { max_length } => {
            let s = match v {
                Value::String(s) => s.trim().to_string(),
                _ => return Err("v_type"),
            };
            if s.chars().count() > *max_length {
                Err("v_length")
            } else {
                Ok(Answer::Str(s))
            }
        }
        Kind::Service => {
            let s = as_str(v).ok_or("v_choice")?;
            if services.contains(&s) {
                Ok(Answer::Str(s))
            } else {
                Err("v_choice")
            }
        }
    }
}

/// (code, weight) of the IKM elements of a definition.
pub fn ikm_elements(def: &Definition) -> Vec<(String, f64)> {
    def.questions
        .iter()
        .filter_map(|q| q.ikm_weight.map(|w| (q.code.clone(), w)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::skm_survey::skm_definition;
    use super::*;
    use serde_json::json;

    fn raw(v: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    fn full() -> Value {
        json!({"U1": 4, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 2, "U9": 3,
               "WAIT_MIN": 35, "VISITS": 1, "SERVICE": "ktp-el", "gender": "P", "age": 34,
               "education": "SMA", "occupation": "swasta"})
    }

    #[test]
    fn skm_definition_is_valid() {
        let d = skm_definition();
        check_definition(&d).unwrap();
        assert_eq!(ikm_elements(&d).len(), 9);
    }

    #[test]
    fn valid_response_is_split_into_answers_profile_and_service() {
        let d = skm_definition();
        let r = validate(&d, &raw(full()), &["ktp-el".into()]).unwrap();
        assert_eq!(r.service.as_deref(), Some("ktp-el"));
        assert_eq!(r.answers.get("U3"), Some(&Answer::Int(2)));
        assert_eq!(r.profile.get("gender"), Some(&Answer::Str("P".into())));
        assert_eq!(r.wait_minutes(&d), Some(35));
        assert_eq!(r.visits(&d), Some(1));
        assert!(
            r.numeric_answers()
                .iter()
                .any(|(c, v)| c == "WAIT_MIN" && *v == 35.0)
        );
    }

    #[test]
    fn each_problem_is_named() {
        let d = skm_definition();
        let mut v = full();
        v["U1"] = json!(5);
        v["U2"] = json!("dua");
        v.as_object_mut().unwrap().remove("U3");
        v["XX"] = json!(1);
        v["SERVICE"] = json!("paspor");
        v["WAIT_MIN"] = json!(-5);
        let p = validate(&d, &raw(v), &["ktp-el".into()]).unwrap_err();
        assert_eq!(p.get("U1"), Some(&"v_range"));
        assert_eq!(p.get("U2"), Some(&"v_number"));
        assert_eq!(p.get("U3"), Some(&"v_required"));
        assert_eq!(p.get("XX"), Some(&"v_unknown_field"));
        assert_eq!(p.get("SERVICE"), Some(&"v_choice"));
        assert_eq!(p.get("WAIT_MIN"), Some(&"v_range"));
    }

    #[test]
    fn form_strings_are_accepted_and_conditions_apply() {
        let mut d = skm_definition();
        d.questions.push(Question {
            code: "WHY_NOT".into(),
            kind: Kind::Text { max_length: 10 },
            label: Text::new("a", "b"),
            help: None,
            required: true,
            signal: None,
            profile: false,
            ikm_weight: None,
            show_if: Some(Condition {
                code: "U1".into(),
                equals: json!(1),
            }),
        });
        let mut v = full();
        v["U1"] = json!("4");
        assert!(
            validate(&d, &raw(v.clone()), &["ktp-el".into()]).is_ok(),
            "hidden question not required"
        );
        v["U1"] = json!("1");
        let p = validate(&d, &raw(v.clone()), &["ktp-el".into()]).unwrap_err();
        assert_eq!(p.get("WHY_NOT"), Some(&"v_required"));
        v["WHY_NOT"] = json!("far too long text");
        let p = validate(&d, &raw(v), &["ktp-el".into()]).unwrap_err();
        assert_eq!(p.get("WHY_NOT"), Some(&"v_length"));
    }

    #[test]
    fn bad_definitions_are_refused() {
        let mut d = skm_definition();
        d.questions[0].ikm_weight = Some(0.5);
        assert!(check_definition(&d).unwrap_err().contains("weights"));
        let mut d = skm_definition();
        let dup = d.questions[1].clone();
        d.questions.push(dup);
        assert!(check_definition(&d).unwrap_err().contains("twice"));
    }
}

/// What a service declares, for comparing what a respondent reports against it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Standard {
    pub minutes: Option<i32>,
    pub fee_rupiah: Option<i64>,
}

/// Per-response numbers the rollups add up besides the raw answers, so that analytics over any
/// period is a sum: `_IKM` (this respondent's weighted score, for the IKM's confidence interval),
/// `_WAIT_OVER` (waited longer than the service's standard), `_VISITS_GE3`, `_FEE_OVER` (paid more
/// than the declared fee), and one `_WAIT@<minutes>` histogram bucket (for medians and p90).
pub fn derived_signals(
    def: &Definition,
    answers: &BTreeMap<String, Answer>,
    standard: Standard,
) -> Vec<(String, f64)> {
    let mut out = vec![];
    let mut num = 0.0;
    let mut den = 0.0;
    for (code, w) in ikm_elements(def) {
        if let Some(v) = answers.get(&code).and_then(Answer::numeric) {
            num += v * w;
            den += w;
        }
    }
    if den > 0.0 {
        out.push(("_IKM".to_string(), num / den));
    }
    let by_signal = |s: Signal| {
        def.questions
            .iter()
            .filter(|q| q.signal == Some(s) && matches!(q.kind, Kind::Number { .. }))
            .find_map(|q| match answers.get(&q.code) {
                Some(Answer::Int(i)) => Some(*i),
                _ => None,
            })
    };
    if let Some(w) = by_signal(Signal::WaitTime) {
        let (lower, _) = super::stats::wait_bucket(w);
        out.push((format!("_WAIT@{lower}"), 1.0));
        if let Some(std) = standard.minutes {
            out.push(("_WAIT_OVER".into(), if w > std as i64 { 1.0 } else { 0.0 }));
        }
    }
    if let Some(v) = by_signal(Signal::Visits) {
        out.push(("_VISITS_GE3".into(), if v >= 3 { 1.0 } else { 0.0 }));
    }
    if let (Some(paid), Some(fee)) = (by_signal(Signal::Cost), standard.fee_rupiah) {
        out.push(("_FEE_OVER".into(), if paid > fee { 1.0 } else { 0.0 }));
    }
    out
}

/// Respondent-profile counts for the SKM report: `_P:<code>:<value>` (ages in bands).
pub fn profile_counts(profile: &BTreeMap<String, Answer>) -> Vec<(String, f64)> {
    profile
        .iter()
        .filter_map(|(code, a)| {
            let v = match a {
                Answer::Str(s) => s.clone(),
                Answer::Int(age) if code == "age" => age_band(*age).to_string(),
                _ => return None,
            };
            Some((format!("_P:{code}:{v}"), 1.0))
        })
        .collect()
}

pub fn age_band(age: i64) -> &'static str {
    match age {
        ..=24 => "<25",
        25..=34 => "25-34",
        35..=44 => "35-44",
        45..=54 => "45-54",
        55..=64 => "55-64",
        _ => "65+",
    }
}

#[cfg(test)]
mod low_rating_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_one_or_two_on_any_element_is_a_low_rating() {
        let def = crate::domain::skm_survey::skm_definition();
        let all = |v: Value| -> BTreeMap<String, Value> {
            (1..=9).map(|i| (format!("U{i}"), v.clone())).collect()
        };
        assert!(!has_low_rating(&def, &all(json!(3))));
        assert!(!has_low_rating(&def, &all(json!("4"))));
        let mut one_bad = all(json!(4));
        one_bad.insert("U7".into(), json!("2"));
        assert!(has_low_rating(&def, &one_bad));
        // Not an element: a wait of 1 minute is no complaint.
        let mut wait = all(json!(4));
        wait.insert("WAIT_MIN".into(), json!(1));
        assert!(!has_low_rating(&def, &wait));
    }
}

#[cfg(test)]
mod derived_tests {
    use super::super::skm_survey::skm_definition;
    use super::*;

    #[test]
    fn derived_signals_by_hand() {
        let d = skm_definition();
        let mut a = BTreeMap::new();
        for (i, c) in ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]
            .iter()
            .enumerate()
        {
            a.insert(c.to_string(), Answer::Int(if i < 3 { 4 } else { 3 }));
        }
        a.insert("WAIT_MIN".into(), Answer::Int(95));
        a.insert("VISITS".into(), Answer::Int(3));
        a.insert("FEE_PAID".into(), Answer::Int(50_000));
        let s = derived_signals(
            &d,
            &a,
            Standard {
                minutes: Some(60),
                fee_rupiah: Some(0),
            },
        );
        let get = |k: &str| s.iter().find(|(c, _)| c == k).map(|x| x.1);
        assert!((get("_IKM").unwrap() - 30.0 / 9.0).abs() < 1e-12);
        assert_eq!(get("_WAIT@95"), Some(1.0));
        assert_eq!(get("_WAIT_OVER"), Some(1.0));
        assert_eq!(get("_VISITS_GE3"), Some(1.0));
        assert_eq!(get("_FEE_OVER"), Some(1.0));
        let none = derived_signals(&d, &BTreeMap::new(), Standard::default());
        assert!(none.is_empty());
    }
}
