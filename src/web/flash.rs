//! The line a staff page shows after one of its forms went through ("Unit disimpan."): the
//! handler redirects to `{back}?ok=<op>` (a POST answered with a page would be sent again on
//! reload), and the page it lands on says the text of that op. Only the ops listed here have a
//! text (`ok_<op>` in locales/), so a link can never make a page say words of its own.
use std::collections::HashMap;

use actix_web::HttpRequest;

use crate::i18n::Lang;
use crate::service::identity::CurrentUser;

/// Every confirmation a page can show, as `ok_<op>` in locales/.
pub const OPS: &[&str] = &[
    // A complaint (staff/complaint.html).
    "transition",
    "reply_email",
    "reply_whatsapp",
    "reply_sms",
    "reply_none",
    "note",
    "meta",
    // A unit's follow-up plan (staff/follow_ups.html).
    "follow_up_drafted",
    "follow_up_added",
    "follow_up_saved",
    // A unit's reply templates (staff/reply_templates.html).
    "reply_template_added",
    "reply_template_deleted",
    // The registry (admin/*).
    "agency_created",
    "agency_saved",
    "agency_archived",
    "agency_logo_saved",
    "agency_logo_removed",
    "unit_created",
    "unit_saved",
    "unit_archived",
    "service_created",
    "service_saved",
    "service_archived",
    "survey_created",
    "survey_version_added",
    "survey_published",
    "survey_assigned",
    // Training (planner/training*.html, admin/training*.html).
    "training_run",
    "training_accept",
    "training_dismiss",
    "training_schedule",
    "training_complete",
    "training_comment",
    "rule_saved",
];

/// Where to send the browser after `op` went through: `back` with `ok=<op>`; `op` is one of
/// [`OPS`].
pub fn to(back: &str, op: &str) -> String {
    debug_assert!(OPS.contains(&op), "{op} has no confirmation text");
    let join = if back.contains('?') { '&' } else { '?' };
    format!("{back}{join}ok={op}")
}

/// The confirmation the request's `?ok=` asks for, when it is a known op.
pub fn said(req: &HttpRequest, lang: Lang) -> Option<&'static str> {
    let op = req
        .query_string()
        .split('&')
        .find_map(|kv| kv.strip_prefix("ok="))?;
    OPS.contains(&op).then(|| lang.t(&format!("ok_{op}")))
}

/// A message with words of its own (which complaints a bulk action skipped and why, what a form
/// lacked): `{back}?<kind>=<text>&sig=<mac>`, `kind` being `ok` or `error`. The MAC is keyed by the
/// session's CSRF token, so the words show only in the session whose action caused them; a
/// crafted link, or one passed to a colleague, shows nothing.
pub fn to_text(back: &str, kind: &str, text: &str, user: &CurrentUser) -> String {
    let join = if back.contains('?') { '&' } else { '?' };
    format!(
        "{back}{join}{kind}={}&sig={}",
        crate::web::auth::urlencode(text),
        mac(kind, text, user)
    )
}

/// The `ok` and `error` texts of the request, each only when signed for this session.
pub fn texts_said(req: &HttpRequest, user: &CurrentUser) -> (Option<String>, Option<String>) {
    let q = actix_web::web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map(|q| q.into_inner())
        .unwrap_or_default();
    let Some(sig) = q.get("sig") else {
        return (None, None);
    };
    let signed = |kind: &str| {
        q.get(kind).filter(|text| {
            !user.csrf.is_empty()
                && crate::security::hmac_sha256_matches(
                    user.csrf.as_bytes(),
                    signed_bytes(kind, text).as_bytes(),
                    sig,
                )
        })
    };
    (signed("ok").cloned(), signed("error").cloned())
}

fn signed_bytes(kind: &str, text: &str) -> String {
    format!("flash\n{kind}\n{text}")
}

fn mac(kind: &str, text: &str, user: &CurrentUser) -> String {
    crate::security::hmac_sha256_hex(user.csrf.as_bytes(), signed_bytes(kind, text).as_bytes())
}
