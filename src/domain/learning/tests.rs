use serde_json::json;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn siasn_rows_keep_the_good_and_name_each_problem() {
    let file = "nip,namaKursus,jumlahJam,jenisKursus,tanggalKursus,tanggalSelesaiKursus,institusiPenyelenggara,tahunKursus\n\
        198503122010012003,Pelayanan Prima,16,Kursus,2026-03-02,2026-03-03,BPSDMD Provinsi Jambi,2026\n\
        19850312201001200,Pelayanan Prima,16,Kursus,2026-03-02,2026-03-03,BPSDMD,2026\n\
        198503122010012003,Coaching BerAKHLAK,8,Kursus,05/04/2026,06/04/2026,BPSDMD,2026\n";
    let rows = siasn_csv(file.as_bytes()).unwrap();
    let ok = rows[0].1.as_ref().unwrap();
    assert_eq!((ok.jp, ok.completed_on), (Some(16), d(2026, 3, 3)));
    assert_eq!(ok.key, "198503122010012003|pelayanan prima|2026-03-03");
    assert_eq!(
        rows[1].1.as_ref().unwrap_err().get("nip"),
        Some(&"v_nip_length")
    );
    assert_eq!(rows[2].1.as_ref().unwrap().completed_on, d(2026, 4, 6));
    assert_eq!(siasn_csv(b"nama,jam\n").unwrap_err(), "v_learning_header");
}

#[test]
fn moodle_completions_are_wib_days() {
    // 1772470800 = 2026-03-02T17:00:00Z, already 3 March in Jambi.
    let rows =
        moodle_csv(b"userid,course,timecompleted\n198503122010012003,pelayanan-prima,1772470800\n")
            .unwrap();
    let c = rows[0].1.as_ref().unwrap();
    assert_eq!(
        (c.completed_on, c.jp, c.course.as_str()),
        (d(2026, 3, 3), None, "pelayanan-prima")
    );
}

#[test]
fn xapi_counts_completed_and_passed_and_names_statements() {
    let actor = json!({"objectType": "Agent", "account": {"homePage": "https://elearning.jambiprov.go.id", "name": "198503122010012003"}});
    let body = json!([
        {"id": "6690E6C9-3EF0-4ED3-8B37-7F3964730BEE", "actor": actor,
         "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
         "object": {"id": "https://elearning.jambiprov.go.id/course/pelayanan-prima"},
         "timestamp": "2026-03-02T18:00:00Z"},
        {"actor": actor, "verb": {"id": "http://adlnet.gov/expapi/verbs/progressed"},
         "object": {"id": "https://elearning.jambiprov.go.id/course/pelayanan-prima"}}
    ]);
    let s = xapi(&body, d(2026, 12, 5)).unwrap();
    assert_eq!(s[0].id, "6690e6c9-3ef0-4ed3-8b37-7f3964730bee");
    let c = s[0].completion.as_ref().unwrap();
    assert_eq!(
        (c.nip.as_str(), c.completed_on),
        ("198503122010012003", d(2026, 3, 3))
    );
    assert!(s[1].completion.is_none(), "progress is not a completion");
    assert!(is_uuid(&s[1].id));
    // The same statement without an id gets the same id again.
    assert_eq!(xapi(&body, d(2026, 12, 5)).unwrap()[1].id, s[1].id);
    assert!(xapi(&json!({"verb": {"id": "x"}}), d(2026, 12, 5)).is_err());
    assert!(xapi(&json!("no"), d(2026, 12, 5)).is_err());
}
