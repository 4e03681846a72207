//! Measured waits: the stamps a unit's queue machine puts on each ticket (issued, called,
//! started, finished, no-show), one shape for every vendor, and what they measure per day —
//! wait (issued → called) and service time (started → finished), kept as whole-minute
//! histograms so that nearest-rank percentiles of any period are exact to the minute.
pub mod adapters;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::domain::calendar::wib_date;
use crate::domain::stats::Summary;
use crate::domain::validation::{Problems, short_text};

/// The events a ticket goes through, in the order a queue stamps them.
pub const EVENTS: [&str; 5] = ["issued", "called", "started", "finished", "no_show"];

/// Longest ticket, service or counter label kept (queue machines print short codes).
const MAX_LABEL: usize = 100;

/// One stamp as a source sends it, before it is checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawEvent {
    pub unit: Option<String>,
    pub service: Option<String>,
    pub ticket: Option<String>,
    pub event: Option<String>,
    pub at: Option<String>,
    pub counter: Option<String>,
}

/// One checked stamp.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueEvent {
    /// The unit's slug when the source names it (the batch endpoint); the path's otherwise.
    pub unit: Option<String>,
    /// The queue's service label as sent ("" when none).
    pub service: String,
    pub ticket: String,
    pub event: &'static str,
    pub at: DateTime<Utc>,
    /// The WIB day the stamp falls on: tickets are numbered afresh each day.
    pub day: NaiveDate,
    pub counter: Option<String>,
}

/// An RFC 3339 time with its offset; a time without one is refused, since a queue machine's
/// local clock could be any zone.
pub fn parse_at(s: &str) -> Result<DateTime<Utc>, &'static str> {
    DateTime::<FixedOffset>::parse_from_rfc3339(s.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| "v_queue_time")
}

fn label(field: &str, v: &Option<String>, required: bool, p: &mut Problems) -> Option<String> {
    short_text(field, v, MAX_LABEL, required, p)
}

impl RawEvent {
    /// The checked stamp, or each field's problem (message keys).
    pub fn check(&self) -> Result<QueueEvent, Problems> {
        let mut p = Problems::new();
        let unit = label("unit", &self.unit, false, &mut p);
        let service = label("service", &self.service, false, &mut p).unwrap_or_default();
        let ticket = label("ticket", &self.ticket, true, &mut p);
        let counter = label("counter", &self.counter, false, &mut p);
        let event = match self.event.as_deref().map(str::trim) {
            None | Some("") => {
                p.insert("event".into(), "v_required");
                None
            }
            Some(e) => {
                let found = EVENTS.iter().find(|x| x.eq_ignore_ascii_case(e)).copied();
                if found.is_none() {
                    p.insert("event".into(), "v_choice");
                }
                found
            }
        };
        let at = match self.at.as_deref() {
            None | Some("") => {
                p.insert("at".into(), "v_required");
                None
            }
            Some(s) => parse_at(s)
                .map_err(|k| {
                    p.insert("at".into(), k);
                })
                .ok(),
        };
        match (ticket, event, at) {
            (Some(ticket), Some(event), Some(at)) if p.is_empty() => Ok(QueueEvent {
                unit,
                service,
                ticket,
                event,
                at,
                day: wib_date(at),
                counter,
            }),
            _ => Err(p),
        }
    }
}

/// A ticket's stamps (the earliest of each, should a machine stamp twice).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ticket {
    pub service: String,
    pub issued: Option<DateTime<Utc>>,
    pub called: Option<DateTime<Utc>>,
    pub started: Option<DateTime<Utc>>,
    pub finished: Option<DateTime<Utc>>,
    pub no_show: bool,
}

impl Ticket {
    pub fn stamp(&mut self, event: &str, at: DateTime<Utc>) {
        let slot = match event {
            "issued" => &mut self.issued,
            "called" => &mut self.called,
            "started" => &mut self.started,
            "finished" => &mut self.finished,
            _ => {
                self.no_show = true;
                return;
            }
        };
        if slot.is_none_or(|t| at < t) {
            *slot = Some(at);
        }
    }

    /// Issued → called in minutes; `None` when either stamp is missing or out of order (a
    /// ticket without the stamps a measure needs is left out of it, never counted as zero).
    pub fn wait(&self) -> Option<f64> {
        minutes(self.issued?, self.called?)
    }

    /// Started → finished in minutes (a machine that stamps no start starts at the call).
    pub fn service_time(&self) -> Option<f64> {
        minutes(self.started.or(self.called)?, self.finished?)
    }
}

fn minutes(a: DateTime<Utc>, b: DateTime<Utc>) -> Option<f64> {
    let s = (b - a).num_milliseconds();
    (s >= 0).then(|| s as f64 / 60_000.0)
}

