//! A survey's name, through the admin JSON API and the admin page: 3 to 200 characters once
//! trimmed, counted in characters (not bytes), stored trimmed; a refusal is a 422 naming `name`
//! with the page's own message, and leaves nothing behind. (Surveys have no rename, in the API
//! or on the page: a name is given once, at creation.)
use serde_json::{Value, json};

use crate::helpers::{Body, Session, TestApp, spawn_app};

/// (name as typed, the stored name when it is accepted)
fn cases() -> Vec<(String, Option<String>)> {
    vec![
        (String::new(), None),
        ("ab".into(), None),
        ("     ".into(), None),
        ("  ab  ".into(), None),
        ("x".repeat(201), None),
        ("é".repeat(201), None),
        ("abc".into(), Some("abc".into())),
        ("  Survei kepuasan  ".into(), Some("Survei kepuasan".into())),
        ("x".repeat(200), Some("x".repeat(200))),
        // 200 characters, 400 bytes.
        ("é".repeat(200), Some("é".repeat(200))),
        (format!("  {}  ", "y".repeat(200)), Some("y".repeat(200))),
    ]
}

fn label(name: &str) -> String {
    format!(
        "{} characters ({:?}…)",
        name.chars().count(),
        name.chars().take(12).collect::<String>()
    )
}

async fn a_definition(app: &TestApp, token: &str) -> Value {
    let list = app.get_as(token, "/api/v1/admin/surveys").await;
    assert_eq!(list.status, 200, "{}", list.body);
    list.json()[0]["versions"][0]["definition"].clone()
}

async fn survey_names(app: &TestApp, token: &str) -> Vec<(String, String)> {
    let list = app.get_as(token, "/api/v1/admin/surveys").await;
    list.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["code"].as_str().unwrap().to_string(),
                s["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn the_api_takes_a_survey_name_of_3_to_200_characters_once_trimmed() {
    let app = spawn_app().await;
    let token = app.token_user("admin@x.id", "admin", &[]).await;
    let definition = a_definition(&app, &token).await;
    let before = survey_names(&app, &token).await;
    let mut message = None;
    let mut created = vec![];

    for (i, (name, stored)) in cases().into_iter().enumerate() {
        let code = format!("survei-{i}");
        let body = json!({"code": code, "name": name, "definition": definition});
        let r = app
            .call_as(&token, "POST", "/api/v1/admin/surveys", Some(&body))
            .await;
        let why = label(&name);
        match stored {
            None => {
                assert_eq!(r.status, 422, "{why}: {}", r.body);
                let fields = r.json()["fields"].clone();
                let fields = fields.as_object().expect("fields");
                assert_eq!(
                    fields.keys().collect::<Vec<_>>(),
                    vec!["name"],
                    "{why}: only the name is wrong"
                );
                let m = fields["name"].as_str().unwrap().to_string();
                assert!(!m.is_empty());
                // One rule, one message, whichever way the name is wrong.
                assert_eq!(message.get_or_insert(m.clone()), &m, "{why}");
            }
            Some(stored) => {
                assert_eq!(r.status, 201, "{why}: {}", r.body);
                let out = r.json();
                assert_eq!(out["code"], code);
                assert_eq!(out["name"], stored, "{why}: stored trimmed");
                assert_eq!(out["versions"][0]["status"], "draft");
                created.push((code, stored));
            }
        }
    }

    // Only the accepted ones exist, with their trimmed names; a refused code is still free.
    let mut expected = before.clone();
    expected.extend(created);
    let mut now = survey_names(&app, &token).await;
    now.sort();
    expected.sort();
    assert_eq!(now, expected);
    let body = json!({"code": "survei-0", "name": "Survei yang benar", "definition": definition});
    let r = app
        .call_as(&token, "POST", "/api/v1/admin/surveys", Some(&body))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);

    // Everything wrong at once is reported at once.
    let body = json!({"code": "Bukan Kode", "name": "ab", "definition": definition});
    let r = app
        .call_as(&token, "POST", "/api/v1/admin/surveys", Some(&body))
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.json()["fields"]["code"].is_string(), "{}", r.body);
    assert!(r.json()["fields"]["name"].is_string(), "{}", r.body);
}

async fn page_create(
    app: &TestApp,
    s: &Session,
    code: &str,
    name: &str,
    def: &str,
) -> crate::helpers::Resp {
    app.call(
        "POST",
        "/admin/surveys",
        Body::Form(&[
            ("csrf", s.csrf.as_str()),
            ("code", code),
            ("name", name),
            ("definition", def),
        ]),
        &[("cookie", s.cookie.as_str())],
    )
    .await
}

/// The page and the API give the same answer for every name, with the same message.
#[actix_web::test]
async fn the_page_and_the_api_agree_on_every_name() {
    let app = spawn_app().await;
    let token = app.token_user("api-admin@x.id", "admin", &[]).await;
    let pw = app.create_user("page-admin@x.id", "admin", &[]).await;
    let session = app.login("page-admin@x.id", &pw).await;
    let definition = a_definition(&app, &token).await;
    let def_text = definition.to_string();

    for (i, (name, stored)) in cases().into_iter().enumerate() {
        let why = label(&name);
        let api_code = format!("api-{i}");
        let page_code = format!("page-{i}");
        let api = app
            .call_as(
                &token,
                "POST",
                "/api/v1/admin/surveys",
                Some(&json!({"code": api_code, "name": name, "definition": definition})),
            )
            .await;
        let page = page_create(&app, &session, &page_code, &name, &def_text).await;
        match stored {
            None => {
                assert_eq!(
                    (api.status, page.status),
                    (422, 422),
                    "{why}: {}",
                    page.body
                );
                let message = api.json()["fields"]["name"].as_str().unwrap().to_string();
                let field = &page.body[page.body.find("id=\"n-name\"").expect("the name field")..];
                let field = &field[..field.find("</div>").unwrap()];
                assert!(
                    field.contains(&format!("<p class=\"error\">{message}</p>")),
                    "{why}: the page says what the API says beside the name: {field}"
                );
                let code_field = &page.body[page.body.find("id=\"n-code\"").unwrap()..];
                let code_field = &code_field[..code_field.find("</div>").unwrap()];
                assert!(
                    !code_field.contains("class=\"error\""),
                    "{why}: {code_field}"
                );
            }
            Some(stored) => {
                assert_eq!(
                    (api.status, page.status),
                    (201, 303),
                    "{why}: {}",
                    page.body
                );
                let names = survey_names(&app, &token).await;
                for code in [&api_code, &page_code] {
                    assert!(
                        names.contains(&(code.clone(), stored.clone())),
                        "{why}: {code} stored as {stored:?}"
                    );
                }
            }
        }
    }
}
