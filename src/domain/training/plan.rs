//! The yearly competency development plan (rencana pengembangan kompetensi): per unit, the
//! accepted and scheduled programmes and the JP they give each staff member against the 20 JP
//! minimum.
use serde::Serialize;

use super::JP_MINIMUM;

/// One planned programme for one unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanItem {
    pub recommendation_id: i32,
    pub unit: String,
    pub programme: String,
    pub competencies: String,
    pub form: String,
    pub method: String,
    pub status: String,
    pub start_date: Option<chrono::NaiveDate>,
    pub end_date: Option<chrono::NaiveDate>,
    /// Staff taking part (planned).
    pub participants: Option<i32>,
    /// JP per participant.
    pub jp: i32,
    /// participants × JP.
    pub jp_total: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitPlan {
    pub unit: String,
    pub name: String,
    pub staff_count: Option<i32>,
    pub items: Vec<PlanItem>,
    pub jp_total: i64,
    /// JP total ÷ staff: what the plan gives each staff member on average.
    pub jp_per_staff: Option<f64>,
    /// How far the average is below the 20 JP minimum (0 when it is met).
    pub shortfall_per_staff: Option<f64>,
    pub meets_minimum: Option<bool>,
    /// Proposed recommendations not yet decided: not in the plan, but not "none" either.
    pub awaiting_decision: u64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Plan {
    pub year: i32,
    pub jp_minimum: f64,
    pub units: Vec<UnitPlan>,
    pub jp_total: i64,
    pub staff_total: i64,
    pub jp_per_staff: Option<f64>,
}

/// Builds the plan from each unit's items. An accepted programme with no schedule yet counts its
/// catalogue JP once per planned participant when known, else it is listed with no JP total.
pub fn build(year: i32, units: Vec<(String, String, Option<i32>, Vec<PlanItem>)>) -> Plan {
    let mut out = vec![];
    let (mut jp_all, mut staff_all) = (0i64, 0i64);
    for (slug, name, staff, items) in units {
        let jp_total: i64 = items.iter().map(|i| i.jp_total).sum();
        let staff_n = staff.filter(|s| *s > 0);
        let per = staff_n.map(|s| jp_total as f64 / s as f64);
        jp_all += jp_total;
        staff_all += staff_n.unwrap_or(0) as i64;
        out.push(UnitPlan {
            unit: slug,
            name,
            staff_count: staff,
            jp_total,
            jp_per_staff: per,
            shortfall_per_staff: per.map(|p| (JP_MINIMUM - p).max(0.0)),
            meets_minimum: per.map(|p| p >= JP_MINIMUM),
            items,
            awaiting_decision: 0,
        });
    }
    Plan {
        year,
        jp_minimum: JP_MINIMUM,
        units: out,
        jp_total: jp_all,
        staff_total: staff_all,
        jp_per_staff: (staff_all > 0).then(|| jp_all as f64 / staff_all as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(participants: i32, jp: i32) -> PlanItem {
        PlanItem {
            recommendation_id: 1,
            unit: "u".into(),
            programme: "p".into(),
            competencies: String::new(),
            form: "klasikal".into(),
            method: "workshop".into(),
            status: "scheduled".into(),
            start_date: None,
            end_date: None,
            participants: Some(participants),
            jp,
            jp_total: participants as i64 * jp as i64,
        }
    }

    #[test]
    fn jp_per_staff_against_the_minimum_by_hand() {
        // 25 staff × 16 JP + 25 × 8 JP = 600 JP over 40 staff = 15 JP each: 5 short of 20.
        // A second unit: 10 staff × 24 JP over 10 staff = 24: the minimum is met.
        let p = build(
            2027,
            vec![
                (
                    "a".into(),
                    "A".into(),
                    Some(40),
                    vec![item(25, 16), item(25, 8)],
                ),
                ("b".into(), "B".into(), Some(10), vec![item(10, 24)]),
                ("c".into(), "C".into(), None, vec![]),
            ],
        );
        assert_eq!(p.units[0].jp_total, 600);
        assert_eq!(p.units[0].jp_per_staff, Some(15.0));
        assert_eq!(p.units[0].shortfall_per_staff, Some(5.0));
        assert_eq!(p.units[0].meets_minimum, Some(false));
        assert_eq!(p.units[1].meets_minimum, Some(true));
        assert_eq!(p.units[1].shortfall_per_staff, Some(0.0));
        assert_eq!(p.units[2].jp_per_staff, None);
        assert_eq!(p.jp_total, 840);
        assert_eq!(p.staff_total, 50);
        assert_eq!(p.jp_per_staff, Some(16.8));
    }
}
