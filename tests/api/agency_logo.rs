//! An agency's logo for the kop: an administrator uploads a PNG or a plain SVG (≤ 200 KB,
//! checked by content), a refused file says why on the same page, and the logo is served as an
//! image only (no script may run, no sniffing).
use crate::helpers::{Body, TestApp, multipart, spawn_app};

const AGENCY: &str = "pemprov-jambi";

async fn upload(
    app: &TestApp,
    s: &crate::helpers::Session,
    name: &str,
    bytes: &[u8],
) -> crate::helpers::Resp {
    let (ct, body) = multipart(&[("csrf", &s.csrf)], &[("file", name, bytes)]);
    app.call(
        "POST",
        &format!("/admin/agencies/{AGENCY}/logo"),
        Body::Raw(&ct, body),
        &[("cookie", &s.cookie)],
    )
    .await
}

#[actix_web::test]
async fn an_admin_uploads_a_logo_and_it_is_served_as_an_image_only() {
    let app = spawn_app().await;
    let pw = app.create_user("admin@jambi.id", "admin", &[]).await;
    let s = app.login("admin@jambi.id", &pw).await;
    assert_eq!(
        app.get(&format!("/agencies/{AGENCY}/logo")).await.status,
        404
    );

    // A script in an SVG, a JPEG and a big PNG are refused with a message on the page.
    let r = upload(&app, &s, "x.svg", br#"<svg onload="alert(1)"/>"#).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("SVG ini berisi skrip"), "{}", r.body);
    let r = upload(&app, &s, "x.jpg", b"\xFF\xD8\xFF\xE0 not a logo").await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("PNG atau SVG"));
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(300 * 1024, 0);
    let r = upload(&app, &s, "big.png", &big).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("200 KB"));
    // No token: 403, whatever the file.
    let (ct, body) = multipart(&[], &[("file", "x.svg", b"<svg/>")]);
    let r = app
        .call(
            "POST",
            &format!("/admin/agencies/{AGENCY}/logo"),
            Body::Raw(&ct, body),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 403);

    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0b5cad"/></svg>"##;
    let r = upload(&app, &s, "logo.svg", svg).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = app
        .get_with(
            &format!("/admin/agencies/{AGENCY}/logo?ok=agency_logo_saved"),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert!(page.body.contains("Logo disimpan."));
    assert!(
        page.body
            .contains(&format!("src=\"/agencies/{AGENCY}/logo\""))
    );
    let logo = app.get(&format!("/agencies/{AGENCY}/logo")).await;
    assert_eq!(logo.status, 200);
    assert_eq!(
        logo.header("content-type").as_deref(),
        Some("image/svg+xml")
    );
    assert_eq!(
        logo.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    let csp = logo.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("sandbox"),
        "{csp}"
    );
    assert_eq!(logo.body.as_bytes(), svg);

    // The kop of the printed SKM report of one of its units carries it.
    let report = app
        .get_with(
            "/planner/units/rsud-raden-mattaher/report",
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(report.status, 200);
    assert!(
        report.body.contains(&format!(
            "class=\"kop-logo\" src=\"/agencies/{AGENCY}/logo\""
        )),
        "{}",
        report.body
    );

    // A planner may not change it: administrators' pages are a 404 for anyone else.
    let ppw = app.create_user("plan@jambi.id", "planner", &[]).await;
    let p = app.login("plan@jambi.id", &ppw).await;
    let r = upload(&app, &p, "logo.svg", svg).await;
    assert_eq!(r.status, 404);
    // Removed, it is gone.
    let r = app
        .call(
            "POST",
            &format!("/admin/agencies/{AGENCY}/logo/delete"),
            Body::Form(&[("csrf", &s.csrf)]),
            &[("cookie", &s.cookie)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        app.get(&format!("/agencies/{AGENCY}/logo")).await.status,
        404
    );
}
