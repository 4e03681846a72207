//! The engine and the impact evaluation on constructed data whose answers are worked by hand.
use chrono::NaiveDate;

use super::engine::{evaluate, reach};
use super::impact::{ImpactLabel, evaluate_impact, impact_windows};
use super::rules::{Condition, RateBase, RuleDef};
use super::signals::{ComplaintFact, Signals, UnitSignals};
use crate::domain::stats::Summary;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Sums of `n` answers with this mean and sample standard deviation.
fn s(n: u64, mean: f64, sd: f64) -> Summary {
    let nf = n as f64;
    Summary::new(n, nf * mean, (nf - 1.0) * sd * sd + nf * mean * mean)
}

/// A share as rollup sums: `k` of `n` are 1.
fn share(k: u64, n: u64) -> Summary {
    Summary::new(n, k as f64, k as f64)
}

fn window(from: &str, to: &str, pairs: &[(&str, Summary)]) -> Signals {
    Signals {
        from: Some(d(from)),
        to: Some(d(to)),
        sums: pairs.iter().map(|(c, x)| (c.to_string(), *x)).collect(),
        complaints: vec![],
    }
}

fn rule(conditions: Vec<Condition>) -> RuleDef {
    RuleDef {
        window_days: 90,
        min_n: 30,
        match_all: false,
        conditions,
        programmes: vec!["p".into()],
    }
}

fn u3_below() -> Condition {
    Condition::ElementBelow {
        code: "U3".into(),
        threshold: 3.0,
    }
}

/// Previous window and the two halves of the current one, each with `*` = the U3 n.
fn unit(prev: Summary, a: Summary, b: Summary, visitors: Option<u64>) -> UnitSignals {
    UnitSignals {
        unit_id: 7,
        slug: "rsud".into(),
        name: "RSUD".into(),
        monthly_visitors: visitors,
        standard_minutes: vec![60],
        category_names: Default::default(),
        previous: window(
            "2026-01-01",
            "2026-03-31",
            &[("U3", prev), ("*", share(prev.n, prev.n))],
        ),
        first_half: window(
            "2026-04-01",
            "2026-05-15",
            &[("U3", a), ("*", share(a.n, a.n))],
        ),
        second_half: window(
            "2026-05-16",
            "2026-06-29",
            &[("U3", b), ("*", share(b.n, b.n))],
        ),
    }
}

#[test]
fn a_low_element_fires_with_priority_by_hand() {
    // 80 answers at 2.6 (sd 0.5): se = 0.5/√80 = 0.0559, t(0.975, 79) = 1.9905 → CI 2.489–2.711,
    // wholly below 3.0; both halves 2.6. The previous window stood at 3.1 → worse (Welch p ≪ 0.05).
    let u = unit(
        s(80, 3.1, 0.5),
        s(40, 2.6, 0.5),
        s(40, 2.6, 0.5),
        Some(18_000),
    );
    let f = evaluate(&rule(vec![u3_below()]), &u).expect("fires");
    let o = &f.observations[0];
    assert!(o.fires);
    assert_eq!(o.n, 80);
    assert!((o.value.unwrap() - 2.6).abs() < 1e-9);
    let [lo, hi] = o.ci.unwrap();
    assert!(
        (lo - 2.4887).abs() < 1e-3 && (hi - 2.7113).abs() < 1e-3,
        "{lo} {hi}"
    );
    assert_eq!(o.trend, -1);
    // Severity 1 + (3.0 − 2.6)/0.25 = 2.6; reach 1 + log10(18,000/500) = 2.5563; trend 1.5.
    assert!((f.severity - 2.6).abs() < 1e-9);
    assert!((f.reach - 2.556_302_5).abs() < 1e-6);
    assert_eq!(f.trend, 1.5);
    assert!((f.priority - 2.6 * 2.556_302_5 * 1.5).abs() < 1e-5);
    assert_eq!(f.level, "high");
    // Numbers as each reader writes them: "2,60", "IK 95%" in Bahasa Indonesia.
    assert!(
        o.text_id
            .contains("U3 (Waktu penyelesaian): 2,60 (n = 80, IK 95% 2,49–2,71)"),
        "{}",
        o.text_id
    );
    assert!(
        o.text_en
            .contains("U3 (Completion time): 2.60 (n = 80, 95% CI 2.49–2.71)"),
        "{}",
        o.text_en
    );
    assert!(o.text_id.contains("turun dari 3,10"), "{}", o.text_id);
    assert!(o.text_en.contains("down from 3.10"), "{}", o.text_en);
    // 2.6 × 2.5563 × 1.5 = 9.97 → "10,0"; 18,000 visitors a month.
    assert!(
        f.explanation_id.contains(
            "Prioritas 10,0 (tinggi) = keparahan 2,6 × jangkauan 2,6 (18.000 pengunjung/bulan)"
        ),
        "{}",
        f.explanation_id
    );
    assert!(
        f.explanation_en
            .contains("Priority 10.0 (high) = severity 2.6 × reach 2.6 (18,000 visitors/month)"),
        "{}",
        f.explanation_en
    );
}

