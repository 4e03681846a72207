//! A training recommendation accepted becomes a `training` item of the unit's follow-up plan,
//! linked to it: the programme as its title, the elements its rule watches, the period its
//! evidence was read over. Once per recommendation (its key is unique per unit).
use chrono::{Duration, NaiveDate, Utc};
use entity::follow_up;
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::domain::training::{Condition, RuleDef};
use crate::service::error::ServiceError;
use crate::service::today_wib;
use crate::store;

/// Adds the item for accepted recommendation `r` in the caller's transaction (nothing when it
/// has one already).
pub async fn item_for_recommendation(
    txn: &impl ConnectionTrait,
    r: &entity::training_recommendation::Model,
    actor_user_id: i32,
    actor_label: &str,
) -> Result<(), ServiceError> {
    let key = format!("recommendation:{}", r.id);
    if store::follow_ups::by_draft_key(txn, r.unit_id, &key)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let programme = entity::training_programme::Entity::find_by_id(r.programme_id)
        .one(txn)
        .await?
        .map(|p| p.name)
        .unwrap_or_else(|| "Pelatihan".into());
    let def: Option<RuleDef> = serde_json::from_str(&r.rule_snapshot).ok();
    let mut elements: Vec<String> = def
        .iter()
        .flat_map(|d| &d.conditions)
        .filter_map(|c| match c {
            Condition::ElementBelow { code, .. } | Condition::Decline { code, .. } => {
                Some(code.to_uppercase())
            }
            _ => None,
        })
        .collect();
    elements.sort();
    elements.dedup();
    let finding: serde_json::Value = serde_json::from_str(&r.finding).unwrap_or_default();
    let day = |k: &str| {
        finding[k]
            .as_str()
            .and_then(|s| s.parse::<NaiveDate>().ok())
    };
    let to = day("window_to").unwrap_or_else(|| today_wib() - Duration::days(1));
    let from = day("window_from").unwrap_or(to - Duration::days(89));
    let now = Utc::now();
    let saved = store::follow_ups::insert(
        txn,
        follow_up::ActiveModel {
            unit_id: Set(r.unit_id),
            period_from: Set(from),
            period_to: Set(to),
            title: Set(programme.chars().take(200).collect()),
            kind: Set("training".into()),
            elements: Set(serde_json::to_string(&elements).unwrap_or_else(|_| "[]".into())),
            categories: Set("[]".into()),
            status: Set("planned".into()),
            progress: Set(0),
            recommendation_id: Set(Some(r.id)),
            draft_key: Set(Some(key.clone())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
    )
    .await?;
    store::follow_ups::add_event(
        txn,
        saved.id,
        Some(actor_user_id),
        actor_label,
        &serde_json::json!({"from_recommendation": r.id}).to_string(),
    )
    .await?;
    Ok(())
}
