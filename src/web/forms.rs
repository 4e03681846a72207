//! HTML form bodies: kept as ordered pairs so repeated keys (checkboxes) survive, and the
//! staff form post ([`StaffForm`]) whose CSRF token is checked before any handler runs.
use std::collections::BTreeMap;

use serde_json::Value;

use crate::domain::validation::{Problems, has_control_chars};

pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The trimmed value, `None` when absent or blank.
    pub fn text(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn checked(&self, key: &str) -> bool {
        self.text(key).is_some_and(|v| v != "0" && v != "false")
    }

    /// A whole number, or a problem recorded under `key`.
    pub fn number<T: std::str::FromStr>(&self, key: &str, problems: &mut Problems) -> Option<T> {
        let v = self.text(key)?;
        let whole = crate::domain::validation::parse_whole(&v).map(|n| n.to_string());
        match whole.as_deref().map(str::parse) {
            Some(Ok(n)) => Some(n),
            _ => {
                problems.insert(key.to_string(), "v_number");
                None
            }
        }
    }

    /// Raw values as JSON, repeated keys becoming arrays; `skip` names fields that are not answers.
    pub fn to_answers(&self, skip: &[&str]) -> BTreeMap<String, Value> {
        let mut out: BTreeMap<String, Value> = BTreeMap::new();
        for (k, v) in &self.0 {
            if skip.contains(&k.as_str()) {
                continue;
            }
            match out.get_mut(k) {
                None => {
                    out.insert(k.clone(), Value::String(v.clone()));
                }
                Some(Value::Array(a)) => a.push(Value::String(v.clone())),
                Some(prev) => {
                    let first = prev.take();
                    *prev = Value::Array(vec![first, Value::String(v.clone())]);
                }
            }
        }
        out
    }

    pub fn values_map(&self) -> BTreeMap<String, String> {
        self.0.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

/// An urlencoded form body as ordered pairs, refused (a 400 page) when a name or value holds a
/// control character; size limits come from the app's `FormConfig`.
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn into_inner(self) -> Vec<(String, String)> {
        self.0
    }
}

impl actix_web::FromRequest for Form {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(
        req: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        let raw = actix_web::web::Form::<Vec<(String, String)>>::from_request(req, payload);
        Box::pin(async move {
            let pairs = raw.await?.into_inner();
            if pairs
                .iter()
                .any(|(k, v)| has_control_chars(k) || has_control_chars(v))
            {
                return Err(crate::web::error::PageError::BadRequest.into());
            }
            Ok(Form(pairs))
        })
    }
}

/// A staff member's form post: the session's user (or the redirect to the login page, as
/// [`crate::web::auth::StaffPage`]), then the body (as [`Form`]), whose `csrf` field must be the
/// session's token, or the answer is the 403 page. Every staff page `POST` takes this, so none
/// can forget the check (`tests/api/csrf.rs` reads the sources to keep it so). The login form is
/// the exception: before a session exists it checks its own cookie-bound token.
pub struct StaffForm(pub crate::web::auth::CurrentUser, pub FormData);

impl actix_web::FromRequest for StaffForm {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(
        req: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        let user = crate::web::auth::StaffPage::from_request(req, payload);
        let form = Form::from_request(req, payload);
        Box::pin(async move {
            let crate::web::auth::StaffPage(user) = user.await?;
            let form = FormData(form.await?.into_inner());
            if !user.check_csrf(form.text("csrf").as_deref()) {
                return Err(crate::web::error::PageError::Forbidden.into());
            }
            Ok(StaffForm(user, form))
        })
    }
}

/// A staff member's upload form (multipart): the session's user, the text fields and the one
/// file part named `file` — or, when that file is larger than `UPLOAD_LIMIT`, `TooLarge`. The
/// `csrf` field must be the session's token, as for [`StaffForm`] (`tests/api/csrf.rs` checks
/// every staff page `POST` takes one of the two).
pub struct StaffUpload(pub crate::web::auth::CurrentUser, pub FormData, pub Upload);

pub enum Upload {
    None,
    File { filename: String, bytes: Vec<u8> },
    TooLarge,
}

/// The largest file a staff upload form takes (a logo is smaller still; the use case says so).
pub const UPLOAD_LIMIT: usize = 1024 * 1024;
/// Text fields of an upload form are short.
const UPLOAD_TEXT_LIMIT: usize = 4096;

impl actix_web::FromRequest for StaffUpload {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(
        req: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        use futures_util::StreamExt;
        let user = crate::web::auth::StaffPage::from_request(req, payload);
        let multipart = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        let mp = actix_multipart::Multipart::from_request(req, payload);
        Box::pin(async move {
            let crate::web::auth::StaffPage(user) = user.await?;
            // Not multipart at all: there is no token to read, so it is refused like a missing one.
            if !multipart {
                return Err(crate::web::error::PageError::Forbidden.into());
            }
            let bad = || crate::web::error::PageError::BadRequest;
            let mut mp = mp.await.map_err(|_| bad())?;
            let mut fields = vec![];
            let mut upload = Upload::None;
            // Past the limit a part is read and dropped, so the form can say "too large"; a
            // body far past it is refused outright.
            let mut seen = 0usize;
            while let Some(part) = mp.next().await {
                let mut part = part.map_err(|_| bad())?;
                let name = part.name().unwrap_or_default().to_string();
                let filename = part
                    .content_disposition()
                    .and_then(|cd| cd.get_filename())
                    .map(str::to_string);
                let limit = if filename.is_some() {
                    UPLOAD_LIMIT
                } else {
                    UPLOAD_TEXT_LIMIT
                };
                let mut buf = Vec::new();
                let mut over = false;
                while let Some(chunk) = part.next().await {
                    let chunk = chunk.map_err(|_| bad())?;
                    seen += chunk.len();
                    if seen > 8 * UPLOAD_LIMIT {
                        return Err(crate::web::error::PageError::PayloadTooLarge.into());
                    }
                    if buf.len() + chunk.len() > limit {
                        over = true;
                    } else if !over {
                        buf.extend_from_slice(&chunk);
                    }
                }
                match filename {
                    Some(f) if name == "file" => {
                        upload = if over {
                            Upload::TooLarge
                        } else if buf.is_empty() {
                            Upload::None
                        } else {
                            Upload::File {
                                filename: f,
                                bytes: buf,
                            }
                        }
                    }
                    Some(_) => {}
                    None if over => return Err(bad().into()),
                    None => {
                        let v = String::from_utf8(buf).map_err(|_| bad())?;
                        if has_control_chars(&name) || has_control_chars(&v) {
                            return Err(bad().into());
                        }
                        fields.push((name, v));
                    }
                }
            }
            let form = FormData(fields);
            if !user.check_csrf(form.text("csrf").as_deref()) {
                return Err(crate::web::error::PageError::Forbidden.into());
            }
            Ok(StaffUpload(user, form, upload))
        })
    }
}
