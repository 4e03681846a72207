//! Tera pages: the shared context (language, dictionary, user) and the error pages.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use tera::{Context, Tera};

use crate::bootstrap::state::AppState;
use crate::i18n::Lang;
use crate::web::auth::CurrentUser;
use crate::web::error::{ErrorPage, PageError};

pub fn templates_dir() -> String {
    std::env::var("SUARA_TEMPLATES")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/templates").to_string())
}

pub fn load_templates() -> Result<Tera, tera::Error> {
    let mut tera = Tera::new(&format!("{}/**/*", templates_dir()))?;
    tera.autoescape_on(vec![".html", ".htm"]);
    tera.register_filter("tanggal", tanggal);
    tera.register_filter("angka", angka);
    tera.register_filter("unsur", unsur);
    tera.register_filter("persen", persen);
    tera.register_filter("nilai_p", nilai_p);
    tera.register_filter("rentang", rentang);
    tera.register_filter("mutu", mutu);
    Ok(tera)
}

/// Whether a filter call asked for English (`lang="en"`); Bahasa Indonesia otherwise.
fn indonesian(args: &std::collections::HashMap<String, tera::Value>) -> bool {
    args.get("lang").and_then(|v| v.as_str()) != Some("en")
}

/// `{{ d | tanggal(lang=lang) }}`: a `YYYY-MM-DD` date (or the date part of a timestamp) as
/// "Senin, 7 Desember 2026"; anything else is shown as it is.
fn tanggal(
    v: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let Some(s) = v.as_str() else {
        return Ok(v.clone());
    };
    let day = s
        .get(..10)
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok());
    Ok(match day {
        Some(d) => crate::domain::format::long_date(d, indonesian(args)).into(),
        None => v.clone(),
    })
}

/// `{{ x | angka(lang=lang, places=2) }}`: "1.972", "3,58" (English: "1,972", "3.58").
fn angka(
    v: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let places = args.get("places").and_then(|p| p.as_u64()).unwrap_or(0) as usize;
    let id = indonesian(args);
    Ok(match (v.as_i64(), v.as_f64()) {
        (Some(n), _) if places == 0 => crate::domain::format::whole(n, id).into(),
        (_, Some(x)) => crate::domain::format::decimal(x, places, id).into(),
        _ => v.clone(),
    })
}

/// `{{ code | unsur(lang=lang) }}`: an SKM element's name ("U1" → "Persyaratan"; "IKM" and the
/// rollup's "_IKM" → "Indeks Kepuasan Masyarakat"), so a page never shows "U1" alone; in English
/// "Requirements", and with `regulation=true` the regulation's name after it in parentheses
/// ("Requirements (Persyaratan)"), as an official report names it. Anything else gives "".
fn unsur(
    v: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let code = v.as_str().unwrap_or_default();
    let regulation = args.get("regulation").and_then(|r| r.as_bool()) == Some(true);
    Ok(element_label(code, indonesian(args), regulation).into())
}

/// An element's (or the index's) name in the reader's language; see [`unsur`].
pub fn element_label(code: &str, indonesian: bool, regulation: bool) -> String {
    let id = crate::domain::skm::measure_name(code);
    if indonesian || id.is_empty() {
        return id.to_string();
    }
    let en = match code.trim_start_matches('_') {
        "IKM" => "Community Satisfaction Index",
        c => crate::domain::skm::element_name_en(c),
    };
    if regulation {
        format!("{en} ({id})")
    } else {
        en.to_string()
    }
}

/// `{{ share | persen(lang=lang, places=1) }}`: a share (0.125) as "12,5%" ("12.5%").
fn persen(
    v: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let places = args.get("places").and_then(|p| p.as_u64()).unwrap_or(0) as usize;
    Ok(match v.as_f64() {
        Some(x) => crate::domain::format::percent(x, places, indonesian(args)).into(),
        None => v.clone(),
    })
}

/// `{{ p | nilai_p(lang=lang) }}`: "p < 0,001" or "p = 0,038" ("p < 0.001", "p = 0.038");
/// with `bare=true`, for a column headed "p", just "< 0,001" or "0,038".
fn nilai_p(
    v: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let bare = args.get("bare").and_then(|b| b.as_bool()) == Some(true);
    Ok(match v.as_f64() {
        Some(p) => {
            let said = crate::domain::format::p_value(p, indonesian(args));
            match said.strip_prefix("p = ") {
                Some(rest) if bare => rest.to_string().into(),
                _ if bare => said.trim_start_matches("p ").to_string().into(),
                _ => said.into(),
            }
        }
        None => v.clone(),
    })
}

/// `{{ [lo, hi] | rentang(lang=lang, places=2) }}`: "74,12–76,30"; with `label=true` the
/// interval's name first, "IK 95% 74,12–76,30" ("95% CI 74.12–76.30").
fn rentang(
    v: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let places = args.get("places").and_then(|p| p.as_u64()).unwrap_or(0) as usize;
    let label = args.get("label").and_then(|l| l.as_bool()) == Some(true);
    let id = indonesian(args);
    let pair = v
        .as_array()
        .filter(|a| a.len() == 2)
        .and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)));
    Ok(match pair {
        Some((lo, hi)) if label => crate::domain::format::ci(lo, hi, places, id).into(),
        Some((lo, hi)) => crate::domain::format::range(lo, hi, places, id).into(),
        None => v.clone(),
    })
}

/// `{{ grade | mutu(lang=lang) }}`: a grade letter's mutu pelayanan as the regulation names it
/// ("B" → "Baik"; English "Good"); anything else as it is.
fn mutu(
    v: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let letter = v.as_str().unwrap_or_default();
    let grade = crate::domain::skm::GRADE_TABLE
        .iter()
        .map(|row| row.3)
        .find(|g| g.letter() == letter);
    Ok(match grade {
        Some(g) if indonesian(args) => g.label_id().into(),
        Some(g) => g.label_en().into(),
        None => v.clone(),
    })
}

