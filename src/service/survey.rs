//! Survey intake: a response checked against the exact published version and stored through
//! the group-commit writer, once per submission key; and a unit's IKM over a period.
use std::collections::BTreeMap;

use chrono::{FixedOffset, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::domain::channel::Channel;
use crate::domain::skm;
use crate::domain::survey::{self, Definition, ikm_elements};
use crate::domain::validation::Problems;
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store::{self, responses::NewResponse, responses::WriteError, surveys::Active};

fn wib() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("+7h is a valid offset")
}

/// The channels a survey response can come in on.
pub const CHANNELS: [&str; 7] = Channel::names(Channel::RESPONSES);

/// Validates `raw` against the unit's active version and stores it; shared by the API and the page.
/// With a submission key, a request already stored under it answers its first id again.
#[allow(clippy::too_many_arguments)]
pub async fn accept(
    state: &ServiceContext,
    unit: &entity::unit::Model,
    active: &Active,
    services: &[entity::service::Model],
    raw: &BTreeMap<String, Value>,
    channel: &str,
    code: Option<String>,
    submission_key: Option<&str>,
) -> Result<i64, ServiceError> {
    let key = submission_key.map(|k| {
        let answers = serde_json::to_vec(raw).unwrap_or_default();
        let code = code.as_deref().unwrap_or_default().trim().to_uppercase();
        store::idempotency::Key::new(
            format!("responses/{}", unit.id),
            k,
            &[&answers, channel.as_bytes(), code.as_bytes()],
        )
    });
    // The writer claims the key too, but a replay must answer the first id even when checking
    // it again would now fail (a new survey version published, a code now required).
    if let Some(k) = &key {
        match store::idempotency::seen(&state.db, k).await? {
            store::idempotency::Seen::Same(id) => {
                return id
                    .parse()
                    .map_err(|_| ServiceError::Internal(anyhow::anyhow!("bad id {id}")));
            }
            store::idempotency::Seen::Different => return Err(ServiceError::KeyReused),
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
        Ok(_) => return Err(ServiceError::Problems(problems)),
        Err(p) => {
            problems.extend(p);
            return Err(ServiceError::Problems(problems));
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
        Ok(id) => {
            crate::meters::response_accepted(channel);
            Ok(id)
        }
        Err(WriteError::KeyReused) => Err(ServiceError::KeyReused),
        Err(WriteError::CodeRejected) => Err(ServiceError::Problems(Problems::from([(
            "code".to_string(),
            "survey_code_bad",
        )]))),
        Err(e) => Err(ServiceError::Internal(e.into())),
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
    state: &ServiceContext,
    unit: &entity::unit::Model,
    def: &Definition,
    from: NaiveDate,
    to: NaiveDate,
    lang: Lang,
) -> Result<IkmOut, ServiceError> {
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
        grade_label: grade.map(|g| lang.pick(g.label_id(), g.label_en()).to_string()),
        population,
        min_sample: population.map(skm::min_sample),
    })
}
