//! The complaint categories as GeoReport services, and a service's definition (its one
//! attribute, the unit).
use serde::Serialize;

use crate::i18n::Lang;
use crate::service::context::ServiceContext;
use crate::service::error::ServiceError;
use crate::store;

/// The kind every GeoReport request files and every service is grouped under.
pub const KIND: &str = "pengaduan";
/// The one attribute every service asks for: where (which unit).
pub const UNIT_ATTRIBUTE: &str = "unit";

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Open311Service {
    /// The complaint category's code.
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// Always true: every service has the `unit` attribute.
    pub metadata: bool,
    /// Always `realtime`: the request gets its ID at once.
    #[serde(rename = "type")]
    pub kind: String,
    pub keywords: String,
    /// The complaint kind: `pengaduan`.
    pub group: String,
}

pub(super) fn notice(days: i32, lang: Lang) -> String {
    lang.pick(
        format!("Ditangani paling lambat {days} hari kerja."),
        format!("Handled within {days} working days."),
    )
}

/// The active complaint categories, in their order.
pub async fn services(
    state: &ServiceContext,
    lang: Lang,
) -> Result<Vec<Open311Service>, ServiceError> {
    Ok(store::complaints::categories(&state.db)
        .await?
        .into_iter()
        .map(|c| Open311Service {
            service_name: lang.pick(&c.name_id, &c.name_en).clone(),
            description: notice(c.resolve_days, lang),
            service_code: c.code,
            metadata: true,
            kind: "realtime".into(),
            keywords: String::new(),
            group: KIND.into(),
        })
        .collect())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Open311Value {
    pub key: String,
    pub name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Open311Attribute {
    /// True: the citizen is asked for it.
    pub variable: bool,
    pub code: String,
    /// `singlevaluelist` for `unit`.
    pub datatype: String,
    pub required: bool,
    pub datatype_description: String,
    pub order: u32,
    pub description: String,
    pub values: Vec<Open311Value>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Open311ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<Open311Attribute>,
}

/// The definition of one service: the required unit (every unit that is not archived).
pub async fn definition(
    state: &ServiceContext,
    code: &str,
    lang: Lang,
) -> Result<Open311ServiceDefinition, ServiceError> {
    let cats = store::complaints::categories(&state.db).await?;
    let cat = cats
        .into_iter()
        .find(|c| c.code == code)
        .ok_or(ServiceError::NotFound)?;
    let units = store::units::list(&state.db, false).await?;
    Ok(Open311ServiceDefinition {
        service_code: cat.code,
        attributes: vec![Open311Attribute {
            variable: true,
            code: UNIT_ATTRIBUTE.into(),
            datatype: "singlevaluelist".into(),
            required: true,
            datatype_description: lang
                .pick("Pilih satu unit layanan.", "Choose one service unit.")
                .into(),
            order: 1,
            description: lang
                .pick(
                    "Unit layanan tempat kejadian",
                    "The service unit where it happened",
                )
                .into(),
            values: units
                .into_iter()
                .map(|u| Open311Value {
                    key: u.slug,
                    name: u.name,
                })
                .collect(),
        }],
    })
}
