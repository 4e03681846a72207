//! The conversation worked by hand, message by message.
use super::*;

fn ctx_data() -> (Vec<ChatUnit>, Vec<String>, Vec<String>) {
    let units = vec![
        ChatUnit {
            slug: "disdukcapil-kota-jambi".into(),
            code: Some("DK1".into()),
            services: vec!["ktp-el".into(), "kk".into()],
        },
        ChatUnit {
            slug: "puskesmas-paal-x".into(),
            code: None,
            services: vec![],
        },
    ];
    let elements = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"]
        .map(String::from)
        .to_vec();
    let categories = ["waktu_tunggu", "prosedur", "lainnya"]
        .map(String::from)
        .to_vec();
    (units, elements, categories)
}

/// Runs messages from a fresh session; returns every turn.
fn talk(messages: &[&str]) -> Vec<Turn> {
    let (units, elements, categories) = ctx_data();
    let ctx = Ctx {
        units: &units,
        elements: &elements,
        categories: &categories,
        fresh_id: "c1",
    };
    let mut session = Session::default();
    let mut turns = vec![];
    for m in messages {
        let t = step(&session, m, &ctx);
        session = t.session.clone();
        turns.push(t);
    }
    turns
}

#[test]
fn a_whole_survey_by_short_code_with_a_service_and_skips() {
    let mut msgs = vec!["skm dk1", "2"];
    msgs.extend(["4", "3", "3", "4", "2", "3", "4", "1", "3"]);
    msgs.extend(["-", "Antrean panjang tapi petugas ramah"]);
    let turns = talk(&msgs);
    assert_eq!(
        turns[0].replies,
        vec![Reply::AskService {
            unit: "disdukcapil-kota-jambi".into(),
            services: vec!["ktp-el".into(), "kk".into()]
        }]
    );
    assert_eq!(
        turns[1].replies,
        vec![Reply::AskElement {
            n: 1,
            of: 9,
            code: "U1".into()
        }]
    );
    // The eighth element asked is U9: the model questionnaire's order.
    assert_eq!(
        turns[8].replies,
        vec![Reply::AskElement {
            n: 8,
            of: 9,
            code: "U9".into()
        }]
    );
    assert_eq!(turns[10].replies, vec![Reply::AskWait]);
    assert_eq!(turns[11].replies, vec![Reply::AskComment]);
    let done = turns[12].done.clone().expect("finished");
    let Done::Survey {
        unit,
        service,
        answers,
        wait_minutes,
        comment,
    } = done
    else {
        panic!("a survey")
    };
    assert_eq!(unit, "disdukcapil-kota-jambi");
    assert_eq!(service.as_deref(), Some("kk"));
    assert_eq!(answers.len(), 9);
    assert_eq!((answers["U9"], answers["U8"]), (1, 3));
    assert_eq!(wait_minutes, None, "skipped with -");
    assert_eq!(
        comment.as_deref(),
        Some("Antrean panjang tapi petugas ramah")
    );
    assert_eq!(turns[12].session.state, State::Idle);
    // Thirteen messages from the citizen for the whole SKM.
    assert_eq!(msgs.len(), 13);
}

#[test]
fn a_unit_without_services_starts_with_the_first_element() {
    let turns = talk(&["SKM puskesmas-paal-x"]);
    assert_eq!(
        turns[0].replies,
        vec![Reply::AskElement {
            n: 1,
            of: 9,
            code: "U1".into()
        }]
    );
}

#[test]
fn wrong_answers_repeat_the_question_with_what_is_allowed() {
    let turns = talk(&["SKM dk1", "3", "-", "1", "5", "empat", "4"]);
    assert_eq!(turns[1].replies[0], Reply::OutOfRange { lo: 1, hi: 2 });
    assert_eq!(
        turns[2].replies[0],
        Reply::NotANumber,
        "the service cannot be skipped: the SKM needs it"
    );
    let u1 = Reply::AskElement {
        n: 1,
        of: 9,
        code: "U1".into(),
    };
    assert_eq!(turns[3].replies, vec![u1.clone()]);
    assert_eq!(
        turns[4].replies,
        vec![Reply::OutOfRange { lo: 1, hi: 4 }, u1.clone()]
    );
    assert_eq!(turns[5].replies, vec![Reply::NotANumber, u1]);
    assert_eq!(
        turns[6].replies,
        vec![Reply::AskElement {
            n: 2,
            of: 9,
            code: "U2".into()
        }]
    );
}

#[test]
fn a_complaint_with_and_without_contact() {
    let turns = talk(&[
        "ADUAN disdukcapil-kota-jambi",
        "9",
        "1",
        "lama",
        "Antrean KTP-el tiga jam tanpa nomor urut.",
        "Budi, budi@example.id",
    ]);
    assert!(matches!(turns[0].replies[0], Reply::AskCategory { .. }));
    assert_eq!(turns[1].replies[0], Reply::OutOfRange { lo: 1, hi: 3 });
    assert_eq!(turns[2].replies, vec![Reply::AskDescription]);
    assert_eq!(
        turns[3].replies,
        vec![
            Reply::DescriptionTooShort { min: 20 },
            Reply::AskDescription
        ]
    );
    assert_eq!(turns[4].replies, vec![Reply::AskContact]);
    assert_eq!(
        turns[5].done,
        Some(Done::Complaint {
            unit: "disdukcapil-kota-jambi".into(),
            category: "waktu_tunggu".into(),
            description: "Antrean KTP-el tiga jam tanpa nomor urut.".into(),
            contact: Some("Budi, budi@example.id".into()),
        })
    );
    let skipped = talk(&[
        "aduan DK1",
        "2",
        "Persyaratan KK berubah-ubah setiap datang.",
        "-",
    ]);
    assert!(matches!(
        skipped[3].done,
        Some(Done::Complaint { contact: None, .. })
    ));
}

