//! A citizen's conversation over chat or SMS, as a pure state machine: `SKM <unit>` walks the
//! survey one short question at a time, `ADUAN <unit>` files a complaint, `BATAL` cancels,
//! `BANTUAN` explains, `EN`/`ID` switch the language. What to say is returned as [`Reply`]
//! values (the channel renders them in the session's language, short enough for 160-character
//! SMS parts); a finished survey or complaint is returned as [`Done`] for the intake to store.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A quiet hour ends a conversation: the next message starts afresh.
pub const QUIET_MINUTES: i64 = 60;
/// The longest wait the SKM's `WAIT_MIN` question takes (a whole day).
pub const MAX_WAIT_MINUTES: i64 = 1440;
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

/// What the conversation needs to know, read by the caller from the registry and the survey.
pub struct Ctx<'a> {
    pub units: &'a [ChatUnit],
    /// The nine element codes in the order the model questionnaire asks them; each is answered 1–4.
    pub elements: &'a [String],
    /// Complaint category codes, asked by number.
    pub categories: &'a [String],
    /// The id a conversation started by this message gets (random, from the caller): the
    /// intake is keyed by it, so one conversation stores one survey or files one complaint.
    pub fresh_id: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum State {
    #[default]
    Idle,
    Survey(Survey),
    Complaint(Complaint),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    pub unit: String,
    pub step: SurveyStep,
    pub service: Option<String>,
    pub answers: BTreeMap<String, i64>,
    pub wait_minutes: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurveyStep {
    Service,
    /// Index into `Ctx::elements`.
    Element(usize),
    Wait,
    Comment,
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

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Session {
    pub lang: Lang,
    pub state: State,
    /// The open survey's or complaint's id (empty when idle, and in sessions saved before ids).
    #[serde(default)]
    pub conversation: String,
}

/// Something to say, rendered by the channel in the session's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Help,
    Cancelled,
    LanguageSet,
    /// Neither a command nor an answer to an open question.
    NotUnderstood,
    UnknownUnit(String),
    /// The unit's services, numbered from 1.
    AskService {
        unit: String,
        services: Vec<String>,
    },
    /// Element `n` of `of` (1-based), answered 1–4.
    AskElement {
        n: usize,
        of: usize,
        code: String,
    },
    AskWait,
    AskComment,
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
    /// The answer was not one of these; the question follows again.
    OutOfRange {
        lo: i64,
        hi: i64,
    },
    NotANumber,
    /// The text is longer than this question takes; the question follows again.
    TooLong {
        max: usize,
    },
}

/// A finished conversation for the intake; the channel answers with the thanks (and the IKM) or
/// the tracking ID once it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Survey {
        unit: String,
        service: Option<String>,
        answers: BTreeMap<String, i64>,
        wait_minutes: Option<i64>,
        comment: Option<String>,
    },
    Complaint {
        unit: String,
        category: String,
        description: String,
        /// What the citizen gave to be reached (a name, an e-mail); `None` when skipped.
        contact: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub session: Session,
    pub replies: Vec<Reply>,
    pub done: Option<Done>,
}

