//! Training recommendations, decisions and the yearly plan as JSON (and the plan as CSV).
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, get, post, web};
use futures_util::future::LocalBoxFuture;

use crate::bootstrap::state::AppState;
use crate::domain::training::plan::Plan;
use crate::i18n::Lang;
use crate::service::training::{self, ActIn, ListQuery, RecDetail};
use crate::service::training_engine::RunSummary;
use crate::store::training::recommendations::RecView;
use crate::web::analytics::csv::{Table, num};
use crate::web::auth::{Admitted, CurrentUser, DecidingApi, StaffApi};
use crate::web::error::ApiError;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(unit_list)
        .service(run_now)
        .service(plan)
        .service(one)
        .service(comment)
        .service(act);
}

fn id(s: &str) -> Result<i32, ApiError> {
    s.parse().map_err(|_| ApiError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/training/recommendations", tag = "training", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("status" = Option<String>, Query, description = "proposed | accepted | dismissed | scheduled | completed"),
        ("agency" = Option<String>, Query, description = "agency slug"), ("unit" = Option<String>, Query, description = "unit slug"),
        ("level" = Option<String>, Query, description = "high | medium | low")),
    responses((status = 200, body = [RecView]), (status = 401), (status = 404, description = "`unit` names no unit of yours"), (status = 422)))]
#[get("/api/v1/training/recommendations")]
pub async fn list(
    state: State,
    StaffApi(user): StaffApi,
    lang: Lang,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(training::list(&state, &user, &q, lang).await?))
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/training-recommendations", tag = "training", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("slug" = String, Path), ("status" = Option<String>, Query)),
    responses((status = 200, body = [RecView]), (status = 404, description = "No such unit, or not yours")))]
#[get("/api/v1/units/{slug}/training-recommendations")]
pub async fn unit_list(
    state: State,
    StaffApi(user): StaffApi,
    lang: Lang,
    slug: web::Path<String>,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = ListQuery {
        unit: Some(slug.into_inner()),
        agency: None,
        ..q.into_inner()
    };
    Ok(HttpResponse::Ok().json(training::list(&state, &user, &q, lang).await?))
}

#[utoipa::path(get, path = "/api/v1/training/recommendations/{id}", tag = "training", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("id" = i32, Path)),
    responses((status = 200, body = RecDetail), (status = 404)))]
#[get("/api/v1/training/recommendations/{id}")]
pub async fn one(
    state: State,
    StaffApi(user): StaffApi,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(training::detail(&state, &user, id(&path)?).await?))
}

/// The recommendation `{id}` names, for a caller who sees its unit: 404 whatever the reason,
/// before the handler's body is read.
pub struct SeenRecommendation(pub CurrentUser, pub i32);

impl FromRequest for SeenRecommendation {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let staff = StaffApi::from_request(req, payload);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let rid = req.match_info().get("id").map(id);
        Box::pin(async move {
            let StaffApi(user) = staff.await?;
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no app state")))?;
            let rid = rid.ok_or(ApiError::NotFound)??;
            training::seen(&state, &user, rid).await?;
            Ok(SeenRecommendation(user, rid))
        })
    }
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct CommentIn {
    /// 1–4,000 characters.
    #[schema(required = true, nullable = false)]
    pub body: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/training/recommendations/{id}/comments", tag = "training", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("id" = i32, Path)), request_body = CommentIn,
    responses((status = 201, body = RecDetail), (status = 404), (status = 422)))]
#[post("/api/v1/training/recommendations/{id}/comments")]
pub async fn comment(
    state: State,
    lang: Lang,
    Admitted(SeenRecommendation(user, rid), body): Admitted<
        SeenRecommendation,
        crate::web::request_checks::Json<CommentIn>,
    >,
) -> Result<HttpResponse, ApiError> {
    let d = training::comment(&state, &user, rid, body.body.as_deref(), lang).await?;
    Ok(HttpResponse::Created().json(d))
}

