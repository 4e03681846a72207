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
        let title = lang
            .t("fu_draft_title")
            .replace("{code}", code)
            .replace("{name}", name);
        let draft = Draft {
            key,
            title,
            kind: kind_for(code),
            elements: vec![code.clone()],
            categories: vec![],
            justification,
        };
        if let Some(item) = insert_draft(state, user, &unit, (from, to), draft, lang).await? {
            created += usize::from(item.0);
            items.push(item.1);
        }
    }
    // Complaint categories over their rule's threshold in the period: one item each.
    for (key, title, categories, justification) in
        category_drafts(state, &unit, from, to, lang).await?
    {
        if let Some(existing) = store::follow_ups::by_draft_key(&state.db, unit.id, &key).await? {
            items.push(out(state, existing, &unit.slug, lang).await?);
            continue;
        }
        let draft = Draft {
            key,
            title,
            kind: "procedure",
            elements: vec![],
            categories,
            justification,
        };
        if let Some(item) = insert_draft(state, user, &unit, (from, to), draft, lang).await? {
            created += usize::from(item.0);
            items.push(item.1);
        }
    }
    Ok(Drafted { created, items })
}

/// (key, title, categories, justification) of each complaint rule of the training rules whose
/// rate the unit's complaints in the period exceed (with the rule's minimum count).
async fn category_drafts(
    state: &ServiceContext,
    unit: &entity::unit::Model,
    from: NaiveDate,
    to: NaiveDate,
    lang: Lang,
) -> Result<Vec<(String, String, Vec<String>, String)>, ServiceError> {
    use crate::domain::training::{Condition, RuleDef, reading::exposure};
    let signals =
        store::training::signals::window(&state.read, unit.id, from, to, today_wib()).await?;
    let names = store::complaints::all_categories(&state.read).await?;
    let name_of = |code: &str| {
        names
            .values()
            .find(|c| c.code == code)
            .map_or(code.to_string(), |c| {
                lang.pick(&c.name_id, &c.name_en).clone()
            })
    };
    let mv = unit.monthly_visitors.filter(|v| *v > 0).map(|v| v as u64);
    let id = lang == Lang::Id;
    let mut out: Vec<(String, String, Vec<String>, String)> = vec![];
    for rule in store::training::catalogue::rules(&state.read).await? {
        if !rule.active {
            continue;
        }
        let Ok(def) = serde_json::from_str::<RuleDef>(&rule.definition) else {
            continue;
        };
        for c in &def.conditions {
            let Condition::ComplaintRate {
                categories,
                per,
                threshold,
                min_count,
            } = c
            else {
                continue;
            };
            let k = signals.complaints_in(categories);
            let Some(rate) = exposure(*per, &signals, mv).map(|e| k as f64 / e) else {
                continue;
            };
            if k < *min_count || rate <= *threshold {
                continue;
            }
            let mut cats = categories.clone();
            cats.sort();
            let key = format!("complaints:{}:{from}:{to}", cats.join("+"));
            if out.iter().any(|(k2, ..)| *k2 == key) {
                continue;
            }
            let label = cats
                .iter()
                .map(|c| name_of(c))
                .collect::<Vec<_>>()
                .join(", ");
            let justification = lang
                .t("fu_justification_complaints")
                .replace("{n}", &k.to_string())
                .replace("{rate}", &decimal(rate, 2, id))
                .replace("{threshold}", &decimal(*threshold, 2, id))
                .replace("{rule}", &rule.name);
            out.push((
                key,
                lang.t("fu_draft_title_complaints")
                    .replace("{categories}", &label),
                cats,
                justification,
            ));
        }
    }
    Ok(out)
}

/// One drafted item, before it is stored.
struct Draft {
    key: String,
    title: String,
    kind: &'static str,
    elements: Vec<String>,
    categories: Vec<String>,
    justification: String,
}

/// Stores `d` once per draft key: `(true, item)` when stored now, `(false, item)` when a twin
/// request stored it a moment ago.
async fn insert_draft(
    state: &ServiceContext,
    user: &CurrentUser,
    unit: &entity::unit::Model,
    (from, to): (NaiveDate, NaiveDate),
    d: Draft,
    lang: Lang,
) -> Result<Option<(bool, FollowUpOut)>, ServiceError> {
    let now = Utc::now();
    let row = follow_up::ActiveModel {
        unit_id: Set(unit.id),
        period_from: Set(from),
        period_to: Set(to),
        title: Set(d.title),
        kind: Set(d.kind.to_string()),
        elements: Set(serde_json::to_string(&d.elements).unwrap_or_default()),
        categories: Set(serde_json::to_string(&d.categories).unwrap_or_default()),
        status: Set("planned".into()),
        progress: Set(0),
        justification: Set(Some(d.justification)),
        draft_key: Set(Some(d.key.clone())),
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
                &serde_json::json!({"drafted": d.key}).to_string(),
            )
            .await?;
            txn.commit().await?;
            Ok(Some((true, out(state, saved, &unit.slug, lang).await?)))
        }
        // A twin request drafted it a moment ago: its item stands.
        Err(e) if store::is_unique_violation(&e) => {
            txn.rollback().await?;
            match store::follow_ups::by_draft_key(&state.db, unit.id, &d.key).await? {
                Some(existing) => Ok(Some((false, out(state, existing, &unit.slug, lang).await?))),
                None => Ok(None),
            }
        }
        Err(e) => Err(e.into()),
    }
}
