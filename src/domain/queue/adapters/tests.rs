//! Each vendor's sample (from `../shared/queue.md`) and the events it maps to.
use serde_json::json;

use super::*;

/// (index, service, ticket, event, at) of an event mapped, or the record's problem fields.
type Row = Result<(usize, String, String, String, String), Vec<String>>;

fn events(m: Mapped) -> Vec<Row> {
    m.into_iter()
        .map(|(i, r)| match r {
            Ok(e) => {
                let c = e.check().expect("a mapped event checks");
                Ok((
                    i,
                    c.service,
                    c.ticket,
                    c.event.to_string(),
                    c.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                ))
            }
            Err(p) => Err(p.keys().cloned().collect()),
        })
        .collect()
}

fn ok(i: usize, s: &str, t: &str, e: &str, at: &str) -> Row {
    Ok((i, s.into(), t.into(), e.into(), at.into()))
}

#[test]
fn bpjs_tasks_map_to_stages() {
    // 1733112000000 ms = 2024-12-02T04:00:00Z (11:00 WIB).
    let body = json!([
        {"kodebooking": "RS-0001", "taskid": 3, "waktu": 1733112000000i64},
        {"kodebooking": "RS-0001", "taskid": 4, "waktu": 1733113200000i64},
        {"kodebooking": "RS-0001", "taskid": "5", "waktu": "1733114100000"},
        {"kodebooking": "RS-0002", "taskid": 99, "waktu": 1733112000000i64},
        {"kodebooking": "", "taskid": 8, "waktu": "kemarin"}
    ]);
    assert_eq!(
        events(bpjs(&body)),
        vec![
            ok(0, "admisi", "RS-0001", "finished", "2024-12-02T04:00:00Z"),
            ok(0, "poli", "RS-0001", "issued", "2024-12-02T04:00:00Z"),
            ok(1, "poli", "RS-0001", "called", "2024-12-02T04:20:00Z"),
            ok(1, "poli", "RS-0001", "started", "2024-12-02T04:20:00Z"),
            ok(2, "poli", "RS-0001", "finished", "2024-12-02T04:35:00Z"),
            ok(2, "farmasi", "RS-0001", "issued", "2024-12-02T04:35:00Z"),
            ok(3, "poli", "RS-0002", "no_show", "2024-12-02T04:00:00Z"),
            Err(vec!["kodebooking".into(), "taskid".into(), "waktu".into()]),
        ]
    );
    // One object, not an array.
    let one = bpjs(&json!({"kodebooking": "X", "taskid": 1, "waktu": 1733112000000i64}));
    assert_eq!(
        events(one),
        vec![ok(0, "admisi", "X", "issued", "2024-12-02T04:00:00Z")]
    );
}

#[test]
fn novosga_times_without_offset_are_wib() {
    let body = json!([{
        "id": 981, "senha": {"sigla": "A", "numero": 12},
        "servico": {"id": 3, "nome": "KTP Elektronik"},
        "numeroLocal": 2, "status": "encerrado",
        "dataChegada": "2026-12-01T08:00:00", "dataChamada": "2026-12-01T08:25:00",
        "dataInicio": "2026-12-01T08:26:00", "dataFim": "2026-12-01T08:40:00"
    }, {
        "id": 982, "senha": "B7", "servico": "Akta", "status": "nao_compareceu",
        "dataChegada": "2026-12-01T09:00:00", "dataChamada": "2026-12-01T09:30:00+07:00"
    }, {
        "id": 983, "senha": "C1", "dataChegada": "1 Desember"
    }]);
    assert_eq!(
        events(novosga(&body)),
        vec![
            ok(0, "KTP Elektronik", "A12", "issued", "2026-12-01T01:00:00Z"),
            ok(0, "KTP Elektronik", "A12", "called", "2026-12-01T01:25:00Z"),
            ok(
                0,
                "KTP Elektronik",
                "A12",
                "started",
                "2026-12-01T01:26:00Z"
            ),
            ok(
                0,
                "KTP Elektronik",
                "A12",
                "finished",
                "2026-12-01T01:40:00Z"
            ),
            ok(1, "Akta", "B7", "issued", "2026-12-01T02:00:00Z"),
            ok(1, "Akta", "B7", "called", "2026-12-01T02:30:00Z"),
            ok(1, "Akta", "B7", "no_show", "2026-12-01T02:30:00Z"),
            Err(vec!["dataChegada".into()]),
        ]
    );
}

#[test]
fn qminder_webhooks_map_by_type() {
    let created = json!({"type": "ticket_created", "data": {"id": 4711, "line": 77,
        "created": {"date": "2026-12-01T01:00:00.000Z"}}});
    let called = json!({"type": "ticket_called", "data": {"id": "4711", "line": {"id": 77, "name": "Poli Umum"},
        "called": {"date": "2026-12-01T01:18:30Z", "desk": 3}}});
    let served = json!({"type": "ticket_served", "data": {"id": 4711, "line": 77,
        "served": {"date": "2026-12-01T01:30:00Z"}}});
    assert_eq!(
        events(qminder(&created)),
        vec![ok(0, "77", "4711", "issued", "2026-12-01T01:00:00Z")]
    );
    let c = qminder(&called);
    assert_eq!(c[0].1.as_ref().unwrap().counter.as_deref(), Some("3"));
    assert_eq!(
        events(c),
        vec![ok(0, "Poli Umum", "4711", "called", "2026-12-01T01:18:30Z")]
    );
    assert_eq!(
        events(qminder(&served)),
        vec![ok(0, "77", "4711", "finished", "2026-12-01T01:30:00Z")]
    );
    assert!(qminder(&json!({"type": "ticket_changed", "data": {"id": 1}})).is_empty());
    assert_eq!(
        events(qminder(&json!({"type": "lunch", "data": {}}))),
        vec![Err(vec!["type".into()])]
    );
    assert_eq!(
        events(qminder(
            &json!({"type": "ticket_called", "data": {"id": 1}})
        )),
        vec![Err(vec!["data.called.date".into()])]
    );
}

#[test]
fn csv_by_header_with_commas_or_semicolons() {
    let comma = "ticket,service,event,at,counter\nA001,KTP,issued,2026-12-01T08:00:00+07:00,\nA001,KTP,called,2026-12-01T08:18:00+07:00,2\n";
    let m = csv(comma.as_bytes()).unwrap();
    assert_eq!(
        events(m),
        vec![
            ok(0, "KTP", "A001", "issued", "2026-12-01T01:00:00Z"),
            ok(1, "KTP", "A001", "called", "2026-12-01T01:18:00Z"),
        ]
    );
    // Indonesian Excel: semicolons, columns in another order, a BOM, no counter column.
    let semi = "\u{feff}at;event;ticket\n2026-12-01T08:00:00+07:00;issued;B2\n";
    assert_eq!(
        events(csv(semi.as_bytes()).unwrap()),
        vec![ok(0, "", "B2", "issued", "2026-12-01T01:00:00Z")]
    );
    assert_eq!(csv(b"nomor,waktu\n1,2\n").unwrap_err(), "v_queue_header");
    // A bad row is a row with problems, checked later; the next row stands.
    let bad = "ticket,event,at\nA1,issued,kemarin\nA2,issued,2026-12-01T08:00:00+07:00\n";
    let m = csv(bad.as_bytes()).unwrap();
    assert!(m[0].1.as_ref().unwrap().check().is_err());
    assert!(m[1].1.as_ref().unwrap().check().is_ok());
}
