//! Employees (ASN) of units and the learning records that count their JP.
use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use entity::{employee, learning_record};
use sea_orm::sea_query::{Alias, Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

pub async fn by_unit(
    db: &impl ConnectionTrait,
    unit_id: i32,
    include_archived: bool,
) -> Result<Vec<employee::Model>, DbErr> {
    let mut q = employee::Entity::find()
        .filter(employee::Column::UnitId.eq(unit_id))
        .order_by_asc(employee::Column::Name);
    if !include_archived {
        q = q.filter(employee::Column::ArchivedAt.is_null());
    }
    q.all(db).await
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<employee::Model>, DbErr> {
    employee::Entity::find_by_id(id).one(db).await
}

pub async fn by_nip(
    db: &impl ConnectionTrait,
    nip: &str,
) -> Result<Option<employee::Model>, DbErr> {
    employee::Entity::find()
        .filter(employee::Column::Nip.eq(nip))
        .one(db)
        .await
}

/// Employee ids by NIP, for the NIPs given.
pub async fn ids_by_nip(
    db: &impl ConnectionTrait,
    nips: &[String],
) -> Result<HashMap<String, i32>, DbErr> {
    let mut out = HashMap::new();
    for chunk in nips.chunks(500) {
        let rows: Vec<(i32, String)> = employee::Entity::find()
            .select_only()
            .column(employee::Column::Id)
            .column(employee::Column::Nip)
            .filter(employee::Column::Nip.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.into_iter().map(|(id, nip)| (nip, id)));
    }
    Ok(out)
}

pub async fn insert(
    db: &impl ConnectionTrait,
    m: employee::ActiveModel,
) -> Result<employee::Model, DbErr> {
    m.insert(db).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    m: employee::ActiveModel,
) -> Result<employee::Model, DbErr> {
    m.update(db).await
}

/// One learning record as imported.
pub struct NewRecord {
    pub key: String,
    pub nip: String,
    pub employee_id: Option<i32>,
    pub course: String,
    pub programme_code: Option<String>,
    pub jp: Option<i32>,
    pub completed_on: NaiveDate,
    pub source: &'static str,
}

/// Inserts the records not stored before (by key); how many were new.
pub async fn insert_records(db: &impl ConnectionTrait, rows: &[NewRecord]) -> Result<u64, DbErr> {
    let now = Utc::now();
    let mut stored = 0;
    for chunk in rows.chunks(500) {
        let mut q = Query::insert();
        q.into_table(Alias::new("learning_records")).columns(
            [
                "record_key",
                "nip",
                "employee_id",
                "course",
                "programme_code",
                "jp",
                "completed_on",
                "source",
                "created_at",
            ]
            .map(Alias::new),
        );
        for r in chunk {
            q.values_panic([
                r.key.as_str().into(),
                r.nip.as_str().into(),
                r.employee_id.into(),
                r.course.as_str().into(),
                r.programme_code.clone().into(),
                r.jp.into(),
                r.completed_on.into(),
                r.source.into(),
                now.into(),
            ]);
        }
        q.on_conflict(
            OnConflict::column(Alias::new("record_key"))
                .do_nothing()
                .to_owned(),
        );
        stored += db.execute(&q).await?.rows_affected();
    }
    Ok(stored)
}

/// JP done per employee over [from, to] (mapped records only).
pub async fn jp_done(
    db: &impl ConnectionTrait,
    employee_ids: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<i32, i64>, DbErr> {
    use learning_record::Column as C;
    let rows: Vec<(Option<i32>, Option<i64>)> = learning_record::Entity::find()
        .select_only()
        .column(C::EmployeeId)
        .column_as(Expr::cust("CAST(SUM(jp) AS BIGINT)"), "jp")
        .filter(C::EmployeeId.is_in(employee_ids.iter().copied()))
        .filter(C::CompletedOn.gte(from))
        .filter(C::CompletedOn.lte(to))
        .group_by(C::EmployeeId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(e, jp)| Some((e?, jp.unwrap_or(0))))
        .collect())
}

/// The records of these employees over [from, to], by date.
pub async fn records(
    db: &impl ConnectionTrait,
    employee_ids: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<learning_record::Model>, DbErr> {
    use learning_record::Column as C;
    learning_record::Entity::find()
        .filter(C::EmployeeId.is_in(employee_ids.iter().copied()))
        .filter(C::CompletedOn.gte(from))
        .filter(C::CompletedOn.lte(to))
        .order_by_asc(C::CompletedOn)
        .all(db)
        .await
}

/// Records a planner still has to map: an unknown NIP or an activity without JP.
pub async fn unmapped(db: &impl ConnectionTrait) -> Result<Vec<learning_record::Model>, DbErr> {
    use learning_record::Column as C;
    learning_record::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(C::EmployeeId.is_null())
                .add(C::Jp.is_null()),
        )
        .order_by_desc(C::CreatedAt)
        .limit(1000)
        .all(db)
        .await
}

/// Links records waiting for this NIP to its (new) employee.
pub async fn claim_records(
    db: &impl ConnectionTrait,
    nip: &str,
    employee_id: i32,
) -> Result<(), DbErr> {
    learning_record::Entity::update_many()
        .col_expr(
            learning_record::Column::EmployeeId,
            Expr::value(employee_id),
        )
        .filter(learning_record::Column::Nip.eq(nip))
        .filter(learning_record::Column::EmployeeId.is_null())
        .exec(db)
        .await?;
    Ok(())
}

pub fn new_employee(
    unit_id: i32,
    nip: &str,
    name: &str,
    position: &str,
    kind: &str,
    email: Option<String>,
) -> employee::ActiveModel {
    let now = Utc::now();
    employee::ActiveModel {
        unit_id: Set(unit_id),
        nip: Set(nip.to_string()),
        name: Set(name.to_string()),
        position: Set(position.to_string()),
        competency_kind: Set(kind.to_string()),
        email: Set(email),
        archived_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}
