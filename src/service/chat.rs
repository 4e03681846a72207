//! A chat or SMS message in, replies out: the conversation's session is loaded (by the
//! sender's hash), stepped, saved, a finished survey or complaint goes through the same intake
//! as the web forms, and every reply is queued on the outbox for the channel's sender.
use std::collections::BTreeMap;

use chrono::{Datelike, Utc};
use entity::chat_session;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::{Value, json};

use crate::domain::conversation::{self, ChatUnit, Ctx, Done, Session};
use crate::domain::skm_survey::skm_definition;
use crate::domain::survey::Kind;
use crate::i18n::Lang;
use crate::security::sha256_hex;
use crate::service::chat_text::{self, Names};
use crate::service::complaints::{self, ComplaintIn, ContactIn, Filing};
use crate::service::error::ServiceError;
use crate::service::survey::{self, Refusal};
use crate::service::today_wib;
use crate::state::AppState;
use crate::store;

fn lang_of(l: conversation::Lang) -> Lang {
    match l {
        conversation::Lang::Id => Lang::Id,
        conversation::Lang::En => Lang::En,
    }
}

/// The session of a sender, or a fresh one after a quiet hour (or a state that no longer parses).
async fn load(state: &AppState, channel: &str, hash: &str) -> Result<Session, ServiceError> {
    let row = chat_session::Entity::find_by_id((channel.to_string(), hash.to_string()))
        .one(&state.db)
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
    elements: Vec<String>,
    categories: Vec<String>,
    names: Names,
}

async fn known(state: &AppState) -> Result<Known, ServiceError> {
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
    let elements = skm_definition()
        .questions
        .into_iter()
        .filter(|q| matches!(q.kind, Kind::Likert4 { .. }))
        .map(|q| q.code)
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
        elements,
        categories,
        names,
    })
}

/// Handles one inbound message from `sender` on `channel` (e.g. `sms`); `message_id` is the
/// gateway's id, which keys the intake so a redelivered final message does not store twice.
/// The intake commits before the session is saved: if the save then fails, the gateway's retry
/// of the same message meets the same key and answers the first result again.
pub async fn handle(
    state: &AppState,
    channel: &str,
    sender: &str,
    text: &str,
    message_id: Option<&str>,
) -> Result<(), ServiceError> {
    let hash = sha256_hex(sender.trim());
    // A gateway's redelivery of a message already handled changes nothing (mid-conversation
    // too: answering "3" twice must not answer two questions).
    let handled = message_id
        .map(|id| store::idempotency::Key::new("chat_in", &format!("{channel}:{hash}:{id}"), &[]));
    if let Some(k) = &handled
        && store::idempotency::seen(&state.db, k).await? != store::idempotency::Seen::New
    {
        return Ok(());
    }
    let session = load(state, channel, &hash).await?;
    let k = known(state).await?;
    let ctx = Ctx {
        units: &k.units,
        elements: &k.elements,
        categories: &k.categories,
    };
    let turn = conversation::step(&session, text, &ctx);
    let lang = lang_of(turn.session.lang);
    let mut replies: Vec<String> = turn
        .replies
        .iter()
        .flat_map(|r| chat_text::render(r, lang, &k.names))
        .collect();
    let key = message_id.map(|id| format!("{channel}:{hash}:{id}"));
    match turn.done {
        Some(d @ Done::Survey { .. }) => {
            replies.push(finish_survey(state, channel, d, lang, key.as_deref()).await?)
        }
        Some(d @ Done::Complaint { .. }) => replies
            .push(finish_complaint(state, channel, sender.trim(), d, lang, key.as_deref()).await?),
        None => {}
    }
    // The session and its replies are written together: a reply is never lost nor doubled
    // relative to the state it answers.
    let txn = crate::bootstrap::db::begin_write(&state.db).await?;
    if let Some(k) = &handled
        && !store::idempotency::claim(&txn, k, Some("handled")).await?
    {
        // The same message, handled at the same moment by a twin delivery: that one answers.
        txn.rollback().await?;
        return Ok(());
    }
    chat_session::Entity::delete_by_id((channel.to_string(), hash.clone()))
        .exec(&txn)
        .await?;
    chat_session::ActiveModel {
        channel: Set(channel.to_string()),
        sender_hash: Set(hash),
        lang: Set(lang.code().to_string()),
        state: Set(
            serde_json::to_string(&turn.session).map_err(|e| ServiceError::Internal(e.into()))?
        ),
        updated_at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    for r in &replies {
        store::outbox::enqueue_chat(&txn, channel, sender.trim(), r).await?;
    }
    txn.commit().await?;
    state.mailer.wake();
    Ok(())
}

/// Stores a finished survey through the survey intake; the thanks carry the unit's IKM.
async fn finish_survey(
    state: &AppState,
    channel: &str,
    done: Done,
    lang: Lang,
    key: Option<&str>,
) -> Result<String, ServiceError> {
    let Done::Survey {
        unit,
        service,
        answers,
        wait_minutes,
        comment,
    } = done
    else {
        return Ok(chat_text::not_stored(lang, true));
    };
    let Some(uctx) = state.unit_cache.get(&state.db, &unit).await? else {
        return Ok(chat_text::not_stored(lang, true));
    };
    let Some(active) = uctx.active.as_ref() else {
        return Ok(chat_text::not_stored(lang, true));
    };
    let def = &active.definition;
    // The unit's own question codes where the definition has them (service, wait, comment).
    let code_of = |pick: &dyn Fn(&Kind) -> bool, fallback: &str| {
        def.questions
            .iter()
            .find(|q| pick(&q.kind))
            .map_or(fallback.to_string(), |q| q.code.clone())
    };
    let mut raw: BTreeMap<String, Value> = answers
        .into_iter()
        .map(|(code, n)| (code, json!(n)))
        .collect();
    if let Some(s) = service {
        raw.insert(
            code_of(&|k| matches!(k, Kind::Service), "SERVICE"),
            json!(s),
        );
    }
    if let Some(w) = wait_minutes {
        raw.insert("WAIT_MIN".into(), json!(w));
    }
    if let Some(c) = comment {
        raw.insert(
            code_of(&|k| matches!(k, Kind::Text { .. }), "COMMENT"),
            json!(c),
        );
    }
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
        Ok(_) => {}
        Err(Refusal::Error(e)) => return Err(e),
        Err(Refusal::Problems(_) | Refusal::KeyReused) => {
            return Ok(chat_text::not_stored(lang, true));
        }
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
    state: &AppState,
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
        // What the citizen typed to be reached is kept as a name, cut to the name's limit.
        contact: contact.map(|c| ContactIn {
            name: Some(c.chars().take(100).collect()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut new = match complaints::check(state, &input).await? {
        Ok((n, _)) => n,
        Err(_) => return Ok(chat_text::not_stored(lang, false)),
    };
    new.channel = channel.to_string();
    // Giving a contact is asking to be kept informed: only then is the number kept, so that
    // status news can go back on this channel.
    if input.contact.is_some() {
        new.reply_to = Some(sender.to_string());
    }
    let key = key.map(|k| {
        store::idempotency::Key::new(
            complaints::KEY_SCOPE,
            k,
            &[serde_json::to_vec(&input).unwrap_or_default().as_slice()],
        )
    });
    let tracking = match complaints::file(state, new, lang, &[], key.as_ref()).await? {
        Filing::Stored(c) => c.tracking_id,
        Filing::Before(t) => t,
        Filing::KeyReused => return Ok(chat_text::not_stored(lang, false)),
    };
    Ok(chat_text::filed(lang, &tracking, &state.settings.base_url))
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
