use crate::helpers::{Body, spawn_app};

#[actix_web::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    let h = app.get("/healthz").await;
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["status"], "ok");
    let r = app.get("/readyz").await;
    assert_eq!(r.status, 200);
    assert!(
        h.header("x-request-id").is_some_and(|id| id.len() >= 32),
        "every response carries a request id"
    );
}

#[actix_web::test]
async fn migrations_and_demo_seed_apply_on_this_engine() {
    let app = spawn_app().await;
    let units = app.get("/api/v1/units").await.json();
    let slugs: Vec<&str> = units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["slug"].as_str().unwrap())
        .collect();
    for s in [
        "rsud-raden-mattaher",
        "disdukcapil-kota-jambi",
        "dpmptsp-provinsi-jambi",
        "samsat-kota-jambi",
    ] {
        assert!(slugs.contains(&s), "{s} seeded");
    }
    let d = units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["slug"] == "disdukcapil-kota-jambi")
        .unwrap();
    assert!(
        d["services"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["slug"] == "ktp-el")
    );
    // Running the migrations again is a no-op.
    suara::bootstrap::db::migrate(&app.state.db).await.unwrap();
}

#[actix_web::test]
async fn no_demo_when_seed_is_off() {
    let app = crate::helpers::spawn_app_with(&[("SUARA_SEED_DEMO", "false")]).await;
    assert_eq!(app.get("/api/v1/units").await.json(), serde_json::json!([]));
}

#[actix_web::test]
async fn errors_are_pages_or_json_in_the_right_language() {
    let app = spawn_app().await;
    let page = app.get("/tidak-ada").await;
    assert_eq!(page.status, 404);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.body.contains("Halaman tidak ditemukan"));
    let en = app.get("/tidak-ada?lang=en").await;
    assert!(en.body.contains("Page not found"));
    let api = app.get("/api/v1/nothing").await;
    assert_eq!(api.status, 404);
    assert_eq!(api.json()["error"], "not_found");
    let switched = app.get("/lang/en?next=/u/samsat-kota-jambi").await;
    assert_eq!(switched.status, 303);
    assert_eq!(switched.cookie("lang").as_deref(), Some("en"));
    let page = app
        .get_with("/u/samsat-kota-jambi", &[("cookie", "lang=en")])
        .await;
    assert!(page.body.contains("Rate this service"));
}

#[actix_web::test]
async fn pages_are_light_and_need_no_cdn() {
    let app = spawn_app().await;
    let page = app.get("/u/disdukcapil-kota-jambi/survey").await;
    let css = app.get("/static/suara.css").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.len() + css.body.len() < 30 * 1024,
        "survey page + CSS = {} bytes",
        page.body.len() + css.body.len()
    );
    assert!(page.body.contains("width=device-width"));
    for p in [&page.body, &css.body] {
        assert!(
            !p.contains("http://") && !p.contains("https://"),
            "no external resources"
        );
    }
}

#[actix_web::test]
async fn citizen_forms_carry_the_offline_script_and_its_service_worker() {
    let app = spawn_app().await;
    for path in [
        "/u/disdukcapil-kota-jambi/survey",
        "/u/rsud-raden-mattaher/complaint",
    ] {
        let page = app.get(path).await;
        assert!(
            page.body.contains("<script src=\"/static/offline.js?v="),
            "{path}"
        );
        // Still a plain form post: the script only enhances it.
        assert!(page.body.contains("<form method=\"post\""), "{path}");
        assert!(page.body.contains(" data-offline "), "{path}");
        assert!(
            page.body.contains("role=\"status\" data-offline-status"),
            "{path}"
        );
    }
    let en = app.get("/u/disdukcapil-kota-jambi/survey?lang=en").await;
    assert!(en.body.contains("Your answers are saved on this phone"));
    let js = app.get("/static/offline.js").await;
    assert_eq!(js.status, 200);
    assert!(
        js.body.len() < 12 * 1024,
        "offline.js is {} bytes",
        js.body.len()
    );
    assert!(!js.body.contains("http://") && !js.body.contains("https://"));
    let sw = app.get("/sw.js").await;
    assert_eq!(sw.status, 200);
    assert!(
        sw.header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    // The browser must see a new worker, and the worker a new script, after a release.
    assert_eq!(sw.header("cache-control").as_deref(), Some("no-cache"));
    assert!(sw.body.contains("const SCRIPT = \"/static/offline.js?v="));
    assert!(!sw.body.contains("OFFLINE_JS_URL"));
}

#[actix_web::test]
async fn openapi_document_lists_the_endpoints() {
    let app = spawn_app().await;
    let doc = app.get("/api/openapi.json").await.json();
    for p in [
        "/api/v1/units",
        "/api/v1/admin/units",
        "/api/v1/units/{slug}/responses",
        "/api/v1/units/{slug}/ikm",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} documented");
    }
}