#[test]
fn commands_work_anywhere() {
    let turns = talk(&["SKM dk1", "EN", "BANTUAN", "batal", "4", "skm tidak-ada"]);
    assert_eq!(turns[1].session.lang, Lang::En);
    assert_eq!(turns[1].replies[0], Reply::LanguageSet);
    assert!(
        matches!(turns[1].replies[1], Reply::AskService { .. }),
        "the open question again"
    );
    assert_eq!(turns[2].replies[0], Reply::Help);
    assert_eq!(turns[3].replies, vec![Reply::Cancelled]);
    assert_eq!(turns[3].session.state, State::Idle);
    assert_eq!(turns[3].session.lang, Lang::En, "the language stays");
    assert_eq!(turns[4].replies, vec![Reply::NotUnderstood, Reply::Help]);
    assert_eq!(
        turns[5].replies,
        vec![Reply::UnknownUnit("tidak-ada".into())]
    );
}

#[test]
fn a_quiet_hour_ends_a_session() {
    assert!(!expired(59));
    assert!(expired(60));
}

#[test]
fn a_wait_longer_than_a_day_is_asked_again() {
    let mut msgs = vec!["SKM puskesmas-paal-x"];
    msgs.extend(["4"; 9]);
    msgs.extend(["2000", "90"]);
    let turns = talk(&msgs);
    assert_eq!(
        turns[10].replies,
        vec![
            Reply::OutOfRange {
                lo: 0,
                hi: MAX_WAIT_MINUTES
            },
            Reply::AskWait
        ]
    );
    assert_eq!(turns[11].replies, vec![Reply::AskComment]);
}

#[test]
fn text_longer_than_a_question_takes_is_refused_not_cut() {
    let long = "a".repeat(MAX_COMMENT + 1);
    let mut msgs = vec!["SKM puskesmas-paal-x"];
    msgs.extend(["4"; 9]);
    msgs.extend(["-", long.as_str()]);
    let turns = talk(&msgs);
    assert_eq!(
        turns[11].replies,
        vec![Reply::TooLong { max: MAX_COMMENT }, Reply::AskComment]
    );
    assert!(turns[11].done.is_none(), "nothing stored, nothing lost");
    let exact = "b".repeat(MAX_COMMENT);
    msgs.pop();
    msgs.push(exact.as_str());
    let Some(Done::Survey { comment, .. }) = talk(&msgs)[11].done.clone() else {
        panic!("a comment of exactly the limit finishes the survey");
    };
    assert_eq!(comment.map(|c| c.chars().count()), Some(MAX_COMMENT));

    let description = "Antrean ".repeat(MAX_DESCRIPTION / 8 + 1);
    let contact = "x".repeat(MAX_CONTACT + 1);
    let turns = talk(&[
        "aduan DK1",
        "1",
        description.as_str(),
        "Antrean KTP-el tiga jam tanpa nomor urut.",
        contact.as_str(),
    ]);
    assert_eq!(
        turns[2].replies,
        vec![
            Reply::TooLong {
                max: MAX_DESCRIPTION
            },
            Reply::AskDescription
        ]
    );
    assert_eq!(turns[3].replies, vec![Reply::AskContact]);
    assert_eq!(
        turns[4].replies,
        vec![Reply::TooLong { max: MAX_CONTACT }, Reply::AskContact]
    );
}

#[test]
fn a_conversation_keeps_the_id_it_started_with() {
    let (units, elements, categories) = ctx_data();
    let ctx = |fresh_id| Ctx {
        units: &units,
        elements: &elements,
        categories: &categories,
        fresh_id,
    };
    let idle = Session::default();
    let t = step(&idle, "SKM puskesmas-paal-x", &ctx("A"));
    assert_eq!(t.session.conversation, "A");
    let t = step(&t.session, "4", &ctx("B"));
    assert_eq!(t.session.conversation, "A", "an answer goes on");
    let t = step(&t.session, "EN", &ctx("C"));
    assert_eq!(t.session.conversation, "A", "a command mid-way goes on");
    let restarted = step(&t.session, "ADUAN DK1", &ctx("D"));
    assert_eq!(restarted.session.conversation, "D", "a new start, a new id");
    let cancelled = step(&restarted.session, "BATAL", &ctx("E"));
    assert_eq!(cancelled.session.conversation, "");
    let unknown = step(&idle, "SKM tidak-ada", &ctx("F"));
    assert_eq!(unknown.session.conversation, "", "nothing started");
}
