//! The complaint form's multipart body, read with memory that stays flat however much is sent:
//! a cap on the whole request, small caps on text parts, and attachments streamed to disk as
//! they arrive with only their first bytes kept for the content check.
use std::path::PathBuf;

use actix_multipart::{Field, Multipart};
use actix_web::web::Bytes;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::bootstrap::state::AppState;
use crate::web::error::PageError;
use crate::web::forms::FormData;

pub const MAX_FILES: usize = 3;
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Three full attachments and the text fields fit; anything larger is refused with 413.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;
const MAX_TEXT_BYTES: usize = 16 * 1024;
const MAX_PARTS: usize = 50;
/// Enough leading bytes for every type `sniff` knows (WebP needs 13).
const SNIFF_BYTES: usize = 16;

pub use crate::service::complaints::StoredFile;

/// The type a file really is, from its first bytes; the name and the browser's claim are ignored.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// Removes stored attachments of a form that was not accepted.
pub async fn discard(state: &AppState, files: &[StoredFile]) {
    for s in files {
        let _ = tokio::fs::remove_file(state.settings.attachments_dir.join(&s.stored_name)).await;
    }
}

/// A file that arrived whole (a chat photo): checked by content and written under the data
/// directory like a form's attachment; `None` when it is no type the form takes.
pub async fn store_bytes(
    state: &AppState,
    filename: &str,
    bytes: &[u8],
) -> std::io::Result<Option<StoredFile>> {
    let Some(ct) = sniff(bytes) else {
        return Ok(None);
    };
    let stored_name = format!("{}.bin", crate::security::random_token(16));
    let dir = &state.settings.attachments_dir;
    tokio::fs::create_dir_all(dir).await?;
    tokio::fs::write(dir.join(&stored_name), bytes).await?;
    Ok(Some(StoredFile {
        filename: clean_filename(filename),
        content_type: ct.to_string(),
        size: bytes.len(),
        stored_name,
    }))
}

/// A file name as it may be shown: no path separators, control or direction characters.
fn clean_filename(name: &str) -> String {
    name.chars()
        .filter(|c| {
            !crate::domain::validation::is_forbidden_char(*c)
                && !c.is_control()
                && *c != '/'
                && *c != '\\'
        })
        .take(120)
        .collect()
}

/// Text fields, the stored attachments (up to three `attachments` parts of 5 MB, checked by
/// content) and the problem to show with the form, if any. On a problem no file is kept; on
/// an error (413, 400) neither is anything written so far.
pub async fn read_multipart(
    state: &AppState,
    mp: Multipart,
) -> Result<(FormData, Vec<StoredFile>, Option<&'static str>), PageError> {
    let mut r = Reader {
        dir: state.settings.attachments_dir.clone(),
        total: 0,
        fields: vec![],
        files: vec![],
        problem: None,
    };
    let mut outcome = r.read(mp).await;
    // The same boundary check as a plain form: text a person could not have typed (NUL, a
    // right-to-left override) is refused before any use case sees it.
    let typed = |s: &String| !crate::domain::validation::has_control_chars(s);
    if outcome.is_ok() && !r.fields.iter().all(|(k, v)| typed(k) && typed(v)) {
        outcome = Err(PageError::BadRequest);
    }
    if outcome.is_err() || r.problem.is_some() {
        discard(state, &r.files).await;
        r.files.clear();
    }
    outcome?;
    Ok((FormData(r.fields), r.files, r.problem))
}

struct Reader {
    dir: PathBuf,
    /// Bytes of part bodies read so far, across all parts.
    total: usize,
    fields: Vec<(String, String)>,
    files: Vec<StoredFile>,
    problem: Option<&'static str>,
}

