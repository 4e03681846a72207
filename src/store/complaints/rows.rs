//! A complaint's own row: filed with a fresh tracking ID, read back with its status checked,
//! and saved with its rollup cells moved in the same transaction.
use chrono::{DateTime, NaiveDate, Utc};
use entity::complaint;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Set,
};

use crate::domain::complaint::{Deadlines, Status, tracking_id};

pub struct NewComplaint {
    pub unit_id: i32,
    pub service_id: Option<i32>,
    pub kind: String,
    pub category_id: i32,
    pub description: String,
    pub incident_date: Option<NaiveDate>,
    pub wait_minutes: Option<i32>,
    pub visits: Option<i32>,
    pub fee_paid: Option<i64>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub anonim: bool,
    pub rahasia: bool,
    pub lang: String,
    pub deadlines: Deadlines,
    pub now: DateTime<Utc>,
    /// Where it came in (see [`crate::domain::complaint::CHANNELS`]).
    pub channel: String,
    /// A chat number for status news, only when the citizen asked for it.
    pub reply_to: Option<String>,
    /// How the citizen hears back (`email`, `whatsapp`, `sms`), if at all.
    pub notify_via: Option<String>,
}

/// Inserts with a fresh tracking ID, drawing again in the (rare) case it is taken.
pub async fn create(db: &impl ConnectionTrait, n: NewComplaint) -> Result<complaint::Model, DbErr> {
    for _ in 0..5 {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| DbErr::Custom(e.to_string()))?;
        let id = tracking_id(random);
        if by_tracking_id(db, &id).await?.is_some() {
            continue;
        }
        let m = complaint::ActiveModel {
            tracking_id: Set(id),
            unit_id: Set(n.unit_id),
            service_id: Set(n.service_id),
            kind: Set(n.kind.clone()),
            category_id: Set(n.category_id),
            description: Set(n.description.clone()),
            incident_date: Set(n.incident_date),
            wait_minutes: Set(n.wait_minutes),
            visits: Set(n.visits),
            fee_paid: Set(n.fee_paid),
            contact_name: Set(n.contact_name.clone()),
            contact_email: Set(n.contact_email.clone()),
            contact_phone: Set(n.contact_phone.clone()),
            anonim: Set(n.anonim),
            rahasia: Set(n.rahasia),
            lang: Set(n.lang.clone()),
            status: Set(Status::Received.as_str().into()),
            priority: Set("normal".into()),
            created_at: Set(n.now),
            updated_at: Set(n.now),
            reopen_count: Set(0),
            due_verify: Set(n.deadlines.verify),
            due_first_response: Set(n.deadlines.first_response),
            due_resolve: Set(n.deadlines.resolve),
            channel: Set(n.channel.clone()),
            reply_to: Set(n.reply_to.clone()),
            notify_via: Set(n.notify_via.clone()),
            ..Default::default()
        };
        let c = checked(m.insert(db).await?)?;
        crate::store::complaint_rollups::apply(db, None, Some(&c)).await?;
        return Ok(c);
    }
    Err(DbErr::Custom("could not draw a free tracking ID".into()))
}

/// The status of a stored complaint. The column is text; a value no `Status` spells is an
/// error, never quietly read as some other status.
pub fn status(c: &complaint::Model) -> Result<Status, DbErr> {
    parse_status(&c.status)
}

pub(super) fn parse_status(s: &str) -> Result<Status, DbErr> {
    Status::parse(s).ok_or_else(|| DbErr::Type(format!("unknown complaint status {s:?}")))
}

/// A complaint as read from the database, once its status is known to be one of ours.
pub(super) fn checked(c: complaint::Model) -> Result<complaint::Model, DbErr> {
    status(&c)?;
    Ok(c)
}

pub async fn by_tracking_id(
    db: &impl ConnectionTrait,
    id: &str,
) -> Result<Option<complaint::Model>, DbErr> {
    complaint::Entity::find()
        .filter(complaint::Column::TrackingId.eq(id))
        .one(db)
        .await?
        .map(checked)
        .transpose()
}

pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<complaint::Model>, DbErr> {
    complaint::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(checked)
        .transpose()
}

/// Updates a complaint and moves its rollup cells. The row is read again inside the caller's
/// write transaction (locked on PostgreSQL; a SQLite write transaction is exclusive), so the
/// cells taken away are exactly the ones that were added, whatever the caller read earlier.
pub async fn save(
    db: &impl ConnectionTrait,
    m: complaint::ActiveModel,
) -> Result<complaint::Model, DbErr> {
    let id =
        m.id.clone()
            .take()
            .ok_or_else(|| DbErr::Custom("complaint update without an id".into()))?;
    let old = complaint::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("complaint {id}")))?;
    let new = checked(m.update(db).await?)?;
    crate::store::complaint_rollups::apply(db, Some(&old), Some(&new)).await?;
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_stored_status_is_an_error() {
        assert_eq!(parse_status("in_progress").unwrap(), Status::InProgress);
        assert!(matches!(parse_status("lost"), Err(DbErr::Type(m)) if m.contains("\"lost\"")));
        assert!(matches!(parse_status(""), Err(DbErr::Type(_))));
    }
}
