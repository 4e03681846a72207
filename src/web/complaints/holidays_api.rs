//! Administrator JSON API for the holiday calendar: the days complaint deadlines, counted in
//! working days, skip. Adding or removing a holiday moves the deadlines of the complaints still
//! running, in the same transaction ([`crate::service::complaints::set_holiday`]).
use actix_web::{HttpResponse, delete, get, put, web};
use serde::Deserialize;

use crate::i18n::Lang;
use crate::store;
use crate::web::auth::{AdminApi, Admitted};
use crate::web::error::ApiError;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_holidays)
        .service(put_holiday)
        .service(delete_holiday);
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct HolidayOut {
    pub date: chrono::NaiveDate,
    pub name: String,
    /// `libur_nasional` or `cuti_bersama`.
    pub kind: String,
}

#[utoipa::path(get, path = "/api/v1/admin/holidays", tag = "admin", security(("staff" = ["admin"])),
    responses((status = 200, description = "The calendar working-day deadlines skip", body = [HolidayOut])))]
#[get("/api/v1/admin/holidays")]
pub async fn list_holidays(state: State, _admin: AdminApi) -> Result<HttpResponse, ApiError> {
    let out: Vec<HolidayOut> = store::complaints::holidays(&state.db)
        .await?
        .into_iter()
        .map(|h| HolidayOut {
            date: h.date,
            name: h.name,
            kind: h.kind,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct HolidayIn {
    pub name: String,
    /// `libur_nasional` or `cuti_bersama`.
    pub kind: String,
}

fn parse_day(s: &str, lang: Lang) -> Result<chrono::NaiveDate, ApiError> {
    crate::domain::validation::parse_date(s).map_err(|k| ApiError::field("date", lang.t(k)))
}

#[utoipa::path(put, path = "/api/v1/admin/holidays/{date}", tag = "admin", security(("staff" = ["admin"])), request_body = HolidayIn,
    params(("date" = String, Path, description = "YYYY-MM-DD")), responses((status = 204), (status = 422, description = "Not a date, or invalid fields")))]
#[put("/api/v1/admin/holidays/{date}")]
pub async fn put_holiday(
    state: State,
    lang: Lang,
    date: web::Path<String>,
    Admitted(AdminApi(u), body): Admitted<AdminApi, crate::web::request_checks::Json<HolidayIn>>,
) -> Result<HttpResponse, ApiError> {
    let day = parse_day(&date, lang)?;
    if !["libur_nasional", "cuti_bersama"].contains(&body.kind.as_str()) {
        return Err(ApiError::field("kind", lang.t("v_choice")));
    }
    if body.name.trim().is_empty() || body.name.len() > 200 {
        return Err(ApiError::field("name", lang.t("v_required")));
    }
    crate::service::complaints::set_holiday(&state, &u, day, body.name.trim(), &body.kind).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(delete, path = "/api/v1/admin/holidays/{date}", tag = "admin", security(("staff" = ["admin"])),
    params(("date" = String, Path, description = "YYYY-MM-DD")), responses((status = 204), (status = 404), (status = 422, description = "Not a date")))]
#[delete("/api/v1/admin/holidays/{date}")]
pub async fn delete_holiday(
    state: State,
    AdminApi(u): AdminApi,
    lang: Lang,
    date: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let day = parse_day(&date, lang)?;
    match crate::service::complaints::remove_holiday(&state, &u, day).await? {
        Some(_) => Ok(HttpResponse::NoContent().finish()),
        None => Err(ApiError::NotFound),
    }
}
