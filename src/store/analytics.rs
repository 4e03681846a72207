//! Reads for planners: rollup sums by unit, period and code (survey and complaint cells).
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::domain::stats::Summary;
use crate::domain::summary_cells;

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
    /// Whether every code asked for is in the summaries.
    fn summarised(self) -> bool {
        match self {
            Codes::All => false,
            Codes::NoProfile => true,
            Codes::Only(c) => c.iter().all(|c| summary_cells::summarised(c)),
        }
    }

    fn keeps(self, code: &str) -> bool {
        match self {
            Codes::All => true,
            Codes::NoProfile => summary_cells::summarised(code),
            Codes::Only(c) => c.contains(&code),
        }
    }

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

/// Σn, Σx, Σx² of the selected rows, as the columns `n`, `s`, `ss`.
fn moments<E: EntityTrait>(q: sea_orm::Select<E>) -> sea_orm::Select<E> {
    q.column_as(Expr::cust("CAST(SUM(n) AS BIGINT)"), "n")
        .column_as(Expr::cust("CAST(SUM(sum) AS DOUBLE PRECISION)"), "s")
        .column_as(Expr::cust("CAST(SUM(sumsq) AS DOUBLE PRECISION)"), "ss")
}

/// Sums per unit and code over the whole of [from, to], for `units` (all when `None`): what
/// an overview or a report needs. The database adds the months and edge days up and returns no
/// period column, so each row carries only a unit, a code and three numbers.
///
/// A long list of units is read in two halves at once, on two pooled connections: the
/// database's grouping is most of an overview's time, and two cores halve it.
pub async fn by_unit(
    db: &impl ConnectionTrait,
    units: Option<&[i32]>,
    from: NaiveDate,
    to: NaiveDate,
    codes: Codes<'_>,
) -> Result<HashMap<i32, HashMap<String, Summary>>, DbErr> {
    match units {
        Some(u) if u.len() >= 64 => {
            let (a, b) = u.split_at(u.len() / 2);
            let (mut x, y) = futures_util::future::try_join(
                by_unit_once(db, Some(a), from, to, codes),
                by_unit_once(db, Some(b), from, to, codes),
            )
            .await?;
            x.extend(y);
            Ok(x)
        }
        _ => by_unit_once(db, units, from, to, codes).await,
    }
}

async fn by_unit_once(
    db: &impl ConnectionTrait,
    units: Option<&[i32]>,
    from: NaiveDate,
    to: NaiveDate,
    codes: Codes<'_>,
) -> Result<HashMap<i32, HashMap<String, Summary>>, DbErr> {
    // Whole quarters and years come from the summaries (one row a unit), the rest from the
    // monthly and daily cells; the profile counts are only in the cells.
    let (periods, rest) = if codes.summarised() {
        let p = summary_cells::split(from, to);
        (p.periods, p.rest)
    } else {
        (vec![], vec![(from, to)])
    };
    let mut out = crate::store::summaries::read(db, &periods, units).await?;
    if let Codes::Only(_) = codes {
        for cells in out.values_mut() {
            cells.retain(|c, _| codes.keeps(c));
        }
    }
    let (mut months, mut day_ranges) = (vec![], vec![]);
    for (a, b) in rest {
        let (m, d) = split_range(a, b);
        months.extend(m);
        day_ranges.extend(d);
    }
    let mut rows: Vec<(i32, String, i64, f64, f64)> = vec![];
    if !months.is_empty() {
        use entity::rollup_unit_month::{Column as C, Entity};
        let mut q = moments(
            Entity::find()
                .select_only()
                .column(C::UnitId)
                .column(C::Code),
        )
        .filter(C::Month.is_in(months))
        .group_by(C::UnitId)
        .group_by(C::Code);
        if let Some(u) = units {
            q = q.filter(C::UnitId.is_in(u.to_vec()));
        }
        rows = codes.filter(q, C::Code).into_tuple().all(db).await?;
    }
    for (a, b) in day_ranges {
        use entity::rollup_unit_day::{Column as C, Entity};
        let mut q = moments(
            Entity::find()
                .select_only()
                .column(C::UnitId)
                .column(C::Code),
        )
        .filter(C::LocalDate.gte(a))
        .filter(C::LocalDate.lte(b))
        .group_by(C::UnitId)
        .group_by(C::Code);
        if let Some(u) = units {
            q = q.filter(C::UnitId.is_in(u.to_vec()));
        }
        let more: Vec<(i32, String, i64, f64, f64)> =
            codes.filter(q, C::Code).into_tuple().all(db).await?;
        rows.extend(more);
    }
    for (u, code, n, s, ss) in rows {
        out.entry(u)
            .or_default()
            .entry(code)
            .or_default()
            .add(&Summary::new(n.max(0) as u64, s, ss));
    }
    Ok(out)
}

/// One unit's sums per period start and code over [from, to]: per month (the first of the
/// month stands for it), or per day when `daily` (for day and week series).
pub async fn series(
    db: &impl ConnectionTrait,
    unit: i32,
    from: NaiveDate,
    to: NaiveDate,
    daily: bool,
    codes: Codes<'_>,
) -> Result<Vec<(NaiveDate, String, Summary)>, DbErr> {
    let mut out = vec![];
    let (months, day_ranges) = if daily {
        (vec![], vec![(from, to)])
    } else {
        split_range(from, to)
    };
    if !months.is_empty() {
        use entity::rollup_unit_month::{Column as C, Entity};
        let q = moments(
            Entity::find()
                .select_only()
                .column(C::Month)
                .column(C::Code),
        )
        .filter(C::UnitId.eq(unit))
        .filter(C::Month.is_in(months))
        .group_by(C::Month)
        .group_by(C::Code);
        let rows: Vec<(String, String, i64, f64, f64)> =
            codes.filter(q, C::Code).into_tuple().all(db).await?;
        for (m, c, n, s, ss) in rows {
            let Ok(start) = NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d") else {
                continue;
            };
            out.push((start, c, Summary::new(n.max(0) as u64, s, ss)));
        }
    }
    for (a, b) in day_ranges {
        use entity::rollup_unit_day::{Column as C, Entity};
        let q = moments(
            Entity::find()
                .select_only()
                .column(C::LocalDate)
                .column(C::Code),
        )
        .filter(C::UnitId.eq(unit))
        .filter(C::LocalDate.gte(a))
        .filter(C::LocalDate.lte(b))
        .group_by(C::LocalDate)
        .group_by(C::Code);
        let rows: Vec<(NaiveDate, String, i64, f64, f64)> =
            codes.filter(q, C::Code).into_tuple().all(db).await?;
        for (d, c, n, s, ss) in rows {
            let start = if daily { d } else { first_of_month(d) };
            out.push((start, c, Summary::new(n.max(0) as u64, s, ss)));
        }
    }
    Ok(out)
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
