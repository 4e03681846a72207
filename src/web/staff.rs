//! Staff pages: login, logout, the dashboard, a unit's page with one-time survey codes.
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};

use crate::i18n::Lang;
use crate::security::{constant_time_eq, random_token};
use crate::service::survey::ikm_summary;
use crate::service::today_wib;
use crate::service::{identity, survey_codes};
use crate::store;
use crate::web::auth::{LOGIN_CSRF_COOKIE, SESSION_COOKIE, StaffPage, safe_next, session_cookie};
use crate::web::error::PageError;
use crate::web::forms::{FormData, StaffForm};
use crate::web::render::{context, page, page_with_status, redirect};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(login_form)
        .service(login)
        .service(logout)
        .service(dashboard)
        .service(unit_page)
        .service(make_codes)
        .service(code_settings);
}

fn login_page(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    status: StatusCode,
    email: &str,
    next: &str,
    message: Option<String>,
) -> Result<HttpResponse, PageError> {
    let csrf = random_token(16);
    let mut ctx = context(req, lang, None);
    ctx.insert("email", email);
    ctx.insert("next", next);
    ctx.insert("login_csrf", &csrf);
    ctx.insert("message", &message);
    let mut res = page_with_status(state, status, "staff/login.html", &ctx)?;
    let cookie = Cookie::build(LOGIN_CSRF_COOKIE, csrf)
        .path("/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.settings.secure_cookies())
        .finish();
    res.add_cookie(&cookie)
        .map_err(|e| PageError::Internal(e.into()))?;
    Ok(res)
}

#[get("/login")]
async fn login_form(state: State, req: HttpRequest, lang: Lang) -> Result<HttpResponse, PageError> {
    let next =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok()
            .and_then(|q| q.get("next").cloned());
    login_page(
        &state,
        &req,
        lang,
        StatusCode::OK,
        "",
        &safe_next(next.as_deref()),
        None,
    )
}

#[post("/login")]
async fn login(
    state: State,
    req: HttpRequest,
    lang: Lang,
    form: crate::web::forms::Form,
) -> Result<HttpResponse, PageError> {
    let form = FormData(form.into_inner());
    let email = form.text("email").unwrap_or_default().to_lowercase();
    let password = form
        .0
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let next = safe_next(form.text("next").as_deref());
    let cookie_csrf = req
        .cookie(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    let form_csrf = form.text("csrf").unwrap_or_default();
    if cookie_csrf.is_empty() || !constant_time_eq(cookie_csrf.as_bytes(), form_csrf.as_bytes()) {
        return login_page(
            &state,
            &req,
            lang,
            StatusCode::FORBIDDEN,
            &email,
            &next,
            Some(lang.t("v_csrf").into()),
        );
    }
    // An IPv6 client rotates freely within its /64: that is one address here.
    let ip = crate::web::ratelimit::client_ip(&req, &state.settings.trusted_proxies)
        .map(|i| crate::web::ratelimit::limiters::limit_key(i).to_string())
        .unwrap_or_default();
    // Per account and per (account, address), never per address: see LoginThrottle.
    if let Err(wait) = state.login_throttle.check(&email, &ip).await {
        let msg = format!("{} {wait}", lang.t("login_throttled"));
        let mut res = login_page(
            &state,
            &req,
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            &email,
            &next,
            Some(msg),
        )?;
        res.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from(wait),
        );
        return Ok(res);
    }
    let token = identity::login(
        &state.db,
        &email,
        password,
        state.settings.session_ttl_hours,
    )
    .await?;
    let Some(token) = token else {
        state.login_throttle.failed(&email, &ip).await;
        return login_page(
            &state,
            &req,
            lang,
            StatusCode::UNAUTHORIZED,
            &email,
            &next,
            Some(lang.t("login_failed").into()),
        );
    };
    state.login_throttle.succeeded(&email, &ip).await;
    let mut res = redirect(&next);
    res.add_cookie(&session_cookie(
        &token,
        state.settings.secure_cookies(),
        state.settings.session_ttl_hours,
    ))
    .map_err(|e| PageError::Internal(e.into()))?;
    Ok(res)
}

#[post("/logout")]
async fn logout(
    state: State,
    req: HttpRequest,
    StaffForm(..): StaffForm,
) -> Result<HttpResponse, PageError> {
    if let Some(c) = req.cookie(SESSION_COOKIE) {
        store::users::delete_session(&state.db, c.value()).await?;
    }
    let mut res = redirect("/");
    let mut gone = session_cookie("", state.settings.secure_cookies(), 0);
    gone.make_removal();
    res.add_cookie(&gone)
        .map_err(|e| PageError::Internal(e.into()))?;
    Ok(res)
}

#[get("/staff")]
async fn dashboard(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
) -> Result<HttpResponse, PageError> {
    let units: Vec<_> = store::units::list(&state.db, false)
        .await?
        .into_iter()
        .filter(|u| user.sees_unit(u.id))
        .collect();
    let counts = crate::service::complaints::dashboard_counts(&state, &user).await?;
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert("units", &units);
    ctx.insert("counts", &counts);
    page(&state, "staff/dashboard.html", &ctx)
}

/// A unit the user may see, or 404 (never 403: other units' slugs are not confirmed).
async fn scoped_unit(
    state: &State,
    user: &crate::web::auth::CurrentUser,
    slug: &str,
) -> Result<(entity::unit::Model, store::units::UnitView), PageError> {
    match store::units::view_by_slug(&state.db, slug, true).await? {
        Some((u, v)) if user.sees_unit(u.id) => Ok((u, v)),
        _ => Err(PageError::NotFound),
    }
}

#[get("/staff/units/{slug}")]
async fn unit_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (unit, view) = scoped_unit(&state, &user, &slug).await?;
    let mut ctx = context(&req, lang, Some(&user));
    if let Some(a) = store::surveys::active_for_unit(&state.db, unit.id).await? {
        let to = today_wib();
        let from = to - chrono::Duration::days(89);
        ctx.insert(
            "ikm",
            &ikm_summary(&state, &unit, &a.definition, from, to, lang).await?,
        );
        ctx.insert("require_code", &a.require_code);
        ctx.insert("survey_code", &a.survey.code);
    }
    ctx.insert("unit", &view);
    ctx.insert("can_act", &user.acts_on_unit(unit.id));
    page(&state, "staff/unit.html", &ctx)
}

/// Short codes people can type: no 0/O, 1/I/L.
#[post("/staff/units/{slug}/codes")]
async fn make_codes(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffForm(user, form): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (unit, view) = scoped_unit(&state, &user, &slug).await?;
    let mut problems = crate::domain::validation::Problems::new();
    let count: u32 = form
        .number("count", &mut problems)
        .unwrap_or(survey_codes::DEFAULT_BATCH);
    let codes = survey_codes::issue(&state.db, &user, unit.id, count).await?;
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert("unit", &view);
    ctx.insert("codes", &codes);
    ctx.insert(
        "survey_url",
        &format!("{}/u/{}/survey", state.settings.base_url, unit.slug),
    );
    page(&state, "staff/codes.html", &ctx)
}

#[post("/staff/units/{slug}/survey-settings")]
async fn code_settings(
    state: State,
    StaffForm(user, form): StaffForm,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let (unit, _) = scoped_unit(&state, &user, &slug).await?;
    survey_codes::require_codes(&state.db, &user, unit.id, form.checked("require_code")).await?;
    Ok(redirect(&format!("/staff/units/{}", unit.slug)))
}