#[test]
fn invalid_configuration_is_a_clear_error_not_a_panic() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_suara"))
        .env("SUARA_PORT", "delapan-ribu")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("SUARA_PORT") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn cli_creates_users_and_tokens() {
    let db = std::env::temp_dir().join(format!("suara-cli-{}.db", crate::helpers::random_suffix()));
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let run = |args: &[&str], stdin: Option<&str>| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_suara"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("SUARA_LOG", "error")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(s) = stdin {
            child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
        }
        child.wait_with_output().unwrap()
    };
    let help = run(&["--help"], None);
    assert!(String::from_utf8_lossy(&help.stdout).contains("user create"));
    let seed = run(&["seed-demo"], None);
    assert!(
        seed.status.success(),
        "{}",
        String::from_utf8_lossy(&seed.stderr)
    );
    let ok = run(
        &[
            "user",
            "create",
            "--email",
            "Sup@Example.id",
            "--role",
            "supervisor",
            "--unit",
            "samsat-kota-jambi",
            "--password-stdin",
        ],
        Some("panjang-sekali-123\n"),
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let bad = run(
        &[
            "user",
            "create",
            "--email",
            "x@example.id",
            "--role",
            "supervisor",
        ],
        None,
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--unit"));
    let token = run(&["token", "create", "--email", "sup@example.id"], None);
    assert!(
        String::from_utf8_lossy(&token.stdout)
            .trim()
            .starts_with("sua_")
    );
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

#[actix_web::test]
async fn oversized_bodies_get_413() {
    let app = spawn_app().await;
    let big = vec![b'a'; 200 * 1024];
    let r = app
        .call(
            "POST",
            "/api/v1/units/samsat-kota-jambi/responses",
            Body::Raw("application/json", big),
            &[],
        )
        .await;
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["error"], "payload_too_large");
}

#[actix_web::test]
async fn pages_carry_a_content_security_policy_they_keep() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/u/samsat-kota-jambi",
        "/u/samsat-kota-jambi/poster",
        "/login",
        "/tidak-ada",
    ] {
        let r = app.get(path).await;
        let csp = r.header("content-security-policy").unwrap_or_default();
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
    }
    // The print button's handler comes from the site's own script file.
    let poster = app.get("/u/samsat-kota-jambi/poster").await;
    assert!(
        poster
            .body
            .contains("<script src=\"/static/suara.js\" defer></script>")
    );
    let js = app.get("/static/suara.js").await;
    assert_eq!(js.status, 200);
    assert!(js.body.contains("window.print()"));
    // No template relies on what the policy blocks: inline scripts, handlers, style attributes.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                // Mail clients apply no CSP and need inline styles.
                if !p.ends_with("emails") {
                    stack.push(p);
                }
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            for bad in [
                "style=",
                "<style",
                " onclick=",
                " onload=",
                " onchange=",
                "<script>",
                "javascript:",
            ] {
                assert!(!text.contains(bad), "{} contains {bad}", p.display());
            }
        }
    }
}

#[actix_web::test]
async fn every_page_has_an_icon_that_is_served() {
    let app = spawn_app().await;
    let home = app.get("/").await;
    assert!(home.body.contains("rel=\"icon\""), "{}", home.body);
    let icon = app.get("/favicon.ico").await;
    assert_eq!(icon.status, 200);
    assert_eq!(
        icon.header("content-type").as_deref(),
        Some("image/svg+xml")
    );
    assert!(icon.body.starts_with("<svg"));
}
