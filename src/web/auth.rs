//! Who is calling: sessions (pages), bearer tokens (JSON), CSRF, roles and unit scope.
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, web};
use futures_util::future::LocalBoxFuture;

use crate::bootstrap::state::AppState;
use crate::store;
use crate::web::error::ApiError;

pub const SESSION_COOKIE: &str = "suara_session";
pub const LOGIN_CSRF_COOKIE: &str = "suara_csrf";

pub use crate::service::identity::{CurrentUser, Role};

pub fn session_cookie(value: &str, secure: bool, max_age_hours: i64) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, value.to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(actix_web::cookie::time::Duration::hours(max_age_hours))
        .finish()
}

async fn resolve(
    state: &AppState,
    bearer: Option<String>,
    session: Option<String>,
) -> Result<Option<CurrentUser>, ApiError> {
    let (user, csrf, via_token) = if let Some(token) = bearer {
        match store::users::token_user(&state.db, &token).await? {
            Some(u) => (u, String::new(), true),
            None => return Err(ApiError::Unauthorized),
        }
    } else if let Some(cookie) = session {
        match store::users::session_user(&state.db, &cookie).await? {
            Some((u, csrf)) => (u, csrf, false),
            None => return Ok(None),
        }
    } else {
        return Ok(None);
    };
    let Some(role) = Role::parse(&user.role) else {
        return Ok(None);
    };
    let unit_ids = store::users::unit_ids(&state.db, user.id).await?;
    Ok(Some(CurrentUser {
        id: user.id,
        email: user.email,
        name: user.name,
        role,
        unit_ids,
        csrf,
        via_token,
    }))
}

fn credentials(req: &HttpRequest) -> (Option<String>, Option<String>) {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let session = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
    (bearer, session)
}

fn state_of(req: &HttpRequest) -> Option<web::Data<AppState>> {
    req.app_data::<web::Data<AppState>>().cloned()
}

/// A staff member calling a JSON endpoint: bearer token, or session cookie plus an
/// `X-CSRF-Token` header on state-changing methods.
pub struct StaffApi(pub CurrentUser);

impl FromRequest for StaffApi {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = state_of(req);
        let (bearer, session) = credentials(req);
        let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        let csrf_header = req
            .headers()
            .get("x-csrf-token")
            .and_then(|h| h.to_str().ok())
            .map(str::to_string);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            let user = resolve(&state, bearer, session)
                .await?
                .ok_or(ApiError::Unauthorized)?;
            if unsafe_method && !user.check_csrf(csrf_header.as_deref()) {
                return Err(ApiError::Forbidden);
            }
            Ok(StaffApi(user))
        })
    }
}

/// A staff member whose role passes `admits`, else 403. The OpenAPI document lists the same
/// roles as the scopes of each operation's `staff` requirement; `tests/api/authz_order.rs` holds
/// the two together. With a body, take it through [`Admitted`] so the role is decided first.
fn staff_admitted(
    req: &HttpRequest,
    payload: &mut Payload,
    admits: fn(&CurrentUser) -> bool,
) -> LocalBoxFuture<'static, Result<CurrentUser, ApiError>> {
    let staff = StaffApi::from_request(req, payload);
    Box::pin(async move {
        let StaffApi(user) = staff.await?;
        if admits(&user) {
            Ok(user)
        } else {
            Err(ApiError::Forbidden)
        }
    })
}

