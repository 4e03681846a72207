//! A unit's raw survey responses for staff in scope, a batch at a time (keyset pages, or what
//! PostgreSQL's `COPY` has sent): what the web edge streams as CSV, so an export of a million
//! rows holds one batch in memory.
use std::collections::HashMap;
use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::domain::response_row::{self, Columns};
use crate::domain::survey::{Definition, Standard};
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::service::period::{RangeQuery, parse_range};
use crate::store;

/// Rows read per query.
pub const PAGE_ROWS: u64 = 5_000;

/// The export's rows, a batch at a time.
pub type Pages = BoxStream<'static, Result<Vec<Vec<String>>, ServiceError>>;

/// Where the next page starts: after this (day, id).
pub type Cursor = Option<(NaiveDate, i64)>;

pub struct ResponseExport {
    unit_id: i32,
    pub slug: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    columns: Columns,
    /// Version id → (survey code, version number, definition).
    versions: HashMap<i32, (String, i32, Definition)>,
    /// Service id → (slug, declared standard).
    services: HashMap<i32, (String, Standard)>,
}

/// The locale key (after `xl_`) of a fixed column.
fn fixed_key(column: &str) -> &str {
    match column {
        "id" => "response_id",
        "date" => "date",
        other => other,
    }
}

/// The export of a unit the user may see (else 404) over `from`–`to` (default: this year).
pub async fn prepare(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    range: &RangeQuery,
    lang: Lang,
) -> Result<ResponseExport, ServiceError> {
    let unit = match store::units::by_slug(&state.read, slug).await? {
        Some(u) if user.sees_unit(u.id) => u,
        _ => return Err(ServiceError::NotFound),
    };
    let (from, to) = parse_range(range, lang)?;
    let used = store::response_export::versions_used(&state.read, unit.id, from, to).await?;
    let mut versions = HashMap::new();
    let mut ids = used.clone();
    ids.sort_unstable();
    for v in entity::survey_version::Entity::find()
        .filter(entity::survey_version::Column::Id.is_in(ids))
        .all(&state.read)
        .await?
    {
        let code = entity::survey::Entity::find_by_id(v.survey_id)
            .one(&state.read)
            .await?
            .map(|s| s.code)
            .unwrap_or_default();
        let def = store::surveys::parse_definition(&v)?;
        versions.insert(v.id, (code, v.version, def));
    }
    let mut in_order: Vec<_> = versions.iter().collect();
    in_order.sort_by_key(|(id, _)| **id);
    let columns = response_row::columns(in_order.into_iter().map(|(_, (_, _, d))| d));
    let services = entity::service::Entity::find()
        .filter(entity::service::Column::UnitId.eq(unit.id))
        .all(&state.read)
        .await?
        .into_iter()
        .map(|s| {
            let std = Standard {
                minutes: s.standard_minutes,
                fee_rupiah: Some(s.fee_rupiah),
            };
            (s.id, (s.slug, std))
        })
        .collect();
    Ok(ResponseExport {
        unit_id: unit.id,
        slug: unit.slug,
        from,
        to,
        columns,
        versions,
        services,
    })
}

impl ResponseExport {
    pub fn header(&self) -> Vec<String> {
        response_row::header(&self.columns)
    }

    /// The header for people: the fixed and derived columns in words, an element as its code
    /// and name ("U1 Persyaratan"), another question as its code and label.
    pub fn header_in_words(&self, lang: Lang) -> Vec<String> {
        let label = |code: &String| {
            let element = lang.pick(
                crate::domain::skm::element_name(code),
                crate::domain::skm::element_name_en(code),
            );
            if !element.is_empty() {
                return format!("{code} {element}");
            }
            let asked = self
                .versions
                .values()
                .flat_map(|(_, _, d)| &d.questions)
                .find(|q| &q.code == code)
                .map(|q| lang.pick(&q.label.id, &q.label.en).clone());
            match asked {
                Some(l) => {
                    let short: String = l.chars().take(60).collect();
                    format!("{code} {short}")
                }
                None => code.clone(),
            }
        };
        response_row::FIXED
            .iter()
            .map(|k| lang.t(&format!("xl_{}", fixed_key(k))).to_string())
            .chain(self.columns.answers.iter().map(label))
            .chain(
                response_row::DERIVED
                    .iter()
                    .map(|k| lang.t(&format!("xl_{k}")).to_string()),
            )
            .chain(self.columns.profile.iter().map(label))
            .collect()
    }

    /// The rows after `after`, and where the next page starts (`None` when this was the last).
    pub async fn page(
        &self,
        db: &DatabaseConnection,
        after: Cursor,
    ) -> Result<(Vec<Vec<String>>, Option<Cursor>), ServiceError> {
        let rows =
            store::response_export::page(db, self.unit_id, self.from, self.to, after, PAGE_ROWS)
                .await?;
        let next =
            (rows.len() as u64 == PAGE_ROWS).then(|| rows.last().map(|r| (r.local_date, r.id)));
        Ok((rows.iter().map(|r| self.cells(r)).collect(), next))
    }

    /// Every row, a page at a time, read by keyset pages (`page`).
    pub fn paged(self: Arc<Self>, db: DatabaseConnection) -> Pages {
        // `Some(cursor)`: a page is still to be read from there; `None`: done.
        futures_util::stream::unfold(Some(None::<(NaiveDate, i64)>), move |at: Option<Cursor>| {
            let export = self.clone();
            let db = db.clone();
            async move {
                let after = at?;
                match export.page(&db, after).await {
                    Ok((rows, next)) => Some((Ok(rows), next)),
                    Err(e) => Some((Err(e), None)),
                }
            }
        })
        .boxed()
    }

    /// Every row, in batches of up to a page: on PostgreSQL streamed by one `COPY … TO STDOUT`
    /// (a batch is what has arrived, so memory stays at a page however long the export), on
    /// SQLite by keyset pages. The same rows and cells either way.
    pub async fn rows(self: Arc<Self>, db: DatabaseConnection) -> Result<Pages, ServiceError> {
        if db.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(self.paged(db));
        }
        let rows = store::response_export::copy_rows(&db, self.unit_id, self.from, self.to).await?;
        Ok(rows
            .ready_chunks(PAGE_ROWS as usize)
            .map(move |batch| {
                batch
                    .into_iter()
                    .map(|r| Ok(self.cells(&r?)))
                    .collect::<Result<Vec<_>, ServiceError>>()
            })
            .boxed())
    }

    /// One response as its export row: the fixed columns, then answers, derived numbers and
    /// profile ([`response_row::cells`]).
    fn cells(&self, r: &store::response_export::ExportRow) -> Vec<String> {
        let v = self.versions.get(&r.survey_version_id);
        let s = r.service_id.and_then(|id| self.services.get(&id));
        let mut cells = vec![
            r.id.to_string(),
            r.local_date.to_string(),
            v.map(|v| v.0.clone()).unwrap_or_default(),
            v.map(|v| v.1.to_string()).unwrap_or_default(),
            s.map(|s| s.0.clone()).unwrap_or_default(),
            r.channel.clone(),
        ];
        cells.extend(response_row::cells(
            &self.columns,
            v.map(|v| &v.2),
            &store::responses::stored_answers(&r.answers),
            &store::responses::stored_answers(&r.respondent),
            s.map(|s| s.1).unwrap_or_default(),
        ));
        cells
    }
}
