//! Complaints, their audit log, attachments, categories and the holiday calendar.
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{complaint, complaint_attachment, complaint_category, complaint_event, holiday};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::calendar::{Calendar, SEED_HOLIDAYS};
use crate::domain::complaint::{Deadlines, Status, tracking_id};

/// (code, Bahasa Indonesia, English, working days to resolve)
pub const DEFAULT_CATEGORIES: &[(&str, &str, &str, i32)] = &[
    (
        "waktu_tunggu",
        "Waktu tunggu terlalu lama",
        "Waiting too long",
        5,
    ),
    (
        "prosedur",
        "Prosedur rumit / persyaratan tidak jelas",
        "Complicated procedure, unclear requirements",
        14,
    ),
    (
        "perilaku_petugas",
        "Perilaku petugas",
        "Staff behaviour",
        14,
    ),
    (
        "kompetensi_petugas",
        "Kompetensi petugas",
        "Staff competence",
        14,
    ),
    (
        "biaya_pungli",
        "Biaya tidak sesuai / pungutan liar",
        "Fees, illegal levies",
        14,
    ),
    ("sarana_prasarana", "Sarana dan prasarana", "Facilities", 14),
    (
        "sistem_aplikasi",
        "Sistem atau aplikasi tidak berfungsi",
        "System or application down",
        5,
    ),
    (
        "informasi",
        "Informasi tidak jelas",
        "Unclear information",
        5,
    ),
    (
        "korupsi",
        "Korupsi / gratifikasi",
        "Corruption, gratification",
        60,
    ),
    ("lainnya", "Lainnya", "Other", 14),
];

