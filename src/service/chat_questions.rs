//! A unit's active survey as the chat asks it: every required question and, of the optional
//! ones, the wait and free-text questions (visits, fees and the respondent profile are left to
//! the web form, so the model SKM stays at twelve questions — thirteen messages with the
//! thanks). Questions are put as the survey words them, in both languages, with their options.
use serde_json::{Value, json};

use crate::domain::conversation::{ChatKind, ChatQuestion};
use crate::domain::survey::{Definition, Kind, Signal};

fn words(t: &crate::domain::survey::Text) -> (String, String) {
    (t.id.clone(), t.en.clone())
}

/// The questions of `def` the chat asks, in order; `has_services`: whether the unit has
/// services to choose from (without, the service question is not asked).
pub fn chat_questions(def: &Definition, has_services: bool) -> Vec<ChatQuestion> {
    def.questions
        .iter()
        .filter(|q| !q.profile || q.required)
        .filter(|q| {
            q.required || q.signal == Some(Signal::WaitTime) || matches!(q.kind, Kind::Text { .. })
        })
        .filter_map(|q| {
            let kind = match &q.kind {
                Kind::Likert4 { options }
                | Kind::SingleChoice { options }
                | Kind::MultiChoice { options } => ChatKind::Choice {
                    options: options
                        .iter()
                        .map(|o| (o.value.clone(), words(&o.label)))
                        .collect(),
                },
                Kind::Rating5 => ChatKind::Choice {
                    options: (1..=5)
                        .map(|i| (json!(i), (i.to_string(), i.to_string())))
                        .collect(),
                },
                Kind::YesNo => ChatKind::Choice {
                    options: vec![
                        (Value::Bool(true), ("Ya".into(), "Yes".into())),
                        (Value::Bool(false), ("Tidak".into(), "No".into())),
                    ],
                },
                Kind::Nps => ChatKind::Number {
                    min: 0,
                    max: 10,
                    minutes: false,
                },
                Kind::Number { min, max, unit } => ChatKind::Number {
                    min: *min,
                    max: *max,
                    minutes: matches!(unit.as_deref(), Some("minutes" | "menit"))
                        || q.signal == Some(Signal::WaitTime),
                },
                Kind::Text { max_length } => ChatKind::Text { max: *max_length },
                Kind::Service if has_services => ChatKind::Service,
                Kind::Service => return None,
            };
            Some(ChatQuestion {
                code: q.code.clone(),
                label: words(&q.label),
                kind,
                required: q.required,
                show_if: q
                    .show_if
                    .as_ref()
                    .map(|c| (c.code.clone(), c.equals.clone())),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::skm_survey::skm_definition;

    #[test]
    fn the_model_skm_is_twelve_questions_by_chat() {
        let q = chat_questions(&skm_definition(), true);
        let codes: Vec<&str> = q.iter().map(|q| q.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "SERVICE", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8", "WAIT_MIN",
                "COMMENT"
            ]
        );
        assert!(matches!(q[10].kind, ChatKind::Number { minutes: true, .. }));
        // Asked as the questionnaire words it.
        assert!(q[1].label.0.starts_with("Bagaimana pendapat Saudara"));
        let without = chat_questions(&skm_definition(), false);
        assert_eq!(without.len(), 11);
    }
}
