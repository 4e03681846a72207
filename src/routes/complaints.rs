//! Complaint intake (page with attachments, JSON API) and tracking without an account.
use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use futures_util::StreamExt;
use serde::Serialize;

use crate::domain::complaint::{KINDS, normalise_tracking_id};
use crate::error::{ApiError, FieldErrors, PageError};
use crate::i18n::Lang;
use crate::render::{context, page, page_with_status, redirect};
use crate::routes::complaint_ops::{self, ComplaintIn, ContactIn, PublicView, TransitionIn};
use crate::routes::forms::FormData;
use crate::routes::{check_public_limit, translate};
use crate::state::{AppState, State};
use crate::store;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(api_file)
        .service(api_track)
        .service(api_reopen)
        .service(complaint_form)
        .service(submit)
        .service(track_lookup)
        .service(track_page)
        .service(reopen_page);
}

pub const MAX_FILES: usize = 3;
const FORM_FIELDS: [&str; 13] = [
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
    "anonim",
    "rahasia",
];
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

pub struct StoredFile {
    pub filename: String,
    pub content_type: String,
    pub size: usize,
    pub stored_name: String,
}

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

#[derive(Serialize, utoipa::ToSchema)]
pub struct Filed {
    pub tracking_id: String,
}

#[utoipa::path(post, path = "/api/v1/complaints", tag = "complaints", request_body = ComplaintIn,
    responses((status = 201, body = Filed), (status = 413), (status = 422, body = crate::error::ErrorBody), (status = 429)))]
#[post("/api/v1/complaints")]
pub async fn api_file(
    state: State,
    req: HttpRequest,
    lang: Lang,
    body: web::Json<ComplaintIn>,
) -> Result<HttpResponse, ApiError> {
    check_public_limit(&state, &req)
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    match complaint_ops::check(&state, &body).await? {
        Err(p) => Err(ApiError::Validation(translate(&p, lang))),
        Ok((n, _)) => {
            let c = complaint_ops::file(&state, n, lang, &[]).await?;
            Ok(HttpResponse::Created().json(Filed {
                tracking_id: c.tracking_id,
            }))
        }
    }
}

async fn find_public(state: &AppState, id: &str) -> Result<entity::complaint::Model, ApiError> {
    // Malformed and unknown IDs get the same answer.
    let id = normalise_tracking_id(id).ok_or(ApiError::NotFound)?;
    store::complaints::by_tracking_id(&state.db, &id)
        .await?
        .ok_or(ApiError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/complaints/{tracking_id}", tag = "complaints",
    params(("tracking_id" = String, Path)), responses((status = 200, body = PublicView), (status = 404)))]
#[get("/api/v1/complaints/{tracking_id}")]
pub async fn api_track(
    state: State,
    lang: Lang,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = find_public(&state, &id).await?;
    Ok(HttpResponse::Ok().json(complaint_ops::public_view(&state.db, &c, lang).await?))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct ReopenIn {
    /// Why the citizen is not satisfied.
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/complaints/{tracking_id}/reopen", tag = "complaints", request_body = ReopenIn,
    params(("tracking_id" = String, Path)), responses((status = 200, body = PublicView), (status = 404),
        (status = 409, description = "Not allowed from the current status"), (status = 429, description = "Rate limited; see Retry-After")))]
