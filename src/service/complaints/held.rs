//! Photos of a complaint form refused for another field: held under the form's submission key
//! (hashed) where uploads are written, offered again with the form, taken into the complaint
//! when the form goes through, removed when the citizen unticks them or the key expires.
use chrono::{DateTime, Utc};

use super::StoredFile;
use crate::security::sha256_hex;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;

fn key_hash(submission_key: &str) -> String {
    sha256_hex(&format!("complaint-form:{submission_key}"))
}

/// The key a chat conversation's photos are held under, from its intake key: the intake
/// attaches what is held under it when the conversation files its complaint.
pub fn chat_held_key(intake_key: &str) -> String {
    format!("chat:{intake_key}")
}

/// A held file with the row that holds it.
pub struct Held {
    pub id: i32,
    pub file: StoredFile,
}

pub async fn hold_files(
    state: &ServiceContext,
    submission_key: &str,
    files: &[StoredFile],
) -> Result<(), ServiceError> {
    let k = key_hash(submission_key);
    for f in files {
        store::held_uploads::hold(
            &state.db,
            &k,
            &f.stored_name,
            &f.filename,
            &f.content_type,
            f.size as i64,
        )
        .await?;
    }
    Ok(())
}

pub async fn held_files(
    state: &ServiceContext,
    submission_key: &str,
) -> Result<Vec<Held>, ServiceError> {
    Ok(
        store::held_uploads::held(&state.db, &key_hash(submission_key))
            .await?
            .into_iter()
            .map(|m| Held {
                id: m.id,
                file: StoredFile {
                    filename: m.filename,
                    content_type: m.content_type,
                    size: m.size.max(0) as usize,
                    stored_name: m.stored_name,
                },
            })
            .collect(),
    )
}

/// Lets go of held rows: with their files (`remove_files`: unticked, or not needed), or leaving
/// the files to the complaint that now has them as attachments.
pub async fn release_held(
    state: &ServiceContext,
    held: &[Held],
    remove_files: bool,
) -> Result<(), ServiceError> {
    let ids: Vec<i32> = held.iter().map(|h| h.id).collect();
    store::held_uploads::release(&state.db, &ids).await?;
    if remove_files {
        for h in held {
            let _ =
                tokio::fs::remove_file(state.settings.attachments_dir.join(&h.file.stored_name))
                    .await;
        }
    }
    Ok(())
}

/// Removes what was held since before `cutoff` (the submission keys' own expiry). Returns how
/// many files.
pub async fn expire_held(
    state: &ServiceContext,
    cutoff: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let names = store::held_uploads::expire(&state.db, cutoff).await?;
    for n in &names {
        let _ = tokio::fs::remove_file(state.settings.attachments_dir.join(n)).await;
    }
    Ok(names.len())
}
