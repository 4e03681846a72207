//! A chat or SMS message in, replies out: the conversation's session is loaded (by the
//! sender's hash), stepped, saved, a finished survey or complaint goes through the same intake
//! as the web forms, and every reply is queued on the outbox for the channel's sender.
use chrono::{Datelike, Utc};
use entity::chat_session;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use crate::domain::conversation::{self, ChatUnit, Ctx, Done, Session, State};
use crate::i18n::Lang;
use crate::security::sha256_hex;
use crate::service::chat_text::{self, Names};
use crate::service::complaints::{self, ComplaintIn, ContactIn, Filing};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::survey;
use crate::service::today_wib;
use crate::store;

fn lang_of(l: conversation::Lang) -> Lang {
    match l {
        conversation::Lang::Id => Lang::Id,
        conversation::Lang::En => Lang::En,
    }
}

/// The session of a sender, or a fresh one after a quiet hour (or a state that no longer parses).
async fn load(
    db: &impl ConnectionTrait,
    channel: &str,
    hash: &str,
) -> Result<Session, ServiceError> {
    let row = chat_session::Entity::find_by_id((channel.to_string(), hash.to_string()))
        .one(db)
        .await?;
    Ok(row
        .filter(|r| !conversation::expired((Utc::now() - r.updated_at).num_minutes()))
        .and_then(|r| serde_json::from_str(&r.state).ok())
        .unwrap_or_default())
}

/// A unit's short code for the chat channels, printed on its poster: its number, which a
/// feature phone types faster than a slug and which never changes.
pub fn short_code(unit_id: i32) -> String {
    unit_id.to_string()
}

/// What the conversation may ask about: units and their services, the elements, the categories.
struct Known {
    units: Vec<ChatUnit>,
    categories: Vec<String>,
    names: Names,
}

async fn known(state: &ServiceContext) -> Result<Known, ServiceError> {
    let mut names = Names::default();
    let units = store::units::list(&state.db, false)
        .await?
        .into_iter()
        .map(|u| {
            names.units.insert(u.slug.clone(), u.name.clone());
            for s in &u.services {
                names.services.insert(s.slug.clone(), s.name.clone());
            }
            ChatUnit {
                code: Some(short_code(u.id)),
                slug: u.slug,
                services: u.services.into_iter().map(|s| s.slug).collect(),
            }
        })
        .collect();
    let categories = store::complaints::categories(&state.db)
        .await?
        .into_iter()
        .map(|c| {
            names
                .categories
                .insert(c.code.clone(), (c.name_id.clone(), c.name_en.clone()));
            c.code
        })
        .collect();
    Ok(Known {
        units,
        categories,
        names,
    })
}

/// A gateway's message id as part of a key: as given when short (keys made before stay valid),
/// else its hash, so no id can make a key too long to store.
fn id_part(id: &str) -> String {
    if id.len() <= 64 {
        id.to_string()
    } else {
        format!("h:{}", sha256_hex(id))
    }
}

/// What a message did, to be saved with the session under the sender's lock.
struct Applied {
    session: Session,
    replies: Vec<String>,
}

/// Handles one inbound message from `sender` on `channel` (e.g. `sms`); `message_id` is the
/// gateway's id, so a redelivered message changes nothing.
///
/// Messages of one sender are applied one at a time, in the order they get the sender's lock,
/// on any number of nodes ([`SenderLocks`](crate::service::sender_lock::SenderLocks)): the
/// session is read, stepped and saved under it. A finished survey or complaint is stored
/// through the same intake as the web forms, keyed by the conversation's id: it commits before
/// the session is saved, and if that save never happens, the next message finishes the same
/// conversation again and meets the same key, so one conversation stores once.
pub async fn handle(
    state: &ServiceContext,
    channel: &str,
    sender: &str,
    text: &str,
    message_id: Option<&str>,
) -> Result<(), ServiceError> {
    let sender = sender.trim();
    let hash = sha256_hex(sender);
    // A gateway's redelivery of a message already handled changes nothing (mid-conversation
    // too: answering "3" twice must not answer two questions).
    let handled = message_id.map(|id| {
        store::idempotency::Key::new("chat_in", &format!("{channel}:{hash}:{}", id_part(id)), &[])
    });
    let mut held = state
        .chat_senders
        .lock(&state.db, &format!("{channel}:{hash}"))
        .await?;
    match held.txn.take() {
        // PostgreSQL: read and save in the transaction that holds the advisory lock.
        Some(txn) => {
            let applied = apply(state, &txn, channel, sender, &hash, text, &handled).await?;
            let saved = match applied {
                Some(a) => save(&txn, channel, sender, &hash, &handled, a).await?,
                None => false,
            };
            if saved {
                txn.commit().await?;
            } else {
                txn.rollback().await?;
            }
        }
        // SQLite (one node): the in-process lock is the sender's; the save is one write.
        None => {
            let applied = apply(state, &state.db, channel, sender, &hash, text, &handled).await?;
            if let Some(a) = applied {
                let txn = crate::store::begin_write(&state.db).await?;
                if save(&txn, channel, sender, &hash, &handled, a).await? {
                    txn.commit().await?;
                } else {
                    txn.rollback().await?;
                }
            }
        }
    }
    drop(held);
    state.outbox.wake();
    Ok(())
}

