//! A citizen's conversation over chat or SMS, as a pure state machine: `SKM <unit>` walks the
//! unit's active survey one question at a time (whatever questionnaire it is), `ADUAN <unit>`
//! files a complaint, `CEK <tracking ID>` asks a complaint's status, `BATAL` cancels,
//! `BANTUAN` explains, `EN`/`ID` switch the language; a greeting or anything else from an idle
//! citizen gets a short menu. Answers are read as people type them ([`answers`]): an option's
//! words as well as its number, a wait with its unit. What to say is returned as [`Reply`]
//! values (the channel renders them in the session's language, short enough for 160-character
//! SMS parts); a finished survey or complaint, or a status check, is returned as [`Done`].
pub mod answers;
mod session;

use std::collections::BTreeMap;

use serde_json::Value;

pub use session::*;

/// The unit whose survey the caller must put in `Ctx::questions` for this message: the one a
/// survey in progress is about, or the one `SKM <unit>` names.
pub fn unit_in_play(session: &Session, message: &str, units: &[ChatUnit]) -> Option<String> {
    let text = message.trim();
    let mut parts = text.splitn(2, char::is_whitespace);
    let first = parts.next().unwrap_or_default().to_uppercase();
    let rest = parts.next().unwrap_or_default().trim();
    if matches!(first.as_str(), "SKM" | "SURVEI" | "SURVEY") && !rest.is_empty() {
        return find_unit(units, rest).map(|u| u.slug.clone());
    }
    match &session.state {
        State::Survey(s) => Some(s.unit.clone()),
        _ => None,
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
            return (start_survey(lang, rest, ctx), true);
        }
        ("ADUAN" | "COMPLAINT", false) => {
            return (start_complaint(lang, rest, ctx), true);
        }
        ("CEK" | "CHECK" | "STATUS", false) => {
            let mut turn = Turn::say(lang, session.state.clone(), vec![]);
            turn.done = Some(Done::Check {
                tracking_id: rest.to_string(),
            });
            return (turn, false);
        }
        ("CEK" | "CHECK" | "STATUS", true) => {
            return (
                Turn::say(lang, session.state.clone(), vec![Reply::AskTrackingId]),
                false,
            );
        }
        _ => {}
    }
    let turn = match &session.state {
        // A greeting, or anything an idle citizen sends: what they can do.
        State::Idle => Turn::say(lang, State::Idle, vec![Reply::Menu]),
        State::Survey(s) => survey_answer(lang, s, text, ctx),
        State::Complaint(c) => complaint_answer(lang, c, text, ctx),
    };
    (turn, false)
}

/// Whether a session last touched `minutes_quiet` ago has ended.
pub fn expired(minutes_quiet: i64) -> bool {
    minutes_quiet >= QUIET_MINUTES
}

fn find_unit<'a>(units: &'a [ChatUnit], given: &str) -> Option<&'a ChatUnit> {
    let g = given.trim().to_lowercase();
    units.iter().find(|u| {
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
        State::Survey(s) => ask_survey(s, ctx).into_iter().collect(),
        State::Complaint(c) => vec![ask_complaint(c, ctx)],
    }
}

/// Whether question `q` is asked, given the answers so far.
fn shown(q: &ChatQuestion, answers: &BTreeMap<String, Value>) -> bool {
    match &q.show_if {
        None => true,
        Some((code, value)) => answers.get(code) == Some(value),
    }
}

/// The first question at or after `from` that is asked of `unit` (a service question only
/// when the unit has services to choose from).
fn next_shown(
    from: usize,
    answers: &BTreeMap<String, Value>,
    ctx: &Ctx,
    unit: &str,
) -> Option<usize> {
    let has_services = ctx
        .units
        .iter()
        .any(|u| u.slug == unit && !u.services.is_empty());
    (from..ctx.questions.len()).find(|i| {
        let q = &ctx.questions[*i];
        shown(q, answers) && (has_services || q.kind != ChatKind::Service)
    })
}

