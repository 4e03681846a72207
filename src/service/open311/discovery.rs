//! Who answers: the jurisdiction, API keys, and the discovery document.
use serde::Serialize;

use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;

/// When the GeoReport interface last changed shape (discovery's `changeset`).
pub const CHANGESET: &str = "2026-12-02T00:00:00+07:00";

/// The jurisdiction this deployment answers for: the host name of its public base URL.
pub fn jurisdiction_id(base_url: &str) -> String {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(host)
    } else {
        host.split(':').next().unwrap_or(host)
    };
    host.to_ascii_lowercase()
}

/// A given `jurisdiction_id` must be ours.
pub fn check_jurisdiction(state: &ServiceContext, given: Option<&str>) -> Result<(), ServiceError> {
    match given {
        Some(j) if !j.eq_ignore_ascii_case(&jurisdiction_id(&state.settings.base_url)) => Err(
            ServiceError::BadRequest(format!("jurisdiction_id: unknown jurisdiction {j:?}")),
        ),
        _ => Ok(()),
    }
}

/// Whether `key` is a live API token of an active staff or integration account.
pub async fn api_key_valid(state: &ServiceContext, key: &str) -> Result<bool, ServiceError> {
    let user = store::users::token_user(&state.db, key).await?;
    Ok(user.is_some_and(|u| crate::service::identity::Role::parse(&u.role).is_some()))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Open311Endpoint {
    pub specification: String,
    pub url: String,
    pub changeset: String,
    /// `production` or `test`.
    #[serde(rename = "type")]
    pub kind: String,
    pub formats: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Open311Discovery {
    pub changeset: String,
    pub contact: String,
    pub key_service: String,
    pub endpoints: Vec<Open311Endpoint>,
}

pub fn discovery(state: &ServiceContext) -> Open311Discovery {
    let base = state.settings.base_url.trim_end_matches('/');
    Open311Discovery {
        changeset: CHANGESET.into(),
        contact: format!("Pengelola Suara, {base}"),
        key_service: format!(
            "api_key = token API akun staf atau integrasi Suara; mintalah kepada administrator {base} (Staf → Token API)."
        ),
        endpoints: vec![Open311Endpoint {
            specification: "http://wiki.open311.org/GeoReport_v2".into(),
            url: format!("{base}/open311/v2"),
            changeset: CHANGESET.into(),
            kind: "production".into(),
            formats: vec!["text/xml".into(), "application/json".into()],
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jurisdiction_is_the_host_name() {
        assert_eq!(
            jurisdiction_id("https://suara.jambiprov.go.id"),
            "suara.jambiprov.go.id"
        );
        assert_eq!(jurisdiction_id("http://127.0.0.1:8080/x"), "127.0.0.1");
        assert_eq!(
            jurisdiction_id("https://Suara.Example:443/"),
            "suara.example"
        );
        assert_eq!(jurisdiction_id("http://[::1]:8080"), "[::1]");
    }
}