/// The message applied to the sender's session: `None` when it was handled before.
#[allow(clippy::too_many_arguments)]
async fn apply(
    state: &ServiceContext,
    db: &impl ConnectionTrait,
    channel: &str,
    sender: &str,
    hash: &str,
    text: &str,
    handled: &Option<store::idempotency::Key>,
) -> Result<Option<Applied>, ServiceError> {
    if let Some(k) = handled
        && store::idempotency::seen(db, k).await? != store::idempotency::Seen::New
    {
        return Ok(None);
    }
    let session = load(db, channel, hash).await?;
    let k = known(state).await?;
    let fresh_id = crate::security::random_token(12);
    // The survey asked is the unit's own active one, whatever it is.
    let questions = match conversation::unit_in_play(&session, text, &k.units) {
        Some(slug) => match state.unit_cache.get(&state.db, &slug).await? {
            Some(u) => u.active.as_ref().map_or_else(Vec::new, |a| {
                crate::service::chat_questions::chat_questions(
                    &a.definition,
                    !u.services.is_empty(),
                )
            }),
            None => vec![],
        },
        None => vec![],
    };
    let ctx = Ctx {
        units: &k.units,
        questions: &questions,
        categories: &k.categories,
        fresh_id: &fresh_id,
    };
    let turn = conversation::step(&session, text, &ctx);
    let lang = lang_of(turn.session.lang);
    let mut replies: Vec<String> = turn
        .replies
        .iter()
        .flat_map(|r| chat_text::render(r, lang, &k.names))
        .collect();
    // The intake's key: the conversation (sessions saved before conversations had ids fall
    // back to the message's id).
    let key = if session.conversation.is_empty() {
        handled.as_ref().map(|k| k.key.clone())
    } else {
        Some(crate::service::chat_media::intake_key(
            channel,
            hash,
            &session.conversation,
        ))
    };
    match turn.done {
        Some(d @ Done::Survey { .. }) => {
            replies.push(finish_survey(state, channel, d, lang, key.as_deref()).await?)
        }
        Some(d @ Done::Complaint { .. }) => {
            replies.push(finish_complaint(state, channel, sender, d, lang, key.as_deref()).await?)
        }
        Some(Done::Check { tracking_id }) => replies.push(check(state, &tracking_id, lang).await?),
        None => {}
    }
    // SMS carries no photos: the complaint form on the web does.
    if channel == "sms"
        && turn.replies.contains(&conversation::Reply::AskDescription)
        && let State::Complaint(c) = &turn.session.state
    {
        replies.push(lang.t("chat_photo_by_web").replace(
            "{url}",
            &format!("{}/u/{}/complaint", state.settings.base_url, c.unit),
        ));
    }
    Ok(Some(Applied {
        session: turn.session,
        replies,
    }))
}

/// The session and its replies, written together: a reply is never lost nor doubled relative
/// to the state it answers.
async fn save(
    txn: &impl ConnectionTrait,
    channel: &str,
    sender: &str,
    hash: &str,
    handled: &Option<store::idempotency::Key>,
    a: Applied,
) -> Result<bool, ServiceError> {
    // Under the sender's lock no twin delivery can be here too; should one be (a lock given up
    // by a broken connection), the one that claimed the message id answers and this one
    // writes nothing.
    if let Some(k) = handled
        && !store::idempotency::claim(txn, k, Some("handled")).await?
    {
        return Ok(false);
    }
    let lang = lang_of(a.session.lang);
    chat_session::Entity::delete_by_id((channel.to_string(), hash.to_string()))
        .exec(txn)
        .await?;
    chat_session::ActiveModel {
        channel: Set(channel.to_string()),
        sender_hash: Set(hash.to_string()),
        lang: Set(lang.code().to_string()),
        state: Set(
            serde_json::to_string(&a.session).map_err(|e| ServiceError::Internal(e.into()))?
        ),
        updated_at: Set(Utc::now()),
    }
    .insert(txn)
    .await?;
    for r in &a.replies {
        store::outbox::enqueue_chat(txn, channel, sender, r).await?;
    }
    Ok(true)
}