impl Reader {
    async fn read(&mut self, mut mp: Multipart) -> Result<(), PageError> {
        let mut parts = 0;
        while let Some(item) = mp.next().await {
            parts += 1;
            if parts > MAX_PARTS {
                return Err(PageError::BadRequest);
            }
            let mut field = item.map_err(|_| PageError::BadRequest)?;
            let name = field.name().unwrap_or_default().to_string();
            let filename = field
                .content_disposition()
                .and_then(|cd| cd.get_filename())
                .map(str::to_string);
            match filename {
                Some(f) if name == "attachments" => self.attachment(&mut field, f).await?,
                // A file under any other name is nothing the form asked for: read past it.
                Some(_) => while self.chunk(&mut field).await?.is_some() {},
                None => {
                    let mut buf = Vec::new();
                    while let Some(c) = self.chunk(&mut field).await? {
                        if buf.len() + c.len() > MAX_TEXT_BYTES {
                            return Err(PageError::PayloadTooLarge);
                        }
                        buf.extend_from_slice(&c);
                    }
                    self.fields
                        .push((name, String::from_utf8_lossy(&buf).into_owned()));
                }
            }
        }
        Ok(())
    }

    /// The next chunk of a part, counted against the cap on the whole request.
    async fn chunk(&mut self, field: &mut Field) -> Result<Option<Bytes>, PageError> {
        match field.next().await {
            None => Ok(None),
            Some(Err(_)) => Err(PageError::BadRequest),
            Some(Ok(c)) => {
                self.total += c.len();
                if self.total > MAX_REQUEST_BYTES {
                    return Err(PageError::PayloadTooLarge);
                }
                Ok(Some(c))
            }
        }
    }

    async fn attachment(&mut self, field: &mut Field, filename: String) -> Result<(), PageError> {
        if self.files.len() >= MAX_FILES || self.problem.is_some() {
            // Nothing more will be kept: read past it without holding or writing it.
            let mut any = false;
            while self.chunk(field).await?.is_some() {
                any = true;
            }
            if any && self.problem.is_none() {
                self.problem = Some("v_too_many_files");
            }
            return Ok(());
        }
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        let mut next = None;
        // A finished part must not be polled again (actix-multipart panics).
        let mut ended = false;
        while head.len() < SNIFF_BYTES {
            match self.chunk(field).await? {
                None => {
                    ended = true;
                    break;
                }
                Some(c) if head.len() + c.len() <= SNIFF_BYTES => head.extend_from_slice(&c),
                Some(c) => {
                    let (a, b) = c.split_at(SNIFF_BYTES - head.len());
                    head.extend_from_slice(a);
                    next = Some(Bytes::copy_from_slice(b));
                }
            }
        }
        // A file input left empty still sends a part with no name and no bytes.
        if head.is_empty() && filename.is_empty() {
            return Ok(());
        }
        let Some(ct) = sniff(&head) else {
            self.problem = Some("v_file_type");
            while !ended && self.chunk(field).await?.is_some() {}
            return Ok(());
        };
        let stored_name = format!("{}.bin", crate::security::random_token(16));
        let path = self.dir.join(&stored_name);
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|e| PageError::Internal(e.into()))?;
        let mut out = tokio::fs::File::create(&path)
            .await
            .map_err(|e| PageError::Internal(e.into()))?;
        // Listed before the first write, so any error from here on removes the file.
        self.files.push(StoredFile {
            filename: clean_filename(&filename),
            content_type: ct.to_string(),
            size: 0,
            stored_name,
        });
        let mut size = 0;
        let mut pending = Some(Bytes::from(head)).into_iter().chain(next);
        loop {
            let c = match pending.next() {
                Some(c) => c,
                None if ended => break,
                None => match self.chunk(field).await? {
                    Some(c) => c,
                    None => break,
                },
            };
            size += c.len();
            if size > MAX_FILE_BYTES {
                return Err(PageError::PayloadTooLarge);
            }
            out.write_all(&c)
                .await
                .map_err(|e| PageError::Internal(e.into()))?;
        }
        out.flush()
            .await
            .map_err(|e| PageError::Internal(e.into()))?;
        if let Some(f) = self.files.last_mut() {
            f.size = size;
        }
        Ok(())
    }
}
