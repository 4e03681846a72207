//! `POST requests`: a GeoReport request filed as a complaint through the same checks as every
//! other channel.
use std::collections::BTreeMap;

use serde::Serialize;

use super::services::{KIND, UNIT_ATTRIBUTE, notice};
use crate::i18n::Lang;
use crate::service::complaints;
use crate::service::context::ServiceContext;
use crate::service::error::{FieldErrors, ServiceError};
use crate::store;

/// `POST requests`, as given (empty values already dropped); the location fields are accepted
/// by the edge and not kept (complaints have no location: the unit says where).
#[derive(Debug, Default, Serialize)]
pub struct NewRequest {
    pub service_code: Option<String>,
    pub unit: Option<String>,
    pub description: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Open311Filed {
    pub service_request_id: String,
    pub service_notice: Option<String>,
    pub account_id: Option<String>,
}

/// GeoReport's names for the intake's fields.
fn georeport_field(field: &str) -> String {
    match field {
        "unit" | "service" => format!("attribute[{UNIT_ATTRIBUTE}]"),
        "category" | "kind" => "service_code".into(),
        "contact.email" => "email".into(),
        "contact.phone" => "phone".into(),
        "contact.name" => "first_name".into(),
        other => other.into(),
    }
}

/// Files a complaint (kind `pengaduan`, channel `open311`, never `rahasia`) through the same
/// checks as every other channel; a submission key already used answers its first request.
pub async fn file(
    state: &ServiceContext,
    n: &NewRequest,
    lang: Lang,
    key: Option<&str>,
) -> Result<Open311Filed, ServiceError> {
    let name = [&n.first_name, &n.last_name]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let input = complaints::ComplaintIn {
        unit: n.unit.clone(),
        kind: Some(KIND.into()),
        category: n.service_code.clone(),
        description: n.description.clone(),
        contact: Some(complaints::ContactIn {
            name: (!name.is_empty()).then_some(name),
            email: n.email.clone(),
            phone: n.phone.clone(),
            // Open311 has no such field: the default for what the citizen left.
            notify: None,
        }),
        anonim: false,
        rahasia: false,
        ..Default::default()
    };
    let (mut new, _) = match complaints::check(state, &input).await {
        Ok(ok) => ok,
        Err(ServiceError::Problems(problems)) => {
            let fields: FieldErrors = problems
                .iter()
                .map(|(k, v)| (georeport_field(k), lang.t(v).to_string()))
                .collect::<BTreeMap<_, _>>();
            return Err(ServiceError::Invalid(fields));
        }
        Err(e) => return Err(e),
    };
    new.channel = "open311".into();
    let days = store::complaints::all_categories(&state.db)
        .await?
        .get(&new.category_id)
        .map(|c| c.resolve_days);
    let key = key.map(|k| {
        let body = serde_json::to_vec(n).unwrap_or_default();
        store::idempotency::Key::new(complaints::KEY_SCOPE, k, &[b"open311", &body])
    });
    let id = match complaints::file(state, new, lang, &[], key.as_ref()).await? {
        complaints::Filing::Stored(c) => c.tracking_id,
        complaints::Filing::Before(id) => id,
    };
    // GeoReport has no field for a secret; the notice is what the reporting app shows its
    // user, so the reopen code goes there (the request list never carries it).
    let code = crate::service::chat_text::reopen_hint(lang, &complaints::reopen_code(state, &id));
    let notice = match days {
        Some(d) => format!("{} {code}", notice(d, lang)),
        None => code,
    };
    Ok(Open311Filed {
        service_request_id: id,
        service_notice: Some(notice),
        account_id: None,
    })
}
