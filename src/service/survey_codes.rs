//! One-time survey codes: a unit prints a batch, each code takes one response, and the unit
//! decides whether its survey asks for one.
use sea_orm::DatabaseConnection;

use crate::domain::readable_code;
use crate::security::random_token;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::store;

/// At most this many codes per batch; a form that asks for none gets the default.
const MAX_BATCH: u32 = 500;
pub const DEFAULT_BATCH: u32 = 50;

fn one_time_code() -> String {
    let mut buf = [0u8; 8];
    getrandom::fill(&mut buf).expect("the operating system provides randomness");
    readable_code::from_random(&buf)
}

/// Issues `count` (1–500) fresh codes for `unit_id`, all in one batch; only staff who act on the
/// unit may (anyone else is told there is no such unit).
pub async fn issue(
    db: &DatabaseConnection,
    user: &CurrentUser,
    unit_id: i32,
    count: u32,
) -> Result<Vec<String>, ServiceError> {
    if !user.acts_on_unit(unit_id) {
        return Err(ServiceError::NotFound);
    }
    let count = count.clamp(1, MAX_BATCH) as usize;
    let batch = format!(
        "{}-{}",
        chrono::Utc::now().format("%Y%m%d%H%M%S"),
        random_token(2)
    );
    let txn = store::begin_write(db).await?;
    let mut codes = Vec::with_capacity(count);
    while codes.len() < count {
        let code = one_time_code();
        if store::surveys::insert_code(&txn, unit_id, &code, &batch).await? {
            codes.push(code);
        }
    }
    txn.commit().await?;
    Ok(codes)
}

/// Whether `unit_id`'s survey asks for a one-time code (a unit without a survey gets the SKM).
pub async fn require_codes(
    db: &DatabaseConnection,
    user: &CurrentUser,
    unit_id: i32,
    require: bool,
) -> Result<(), ServiceError> {
    if !user.acts_on_unit(unit_id) {
        return Err(ServiceError::NotFound);
    }
    let survey_id = match store::surveys::assignment(db, unit_id).await? {
        Some(a) => a.survey_id,
        None => store::surveys::ensure_skm(db).await?.id,
    };
    store::surveys::assign(db, unit_id, survey_id, require).await?;
    Ok(())
}