impl Turn {
    /// Goes on (or stops) in `state`, saying `replies`.
    fn say(lang: Lang, state: State, replies: Vec<Reply>) -> Turn {
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
    fn finish(lang: Lang, done: Done) -> Turn {
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

/// The citizen's message applied to the session. A conversation that this message starts gets
/// `ctx.fresh_id`; one that goes on keeps its id; an idle session has none.
pub fn step(session: &Session, message: &str, ctx: &Ctx) -> Turn {
    let (mut turn, started) = apply(session, message, ctx);
    turn.session.conversation = match (&turn.session.state, started) {
        (State::Idle, _) => String::new(),
        (_, true) => ctx.fresh_id.to_string(),
        (_, false) => session.conversation.clone(),
    };
    turn
}

/// The step proper; `true` when the message started a new survey or complaint.
fn apply(session: &Session, message: &str, ctx: &Ctx) -> (Turn, bool) {
    let text = message.trim();
    let mut parts = text.splitn(2, char::is_whitespace);
    let first = parts.next().unwrap_or_default().to_uppercase();
    let first = first.as_str();
    let rest = parts.next().unwrap_or_default().trim();
    let lang = session.lang;
    // Commands work at any point of a conversation.
    match (first, rest.is_empty()) {
        ("BATAL" | "CANCEL" | "STOP", true) => {
            return (Turn::say(lang, State::Idle, vec![Reply::Cancelled]), false);
        }
        ("BANTUAN" | "HELP" | "?", true) => {
            let mut replies = vec![Reply::Help];
            replies.extend(question(&session.state, ctx));
            return (Turn::say(lang, session.state.clone(), replies), false);
        }
        ("EN" | "ID", true) => {
            let lang = if first == "EN" { Lang::En } else { Lang::Id };
            let mut replies = vec![Reply::LanguageSet];
            replies.extend(question(&session.state, ctx));
            return (Turn::say(lang, session.state.clone(), replies), false);
        }
        ("SKM" | "SURVEI" | "SURVEY", false) => {
            return (start(lang, rest, ctx, start_survey), true);
        }
        ("ADUAN" | "COMPLAINT", false) => {
            return (start(lang, rest, ctx, start_complaint), true);
        }
        _ => {}
    }
    let turn = match &session.state {
        State::Idle => Turn::say(lang, State::Idle, vec![Reply::NotUnderstood, Reply::Help]),
        State::Survey(s) => survey_answer(lang, s, text, ctx),
        State::Complaint(c) => complaint_answer(lang, c, text, ctx),
    };
    (turn, false)
}

/// Whether a session last touched `minutes_quiet` ago has ended.
pub fn expired(minutes_quiet: i64) -> bool {
    minutes_quiet >= QUIET_MINUTES
}

fn find_unit<'a>(ctx: &'a Ctx, given: &str) -> Option<&'a ChatUnit> {
    let g = given.trim().to_lowercase();
    ctx.units.iter().find(|u| {
        u.slug == g
            || u.code
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(&g))
    })
}

/// The open question of a state, to ask again.
fn question(state: &State, ctx: &Ctx) -> Vec<Reply> {
    match state {
        State::Idle => vec![],
        State::Survey(s) => vec![ask_survey(s, ctx)],
        State::Complaint(c) => vec![ask_complaint(c, ctx)],
    }
}

fn ask_survey(s: &Survey, ctx: &Ctx) -> Reply {
    match s.step {
        SurveyStep::Service => Reply::AskService {
            unit: s.unit.clone(),
            services: ctx
                .units
                .iter()
                .find(|u| u.slug == s.unit)
                .map(|u| u.services.clone())
                .unwrap_or_default(),
        },
        SurveyStep::Element(i) => Reply::AskElement {
            n: i + 1,
            of: ctx.elements.len(),
            code: ctx.elements[i].clone(),
        },
        SurveyStep::Wait => Reply::AskWait,
        SurveyStep::Comment => Reply::AskComment,
    }
}

fn ask_complaint(c: &Complaint, ctx: &Ctx) -> Reply {
    match c.step {
        ComplaintStep::Category => Reply::AskCategory {
            unit: c.unit.clone(),
            categories: ctx.categories.to_vec(),
        },
        ComplaintStep::Description => Reply::AskDescription,
        ComplaintStep::Contact => Reply::AskContact,
    }
}

/// A survey or a complaint about the unit named by `given`, with its first question.
fn start(lang: Lang, given: &str, ctx: &Ctx, begin: fn(&ChatUnit) -> State) -> Turn {
    let Some(unit) = find_unit(ctx, given) else {
        return Turn::say(
            lang,
            State::Idle,
            vec![Reply::UnknownUnit(given.to_string())],
        );
    };
    let state = begin(unit);
    let ask = question(&state, ctx);
    Turn::say(lang, state, ask)
}

fn start_survey(unit: &ChatUnit) -> State {
    State::Survey(Survey {
        unit: unit.slug.clone(),
        step: if unit.services.is_empty() {
            SurveyStep::Element(0)
        } else {
            SurveyStep::Service
        },
        service: None,
        answers: BTreeMap::new(),
        wait_minutes: None,
    })
}

fn start_complaint(unit: &ChatUnit) -> State {
    State::Complaint(Complaint {
        unit: unit.slug.clone(),
        step: ComplaintStep::Category,
        category: None,
        description: None,
    })
}

/// `-` (or a dash of another kind) skips an optional question.
fn is_skip(text: &str) -> bool {
    matches!(text, "-" | "–" | "—")
}

