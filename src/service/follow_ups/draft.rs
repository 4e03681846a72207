//! A closed SKM period's follow-up plan drafted from the evidence: one item for each of the two
//! elements with the lowest NRR (ties by element order), carrying the numbers behind it. Each
//! drafted item has a key (element and period) unique per unit, so drafting again adds nothing.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::follow_up;
use sea_orm::Set;
use serde::{Deserialize, Serialize};

use super::access::seen_unit;
use super::{FollowUpOut, out};
use crate::domain::follow_up::lowest_elements;
use crate::domain::format::decimal;
use crate::domain::skm;
use crate::domain::stats::Summary;
use crate::domain::validation::{Problems, parse_date};
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::service::today_wib;
use crate::store;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DraftIn {
    /// The period's first day, YYYY-MM-DD.
    pub from: Option<String>,
    /// Its last day, YYYY-MM-DD, before today (a closed period).
    pub to: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Drafted {
    /// Items added by this request (0 when the period was drafted before).
    pub created: usize,
    /// The period's drafted items, new and earlier.
    pub items: Vec<FollowUpOut>,
}

/// The kind of action an element's weakness usually calls for (a starting point; the unit
/// changes it).
fn kind_for(element: &str) -> &'static str {
    match element {
        "U2" | "U5" | "U8" => "procedure",
        "U3" => "queue",
        "U6" | "U7" => "training",
        "U9" => "facilities",
        _ => "information",
    }
}

fn period(input: &DraftIn, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), ServiceError> {
    let mut p = Problems::new();
    let mut date = |field: &str, s: &Option<String>| match s.as_deref().map(parse_date) {
        None => {
            p.insert(field.into(), "v_required");
            None
        }
        Some(Err(k)) => {
            p.insert(field.into(), k);
            None
        }
        Some(Ok(d)) => Some(d),
    };
    let (from, to) = (date("from", &input.from), date("to", &input.to));
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            p.insert("to".into(), "v_period_order");
        } else if t >= today {
            p.insert("to".into(), "v_period_open");
        }
    }
    match (from, to) {
        (Some(f), Some(t)) if p.is_empty() => Ok((f, t)),
        _ => Err(ServiceError::Problems(p)),
    }
}

pub async fn draft(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    input: &DraftIn,
    lang: Lang,
) -> Result<Drafted, ServiceError> {
    let unit = seen_unit(state, user, slug).await?;
    let (from, to) = period(input, today_wib())?;
    let raw = store::analytics::series(
        &state.read,
        unit.id,
        from,
        to,
        false,
        store::analytics::Codes::NoProfile,
    )
    .await?;
    let mut total: HashMap<String, Summary> = HashMap::new();
    for (_, code, s) in raw {
        if !code.starts_with(store::responses::CHANNEL_PREFIX) {
            total.entry(code).or_default().add(&s);
        }
    }
    let cats = crate::service::analytics::category_codes(state).await?;
    let els = crate::service::analytics::elements(state);
    let k = state.settings.min_cell as u64;
    let m = crate::service::analytics::all_measures(&total, &els, k, &cats);
    let nrr: Vec<(&str, Option<f64>)> = skm::ELEMENT_CODES
        .iter()
        .map(|c| (*c, m.elements.get(*c).and_then(|e| e.mean)))
        .collect();
    let lowest = lowest_elements(&nrr);
    if lowest.is_empty() {
        return Err(ServiceError::invalid("from", "v_draft_no_data"));
    }
    let ikm = m.ikm.as_ref().map(|i| skm::converted(i.ikm));
    let id = lang == Lang::Id;
    let mut created = 0;
    let mut items = vec![];
    for (rank, code) in lowest.iter().enumerate() {
        let key = format!("element:{code}:{from}:{to}");
        if let Some(existing) = store::follow_ups::by_draft_key(&state.db, unit.id, &key).await? {
            items.push(out(state, existing, &unit.slug, lang).await?);
            continue;
        }
        let e = m.elements.get(code.as_str());
        let value = e.and_then(|e| e.mean).unwrap_or_default();
        let name = lang.pick(skm::element_name(code), skm::element_name_en(code));
        let justification = lang
            .t("fu_justification")
            .replace("{code}", code)
            .replace("{nrr}", &decimal(value, 2, id))
            .replace("{n}", &e.map_or(0, |e| e.n).to_string())
            .replace("{rank}", &(rank + 1).to_string())
            .replace(
                "{ikm}",
                &ikm.map_or_else(|| "–".to_string(), |x| decimal(x, 2, id)),
            );
        let now = Utc::now();
        let row = follow_up::ActiveModel {
            unit_id: Set(unit.id),
            period_from: Set(from),
            period_to: Set(to),
            title: Set(lang
                .t("fu_draft_title")
                .replace("{code}", code)
                .replace("{name}", name)),
            kind: Set(kind_for(code).to_string()),
            elements: Set(serde_json::to_string(&[code]).unwrap_or_default()),
            categories: Set("[]".into()),
            status: Set("planned".into()),
            progress: Set(0),
            justification: Set(Some(justification)),
            draft_key: Set(Some(key.clone())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        let txn = crate::store::begin_write(&state.db).await?;
        match store::follow_ups::insert(&txn, row).await {
            Ok(saved) => {
                store::follow_ups::add_event(
                    &txn,
                    saved.id,
                    Some(user.id),
                    &user.name,
                    &serde_json::json!({"drafted": key}).to_string(),
                )
                .await?;
                txn.commit().await?;
                created += 1;
                items.push(out(state, saved, &unit.slug, lang).await?);
            }
            // A twin request drafted it a moment ago: its item stands.
            Err(e) if store::is_unique_violation(&e) => {
                txn.rollback().await?;
                if let Some(existing) =
                    store::follow_ups::by_draft_key(&state.db, unit.id, &key).await?
                {
                    items.push(out(state, existing, &unit.slug, lang).await?);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Drafted { created, items })
}
