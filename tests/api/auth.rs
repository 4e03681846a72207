use crate::helpers::{Body, hidden, spawn_app};

#[actix_web::test]
async fn login_sets_a_safe_session_cookie() {
    let app = spawn_app().await;
    let pw = app
        .create_user("sup@x.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    let page = app.get("/login").await;
    let csrf = hidden(&page.body, "csrf");
    let cookie = format!("suara_csrf={}", page.cookie("suara_csrf").unwrap());
    let r = app
        .call(
            "POST",
            "/login",
            Body::Form(&[("email", "SUP@x.id"), ("password", &pw), ("csrf", &csrf)]),
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(r.status, 303);
    let set = r
        .headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("suara_session="))
        .unwrap()
        .to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    assert!(
        !set.contains("Secure"),
        "plain http base URL: no Secure flag"
    );
}

#[actix_web::test]
async fn wrong_password_and_unknown_user_look_the_same() {
    let app = spawn_app().await;
    app.create_user("sup@x.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    let mut bodies = vec![];
    for email in ["sup@x.id", "nobody@x.id"] {
        let page = app.get("/login").await;
        let csrf = hidden(&page.body, "csrf");
        let cookie = format!("suara_csrf={}", page.cookie("suara_csrf").unwrap());
        let r = app
            .call(
                "POST",
                "/login",
                Body::Form(&[
                    ("email", email),
                    ("password", "wrong-password"),
                    ("csrf", &csrf),
                ]),
                &[("cookie", &cookie)],
            )
            .await;
        assert_eq!(r.status, 401);
        assert!(r.body.contains("E-mail atau kata sandi salah."));
        bodies.push(
            r.body
                .replace(&hidden(&r.body, "csrf"), "")
                .replace(email, ""),
        );
    }
    assert_eq!(bodies[0], bodies[1]);
}

#[actix_web::test]
async fn repeated_failures_are_slowed_down() {
    let app = spawn_app().await;
    let pw = app
        .create_user("sup@x.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    let mut last = 0;
    let mut retry = None;
    for _ in 0..6 {
        let page = app.get("/login").await;
        let csrf = hidden(&page.body, "csrf");
        let cookie = format!("suara_csrf={}", page.cookie("suara_csrf").unwrap());
        let r = app
            .call(
                "POST",
                "/login",
                Body::Form(&[
                    ("email", "sup@x.id"),
                    ("password", "nope-nope"),
                    ("csrf", &csrf),
                ]),
                &[("cookie", &cookie)],
            )
            .await;
        last = r.status;
        retry = r.header("retry-after");
    }
    assert_eq!(last, 429);
    assert!(retry.unwrap().parse::<u64>().unwrap() >= 1);
    // Even the right password waits now.
    let page = app.get("/login").await;
    let csrf = hidden(&page.body, "csrf");
    let cookie = format!("suara_csrf={}", page.cookie("suara_csrf").unwrap());
    let r = app
        .call(
            "POST",
            "/login",
            Body::Form(&[("email", "sup@x.id"), ("password", &pw), ("csrf", &csrf)]),
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(r.status, 429);
}

#[actix_web::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = spawn_app().await;
    let r = app
        .call(
            "POST",
            "/login",
            Body::Form(&[("email", "a@x.id"), ("password", "x")]),
            &[],
        )
        .await;
    assert_eq!(r.status, 403);
    let pw = app.create_user("admin@x.id", "admin", &[]).await;
    let s = app.login("admin@x.id", &pw).await;
    let form = [
        ("slug", "pemkab-tebo"),
        ("name", "Pemerintah Kabupaten Tebo"),
    ];
    let r = app
        .call(
            "POST",
            "/admin/agencies",
            Body::Form(&form),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 403);
    let with = [
        ("csrf", s.csrf.as_str()),
        ("slug", "pemkab-tebo"),
        ("name", "Pemerintah Kabupaten Tebo"),
    ];
    let r = app
        .call(
            "POST",
            "/admin/agencies",
            Body::Form(&with),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 303);
    // A session cookie alone cannot change anything through the JSON API either.
    let r = app
        .call(
            "DELETE",
            "/api/v1/admin/agencies/pemkab-tebo",
            Body::None,
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 403);
    let r = app
        .call(
            "DELETE",
            "/api/v1/admin/agencies/pemkab-tebo",
            Body::None,
            &[("cookie", &s.cookie), ("x-csrf-token", &s.csrf)],
        )
        .await;
    assert_eq!(r.status, 204);
}

#[actix_web::test]
async fn bearer_tokens_authenticate_json_calls() {
    let app = spawn_app().await;
    let t = app
        .token_user("sup@x.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    let me = app.get_as(&t, "/api/v1/staff/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["role"], "supervisor");
    assert_eq!(me.json()["units"][0], "samsat-kota-jambi");
    assert_eq!(app.get("/api/v1/staff/me").await.status, 401);
    assert_eq!(
        app.get_with("/api/v1/staff/me", &[("authorization", "Bearer sua_0000")])
            .await
            .status,
        401
    );
}

#[actix_web::test]
async fn supervisors_never_see_other_units() {
    let app = spawn_app().await;
    let t = app
        .token_user("sup@x.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    assert_eq!(
        app.get_as(&t, "/api/v1/staff/units/samsat-kota-jambi")
            .await
            .status,
        200
    );
    let other = app
        .get_as(&t, "/api/v1/staff/units/rsud-raden-mattaher")
        .await;
    assert_eq!(
        other.status, 404,
        "404, not 403, so unit slugs cannot be probed"
    );
    assert_eq!(
        other.body,
        app.get_as(&t, "/api/v1/staff/units/no-such-unit")
            .await
            .body
    );
    let pw = app
        .create_user("sup2@x.id", "supervisor", &["samsat-kota-jambi"])
        .await;
    let s = app.login("sup2@x.id", &pw).await;
    assert_eq!(
        app.get_with("/staff/units/samsat-kota-jambi", &[("cookie", &s.cookie)])
            .await
            .status,
        200
    );
    assert_eq!(
        app.get_with("/staff/units/rsud-raden-mattaher", &[("cookie", &s.cookie)])
            .await
            .status,
        404
    );
    let codes = [("csrf", s.csrf.as_str()), ("count", "3")];
    let r = app
        .call(
            "POST",
            "/staff/units/rsud-raden-mattaher/codes",
            Body::Form(&codes),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        app.get_with("/admin", &[("cookie", &s.cookie)])
            .await
            .status,
        404
    );
    let dash = app.get_with("/staff", &[("cookie", &s.cookie)]).await;
    assert!(dash.body.contains("Samsat Kota Jambi") && !dash.body.contains("RSUD Raden Mattaher"));
}

#[actix_web::test]
async fn pages_need_a_session() {
    let app = spawn_app().await;
    let r = app.get("/staff/units/samsat-kota-jambi").await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location").unwrap(),
        "/login?next=/staff/units/samsat-kota-jambi"
    );
}

#[actix_web::test]
async fn an_account_under_attack_does_not_lock_out_its_office() {
    let app = spawn_app().await;
    let units = ["samsat-kota-jambi"];
    let attacked = app.create_user("a@x.id", "supervisor", &units).await;
    let colleague = app.create_user("b@x.id", "supervisor", &units).await;
    // Seven wrong passwords for one account from this address (everyone here shares it).
    let mut statuses = vec![];
    for _ in 0..7 {
        statuses.push(app.post_login("a@x.id", "salah-terus", None).await.status);
    }
    assert_eq!(&statuses[..5], &[401; 5]);
    assert_eq!(statuses[6], 429);
    let r = app.post_login("b@x.id", &colleague, None).await;
    assert_eq!(r.status, 303, "a colleague at the same address logs in");
    assert_eq!(r.header("location").as_deref(), Some("/staff"));
    let r = app.post_login("a@x.id", &attacked, None).await;
    assert_eq!(r.status, 429, "the attacked account still waits");
    assert!(r.header("retry-after").is_some());
}

#[actix_web::test]
async fn login_goes_on_only_to_a_path_on_this_site() {
    let app = spawn_app().await;
    let pw = app.create_user("sup@x.id", "supervisor", &[]).await;
    for (next, to) in [
        (
            "/staff/complaints?status=baru",
            "/staff/complaints?status=baru",
        ),
        ("/\t/evil.example", "/staff"),
        ("/%09/evil.example", "/staff"),
        ("/\\evil.example", "/staff"),
        ("/%5Cevil.example", "/staff"),
        ("//evil.example", "/staff"),
        ("/%2F/evil.example", "/staff"),
        ("https://evil.example", "/staff"),
    ] {
        let r = app.post_login("sup@x.id", &pw, Some(next)).await;
        assert_eq!(r.status, 303);
        assert_eq!(r.header("location").as_deref(), Some(to), "next={next:?}");
    }
    // The login page does not carry a bad `next` into its form either.
    let page = app.get("/login?next=/%5Cevil.example").await;
    assert_eq!(hidden(&page.body, "next").replace("&#x2F;", "/"), "/staff");
}

#[actix_web::test]
async fn the_language_switch_goes_back_only_to_this_site() {
    let app = spawn_app().await;
    for (query, to) in [
        (
            "/u/samsat-kota-jambi%3Flang%3Did%26x%3D1",
            "/u/samsat-kota-jambi?x=1",
        ),
        ("/%5Cevil.example", "/"),
        ("/%09/evil.example", "/"),
        ("/%0d%0a/evil.example", "/"),
        ("%2F%2Fevil.example", "/"),
        ("/%252F/evil.example", "/"),
        ("https://evil.example", "/"),
    ] {
        let r = app.get(&format!("/lang/en?next={query}")).await;
        assert_eq!(r.status, 303);
        assert_eq!(r.header("location").as_deref(), Some(to), "next={query}");
    }
}
