//! A programme's people over HTTP: who takes part, their reflection links, their supervisor's
//! rating of the change at work, and the sum of both beside the citizens' signal. Registered
//! before the recommendations' `{action}` route, which would otherwise take these paths.
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, get, post, put, web};
use futures_util::future::LocalBoxFuture;

use crate::bootstrap::state::AppState;
use crate::service::identity::CurrentUser;

use crate::i18n::Lang;
use crate::service::employees::programmes::{
    self, ParticipantsIn, ParticipantsOut, RatingIn, ReflectionLink,
};
use crate::web::auth::Admitted;
use crate::web::error::ApiError;
use crate::web::request_checks::Json;
use crate::web::state::State;
use crate::web::training::api::SeenRecommendation;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(set).service(links).service(rate);
}

#[utoipa::path(get, path = "/api/v1/training/recommendations/{id}/participants", tag = "training", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("id" = i32, Path)),
    responses((status = 200, body = ParticipantsOut, description = "The participants (the unit's employees until a list is set) with their reflection and rating, and the evaluation by people (Kirkpatrick 1 and 3)"),
        (status = 401), (status = 403), (status = 404)))]
#[get("/api/v1/training/recommendations/{id}/participants")]
pub async fn list(
    state: State,
    lang: Lang,
    SeenRecommendation(user, rid): SeenRecommendation,
) -> Result<HttpResponse, ApiError> {
    let r = programmes::participants(&state, &user, rid)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(r))
}

#[utoipa::path(put, path = "/api/v1/training/recommendations/{id}/participants", tag = "training", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("id" = i32, Path)), request_body = ParticipantsIn,
    responses((status = 200, body = ParticipantsOut, description = "Who takes part: their JP count as planned for them alone"),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 413), (status = 422, body = crate::web::error::ErrorBody)))]
#[put("/api/v1/training/recommendations/{id}/participants")]
pub async fn set(
    state: State,
    lang: Lang,
    Admitted(SeenRecommendation(user, rid), body): Admitted<
        SeenRecommendation,
        Json<ParticipantsIn>,
    >,
) -> Result<HttpResponse, ApiError> {
    let r = programmes::set_participants(&state, &user, rid, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(r))
}

#[utoipa::path(post, path = "/api/v1/training/recommendations/{id}/reflection-links", tag = "training", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("id" = i32, Path)),
    responses((status = 200, body = [ReflectionLink], description = "A one-time link for each participant who has not reflected yet (earlier unused links stop working)"),
        (status = 401), (status = 403), (status = 404), (status = 409, description = "The programme is not completed")))]
#[post("/api/v1/training/recommendations/{id}/reflection-links")]
pub async fn links(
    state: State,
    lang: Lang,
    SeenRecommendation(user, rid): SeenRecommendation,
) -> Result<HttpResponse, ApiError> {
    let r = programmes::reflection_links(&state, &user, rid)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(r))
}

/// The recommendation `{id}` names, for someone who rates its unit's people (the unit's
/// supervisors and administrators): 404 if they do not see it, 403 for planners, before the
/// body is read.
pub struct RatingRecommendation(pub CurrentUser, pub i32);

impl FromRequest for RatingRecommendation {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let seen = SeenRecommendation::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let SeenRecommendation(user, rid) = seen.await?;
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            let r = crate::service::training::seen(&state, &user, rid).await?;
            if !user.acts_on_unit(r.unit_id) {
                return Err(ApiError::Forbidden);
            }
            Ok(RatingRecommendation(user, rid))
        })
    }
}

#[utoipa::path(put, path = "/api/v1/training/recommendations/{id}/participants/{employee_id}/rating", tag = "training", security(("staff" = ["admin", "supervisor"])),
    params(("id" = i32, Path), ("employee_id" = i32, Path)), request_body = RatingIn,
    responses((status = 200, body = ParticipantsOut, description = "The supervisor's rating of the change at work (Kirkpatrick 3), revisable"),
        (status = 400), (status = 401), (status = 403), (status = 404), (status = 409, description = "The programme is not completed"), (status = 413),
        (status = 422, body = crate::web::error::ErrorBody)))]
#[put("/api/v1/training/recommendations/{id}/participants/{employee_id}/rating")]
pub async fn rate(
    state: State,
    lang: Lang,
    path: web::Path<(String, String)>,
    Admitted(RatingRecommendation(user, rid), body): Admitted<RatingRecommendation, Json<RatingIn>>,
) -> Result<HttpResponse, ApiError> {
    let r = programmes::rate(&state, &user, rid, &path.1, &body)
        .await
        .map_err(|e| ApiError::from_service(e, lang))?;
    Ok(HttpResponse::Ok().json(r))
}
