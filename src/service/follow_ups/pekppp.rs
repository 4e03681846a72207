//! The four SKM indicators of the yearly evaluation (PEKPPP) for a unit and a year, each with
//! its score (0–5) and the evidence behind it, and the media the unit publishes on.
use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::access::seen_unit;
use crate::domain::pekppp::{self, Item, MEDIA};
use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::service::today_wib;
use crate::store;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Indicator {
    /// 6, 7, 8 or 9.
    pub number: u8,
    /// 0–5.
    pub score: u8,
    /// What the score rests on, in words.
    pub evidence: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Pekppp {
    pub unit: String,
    pub year: i32,
    pub responses: u64,
    /// Krejcie–Morgan for the unit's visitors over the year, or 30 when unknown.
    pub min_sample: u64,
    /// The media counted: those recorded, and `website` (Suara's public page) once the unit has
    /// results for the year.
    pub media: Vec<String>,
    /// Follow-up items of the year's periods (not cancelled), and how many are done.
    pub items: usize,
    pub items_done: usize,
    /// Done ÷ not cancelled × 100; absent without items.
    pub realised_percent: Option<f64>,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MediaIn {
    /// Any of `print`, `board`, `screen`, `social`, `website`, `app`, `videotron`.
    pub media: Vec<String>,
}

/// Records the media unit `slug` publishes its SKM results on (replacing the list).
pub async fn set_media(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    input: &MediaIn,
) -> Result<MediaIn, ServiceError> {
    let unit = seen_unit(state, user, slug).await?;
    if input.media.len() > MEDIA.len() || input.media.iter().any(|m| !MEDIA.contains(&m.as_str())) {
        return Err(ServiceError::invalid("media", "v_choice"));
    }
    let mut media = input.media.clone();
    media.sort();
    media.dedup();
    let txn = crate::store::begin_write(&state.db).await?;
    store::publication_media::replace(&txn, unit.id, &media).await?;
    txn.commit().await?;
    Ok(MediaIn { media })
}

pub async fn pekppp(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    year: i32,
    lang: Lang,
) -> Result<Pekppp, ServiceError> {
    let unit = seen_unit(state, user, slug).await?;
    let (Some(jan1), Some(dec31)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(ServiceError::field("year", lang.t("v_range")));
    };
    if !(2000..=today_wib().year() + 1).contains(&year) {
        return Err(ServiceError::field("year", lang.t("v_range")));
    }
    let responses: u64 = store::analytics::series(
        &state.read,
        unit.id,
        jan1,
        dec31,
        false,
        store::analytics::Codes::NoProfile,
    )
    .await?
    .into_iter()
    .filter(|(_, code, _)| code == "*")
    .map(|(_, _, s)| s.n)
    .sum();
    let min_sample = unit
        .monthly_visitors
        .filter(|v| *v > 0)
        .map_or(30, |v| crate::domain::skm::min_sample(v as u64 * 12));
    let mut media = store::publication_media::for_unit(&state.db, unit.id).await?;
    if responses > 0 && !media.iter().any(|m| m == "website") {
        media.push("website".into());
        media.sort();
    }
    let offline = media.iter().any(|m| pekppp::offline(m));
    let electronic = media.iter().any(|m| !pekppp::offline(m));
    let rows = store::follow_ups::for_unit(&state.db, unit.id, Some((jan1, dec31)), None).await?;
    let items: Vec<Item> = rows
        .iter()
        .map(|m| Item {
            status: m.status.clone(),
            progress: m.progress,
            done_on: m.done_on,
        })
        .collect();
    // A period's report is dated as recorded on its items, else the day after the period ends.
    let mut periods: BTreeMap<NaiveDate, Vec<Item>> = BTreeMap::new();
    for (m, item) in rows.iter().zip(&items) {
        periods
            .entry(m.report_on.unwrap_or(m.period_to + Duration::days(1)))
            .or_default()
            .push(item.clone());
    }
    let live = items.iter().filter(|i| i.status != "cancelled").count();
    let done = items.iter().filter(|i| i.status == "done").count();
    let share = pekppp::realised_share(&items);
    let periods: Vec<(NaiveDate, Vec<Item>)> = periods.into_iter().collect();
    let word = |key: &str| lang.t(key).to_string();
    let yes_no = |b: bool| word(if b { "xl_yes" } else { "xl_no" });
    let fmt_share = share.map_or_else(
        || "–".to_string(),
        |s| crate::domain::format::decimal(s, 0, lang == Lang::Id),
    );
    let indicators = vec![
        Indicator {
            number: 6,
            score: pekppp::indicator_6(responses, min_sample, offline, electronic, done > 0),
            evidence: lang
                .t("pk_6")
                .replace("{n}", &responses.to_string())
                .replace("{min}", &min_sample.to_string())
                .replace("{offline}", &yes_no(offline))
                .replace("{electronic}", &yes_no(electronic))
                .replace("{done}", &done.to_string()),
        },
        Indicator {
            number: 7,
            score: pekppp::indicator_7(media.len()),
            evidence: lang
                .t("pk_7")
                .replace("{n}", &media.len().to_string())
                .replace("{media}", &media.join(", ")),
        },
        Indicator {
            number: 8,
            score: pekppp::indicator_8(&items),
            evidence: lang
                .t("pk_8")
                .replace("{done}", &done.to_string())
                .replace("{live}", &live.to_string())
                .replace("{share}", &fmt_share),
        },
        Indicator {
            number: 9,
            score: pekppp::indicator_9_year(&periods),
            evidence: lang.t("pk_9").replace(
                "{last}",
                &items
                    .iter()
                    .filter_map(|i| i.done_on)
                    .max()
                    .map_or_else(|| "–".to_string(), |d| d.to_string()),
            ),
        },
    ];
    Ok(Pekppp {
        unit: unit.slug,
        year,
        responses,
        min_sample,
        media,
        items: live,
        items_done: done,
        realised_percent: share,
        indicators,
    })
}