/// Stores a finished survey through the survey intake; the thanks carry the unit's IKM.
async fn finish_survey(
    state: &ServiceContext,
    channel: &str,
    done: Done,
    lang: Lang,
    key: Option<&str>,
) -> Result<String, ServiceError> {
    let Done::Survey { unit, answers: raw } = done else {
        return Ok(chat_text::not_stored(lang, true));
    };
    let Some(uctx) = state.unit_cache.get(&state.db, &unit).await? else {
        return Ok(chat_text::not_stored(lang, true));
    };
    let Some(active) = uctx.active.as_ref() else {
        return Ok(chat_text::not_stored(lang, true));
    };
    let def = &active.definition;
    let stored = survey::accept(
        state,
        &uctx.unit,
        active,
        &uctx.services,
        &raw,
        channel,
        None,
        key,
    )
    .await;
    match stored {
        // KeyReused: this conversation's survey was stored by an earlier try of its last
        // message (whose session save never happened): stored once, thanked again.
        Ok(_) | Err(ServiceError::KeyReused) => {}
        Err(ServiceError::Problems(_)) => return Ok(chat_text::not_stored(lang, true)),
        Err(e) => return Err(e),
    }
    let today = today_wib();
    let from = today.with_ordinal(1).unwrap_or(today);
    let ikm = survey::ikm_summary(state, &uctx.unit, def, from, today, lang).await?;
    let shown = match (ikm.suppressed, ikm.ikm_converted, ikm.grade) {
        (false, Some(score), Some(grade)) => Some((score, grade)),
        _ => None,
    };
    Ok(chat_text::thanks(lang, &uctx.unit.name, shown))
}

/// Files a finished complaint through the complaint intake; the answer is its tracking ID.
async fn finish_complaint(
    state: &ServiceContext,
    channel: &str,
    sender: &str,
    done: Done,
    lang: Lang,
    key: Option<&str>,
) -> Result<String, ServiceError> {
    let Done::Complaint {
        unit,
        category,
        description,
        contact,
    } = done
    else {
        return Ok(chat_text::not_stored(lang, false));
    };
    let input = ComplaintIn {
        unit: Some(unit),
        kind: Some("pengaduan".into()),
        category: Some(category),
        description: Some(description),
        // What the citizen typed to be reached is kept as a name (the conversation bounds it to
        // the name's limit).
        contact: contact.map(|c| ContactIn {
            name: Some(c),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut new = match complaints::check(state, &input).await {
        Ok((n, _)) => n,
        Err(ServiceError::Problems(_)) => return Ok(chat_text::not_stored(lang, false)),
        Err(e) => return Err(e),
    };
    new.channel = channel.to_string();
    // Giving a contact is asking to be kept informed: only then is the number kept, so that
    // status news can go back on this channel.
    if input.contact.is_some() {
        new.reply_to = Some(sender.to_string());
    }
    // Keyed by the conversation alone: whatever its last message said, one conversation files
    // one complaint and answers its tracking ID again.
    let key = key.map(|k| store::idempotency::Key::new(complaints::KEY_SCOPE, k, &[]));
    let c = match complaints::file(state, new, lang, &[], key.as_ref()).await {
        Ok(Filing::Stored(c)) => *c,
        Ok(Filing::Before(t)) => match store::complaints::by_tracking_id(&state.db, &t).await? {
            Some(c) => c,
            None => return Ok(chat_text::not_stored(lang, false)),
        },
        Err(ServiceError::KeyReused) => return Ok(chat_text::not_stored(lang, false)),
        Err(e) => return Err(e),
    };
    Ok(chat_text::filed(
        lang,
        &c.tracking_id,
        &state.settings.base_url,
        &complaints::reopen_code(state, &c.tracking_id),
        c.due_resolve,
    ))
}

/// `CEK <tracking ID>`: the complaint's status in words, with its deadline while it is open.
/// Never its text or who filed it: anyone can read a tracking ID.
async fn check(state: &ServiceContext, given: &str, lang: Lang) -> Result<String, ServiceError> {
    let found = match crate::domain::complaint::normalise_tracking_id(given) {
        Some(id) => store::complaints::by_tracking_id(&state.db, &id).await?,
        None => None,
    };
    Ok(match found {
        None => lang
            .t("chat_check_unknown")
            .replace("{id}", &given.chars().take(20).collect::<String>()),
        Some(c) => chat_text::check_answer(lang, &c.tracking_id, &c.status, c.due_resolve),
    })
}

/// Responses record their channel: the survey must accept every chat channel.
#[cfg(test)]
mod tests {
    #[test]
    fn chat_channels_are_survey_channels() {
        for c in ["sms", "whatsapp"] {
            assert!(crate::service::survey::CHANNELS.contains(&c));
        }
    }
}
