//! Field problems as message keys; the route layer translates them into the user's language.
use std::collections::BTreeMap;

/// Field name → message key (see `i18n`).
pub type Problems = BTreeMap<String, &'static str>;

/// Turns `validator` errors into message keys by their code.
pub fn from_validator(errors: &validator::ValidationErrors) -> Problems {
    errors
        .field_errors()
        .iter()
        .map(|(field, errs)| {
            let key = match errs.first().map(|e| e.code.as_ref()) {
                Some("required") => "v_required",
                Some("length") => "v_length",
                Some("range") => "v_range",
                Some("email") => "v_email",
                Some("slug") => "v_slug",
                Some("choice") => "v_choice",
                _ => "v_type",
            };
            (field.to_string(), key)
        })
        .collect()
}
