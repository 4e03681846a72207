//! Complaint intake: the page with attachments and the JSON API (tracking is in `track`).
use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;

use crate::bootstrap::state::AppState;
use crate::domain::complaint::KINDS;
use crate::i18n::Lang;
use crate::service::complaints::{self, ComplaintIn, ContactIn};
use crate::service::error::ServiceError;
use crate::service::error::translate;
use crate::store;
use crate::web::complaints::uploads::{
    MAX_FILES, MAX_REQUEST_BYTES, StoredFile, discard, read_multipart,
};
use crate::web::error::{ApiError, FieldErrors, PageError};
use crate::web::forms::FormData;
use crate::web::ratelimit::check_public_limit;
use crate::web::render::{context, page_with_status, redirect};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(api_file)
        .service(complaint_form)
        .service(submit);
}

const FORM_FIELDS: [&str; 14] = [
    "kind",
    "category",
    "service",
    "description",
    "incident_date",
    "wait_minutes",
    "visits",
    "fee_paid",
    "contact.name",
    "contact.email",
    "contact.phone",
    "contact.notify",
    "anonim",
    "rahasia",
];
#[derive(Serialize, utoipa::ToSchema)]
pub struct Filed {
    pub tracking_id: String,
    /// Shown to the citizen once: with it (and only with it) they can reopen the complaint
    /// after it is resolved. The tracking ID alone shows the status.
    pub reopen_code: String,
}

fn filed(state: &AppState, tracking_id: String) -> Filed {
    Filed {
        reopen_code: complaints::reopen_code(state, &tracking_id),
        tracking_id,
    }
}

#[utoipa::path(post, path = "/api/v1/complaints", tag = "complaints", request_body = ComplaintIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Any unique string (1–255 visible ASCII characters); the same key with the same body answers the first tracking ID again, with another body 422. Kept at least 24 hours.")),
    responses((status = 201, body = Filed), (status = 413), (status = 422, body = crate::web::error::ErrorBody), (status = 429)))]
#[post("/api/v1/complaints")]
pub async fn api_file(
    state: State,
    req: HttpRequest,
    lang: Lang,
    body: crate::web::request_checks::Json<ComplaintIn>,
) -> Result<HttpResponse, ApiError> {
    check_public_limit(&state, &req).await?;
    let key = crate::web::survey::api::idempotency_key(&req, lang)?.map(|k| {
        let body = serde_json::to_vec(&*body).unwrap_or_default();
        store::idempotency::Key::new(complaints::KEY_SCOPE, &k, &[&body])
    });
    let (mut n, _) = complaints::check(&state, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    n.channel = "api".into();
    let tracking_id = match complaints::file(&state, n, lang, &[], key.as_ref())
        .await
        .map_err(|e| ApiError::from_service(e, lang))?
    {
        complaints::Filing::Stored(c) => c.tracking_id,
        complaints::Filing::Before(tracking_id) => tracking_id,
    };
    Ok(HttpResponse::Created().json(filed(&state, tracking_id)))
}

async fn render_form(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    slug: &str,
    f: &FormData,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let (_, view) = store::units::view_by_slug(&state.db, slug, false)
        .await?
        .filter(|(u, _)| u.archived_at.is_none())
        .ok_or(PageError::NotFound)?;
    let mut ctx = context(req, lang, None);
    let cats: Vec<(String, String)> = store::complaints::categories(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.code, lang.pick(c.name_id, c.name_en)))
        .collect();
    let kinds: Vec<(String, String)> = KINDS
        .iter()
        .map(|k| (k.to_string(), lang.t(&format!("kind_{k}")).to_string()))
        .collect();
    ctx.insert("unit", &view);
    ctx.insert("categories", &cats);
    ctx.insert("kinds", &kinds);
    // Only the channels this installation sends on are offered.
    let notify: Vec<&str> = state
        .cx
        .settings
        .news
        .offered()
        .into_iter()
        .map(|c| c.as_str())
        .collect();
    ctx.insert("notify_channels", &notify);
    // Every field the template compares must exist, entered or not.
    let mut v: std::collections::BTreeMap<String, String> = FORM_FIELDS
        .iter()
        .map(|k| (k.to_string(), String::new()))
        .collect();
    v.insert(
        crate::web::survey::pages::SUBMISSION_KEY.into(),
        crate::security::random_token(16),
    );
    v.extend(f.values_map());
    // Photos held from an earlier send of this form, offered again (ticked).
    let held: Vec<serde_json::Value> = match v.get(crate::web::survey::pages::SUBMISSION_KEY) {
        Some(k) => complaints::held_files(state, k)
            .await?
            .into_iter()
            .map(|h| {
                serde_json::json!({
                    "id": h.id,
                    "filename": h.file.filename,
                    "label": crate::domain::file_label::label(
                        &h.file.content_type,
                        h.file.size as i64,
                        lang == Lang::Id,
                    ),
                })
            })
            .collect(),
        None => vec![],
    };
    ctx.insert("held", &held);
    // The summary above the form: each problem linked to its field, named as the form names it.
    let error_list: Vec<(String, String, &String)> = errors
        .iter()
        .filter(|(name, _)| name.as_str() != "form")
        .map(|(name, message)| {
            let label = lang.t(&format!("c_{}", name.replace('.', "_")));
            (name.replace('.', "-"), label.to_string(), message)
        })
        .collect();
    ctx.insert("error_list", &error_list);
    ctx.insert("v", &v);
    ctx.insert("errors", errors);
    ctx.insert("has_errors", &!errors.is_empty());
    page_with_status(state, status, "public/complaint.html", &ctx)
}