#[post("/api/v1/complaints/{tracking_id}/reopen")]
pub async fn api_reopen(
    state: State,
    req: HttpRequest,
    lang: Lang,
    id: web::Path<String>,
    body: web::Json<ReopenIn>,
) -> Result<HttpResponse, ApiError> {
    check_public_limit(&state, &req)
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let c = find_public(&state, &id).await?;
    let input = TransitionIn {
        action: "reopen".into(),
        reason: body.reason.clone(),
        ..Default::default()
    };
    let c = complaint_ops::act(&state, c, &input, None, lang).await?;
    Ok(HttpResponse::Ok().json(complaint_ops::public_view(&state.db, &c, lang).await?))
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
        .map(|c| {
            (
                c.code,
                if lang == Lang::En {
                    c.name_en
                } else {
                    c.name_id
                },
            )
        })
        .collect();
    let kinds: Vec<(String, String)> = KINDS
        .iter()
        .map(|k| (k.to_string(), lang.t(&format!("kind_{k}")).to_string()))
        .collect();
    ctx.insert("unit", &view);
    ctx.insert("categories", &cats);
    ctx.insert("kinds", &kinds);
    // Every field the template compares must exist, entered or not.
    let mut v: std::collections::BTreeMap<String, String> = FORM_FIELDS
        .iter()
        .map(|k| (k.to_string(), String::new()))
        .collect();
    v.extend(f.values_map());
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

/// Reads the multipart form: text fields into `FormData`, files (at most three, 5 MB each) checked
/// by content and written under the data directory, outside anything the server serves.
async fn read_multipart(
    state: &AppState,
    mut mp: Multipart,
) -> Result<(FormData, Vec<StoredFile>, Option<&'static str>), PageError> {
    let mut fields = vec![];
    let mut files = vec![];
    let mut problem = None;
    let mut count = 0;
    while let Some(item) = mp.next().await {
        count += 1;
        if count > 50 {
            return Err(PageError::BadRequest);
        }
        let mut field = item.map_err(|_| PageError::BadRequest)?;
        let name = field.name().unwrap_or_default().to_string();
        let filename = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(|f| f.to_string());
        let limit = if filename.is_some() {
            MAX_FILE_BYTES
        } else {
            16 * 1024
        };
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| PageError::BadRequest)?;
            if buf.len() + chunk.len() > limit {
                return Err(PageError::PayloadTooLarge);
            }
            buf.extend_from_slice(&chunk);
        }
        match filename {
            Some(f) if name == "attachments" => {
                if buf.is_empty() && f.is_empty() {
                    continue;
                }
                if files.len() >= MAX_FILES {
                    problem = Some("v_too_many_files");
                    continue;
                }
                let Some(ct) = sniff(&buf) else {
                    problem = Some("v_file_type");
                    continue;
                };
                files.push((f, ct, buf));
            }
            _ => fields.push((name, String::from_utf8_lossy(&buf).into_owned())),
        }
    }
    let mut stored = vec![];
    if problem.is_none() && !files.is_empty() {
        tokio::fs::create_dir_all(&state.settings.attachments_dir)
            .await
            .map_err(|e| PageError::Internal(e.into()))?;
        for (f, ct, bytes) in files {
            let stored_name = format!("{}.bin", crate::auth::random_token(16));
            tokio::fs::write(state.settings.attachments_dir.join(&stored_name), &bytes)
                .await
                .map_err(|e| PageError::Internal(e.into()))?;
            let clean: String = f
                .chars()
                .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
                .take(120)
                .collect();
            stored.push(StoredFile {
                filename: clean,
                content_type: ct.to_string(),
                size: bytes.len(),
                stored_name,
            });
        }
    }
    Ok((FormData(fields), stored, problem))
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
    check_public_limit(&state, &req)
        .map_err(|retry_after| PageError::TooManyRequests { retry_after })?;
    let (f, files, file_problem) = read_multipart(&state, mp).await?;
    if f.text("website").is_some() {
        return Ok(redirect(&format!("/u/{slug}")));
    }
    let mut problems = crate::domain::validation::Problems::new();
    let input = input_from(&f, &slug, &mut problems);
    if let Some(p) = file_problem {
        problems.insert("attachments".into(), p);
    }
    let checked = complaint_ops::check(&state, &input).await?;
    let n = match checked {
        Ok((n, _)) if problems.is_empty() => n,
        other => {
            if let Err(p) = other {
                problems.extend(p);
            }
            for s in &files {
                let _ = tokio::fs::remove_file(state.settings.attachments_dir.join(&s.stored_name))
                    .await;
            }
            if !files.is_empty() {
                problems.entry("attachments".into()).or_insert("v_reattach");
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
    let c = complaint_ops::file(&state, n, lang, &files).await?;
    Ok(redirect(&format!("/track/{}?new=1", c.tracking_id)))
}

#[get("/track")]
pub async fn track_lookup(
    state: State,
    req: HttpRequest,
    lang: Lang,
) -> Result<HttpResponse, PageError> {
    let q = web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
        .ok();
    let typed = q
        .as_ref()
        .and_then(|q| q.get("id").cloned())
        .unwrap_or_default();
    if !typed.trim().is_empty() {
        if let Some(id) = normalise_tracking_id(&typed)
            && store::complaints::by_tracking_id(&state.db, &id)
                .await?
                .is_some()
        {
            return Ok(redirect(&format!("/track/{id}")));
        }
        let mut ctx = context(&req, lang, None);
        ctx.insert("typed", &typed);
        ctx.insert("not_found", &true);
        return page_with_status(
            &state,
            StatusCode::NOT_FOUND,
            "public/track_lookup.html",
            &ctx,
        );
    }
    let mut ctx = context(&req, lang, None);
    ctx.insert("typed", "");
    page(&state, "public/track_lookup.html", &ctx)
}

#[get("/track/{id}")]
pub async fn track_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    id: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let c = find_public(&state, &id).await?;
    let view = complaint_ops::public_view(&state.db, &c, lang).await?;
    let mut ctx = context(&req, lang, None);
    ctx.insert("c", &view);
    ctx.insert("new", &req.query_string().contains("new=1"));
    page(&state, "public/track.html", &ctx)
}

#[post("/track/{id}/reopen")]
pub async fn reopen_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    id: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    check_public_limit(&state, &req)
        .map_err(|retry_after| PageError::TooManyRequests { retry_after })?;
    let f = FormData(form.into_inner());
    let c = find_public(&state, &id).await?;
    let tracking = c.tracking_id.clone();
    let input = TransitionIn {
        action: "reopen".into(),
        reason: f.text("reason"),
        ..Default::default()
    };
    match complaint_ops::act(&state, c, &input, None, lang).await {
        Ok(_) | Err(ApiError::Conflict(_)) => Ok(redirect(&format!("/track/{tracking}"))),
        Err(e) => Err(e.into()),
    }
}