#[test]
fn thin_overlapping_or_passing_evidence_does_not_fire() {
    let r = rule(vec![u3_below()]);
    // 20 answers: below min_n 30.
    let u = unit(s(80, 3.1, 0.5), s(10, 2.0, 0.5), s(10, 2.0, 0.5), None);
    assert!(evaluate(&r, &u).is_none());
    // 40 at 2.9 with sd 0.8: se 0.1265, t(39) 2.0227 → upper 3.156 ≥ 3.0: the interval overlaps.
    let u = unit(s(80, 3.1, 0.5), s(20, 2.9, 0.8), s(20, 2.9, 0.8), None);
    assert!(evaluate(&r, &u).is_none());
    let o = &super::engine::evaluate(
        &RuleDef {
            match_all: true,
            ..r.clone()
        },
        &u,
    );
    assert!(o.is_none());
    // A blip: the older half was fine (3.3), only the newer half is low (2.3). Together 2.8 with
    // an interval below 3.0 — but not in both halves, so it does not fire.
    let u = unit(s(80, 3.1, 0.5), s(40, 3.3, 0.5), s(40, 2.3, 0.5), None);
    let f = evaluate(
        &rule(vec![
            u3_below(),
            Condition::WaitOverStandard { threshold: 0.9 },
        ]),
        &u,
    );
    assert!(f.is_none());
}

#[test]
fn the_held_back_reason_is_named() {
    let u = unit(s(80, 3.1, 0.5), s(40, 3.3, 0.5), s(40, 2.3, 0.5), None);
    // A second condition that fires lets us see the first one's observation.
    let mut u2 = u.clone();
    for (h, k) in [(&mut u2.first_half, 30), (&mut u2.second_half, 30)] {
        h.sums.insert("_VISITS_GE3".into(), share(k, 40));
    }
    let f = evaluate(
        &rule(vec![u3_below(), Condition::VisitsGe3 { threshold: 0.2 }]),
        &u2,
    )
    .expect("visits fire");
    assert_eq!(f.observations[0].held_back.as_deref(), Some("blip"));
    assert!(!f.observations[0].fires);
    assert!(f.observations[1].fires);
    // Visits: 60 of 80 = 0.75, Wilson lower bound 0.644 > 0.2; severity 1 + min(2, 5.5) = 3.
    assert_eq!(f.observations[1].value, Some(0.75));
    assert_eq!(f.severity, 3.0);
    // No visitor count: reach 1. Previous window has no visits data: no trend → 1.0. 3 × 1 × 1.
    assert_eq!(f.priority, 3.0);
    assert_eq!(f.level, "medium");
}

#[test]
fn complaint_rates_fire_with_examples_that_hide_confidential_reports() {
    let mut u = unit(
        s(80, 3.5, 0.5),
        s(200, 3.5, 0.5),
        s(200, 3.5, 0.5),
        Some(5_000),
    );
    let mut n = 0;
    for (half, start) in [
        (&mut u.first_half, "2026-04-01"),
        (&mut u.second_half, "2026-05-16"),
    ] {
        for i in 0..19 {
            n += 1;
            half.complaints.push(ComplaintFact {
                tracking_id: format!("SRA-AAAA-{n:04}"),
                category: "waktu_tunggu".into(),
                // The newest one is confidential and must not be quoted.
                rahasia: start == "2026-05-16" && i == 18,
                filed_on: d(start) + chrono::Duration::days(i),
                late: None,
            });
        }
    }
    u.previous.complaints = vec![];
    let r = rule(vec![Condition::ComplaintRate {
        categories: vec!["waktu_tunggu".into()],
        per: RateBase::Responses,
        threshold: 20.0,
        min_count: 5,
    }]);
    let f = evaluate(&r, &u).expect("fires");
    let o = &f.observations[0];
    // 38 complaints over 400 responses = 95 per 1,000; Poisson lower bound 26.9 → 67.2 > 20.
    assert_eq!(o.n, 38);
    assert!((o.value.unwrap() - 95.0).abs() < 1e-9);
    assert!((o.ci.unwrap()[0] - 67.2).abs() < 0.3, "{:?}", o.ci);
    assert_eq!(f.examples.len(), 3);
    assert!(f.examples.iter().all(|e| e.tracking_id != "SRA-AAAA-0038"));
    assert_eq!(f.examples[0].tracking_id, "SRA-AAAA-0037");
    // Severity: 95/20 − 1 = 3.75 → capped at 3; reach 1 + log10(10) = 2; the previous window had
    // 80 responses and no complaints → a significant rise: trend 1.5. 3 × 2 × 1.5 = 9.
    assert_eq!(o.trend, -1);
    assert!((f.priority - 9.0).abs() < 1e-9);
}

