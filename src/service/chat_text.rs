//! The conversation's replies in words: short texts in the session's language, sized for
//! 160-character SMS parts (a long numbered list is split over several messages).
use std::collections::HashMap;

use crate::domain::conversation::Reply;
use crate::domain::skm;
use crate::domain::skm_survey::skm_definition;
use crate::domain::survey::Kind;
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

/// The four answer labels of an element, from the model questionnaire.
fn element_question(code: &str, lang: Lang) -> (String, Vec<String>) {
    let def = skm_definition();
    let Some(q) = def.questions.iter().find(|q| q.code == code) else {
        return (code.to_string(), vec![]);
    };
    // Indonesian has the element's official short name; English the short question.
    let name = match lang {
        Lang::Id => skm::element_name(code).to_string(),
        Lang::En => q.label.en.clone(),
    };
    let labels = match &q.kind {
        Kind::Likert4 { options } => options
            .iter()
            .map(|o| lang.pick(&o.label.id, &o.label.en).clone())
            .collect(),
        _ => vec![],
    };
    (name, labels)
}

/// One reply as one or more messages.
pub fn render(reply: &Reply, lang: Lang, names: &Names) -> Vec<String> {
    let unit_name = |slug: &str| names.units.get(slug).cloned().unwrap_or(slug.to_string());
    let one = |key: &str| vec![lang.t(key).to_string()];
    match reply {
        Reply::Help => one("chat_help"),
        Reply::Cancelled => one("chat_cancelled"),
        Reply::LanguageSet => one("chat_lang_set"),
        Reply::NotUnderstood => one("chat_not_understood"),
        Reply::UnknownUnit(u) => vec![fill(
            lang.t("chat_unknown_unit"),
            &[("unit", u.chars().take(40).collect())],
        )],
        Reply::AskService { unit, services } => {
            let items: Vec<String> = services
                .iter()
                .map(|s| names.services.get(s).cloned().unwrap_or(s.clone()))
                .collect();
            let head = fill(lang.t("chat_ask_service"), &[("unit", unit_name(unit))]);
            numbered(&head, &items)
        }
        Reply::AskElement { n, of, code } => {
            let (name, labels) = element_question(code, lang);
            let answers: Vec<String> = labels
                .iter()
                .enumerate()
                .map(|(i, l)| format!("{} {l}", i + 1))
                .collect();
            vec![format!("{n}/{of} {name}: {}", answers.join(", "))]
        }
        Reply::AskWait => one("chat_ask_wait"),
        Reply::AskComment => one("chat_ask_comment"),
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
        Reply::OutOfRange { lo, hi } => vec![fill(
            lang.t("chat_out_of_range"),
            &[("lo", lo.to_string()), ("hi", hi.to_string())],
        )],
        Reply::NotANumber => one("chat_not_a_number"),
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
                ("ikm", format!("{score:.2}")),
                ("grade", grade),
            ],
        ),
        None => lang.t("chat_thanks").to_string(),
    }
}

/// The answer to a filed complaint: its tracking ID, where to follow it, and the code that
/// lets only this citizen reopen it.
pub fn filed(lang: Lang, tracking_id: &str, base_url: &str, reopen_code: &str) -> String {
    let head = fill(
        lang.t("chat_filed"),
        &[
            ("id", tracking_id.to_string()),
            ("url", format!("{base_url}/track/{tracking_id}")),
        ],
    );
    format!("{head} {}", reopen_hint(lang, reopen_code))
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

    #[test]
    fn element_questions_fit_one_sms_and_list_four_answers() {
        let def = skm_definition();
        for q in &def.questions {
            if !matches!(q.kind, Kind::Likert4 { .. }) {
                continue;
            }
            for lang in [Lang::Id, Lang::En] {
                let reply = Reply::AskElement {
                    n: 9,
                    of: 9,
                    code: q.code.clone(),
                };
                let texts = render(&reply, lang, &Names::default());
                assert_eq!(texts.len(), 1);
                assert!(texts[0].chars().count() <= SMS_LEN, "{}", texts[0]);
                assert!(texts[0].contains("1 ") && texts[0].contains("4 "));
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
