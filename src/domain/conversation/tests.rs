//! The conversation worked by hand, message by message.
use super::*;
use serde_json::json;

fn units() -> Vec<ChatUnit> {
    vec![
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
    ]
}

fn w(id: &str, en: &str) -> Words {
    (id.into(), en.into())
}

fn likert(code: &str, labels: [&str; 4]) -> ChatQuestion {
    ChatQuestion {
        code: code.into(),
        label: w(&format!("Pertanyaan {code}?"), &format!("Question {code}?")),
        kind: ChatKind::Choice {
            options: labels
                .iter()
                .enumerate()
                .map(|(i, l)| (json!(i as i64 + 1), w(l, l)))
                .collect(),
        },
        required: true,
        show_if: None,
    }
}

/// The model SKM as the chat asks it: service, nine elements, the wait, a comment.
fn skm() -> Vec<ChatQuestion> {
    let mut q = vec![ChatQuestion {
        code: "SERVICE".into(),
        label: w("Layanan apa?", "Which service?"),
        kind: ChatKind::Service,
        required: true,
        show_if: None,
    }];
    for code in ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"] {
        q.push(likert(
            code,
            ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        ));
    }
    q.push(ChatQuestion {
        code: "WAIT_MIN".into(),
        label: w("Berapa menit menunggu?", "How many minutes?"),
        kind: ChatKind::Number {
            min: 0,
            max: 1440,
            minutes: true,
        },
        required: false,
        show_if: None,
    });
    q.push(ChatQuestion {
        code: "COMMENT".into(),
        label: w("Saran?", "Suggestions?"),
        kind: ChatKind::Text { max: 1000 },
        required: false,
        show_if: None,
    });
    q
}

const CATEGORIES: [&str; 3] = ["waktu_tunggu", "prosedur", "lainnya"];

