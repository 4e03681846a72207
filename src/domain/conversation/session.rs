//! What a conversation is made of: the session and its state, the unit and its questions as the
//! chat asks them, and what a turn says ([`Reply`]) or hands over ([`Done`]).
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A quiet hour ends a conversation: the next message starts afresh.
pub const QUIET_MINUTES: i64 = 60;
/// The shortest complaint description the intake accepts.
pub const MIN_DESCRIPTION: usize = 20;
/// The longest comment the SKM's comment question takes (its `max_length`).
pub const MAX_COMMENT: usize = 1000;
/// The longest complaint description the intake accepts.
pub const MAX_DESCRIPTION: usize = 4000;
/// The longest contact (kept as the complainant's name).
pub const MAX_CONTACT: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Id,
    En,
}

/// A unit as the conversation knows it: found by its slug or its short poster code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatUnit {
    pub slug: String,
    pub code: Option<String>,
    /// Service slugs, asked by number when there are any.
    pub services: Vec<String>,
}

/// Words in both languages: (Indonesian, English).
pub type Words = (String, String);

/// One question of the unit's survey as the chat asks it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatQuestion {
    pub code: String,
    pub label: Words,
    pub kind: ChatKind,
    pub required: bool,
    /// Asked only when an earlier answer equals this value.
    pub show_if: Option<(String, Value)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ChatKind {
    /// Answered by the option's number (from 1) or its words; stored as the option's value.
    Choice {
        options: Vec<(Value, Words)>,
    },
    /// A whole number within `min..=max`; `minutes`: a duration, read with its unit ("1 jam").
    Number {
        min: i64,
        max: i64,
        minutes: bool,
    },
    Text {
        max: usize,
    },
    /// One of the unit's services, by number.
    Service,
}

/// What the conversation needs to know, read by the caller from the registry and the survey.
pub struct Ctx<'a> {
    pub units: &'a [ChatUnit],
    /// The questions of the survey of the unit in play ([`unit_in_play`]), in order; empty
    /// when that unit has no survey.
    pub questions: &'a [ChatQuestion],
    /// Complaint category codes, asked by number.
    pub categories: &'a [String],
    /// The id a conversation started by this message gets (random, from the caller): the
    /// intake is keyed by it, so one conversation stores one survey or files one complaint.
    pub fresh_id: &'a str,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub enum State {
    #[default]
    Idle,
    Survey(Survey),
    Complaint(Complaint),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    pub unit: String,
    /// Index into `Ctx::questions` of the open question.
    pub at: usize,
    /// Answers by question code, as the intake takes them.
    pub answers: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Complaint {
    pub unit: String,
    pub step: ComplaintStep,
    pub category: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComplaintStep {
    Category,
    Description,
    Contact,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Session {
    pub lang: Lang,
    pub state: State,
    /// The open survey's or complaint's id (empty when idle, and in sessions saved before ids).
    #[serde(default)]
    pub conversation: String,
}

/// Something to say, rendered by the channel in the session's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Help,
    /// What one can send: `SKM`, `ADUAN`, `CEK` (to a greeting, or anything unknown).
    Menu,
    Cancelled,
    LanguageSet,
    UnknownUnit(String),
    /// Question `n` of `of` (1-based) of `unit`'s survey; a service question lists the unit's
    /// services.
    Ask {
        unit: String,
        n: usize,
        of: usize,
        question: Box<ChatQuestion>,
        services: Vec<String>,
    },
    /// The categories, numbered from 1.
    AskCategory {
        unit: String,
        categories: Vec<String>,
    },
    AskDescription,
    DescriptionTooShort {
        min: usize,
    },
    AskContact,
    /// The answer was none of the options; the question follows again.
    NotAnOption {
        count: usize,
    },
    /// The number was outside what the question takes; the question follows again.
    OutOfRange {
        lo: i64,
        hi: i64,
    },
    /// Not read as a number (or a duration); the question follows again.
    NotANumber {
        minutes: bool,
    },
    /// The text is longer than this question takes; the question follows again.
    TooLong {
        max: usize,
    },
    /// A question that needs an answer was skipped; it follows again.
    Required,
    /// `CEK` without a tracking ID.
    AskTrackingId,
    /// The unit has no survey to ask by chat.
    NoSurvey,
}

/// A finished conversation for the intake, or a question for the records; the channel answers
/// with the thanks (and the IKM), the tracking ID, or the complaint's status.
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    Survey {
        unit: String,
        answers: BTreeMap<String, Value>,
    },
    Complaint {
        unit: String,
        category: String,
        description: String,
        /// What the citizen gave to be reached (a name, an e-mail); `None` when skipped.
        contact: Option<String>,
    },
    /// `CEK <tracking ID>`: the complaint's status, asked at any point.
    Check { tracking_id: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    pub session: Session,
    pub replies: Vec<Reply>,
    pub done: Option<Done>,
}

impl Turn {
    /// Goes on (or stops) in `state`, saying `replies`.
    pub(super) fn say(lang: Lang, state: State, replies: Vec<Reply>) -> Turn {
        Turn {
            session: Session {
                lang,
                state,
                conversation: String::new(),
            },
            replies,
            done: None,
        }
    }

    /// The conversation is over; the intake stores `done` and answers for it.
    pub(super) fn finish(lang: Lang, done: Done) -> Turn {
        Turn {
            session: Session {
                lang,
                state: State::Idle,
                conversation: String::new(),
            },
            replies: vec![],
            done: Some(done),
        }
    }
}