pub async fn ensure_defaults(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    if complaint_category::Entity::find().count(db).await? == 0 {
        for (i, (code, id, en, days)) in DEFAULT_CATEGORIES.iter().enumerate() {
            complaint_category::ActiveModel {
                code: Set(code.to_string()),
                name_id: Set(id.to_string()),
                name_en: Set(en.to_string()),
                resolve_days: Set(*days),
                sort: Set(i as i32),
                active: Set(true),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    if holiday::Entity::find().count(db).await? == 0 {
        for (date, name, kind) in SEED_HOLIDAYS {
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|e| DbErr::Custom(e.to_string()))?;
            holiday::ActiveModel {
                date: Set(date),
                name: Set(name.to_string()),
                kind: Set(kind.to_string()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

pub async fn categories(
    db: &impl ConnectionTrait,
) -> Result<Vec<complaint_category::Model>, DbErr> {
    complaint_category::Entity::find()
        .filter(complaint_category::Column::Active.eq(true))
        .order_by_asc(complaint_category::Column::Sort)
        .all(db)
        .await
}

pub async fn all_categories(
    db: &impl ConnectionTrait,
) -> Result<HashMap<i32, complaint_category::Model>, DbErr> {
    Ok(complaint_category::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

pub async fn calendar(db: &impl ConnectionTrait) -> Result<Calendar, DbErr> {
    Ok(Calendar::new(
        holidays(db).await?.into_iter().map(|h| h.date),
    ))
}

pub async fn holidays(db: &impl ConnectionTrait) -> Result<Vec<holiday::Model>, DbErr> {
    holiday::Entity::find()
        .order_by_asc(holiday::Column::Date)
        .all(db)
        .await
}

pub async fn set_holiday(
    db: &impl ConnectionTrait,
    date: NaiveDate,
    name: &str,
    kind: &str,
) -> Result<(), DbErr> {
    match holiday::Entity::find()
        .filter(holiday::Column::Date.eq(date))
        .one(db)
        .await?
    {
        Some(h) => {
            let mut m = h.into_active_model();
            m.name = Set(name.to_string());
            m.kind = Set(kind.to_string());
            m.update(db).await?;
        }
        None => {
            holiday::ActiveModel {
                date: Set(date),
                name: Set(name.to_string()),
                kind: Set(kind.to_string()),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

pub async fn delete_holiday(db: &impl ConnectionTrait, date: NaiveDate) -> Result<bool, DbErr> {
    Ok(holiday::Entity::delete_many()
        .filter(holiday::Column::Date.eq(date))
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

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

fn parse_status(s: &str) -> Result<Status, DbErr> {
    Status::parse(s).ok_or_else(|| DbErr::Type(format!("unknown complaint status {s:?}")))
}

/// A complaint as read from the database, once its status is known to be one of ours.
fn checked(c: complaint::Model) -> Result<complaint::Model, DbErr> {
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

pub struct Event<'a> {
    pub complaint_id: i32,
    pub actor_user_id: Option<i32>,
    pub actor_label: &'a str,
    pub kind: &'a str,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub body: Option<&'a str>,
    pub public: bool,
}

pub async fn add_event(db: &impl ConnectionTrait, e: Event<'_>) -> Result<(), DbErr> {
    complaint_event::ActiveModel {
        complaint_id: Set(e.complaint_id),
        at: Set(Utc::now()),
        actor_user_id: Set(e.actor_user_id),
        actor_label: Set(e.actor_label.to_string()),
        kind: Set(e.kind.to_string()),
        from_status: Set(e.from_status.map(|s| s.as_str().to_string())),
        to_status: Set(e.to_status.map(|s| s.as_str().to_string())),
        body: Set(e.body.map(str::to_string)),
        public: Set(e.public),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn events(
    db: &impl ConnectionTrait,
    complaint_id: i32,
) -> Result<Vec<complaint_event::Model>, DbErr> {
    complaint_event::Entity::find()
        .filter(complaint_event::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(complaint_event::Column::Id)
        .all(db)
        .await
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

pub async fn add_attachment(
    db: &impl ConnectionTrait,
    complaint_id: i32,
    filename: &str,
    content_type: &str,
    size: i64,
    stored_name: &str,
) -> Result<(), DbErr> {
    complaint_attachment::ActiveModel {
        complaint_id: Set(complaint_id),
        filename: Set(filename.to_string()),
        content_type: Set(content_type.to_string()),
        size: Set(size),
        stored_name: Set(stored_name.to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn attachments(
    db: &impl ConnectionTrait,
    complaint_id: i32,
) -> Result<Vec<complaint_attachment::Model>, DbErr> {
    complaint_attachment::Entity::find()
        .filter(complaint_attachment::Column::ComplaintId.eq(complaint_id))
        .order_by_asc(complaint_attachment::Column::Id)
        .all(db)
        .await
}

#[derive(Debug, Default, Clone)]
pub struct QueueFilter {
    /// `None`: every unit the caller may see is already in `units`.
    pub units: Option<Vec<i32>>,
    /// `None`: open work, i.e. every status but closed, rejected and duplicate.
    pub statuses: Option<Vec<Status>>,
    pub category_id: Option<i32>,
    pub kind: Option<String>,
    /// Only complaints whose next deadline is before this day (WIB).
    pub overdue_on: Option<NaiveDate>,
}

/// The next deadline of a complaint, as SQL: what `domain::complaint::next_deadline` computes,
/// so the database can filter, sort and page by it. Dates compare as dates on PostgreSQL and as
/// ISO text on SQLite.
pub(crate) const NEXT_DEADLINE: &str = "CASE \
    WHEN status = 'received' THEN due_verify \
    WHEN status IN ('verified', 'in_progress', 'reopened') AND first_response_at IS NULL \
        AND due_first_response < due_resolve THEN due_first_response \
    WHEN status IN ('verified', 'in_progress', 'reopened') THEN due_resolve \
    END";

fn queue_query(f: &QueueFilter) -> sea_orm::Select<complaint::Entity> {
    let mut q = complaint::Entity::find();
    if let Some(units) = &f.units {
        q = q.filter(complaint::Column::UnitId.is_in(units.clone()));
    }
    let statuses: Vec<&str> = match &f.statuses {
        Some(s) => s.iter().map(|s| s.as_str()).collect(),
        None => Status::ALL
            .iter()
            .filter(|s| !s.is_closed())
            .map(|s| s.as_str())
            .collect(),
    };
    q = q.filter(complaint::Column::Status.is_in(statuses));
    if let Some(c) = f.category_id {
        q = q.filter(complaint::Column::CategoryId.eq(c));
    }
    if let Some(k) = &f.kind {
        q = q.filter(complaint::Column::Kind.eq(k.as_str()));
    }
    if let Some(day) = f.overdue_on {
        // A formatted date, not user text: safe to inline, and typed by the comparison.
        q = q.filter(Expr::cust(format!(
            "({NEXT_DEADLINE}) < '{}'",
            day.format("%Y-%m-%d")
        )));
    }
    q
}

/// One page of the complaints matching the filter, by next deadline (earliest, so overdue,
/// first; those without one last), and how many match in all.
pub async fn queue(
    db: &impl ConnectionTrait,
    f: &QueueFilter,
    page: u64,
    size: u64,
) -> Result<(Vec<complaint::Model>, u64), DbErr> {
    let total = queue_query(f).count(db).await?;
    let rows = queue_query(f)
        .order_by(Expr::cust(format!("({NEXT_DEADLINE}) IS NULL")), Order::Asc)
        .order_by(Expr::cust(NEXT_DEADLINE), Order::Asc)
        .order_by_asc(complaint::Column::Id)
        .offset(page.saturating_sub(1) * size)
        .limit(size)
        .all(db)
        .await?
        .into_iter()
        .map(checked)
        .collect::<Result<_, _>>()?;
    Ok((rows, total))
}

/// Open complaints of `units` whose next deadline is on or before `until` (WIB), earliest
/// first: what a unit has to act on by then, overdue work included.
pub async fn due_by(
    db: &impl ConnectionTrait,
    units: &[i32],
    until: NaiveDate,
) -> Result<Vec<complaint::Model>, DbErr> {
    if units.is_empty() {
        return Ok(vec![]);
    }
    let f = QueueFilter {
        units: Some(units.to_vec()),
        ..Default::default()
    };
    queue_query(&f)
        // A formatted date, not user text: safe to inline, and typed by the comparison.
        .filter(Expr::cust(format!(
            "({NEXT_DEADLINE}) <= '{}'",
            until.format("%Y-%m-%d")
        )))
        .order_by(Expr::cust(NEXT_DEADLINE), Order::Asc)
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(checked)
        .collect()
}

/// Complaints per status within the caller's units.
pub async fn counts(
    db: &impl ConnectionTrait,
    units: Option<&[i32]>,
) -> Result<HashMap<Status, i64>, DbErr> {
    let mut q = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::Status)
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .group_by(complaint::Column::Status);
    if let Some(u) = units {
        q = q.filter(complaint::Column::UnitId.is_in(u.to_vec()));
    }
    let rows: Vec<(String, i64)> = q.into_tuple().all(db).await?;
    rows.into_iter()
        .map(|(s, n)| Ok((parse_status(&s)?, n)))
        .collect()
}

/// Resolved complaints whose reopen window ended before `cutoff_resolved_on`.
pub async fn resolved_before(
    db: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
) -> Result<Vec<complaint::Model>, DbErr> {
    complaint::Entity::find()
        .filter(complaint::Column::Status.eq(Status::Resolved.as_str()))
        .filter(complaint::Column::ResolvedAt.lt(cutoff))
        .all(db)
        .await?
        .into_iter()
        .map(checked)
        .collect()
}

/// Complaints that may be duplicates of `c`: same unit and category, filed within `days` days
/// before or after it, still open (not closed, rejected or a duplicate), not `c` itself.
pub async fn duplicate_candidates(
    db: &impl ConnectionTrait,
    c: &complaint::Model,
    days: i64,
) -> Result<Vec<complaint::Model>, DbErr> {
    let span = chrono::Duration::days(days);
    let open: Vec<&str> = Status::ALL
        .iter()
        .filter(|s| !s.is_closed())
        .map(|s| s.as_str())
        .collect();
    complaint::Entity::find()
        .filter(complaint::Column::UnitId.eq(c.unit_id))
        .filter(complaint::Column::CategoryId.eq(c.category_id))
        .filter(complaint::Column::Id.ne(c.id))
        .filter(complaint::Column::CreatedAt.gte(c.created_at - span))
        .filter(complaint::Column::CreatedAt.lte(c.created_at + span))
        .filter(complaint::Column::Status.is_in(open))
        .order_by_asc(complaint::Column::Id)
        .limit(500)
        .all(db)
        .await?
        .into_iter()
        .map(checked)
        .collect()
}

/// The tracking IDs of the complaints marked as duplicates of complaint `id`.
pub async fn duplicates_of(db: &impl ConnectionTrait, id: i32) -> Result<Vec<String>, DbErr> {
    Ok(complaint::Entity::find()
        .filter(complaint::Column::DuplicateOf.eq(id))
        .order_by_asc(complaint::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.tracking_id)
        .collect())
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