#[test]
fn shares_declines_and_late_resolution_fire_by_hand() {
    let mut u = unit(s(100, 3.2, 0.5), s(50, 2.8, 0.5), s(50, 2.8, 0.5), None);
    let r = rule(vec![Condition::Decline {
        code: "U3".into(),
        min_drop: 0.3,
    }]);
    // Drop 0.4 ≥ 0.3 with Welch p ≪ 0.05, both halves below 3.2: severity 1 + 0.4/0.25 = 2.6.
    let f = evaluate(&r, &u).expect("decline fires");
    assert!((f.severity - 2.6).abs() < 1e-9);
    // Said as the drop, not as a level (which a level rule on U3 would say too).
    let said = &f.observations[0].text_id;
    assert!(
        said.contains("turun 0,40 (dari 3,20), penurunan minimal 0,30"),
        "{said}"
    );
    assert!(!said.contains("ambang"), "{said}");
    let r = rule(vec![Condition::Decline {
        code: "U3".into(),
        min_drop: 0.5,
    }]);
    assert!(evaluate(&r, &u).is_none(), "a drop of 0.4 is less than 0.5");

    // Waits over the standard: 32 of 50 in each half = 64%; Wilson lower bound of 64/100 is 0.542.
    for h in [&mut u.first_half, &mut u.second_half] {
        h.sums.insert("_WAIT_OVER".into(), share(32, 50));
        h.sums
            .insert("_WAIT@180".into(), Summary::new(40, 0.0, 0.0));
        h.sums
            .insert("_WAIT@185".into(), Summary::new(10, 0.0, 0.0));
    }
    let f = evaluate(
        &rule(vec![Condition::WaitOverStandard { threshold: 0.3 }]),
        &u,
    )
    .expect("waits fire");
    let o = &f.observations[0];
    assert_eq!(o.value, Some(0.64));
    assert!((o.ci.unwrap()[0] - 0.5421).abs() < 1e-3, "{:?}", o.ci);
    assert!(
        o.text_id
            .contains("median waktu tunggu 183 menit (standar 60 menit)"),
        "{}",
        o.text_id
    );

    // Resolution: 9 of 12 judged complaints late (6 per half), threshold 30%, min_n 10.
    for (h, start) in [
        (&mut u.first_half, "2026-04-01"),
        (&mut u.second_half, "2026-05-16"),
    ] {
        for i in 0..6 {
            h.complaints.push(ComplaintFact {
                tracking_id: format!("SRA-{start}-{i}"),
                category: "prosedur".into(),
                rahasia: false,
                filed_on: d(start),
                late: Some(i < 5 && !(start == "2026-05-16" && i == 4)),
            });
        }
    }
    let r = RuleDef {
        min_n: 10,
        ..rule(vec![Condition::ResolutionLate { threshold: 0.3 }])
    };
    let f = evaluate(&r, &u).expect("late resolution fires");
    assert_eq!(f.observations[0].value, Some(9.0 / 12.0));
}

#[test]
fn match_all_needs_every_condition() {
    let u = unit(s(80, 3.1, 0.5), s(40, 2.6, 0.5), s(40, 2.6, 0.5), None);
    let both = RuleDef {
        match_all: true,
        ..rule(vec![u3_below(), Condition::VisitsGe3 { threshold: 0.2 }])
    };
    assert!(evaluate(&both, &u).is_none());
    let any = RuleDef {
        match_all: false,
        ..both
    };
    assert!(evaluate(&any, &u).is_some());
}