#[get("/u/{slug}/complaint")]
pub async fn complaint_form(
    state: State,
    req: HttpRequest,
    lang: Lang,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let mut defaults = vec![("kind".to_string(), "pengaduan".to_string())];
    if let Some(c) =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("category").cloned())
    {
        defaults.push(("category".into(), c));
    }
    render_form(
        &state,
        &req,
        lang,
        &slug,
        &FormData(defaults),
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

fn input_from(
    f: &FormData,
    slug: &str,
    problems: &mut crate::domain::validation::Problems,
) -> ComplaintIn {
    ComplaintIn {
        unit: Some(slug.to_string()),
        service: f.text("service"),
        kind: f.text("kind"),
        category: f.text("category"),
        description: f.text("description"),
        incident_date: f.text("incident_date"),
        wait_minutes: f.number("wait_minutes", problems),
        visits: f.number("visits", problems),
        fee_paid: f.number("fee_paid", problems),
        contact: Some(ContactIn {
            name: f.text("contact.name"),
            email: f.text("contact.email"),
            phone: f.text("contact.phone"),
            notify: f.text("contact.notify"),
        }),
        anonim: f.checked("anonim"),
        rahasia: f.checked("rahasia"),
    }
}

#[post("/u/{slug}/complaint")]
pub async fn submit(
    state: State,
    req: HttpRequest,
    lang: Lang,
    slug: web::Path<String>,
    mp: Multipart,
) -> Result<HttpResponse, PageError> {
    check_public_limit(&state, &req).await?;
    // A declared size over the cap is refused before a byte of the body is read.
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_REQUEST_BYTES as u64) {
        return Err(PageError::PayloadTooLarge);
    }
    let (f, new_files, mut file_problem) = read_multipart(&state, mp).await?;
    if f.text("website").is_some() {
        discard(&state, &new_files).await;
        return Ok(redirect(&format!("/u/{slug}")));
    }
    let submission_key = f.text(crate::web::survey::pages::SUBMISSION_KEY);
    // Photos held from an earlier, refused send of this form: those still ticked come along.
    let mut held = match &submission_key {
        Some(k) => complaints::held_files(&state, k).await?,
        None => vec![],
    };
    if f.text("held_listed").is_some() {
        let kept = f.all("keep_held");
        let (keep, drop): (Vec<_>, Vec<_>) = held
            .into_iter()
            .partition(|h| kept.contains(&h.id.to_string()));
        complaints::release_held(&state, &drop, true).await?;
        held = keep;
    }
    let mut new_files = new_files;
    if held.len() + new_files.len() > MAX_FILES {
        discard(&state, &new_files).await;
        new_files.clear();
        file_problem.get_or_insert("v_too_many_files");
    }
    let mut problems = crate::domain::validation::Problems::new();
    let input = input_from(&f, &slug, &mut problems);
    if let Some(p) = file_problem {
        problems.insert("attachments".into(), p);
    }
    let checked = match complaints::check(&state, &input).await {
        Ok((n, _)) => Some(n),
        Err(ServiceError::Problems(p)) => {
            problems.extend(p);
            None
        }
        Err(e) => {
            discard(&state, &new_files).await;
            return Err(e.into());
        }
    };
    let n = match checked {
        Some(n) if problems.is_empty() => n,
        _ => {
            // Refused for a field: the photos wait under the form's key for the next send.
            match &submission_key {
                Some(k) => complaints::hold_files(&state, k, &new_files).await?,
                None => {
                    discard(&state, &new_files).await;
                    if !new_files.is_empty() {
                        problems.entry("attachments".into()).or_insert("v_reattach");
                    }
                }
            }
            let errors = translate(&problems, lang);
            return render_form(
                &state,
                &req,
                lang,
                &slug,
                &f,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let files: Vec<StoredFile> = held
        .iter()
        .map(|h| h.file.clone())
        .chain(new_files.iter().cloned())
        .collect();
    let key = f
        .text(crate::web::survey::pages::SUBMISSION_KEY)
        .map(|k| form_key(&k, &f, &files));
    let filed = complaints::file(&state, n, lang, &files, key.as_ref()).await;
    match &filed {
        // The held photos are the complaint's attachments now: only their rows go.
        Ok(complaints::Filing::Stored(_)) => complaints::release_held(&state, &held, false).await?,
        // Sent before, or not stored: these copies of the photos are not needed.
        _ => {
            discard(&state, &new_files).await;
            complaints::release_held(&state, &held, true).await?;
        }
    }
    let tracking_id = match filed {
        Ok(complaints::Filing::Stored(c)) => c.tracking_id,
        Ok(complaints::Filing::Before(t)) => t,
        Err(ServiceError::KeyReused) => {
            let mut fresh = FormData(
                f.0.into_iter()
                    .filter(|(k, _)| k != crate::web::survey::pages::SUBMISSION_KEY)
                    .collect(),
            );
            fresh.0.push((
                crate::web::survey::pages::SUBMISSION_KEY.into(),
                crate::security::random_token(16),
            ));
            let mut errors = FieldErrors::new();
            errors.insert("form".into(), lang.t("v_form_already_sent").into());
            if !files.is_empty() {
                errors.insert("attachments".into(), lang.t("v_reattach").into());
            }
            return render_form(
                &state,
                &req,
                lang,
                &slug,
                &fresh,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    // The citizen's own link: the page shows the reopen code once it is in the address.
    let code = complaints::reopen_code(&state, &tracking_id);
    Ok(redirect(&format!("/track/{tracking_id}?new=1&code={code}")))
}

/// The form's one-time key with what the form said: its fields (but the key) and its files.
fn form_key(
    key: &str,
    f: &FormData,
    files: &[crate::web::complaints::uploads::StoredFile],
) -> store::idempotency::Key {
    let mut fields: Vec<&(String, String)> =
        f.0.iter()
            .filter(|(k, _)| k != crate::web::survey::pages::SUBMISSION_KEY)
            .collect();
    fields.sort();
    let fields = serde_json::to_vec(&fields).unwrap_or_default();
    let files: Vec<(&str, &str, usize)> = files
        .iter()
        .map(|s| (s.filename.as_str(), s.content_type.as_str(), s.size))
        .collect();
    let files = serde_json::to_vec(&files).unwrap_or_default();
    store::idempotency::Key::new(complaints::KEY_SCOPE, key, &[&fields, &files])
}
