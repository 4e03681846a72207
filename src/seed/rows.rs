//! Survey responses for bulk loads (the demo history, `seed-synthetic`): one way to turn a
//! generated answer set into its rollup signals and its 12-column `responses` row, and one
//! multi-row insert for those rows.
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, DbErr};

use crate::domain::survey::{Answer, Definition, Standard, derived_signals, profile_counts};

/// The columns of `responses` a bulk load writes, in `COLUMNS` order.
pub type ResponseRow = [sea_orm::Value; 12];

const COLUMNS: [&str; 12] = [
    "unit_id",
    "survey_version_id",
    "service_id",
    "channel",
    "created_at",
    "local_date",
    "answers",
    "respondent",
    "comment",
    "wait_minutes",
    "visits",
    "fee_paid",
];

/// A generated QR-channel response: no comment, no fee paid.
pub struct Generated<'a> {
    pub unit_id: i32,
    pub survey_version_id: i32,
    pub service_id: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub local_date: NaiveDate,
    pub answers: &'a BTreeMap<String, Answer>,
    pub profile: &'a BTreeMap<String, Answer>,
    pub wait_minutes: i64,
    pub visits: i64,
}

/// (code, value) of every signal the rollups count for this response: its numeric answers, the
/// signals derived from them against the service's standard, and the respondent profile counts.
pub fn numeric_signals(
    def: &Definition,
    answers: &BTreeMap<String, Answer>,
    profile: &BTreeMap<String, Answer>,
    std: Standard,
) -> Vec<(String, f64)> {
    let mut numeric: Vec<(String, f64)> = answers
        .iter()
        .filter_map(|(k, a)| a.numeric().map(|v| (k.clone(), v)))
        .collect();
    numeric.extend(derived_signals(def, answers, std));
    numeric.extend(profile_counts(profile));
    numeric
}

pub fn response_row(r: &Generated<'_>) -> ResponseRow {
    [
        r.unit_id.into(),
        r.survey_version_id.into(),
        r.service_id.into(),
        "qr".into(),
        r.created_at.into(),
        r.local_date.into(),
        serde_json::to_string(r.answers).unwrap_or_default().into(),
        serde_json::to_string(r.profile).unwrap_or_default().into(),
        Option::<String>::None.into(),
        Some(r.wait_minutes as i32).into(),
        Some(r.visits as i32).into(),
        Option::<i64>::None.into(),
    ]
}

/// Inserts the rows in multi-row statements and empties `rows`.
pub async fn insert_responses(
    db: &impl ConnectionTrait,
    rows: &mut Vec<ResponseRow>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    // At most 2,000 parameters a statement keeps well inside SQLite's limit.
    for chunk in rows.chunks(160) {
        let mut q = Query::insert();
        q.into_table(Alias::new("responses"))
            .columns(COLUMNS.map(Alias::new));
        for r in chunk {
            q.values_panic(r.iter().cloned().map(Into::into));
        }
        db.execute(&q).await?;
    }
    rows.clear();
    Ok(())
}
