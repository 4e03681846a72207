//! A stored survey response row with every column set, for tests that fill the table directly.
use chrono::{Duration, NaiveDate};
use sea_orm::Set;
use serde_json::json;

/// A kiosk response on `day` (U1 cycles through 1–4 with `n`; a comment that names a person).
pub fn response(
    day: NaiveDate,
    unit_id: i32,
    version: i32,
    n: i64,
) -> entity::response::ActiveModel {
    let u = 1 + n % 4;
    entity::response::ActiveModel {
        unit_id: Set(unit_id),
        survey_version_id: Set(version),
        service_id: Set(None),
        channel: Set("kiosk".into()),
        created_at: Set(suara::domain::calendar::wib_day_start(day) + Duration::hours(3)),
        local_date: Set(day),
        answers: Set(
            json!({"U1": u, "U2": 3, "U3": 2, "U4": 4, "U5": 3, "U6": 3, "U7": 4, "U8": 2, "U9": 3,
                            "WAIT_MIN": 30, "COMMENT": "Pak Ahmad di loket 3 minta uang"})
            .to_string(),
        ),
        respondent: Set(
            json!({"gender": "L", "age": 41, "education": "SMA", "occupation": "swasta"})
                .to_string(),
        ),
        comment: Set(Some("Pak Ahmad di loket 3 minta uang".into())),
        wait_minutes: Set(Some(30)),
        visits: Set(None),
        fee_paid: Set(None),
        code_id: Set(None),
        ..Default::default()
    }
}