macro_rules! admitted_staff {
    ($(#[$doc:meta])* $name:ident, $admits:expr) => {
        $(#[$doc])*
        pub struct $name(pub CurrentUser);

        impl FromRequest for $name {
            type Error = ApiError;
            type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let user = staff_admitted(req, payload, $admits);
                Box::pin(async move { user.await.map($name) })
            }
        }
    };
}

admitted_staff!(
    /// An administrator (`staff = ["admin"]` in the document).
    AdminApi,
    CurrentUser::is_admin
);
admitted_staff!(
    /// Staff who act on units: administrators and supervisors; planners read only
    /// (`["admin", "supervisor"]`). Which units a supervisor acts on is the use case's question.
    ActingApi,
    |u| u.role != Role::Planner
);
admitted_staff!(
    /// Staff who decide training recommendations: administrators and planners
    /// (`["admin", "planner"]`).
    DecidingApi,
    crate::service::training::decides
);

/// `Input` (a JSON body above all) extracted only once `Who` (a caller admitted by role, or by
/// role and the unit of what the path names) has been: a refused caller gets 401, 403 or 404
/// and never hears which fields its input lacked (authorisation before validation, 403 before
/// 400 and 422). Needed because actix polls all of a handler's extractors at once and answers
/// the first to fail, and a body is parsed long before a token is looked up, so placing `Who`
/// first in the argument list is not enough. `Who` gets no payload; `Input` gets the request's.
pub struct Admitted<Who, Input>(pub Who, pub Input);

impl<Who, Input> FromRequest for Admitted<Who, Input>
where
    Who: FromRequest + 'static,
    Input: FromRequest + 'static,
    Who::Error: Into<actix_web::Error>,
    Input::Error: Into<actix_web::Error>,
{
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let who = Who::from_request(&req, &mut Payload::None)
                .await
                .map_err(Into::into)?;
            let input = Input::from_request(&req, &mut payload)
                .await
                .map_err(Into::into)?;
            Ok(Admitted(who, input))
        })
    }
}

/// A staff member on an HTML page: a valid session, or a redirect to the login page.
pub struct StaffPage(pub CurrentUser);

impl FromRequest for StaffPage {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = state_of(req);
        let (_, session) = credentials(req);
        let next = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default();
        Box::pin(async move {
            let state = state.ok_or_else(|| {
                crate::web::error::PageError::Internal(anyhow::anyhow!("no app state"))
            })?;
            match resolve(&state, None, session)
                .await
                .map_err(crate::web::error::PageError::from)?
            {
                Some(u) => Ok(StaffPage(u)),
                None => {
                    let to = format!("/login?next={}", urlencode(&next));
                    let res = HttpResponse::SeeOther()
                        .insert_header((header::LOCATION, to))
                        .finish();
                    Err(
                        actix_web::error::InternalError::from_response("login required", res)
                            .into(),
                    )
                }
            }
        })
    }
}

/// The logged-in staff member if there is one; never fails (public pages show a staff link).
pub struct MaybeStaff(pub Option<CurrentUser>);

impl FromRequest for MaybeStaff {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = state_of(req);
        let (_, session) = credentials(req);
        Box::pin(async move {
            let Some(state) = state else {
                return Ok(MaybeStaff(None));
            };
            if session.is_none() {
                return Ok(MaybeStaff(None));
            }
            Ok(MaybeStaff(
                resolve(&state, None, session).await.ok().flatten(),
            ))
        })
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only a local path may be a post-login destination (see `redirect::safe_local_path`).
pub fn safe_next(next: Option<&str>) -> String {
    next.and_then(crate::web::redirect::safe_local_path)
        .unwrap_or("/staff")
        .to_string()
}

/// Whether the request's `Authorization` header carries `secret` under one of `schemes`
/// (`"Bearer"`, `"Token"`), compared in constant time: how gateways and scrapers that share a
/// configured secret (SMS, RapidPro, Prometheus) authenticate.
pub fn presents_secret(req: &HttpRequest, schemes: &[&str], secret: &str) -> bool {
    let Some(value) = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    schemes.iter().any(|scheme| {
        value
            .strip_prefix(scheme)
            .and_then(|rest| rest.strip_prefix(' '))
            .is_some_and(|given| {
                crate::security::constant_time_eq(given.trim().as_bytes(), secret.as_bytes())
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_be_local() {
        assert_eq!(safe_next(Some("/admin")), "/admin");
        assert_eq!(safe_next(Some("//evil.example")), "/staff");
        assert_eq!(safe_next(Some("https://evil.example")), "/staff");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/staff");
        assert_eq!(safe_next(None), "/staff");
    }

    #[test]
    fn supervisors_are_scoped() {
        let u = CurrentUser {
            id: 1,
            email: "a@b".into(),
            name: "A".into(),
            role: Role::Supervisor,
            unit_ids: vec![3],
            csrf: "t".into(),
            via_token: false,
        };
        assert!(u.sees_unit(3) && !u.sees_unit(4));
        assert!(u.check_csrf(Some("t")) && !u.check_csrf(Some("u")) && !u.check_csrf(None));
    }
}
