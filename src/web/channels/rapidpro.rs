//! RapidPro / TextIt: a flow's "Call webhook" action posts its results here at the end of a
//! run (`Authorization: Token <token>`, as RapidPro sends it; `Bearer` too).
use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::i18n::Lang;
use crate::service::error::translate;
use crate::service::rapidpro::{self, Outcome, Run};
use crate::web::error::ApiError;
use crate::web::request_checks::Json;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(post_run);
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RunRef {
    pub uuid: Option<String>,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RunIn {
    /// The run; its `uuid` keys the response.
    pub run: Option<RunRef>,
    /// The run's uuid, as older flows send it.
    pub run_uuid: Option<String>,
    /// The contact (its URN is a phone number: read, never stored).
    #[schema(value_type = Option<Object>)]
    pub contact: Option<Value>,
    /// The unit's slug, when it is not one of the results.
    pub unit: Option<String>,
    /// Result name → `{"value": …}` (or the value itself). Names are question codes, any case,
    /// or names mapped by `SUARA_RAPIDPRO_MAP`; a result named `unit` names the unit.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub results: BTreeMap<String, Value>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RunStored {
    /// The response id; the same for every post of the same run.
    pub id: i64,
    /// Results that are no question of the unit's survey, left out.
    pub ignored: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/channels/rapidpro", tag = "channels", request_body = RunIn,
    security(("bearer" = [])),
    responses((status = 200, body = RunStored, description = "Stored (now or by an earlier post of the same run)"),
        (status = 400, body = crate::web::error::ErrorBody, description = "Not JSON"),
        (status = 401, body = crate::web::error::ErrorBody, description = "No or wrong token"),
        (status = 404, body = crate::web::error::ErrorBody, description = "The RapidPro channel is not configured"),
        (status = 422, body = crate::web::error::ErrorBody, description = "Problems by field")))]
#[post("/api/v1/channels/rapidpro")]
pub async fn post_run(
    state: State,
    req: HttpRequest,
    lang: Lang,
    body: Json<RunIn>,
) -> Result<HttpResponse, ApiError> {
    let Some(token) = state.settings.rapidpro_token.as_deref() else {
        return Err(ApiError::NotFound);
    };
    if !crate::web::auth::presents_secret(&req, &["Token", "Bearer"], token) {
        return Err(ApiError::Unauthorized);
    }
    let body = body.into_inner();
    let Some(uuid) = body
        .run
        .and_then(|r| r.uuid)
        .or(body.run_uuid)
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty() && u.len() <= 64)
    else {
        return Err(ApiError::field("run.uuid", lang.t("v_required")));
    };
    // Each result as its value: RapidPro sends `{"value", "category", "input", …}`.
    let results = body
        .results
        .into_iter()
        .map(|(name, r)| match r {
            Value::Object(mut o) => (name, o.remove("value").unwrap_or(Value::Null)),
            scalar => (name, scalar),
        })
        .collect();
    let run = Run {
        uuid,
        unit: body.unit,
        results,
    };
    match rapidpro::accept(&state, run, &state.settings.rapidpro_map).await? {
        Outcome::Stored { id, ignored } => Ok(HttpResponse::Ok().json(RunStored { id, ignored })),
        Outcome::Refused(p) => Err(ApiError::Validation(translate(&p, lang))),
    }
}
