//! Responses and complaints by channel (web, qr, whatsapp, sms, rapidpro, open311, …) per
//! period, so planners can compare how citizens reach each unit.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

/// Counts by channel name; channels with nothing are left out.
#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
pub struct ChannelCounts {
    pub responses: BTreeMap<String, u64>,
    pub complaints: BTreeMap<String, u64>,
}

/// The counts of a unit per period (as `key` names a day's period) and in total, from the
/// caller's rollup cells as (period start, channel, count): responses' `_R:<channel>` and
/// complaints' `_C:ch:<channel>` (a complaint counts on the WIB day it was filed).
pub fn split(
    key: impl Fn(NaiveDate) -> String,
    responses: Vec<(NaiveDate, String, u64)>,
    complaints: Vec<(NaiveDate, String, u64)>,
) -> (BTreeMap<String, ChannelCounts>, ChannelCounts) {
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
    for (day, channel, n) in complaints {
        *per.entry(key(day))
            .or_default()
            .complaints
            .entry(channel.clone())
            .or_default() += n;
        *total.complaints.entry(channel).or_default() += n;
    }
    (per, total)
}
