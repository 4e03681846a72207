//! Staff form posts and their CSRF token: every staff page `POST` refuses a missing or wrong
//! `csrf` field with 403 before its handler runs, and every such route takes the `StaffForm`
//! extractor that checks it (read from the sources, so a new route cannot forget it).
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::helpers::{Body, spawn_app};

const UNIT: &str = "disdukcapil-kota-jambi";

/// Page `POST` routes that are not staff forms: the JSON API, the login form (its own
/// cookie-bound token, before any session), citizens' forms, the language switch and Open311
/// (authenticated by its `api_key` field, never by a cookie, so no other site can forge it).
/// Routes that are not staff forms: the API (tokens), the public pages, and an employee's needs
/// page (its personal link is the credential).
const NOT_STAFF: [&str; 8] = [
    "/api", "/login", "/u/", "/track", "/lang", "/open311", "/n/", "/k/",
];

/// Every staff form route: its template as written in `#[post("…")]`, and a path to post to.
/// `/logout` comes last: its positive control ends the session.
fn staff_form_routes() -> Vec<(&'static str, String)> {
    vec![
        (
            "/staff/units/{slug}/codes",
            format!("/staff/units/{UNIT}/codes"),
        ),
        (
            "/staff/units/{slug}/survey-settings",
            format!("/staff/units/{UNIT}/survey-settings"),
        ),
        ("/staff/complaints/bulk", "/staff/complaints/bulk".into()),
        (
            "/admin/agencies/{slug}/logo",
            "/admin/agencies/pemprov-jambi/logo".into(),
        ),
        (
            "/admin/agencies/{slug}/logo/delete",
            "/admin/agencies/pemprov-jambi/logo/delete".into(),
        ),
        (
            "/staff/units/{slug}/follow-ups",
            format!("/staff/units/{UNIT}/follow-ups"),
        ),
        (
            "/staff/units/{slug}/people",
            format!("/staff/units/{UNIT}/people"),
        ),
        (
            "/staff/units/{slug}/follow-ups/draft",
            format!("/staff/units/{UNIT}/follow-ups/draft"),
        ),
        ("/staff/follow-ups/{id}", "/staff/follow-ups/1".into()),
        (
            "/staff/follow-ups/{id}/evidence",
            "/staff/follow-ups/1/evidence".into(),
        ),
        (
            "/staff/units/{slug}/reply-templates",
            format!("/staff/units/{UNIT}/reply-templates"),
        ),
        (
            "/staff/units/{slug}/reply-templates/{id}/delete",
            format!("/staff/units/{UNIT}/reply-templates/1/delete"),
        ),
        (
            "/staff/complaints/{id}",
            "/staff/complaints/SRA-NONE".into(),
        ),
        ("/planner/training/run", "/planner/training/run".into()),
        ("/planner/training/{id}", "/planner/training/1".into()),
        (
            "/admin/training/rules/{code}",
            "/admin/training/rules/uji".into(),
        ),
        ("/admin/agencies", "/admin/agencies".into()),
        (
            "/admin/agencies/{slug}/edit",
            "/admin/agencies/no-such-agency/edit".into(),
        ),
        (
            "/admin/agencies/{slug}/archive",
            "/admin/agencies/no-such-agency/archive".into(),
        ),
        ("/admin/units", "/admin/units".into()),
        (
            "/admin/units/{slug}/edit",
            "/admin/units/no-such-unit/edit".into(),
        ),
        (
            "/admin/units/{slug}/archive",
            "/admin/units/no-such-unit/archive".into(),
        ),
        (
            "/admin/units/{slug}/services",
            "/admin/units/no-such-unit/services".into(),
        ),
        (
            "/admin/units/{slug}/services/{service}/edit",
            "/admin/units/no-such-unit/services/none/edit".into(),
        ),
        (
            "/admin/units/{slug}/services/{service}/archive",
            "/admin/units/no-such-unit/services/none/archive".into(),
        ),
        ("/admin/surveys", "/admin/surveys".into()),
        (
            "/admin/surveys/{code}/versions",
            "/admin/surveys/no-such-survey/versions".into(),
        ),
        (
            "/admin/surveys/{code}/versions/{version}/publish",
            "/admin/surveys/no-such-survey/versions/1/publish".into(),
        ),
        ("/admin/surveys/assign", "/admin/surveys/assign".into()),
        ("/logout", "/logout".into()),
    ]
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `(file, route template, parameter list)` of every `#[post("/…")]` page route outside
/// [`NOT_STAFF`] under `src/`.
fn staff_post_handlers() -> Vec<(PathBuf, String, String)> {
    let mut files = vec![];
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files.sort();
    let mut out = vec![];
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        assert!(
            !text.contains(".route(") && !text.contains("web::resource("),
            "{}: routes are declared with the method macros, which this test reads",
            file.display()
        );
        let needle = "#[post(\"";
        for (i, _) in text.match_indices(needle) {
            let rest = &text[i + needle.len()..];
            let route = rest.split('"').next().unwrap().to_string();
            if NOT_STAFF.iter().any(|p| route.starts_with(p)) {
                continue;
            }
            let open = rest.find("fn ").expect("a handler follows its route");
            let params_start = open + rest[open..].find('(').expect("a parameter list");
            let params_end =
                params_start + rest[params_start..].find(") ->").expect("a return type");
            out.push((
                file.clone(),
                route,
                rest[params_start..params_end].to_string(),
            ));
        }
    }
    out
}

