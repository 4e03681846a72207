//! Agencies, service units and services: the input rules that hold for the API and the pages alike.
use serde::Deserialize;
use validator::{Validate, ValidationError};

/// URL names: lower-case ASCII letters, digits and single hyphens, 3–64 characters.
pub fn validate_slug(s: &str) -> Result<(), ValidationError> {
    let ok = (3..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--");
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("slug"))
    }
}

/// Kinds of service unit, for filters and comparisons between like units.
pub const UNIT_KINDS: &[&str] = &[
    "rumah_sakit",
    "puskesmas",
    "dukcapil",
    "perizinan",
    "samsat",
    "kantor_pelayanan",
    "lainnya",
];

pub fn validate_unit_kind(s: &str) -> Result<(), ValidationError> {
    if UNIT_KINDS.contains(&s) {
        Ok(())
    } else {
        Err(ValidationError::new("choice"))
    }
}

#[derive(Debug, Default, Deserialize, Validate, utoipa::ToSchema)]
pub struct AgencyInput {
    #[validate(required, custom(function = "validate_slug"))]
    pub slug: Option<String>,
    #[validate(required, length(min = 3, max = 200))]
    pub name: Option<String>,
}

/// Creating a unit needs the required fields; a PATCH sends only what changes.
#[derive(Debug, Default, Deserialize, Validate, utoipa::ToSchema)]
pub struct UnitInput {
    /// Agency slug.
    pub agency: Option<String>,
    #[validate(custom(function = "validate_slug"))]
    pub slug: Option<String>,
    #[validate(length(min = 3, max = 200))]
    pub name: Option<String>,
    /// One of `rumah_sakit`, `puskesmas`, `dukcapil`, `perizinan`, `samsat`, `kantor_pelayanan`, `lainnya`.
    #[validate(custom(function = "validate_unit_kind"))]
    pub kind: Option<String>,
    #[validate(length(max = 500))]
    pub address: Option<String>,
    #[validate(range(min = 0, max = 100_000))]
    pub staff_count: Option<i32>,
    #[validate(range(min = 0, max = 10_000_000))]
    pub monthly_visitors: Option<i32>,
}

impl UnitInput {
    /// Fields a new unit cannot do without.
    pub fn missing_for_create(&self) -> Vec<&'static str> {
        let mut m = vec![];
        if self.agency.is_none() {
            m.push("agency");
        }
        if self.slug.is_none() {
            m.push("slug");
        }
        if self.name.is_none() {
            m.push("name");
        }
        if self.kind.is_none() {
            m.push("kind");
        }
        m
    }
}

#[derive(Debug, Default, Deserialize, Validate, utoipa::ToSchema)]
pub struct ServiceInput {
    #[validate(custom(function = "validate_slug"))]
    pub slug: Option<String>,
    #[validate(length(min = 3, max = 200))]
    pub name: Option<String>,
    /// Declared completion time at the counter, in minutes.
    #[validate(range(min = 1, max = 100_000))]
    pub standard_minutes: Option<i32>,
    /// Declared completion time, in working days.
    #[validate(range(min = 1, max = 365))]
    pub standard_days: Option<i32>,
    /// Declared fee in rupiah (0 = free).
    #[validate(range(min = 0, max = 1_000_000_000))]
    pub fee_rupiah: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["rsud-raden-mattaher", "abc", "samsat-1"] {
            assert!(validate_slug(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ab",
            "RSUD",
            "a b",
            "-abc",
            "abc-",
            "a--b",
            "ünï",
            &"a".repeat(65),
        ] {
            assert!(validate_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unit_input_validation() {
        let u = UnitInput {
            slug: Some("X y".into()),
            staff_count: Some(-1),
            ..Default::default()
        };
        let e = u.validate().unwrap_err();
        let p = crate::domain::validation::from_validator(&e);
        assert_eq!(p.get("slug"), Some(&"v_slug"));
        assert_eq!(p.get("staff_count"), Some(&"v_range"));
        assert_eq!(u.missing_for_create(), vec!["agency", "name", "kind"]);
    }
}