#[test]
fn priority_orders_severity_reach_and_trend() {
    // A: far below (2.3 → severity 3), a small unit (reach 1), steady (trend 1) → 3.
    // B: just below (2.8 → severity 1.8), a big unit (50,000 → reach 3), worsening (1.5) → 8.1.
    let a = unit(s(80, 2.3, 0.5), s(40, 2.3, 0.5), s(40, 2.3, 0.5), Some(300));
    let b = unit(
        s(200, 3.2, 0.3),
        s(100, 2.8, 0.3),
        s(100, 2.8, 0.3),
        Some(50_000),
    );
    let r = rule(vec![u3_below()]);
    let fa = evaluate(&r, &a).unwrap();
    let fb = evaluate(&r, &b).unwrap();
    assert!((fa.priority - 3.0).abs() < 1e-9, "{}", fa.priority);
    assert!(
        (fb.priority - 1.8 * 3.0 * 1.5).abs() < 1e-9,
        "{}",
        fb.priority
    );
    assert!(fb.priority > fa.priority);
    assert_eq!((fa.level.as_str(), fb.level.as_str()), ("medium", "high"));
    assert_eq!(reach(Some(500)), 1.0);
    assert_eq!(reach(Some(5_000)), 2.0);
    assert_eq!(reach(Some(500_000)), 3.0);
}

fn impact_of(before: Summary, after: Summary) -> super::impact::Impact {
    let b = window(
        "2026-01-01",
        "2026-03-31",
        &[("U3", before), ("*", share(before.n, before.n))],
    );
    let a = window(
        "2026-05-01",
        "2026-07-29",
        &[("U3", after), ("*", share(after.n, after.n))],
    );
    evaluate_impact(&rule(vec![u3_below()]), &b, &a, None, &Default::default())
}

#[test]
fn every_impact_label_by_hand() {
    // 2.6 → 3.0 with sd 0.6 and 100 answers each: t = 0.4/0.0849 = 4.71, p < 0.001; d = 0.667.
    let e = impact_of(s(100, 2.6, 0.6), s(100, 3.0, 0.6));
    assert_eq!(e.label, ImpactLabel::Effective);
    let row = &e.rows[0];
    assert!((row.effect_size.unwrap() - 0.4 / 0.6).abs() < 1e-9);
    assert!(row.p.unwrap() < 0.001);
    assert!(
        e.text_id
            .starts_with("U3 (Waktu penyelesaian) naik dari 2,60 ke 3,00 (signifikan, p < 0,001)"),
        "{}",
        e.text_id
    );
    assert!(
        e.text_en
            .starts_with("U3 (Completion time) rose from 2.60 to 3.00 (significant, p < 0.001)"),
        "{}",
        e.text_en
    );
    assert!(e.text_id.ends_with("efektif"));
    // 2.6 → 2.65: t = 0.59, p = 0.56.
    let n = impact_of(s(100, 2.6, 0.6), s(100, 2.65, 0.6));
    assert_eq!(n.label, ImpactLabel::NoSignificantChange);
    assert!(n.text_id.contains("tinjau materi dan metode pelatihan"));
    assert!(n.label.needs_review());
    // 2.6 → 2.3: worse.
    let w = impact_of(s(100, 2.6, 0.6), s(100, 2.3, 0.6));
    assert_eq!(w.label, ImpactLabel::Worse);
    assert_eq!(w.rows[0].outcome, "worse");
    // 10 answers after: below min_n 30.
    let x = impact_of(s(100, 2.6, 0.6), s(10, 3.5, 0.6));
    assert_eq!(x.label, ImpactLabel::NotEnoughData);
    assert!(!x.label.needs_review());
}

#[test]
fn impact_of_complaint_rates_and_windows() {
    let mk = |from: &str, to: &str, k: usize| {
        let mut w = window(from, to, &[("*", share(400, 400))]);
        for i in 0..k {
            w.complaints.push(ComplaintFact {
                tracking_id: format!("T{i}"),
                category: "waktu_tunggu".into(),
                rahasia: false,
                filed_on: d(from),
                late: None,
            });
        }
        w
    };
    let r = rule(vec![Condition::ComplaintRate {
        categories: vec!["waktu_tunggu".into()],
        per: RateBase::Month,
        threshold: 5.0,
        min_count: 5,
    }]);
    // 40 then 10 complaints in equal 90-day windows: z = (10 − 25)/√(50 × 0.25) = −4.24.
    let i = evaluate_impact(
        &r,
        &mk("2026-01-01", "2026-03-31", 40),
        &mk("2026-05-01", "2026-07-29", 10),
        None,
        &Default::default(),
    );
    assert_eq!(i.label, ImpactLabel::Effective);
    assert!((i.rows[0].effect_size.unwrap() - 0.25).abs() < 1e-9);
    let ((bf, bt), (af, at)) = impact_windows(d("2026-04-06"), d("2026-04-07"), 90, 90);
    assert_eq!((bf, bt), (d("2026-01-06"), d("2026-04-05")));
    assert_eq!((af, at), (d("2026-04-08"), d("2026-07-06")));
}
