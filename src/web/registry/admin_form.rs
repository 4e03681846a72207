//! The admin pages' shared form: fields with their messages, rendered by `admin/form.html`,
//! and how a registry use case's refusal shows on a page.
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use crate::i18n::Lang;
use crate::service::error::ServiceError;
use crate::service::error::translate;
use crate::web::auth::CurrentUser;
use crate::web::error::{FieldErrors, PageError};
use crate::web::forms::FormData;
use crate::web::render::{context, page_with_status};
use crate::web::state::State;

pub(super) fn admin(user: &CurrentUser) -> Result<(), PageError> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(PageError::NotFound)
    }
}

#[derive(Serialize)]
pub(super) struct Field {
    pub(super) name: &'static str,
    pub(super) label: &'static str,
    pub(super) kind: &'static str,
    pub(super) value: String,
    pub(super) error: Option<String>,
    pub(super) required: bool,
    pub(super) options: Vec<(String, String)>,
}

pub(super) fn field(
    name: &'static str,
    kind: &'static str,
    required: bool,
    lang: Lang,
    form: &FormData,
    errors: &FieldErrors,
) -> Field {
    Field {
        name,
        label: lang.t(&format!("f_{name}")),
        kind,
        value: form.text(name).unwrap_or_default(),
        error: errors.get(name).cloned(),
        required,
        options: vec![],
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn form_page(
    state: &State,
    req: &HttpRequest,
    lang: Lang,
    user: &CurrentUser,
    title: &str,
    action: &str,
    fields: Vec<Field>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let mut ctx = context(req, lang, Some(user));
    ctx.insert("title", title);
    ctx.insert("action", action);
    ctx.insert("fields", &fields);
    ctx.insert("has_errors", &fields.iter().any(|f| f.error.is_some()));
    page_with_status(state, status, "admin/form.html", &ctx)
}

/// A refused change: the messages to show beside the fields, or the error page.
pub(super) fn form_errors(e: ServiceError, lang: Lang) -> Result<FieldErrors, PageError> {
    match e {
        ServiceError::Problems(p) => Ok(translate(&p, lang)),
        ServiceError::Invalid(f) => Ok(f),
        other => Err(other.into()),
    }
}
