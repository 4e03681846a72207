//! The conversation's replies in words: short texts in the session's language, sized for
//! 160-character SMS parts (a long numbered list is split over several messages).
use std::collections::HashMap;

use crate::domain::conversation::{ChatKind, ChatQuestion, Reply};
use crate::i18n::Lang;

/// One SMS part.
pub const SMS_LEN: usize = 160;

/// Display names for what the conversation knows only by code.
#[derive(Default)]
pub struct Names {
    /// Service slug → name.
    pub services: HashMap<String, String>,
    /// Category code → (Indonesian, English) name.
    pub categories: HashMap<String, (String, String)>,
    /// Unit slug → name.
    pub units: HashMap<String, String>,
}

fn fill(template: &str, vars: &[(&str, String)]) -> String {
    vars.iter().fold(template.to_string(), |s, (k, v)| {
        s.replace(&format!("{{{k}}}"), v)
    })
}

/// `head` then `1 item` lines, packed into as few SMS-sized messages as fit.
pub fn numbered(head: &str, items: &[String]) -> Vec<String> {
    let mut parts = vec![];
    let mut current = head.to_string();
    for (i, item) in items.iter().enumerate() {
        let line = format!("{} {}", i + 1, item);
        if !current.is_empty() && current.chars().count() + 1 + line.chars().count() > SMS_LEN {
            parts.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(&line);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// A question as the chat puts it: `n/of`, the survey's own words, then what to answer with.
fn ask(
    n: usize,
    of: usize,
    q: &ChatQuestion,
    services: &[String],
    lang: Lang,
    names: &Names,
) -> Vec<String> {
    let head = format!("{n}/{of} {}", lang.pick(&q.label.0, &q.label.1));
    let skip = if q.required {
        String::new()
    } else {
        format!(" {}", lang.t("chat_skip_hint"))
    };
    match &q.kind {
        ChatKind::Service => {
            let items: Vec<String> = services
                .iter()
                .map(|s| names.services.get(s).cloned().unwrap_or(s.clone()))
                .collect();
            // One message, however many services: every question is one.
            vec![numbered(&head, &items).join("\n")]
        }
        ChatKind::Choice { options } => {
            let answers: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(i, (_, l))| format!("{} {}", i + 1, lang.pick(&l.0, &l.1)))
                .collect();
            // One message (a long question goes as a two-part SMS): the SKM stays at 13.
            vec![format!("{head}\n{}{skip}", answers.join(" · "))]
        }
        ChatKind::Number { minutes: true, .. } => {
            vec![format!("{head} {}{skip}", lang.t("chat_minutes_hint"))]
        }
        ChatKind::Number { .. } => vec![format!("{head} {}{skip}", lang.t("chat_number_hint"))],
        ChatKind::Text { .. } => vec![format!("{head}{skip}")],
    }
}

/// One reply as one or more messages.
pub fn render(reply: &Reply, lang: Lang, names: &Names) -> Vec<String> {
    let unit_name = |slug: &str| names.units.get(slug).cloned().unwrap_or(slug.to_string());
    let one = |key: &str| vec![lang.t(key).to_string()];
    match reply {
        Reply::Help => one("chat_help"),
        Reply::Menu => one("chat_menu"),
        Reply::Cancelled => one("chat_cancelled"),
        Reply::LanguageSet => one("chat_lang_set"),
        Reply::UnknownUnit(u) => vec![fill(
            lang.t("chat_unknown_unit"),
            &[("unit", u.chars().take(40).collect())],
        )],
        Reply::Ask {
            unit,
            n,
            of,
            question,
            services,
        } => {
            let mut texts = ask(*n, *of, question, services, lang, names);
            // The first question says whose survey this is, in the same message.
            if *n == 1
                && let Some(first) = texts.first_mut()
            {
                let intro = fill(lang.t("chat_survey_intro"), &[("unit", unit_name(unit))]);
                *first = format!("{intro}\n{first}");
            }
            texts
        }
        Reply::AskCategory { unit, categories } => {
            let items: Vec<String> = categories
                .iter()
                .map(|c| match names.categories.get(c) {
                    Some((id, en)) => lang.pick(id, en).clone(),
                    None => c.clone(),
                })
                .collect();
            let head = fill(lang.t("chat_ask_category"), &[("unit", unit_name(unit))]);
            numbered(&head, &items)
        }
        Reply::AskDescription => one("chat_ask_description"),
        Reply::DescriptionTooShort { min } => vec![fill(
            lang.t("chat_description_short"),
            &[("min", min.to_string())],
        )],
        Reply::AskContact => one("chat_ask_contact"),
        Reply::NotAnOption { count } => vec![fill(
            lang.t("chat_not_an_option"),
            &[("n", count.to_string())],
        )],
        Reply::OutOfRange { lo, hi } => vec![fill(
            lang.t("chat_out_of_range"),
            &[
                ("lo", crate::domain::format::whole(*lo, lang == Lang::Id)),
                ("hi", crate::domain::format::whole(*hi, lang == Lang::Id)),
            ],
        )],
        Reply::NotANumber { minutes: true } => one("chat_not_minutes"),
        Reply::NotANumber { minutes: false } => one("chat_not_a_number"),
        Reply::Required => one("chat_required"),
        Reply::AskTrackingId => one("chat_ask_tracking_id"),
        Reply::NoSurvey => one("chat_no_survey"),
        Reply::TooLong { max } => vec![fill(
            lang.t("chat_too_long"),
            &[(
                "max",
                crate::domain::format::whole(*max as i64, lang == Lang::Id),
            )],
        )],
    }
}

/// The thanks after a stored survey, with the unit's IKM (converted, and its grade) when shown.
pub fn thanks(lang: Lang, unit: &str, ikm: Option<(f64, String)>) -> String {
    match ikm {
        Some((score, grade)) => fill(
            lang.t("chat_thanks_ikm"),
            &[
                ("unit", unit.to_string()),
                (
                    "ikm",
                    crate::domain::format::decimal(score, 2, lang == Lang::Id),
                ),
                ("grade", grade),
            ],
        ),
        None => lang.t("chat_thanks").to_string(),
    }
}

/// The answer to a filed complaint: thanks, its tracking ID, the deadline in words, where to
/// follow it, and the code that lets only this citizen reopen it.
pub fn filed(
    lang: Lang,
    tracking_id: &str,
    base_url: &str,
    reopen_code: &str,
    due: chrono::NaiveDate,
) -> String {
    let head = fill(
        lang.t("chat_filed"),
        &[
            ("id", tracking_id.to_string()),
            (
                "due",
                crate::domain::format::long_date(due, lang == Lang::Id),
            ),
            ("url", format!("{base_url}/track/{tracking_id}")),
        ],
    );
    format!("{head} {}", reopen_hint(lang, reopen_code))
}

/// The answer to `CEK <ID>`: the status in words, and while the complaint is open, when it is
/// due to be resolved.
pub fn check_answer(lang: Lang, tracking_id: &str, status: &str, due: chrono::NaiveDate) -> String {
    let head = fill(
        lang.t("chat_status"),
        &[
            ("id", tracking_id.to_string()),
            ("status", lang.t(&format!("status_{status}")).to_string()),
        ],
    );
    let open = !matches!(status, "resolved" | "closed" | "rejected" | "duplicate");
    if open {
        let due = fill(
            lang.t("chat_check_due"),
            &[(
                "due",
                crate::domain::format::long_date(due, lang == Lang::Id),
            )],
        );
        format!("{head} {due}")
    } else {
        head
    }
}

/// "Reopen code: …" as the citizen's messages say it.
pub fn reopen_hint(lang: Lang, code: &str) -> String {
    fill(lang.t("chat_reopen_code"), &[("code", code.to_string())])
}

/// News of a complaint filed by chat: its new status and the unit's public note, cut so the
/// whole fits two SMS parts.
pub fn status_news(lang: Lang, tracking_id: &str, status: &str, note: Option<&str>) -> String {
    let head = fill(
        lang.t("chat_status"),
        &[
            ("id", tracking_id.to_string()),
            ("status", lang.t(&format!("status_{status}")).to_string()),
        ],
    );
    match note.map(str::trim).filter(|n| !n.is_empty()) {
        None => head,
        Some(n) => {
            let room = 300usize.saturating_sub(head.chars().count() + 1);
            let cut: String = n.chars().take(room).collect();
            format!("{head} {cut}")
        }
    }
}

/// What went wrong when the finished conversation could not be stored.
pub fn not_stored(lang: Lang, survey: bool) -> String {
    lang.t(if survey {
        "chat_survey_not_stored"
    } else {
        "chat_complaint_not_stored"
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::skm_survey::skm_definition;

    #[test]
    fn skm_questions_are_one_message_each_in_at_most_two_sms_parts() {
        let questions = crate::service::chat_questions::chat_questions(&skm_definition(), false);
        for q in questions
            .iter()
            .filter(|q| matches!(q.kind, ChatKind::Choice { .. }))
        {
            for lang in [Lang::Id, Lang::En] {
                let reply = Reply::Ask {
                    unit: "u".into(),
                    n: 9,
                    of: 12,
                    question: Box::new(q.clone()),
                    services: vec![],
                };
                let texts = render(&reply, lang, &Names::default());
                // One message, at most two SMS parts.
                assert_eq!(texts.len(), 1, "{texts:?}");
                assert!(texts[0].chars().count() <= 2 * SMS_LEN, "{texts:?}");
                let all = texts.join("\n");
                assert!(all.contains('?'), "asked as a question: {all}");
                assert!(all.contains("1 ") && all.contains("4 "), "{all}");
            }
        }
    }

    #[test]
    fn long_lists_are_split_into_sms_parts() {
        let items: Vec<String> = (0..20).map(|i| format!("Layanan nomor {i}")).collect();
        let parts = numbered("Pilih layanan:", &items);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.chars().count() <= SMS_LEN));
        assert!(parts[0].starts_with("Pilih layanan:\n1 Layanan nomor 0"));
        assert!(parts.last().unwrap().ends_with("20 Layanan nomor 19"));
    }
}