#[test]
fn csrf_every_staff_page_post_takes_staff_form() {
    let handlers = staff_post_handlers();
    assert!(handlers.len() >= 20, "found the page posts: {handlers:?}");
    for (file, route, params) in &handlers {
        assert!(
            params.contains("StaffForm") || params.contains("StaffUpload"),
            "{}: POST {route} takes no StaffForm, so nothing checks its CSRF token: {params}",
            file.display()
        );
        assert!(
            !params.contains("forms::Form") && !params.contains("StaffPage"),
            "{}: POST {route} reads the session or the body beside StaffForm: {params}",
            file.display()
        );
    }
    // The table below names every one of them, so each is also refused at run time.
    let in_sources: BTreeSet<&str> = handlers.iter().map(|(_, r, _)| r.as_str()).collect();
    let table = staff_form_routes();
    let in_table: BTreeSet<&str> = table.iter().map(|(r, _)| *r).collect();
    assert_eq!(
        in_sources, in_table,
        "staff form routes in src/ against the table in this test"
    );
}

/// Upload forms (`StaffUpload`) are multipart; the others urlencoded.
const UPLOAD_ROUTES: [&str; 2] = [
    "/admin/agencies/{slug}/logo",
    "/staff/follow-ups/{id}/evidence",
];

async fn post(
    app: &crate::helpers::TestApp,
    template: &str,
    path: &str,
    fields: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> crate::helpers::Resp {
    if UPLOAD_ROUTES.contains(&template) {
        let (ct, body) = crate::helpers::multipart(fields, &[]);
        app.call("POST", path, Body::Raw(&ct, body), headers).await
    } else {
        app.call("POST", path, Body::Form(fields), headers).await
    }
}

#[actix_web::test]
async fn csrf_staff_forms_without_the_session_token_are_403() {
    let app = spawn_app().await;
    let pw = app.create_user("admin@csrf.id", "admin", &[]).await;
    let s = app.login("admin@csrf.id", &pw).await;
    let cookie = [("cookie", s.cookie.as_str())];
    // Another token of the same shape: not this session's.
    let wrong: String = s
        .csrf
        .chars()
        .map(|c| if c == '0' { '1' } else { '0' })
        .collect();
    let routes = staff_form_routes();
    for (template, path) in &routes {
        for (what, body) in [
            ("missing", vec![("op", "transition"), ("count", "1")]),
            ("empty", vec![("csrf", ""), ("op", "transition")]),
            (
                "wrong",
                vec![("csrf", wrong.as_str()), ("op", "transition")],
            ),
        ] {
            let r = post(&app, template, path, &body, &cookie).await;
            assert_eq!(
                r.status, 403,
                "POST {template} with a {what} token: {}",
                r.body
            );
            assert!(
                r.header("content-type")
                    .is_some_and(|c| c.starts_with("text/html")),
                "POST {template}: the 403 page"
            );
        }
    }
    // The same session with its own token gets past the check (to whatever the handler says),
    // so the 403s above are the token's doing.
    for (template, path) in &routes {
        let r = post(&app, template, path, &[("csrf", &s.csrf)], &cookie).await;
        assert_ne!(
            r.status, 403,
            "POST {template} with the session's token: {}",
            r.body
        );
    }
    // Without a session the answer is still the login redirect, token or not.
    let r = app
        .call(
            "POST",
            "/admin/agencies",
            Body::Form(&[("csrf", &s.csrf)]),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").unwrap().starts_with("/login?next="));
}
