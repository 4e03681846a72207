//! The supervisor dashboard's complaint counts as JSON (the page `/staff` shows the same).
use actix_web::{HttpResponse, get, web};

use crate::service::complaints::{DashboardCounts, dashboard_counts};
use crate::web::auth::StaffApi;
use crate::web::error::ApiError;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(api_dashboard);
}

#[utoipa::path(get, path = "/api/v1/staff/dashboard", tag = "staff", security(("staff" = ["admin", "supervisor", "planner"])),
    responses((status = 200, description = "Complaints in your units: new (not yet verified), due today and overdue", body = DashboardCounts)))]
#[get("/api/v1/staff/dashboard")]
pub async fn api_dashboard(
    state: State,
    StaffApi(user): StaffApi,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(dashboard_counts(&state, &user).await?))
}
