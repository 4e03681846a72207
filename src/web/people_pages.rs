//! The planner's page of the 20 JP every civil servant is owed: each unit's coverage (planned
//! and done) and everyone still short. Staff only; a supervisor sees their own units.
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Datelike;
use serde::Deserialize;

use crate::i18n::Lang;
use crate::web::auth::StaffPage;
use crate::web::error::PageError;
use crate::web::render::{context, page};
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(jp_page);
}

#[derive(Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

#[get("/planner/jp")]
async fn jp_page(
    state: State,
    req: HttpRequest,
    lang: Lang,
    StaffPage(user): StaffPage,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, PageError> {
    let year = q
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| crate::service::today_wib().year());
    let c = crate::service::employees::coverage::coverage(&state, &user, year).await?;
    let mut ctx = context(&req, lang, Some(&user));
    ctx.insert("c", &c);
    page(&state, "planner/jp.html", &ctx)
}