/// Context every page starts from.
pub fn context(req: &HttpRequest, lang: Lang, user: Option<&CurrentUser>) -> Context {
    let mut c = Context::new();
    c.insert("lang", lang.code());
    c.insert("t", lang.dict_json());
    // The 95% confidence interval's short name in the page's language ("IK 95%", "95% CI").
    c.insert(
        "ci_label",
        crate::domain::format::ci_label(lang == Lang::Id),
    );
    c.insert("path", req.path());
    c.insert("offline_js", crate::web::assets::offline_js_url());
    // What the form posted just before did, when the page was reached by its redirect.
    c.insert("ok", &crate::web::flash::said(req, lang));
    let other = if lang == Lang::Id { "en" } else { "id" };
    c.insert(
        "lang_switch_url",
        &format!(
            "/lang/{other}?next={}",
            crate::web::auth::urlencode(&req.uri().to_string())
        ),
    );
    if let Some(u) = user {
        c.insert("user", u);
        c.insert("csrf", &u.csrf);
    }
    c
}

pub fn page(state: &AppState, name: &str, ctx: &Context) -> Result<HttpResponse, PageError> {
    page_with_status(state, StatusCode::OK, name, ctx)
}

pub fn page_with_status(
    state: &AppState,
    status: StatusCode,
    name: &str,
    ctx: &Context,
) -> Result<HttpResponse, PageError> {
    let body = state.tera.render(name, ctx)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_string()))
        .finish()
}

/// Renders an HTML error page for responses marked by [`PageError`], in the request's language,
/// with the request id people can quote.
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let res = next.call(req).await?;
    let status = res.status();
    if res.response().extensions().get::<ErrorPage>().is_none() {
        return Ok(res.map_into_boxed_body());
    }
    let (req, res) = res.into_parts();
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return Ok(ServiceResponse::new(req, res).map_into_boxed_body());
    };
    let lang = Lang::from_request(&req);
    let mut ctx = context(&req, lang, None);
    ctx.insert("status", &status.as_u16());
    let request_id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|r| r.to_string())
        .unwrap_or_default();
    ctx.insert("request_id", &request_id);
    if let Some(ra) = res
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|h| h.to_str().ok())
    {
        ctx.insert("retry_after", ra);
    }
    let mut builder = HttpResponse::build(status);
    for (k, v) in res.headers() {
        builder.insert_header((k.clone(), v.clone()));
    }
    let html = match state.tera.render("errors/error.html", &ctx) {
        Ok(h) => h,
        Err(e) => {
            tracing::error!(error = ?e, "error page failed to render");
            format!("<!doctype html><title>{status}</title><h1>{status}</h1><p>{request_id}</p>")
        }
    };
    let new = builder.content_type("text/html; charset=utf-8").body(html);
    Ok(ServiceResponse::new(req, new).map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn args(pairs: &[(&str, tera::Value)]) -> HashMap<String, tera::Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn filters_write_numbers_the_readers_way() {
        let id = args(&[("lang", "id".into()), ("places", 2.into())]);
        let en = args(&[("lang", "en".into()), ("places", 2.into())]);
        assert_eq!(angka(&2.705.into(), &id).unwrap(), "2,71");
        assert_eq!(angka(&2.705.into(), &en).unwrap(), "2.71");
        assert_eq!(angka(&1490.into(), &args(&[])).unwrap(), "1.490");
        assert_eq!(
            angka(&1490.into(), &args(&[("lang", "en".into())])).unwrap(),
            "1,490"
        );
        assert_eq!(persen(&0.125.into(), &id).unwrap(), "12,50%");
        assert_eq!(persen(&0.5.into(), &args(&[])).unwrap(), "50%");
        assert_eq!(nilai_p(&0.0004.into(), &id).unwrap(), "p < 0,001");
        assert_eq!(nilai_p(&0.0384.into(), &en).unwrap(), "p = 0.038");
        let bare = args(&[("lang", "id".into()), ("bare", true.into())]);
        assert_eq!(nilai_p(&0.0384.into(), &bare).unwrap(), "0,038");
        assert_eq!(nilai_p(&0.0004.into(), &bare).unwrap(), "< 0,001");
        let ci = serde_json::json!([74.123, 76.3]);
        assert_eq!(rentang(&ci, &id).unwrap(), "74,12–76,30");
        let labelled = args(&[
            ("lang", "id".into()),
            ("places", 2.into()),
            ("label", true.into()),
        ]);
        assert_eq!(rentang(&ci, &labelled).unwrap(), "IK 95% 74,12–76,30");
        assert_eq!(mutu(&"B".into(), &args(&[])).unwrap(), "Baik");
        assert_eq!(mutu(&"B".into(), &en).unwrap(), "Good");
        assert_eq!(mutu(&"Z".into(), &en).unwrap(), "Z");
    }

    #[test]
    fn element_names_in_the_readers_language() {
        assert_eq!(
            unsur(&"U7".into(), &args(&[])).unwrap(),
            "Perilaku pelaksana"
        );
        let en = args(&[("lang", "en".into())]);
        assert_eq!(unsur(&"U7".into(), &en).unwrap(), "Staff behaviour");
        let reg = args(&[("lang", "en".into()), ("regulation", true.into())]);
        assert_eq!(
            unsur(&"U1".into(), &reg).unwrap(),
            "Requirements (Persyaratan)"
        );
        assert_eq!(
            unsur(&"_IKM".into(), &en).unwrap(),
            "Community Satisfaction Index"
        );
        assert_eq!(unsur(&"X".into(), &en).unwrap(), "");
    }
}
