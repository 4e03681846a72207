//! Responses and complaints by channel (web, qr, whatsapp, sms, rapidpro, open311, …) per
//! period, so planners can compare how citizens reach each unit.
use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::domain::calendar::{wib_date, wib_day_start};
use crate::store;

/// Counts by channel name; channels with nothing are left out.
#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
pub struct ChannelCounts {
    pub responses: BTreeMap<String, u64>,
    pub complaints: BTreeMap<String, u64>,
}

/// The counts of a unit between two local dates, per period (as `key` names a day's period)
/// and in total. Responses come from the caller's rollup cells (`_R:<channel>`, as (period
/// start, channel, count)); complaints, far fewer, are read here.
pub async fn split(
    db: &impl sea_orm::ConnectionTrait,
    unit: i32,
    from: NaiveDate,
    to: NaiveDate,
    key: impl Fn(NaiveDate) -> String,
    responses: Vec<(NaiveDate, String, u64)>,
) -> Result<(BTreeMap<String, ChannelCounts>, ChannelCounts), sea_orm::DbErr> {
    let mut per: BTreeMap<String, ChannelCounts> = BTreeMap::new();
    let mut total = ChannelCounts::default();
    for (day, channel, n) in responses {
        *per.entry(key(day))
            .or_default()
            .responses
            .entry(channel.clone())
            .or_default() += n;
        *total.responses.entry(channel).or_default() += n;
    }
    // A complaint's day is its WIB date.
    let (start, end) = (wib_day_start(from), wib_day_start(to + Duration::days(1)));
    for (at, channel) in store::channels::complaints(db, unit, start, end).await? {
        *per.entry(key(wib_date(at)))
            .or_default()
            .complaints
            .entry(channel.clone())
            .or_default() += 1;
        *total.complaints.entry(channel).or_default() += 1;
    }
    Ok((per, total))
}