/// Runs messages from a fresh session with `questions` as the unit's survey; every turn.
fn talk_with(questions: &[ChatQuestion], messages: &[&str]) -> Vec<Turn> {
    let units = units();
    let categories: Vec<String> = CATEGORIES.map(String::from).to_vec();
    let ctx = Ctx {
        units: &units,
        questions,
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

fn talk(messages: &[&str]) -> Vec<Turn> {
    talk_with(&skm(), messages)
}

fn asked(t: &Turn) -> Option<String> {
    t.replies.iter().find_map(|r| match r {
        Reply::Ask { question, .. } => Some(question.code.clone()),
        _ => None,
    })
}

#[test]
fn a_whole_survey_by_short_code_with_words_and_skips() {
    let mut msgs = vec!["skm dk1", "2"];
    msgs.extend([
        "4",
        "sesuai",
        "Sangat Sesuai",
        "kurang sesuai",
        "3",
        "tdk sesuai",
    ]);
    msgs.extend(["sesuia", "4", "3"]);
    msgs.extend(["1 jam 30 menit", "-"]);
    let turns = talk(&msgs);
    assert_eq!(asked(&turns[0]).as_deref(), Some("SERVICE"));
    let Reply::Ask {
        n, of, services, ..
    } = &turns[0].replies[0]
    else {
        panic!("{:?}", turns[0].replies)
    };
    assert_eq!((*n, *of), (1, 12));
    assert_eq!(services, &["ktp-el".to_string(), "kk".to_string()]);
    assert_eq!(asked(&turns[1]).as_deref(), Some("U1"));
    // The eighth element asked is U9: the model questionnaire's order.
    assert_eq!(asked(&turns[8]).as_deref(), Some("U9"));
    assert_eq!(asked(&turns[10]).as_deref(), Some("WAIT_MIN"));
    assert_eq!(asked(&turns[11]).as_deref(), Some("COMMENT"));
    let Some(Done::Survey { unit, answers }) = turns[12].done.clone() else {
        panic!("finished: {:?}", turns[12])
    };
    assert_eq!(unit, "disdukcapil-kota-jambi");
    assert_eq!(answers["SERVICE"], json!("kk"));
    assert_eq!(answers["U1"], json!(4));
    assert_eq!(answers["U2"], json!(3), "sesuai");
    assert_eq!(answers["U3"], json!(4), "Sangat Sesuai");
    assert_eq!(answers["U4"], json!(2), "kurang sesuai");
    assert_eq!(answers["U6"], json!(1), "tdk sesuai");
    assert_eq!(answers["U7"], json!(3), "a typo: sesuia");
    assert_eq!(answers["WAIT_MIN"], json!(90));
    assert!(!answers.contains_key("COMMENT"), "skipped");
    // 12 questions and the thanks: 13 messages.
    let asks = turns.iter().filter(|t| asked(t).is_some()).count();
    assert_eq!(asks + 1, 13);
    assert_eq!(turns[12].session.state, State::Idle);
}

#[test]
fn a_custom_survey_is_asked_as_it_is() {
    let questions = vec![
        ChatQuestion {
            code: "PUAS".into(),
            label: w("Puas dengan layanan?", "Satisfied?"),
            kind: ChatKind::Choice {
                options: vec![
                    (json!("ya"), w("Ya", "Yes")),
                    (json!("tidak"), w("Tidak", "No")),
                ],
            },
            required: true,
            show_if: None,
        },
        ChatQuestion {
            code: "ALASAN".into(),
            label: w("Mengapa tidak?", "Why not?"),
            kind: ChatKind::Text { max: 200 },
            required: true,
            show_if: Some(("PUAS".into(), json!("tidak"))),
        },
        ChatQuestion {
            code: "KUNJUNGAN".into(),
            label: w("Berapa kali datang?", "How many visits?"),
            kind: ChatKind::Number {
                min: 1,
                max: 20,
                minutes: false,
            },
            required: true,
            show_if: None,
        },
    ];
    // "Ya": the follow-up question is not asked.
    let turns = talk_with(&questions, &["skm puskesmas-paal-x", "ya", "2"]);
    assert_eq!(asked(&turns[0]).as_deref(), Some("PUAS"));
    assert_eq!(asked(&turns[1]).as_deref(), Some("KUNJUNGAN"));
    let Some(Done::Survey { answers, .. }) = turns[2].done.clone() else {
        panic!("{:?}", turns[2])
    };
    assert_eq!(
        answers,
        BTreeMap::from([("PUAS".into(), json!("ya")), ("KUNJUNGAN".into(), json!(2))])
    );
    // "Tidak": it is, and a required question cannot be skipped.
    let turns = talk_with(
        &questions,
        &[
            "skm puskesmas-paal-x",
            "tidak",
            "-",
            "Loket tutup",
            "25",
            "3",
        ],
    );
    assert_eq!(asked(&turns[1]).as_deref(), Some("ALASAN"));
    assert_eq!(turns[2].replies[0], Reply::Required);
    assert_eq!(asked(&turns[3]).as_deref(), Some("KUNJUNGAN"));
    assert_eq!(turns[4].replies[0], Reply::OutOfRange { lo: 1, hi: 20 });
    let Some(Done::Survey { answers, .. }) = turns[5].done.clone() else {
        panic!("{:?}", turns[5])
    };
    assert_eq!(answers["ALASAN"], json!("Loket tutup"));
}

#[test]
fn wrong_answers_repeat_the_question_with_what_is_allowed() {
    let turns = talk(&[
        "skm puskesmas-paal-x",
        "5",
        "baik sekali",
        "4",
        "lama sekali",
        "2000",
        "45 menit",
    ]);
    // No services here: the first element comes first.
    assert_eq!(asked(&turns[0]).as_deref(), Some("U1"));
    assert_eq!(turns[1].replies[0], Reply::NotAnOption { count: 4 });
    assert_eq!(asked(&turns[1]).as_deref(), Some("U1"));
    assert_eq!(turns[2].replies[0], Reply::NotAnOption { count: 4 });
    assert_eq!(asked(&turns[3]).as_deref(), Some("U2"));
    let t = talk(&[
        "skm puskesmas-paal-x",
        "4",
        "4",
        "4",
        "4",
        "4",
        "4",
        "4",
        "4",
        "4",
        "lama sekali",
        "2000",
        "45 menit",
    ]);
    assert_eq!(t[10].replies[0], Reply::NotANumber { minutes: true });
    assert_eq!(t[11].replies[0], Reply::OutOfRange { lo: 0, hi: 1440 });
    assert_eq!(asked(&t[12]).as_deref(), Some("COMMENT"));
}

#[test]
fn greetings_and_unknown_messages_get_the_menu_and_cek_asks_a_status() {
    for hello in ["Halo", "selamat pagi", "Assalamualaikum", "hi", "apa ini?"] {
        let t = talk(&[hello]);
        assert_eq!(t[0].replies, vec![Reply::Menu], "{hello}");
        assert_eq!(t[0].session.state, State::Idle);
    }
    let t = talk(&["CEK SRA-7KQ2-M9XD"]);
    assert_eq!(
        t[0].done,
        Some(Done::Check {
            tracking_id: "SRA-7KQ2-M9XD".into()
        })
    );
    let t = talk(&["cek"]);
    assert_eq!(t[0].replies, vec![Reply::AskTrackingId]);
    // Mid-complaint, a status check leaves the complaint where it was.
    let t = talk(&["aduan dk1", "cek SRA-AAAA-BBBB"]);
    assert!(matches!(t[1].session.state, State::Complaint(_)));
    assert!(matches!(t[1].done, Some(Done::Check { .. })));
}

#[test]
fn a_complaint_with_and_without_contact() {
    let t = talk(&[
        "ADUAN disdukcapil-kota-jambi",
        "waktu tunggu",
        "pendek",
        "Antrean KTP sangat lama dan tidak ada nomor urut.",
        "Budi 0812",
    ]);
    assert!(matches!(t[0].replies[0], Reply::AskCategory { .. }));
    assert_eq!(
        t[1].replies,
        vec![Reply::AskDescription],
        "the category by its words"
    );
    assert_eq!(t[2].replies[0], Reply::DescriptionTooShort { min: 20 });
    assert_eq!(t[3].replies, vec![Reply::AskContact]);
    assert_eq!(
        t[4].done,
        Some(Done::Complaint {
            unit: "disdukcapil-kota-jambi".into(),
            category: "waktu_tunggu".into(),
            description: "Antrean KTP sangat lama dan tidak ada nomor urut.".into(),
            contact: Some("Budi 0812".into()),
        })
    );
    let t = talk(&[
        "aduan dk1",
        "3",
        "Petugas tidak ada di loket sejak pagi.",
        "-",
    ]);
    let Some(Done::Complaint {
        category, contact, ..
    }) = t[3].done.clone()
    else {
        panic!()
    };
    assert_eq!((category.as_str(), contact), ("lainnya", None));
}

#[test]
fn commands_work_anywhere() {
    let t = talk(&["skm dk1", "EN", "batal", "skm nowhere"]);
    assert_eq!(t[1].session.lang, Lang::En);
    assert_eq!(
        asked(&t[1]).as_deref(),
        Some("SERVICE"),
        "the question again"
    );
    assert_eq!(t[2].replies, vec![Reply::Cancelled]);
    assert_eq!(t[2].session.state, State::Idle);
    assert_eq!(t[3].replies, vec![Reply::UnknownUnit("nowhere".into())]);
    let t = talk(&["skm dk1", "bantuan"]);
    assert_eq!(t[1].replies[0], Reply::Help);
    assert_eq!(asked(&t[1]).as_deref(), Some("SERVICE"));
}

#[test]
fn a_unit_without_a_survey_says_so() {
    let t = talk_with(&[], &["skm dk1"]);
    assert_eq!(t[0].replies, vec![Reply::NoSurvey]);
    assert_eq!(t[0].session.state, State::Idle);
}

#[test]
fn a_quiet_hour_ends_a_session() {
    assert!(!expired(59));
    assert!(expired(60));
}

#[test]
fn text_longer_than_a_question_takes_is_refused_not_cut() {
    let long = "x".repeat(1001);
    let mut msgs = vec!["skm puskesmas-paal-x"];
    msgs.extend(["4"; 9]);
    msgs.extend(["-", long.as_str()]);
    let t = talk(&msgs);
    assert_eq!(t[11].replies[0], Reply::TooLong { max: 1000 });
    assert_eq!(asked(&t[11]).as_deref(), Some("COMMENT"));
    let long = "y".repeat(4001);
    let t = talk(&["aduan dk1", "1", long.as_str()]);
    assert_eq!(t[2].replies[0], Reply::TooLong { max: 4000 });
}

#[test]
fn a_conversation_keeps_the_id_it_started_with() {
    let t = talk(&["skm dk1", "1", "batal", "hallo"]);
    assert_eq!(t[0].session.conversation, "c1");
    assert_eq!(t[1].session.conversation, "c1");
    assert_eq!(t[2].session.conversation, "");
    assert_eq!(t[3].session.conversation, "");
}

#[test]
fn the_unit_in_play_is_the_survey_s_or_the_one_named() {
    let units = units();
    let idle = Session::default();
    assert_eq!(
        unit_in_play(&idle, "SKM dk1", &units).as_deref(),
        Some("disdukcapil-kota-jambi")
    );
    assert_eq!(unit_in_play(&idle, "halo", &units), None);
    let t = talk(&["skm dk1"]);
    assert_eq!(
        unit_in_play(&t[0].session, "2", &units).as_deref(),
        Some("disdukcapil-kota-jambi")
    );
}
