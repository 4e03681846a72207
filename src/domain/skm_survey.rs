//! The built-in SKM questionnaire (PermenPANRB 14/2017) as a survey definition.
use serde_json::json;

use super::survey::{Choice, Definition, Kind, Question, Signal, Text};

pub const SKM_CODE: &str = "skm-2017";

struct Element {
    code: &'static str,
    signal: Signal,
    question_id: &'static str,
    question_en: &'static str,
    labels_id: [&'static str; 4],
    labels_en: [&'static str; 4],
}

/// In the order of the regulation's model questionnaire, which asks U9 before U8.
const ELEMENTS: [Element; 9] = [
    Element {
        code: "U1",
        signal: Signal::Requirements,
        question_id: "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        question_en: "How well did the requirements fit the service?",
        labels_id: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        labels_en: ["Not suitable", "Less suitable", "Suitable", "Very suitable"],
    },
    Element {
        code: "U2",
        signal: Signal::Procedure,
        question_id: "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        question_en: "How easy was the procedure at this unit?",
        labels_id: ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
        labels_en: ["Not easy", "Less easy", "Easy", "Very easy"],
    },
    Element {
        code: "U3",
        signal: Signal::WaitTime,
        question_id: "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        question_en: "How quick was the service?",
        labels_id: ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
        labels_en: ["Not quick", "Less quick", "Quick", "Very quick"],
    },
    Element {
        code: "U4",
        signal: Signal::Cost,
        question_id: "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        question_en: "How fair was the fee for the service?",
        labels_id: ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
        labels_en: ["Very expensive", "Fairly expensive", "Cheap", "Free"],
    },
    Element {
        code: "U5",
        signal: Signal::Product,
        question_id: "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?",
        question_en: "Did what you received match what the service standard promises?",
        labels_id: ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
        labels_en: [
            "Not matching",
            "Partly matching",
            "Matching",
            "Fully matching",
        ],
    },
    Element {
        code: "U6",
        signal: Signal::Competence,
        question_id: "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        question_en: "How competent were the staff?",
        labels_id: [
            "Tidak kompeten",
            "Kurang kompeten",
            "Kompeten",
            "Sangat kompeten",
        ],
        labels_en: [
            "Not competent",
            "Less competent",
            "Competent",
            "Very competent",
        ],
    },
    Element {
        code: "U7",
        signal: Signal::Behavior,
        question_id: "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        question_en: "How polite and friendly were the staff?",
        labels_id: [
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ],
        labels_en: [
            "Not polite or friendly",
            "Less polite and friendly",
            "Polite and friendly",
            "Very polite and friendly",
        ],
    },
    Element {
        code: "U9",
        signal: Signal::Facilities,
        question_id: "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        question_en: "How good were the facilities?",
        labels_id: ["Buruk", "Cukup", "Baik", "Sangat baik"],
        labels_en: ["Poor", "Fair", "Good", "Very good"],
    },
    Element {
        code: "U8",
        signal: Signal::ComplaintHandling,
        question_id: "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        question_en: "How are complaints, suggestions and feedback handled?",
        labels_id: [
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ],
        labels_en: [
            "None",
            "Exists but does not work",
            "Works, not fully",
            "Well managed",
        ],
    },
];

fn q(code: &str, kind: Kind, id: &str, en: &str) -> Question {
    Question {
        code: code.into(),
        kind,
        label: Text::new(id, en),
        help: None,
        required: false,
        signal: None,
        profile: false,
        ikm_weight: None,
        show_if: None,
    }
}

fn choices(items: &[(&str, &str, &str)]) -> Vec<Choice> {
    items
        .iter()
        .map(|(v, id, en)| Choice {
            value: json!(v),
            label: Text::new(id, en),
        })
        .collect()
}

pub fn skm_definition() -> Definition {
    let mut questions = vec![Question {
        required: true,
        ..q(
            "SERVICE",
            Kind::Service,
            "Layanan yang Anda terima",
            "The service you received",
        )
    }];
    for e in &ELEMENTS {
        let options = (0..4)
            .map(|i| Choice {
                value: json!(i + 1),
                label: Text::new(e.labels_id[i], e.labels_en[i]),
            })
            .collect();
        questions.push(Question {
            required: true,
            signal: Some(e.signal),
            ikm_weight: Some(1.0 / 9.0),
            ..q(
                e.code,
                Kind::Likert4 { options },
                e.question_id,
                e.question_en,
            )
        });
    }
    questions.push(Question {
        signal: Some(Signal::WaitTime),
        help: Some(Text::new(
            "Dari mulai antre sampai selesai dilayani.",
            "From joining the queue until served.",
        )),
        ..q(
            "WAIT_MIN",
            Kind::Number {
                min: 0,
                max: 1440,
                unit: Some("minutes".into()),
            },
            "Berapa menit Anda menunggu hingga selesai dilayani?",
            "How many minutes did you wait until the service was done?",
        )
    });
    questions.push(Question {
        signal: Some(Signal::Visits),
        ..q(
            "VISITS",
            Kind::Number {
                min: 1,
                max: 20,
                unit: Some("visits".into()),
            },
            "Berapa kali Anda harus datang untuk urusan ini?",
            "How many times did you have to come for this?",
        )
    });
    questions.push(Question {
        signal: Some(Signal::Cost),
        ..q(
            "FEE_PAID",
            Kind::Number {
                min: 0,
                max: 100_000_000,
                unit: Some("rupiah".into()),
            },
            "Berapa rupiah yang Anda bayar untuk layanan ini?",
            "How many rupiah did you pay for this service?",
        )
    });
    questions.push(q(
        "COMMENT",
        Kind::Text { max_length: 1000 },
        "Saran atau komentar untuk unit ini",
        "Suggestions or comments for this unit",
    ));
    questions.push(Question {
        profile: true,
        ..q(
            "gender",
            Kind::SingleChoice {
                options: choices(&[("L", "Laki-laki", "Male"), ("P", "Perempuan", "Female")]),
            },
            "Jenis kelamin",
            "Sex",
        )
    });
    questions.push(Question {
        profile: true,
        ..q(
            "age",
            Kind::Number {
                min: 10,
                max: 110,
                unit: Some("years".into()),
            },
            "Usia (tahun)",
            "Age (years)",
        )
    });
    questions.push(Question {
        profile: true,
        ..q(
            "education",
            Kind::SingleChoice {
                options: choices(&[
                    ("SD", "SD ke bawah", "Primary or less"),
                    ("SMP", "SMP", "Junior secondary"),
                    ("SMA", "SMA/SMK", "Senior secondary"),
                    ("D1-D3", "D1–D3", "Diploma (D1–D3)"),
                    ("D4-S1", "D4/S1", "Bachelor (D4/S1)"),
                    ("S2+", "S2 ke atas", "Master or higher"),
                ]),
            },
            "Pendidikan terakhir",
            "Education",
        )
    });
    questions.push(Question {
        profile: true,
        ..q(
            "occupation",
            Kind::SingleChoice {
                options: choices(&[
                    ("pns", "PNS", "Civil servant"),
                    ("tni", "TNI", "Armed forces"),
                    ("polri", "POLRI", "Police"),
                    ("swasta", "Pegawai swasta", "Private employee"),
                    ("wirausaha", "Wirausaha", "Self-employed"),
                    ("pelajar", "Pelajar/Mahasiswa", "Student"),
                    ("lainnya", "Lainnya", "Other"),
                ]),
            },
            "Pekerjaan",
            "Occupation",
        )
    });
    Definition {
        title: Text::new(
            "Survei Kepuasan Masyarakat",
            "Community Satisfaction Survey",
        ),
        questions,
    }
}