/// Counts by whole minute (a wait of 18 min 40 s counts as 18).
pub type Histogram = BTreeMap<u32, u64>;

/// What one service's tickets of one day measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayMeasures {
    pub tickets: u64,
    pub no_shows: u64,
    /// Waits measured: their minutes' n, sum and sum of squares.
    pub wait: Summary,
    pub waits: Histogram,
    /// Waits judged against a standard, and those over it.
    pub judged: u64,
    pub over: u64,
    pub service: Summary,
    pub services: Histogram,
}

impl DayMeasures {
    /// Measures `tickets` of one service, waits judged against `standard` minutes when known.
    pub fn of<'a>(tickets: impl IntoIterator<Item = &'a Ticket>, standard: Option<u32>) -> Self {
        let mut m = DayMeasures::default();
        for t in tickets {
            m.tickets += 1;
            m.no_shows += u64::from(t.no_show);
            if let Some(w) = t.wait() {
                m.wait.add(&Summary::new(1, w, w * w));
                *m.waits.entry(w.floor() as u32).or_default() += 1;
                if let Some(s) = standard {
                    m.judged += 1;
                    m.over += u64::from(w > f64::from(s));
                }
            }
            if let Some(x) = t.service_time() {
                m.service.add(&Summary::new(1, x, x * x));
                *m.services.entry(x.floor() as u32).or_default() += 1;
            }
        }
        m
    }

    pub fn add(&mut self, o: &DayMeasures) {
        self.tickets += o.tickets;
        self.no_shows += o.no_shows;
        self.wait.add(&o.wait);
        self.judged += o.judged;
        self.over += o.over;
        self.service.add(&o.service);
        merge(&mut self.waits, &o.waits);
        merge(&mut self.services, &o.services);
    }
}

pub fn merge(into: &mut Histogram, from: &Histogram) {
    for (k, v) in from {
        *into.entry(*k).or_default() += v;
    }
}

/// The nearest-rank `p`-th percentile (0 < p ≤ 100): the smallest value with at least p% of
/// the values at or below it, i.e. the ⌈p/100 · n⌉-th smallest.
pub fn nearest_rank(h: &Histogram, p: f64) -> Option<u32> {
    let n: u64 = h.values().sum();
    if n == 0 || !(p > 0.0 && p <= 100.0) {
        return None;
    }
    let rank = ((p / 100.0 * n as f64).ceil() as u64).max(1);
    let mut seen = 0;
    for (v, c) in h {
        seen += c;
        if seen >= rank {
            return Some(*v);
        }
    }
    None
}

/// `k / n`, or `None` for nothing measured.
pub fn share(k: u64, n: u64) -> Option<f64> {
    (n > 0).then(|| k as f64 / n as f64)
}

/// A histogram as stored: `{"18": 4, "25": 1}`.
pub fn histogram_json(h: &Histogram) -> String {
    serde_json::to_string(h).unwrap_or_else(|_| "{}".into())
}

pub fn histogram_from_json(s: &str) -> Histogram {
    serde_json::from_str(s).unwrap_or_default()
}

/// One day's stamps (service, ticket, event, at) measured per service. A stamp without a
/// service belongs to its ticket's service when the ticket names exactly one.
pub fn measure_day(
    stamps: Vec<(String, String, String, chrono::DateTime<chrono::Utc>)>,
    standard: impl Fn(&str) -> Option<u32>,
) -> Vec<(String, DayMeasures)> {
    let mut services_of: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (service, ticket, _, _) in &stamps {
        if !service.is_empty() {
            services_of.entry(ticket).or_default().insert(service);
        }
    }
    let mut tickets: BTreeMap<(String, String), Ticket> = BTreeMap::new();
    for (service, ticket, event, at) in &stamps {
        let service = if service.is_empty() {
            match services_of.get(ticket.as_str()) {
                Some(s) if s.len() == 1 => s.iter().next().map_or("", |s| s).to_string(),
                _ => String::new(),
            }
        } else {
            service.clone()
        };
        let t = tickets
            .entry((service.clone(), ticket.clone()))
            .or_default();
        t.service = service;
        t.stamp(event, *at);
    }
    let mut per_service: BTreeMap<String, Vec<Ticket>> = BTreeMap::new();
    for ((service, _), t) in tickets {
        per_service.entry(service).or_default().push(t);
    }
    per_service
        .into_iter()
        .map(|(service, ts)| {
            let m = DayMeasures::of(&ts, standard(&service));
            (service, m)
        })
        .collect()
}

#[cfg(test)]
mod tests;