fn ask_survey(s: &Survey, ctx: &Ctx) -> Option<Reply> {
    let q = ctx.questions.get(s.at)?;
    let services = ctx
        .units
        .iter()
        .find(|u| u.slug == s.unit)
        .map(|u| u.services.clone())
        .unwrap_or_default();
    // Counted as this unit is asked: without services, the service question is not.
    let counted = |i: &usize| !services.is_empty() || ctx.questions[*i].kind != ChatKind::Service;
    let of = (0..ctx.questions.len()).filter(counted).count();
    let n = (0..=s.at).filter(counted).count();
    Some(Reply::Ask {
        unit: s.unit.clone(),
        n,
        of,
        question: Box::new(q.clone()),
        services: match q.kind {
            ChatKind::Service => services,
            _ => vec![],
        },
    })
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

/// The survey of the unit named by `given`, with its first question.
fn start_survey(lang: Lang, given: &str, ctx: &Ctx) -> Turn {
    let Some(unit) = find_unit(ctx.units, given) else {
        return Turn::say(
            lang,
            State::Idle,
            vec![Reply::UnknownUnit(given.to_string())],
        );
    };
    let answers = BTreeMap::new();
    let Some(at) = next_shown(0, &answers, ctx, &unit.slug) else {
        return Turn::say(lang, State::Idle, vec![Reply::NoSurvey]);
    };
    let s = Survey {
        unit: unit.slug.clone(),
        at,
        answers,
    };
    let ask = ask_survey(&s, ctx).into_iter().collect();
    Turn::say(lang, State::Survey(s), ask)
}

/// A complaint about the unit named by `given`, with its first question.
fn start_complaint(lang: Lang, given: &str, ctx: &Ctx) -> Turn {
    let Some(unit) = find_unit(ctx.units, given) else {
        return Turn::say(
            lang,
            State::Idle,
            vec![Reply::UnknownUnit(given.to_string())],
        );
    };
    let c = Complaint {
        unit: unit.slug.clone(),
        step: ComplaintStep::Category,
        category: None,
        description: None,
    };
    let ask = ask_complaint(&c, ctx);
    Turn::say(lang, State::Complaint(c), vec![ask])
}

/// `-` (or a dash of another kind) skips an optional question.
fn is_skip(text: &str) -> bool {
    matches!(text.trim(), "-" | "–" | "—")
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

/// The answer `text` gives question `q` (`Ok(None)`: skipped), or what to say instead.
fn read_answer(q: &ChatQuestion, text: &str, services: &[String]) -> Result<Option<Value>, Reply> {
    if is_skip(text) && !q.required {
        return Ok(None);
    }
    match &q.kind {
        ChatKind::Choice { options } => {
            let words: Vec<Vec<String>> = options
                .iter()
                .map(|(_, (id, en))| vec![id.clone(), en.clone()])
                .collect();
            answers::choice(text, &words)
                .map(|i| Some(options[i].0.clone()))
                .ok_or(Reply::NotAnOption {
                    count: options.len(),
                })
        }
        ChatKind::Service => {
            let words: Vec<Vec<String>> = services
                .iter()
                .map(|s| vec![s.clone(), s.replace('-', " ")])
                .collect();
            answers::choice(text, &words)
                .map(|i| Some(Value::from(services[i].clone())))
                .ok_or(Reply::NotAnOption {
                    count: services.len(),
                })
        }
        ChatKind::Number { min, max, minutes } => {
            let n = if *minutes {
                answers::minutes(text)
            } else {
                answers::whole(text)
            };
            match n {
                Some(n) if (*min..=*max).contains(&n) => Ok(Some(Value::from(n))),
                Some(_) => Err(Reply::OutOfRange { lo: *min, hi: *max }),
                None => Err(Reply::NotANumber { minutes: *minutes }),
            }
        }
        ChatKind::Text { max } => {
            let t = bounded(text.trim(), *max)?;
            let given = !t.is_empty() && !is_skip(&t);
            if q.required && !given {
                return Err(Reply::Required);
            }
            Ok(given.then(|| Value::from(t)))
        }
    }
}

fn survey_answer(lang: Lang, s: &Survey, text: &str, ctx: &Ctx) -> Turn {
    let Some(q) = ctx.questions.get(s.at) else {
        // The unit's survey changed under the conversation: start again.
        return Turn::say(lang, State::Idle, vec![Reply::NoSurvey]);
    };
    let services = ctx
        .units
        .iter()
        .find(|u| u.slug == s.unit)
        .map(|u| u.services.clone())
        .unwrap_or_default();
    let mut next = s.clone();
    match read_answer(q, text, &services) {
        Ok(Some(v)) => {
            next.answers.insert(q.code.clone(), v);
        }
        Ok(None) => {}
        Err(why) => {
            let mut replies = vec![why];
            replies.extend(ask_survey(s, ctx));
            return Turn::say(lang, State::Survey(s.clone()), replies);
        }
    }
    match next_shown(s.at + 1, &next.answers, ctx, &s.unit) {
        Some(at) => {
            next.at = at;
            let ask = ask_survey(&next, ctx).into_iter().collect();
            Turn::say(lang, State::Survey(next), ask)
        }
        None => Turn::finish(
            lang,
            Done::Survey {
                unit: next.unit,
                answers: next.answers,
            },
        ),
    }
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
        ComplaintStep::Category => {
            let words: Vec<Vec<String>> = ctx
                .categories
                .iter()
                .map(|code| vec![code.replace('_', " ")])
                .collect();
            match answers::choice(text, &words) {
                Some(i) => {
                    next.category = Some(ctx.categories[i].clone());
                    next.step = ComplaintStep::Description;
                }
                None => {
                    return again(Reply::NotAnOption {
                        count: ctx.categories.len(),
                    });
                }
            }
        }
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