#[utoipa::path(post, path = "/api/v1/training/recommendations/{id}/{action}", tag = "training", security(("staff" = ["admin", "planner"])),
    params(("id" = i32, Path), ("action" = String, Path, description = "accept | dismiss | schedule | complete")),
    request_body(content = ActIn, description = "dismiss: reason; schedule: start_date, end_date, participants, jp; complete: completed_on"),
    responses((status = 200, body = RecDetail), (status = 403, description = "Supervisors comment; planners decide"),
        (status = 404), (status = 409, description = "Not allowed from the current status"), (status = 422)))]
#[post("/api/v1/training/recommendations/{id}/{action}")]
pub async fn act(
    state: State,
    lang: Lang,
    path: web::Path<(String, String)>,
    Admitted(DecidingApi(user), body): Admitted<DecidingApi, web::Bytes>,
) -> Result<HttpResponse, ApiError> {
    let (rid, action) = path.into_inner();
    let input: ActIn = if body.iter().all(u8::is_ascii_whitespace) {
        ActIn::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| ApiError::field("body", e.to_string()))?
    };
    let d = training::act(&state, &user, id(&rid)?, &action, &input, lang).await?;
    Ok(HttpResponse::Ok().json(d))
}

#[utoipa::path(post, path = "/api/v1/training/run", tag = "training", security(("staff" = ["admin", "planner"])),
    responses((status = 200, body = RunSummary), (status = 403)))]
#[post("/api/v1/training/run")]
pub async fn run_now(
    state: State,
    DecidingApi(user): DecidingApi,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(training::run(&state, &user).await?))
}

#[utoipa::path(get, path = "/api/v1/training/plan", tag = "training", security(("staff" = ["admin", "supervisor", "planner"])),
    params(("year" = Option<i32>, Query), ("agency" = Option<String>, Query), ("unit" = Option<String>, Query),
        ("format" = Option<String>, Query, description = "csv, or send Accept: text/csv")),
    responses((status = 200, description = "The plan; as CSV with `format=csv` or `Accept: text/csv`",
            content((Plan = "application/json"), (String = "text/csv"))),
        (status = 404, description = "`unit` names no unit of yours"), (status = 422)))]
#[get("/api/v1/training/plan")]
pub async fn plan(
    state: State,
    req: HttpRequest,
    StaffApi(user): StaffApi,
    lang: Lang,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let p = training::plan(&state, &user, &q, lang).await?;
    let csv = q.format.as_deref() == Some("csv")
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|a| a.contains("text/csv"));
    if csv {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"suara-rencana-pengembangan-{}.csv\"",
                    p.year
                ),
            ))
            .body(plan_csv(&p)));
    }
    Ok(HttpResponse::Ok().json(p))
}

/// One row per planned programme, then one total row per unit (programme `TOTAL`).
pub fn plan_csv(p: &Plan) -> String {
    let mut out = Table::new();
    out.row([
        "year",
        "unit",
        "unit_name",
        "staff_count",
        "programme",
        "competencies",
        "form",
        "method",
        "status",
        "start_date",
        "end_date",
        "participants",
        "jp_per_participant",
        "jp_total",
        "jp_per_staff",
        "jp_minimum",
        "meets_minimum",
    ]);
    for u in &p.units {
        let staff = u.staff_count.map(|s| s.to_string()).unwrap_or_default();
        for i in &u.items {
            let row = [
                p.year.to_string(),
                u.unit.clone(),
                u.name.clone(),
                staff.clone(),
                i.programme.clone(),
                i.competencies.clone(),
                i.form.clone(),
                i.method.clone(),
                i.status.clone(),
                i.start_date.map(|d| d.to_string()).unwrap_or_default(),
                i.end_date.map(|d| d.to_string()).unwrap_or_default(),
                i.participants.map(|x| x.to_string()).unwrap_or_default(),
                i.jp.to_string(),
                i.jp_total.to_string(),
                String::new(),
                num(Some(p.jp_minimum)),
                String::new(),
            ];
            out.row(row);
        }
        let total = [
            p.year.to_string(),
            u.unit.clone(),
            u.name.clone(),
            staff.clone(),
            "TOTAL".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            u.jp_total.to_string(),
            num(u.jp_per_staff),
            num(Some(p.jp_minimum)),
            u.meets_minimum.map(|m| m.to_string()).unwrap_or_default(),
        ];
        out.row(total);
    }
    out.finish()
}
