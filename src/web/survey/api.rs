//! Citizen-facing survey JSON: the active definition, response intake, and the unit's IKM.
use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Datelike, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::skm;
use crate::domain::survey::{self, Definition, Kind, ikm_elements};
use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::state::{AppState, State};
use crate::store::{self, responses::NewResponse, responses::WriteError, surveys::Active};
use crate::web::error::ApiError;
use crate::web::{check_public_limit, translate};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(get_survey)
        .service(post_response)
        .service(get_ikm);
}

/// Jambi is on WIB (UTC+7): a "day" in reports is a day there.
pub fn today_wib() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+7h is a valid offset")
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SurveyOut {
    pub unit: String,
    pub survey: String,
    pub version: i32,
    pub require_code: bool,
    /// The unit's services, by slug, for the `service` question.
    pub services: Vec<crate::store::units::ServiceView>,
    pub definition: Definition,
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/survey", tag = "survey",
    params(("slug" = String, Path)), responses((status = 200, body = SurveyOut), (status = 404)))]
#[get("/api/v1/units/{slug}/survey")]
pub async fn get_survey(state: State, slug: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (unit, view) = store::units::view_by_slug(&state.db, &slug, false)
        .await?
        .filter(|(u, _)| u.archived_at.is_none())
        .ok_or(ApiError::NotFound)?;
    let a = store::surveys::active_for_unit(&state.db, unit.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(SurveyOut {
        unit: unit.slug,
        survey: a.survey.code,
        version: a.version.version,
        require_code: a.require_code,
        services: view.services,
        definition: a.definition,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ResponseIn {
    /// Answers by question code, e.g. `{"U1": 4, "WAIT_MIN": 35}`.
    #[serde(default)]
    pub answers: BTreeMap<String, Value>,
    /// Respondent profile by code: `gender`, `age`, `education`, `occupation`.
    #[serde(default)]
    pub respondent: BTreeMap<String, Value>,
    /// Service slug.
    pub service: Option<String>,
    /// `qr`, `web`, `kiosk` or `api` (default).
    pub channel: Option<String>,
    /// One-time code, when the unit requires one.
    pub code: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

pub const CHANNELS: [&str; 4] = ["qr", "web", "kiosk", "api"];

/// Why a response was not stored; problems are keyed by question code.
pub enum Refusal {
    Problems(Problems),
    /// The submission key was already used for a different response.
    KeyReused,
    Error(ApiError),
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Self {
        Refusal::Error(e)
    }
}

impl From<sea_orm::DbErr> for Refusal {
    fn from(e: sea_orm::DbErr) -> Self {
        Refusal::Error(e.into())
    }
}

/// Validates `raw` against the unit's active version and stores it; shared by the API and the page.
/// With a submission key, a request already stored under it answers its first id again.
#[allow(clippy::too_many_arguments)]
pub async fn accept(
    state: &AppState,
    unit: &entity::unit::Model,
    active: &Active,
    services: &[entity::service::Model],
    raw: &BTreeMap<String, Value>,
    channel: &str,
    code: Option<String>,
    submission_key: Option<&str>,
) -> Result<i64, Refusal> {
    let key = submission_key.map(|k| {
        let answers = serde_json::to_vec(raw).unwrap_or_default();
        let code = code.as_deref().unwrap_or_default().trim().to_uppercase();
        store::idempotency::Key::new(
            format!("responses/{}", unit.id),
            k,
            &[&answers, channel.as_bytes(), code.as_bytes()],
        )
    });
    if let Some(k) = &key {
        match store::idempotency::seen(&state.db, k).await? {
            store::idempotency::Seen::Same(id) => {
                return id.parse().map_err(|_| {
                    Refusal::Error(ApiError::Internal(anyhow::anyhow!("bad id {id}")))
                });
            }
            store::idempotency::Seen::Different => return Err(Refusal::KeyReused),
            store::idempotency::Seen::New => {}
        }
    }
    let slugs: Vec<String> = services.iter().map(|s| s.slug.clone()).collect();
    let mut problems = Problems::new();
    let code = code
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty());
    if active.require_code && code.is_none() {
        problems.insert("code".into(), "v_required");
    }
    let valid = match survey::validate(&active.definition, raw, &slugs) {
        Ok(v) if problems.is_empty() => v,
        Ok(_) => return Err(Refusal::Problems(problems)),
        Err(p) => {
            problems.extend(p);
            return Err(Refusal::Problems(problems));
        }
    };
    let def = &active.definition;
    let now = Utc::now();
    let r = NewResponse {
        unit_id: unit.id,
        survey_version_id: active.version.id,
        service_id: valid
            .service
            .as_ref()
            .and_then(|s| services.iter().find(|x| &x.slug == s))
            .map(|s| s.id),
        channel: channel.to_string(),
        created_at: now,
        local_date: now.with_timezone(&wib()).date_naive(),
        answers: valid.answers_json(),
        respondent: valid.profile_json(),
        comment: valid.comment(def),
        wait_minutes: valid.wait_minutes(def).map(|v| v as i32),
        visits: valid.visits(def).map(|v| v as i32),
        fee_paid: valid.fee_paid(def),
        code: if active.require_code { code } else { None },
        numeric: {
            let service = valid
                .service
                .as_ref()
                .and_then(|s| services.iter().find(|x| &x.slug == s));
            let standard = survey::Standard {
                minutes: service.and_then(|s| s.standard_minutes),
                fee_rupiah: service.map(|s| s.fee_rupiah),
            };
            let mut n = valid.numeric_answers();
            n.extend(survey::derived_signals(def, &valid.answers, standard));
            n.extend(survey::profile_counts(&valid.profile));
            n
        },
    };
    match state.responses.submit_keyed(r, key).await {
        Ok(id) => Ok(id),
        Err(WriteError::KeyReused) => Err(Refusal::KeyReused),
        Err(WriteError::CodeRejected) => Err(Refusal::Problems(Problems::from([(
            "code".to_string(),
            "survey_code_bad",
        )]))),
        Err(e) => Err(Refusal::Error(ApiError::Internal(e.into()))),
    }
}

/// The `Idempotency-Key` header (IETF httpapi draft): 1–255 visible ASCII characters.
pub fn idempotency_key(req: &HttpRequest, lang: Lang) -> Result<Option<String>, ApiError> {
    let Some(v) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = v
        .to_str()
        .ok()
        .map(|s| s.trim().trim_matches('"'))
        .filter(|s| (1..=255).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic()));
    match key {
        Some(k) => Ok(Some(k.to_string())),
        None => Err(ApiError::field("Idempotency-Key", lang.t("v_key_format"))),
    }
}

/// Where each problem lives in the API body.
fn api_field(def: &Definition, code: &str) -> String {
    match def.questions.iter().find(|q| q.code == code) {
        Some(q) if matches!(q.kind, Kind::Service) => "service".into(),
        Some(q) if q.profile => format!("respondent.{code}"),
        Some(_) => format!("answers.{code}"),
        None if code == "code" => "code".into(),
        None => format!("answers.{code}"),
    }
}

#[utoipa::path(post, path = "/api/v1/units/{slug}/responses", tag = "survey", request_body = ResponseIn,
    params(("slug" = String, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "Any unique string (1–255 visible ASCII characters); the same key with the same body answers the first result again, with another body 422. Kept at least 24 hours.")),
    responses((status = 201, body = Created), (status = 404), (status = 413), (status = 422, body = crate::web::error::ErrorBody),
        (status = 429, description = "Rate limited; see Retry-After")))]
#[post("/api/v1/units/{slug}/responses")]
pub async fn post_response(
    state: State,
    req: HttpRequest,
    lang: Lang,
    slug: web::Path<String>,
    body: crate::web::boundary::Json<ResponseIn>,
) -> Result<HttpResponse, ApiError> {
    check_public_limit(&state, &req)
        .map_err(|retry_after| ApiError::TooManyRequests { retry_after })?;
    let ctx = state
        .unit_cache
        .get(&state.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    let active = ctx.active.as_ref().ok_or(ApiError::NotFound)?;
    let body = body.into_inner();
    let channel = body.channel.as_deref().unwrap_or("api");
    if !CHANNELS.contains(&channel) {
        return Err(ApiError::field("channel", lang.t("v_choice")));
    }
    let mut raw = body.answers;
    for (k, v) in body.respondent {
        raw.insert(k, v);
    }
    if let Some(s) = body.service
        && let Some(q) = active
            .definition
            .questions
            .iter()
            .find(|q| matches!(q.kind, Kind::Service))
    {
        raw.insert(q.code.clone(), Value::String(s));
    }
    let key = idempotency_key(&req, lang)?;
    match accept(
        &state,
        &ctx.unit,
        active,
        &ctx.services,
        &raw,
        channel,
        body.code,
        key.as_deref(),
    )
    .await
    {
        Ok(id) => Ok(HttpResponse::Created().json(Created { id })),
        Err(Refusal::Error(e)) => Err(e),
        Err(Refusal::KeyReused) => Err(ApiError::field("Idempotency-Key", lang.t("v_key_reused"))),
        Err(Refusal::Problems(p)) => {
            let fields = translate(&p, lang)
                .into_iter()
                .map(|(k, v)| (api_field(&active.definition, &k), v))
                .collect();
            Err(ApiError::Validation(fields))
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ElementScore {
    pub nrr: Option<f64>,
    pub n: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct IkmOut {
    pub unit: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub responses: i64,
    /// True when fewer responses than the small-cell limit: scores are withheld so no one
    /// respondent's answers can be read off them.
    pub suppressed: bool,
    pub elements: BTreeMap<String, ElementScore>,
    /// Σ NRR × weight, unrounded.
    pub ikm: Option<f64>,
    /// IKM × 25, rounded to two decimals.
    pub ikm_converted: Option<f64>,
    pub grade: Option<String>,
    pub grade_label: Option<String>,
    /// Service users in the period (expected monthly visitors × months), when the unit states it.
    pub population: Option<u64>,
    /// Krejcie–Morgan minimum sample for that population.
    pub min_sample: Option<u64>,
}

pub async fn ikm_summary(
    state: &AppState,
    unit: &entity::unit::Model,
    def: &Definition,
    from: NaiveDate,
    to: NaiveDate,
    lang: Lang,
) -> Result<IkmOut, ApiError> {
    let sums = store::responses::sums(&state.db, unit.id, from, to).await?;
    let responses = sums
        .get(store::responses::RESPONSES_CODE)
        .map_or(0, |s| s.0);
    let suppressed = responses < state.settings.min_cell as i64;
    let mut elements = BTreeMap::new();
    let mut weighted = vec![];
    for (code, w) in ikm_elements(def) {
        let (n, s, _) = sums.get(&code).copied().unwrap_or((0, 0.0, 0.0));
        let nrr = skm::nrr(s, n as u64);
        weighted.push((w, nrr));
        elements.insert(
            code,
            ElementScore {
                nrr: if suppressed { None } else { nrr },
                n: if suppressed { 0 } else { n },
            },
        );
    }
    let ikm = if suppressed {
        None
    } else {
        skm::ikm(&weighted)
    };
    let converted = ikm.map(skm::converted);
    let grade = converted.map(skm::grade);
    let days = (to - from).num_days() + 1;
    let population = unit
        .monthly_visitors
        .map(|m| (m.max(0) as f64 * days as f64 / 30.4375).round() as u64);
    Ok(IkmOut {
        unit: unit.slug.clone(),
        from,
        to,
        responses,
        suppressed,
        elements,
        ikm,
        ikm_converted: converted.map(skm::round2),
        grade: grade.map(|g| g.letter().to_string()),
        grade_label: grade.map(|g| {
            if lang == Lang::En {
                g.label_en()
            } else {
                g.label_id()
            }
            .to_string()
        }),
        population,
        min_sample: population.map(skm::min_sample),
    })
}

#[derive(Deserialize)]
pub struct RangeQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// An inclusive date range; by default the current year up to today (WIB).
pub fn parse_range(q: &RangeQuery, lang: Lang) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let mut problems = Problems::new();
    let parse = |v: &Option<String>, name: &str, problems: &mut Problems| -> Option<NaiveDate> {
        let v = v.as_deref()?.trim();
        match crate::domain::validation::parse_date(v) {
            Ok(d) => Some(d),
            Err(k) => {
                problems.insert(name.into(), k);
                None
            }
        }
    };
    let to = parse(&q.to, "to", &mut problems).unwrap_or_else(today_wib);
    let from = parse(&q.from, "from", &mut problems)
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    if problems.is_empty() && from > to {
        problems.insert("from".into(), "v_date_order");
    }
    if problems.is_empty() && (to - from).num_days() > 366 * 10 {
        problems.insert("from".into(), "v_range");
    }
    if problems.is_empty() {
        Ok((from, to))
    } else {
        Err(ApiError::Validation(translate(&problems, lang)))
    }
}

#[utoipa::path(get, path = "/api/v1/units/{slug}/ikm", tag = "survey",
    params(("slug" = String, Path), ("from" = Option<String>, Query, description = "YYYY-MM-DD, default 1 January"),
        ("to" = Option<String>, Query, description = "YYYY-MM-DD, default today (WIB)")),
    responses((status = 200, body = IkmOut), (status = 404), (status = 422)))]
#[get("/api/v1/units/{slug}/ikm")]
pub async fn get_ikm(
    state: State,
    lang: Lang,
    slug: web::Path<String>,
    q: web::Query<RangeQuery>,
) -> Result<HttpResponse, ApiError> {
    let unit = store::units::by_slug(&state.db, &slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    let (from, to) = parse_range(&q, lang)?;
    let def = match store::surveys::active_for_unit(&state.db, unit.id).await? {
        Some(a) => a.definition,
        None => crate::domain::skm_survey::skm_definition(),
    };
    Ok(HttpResponse::Ok().json(ikm_summary(&state, &unit, &def, from, to, lang).await?))
}
