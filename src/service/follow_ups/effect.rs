//! Did a done follow-up item move the signal it answers? Evaluated as a completed training is
//! ([`crate::domain::training::impact`]): its elements in the window before it was done against
//! the window after, each with Welch's t-test, once the after-window has closed. A training item
//! without a significant effect is flagged for review ("training without significant effect
//! must be re-evaluated"). A `queue` item is judged on the measured waits too: the share of
//! the queue machine's waits over their standard (a two-proportion test).
use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::training::impact::{ImpactRow, impact_windows};
use crate::domain::training::{Condition, ImpactLabel, RuleDef, evaluate_impact};
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::today_wib;
use crate::store;

/// Responses each window needs before a change is judged (the training rules' default).
const MIN_N: u64 = 30;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Effect {
    /// `effective`, `no_significant_change`, `worse`, `insufficient_data`, or `pending` while the
    /// window after is still open.
    pub label: String,
    pub before_from: NaiveDate,
    pub before_to: NaiveDate,
    pub after_from: NaiveDate,
    pub after_to: NaiveDate,
    /// Per element: before, after, n, the test's p and the outcome.
    pub rows: Vec<ImpactRow>,
    /// The verdict in words, in the reader's language.
    pub text: String,
    /// A training item that changed nothing (or made it worse): to be reviewed.
    pub needs_review: bool,
}

/// The effect of item `m` (done, answering elements), or `None` when there is nothing to measure.
pub async fn effect(
    state: &ServiceContext,
    m: &entity::follow_up::Model,
    lang: Lang,
) -> Result<Option<Effect>, ServiceError> {
    let elements: Vec<String> = serde_json::from_str(&m.elements).unwrap_or_default();
    // A queue item is also measured by the queue machine's stamps: the share of waits over
    // the standard before and after.
    let queue = m.kind == "queue";
    let (Some(done), false) = (
        m.done_on.filter(|_| m.status == "done"),
        elements.is_empty() && !queue,
    ) else {
        return Ok(None);
    };
    let w = state.settings.training;
    let ((bf, bt), (af, at)) = impact_windows(done, done, w.before_days, w.after_days);
    let today = today_wib();
    if at >= today {
        return Ok(Some(Effect {
            label: "pending".into(),
            before_from: bf,
            before_to: bt,
            after_from: af,
            after_to: at,
            rows: vec![],
            text: lang.t("fu_effect_pending").replace(
                "{date}",
                &crate::domain::format::long_date(at, lang == Lang::Id),
            ),
            needs_review: false,
        }));
    }
    let def = RuleDef {
        window_days: w.before_days,
        min_n: MIN_N,
        match_all: false,
        conditions: elements
            .iter()
            .map(|code| Condition::ElementBelow {
                code: code.clone(),
                threshold: 4.0,
            })
            .chain(queue.then_some(Condition::MeasuredWaitOverStandard { threshold: 0.5 }))
            .collect(),
        programmes: vec![],
    };
    let before = store::training::signals::window(&state.read, m.unit_id, bf, bt, today).await?;
    let after = store::training::signals::window(&state.read, m.unit_id, af, at, today).await?;
    let names = store::training::signals::category_names(&state.read).await?;
    let unit = store::units::by_id(&state.read, m.unit_id).await?;
    let mv = unit
        .and_then(|u| u.monthly_visitors)
        .filter(|v| *v > 0)
        .map(|v| v as u64);
    let impact = evaluate_impact(&def, &before, &after, mv, &names);
    let label = match impact.label {
        ImpactLabel::Effective => "effective",
        ImpactLabel::NoSignificantChange => "no_significant_change",
        ImpactLabel::Worse => "worse",
        ImpactLabel::NotEnoughData => "insufficient_data",
    };
    Ok(Some(Effect {
        label: label.into(),
        before_from: bf,
        before_to: bt,
        after_from: af,
        after_to: at,
        text: lang.pick(impact.text_id.clone(), impact.text_en.clone()),
        needs_review: m.kind == "training" && impact.label.needs_review(),
        rows: impact.rows,
    }))
}
