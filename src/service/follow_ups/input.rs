//! What a client sends to create or change a follow-up item, checked field by field against the
//! rules and the item as it stands; only the fields given change.
use chrono::NaiveDate;
use entity::follow_up;
use sea_orm::Set;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::domain::follow_up::{KINDS, STATUSES, progress_for};
use crate::domain::skm::ELEMENT_CODES;
use crate::domain::validation::{Problems, parse_date};
use crate::service::error::ServiceError;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct OwnerIn {
    /// Who is responsible (up to 100 characters).
    pub name: Option<String>,
    /// Their position (jabatan), up to 100 characters.
    pub position: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct EvidenceIn {
    /// What was done, up to 4,000 characters.
    pub text: Option<String>,
    /// An `http(s)://` link to the evidence (a document, a photo album).
    pub link: Option<String>,
}

/// A follow-up item, or the fields of one to change.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct FollowUpIn {
    /// 3–200 characters; required to create.
    pub title: Option<String>,
    /// `training`, `staffing`, `procedure`, `facilities`, `queue`, `information`, `other`; required to create.
    pub kind: Option<String>,
    /// Element codes it answers (`U1`–`U9`).
    pub elements: Option<Vec<String>>,
    /// Complaint category codes it answers.
    pub categories: Option<Vec<String>>,
    pub owner: Option<OwnerIn>,
    /// YYYY-MM-DD.
    pub due_on: Option<String>,
    /// The SKM period it follows up, YYYY-MM-DD; required to create.
    pub period_from: Option<String>,
    pub period_to: Option<String>,
    /// `planned` (the default), `in_progress`, `done`, `cancelled`.
    pub status: Option<String>,
    /// 0–100; 100 once done.
    pub progress: Option<i64>,
    pub evidence: Option<EvidenceIn>,
    /// The day the period's SKM report was signed (YYYY-MM-DD); indicator 9 counts from it.
    /// Unset: the day after the period ends.
    pub report_on: Option<String>,
    /// When it was done (YYYY-MM-DD, not in the future; may be long past): only with `done`.
    /// `done` without it is done today.
    pub done_on: Option<String>,
}