/// A whole number within lo..=hi, or what to say instead.
fn number(text: &str, lo: i64, hi: i64) -> Result<i64, Reply> {
    match text.trim().replace('.', "").parse::<i64>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
        Ok(_) => Err(Reply::OutOfRange { lo, hi }),
        Err(_) => Err(Reply::NotANumber),
    }
}

/// Free text up to `max` characters, or what to say instead: a longer text is refused, never
/// cut, so nothing the citizen wrote is silently lost.
fn bounded(text: &str, max: usize) -> Result<String, Reply> {
    if text.chars().count() > max {
        Err(Reply::TooLong { max })
    } else {
        Ok(text.to_string())
    }
}

fn survey_answer(lang: Lang, s: &Survey, text: &str, ctx: &Ctx) -> Turn {
    let mut next = s.clone();
    let again = |why: Reply| {
        Turn::say(
            lang,
            State::Survey(s.clone()),
            vec![why, ask_survey(s, ctx)],
        )
    };
    match s.step {
        SurveyStep::Service => {
            let services = ctx
                .units
                .iter()
                .find(|u| u.slug == s.unit)
                .map(|u| u.services.clone())
                .unwrap_or_default();
            // The SKM asks which service was used whenever the unit has services: no skipping.
            match number(text, 1, services.len() as i64) {
                Ok(n) => next.service = Some(services[n as usize - 1].clone()),
                Err(why) => return again(why),
            }
            next.step = SurveyStep::Element(0);
        }
        SurveyStep::Element(i) => match number(text, 1, 4) {
            Ok(n) => {
                next.answers.insert(ctx.elements[i].clone(), n);
                next.step = if i + 1 < ctx.elements.len() {
                    SurveyStep::Element(i + 1)
                } else {
                    SurveyStep::Wait
                };
            }
            Err(why) => return again(why),
        },
        SurveyStep::Wait => {
            if !is_skip(text) {
                match number(text, 0, MAX_WAIT_MINUTES) {
                    Ok(n) => next.wait_minutes = Some(n),
                    Err(why) => return again(why),
                }
            }
            next.step = SurveyStep::Comment;
        }
        SurveyStep::Comment => {
            let comment = match bounded(text, MAX_COMMENT) {
                Ok(c) => (!is_skip(&c) && !c.is_empty()).then_some(c),
                Err(why) => return again(why),
            };
            return Turn::finish(
                lang,
                Done::Survey {
                    unit: s.unit.clone(),
                    service: s.service.clone(),
                    answers: s.answers.clone(),
                    wait_minutes: s.wait_minutes,
                    comment,
                },
            );
        }
    }
    let ask = ask_survey(&next, ctx);
    Turn::say(lang, State::Survey(next), vec![ask])
}

fn complaint_answer(lang: Lang, c: &Complaint, text: &str, ctx: &Ctx) -> Turn {
    let mut next = c.clone();
    let again = |why: Reply| {
        Turn::say(
            lang,
            State::Complaint(c.clone()),
            vec![why, ask_complaint(c, ctx)],
        )
    };
    match c.step {
        ComplaintStep::Category => match number(text, 1, ctx.categories.len() as i64) {
            Ok(n) => {
                next.category = Some(ctx.categories[n as usize - 1].clone());
                next.step = ComplaintStep::Description;
            }
            Err(why) => return again(why),
        },
        ComplaintStep::Description => {
            if text.chars().count() < MIN_DESCRIPTION {
                return again(Reply::DescriptionTooShort {
                    min: MIN_DESCRIPTION,
                });
            }
            match bounded(text, MAX_DESCRIPTION) {
                Ok(d) => next.description = Some(d),
                Err(why) => return again(why),
            }
            next.step = ComplaintStep::Contact;
        }
        ComplaintStep::Contact => {
            let contact = match bounded(text, MAX_CONTACT) {
                Ok(c) => (!is_skip(&c) && !c.is_empty()).then_some(c),
                Err(why) => return again(why),
            };
            return Turn::finish(
                lang,
                Done::Complaint {
                    unit: c.unit.clone(),
                    category: c.category.clone().unwrap_or_default(),
                    description: c.description.clone().unwrap_or_default(),
                    contact,
                },
            );
        }
    }
    let ask = ask_complaint(&next, ctx);
    Turn::say(lang, State::Complaint(next), vec![ask])
}

#[cfg(test)]
mod tests;
