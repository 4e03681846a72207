//! A finished complaint's contact details (name, e-mail, phone, the chat number news went to)
//! erased once it has been finished for the retention period; the complaint itself stays.
use chrono::{DateTime, Utc};
use entity::complaint::{Column, Entity};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// Erases the contact of every complaint in one of `finished` statuses last changed at or
/// before `changed_before`. Returns how many complaints still had one.
pub async fn erase_finished_contacts(
    db: &impl ConnectionTrait,
    finished: &[&str],
    changed_before: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let none = || Expr::value(Option::<String>::None);
    let res = Entity::update_many()
        .col_expr(Column::ContactName, none())
        .col_expr(Column::ContactEmail, none())
        .col_expr(Column::ContactPhone, none())
        .col_expr(Column::ReplyTo, none())
        .filter(Column::Status.is_in(finished.iter().copied()))
        .filter(Column::UpdatedAt.lte(changed_before))
        .filter(
            Condition::any()
                .add(Column::ContactName.is_not_null())
                .add(Column::ContactEmail.is_not_null())
                .add(Column::ContactPhone.is_not_null())
                .add(Column::ReplyTo.is_not_null()),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
