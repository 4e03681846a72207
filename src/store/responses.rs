//! Survey responses. Writes go through one writer task per process that commits them in
//! groups: one transaction, one commit, many responses, with their rollup rows updated in the
//! same transaction. Each caller is answered only after the commit that holds its response.
use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{response, rollup_unit_day};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Set,
};
use tokio::sync::{mpsc, oneshot};

use crate::store::idempotency::{self, Key, Seen};
use crate::store::rollups::upsert_rollups;

/// The code under which the rollups count responses.
pub const RESPONSES_CODE: &str = "*";
/// Responses by channel are rollup cells too (`_R:whatsapp`), so a unit's channel split
/// reads cells, never response rows.
pub const CHANNEL_PREFIX: &str = "_R:";

pub fn channel_code(channel: &str) -> String {
    format!("{CHANNEL_PREFIX}{channel}")
}
const MAX_BATCH: usize = 256;

#[derive(Debug, Clone)]
pub struct NewResponse {
    pub unit_id: i32,
    pub survey_version_id: i32,
    pub service_id: Option<i32>,
    pub channel: String,
    pub created_at: DateTime<Utc>,
    pub local_date: NaiveDate,
    pub answers: String,
    pub respondent: String,
    pub comment: Option<String>,
    pub wait_minutes: Option<i32>,
    pub visits: Option<i32>,
    pub fee_paid: Option<i64>,
    /// A one-time code to spend on this response.
    pub code: Option<String>,
    /// (code, value) of every numeric answer, for the rollups.
    pub numeric: Vec<(String, f64)>,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the one-time code is unknown or already used")]
    CodeRejected,
    #[error("the submission key was used for a different response")]
    KeyReused,
    #[error("database: {0}")]
    Db(String),
    #[error("the response writer has stopped")]
    Closed,
}

type Job = (
    NewResponse,
    Option<Key>,
    oneshot::Sender<Result<i64, WriteError>>,
);

#[derive(Clone)]
pub struct ResponseWriter {
    tx: mpsc::Sender<Job>,
}

impl ResponseWriter {
    /// Starts the writer task on the current runtime.
    pub fn start(db: DatabaseConnection) -> Self {
        let (tx, rx) = mpsc::channel::<Job>(8192);
        tokio::spawn(run(db, rx));
        ResponseWriter { tx }
    }

    pub async fn submit(&self, r: NewResponse) -> Result<i64, WriteError> {
        self.submit_keyed(r, None).await
    }

    /// Stores `r` unless `key` already stored one: then that response's id is the answer.
    pub async fn submit_keyed(&self, r: NewResponse, key: Option<Key>) -> Result<i64, WriteError> {
        let (done, wait) = oneshot::channel();
        self.tx
            .send((r, key, done))
            .await
            .map_err(|_| WriteError::Closed)?;
        wait.await.map_err(|_| WriteError::Closed)?
    }
}

async fn run(db: DatabaseConnection, mut rx: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        crate::meters::response_batch(batch.len());
        match write_with_retries(&db, &batch).await {
            Ok(outcomes) => answer(&mut batch, outcomes),
            // A batch that keeps failing may hold one row the database refuses: write each
            // response on its own, so only that one is refused and its neighbours are stored.
            Err(e) if batch.len() > 1 => {
                tracing::warn!(error = %e, size = batch.len(), "response batch failed; writing its rows one by one");
                for job in batch.drain(..) {
                    let one = [job];
                    let outcome = match write_with_retries(&db, &one).await {
                        Ok(mut o) => o.pop().unwrap_or(Err(WriteError::Closed)),
                        Err(e) => {
                            tracing::error!(error = %e, "a response was refused by the database");
                            Err(WriteError::Db(e.to_string()))
                        }
                    };
                    let [(_, _, done)] = one;
                    let _ = done.send(outcome);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "a response was refused by the database");
                for (_, _, done) in batch.drain(..) {
                    let _ = done.send(Err(WriteError::Db(e.to_string())));
                }
            }
        }
    }
}

fn answer(batch: &mut Vec<Job>, outcomes: Vec<Result<i64, WriteError>>) {
    for ((_, _, done), outcome) in batch.drain(..).zip(outcomes) {
        let _ = done.send(outcome);
    }
}

