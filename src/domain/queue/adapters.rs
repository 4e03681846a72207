//! What units' queue systems send, mapped onto Suara's one event shape (`../shared/queue.md`):
//! a CSV export, BPJS Antrean task updates, NovoSGA attendance records and Qminder webhooks.
//! Each record of the input keeps its index; a record that cannot be read says why, in the
//! vendor's own field names, and the rest are kept.
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

use super::RawEvent;
use crate::domain::validation::Problems;

/// (index of the record in the input, the event or what is wrong with the record).
pub type Mapped = Vec<(usize, Result<RawEvent, Problems>)>;

fn problem(field: &str, key: &'static str) -> Problems {
    [(field.to_string(), key)].into_iter().collect()
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The records of a JSON body: an array, or one object.
fn records(body: &Value) -> Vec<&Value> {
    match body {
        Value::Array(a) => a.iter().collect(),
        v => vec![v],
    }
}

/// A CSV file with the header `ticket,service,event,at,counter` (any order; `service` and
/// `counter` may be left out), separated by commas or — as Indonesian Excel saves it —
/// semicolons. `Err` when there is no usable header.
pub fn csv(body: &[u8]) -> Result<Mapped, &'static str> {
    let first = body.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = if first.contains(&b';') && !first.contains(&b',') {
        b';'
    } else {
        b','
    };
    let mut r = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(body);
    let header = r.headers().map_err(|_| "v_queue_header")?.clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let (Some(t), Some(e), Some(a)) = (col("ticket"), col("event"), col("at")) else {
        return Err("v_queue_header");
    };
    let (s, c) = (col("service"), col("counter"));
    let mut out = vec![];
    for (i, rec) in r.records().enumerate() {
        let Ok(rec) = rec else {
            out.push((i, Err(problem("row", "v_type"))));
            continue;
        };
        let get = |k: Option<usize>| k.and_then(|k| rec.get(k)).map(str::to_string);
        out.push((
            i,
            Ok(RawEvent {
                unit: None,
                service: get(s),
                ticket: get(Some(t)),
                event: get(Some(e)),
                at: get(Some(a)),
                counter: get(c),
            }),
        ));
    }
    Ok(out)
}

/// BPJS Antrean `updatewaktu` bodies `{"kodebooking","taskid","waktu"}` (one or an array),
/// `waktu` in epoch milliseconds UTC. Each task ends one stage and starts the next: admission
/// (`admisi`, tasks 1–3), the clinic (`poli`, 3–5) and the pharmacy (`farmasi`, 5–7); 99 is a
/// no-show at the clinic.
pub fn bpjs(body: &Value) -> Mapped {
    let mut out = vec![];
    for (i, r) in records(body).into_iter().enumerate() {
        let ticket = r
            .get("kodebooking")
            .and_then(text)
            .filter(|s| !s.trim().is_empty());
        let task = r.get("taskid").and_then(|v| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        });
        let at = r
            .get("waktu")
            .and_then(|v| match v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            })
            .and_then(|ms| Utc.timestamp_millis_opt(ms).single());
        let stamps: &[(&str, &str)] = match task {
            Some(1) => &[("admisi", "issued")],
            Some(2) => &[("admisi", "called"), ("admisi", "started")],
            Some(3) => &[("admisi", "finished"), ("poli", "issued")],
            Some(4) => &[("poli", "called"), ("poli", "started")],
            Some(5) => &[("poli", "finished"), ("farmasi", "issued")],
            Some(6) => &[("farmasi", "called"), ("farmasi", "started")],
            Some(7) => &[("farmasi", "finished")],
            Some(99) => &[("poli", "no_show")],
            _ => &[],
        };
        let mut p = Problems::new();
        if ticket.is_none() {
            p.insert("kodebooking".into(), "v_required");
        }
        if stamps.is_empty() {
            p.insert("taskid".into(), "v_choice");
        }
        if at.is_none() {
            p.insert("waktu".into(), "v_queue_millis");
        }
        let (Some(ticket), Some(at), true) = (ticket, at, p.is_empty()) else {
            out.push((i, Err(p)));
            continue;
        };
        for (service, event) in stamps {
            out.push((
                i,
                Ok(RawEvent {
                    unit: None,
                    service: Some(service.to_string()),
                    ticket: Some(ticket.clone()),
                    event: Some(event.to_string()),
                    at: Some(rfc3339(at)),
                    counter: None,
                }),
            ));
        }
    }
    out
}

/// A NovoSGA time: `Y-m-d\TH:i:s` in the unit's zone (WIB) when it carries no offset.
fn novosga_time(s: &str) -> Option<String> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(rfc3339(t.with_timezone(&Utc)));
    }
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S"))
        .ok()?;
    let wib = chrono::FixedOffset::east_opt(7 * 3600)?;
    Some(rfc3339(
        wib.from_local_datetime(&naive)
            .single()?
            .with_timezone(&Utc),
    ))
}

