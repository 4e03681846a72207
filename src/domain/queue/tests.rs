use chrono::{TimeZone, Utc};

use super::*;

fn raw(ticket: &str, event: &str, at: &str) -> RawEvent {
    RawEvent {
        ticket: Some(ticket.into()),
        event: Some(event.into()),
        at: Some(at.into()),
        ..Default::default()
    }
}

#[test]
fn a_time_needs_its_offset() {
    let e = raw("A001", "issued", "2026-12-01T08:00:00+07:00")
        .check()
        .unwrap();
    assert_eq!(e.at, Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap());
    assert_eq!(e.day, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    let p = raw("A001", "issued", "2026-12-01T08:00:00")
        .check()
        .unwrap_err();
    assert_eq!(p.get("at"), Some(&"v_queue_time"));
    // 23:30 UTC is 06:30 the next morning in Jambi.
    let e = raw("A1", "called", "2026-12-01T23:30:00Z").check().unwrap();
    assert_eq!(e.day, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
}

#[test]
fn every_field_says_what_is_wrong() {
    let p = RawEvent {
        event: Some("dipanggil".into()),
        service: Some("x".repeat(101)),
        ..Default::default()
    }
    .check()
    .unwrap_err();
    assert_eq!(p.get("ticket"), Some(&"v_required"));
    assert_eq!(p.get("event"), Some(&"v_choice"));
    assert_eq!(p.get("at"), Some(&"v_required"));
    assert_eq!(p.get("service"), Some(&"v_length"));
    let p = raw("A\u{0}1", "issued", "2026-12-01T08:00:00+07:00")
        .check()
        .unwrap_err();
    assert_eq!(p.get("ticket"), Some(&"v_type"));
}

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, h, m, s).unwrap()
}

fn ticket(issued: (u32, u32), called: Option<(u32, u32)>) -> Ticket {
    let mut t = Ticket::default();
    t.stamp("issued", at(1, issued.0, issued.1));
    if let Some((m, s)) = called {
        t.stamp("called", at(1, m, s));
    }
    t
}

#[test]
fn out_of_order_stamps_keep_the_earliest() {
    let mut t = Ticket::default();
    t.stamp("called", at(1, 20, 0));
    t.stamp("issued", at(1, 2, 0));
    t.stamp("issued", at(1, 0, 0));
    assert_eq!(t.wait(), Some(20.0));
    // Called before it was issued: a clock error, not a wait of zero.
    let mut t = Ticket::default();
    t.stamp("issued", at(2, 0, 0));
    t.stamp("called", at(1, 0, 0));
    assert_eq!(t.wait(), None);
}

/// Ten tickets worked by hand. Waits (min): 5, 8, 12, 18, 18, 25, 31, 40 (40:30), 55, and one
/// never called. Sorted: 5 8 12 18 18 25 31 40 55 (n = 9). p50: rank ⌈4,5⌉ = 5 → 18. p90: rank
/// ⌈8,1⌉ = 9 → 55. Standard 30: over are 31, 40:30, 55 → 3 of 9.
#[test]
fn percentiles_and_the_share_over_standard_by_hand() {
    let mut ts: Vec<Ticket> = [
        (5, 0),
        (8, 0),
        (12, 0),
        (18, 0),
        (18, 0),
        (25, 0),
        (31, 0),
        (40, 30),
        (55, 0),
    ]
    .iter()
    .map(|&(m, s)| ticket((0, 0), Some((m, s))))
    .collect();
    ts.push(ticket((0, 0), None));
    let mut noshow = ticket((1, 0), None);
    noshow.stamp("no_show", at(1, 30, 0));
    ts.push(noshow);
    let m = DayMeasures::of(&ts, Some(30));
    assert_eq!(m.tickets, 11);
    assert_eq!(m.no_shows, 1);
    assert_eq!(m.wait.n, 9, "a ticket never called is left out, not a zero");
    assert_eq!(nearest_rank(&m.waits, 50.0), Some(18));
    assert_eq!(nearest_rank(&m.waits, 90.0), Some(55));
    assert_eq!((m.over, m.judged), (3, 9));
    assert_eq!(share(m.over, m.judged), Some(3.0 / 9.0));
    // Exactly on the standard is not over it.
    let m = DayMeasures::of(&[ticket((0, 0), Some((30, 0)))], Some(30));
    assert_eq!(m.over, 0);
    // No standard: nothing judged.
    let m = DayMeasures::of(&ts, None);
    assert_eq!(m.judged, 0);
}

#[test]
fn days_add_up_to_the_period() {
    let a = DayMeasures::of(&[ticket((0, 0), Some((10, 0)))], Some(30));
    let b = DayMeasures::of(
        &[ticket((0, 0), Some((40, 0))), ticket((0, 0), Some((20, 0)))],
        Some(30),
    );
    let mut t = a.clone();
    t.add(&b);
    assert_eq!(t.tickets, 3);
    assert_eq!(nearest_rank(&t.waits, 50.0), Some(20));
    assert_eq!((t.over, t.judged), (1, 3));
    assert_eq!(t.wait.mean(), Some(70.0 / 3.0));
    assert_eq!(histogram_from_json(&histogram_json(&t.waits)), t.waits);
}

#[test]
fn nearest_rank_edges() {
    let h: Histogram = [(7, 1)].into_iter().collect();
    assert_eq!(nearest_rank(&h, 50.0), Some(7));
    assert_eq!(nearest_rank(&h, 100.0), Some(7));
    assert_eq!(nearest_rank(&Histogram::new(), 50.0), None);
    let h: Histogram = [(1, 1), (2, 1), (3, 1), (4, 1)].into_iter().collect();
    // n = 4: p50 → rank 2 → 2; p90 → rank ⌈3,6⌉ = 4 → 4.
    assert_eq!(nearest_rank(&h, 50.0), Some(2));
    assert_eq!(nearest_rank(&h, 90.0), Some(4));
}

#[test]
fn a_day_is_measured_per_service_and_unlabelled_stamps_join_their_ticket() {
    let s = |service: &str, ticket: &str, event: &str, m: u32| {
        (
            service.to_string(),
            ticket.to_string(),
            event.to_string(),
            at(1, m, 0),
        )
    };
    // A1 names its service only when issued; B1 is in two services' queues (a BPJS booking).
    let stamps = vec![
        s("farmasi", "A1", "issued", 0),
        s("", "A1", "called", 40),
        s("poli", "B1", "issued", 0),
        s("poli", "B1", "called", 10),
        s("farmasi", "B1", "issued", 20),
        s("farmasi", "B1", "called", 25),
        s("", "C1", "issued", 0),
    ];
    let cells = measure_day(stamps, |service| (service == "farmasi").then_some(30));
    let names: Vec<&str> = cells.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(names, ["", "farmasi", "poli"]);
    let farmasi = &cells[1].1;
    assert_eq!(farmasi.tickets, 2);
    // A1 waited 40 (over 30), B1 at the pharmacy 5.
    assert_eq!((farmasi.over, farmasi.judged), (1, 2));
    assert_eq!(cells[2].1.judged, 0, "the clinic has no standard here");
    assert_eq!(cells[0].1.wait.n, 0, "C1 was never called");
}
