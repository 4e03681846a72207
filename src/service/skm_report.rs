//! The official SKM report of a unit for a period (PermenPANRB 14/2017): the measures, the
//! respondents' profile with small cells withheld, and the weakest elements.
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::measures::Measures;
use crate::i18n::Lang;
use crate::service::analytics::{Query, all_measures, allowed, category_codes, elements, range};
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::store;
use crate::store::analytics::Codes;
use crate::store::units::UnitView;

#[derive(Serialize)]
pub struct ProfileRow {
    pub label: String,
    pub count: Option<u64>,
    pub share: Option<f64>,
}

/// What the official SKM report of a unit shows for a period.
pub struct SkmReport {
    pub unit: UnitView,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub measures: Measures,
    /// Respondent profile per question: a row per answer, small cells withheld.
    pub profile: Vec<(String, Vec<ProfileRow>)>,
    /// The three weakest elements by mean.
    pub lowest: Vec<(String, f64)>,
    /// Each element's name in the reader's language; in English the regulation's Indonesian
    /// name follows in parentheses ("Requirements (Persyaratan)").
    pub names: HashMap<String, String>,
    pub min_sample: Option<u64>,
}

/// An element's name as the report prints it: the regulation's, or in English the English name
/// with the regulation's after it.
pub fn element_title(code: &str, lang: Lang) -> String {
    let id = crate::domain::skm::element_name(code);
    match lang {
        Lang::Id => id.to_string(),
        _ => match crate::domain::skm::element_name_en(code) {
            "" => id.to_string(),
            en => format!("{en} ({id})"),
        },
    }
}

/// The SKM report of a unit the user may see (404 otherwise).
pub async fn skm_report(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    q: &Query,
    lang: Lang,
) -> Result<SkmReport, ServiceError> {
    let (unit, view) = store::units::view_by_slug(&state.read, slug, true)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !allowed(user, unit.id) {
        return Err(ServiceError::NotFound);
    }
    let (from, to) = range(q, lang)?;
    let sums = store::analytics::by_unit(&state.read, Some(&[unit.id]), from, to, Codes::All)
        .await?
        .remove(&unit.id)
        .unwrap_or_default();
    let els = elements(state);
    let k = state.settings.min_cell as u64;
    let cats = category_codes(state).await?;
    let m = all_measures(&sums, &els, k, &cats);
    let def = crate::domain::skm_survey::skm_definition();
    let mut profile: Vec<(String, Vec<ProfileRow>)> = vec![];
    let responses = m.responses;
    for qn in def.questions.iter().filter(|x| x.profile) {
        let label = lang.pick(&qn.label.id, &qn.label.en).clone();
        let values: Vec<(String, String)> = match &qn.kind {
            crate::domain::survey::Kind::SingleChoice { options } => options
                .iter()
                .map(|o| {
                    let v = o
                        .value
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| o.value.to_string());
                    (v, lang.pick(&o.label.id, &o.label.en).clone())
                })
                .collect(),
            _ => ["<25", "25-34", "35-44", "45-54", "55-64", "65+"]
                .iter()
                .map(|b| (b.to_string(), b.to_string()))
                .collect(),
        };
        // Small cells are withheld so no respondent can be singled out.
        let row = |label: String, n: u64| {
            let shown = (n >= k || n == 0).then_some(n);
            ProfileRow {
                label,
                count: shown,
                share: shown
                    .filter(|_| responses > 0)
                    .map(|n| n as f64 / responses as f64),
            }
        };
        let mut answered = 0;
        let mut rows: Vec<ProfileRow> = values
            .into_iter()
            .map(|(v, l)| {
                let n = sums.get(&format!("_P:{}:{v}", qn.code)).map_or(0, |s| s.n);
                answered += n;
                row(l, n)
            })
            .collect();
        // The profile is optional: those who left it blank are counted, so the column adds up
        // to every respondent.
        rows.push(row(
            lang.t("a_not_given").to_string(),
            responses.saturating_sub(answered),
        ));
        rows.push(ProfileRow {
            label: lang.t("a_total").to_string(),
            count: Some(responses),
            share: (responses > 0).then_some(1.0),
        });
        profile.push((label, rows));
    }
    let mut lowest: Vec<(String, f64)> = m
        .elements
        .iter()
        .filter_map(|(c, e)| e.mean.map(|v| (c.clone(), v)))
        .collect();
    lowest.sort_by(|a, b| a.1.total_cmp(&b.1));
    lowest.truncate(3);
    let names: HashMap<String, String> = def
        .questions
        .iter()
        .filter(|x| x.ikm_weight.is_some())
        .map(|x| (x.code.clone(), element_title(&x.code, lang)))
        .collect();
    let min_sample = view.monthly_visitors.map(|mv| {
        crate::domain::skm::min_sample(
            (mv.max(0) as f64 * ((to - from).num_days() + 1) as f64 / 30.4375).round() as u64,
        )
    });
    Ok(SkmReport {
        unit: view,
        from,
        to,
        measures: m,
        profile,
        lowest,
        names,
        min_sample,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_titles_in_the_readers_language() {
        assert_eq!(
            element_title("U8", Lang::Id),
            "Penanganan pengaduan, saran dan masukan"
        );
        assert_eq!(element_title("U1", Lang::En), "Requirements (Persyaratan)");
        assert_eq!(element_title("X1", Lang::En), "");
    }
}
