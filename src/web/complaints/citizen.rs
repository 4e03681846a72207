//! Complaint intake (page with attachments, JSON API) and tracking without an account.
use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;

use crate::domain::complaint::{KINDS, normalise_tracking_id};
use crate::i18n::Lang;
use crate::service::complaints::{
    self as complaint_ops, ComplaintIn, ContactIn, PublicView, TransitionIn,
};
use crate::service::error::translate;
use crate::state::{AppState, State};
use crate::store;
use crate::web::complaints::uploads::{MAX_REQUEST_BYTES, discard, read_multipart};
use crate::web::error::{ApiError, FieldErrors, PageError};
use crate::web::forms::FormData;
use crate::web::ratelimit::check_public_limit;
use crate::web::render::{context, page, page_with_status, redirect};

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
#[derive(Serialize, utoipa::ToSchema)]
pub struct Filed {
    pub tracking_id: String,
    /// Shown to the citizen once: with it (and only with it) they can reopen the complaint
    /// after it is resolved. The tracking ID alone shows the status.
    pub reopen_code: String,
}

fn filed(state: &AppState, tracking_id: String) -> Filed {
    Filed {
        reopen_code: complaint_ops::reopen_code(state, &tracking_id),
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
    body: crate::web::boundary::Json<ComplaintIn>,
) -> Result<HttpResponse, ApiError> {
    check_public_limit(&state, &req)
        .await
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let key = crate::web::survey::api::idempotency_key(&req, lang)?.map(|k| {
        let body = serde_json::to_vec(&*body).unwrap_or_default();
        store::idempotency::Key::new(complaint_ops::KEY_SCOPE, &k, &[&body])
    });
    match complaint_ops::check(&state, &body).await? {
        Err(p) => Err(ApiError::Validation(translate(&p, lang))),
        Ok((mut n, _)) => {
            n.channel = "api".into();
            match complaint_ops::file(&state, n, lang, &[], key.as_ref()).await? {
                complaint_ops::Filing::Stored(c) => {
                    Ok(HttpResponse::Created().json(filed(&state, c.tracking_id)))
                }
                complaint_ops::Filing::Before(tracking_id) => {
                    Ok(HttpResponse::Created().json(filed(&state, tracking_id)))
                }
                complaint_ops::Filing::KeyReused => {
                    Err(ApiError::field("Idempotency-Key", lang.t("v_key_reused")))
                }
            }
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
    /// The reopen code the citizen received at filing (`XXXX-XXXX`; case, spaces and dashes
    /// do not matter). Required: the tracking ID alone is public.
    pub code: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/complaints/{tracking_id}/reopen", tag = "complaints", request_body = ReopenIn,
    params(("tracking_id" = String, Path)), responses((status = 200, body = PublicView), (status = 404),
        (status = 409, description = "Not allowed from the current status"),
        (status = 422, body = crate::web::error::ErrorBody, description = "No or a wrong reopen code (`fields.code`)"),
        (status = 429, description = "Rate limited; see Retry-After")))]
#[post("/api/v1/complaints/{tracking_id}/reopen")]
pub async fn api_reopen(
    state: State,
    req: HttpRequest,
    lang: Lang,
    id: web::Path<String>,
    body: crate::web::boundary::Json<ReopenIn>,
) -> Result<HttpResponse, ApiError> {
    check_public_limit(&state, &req)
        .await
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let c = find_public(&state, &id).await?;
    let input = TransitionIn {
        action: "reopen".into(),
        reason: body.reason.clone(),
        reopen_code: body.code.clone(),
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
        .map(|c| (c.code, lang.pick(c.name_id, c.name_en)))
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
    v.insert(
        crate::web::survey::pages::SUBMISSION_KEY.into(),
        crate::security::random_token(16),
    );
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
        .await
        .map_err(|retry_after| PageError::TooManyRequests { retry_after })?;
    // A declared size over the cap is refused before a byte of the body is read.
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_REQUEST_BYTES as u64) {
        return Err(PageError::PayloadTooLarge);
    }
    let (f, files, file_problem) = read_multipart(&state, mp).await?;
    if f.text("website").is_some() {
        discard(&state, &files).await;
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
            discard(&state, &files).await;
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
    let key = f
        .text(crate::web::survey::pages::SUBMISSION_KEY)
        .map(|k| form_key(&k, &f, &files));
    let filed = match complaint_ops::file(&state, n, lang, &files, key.as_ref()).await {
        Ok(f) => f,
        Err(e) => {
            discard(&state, &files).await;
            return Err(e.into());
        }
    };
    let tracking_id = match filed {
        complaint_ops::Filing::Stored(c) => c.tracking_id,
        other => {
            // Sent before: these copies of the photos are not needed.
            discard(&state, &files).await;
            match other {
                complaint_ops::Filing::Before(t) => t,
                _ => {
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
            }
        }
    };
    // The citizen's own link: the page shows the reopen code once it is in the address.
    let code = complaint_ops::reopen_code(&state, &tracking_id);
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
    store::idempotency::Key::new(complaint_ops::KEY_SCOPE, key, &[&fields, &files])
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
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let code = query
        .iter()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.as_str());
    let reopen = Reopen {
        code: code.unwrap_or_default(),
        reason: "",
        error: None,
    };
    render_track(&state, &req, lang, &c, &reopen, StatusCode::OK).await
}

/// The reopen form as the citizen left it: the code they typed (or their link carried), their
/// reason, and what was wrong.
struct Reopen<'a> {
    code: &'a str,
    reason: &'a str,
    error: Option<String>,
}

async fn render_track(
    state: &AppState,
    req: &HttpRequest,
    lang: Lang,
    c: &entity::complaint::Model,
    reopen: &Reopen<'_>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let view = complaint_ops::public_view(&state.db, c, lang).await?;
    let mut ctx = context(req, lang, None);
    ctx.insert("c", &view);
    ctx.insert("new", &req.query_string().contains("new=1"));
    // A code that is this complaint's (the citizen's own link) is shown and filled in; anything
    // else in the address is ignored, so the page never confirms a guess.
    let own = crate::security::reopen_code_matches(&state.reopen_key, &c.tracking_id, reopen.code);
    ctx.insert(
        "own_code",
        &own.then(|| complaint_ops::reopen_code(state, &c.tracking_id)),
    );
    ctx.insert(
        "reopen_code",
        if own || reopen.error.is_some() {
            reopen.code
        } else {
            ""
        },
    );
    ctx.insert("reopen_reason", reopen.reason);
    ctx.insert("reopen_error", &reopen.error);
    ctx.insert(
        "track_url",
        &format!("{}/track/{}", state.settings.base_url, view.tracking_id),
    );
    page_with_status(state, status, "public/track.html", &ctx)
}

#[post("/track/{id}/reopen")]
pub async fn reopen_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    id: web::Path<String>,
    form: crate::web::forms::Form,
) -> Result<HttpResponse, PageError> {
    check_public_limit(&state, &req)
        .await
        .map_err(|retry_after| PageError::TooManyRequests { retry_after })?;
    let f = FormData(form.into_inner());
    let c = find_public(&state, &id).await?;
    let tracking = c.tracking_id.clone();
    let input = TransitionIn {
        action: "reopen".into(),
        reason: f.text("reason"),
        reopen_code: f.text("code"),
        ..Default::default()
    };
    match complaint_ops::act(&state, c.clone(), &input, None, lang).await {
        Ok(_) | Err(crate::service::error::ServiceError::Conflict(_)) => {
            Ok(redirect(&format!("/track/{tracking}")))
        }
        // No or a wrong code: the form again, with what the citizen typed and why.
        Err(crate::service::error::ServiceError::Invalid(errors)) => {
            let code = input.reopen_code.clone().unwrap_or_default();
            let reason = input.reason.clone().unwrap_or_default();
            let reopen = Reopen {
                code: &code,
                reason: &reason,
                error: errors.values().next().cloned(),
            };
            render_track(
                &state,
                &req,
                lang,
                &c,
                &reopen,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
