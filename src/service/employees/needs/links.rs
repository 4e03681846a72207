//! The employee's side: a round opened with a personal link each, the page behind a link, the
//! answer given through it (once).
use chrono::{Duration, Utc};
use sea_orm::Set;

use super::input::{LINK_DAYS, NeedIn, RoundIn, RoundLink, RoundOut, check_need, competency_codes};
use crate::service::context::ServiceContext;
use crate::service::employees::unit_kept;
use crate::service::error::ServiceError;
use crate::service::identity::CurrentUser;
use crate::store;

/// Opens (or reopens) unit `slug`'s round for `year` and links everyone who has not answered.
pub async fn open_round(
    state: &ServiceContext,
    user: &CurrentUser,
    slug: &str,
    r: &RoundIn,
) -> Result<RoundOut, ServiceError> {
    let unit = unit_kept(state, user, slug).await?;
    let year = r
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&crate::service::today_wib()));
    if !(2000..=2100).contains(&year) {
        return Err(ServiceError::invalid("year", "v_range"));
    }
    let txn = store::begin_write(&state.db).await?;
    let round = match store::needs::round(&txn, unit.id, year).await? {
        Some(r) => r,
        None => store::needs::insert_round(&txn, unit.id, year).await?,
    };
    let answered: Vec<i32> = store::needs::needs(&txn, round.id)
        .await?
        .into_iter()
        .filter(|n| n.author == "self")
        .map(|n| n.employee_id)
        .collect();
    let base = state.settings.base_url.trim_end_matches('/').to_string();
    let mut links = vec![];
    for e in store::employees::by_unit(&txn, unit.id, false).await? {
        if answered.contains(&e.id) {
            continue;
        }
        let token = crate::security::random_token(16);
        let expires = Utc::now() + Duration::days(LINK_DAYS);
        store::needs::new_link(
            &txn,
            (round.id, e.id, "self"),
            &crate::security::sha256_hex(&token),
            expires,
        )
        .await?;
        let url = format!("{base}/n/{token}");
        // With an address, the link also goes by e-mail (written with the link, sent after).
        let mut ctx = tera::Context::new();
        ctx.insert("year", &year);
        let link = crate::service::employees::PersonalLink {
            kind: "needs_link",
            name: &e.name,
            unit: &unit.name,
            url: &url,
            expires,
        };
        let emailed =
            crate::service::employees::mail_link(state, &txn, e.email.as_deref(), &link, ctx)
                .await?;
        links.push(RoundLink {
            employee_id: e.id,
            name: e.name,
            url,
            emailed,
        });
    }
    txn.commit().await?;
    state.outbox.wake();
    Ok(RoundOut {
        id: round.id,
        year,
        links,
    })
}

/// What the employee's page shows: their name, the unit, the year, and whether the link still
/// takes an answer.
pub struct LinkView {
    /// Whose needs: the employee's own, or a colleague's view of them.
    pub colleague: bool,
    pub name: String,
    pub unit: String,
    pub year: i32,
    pub open: bool,
}

async fn link_of(
    state: &ServiceContext,
    token: &str,
) -> Result<(entity::need_link::Model, entity::need_round::Model), ServiceError> {
    let link = store::needs::link(&state.db, &crate::security::sha256_hex(token))
        .await?
        .ok_or(ServiceError::NotFound)?;
    let round = store::needs::round_by_id(&state.db, link.round_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok((link, round))
}

pub async fn link_view(state: &ServiceContext, token: &str) -> Result<LinkView, ServiceError> {
    let (link, round) = link_of(state, token).await?;
    let e = store::employees::by_id(&state.db, link.employee_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let unit = store::units::by_id(&state.db, round.unit_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(LinkView {
        colleague: link.author == "colleague",
        name: e.name,
        unit: unit.name,
        year: round.year,
        open: link.answered_at.is_none() && link.expires_at > Utc::now(),
    })
}

/// The employee's answer through their link: once. `Ok(false)` when the link had already been
/// answered (a double tap lands on the same thanks), problems per field otherwise.
pub async fn answer(state: &ServiceContext, token: &str, n: &NeedIn) -> Result<bool, ServiceError> {
    let (link, round) = link_of(state, token).await?;
    if link.expires_at <= Utc::now() && link.answered_at.is_none() {
        return Err(ServiceError::NotFound);
    }
    let known = competency_codes(state).await?;
    let (competencies, wish, method) =
        check_need(n, &known, true).map_err(ServiceError::Problems)?;
    let txn = store::begin_write(&state.db).await?;
    if !store::needs::close_link(&txn, link.id).await? {
        txn.rollback().await?;
        return Ok(false);
    }
    let author = if link.author == "colleague" {
        "colleague"
    } else {
        "self"
    };
    store::needs::save_need(
        &txn,
        (round.id, link.employee_id, author),
        entity::need::ActiveModel {
            competencies: Set(competencies),
            wish: Set(wish),
            method: Set(method),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}
