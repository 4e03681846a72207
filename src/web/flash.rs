//! The line a staff page shows after one of its forms went through ("Unit disimpan."): the
//! handler redirects to `{back}?ok=<op>` (a POST answered with a page would be sent again on
//! reload), and the page it lands on says the text of that op. Only the ops listed here have a
//! text (`ok_<op>` in locales/), so a link can never make a page say words of its own.
use actix_web::HttpRequest;

use crate::i18n::Lang;

/// Every confirmation a page can show, as `ok_<op>` in locales/.
pub const OPS: &[&str] = &[
    // A complaint (staff/complaint.html).
    "transition",
    "reply",
    "note",
    "meta",
    // The registry (admin/*).
    "agency_created",
    "agency_saved",
    "agency_archived",
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
