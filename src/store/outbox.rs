//! The transactional outbox: messages are rows written with the change that caused them, and
//! a worker sends them. A row is claimed with a lease just before it is sent, and the send is
//! bounded well inside the lease, so several processes never send one twice.
//!
//! Personal data expires ([`crate::domain::retention`]): a row still unsent a retention period
//! after it was written is given up (never claimed again), and a delivered or given-up row
//! has its address, subject, bodies and error erased a period later. The row itself stays, with
//! its transport, kind, timestamps and attempts, for the metrics and the record.
use chrono::{DateTime, Duration, Utc};
use entity::outbox;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: &str,
    to: &str,
    subject: &str,
    body_text: &str,
    body_html: &str,
) -> Result<(), DbErr> {
    enqueue_news(
        db,
        "email",
        kind,
        to,
        (subject, body_text, body_html),
        Carries::default(),
    )
    .await
}

/// A chat reply (`transport` e.g. `sms`) to `to`, sent by the same worker as e-mail.
pub async fn enqueue_chat(
    db: &impl ConnectionTrait,
    transport: &str,
    to: &str,
    text: &str,
) -> Result<(), DbErr> {
    enqueue_news(
        db,
        transport,
        "chat_reply",
        to,
        ("", text, ""),
        Carries::default(),
    )
    .await
}

/// What a message carries besides its text: the complaint history entry whose news it is (so
/// the history can say whether it arrived), and a WhatsApp template to send instead of text.
#[derive(Debug, Default, Clone)]
pub struct Carries {
    pub complaint_event_id: Option<i64>,
    /// `{"name", "language", "params"}` as JSON.
    pub template: Option<String>,
}

/// A complaint's news to its citizen: an e-mail (`transport` `email`, with subject and bodies)
/// or a chat message (`sms`/`whatsapp`, the text in `body_text`).
pub async fn enqueue_news(
    db: &impl ConnectionTrait,
    transport: &str,
    kind: &str,
    to: &str,
    (subject, body_text, body_html): (&str, &str, &str),
    carries: Carries,
) -> Result<(), DbErr> {
    let now = Utc::now();
    outbox::ActiveModel {
        transport: Set(transport.to_string()),
        kind: Set(kind.to_string()),
        to_addr: Set(to.to_string()),
        subject: Set(subject.to_string()),
        body_text: Set(body_text.to_string()),
        body_html: Set(body_html.to_string()),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        complaint_event_id: Set(carries.complaint_event_id),
        template: Set(carries.template),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// How the news of each of these history entries fared: (entry, row) for every message that
/// carries one.
pub async fn for_events(
    db: &impl ConnectionTrait,
    event_ids: &[i64],
) -> Result<Vec<outbox::Model>, DbErr> {
    if event_ids.is_empty() {
        return Ok(vec![]);
    }
    outbox::Entity::find()
        .filter(outbox::Column::ComplaintEventId.is_in(event_ids.iter().copied()))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await
}

/// The oldest due message, now leased to this process for `lease`; `None` when nothing is due
/// or every due message is leased elsewhere. One at a time, claimed right before it is sent, so
/// the lease only has to outlast one send (bounded by the caller), never a whole batch.
pub async fn claim_next(
    db: &impl ConnectionTrait,
    lease: std::time::Duration,
) -> Result<Option<outbox::Model>, DbErr> {
    let now = Utc::now();
    let free = Condition::any()
        .add(outbox::Column::LockedUntil.is_null())
        .add(outbox::Column::LockedUntil.lt(now));
    // A row given up (and so erased later) is never sent.
    let live = Condition::all()
        .add(outbox::Column::GaveUpAt.is_null())
        .add(outbox::Column::ErasedAt.is_null());
    // A few candidates, so a process that loses the race for the first takes the next.
    let candidates = outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(free.clone())
        .filter(live.clone())
        .order_by_asc(outbox::Column::Id)
        .limit(8)
        .all(db)
        .await?;
    let until = now + Duration::from_std(lease).unwrap_or(Duration::minutes(2));
    for m in candidates {
        // The condition is re-checked by the UPDATE itself: of two processes only one matches.
        let res = outbox::Entity::update_many()
            .col_expr(outbox::Column::LockedUntil, Expr::value(until))
            .filter(outbox::Column::Id.eq(m.id))
            .filter(outbox::Column::SentAt.is_null())
            .filter(free.clone())
            .filter(live.clone())
            .exec(db)
            .await?;
        if res.rows_affected == 1 {
            return Ok(Some(m));
        }
    }
    Ok(None)
}

pub async fn mark_sent(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    let now = Utc::now();
    outbox::Entity::update_many()
        .col_expr(outbox::Column::SentAt, Expr::value(now))
        .col_expr(outbox::Column::LastAttemptAt, Expr::value(now))
        .col_expr(
            outbox::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        // An error from an earlier attempt no longer describes a sent message.
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(outbox::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn mark_failed(
    db: &impl ConnectionTrait,
    m: &outbox::Model,
    retry_at: DateTime<Utc>,
    error: &str,
) -> Result<(), DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::value(m.attempts + 1))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(retry_at))
        .col_expr(outbox::Column::LastAttemptAt, Expr::value(Utc::now()))
        .col_expr(
            outbox::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            outbox::Column::LastError,
            Expr::value(error.chars().take(500).collect::<String>()),
        )
        .filter(outbox::Column::Id.eq(m.id))
        .filter(outbox::Column::SentAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Unsent messages the worker still tries (not given up).
pub async fn pending(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::GaveUpAt.is_null())
        .count(db)
        .await
}

/// Per transport: unsent messages the worker still tries and when the oldest of them was
/// written (a message given up no longer waits). One grouped query, read at scrape time.
pub async fn queue(db: &impl ConnectionTrait) -> Result<Vec<(String, u64, DateTime<Utc>)>, DbErr> {
    let rows: Vec<(String, i64, Option<DateTime<Utc>>)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Transport)
        .column_as(Expr::cust("COUNT(*)"), "n")
        .column_as(outbox::Column::CreatedAt.min(), "oldest")
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::GaveUpAt.is_null())
        .group_by(outbox::Column::Transport)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(t, n, oldest)| Some((t, n.max(0) as u64, oldest?)))
        .collect())
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<outbox::Model>, DbErr> {
    outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await
}