/// A transient failure (a lock held too long, a dropped connection) is retried a few times;
/// nothing was committed meanwhile.
async fn write_with_retries(
    db: &DatabaseConnection,
    batch: &[Job],
) -> Result<Vec<Result<i64, WriteError>>, DbErr> {
    let mut attempt = 0;
    loop {
        match write_batch(db, batch).await {
            Ok(outcomes) => return Ok(outcomes),
            Err(e) if attempt < 2 => {
                attempt += 1;
                tracing::warn!(error = %e, attempt, size = batch.len(), "response batch failed; retrying");
                tokio::time::sleep(Duration::from_millis(50 * attempt)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

type RollupKey = (i32, NaiveDate, String);

async fn write_batch(
    db: &DatabaseConnection,
    batch: &[Job],
) -> Result<Vec<Result<i64, WriteError>>, DbErr> {
    let txn = crate::store::begin_write(db).await?;
    let mut outcomes: Vec<Result<i64, WriteError>> = Vec::with_capacity(batch.len());
    let mut accepted = Vec::with_capacity(batch.len());
    // Jobs whose key was already taken (earlier, or by a twin in this batch): answered at the
    // end, from what the key's first use created.
    let mut replays = vec![];
    for (i, (r, key, _)) in batch.iter().enumerate() {
        if let Some(k) = key
            && !idempotency::claim(&txn, k, None).await?
        {
            replays.push(i);
            outcomes.push(Err(WriteError::KeyReused));
            continue;
        }
        match &r.code {
            Some(code) if !claim_code(&txn, r.unit_id, code).await? => {
                if let Some(k) = key {
                    idempotency::release(&txn, k).await?;
                }
                outcomes.push(Err(WriteError::CodeRejected))
            }
            _ => {
                accepted.push(i);
                outcomes.push(Ok(0));
            }
        }
    }
    let mut sums: HashMap<RollupKey, (i64, f64, f64)> = HashMap::new();
    // One multi-row INSERT … RETURNING per chunk: the ids come back in VALUES order on both
    // engines (what Django's bulk_create relies on too).
    for chunk in accepted.chunks(64) {
        let models = chunk.iter().map(|&i| model(&batch[i].0));
        let ids = response::Entity::insert_many(models)
            .exec_with_returning_keys(&txn)
            .await?;
        if ids.len() != chunk.len() {
            return Err(DbErr::Custom(format!(
                "{} ids for {} responses",
                ids.len(),
                chunk.len()
            )));
        }
        for (&i, id) in chunk.iter().zip(ids) {
            let r = &batch[i].0;
            if let Some(code) = &r.code {
                entity::survey_code::Entity::update_many()
                    .col_expr(entity::survey_code::Column::ResponseId, Expr::value(id))
                    .filter(entity::survey_code::Column::Code.eq(code.as_str()))
                    .exec(&txn)
                    .await?;
            }
            if let Some(k) = &batch[i].1 {
                idempotency::settle(&txn, k, &id.to_string()).await?;
            }
            add_to(&mut sums, r);
            outcomes[i] = Ok(id);
        }
    }
    for i in replays {
        let Some(k) = &batch[i].1 else { continue };
        outcomes[i] = match idempotency::seen(&txn, k).await? {
            Seen::Same(id) => id.parse().map_err(|_| WriteError::KeyReused),
            Seen::Different => Err(WriteError::KeyReused),
            // Its twin in this batch was refused for its code, and so is this one.
            Seen::New => Err(WriteError::CodeRejected),
        };
    }
    upsert_rollups(&txn, sums).await?;
    txn.commit().await?;
    Ok(outcomes)
}

async fn claim_code(db: &impl ConnectionTrait, unit_id: i32, code: &str) -> Result<bool, DbErr> {
    use entity::survey_code::{Column, Entity};
    let res = Entity::update_many()
        .col_expr(Column::UsedAt, Expr::value(Utc::now()))
        .filter(Column::UnitId.eq(unit_id))
        .filter(Column::Code.eq(code))
        .filter(Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

fn model(r: &NewResponse) -> response::ActiveModel {
    response::ActiveModel {
        unit_id: Set(r.unit_id),
        survey_version_id: Set(r.survey_version_id),
        service_id: Set(r.service_id),
        channel: Set(r.channel.clone()),
        created_at: Set(r.created_at),
        local_date: Set(r.local_date),
        answers: Set(r.answers.clone()),
        respondent: Set(r.respondent.clone()),
        comment: Set(r.comment.clone()),
        wait_minutes: Set(r.wait_minutes),
        visits: Set(r.visits),
        fee_paid: Set(r.fee_paid),
        code_id: Set(None),
        ..Default::default()
    }
}

fn add_to(sums: &mut HashMap<RollupKey, (i64, f64, f64)>, r: &NewResponse) {
    let mut add = |code: &str, v: f64| {
        let e = sums
            .entry((r.unit_id, r.local_date, code.to_string()))
            .or_insert((0, 0.0, 0.0));
        e.0 += 1;
        e.1 += v;
        e.2 += v * v;
    };
    add(RESPONSES_CODE, 1.0);
    add(&channel_code(&r.channel), 1.0);
    for (code, v) in &r.numeric {
        add(code, *v);
    }
}

/// Σn, Σx, Σx² per code over a unit and an inclusive date range.
pub async fn sums(
    db: &impl ConnectionTrait,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<String, (i64, f64, f64)>, DbErr> {
    use rollup_unit_day::Column as C;
    let rows: Vec<(String, i64, f64, f64)> = rollup_unit_day::Entity::find()
        .select_only()
        .column(C::Code)
        .column_as(Expr::cust("CAST(SUM(n) AS BIGINT)"), "n")
        .column_as(Expr::cust("CAST(SUM(sum) AS DOUBLE PRECISION)"), "s")
        .column_as(Expr::cust("CAST(SUM(sumsq) AS DOUBLE PRECISION)"), "ss")
        .filter(C::UnitId.eq(unit_id))
        .filter(C::LocalDate.gte(from))
        .filter(C::LocalDate.lte(to))
        .group_by(C::Code)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(c, n, s, ss)| (c, (n, s, ss)))
        .collect())
}

pub async fn count_for_unit(db: &impl ConnectionTrait, unit_id: i32) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    response::Entity::find()
        .filter(response::Column::UnitId.eq(unit_id))
        .count(db)
        .await
}

/// A stored answers (or profile) JSON object as answers: whole numbers, booleans, strings and
/// lists of strings; anything else (a fraction, an object, null) is left out, and text that is
/// not a JSON object reads as no answers. Parsed straight into answers, without a JSON tree in
/// between: an export reads a million of these.
pub fn stored_answers(
    json: &str,
) -> std::collections::BTreeMap<String, crate::domain::survey::Answer> {
    let raw: std::collections::BTreeMap<String, StoredAnswer> =
        serde_json::from_str(json).unwrap_or_default();
    raw.into_iter()
        .filter_map(|(k, v)| v.0.map(|a| (k, a)))
        .collect()
}

/// One stored answer, `None` when of a kind `stored_answers` leaves out.
struct StoredAnswer(Option<crate::domain::survey::Answer>);

impl<'de> serde::Deserialize<'de> for StoredAnswer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use crate::domain::survey::Answer;
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StoredAnswer;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an answer")
            }
            fn visit_i64<E>(self, v: i64) -> Result<StoredAnswer, E> {
                Ok(StoredAnswer(Some(Answer::Int(v))))
            }
            fn visit_u64<E>(self, v: u64) -> Result<StoredAnswer, E> {
                Ok(StoredAnswer(i64::try_from(v).ok().map(Answer::Int)))
            }
            fn visit_f64<E>(self, _: f64) -> Result<StoredAnswer, E> {
                Ok(StoredAnswer(None))
            }
            fn visit_bool<E>(self, v: bool) -> Result<StoredAnswer, E> {
                Ok(StoredAnswer(Some(Answer::Bool(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<StoredAnswer, E> {
                Ok(StoredAnswer(Some(Answer::Str(v.to_string()))))
            }
            fn visit_unit<E>(self) -> Result<StoredAnswer, E> {
                Ok(StoredAnswer(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StoredAnswer, A::Error> {
                // Only the strings of a list count (as before: a list's other items never did).
                let mut items = vec![];
                while let Some(v) = seq.next_element::<serde_json::Value>()? {
                    if let serde_json::Value::String(s) = v {
                        items.push(s);
                    }
                }
                Ok(StoredAnswer(Some(Answer::List(items))))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StoredAnswer, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(StoredAnswer(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// Recomputes both rollup tables from the stored responses and complaints, one unit at a time (so memory stays
/// small), each unit in its own transaction. Returns the number of responses read.
pub async fn rebuild_rollups(
    db: &DatabaseConnection,
    mut progress: impl FnMut(u64),
) -> Result<u64, DbErr> {
    use crate::domain::survey::{Standard, derived_signals, profile_counts};
    use sea_orm::{QueryOrder, TransactionTrait};
    let versions: HashMap<i32, crate::domain::survey::Definition> =
        entity::survey_version::Entity::find()
            .all(db)
            .await?
            .iter()
            .filter_map(|v| {
                crate::store::surveys::parse_definition(v)
                    .ok()
                    .map(|d| (v.id, d))
            })
            .collect();
    let services: HashMap<i32, entity::service::Model> = entity::service::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let units: Vec<i32> = entity::unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    // Responses before a retention horizon are gone: their cells are the only record left,
    // so those are kept and only the days from the horizon on are recomputed. (The horizon is
    // a first of the month, so no month is half kept.)
    let since = crate::store::response_retention::kept_since(db).await?;
    let mut total = 0;
    for unit in units {
        let txn = db.begin().await?;
        let mut days =
            rollup_unit_day::Entity::delete_many().filter(rollup_unit_day::Column::UnitId.eq(unit));
        let mut months = entity::rollup_unit_month::Entity::delete_many()
            .filter(entity::rollup_unit_month::Column::UnitId.eq(unit));
        if let Some(d) = since {
            use chrono::Datelike;
            days = days.filter(rollup_unit_day::Column::LocalDate.gte(d));
            let month = format!("{:04}-{:02}", d.year(), d.month());
            months = months.filter(entity::rollup_unit_month::Column::Month.gte(month));
        }
        days.exec(&txn).await?;
        months.exec(&txn).await?;
        let mut sums: HashMap<RollupKey, (i64, f64, f64)> = HashMap::new();
        let mut last = 0i64;
        loop {
            let mut q = response::Entity::find()
                .filter(response::Column::UnitId.eq(unit))
                .filter(response::Column::Id.gt(last));
            if let Some(d) = since {
                // On SQLite a removal cut short may have left a few older rows.
                q = q.filter(response::Column::LocalDate.gte(d));
            }
            let page = q
                .order_by_asc(response::Column::Id)
                .limit(5000)
                .all(&txn)
                .await?;
            let Some(l) = page.last() else { break };
            last = l.id;
            for r in &page {
                let answers = stored_answers(&r.answers);
                let profile = stored_answers(&r.respondent);
                let mut numeric: Vec<(String, f64)> = answers
                    .iter()
                    .filter_map(|(k, a)| a.numeric().map(|v| (k.clone(), v)))
                    .collect();
                if let Some(def) = versions.get(&r.survey_version_id) {
                    let s = r.service_id.and_then(|id| services.get(&id));
                    let std = Standard {
                        minutes: s.and_then(|s| s.standard_minutes),
                        fee_rupiah: s.map(|s| s.fee_rupiah),
                    };
                    numeric.extend(derived_signals(def, &answers, std));
                }
                numeric.extend(profile_counts(&profile));
                let nr = NewResponse {
                    unit_id: r.unit_id,
                    survey_version_id: r.survey_version_id,
                    service_id: r.service_id,
                    channel: r.channel.clone(),
                    created_at: r.created_at,
                    local_date: r.local_date,
                    answers: String::new(),
                    respondent: String::new(),
                    comment: None,
                    wait_minutes: None,
                    visits: None,
                    fee_paid: None,
                    code: None,
                    numeric,
                };
                add_to(&mut sums, &nr);
            }
            total += page.len() as u64;
            progress(total);
        }
        for (k, (n, s, ss)) in crate::store::complaint_rollups::cells_of_unit(&txn, unit).await? {
            if since.is_some_and(|d| k.1 < d) {
                continue;
            }
            let e = sums.entry(k).or_default();
            e.0 += n;
            e.1 += s;
            e.2 += ss;
        }
        upsert_rollups(&txn, sums).await?;
        // The summaries are rewritten from the monthly cells just written, not added to.
        crate::store::summaries::rebuild_unit(&txn, unit).await?;
        txn.commit().await?;
    }
    Ok(total)
}

#[cfg(test)]
mod stored_answers_tests {
    use std::collections::BTreeMap;

    use super::stored_answers;
    use crate::domain::survey::Answer;

    /// What `stored_answers` did through a JSON tree, kept to compare against.
    fn through_a_tree(json: &str) -> BTreeMap<String, Answer> {
        let raw: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(json).unwrap_or_default();
        raw.into_iter()
            .filter_map(|(k, v)| {
                let a = match v {
                    serde_json::Value::Number(n) => Answer::Int(n.as_i64()?),
                    serde_json::Value::Bool(b) => Answer::Bool(b),
                    serde_json::Value::String(s) => Answer::Str(s),
                    serde_json::Value::Array(a) => Answer::List(
                        a.into_iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect(),
                    ),
                    _ => return None,
                };
                Some((k, a))
            })
            .collect()
    }

    #[test]
    fn the_same_answers_as_through_a_tree() {
        for json in [
            r#"{"U1":4,"U2":-3,"WAIT_MIN":95,"big":18446744073709551615,"frac":2.5,"e":1e3}"#,
            r#"{"ok":true,"no":false,"s":"a\tb \"q\" \\ \u00e9","nil":null,"obj":{"x":[1,{"y":2}]}}"#,
            r#"{"list":["a",1,"b",null,["c"],{"d":1}],"empty":[],"dup":1,"dup":2.5}"#,
            r#"{"dup":"x","dup":7}"#,
            r#"[1,2]"#,
            r#""text""#,
            r#"{"cut":"#,
            "",
        ] {
            assert_eq!(stored_answers(json), through_a_tree(json), "{json}");
        }
        assert_eq!(
            stored_answers(r#"{"U1":4,"frac":2.5,"s":"x"}"#),
            BTreeMap::from([
                ("U1".to_string(), Answer::Int(4)),
                ("s".to_string(), Answer::Str("x".into()))
            ])
        );
    }
}
