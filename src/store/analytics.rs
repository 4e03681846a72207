//! Reads for planners: rollup sums by unit, period and code, and the complaint rows of a period.
use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};

use crate::domain::calendar::wib_day_start;
use crate::domain::stats::Summary;

/// (unit id, period key, code) → sums. Period keys are `YYYY-MM-DD` or `YYYY-MM`.
pub type Sums = HashMap<(i32, String, String), Summary>;

fn first_of_month(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d)
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

/// Splits [from, to] into whole months (read from the monthly table) and the days at either
/// end (read from the daily table).
pub fn split_range(from: NaiveDate, to: NaiveDate) -> (Vec<String>, Vec<(NaiveDate, NaiveDate)>) {
    let mut months = vec![];
    let mut days = vec![];
    let mut cur = from;
    while cur <= to {
        let start_of_month = first_of_month(cur);
        let nm = next_month(cur);
        let end_of_month = nm.pred_opt().unwrap_or(nm);
        if cur == start_of_month && end_of_month <= to {
            months.push(cur.format("%Y-%m").to_string());
        } else {
            days.push((cur, end_of_month.min(to)));
        }
        cur = nm;
    }
    (months, days)
}

/// Which codes to read.
#[derive(Debug, Clone, Copy)]
pub enum Codes<'a> {
    All,
    /// Everything but the respondent-profile counts (`_P:…`), which only the SKM report shows:
    /// the measures of the series and the overview never read them, and they are about half the
    /// rollup rows.
    NoProfile,
    Only(&'a [&'a str]),
}

impl Codes<'_> {
    fn filter<E: EntityTrait>(
        self,
        q: sea_orm::Select<E>,
        col: impl ColumnTrait,
    ) -> sea_orm::Select<E> {
        match self {
            Codes::All => q,
            Codes::NoProfile => q.filter(Expr::cust(format!(
                "substr({}, 1, 3) <> '_P:'",
                col.as_str()
            ))),
            Codes::Only(c) => q.filter(col.is_in(c.iter().map(|s| s.to_string()))),
        }
    }
}

/// Sums per unit and code over [from, to], for `units` (all when `None`), keyed by month when
/// `by_month`, else one key `*` for the whole range. `daily` keeps day keys (for day/week series).
pub async fn sums(
    db: &impl ConnectionTrait,
    units: Option<&[i32]>,
    from: NaiveDate,
    to: NaiveDate,
    by_month: bool,
    daily: bool,
    codes: Codes<'_>,
) -> Result<Sums, DbErr> {
    let mut out: Sums = HashMap::new();
    let mut add = |unit: i32, key: String, code: String, s: Summary| {
        out.entry((unit, key, code)).or_default().add(&s);
    };
    let (months, day_ranges) = if daily {
        (vec![], vec![(from, to)])
    } else {
        split_range(from, to)
    };
    if !months.is_empty() {
        use entity::rollup_unit_month::{Column as C, Entity};
        // Without month keys the database adds the months up: a third of the rows for a quarter.
        let mut q = Entity::find()
            .select_only()
            .column(C::UnitId)
            .column_as(
                if by_month {
                    Expr::col(C::Month)
                } else {
                    Expr::cust("'*'")
                },
                "month",
            )
            .column(C::Code)
            .column_as(Expr::cust("CAST(SUM(n) AS BIGINT)"), "n")
            .column_as(Expr::cust("CAST(SUM(sum) AS DOUBLE PRECISION)"), "s")
            .column_as(Expr::cust("CAST(SUM(sumsq) AS DOUBLE PRECISION)"), "ss")
            .filter(C::Month.is_in(months.clone()))
            .group_by(C::UnitId)
            .group_by(C::Code);
        if by_month {
            q = q.group_by(C::Month);
        }
        if let Some(u) = units {
            q = q.filter(C::UnitId.is_in(u.to_vec()));
        }
        q = codes.filter(q, C::Code);
        let rows: Vec<(i32, String, String, i64, f64, f64)> = q.into_tuple().all(db).await?;
        for (u, key, c, n, s, ss) in rows {
            add(u, key, c, Summary::new(n.max(0) as u64, s, ss));
        }
    }
    for (a, b) in day_ranges {
        use entity::rollup_unit_day::{Column as C, Entity};
        let mut q = Entity::find()
            .select_only()
            .column(C::UnitId)
            .column(C::LocalDate)
            .column(C::Code)
            .column_as(Expr::cust("CAST(SUM(n) AS BIGINT)"), "n")
            .column_as(Expr::cust("CAST(SUM(sum) AS DOUBLE PRECISION)"), "s")
            .column_as(Expr::cust("CAST(SUM(sumsq) AS DOUBLE PRECISION)"), "ss")
            .filter(C::LocalDate.gte(a))
            .filter(C::LocalDate.lte(b))
            .group_by(C::UnitId)
            .group_by(C::LocalDate)
            .group_by(C::Code);
        if let Some(u) = units {
            q = q.filter(C::UnitId.is_in(u.to_vec()));
        }
        q = codes.filter(q, C::Code);
        let rows: Vec<(i32, NaiveDate, String, i64, f64, f64)> = q.into_tuple().all(db).await?;
        for (u, d, c, n, s, ss) in rows {
            let key = if daily {
                d.format("%Y-%m-%d").to_string()
            } else if by_month {
                d.format("%Y-%m").to_string()
            } else {
                "*".into()
            };
            add(u, key, c, Summary::new(n.max(0) as u64, s, ss));
        }
    }
    Ok(out)
}

/// The complaint fields analytics needs: only these columns are read (not the description,
/// contact details or tracking ID), so a busy quarter costs little to load.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ComplaintRow {
    pub unit_id: i32,
    pub kind: String,
    pub category_id: i32,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub verified_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub due_resolve: NaiveDate,
    pub reopen_count: i32,
}

/// The complaint fields analytics needs, for complaints filed in [from, to] (WIB days).
pub async fn complaints(
    db: &impl ConnectionTrait,
    units: Option<&[i32]>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ComplaintRow>, DbErr> {
    use entity::complaint::{Column as C, Entity};
    let start = wib_day_start(from);
    let end = wib_day_start(to + chrono::Duration::days(1));
    let mut q = Entity::find()
        .select_only()
        .columns([
            C::UnitId,
            C::Kind,
            C::CategoryId,
            C::Status,
            C::CreatedAt,
            C::VerifiedAt,
            C::ResolvedAt,
            C::DueResolve,
            C::ReopenCount,
        ])
        .filter(C::CreatedAt.gte(start))
        .filter(C::CreatedAt.lt(end));
    if let Some(u) = units {
        q = q.filter(C::UnitId.is_in(u.to_vec()));
    }
    q.into_model::<ComplaintRow>().all(db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn ranges_split_into_months_and_edge_days() {
        let (m, days) = split_range(d("2026-01-15"), d("2026-04-10"));
        assert_eq!(m, vec!["2026-02", "2026-03"]);
        assert_eq!(
            days,
            vec![
                (d("2026-01-15"), d("2026-01-31")),
                (d("2026-04-01"), d("2026-04-10"))
            ]
        );
        let (m, days) = split_range(d("2026-01-01"), d("2026-12-31"));
        assert_eq!(m.len(), 12);
        assert!(days.is_empty());
        let (m, days) = split_range(d("2026-12-05"), d("2026-12-05"));
        assert!(m.is_empty());
        assert_eq!(days, vec![(d("2026-12-05"), d("2026-12-05"))]);
    }
}
