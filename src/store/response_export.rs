//! A unit's raw responses read a page at a time, by (day, id) after the last row sent, so an
//! export of any length holds one page in memory. The `(unit_id, local_date)` index serves
//! both the range and the order (on SQLite its entries end in the row id; PostgreSQL sorts
//! within a day). On PostgreSQL the whole range can instead come in one `COPY … TO STDOUT`
//! (`copy_rows`): the server streams the rows as text without a round trip a page.
use chrono::NaiveDate;
use entity::response;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect,
};

/// What an export reads of a response: never the comment, never the one-time code.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ExportRow {
    pub id: i64,
    pub local_date: NaiveDate,
    pub survey_version_id: i32,
    pub service_id: Option<i32>,
    pub channel: String,
    pub answers: String,
    pub respondent: String,
}

/// The survey versions the unit's responses in the range were given to.
pub async fn versions_used(
    db: &impl ConnectionTrait,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<i32>, DbErr> {
    response::Entity::find()
        .select_only()
        .column(response::Column::SurveyVersionId)
        .distinct()
        .filter(response::Column::UnitId.eq(unit_id))
        .filter(response::Column::LocalDate.between(from, to))
        .into_tuple()
        .all(db)
        .await
}

/// Up to `limit` responses of the unit from `from` to `to`, in (day, id) order, after `after`.
pub async fn page(
    db: &impl ConnectionTrait,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
    after: Option<(NaiveDate, i64)>,
    limit: u64,
) -> Result<Vec<ExportRow>, DbErr> {
    use response::Column as C;
    let mut q = response::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::LocalDate,
            C::SurveyVersionId,
            C::ServiceId,
            C::Channel,
            C::Answers,
            C::Respondent,
        ])
        .filter(C::UnitId.eq(unit_id))
        .filter(C::LocalDate.lte(to));
    q = match after {
        None => q.filter(C::LocalDate.gte(from)),
        Some((day, id)) => q.filter(C::LocalDate.gte(day)).filter(
            Condition::any()
                .add(C::LocalDate.gt(day))
                .add(Condition::all().add(C::LocalDate.eq(day)).add(C::Id.gt(id))),
        ),
    };
    q.order_by_asc(C::LocalDate)
        .order_by_asc(C::Id)
        .limit(limit)
        .into_model::<ExportRow>()
        .all(db)
        .await
}

/// The rows `page` would read, all of them in (day, id) order, streamed by PostgreSQL's
/// `COPY (SELECT …) TO STDOUT` on one connection of the pool: no query a page, no row decoding
/// beyond splitting text. PostgreSQL only (callers check the backend).
pub async fn copy_rows(
    db: &sea_orm::DatabaseConnection,
    unit_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<impl futures_util::Stream<Item = Result<ExportRow, DbErr>> + use<>, DbErr> {
    use futures_util::StreamExt;
    use sea_orm::sqlx::postgres::PgPoolCopyExt;
    // COPY takes no bind parameters: the values are an integer and two dates, typed, so
    // writing them into the statement cannot inject anything.
    let sql = format!(
        "COPY (SELECT id, local_date, survey_version_id, service_id, channel, answers, respondent \
         FROM responses WHERE unit_id = {unit_id} AND local_date BETWEEN '{from}' AND '{to}' \
         ORDER BY local_date, id) TO STDOUT"
    );
    let raw = db
        .get_postgres_connection_pool()
        .copy_out_raw(&sql)
        .await
        .map_err(sqlx_err)?;
    let mut lines = super::copy_text::Lines::default();
    // `None` marks the end, where a line left unfinished means the stream was cut.
    let rows = raw
        .map(Some)
        .chain(futures_util::stream::once(std::future::ready(None)))
        .flat_map(move |chunk| {
            let mut out: Vec<Result<ExportRow, DbErr>> = vec![];
            match chunk {
                Some(Ok(bytes)) => {
                    let pushed = lines.push(&bytes, |line| {
                        out.push(export_row(line));
                        Ok::<_, DbErr>(())
                    });
                    if let Err(e) = pushed {
                        out.push(Err(e));
                    }
                }
                Some(Err(e)) => out.push(Err(sqlx_err(e))),
                None if lines.unfinished() => out.push(Err(DbErr::Custom(
                    "the COPY stream ended inside a row".into(),
                ))),
                None => {}
            }
            futures_util::stream::iter(out)
        });
    Ok(rows)
}

fn sqlx_err(e: sea_orm::sqlx::Error) -> DbErr {
    DbErr::Query(sea_orm::RuntimeErr::SqlxError(std::sync::Arc::new(e)))
}

/// One line of the COPY output as the row `page` would have read.
fn export_row(line: &[u8]) -> Result<ExportRow, DbErr> {
    let bad = |what: &str| DbErr::Custom(format!("COPY row: {what}"));
    let f = super::copy_text::fields(line).map_err(|e| bad(&e))?;
    let [id, day, version, service, channel, answers, respondent] =
        <[Option<String>; 7]>::try_from(f).map_err(|f| bad(&format!("{} fields", f.len())))?;
    let need = |v: Option<String>, what: &str| v.ok_or_else(|| bad(&format!("{what} is NULL")));
    Ok(ExportRow {
        id: need(id, "id")?.parse().map_err(|_| bad("id"))?,
        local_date: need(day, "local_date")?
            .parse()
            .map_err(|_| bad("local_date"))?,
        survey_version_id: need(version, "survey_version_id")?
            .parse()
            .map_err(|_| bad("survey_version_id"))?,
        service_id: match service {
            None => None,
            Some(s) => Some(s.parse().map_err(|_| bad("service_id"))?),
        },
        channel: need(channel, "channel")?,
        answers: need(answers, "answers")?,
        respondent: need(respondent, "respondent")?,
    })
}