/// NovoSGA attendance records (`atendimento`, one or an array): arrival → `issued`, call →
/// `called`, start → `started`, end → `finished`; status `nao_compareceu` is a no-show. The
/// ticket is the printed `senha` (sigla and number), else the record's id.
pub fn novosga(body: &Value) -> Mapped {
    let mut out = vec![];
    for (i, r) in records(body).into_iter().enumerate() {
        let senha = r.get("senha").and_then(|s| match s {
            Value::Object(_) => Some(format!(
                "{}{}",
                s.get("sigla").and_then(text).unwrap_or_default(),
                s.get("numero").and_then(text).unwrap_or_default()
            )),
            v => text(v),
        });
        let ticket = senha
            .filter(|s| !s.trim().is_empty())
            .or_else(|| r.get("id").and_then(text));
        let service = r.get("servico").and_then(|s| match s {
            Value::Object(_) => s.get("nome").and_then(text),
            v => text(v),
        });
        let counter = r.get("numeroLocal").and_then(text);
        let mut p = Problems::new();
        if ticket.is_none() {
            p.insert("senha".into(), "v_required");
        }
        let mut stamps = vec![];
        for (field, event) in [
            ("dataChegada", "issued"),
            ("dataChamada", "called"),
            ("dataInicio", "started"),
            ("dataFim", "finished"),
        ] {
            match r.get(field) {
                None | Some(Value::Null) => {}
                Some(v) => match text(v).as_deref().and_then(novosga_time) {
                    Some(at) => stamps.push((event, at)),
                    None => {
                        p.insert(field.into(), "v_queue_time");
                    }
                },
            }
        }
        let status = r.get("status").and_then(text).unwrap_or_default();
        if status.eq_ignore_ascii_case("nao_compareceu") {
            let at = stamps.iter().rev().map(|(_, at)| at.clone()).next();
            match at {
                Some(at) => stamps.push(("no_show", at)),
                None => {
                    p.insert("dataChamada".into(), "v_required");
                }
            }
        }
        if stamps.is_empty() && p.is_empty() {
            p.insert("dataChegada".into(), "v_required");
        }
        let (Some(ticket), true) = (ticket, p.is_empty()) else {
            out.push((i, Err(p)));
            continue;
        };
        for (event, at) in stamps {
            out.push((
                i,
                Ok(RawEvent {
                    unit: None,
                    service: service.clone(),
                    ticket: Some(ticket.clone()),
                    event: Some(event.to_string()),
                    at: Some(at),
                    counter: if event == "called" {
                        counter.clone()
                    } else {
                        None
                    },
                }),
            ));
        }
    }
    out
}

/// A Qminder webhook `{"type", "data": ticket}`: `ticket_created` → `issued` (its
/// `created.date`), `ticket_called` and `ticket_recalled` → `called` (its `called.date`; the
/// earliest call counts), `ticket_served` → `finished` (`served.date`), `ticket_cancelled` and
/// `ticket_removed` → a no-show. `ticket_changed` carries no stamp: nothing is stored.
pub fn qminder(body: &Value) -> Mapped {
    let kind = body.get("type").and_then(text).unwrap_or_default();
    let data = body.get("data").unwrap_or(&Value::Null);
    let date = |k: &str| data.get(k).and_then(|v| v.get("date")).and_then(text);
    let (event, at) = match kind.as_str() {
        "ticket_created" => ("issued", date("created")),
        "ticket_called" | "ticket_recalled" => ("called", date("called")),
        "ticket_served" => ("finished", date("served")),
        "ticket_cancelled" | "ticket_removed" => (
            "no_show",
            date("cancelled")
                .or_else(|| date("removed"))
                .or_else(|| date("called")),
        ),
        "ticket_changed" => return vec![],
        _ => return vec![(0, Err(problem("type", "v_choice")))],
    };
    let ticket = data.get("id").and_then(text);
    let service = data.get("line").and_then(|l| match l {
        Value::Object(_) => l.get("name").or_else(|| l.get("id")).and_then(text),
        v => text(v),
    });
    let counter = data
        .get("called")
        .and_then(|c| c.get("desk"))
        .and_then(text);
    let mut p = Problems::new();
    if ticket.is_none() {
        p.insert("data.id".into(), "v_required");
    }
    if at.is_none() {
        p.insert(format!("data.{}.date", event_field(event)), "v_required");
    }
    if !p.is_empty() {
        return vec![(0, Err(p))];
    }
    vec![(
        0,
        Ok(RawEvent {
            unit: None,
            service,
            ticket,
            event: Some(event.into()),
            at,
            counter: if event == "called" { counter } else { None },
        }),
    )]
}

fn event_field(event: &str) -> &'static str {
    match event {
        "issued" => "created",
        "called" => "called",
        "finished" => "served",
        _ => "cancelled",
    }
}

#[cfg(test)]
mod tests;