/// The checked values of the fields given.
#[derive(Debug, Default)]
pub struct Valid {
    title: Option<String>,
    kind: Option<String>,
    elements: Option<Vec<String>>,
    categories: Option<Vec<String>>,
    owner: Option<(Option<String>, Option<String>)>,
    due_on: Option<Option<NaiveDate>>,
    period: Option<(NaiveDate, NaiveDate)>,
    status: Option<String>,
    progress: Option<i32>,
    evidence: Option<(Option<String>, Option<String>)>,
    done_on: Option<Option<NaiveDate>>,
    report_on: Option<Option<NaiveDate>>,
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl FollowUpIn {
    /// Checks the fields given against `current` (none: a new item) and the known complaint
    /// categories; every problem at once, by field.
    pub fn check(
        &self,
        current: Option<&follow_up::Model>,
        categories: &[String],
        today: NaiveDate,
    ) -> Result<Valid, ServiceError> {
        let mut p = Problems::new();
        let mut v = Valid::default();
        let creating = current.is_none();
        match (trimmed(&self.title), creating) {
            (Some(t), _) if (3..=200).contains(&t.chars().count()) => v.title = Some(t),
            (Some(_), _) => {
                p.insert("title".into(), "v_length");
            }
            (None, true) => {
                p.insert("title".into(), "v_required");
            }
            (None, false) if self.title.is_some() => {
                p.insert("title".into(), "v_required");
            }
            _ => {}
        }
        match (trimmed(&self.kind), creating) {
            (Some(k), _) if KINDS.contains(&k.as_str()) => v.kind = Some(k),
            (Some(_), _) => {
                p.insert("kind".into(), "v_choice");
            }
            (None, true) => {
                p.insert("kind".into(), "v_required");
            }
            _ => {}
        }
        if let Some(els) = &self.elements {
            if els.len() > 9 || els.iter().any(|e| !ELEMENT_CODES.contains(&e.as_str())) {
                p.insert("elements".into(), "v_choice");
            } else {
                let mut e = els.clone();
                e.sort_by_key(|c| ELEMENT_CODES.iter().position(|x| x == c));
                e.dedup();
                v.elements = Some(e);
            }
        } else if creating {
            v.elements = Some(vec![]);
        }
        if let Some(cats) = &self.categories {
            if cats.len() > 20 || cats.iter().any(|c| !categories.contains(c)) {
                p.insert("categories".into(), "v_choice");
            } else {
                let mut c = cats.clone();
                c.dedup();
                v.categories = Some(c);
            }
        } else if creating {
            v.categories = Some(vec![]);
        }
        if let Some(o) = &self.owner {
            let (name, position) = (trimmed(&o.name), trimmed(&o.position));
            for (field, value) in [("owner.name", &name), ("owner.position", &position)] {
                if value.as_ref().is_some_and(|x| x.chars().count() > 100) {
                    p.insert(field.into(), "v_length");
                }
            }
            v.owner = Some((name, position));
        }
        let date =
            |field: &str, s: &Option<String>, p: &mut Problems| -> Option<Option<NaiveDate>> {
                let s = s.as_ref()?;
                if s.trim().is_empty() {
                    return Some(None);
                }
                match parse_date(s) {
                    Ok(d) => Some(Some(d)),
                    Err(k) => {
                        p.insert(field.into(), k);
                        None
                    }
                }
            };
        v.due_on = date("due_on", &self.due_on, &mut p);
        v.report_on = date("report_on", &self.report_on, &mut p);
        let from = date("period_from", &self.period_from, &mut p).flatten();
        let to = date("period_to", &self.period_to, &mut p).flatten();
        let from = from.or(current.map(|c| c.period_from));
        let to = to.or(current.map(|c| c.period_to));
        match (from, to) {
            (Some(f), Some(t)) if f <= t => {
                if self.period_from.is_some() || self.period_to.is_some() {
                    v.period = Some((f, t));
                }
            }
            (Some(_), Some(_)) => {
                p.insert("period_to".into(), "v_period_order");
            }
            _ => {
                for (field, given) in [("period_from", from), ("period_to", to)] {
                    if given.is_none() && !p.contains_key(field) {
                        p.insert(field.into(), "v_required");
                    }
                }
            }
        }
        let status = match trimmed(&self.status) {
            Some(s) if STATUSES.contains(&s.as_str()) => {
                v.status = Some(s.clone());
                s
            }
            Some(_) => {
                p.insert("status".into(), "v_choice");
                current.map_or("planned".into(), |c| c.status.clone())
            }
            None => {
                if creating {
                    v.status = Some("planned".into());
                }
                current.map_or("planned".into(), |c| c.status.clone())
            }
        };
        let progress = self
            .progress
            .unwrap_or(current.map_or(0, |c| c.progress as i64));
        match i32::try_from(progress)
            .map_err(|_| "v_range")
            .and_then(|x| progress_for(&status, x))
        {
            Ok(x) => {
                if self.progress.is_some() || creating || current.is_some_and(|c| c.progress != x) {
                    v.progress = Some(x);
                }
            }
            Err(k) => {
                p.insert("progress".into(), k);
            }
        }
        if let Some(e) = &self.evidence {
            let (text, link) = (trimmed(&e.text), trimmed(&e.link));
            if text.as_ref().is_some_and(|t| t.chars().count() > 4000) {
                p.insert("evidence.text".into(), "v_length");
            }
            if link.as_ref().is_some_and(|l| {
                !(l.starts_with("https://") || l.starts_with("http://"))
                    || l.len() > 500
                    || l.contains(char::is_whitespace)
            }) {
                p.insert("evidence.link".into(), "v_url");
            }
            v.evidence = Some((text, link));
        }
        match date("done_on", &self.done_on, &mut p) {
            Some(Some(d)) if status != "done" => {
                let _ = d;
                p.insert("done_on".into(), "v_done_on_needs_done");
            }
            Some(Some(d)) if d > today => {
                p.insert("done_on".into(), "v_future_date");
            }
            Some(d) => v.done_on = Some(d),
            None => {}
        }
        // Done without a date is done today; no longer done, it has no date.
        let had = current.and_then(|c| c.done_on);
        if status == "done" && v.done_on.is_none() && had.is_none() {
            v.done_on = Some(Some(today));
        } else if status != "done" && had.is_some() {
            v.done_on = Some(None);
        }
        if p.is_empty() {
            Ok(v)
        } else {
            Err(ServiceError::Problems(p))
        }
    }
}

impl Valid {
    /// Sets what was given on the row.
    pub fn apply(&self, m: &mut follow_up::ActiveModel) {
        let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        if let Some(t) = &self.title {
            m.title = Set(t.clone());
        }
        if let Some(k) = &self.kind {
            m.kind = Set(k.clone());
        }
        if let Some(e) = &self.elements {
            m.elements = Set(json(e));
        }
        if let Some(c) = &self.categories {
            m.categories = Set(json(c));
        }
        if let Some((name, position)) = &self.owner {
            m.owner_name = Set(name.clone());
            m.owner_position = Set(position.clone());
        }
        if let Some(d) = self.due_on {
            m.due_on = Set(d);
        }
        if let Some((f, t)) = self.period {
            m.period_from = Set(f);
            m.period_to = Set(t);
        }
        if let Some(s) = &self.status {
            m.status = Set(s.clone());
        }
        if let Some(x) = self.progress {
            m.progress = Set(x);
        }
        if let Some((text, link)) = &self.evidence {
            m.evidence = Set(text.clone());
            m.evidence_link = Set(link.clone());
        }
        if let Some(d) = self.done_on {
            m.done_on = Set(d);
        }
        if let Some(d) = self.report_on {
            m.report_on = Set(d);
        }
    }

    /// The fields given and their new values, for the history.
    pub fn changes(&self) -> Value {
        let mut c = Map::new();
        let mut put = |k: &str, v: Value| {
            c.insert(k.into(), v);
        };
        if let Some(t) = &self.title {
            put("title", json!(t));
        }
        if let Some(k) = &self.kind {
            put("kind", json!(k));
        }
        if let Some(e) = &self.elements {
            put("elements", json!(e));
        }
        if let Some(x) = &self.categories {
            put("categories", json!(x));
        }
        if let Some((name, position)) = &self.owner {
            put("owner", json!({"name": name, "position": position}));
        }
        if let Some(d) = self.due_on {
            put("due_on", json!(d));
        }
        if let Some((f, t)) = self.period {
            put("period_from", json!(f));
            put("period_to", json!(t));
        }
        if let Some(s) = &self.status {
            put("status", json!(s));
        }
        if let Some(x) = self.progress {
            put("progress", json!(x));
        }
        if let Some((text, link)) = &self.evidence {
            put("evidence", json!({"text": text, "link": link}));
        }
        if let Some(d) = self.done_on {
            put("done_on", json!(d));
        }
        if let Some(d) = self.report_on {
            put("report_on", json!(d));
        }
        Value::Object(c)
    }

    /// Marks a drafted item (the numbers behind it and its key).
    pub fn period(&self) -> Option<(NaiveDate, NaiveDate)> {
        self.period
    }
}