/// Gives up the unsent messages written at or before `written_before` that no process holds:
/// the worker never claims them again. Returns how many.
pub async fn give_up(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    written_before: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let res = outbox::Entity::update_many()
        .col_expr(outbox::Column::GaveUpAt, Expr::value(now))
        .filter(outbox::Column::SentAt.is_null())
        .filter(outbox::Column::GaveUpAt.is_null())
        .filter(outbox::Column::CreatedAt.lte(written_before))
        .filter(
            Condition::any()
                .add(outbox::Column::LockedUntil.is_null())
                .add(outbox::Column::LockedUntil.lt(now)),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// How many rows one erasing statement takes.
const ERASE_BATCH: u64 = 500;

/// Erases the address, subject, bodies and error of every message delivered at or before
/// `delivered_before`, and of every message given up whose last attempt (or, never tried, whose
/// give-up) was at or before `tried_before`. Returns the ids erased (their mail files go too).
pub async fn erase(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    delivered_before: DateTime<Utc>,
    tried_before: DateTime<Utc>,
) -> Result<Vec<i64>, DbErr> {
    use outbox::Column as C;
    let given_up = Condition::all()
        .add(C::SentAt.is_null())
        .add(C::GaveUpAt.is_not_null())
        .add(
            Condition::any()
                .add(C::LastAttemptAt.lte(tried_before))
                .add(
                    Condition::all()
                        .add(C::LastAttemptAt.is_null())
                        .add(C::GaveUpAt.lte(tried_before)),
                ),
        );
    let due = Condition::all().add(C::ErasedAt.is_null()).add(
        Condition::any()
            .add(C::SentAt.lte(delivered_before))
            .add(given_up),
    );
    let mut erased = Vec::new();
    loop {
        let ids: Vec<i64> = outbox::Entity::find()
            .select_only()
            .column(C::Id)
            .filter(due.clone())
            .order_by_asc(C::Id)
            .limit(ERASE_BATCH)
            .into_tuple()
            .all(db)
            .await?;
        if ids.is_empty() {
            break;
        }
        outbox::Entity::update_many()
            .col_expr(C::ToAddr, Expr::value(""))
            .col_expr(C::Subject, Expr::value(""))
            .col_expr(C::BodyText, Expr::value(""))
            .col_expr(C::BodyHtml, Expr::value(""))
            .col_expr(C::LastError, Expr::value(Option::<String>::None))
            .col_expr(C::Template, Expr::value(Option::<String>::None))
            .col_expr(C::ErasedAt, Expr::value(now))
            .filter(C::Id.is_in(ids.iter().copied()))
            .filter(C::ErasedAt.is_null())
            .exec(db)
            .await?;
        let full = ids.len() as u64 == ERASE_BATCH;
        erased.extend(ids);
        if !full {
            break;
        }
    }
    Ok(erased)
}
