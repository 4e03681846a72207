//! Reads for planners: rollup sums by unit, period and code, and the complaint rows of a period.
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

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

/// Sums per unit and code over [from, to], for `units` (all when `None`), keyed by month when
/// `by_month`, else one key `*` for the whole range. `daily` keeps day keys (for day/week series).
pub async fn sums(
    db: &impl ConnectionTrait,
    units: Option<&[i32]>,
    from: NaiveDate,
    to: NaiveDate,
    by_month: bool,
    daily: bool,
    codes: Option<&[&str]>,
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
        let mut q = Entity::find()
            .select_only()
            .column(C::UnitId)
            .column(C::Month)
            .column(C::Code)
            .column_as(Expr::cust("CAST(SUM(n) AS BIGINT)"), "n")
            .column_as(Expr::cust("CAST(SUM(sum) AS DOUBLE PRECISION)"), "s")
            .column_as(Expr::cust("CAST(SUM(sumsq) AS DOUBLE PRECISION)"), "ss")
            .filter(C::Month.is_in(months.clone()))
            .group_by(C::UnitId)
            .group_by(C::Month)
            .group_by(C::Code);
        if let Some(u) = units {
            q = q.filter(C::UnitId.is_in(u.to_vec()));
        }
        if let Some(c) = codes {
            q = q.filter(C::Code.is_in(c.iter().map(|s| s.to_string())));
        }
        let rows: Vec<(i32, String, String, i64, f64, f64)> = q.into_tuple().all(db).await?;
        for (u, m, c, n, s, ss) in rows {
            let key = if by_month { m } else { "*".into() };
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
        if let Some(c) = codes {
            q = q.filter(C::Code.is_in(c.iter().map(|s| s.to_string())));
        }
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

/// The complaint fields analytics needs, for complaints filed in [from, to] (WIB days).
pub async fn complaints(
    db: &impl ConnectionTrait,
    units: Option<&[i32]>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<entity::complaint::Model>, DbErr> {
    use entity::complaint::{Column as C, Entity};
    let start =
        (from.and_hms_opt(0, 0, 0).unwrap_or_default() - chrono::Duration::hours(7)).and_utc();
    let end = ((to + chrono::Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        - chrono::Duration::hours(7))
    .and_utc();
    let mut q = Entity::find()
        .filter(C::CreatedAt.gte(start))
        .filter(C::CreatedAt.lt(end));
    if let Some(u) = units {
        q = q.filter(C::UnitId.is_in(u.to_vec()));
    }
    q.all(db).await
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
