//! Numbers, names and printed documents as people read them (issue 22): one formatter for every
//! page ("2,71", "1.490", "IK 95%", "p < 0,001" in Bahasa Indonesia; "2.71", "1,490", "95% CI"
//! in English), element and grade names in the page's language, an alert that names only a fall
//! one can see, and the training plan printed as a document.
use crate::analytics::respond;
use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const DEMO: &str = "rsud-raden-mattaher";

/// Whether `s` holds a number written with a decimal point the English way ("2.25", "79.6"):
/// a digit, a point, then one, two or four and more digits ("1.490" groups thousands).
fn point_decimal(s: &str) -> Option<String> {
    decimal_with(s, '.')
}

/// Whether `s` holds a number with a decimal comma ("2,25"), which an English page never shows.
fn comma_decimal(s: &str) -> Option<String> {
    decimal_with(s, ',')
}

fn decimal_with(s: &str, mark: char) -> Option<String> {
    let c: Vec<char> = s.chars().collect();
    for (at, w) in c.windows(3).enumerate() {
        if w[1] == mark && w[0].is_ascii_digit() && w[2].is_ascii_digit() {
            let i = at + 1;
            let digits = c[i + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
            if digits != 3 {
                let from = i.saturating_sub(12);
                return Some(c[from..(i + 12).min(c.len())].iter().collect());
            }
        }
    }
    None
}

/// The text of every `<li>` and `<p class="notice…">` of a page: the sentences built in Rust.
fn sentences(html: &str) -> Vec<String> {
    let mut out = vec![];
    for open in ["<li>", "<li class=\"muted\">", "<p class=\"notice"] {
        for part in html.split(open).skip(1) {
            let end = part.find("</").unwrap_or(part.len());
            out.push(part[..end].to_string());
        }
    }
    out
}

#[test]
fn the_decimal_detector_by_hand() {
    assert_eq!(point_decimal("1.490 pegawai, 3,65"), None);
    assert!(point_decimal("n = 80, 2.25").is_some());
    assert!(point_decimal("79.6 (B)").is_some());
    assert_eq!(comma_decimal("U1, U2: 3.65; 1,490"), None);
    assert!(comma_decimal("3,65").is_some());
}

async fn planner(app: &TestApp) -> Vec<(&'static str, String)> {
    let pw = app.create_user("plan@bkd.id", "planner", &[]).await;
    let s = app.login("plan@bkd.id", &pw).await;
    vec![("cookie", s.cookie)]
}

async fn page(app: &TestApp, cookie: &[(&'static str, String)], path: &str) -> String {
    let headers: Vec<(&str, &str)> = cookie.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.get_with(path, &headers).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

#[actix_web::test]
async fn planner_pages_write_numbers_and_names_in_the_readers_language() {
    let app = spawn_app_with(&[("SUARA_SEED_DEMO_HISTORY", "true")]).await;
    let c = planner(&app).await;
    let token = app.token_user("plan2@bkd.id", "planner", &[]).await;
    let a = app
        .get_as(&token, &format!("/api/v1/analytics/units/{DEMO}"))
        .await
        .json();
    let n = a["total"]["responses"].as_i64().unwrap();
    assert!(n >= 1000, "the demo unit has a year of answers: {n}");
    let ikm = a["total"]["ikm"]["converted"].as_f64().unwrap();

    // The unit's page in Bahasa Indonesia: "1.895 responden", "IKM 79,60 (B Baik)".
    let id = page(&app, &c, &format!("/planner/units/{DEMO}?lang=id")).await;
    let said = |x: f64, places, indonesian| suara::domain::format::decimal(x, places, indonesian);
    assert!(
        id.contains(&format!(
            "{} responden",
            suara::domain::format::whole(n, true)
        )),
        "responses grouped with a dot"
    );
    let grade = a["total"]["ikm"]["grade"].as_str().unwrap().to_string();
    let (label_id, label_en) = suara::domain::skm::GRADE_TABLE
        .iter()
        .find(|g| g.3.letter() == grade)
        .map(|g| (g.3.label_id(), g.3.label_en()))
        .unwrap();
    assert!(
        id.contains(&format!(
            "IKM <strong>{}</strong> ({grade} {label_id})",
            said(ikm, 2, true)
        )),
        "{id}"
    );
    assert!(id.contains("interval kepercayaan 95% (IK 95%)"));
    assert!(!id.contains("95% CI") && !id.contains("selang kepercayaan"));
    assert!(id.contains("<abbr title=\"Perilaku pelaksana\">U7</abbr>"));
    for s in sentences(&id) {
        assert_eq!(
            point_decimal(&s),
            None,
            "a decimal point on an Indonesian page: {s}"
        );
    }
    // The nine elements as small multiples: one accessible chart each, with its name whole.
    assert_eq!(id.matches("<figure class=\"multiple").count(), 9);
    assert!(id.contains("<title>U8 Penanganan pengaduan, saran dan masukan</title>"));
    assert!(
        id.matches("<desc>").count() >= 11,
        "every chart says its figures"
    );

    // In English: "1,895 respondents", "79.60 (B Good)", element names in English.
    let en = page(&app, &c, &format!("/planner/units/{DEMO}?lang=en")).await;
    assert!(en.contains(&format!(
        "{} respond",
        suara::domain::format::whole(n, false)
    )));
    assert!(
        en.contains(&format!(
            "IKM <strong>{}</strong> ({grade} {label_en})",
            said(ikm, 2, false)
        )),
        "{en}"
    );
    assert!(en.contains("<abbr title=\"Staff behaviour\">U7</abbr>"));
    assert!(en.contains("U7 Staff behaviour") && en.contains("U1 Requirements"));
    assert!(en.contains("95% CI") && !en.contains("IK 95%"));
    assert!(
        !en.contains("Perilaku pelaksana"),
        "no Indonesian element name on the English page"
    );
    for s in sentences(&en) {
        assert_eq!(
            comma_decimal(&s),
            None,
            "a decimal comma on an English page: {s}"
        );
    }

    // The overview's column and the official report.
    let o = page(&app, &c, "/planner?lang=id").await;
    assert!(o.contains("IKM (IK 95%)") && !o.contains("95% CI"));
    let o = page(&app, &c, "/planner?lang=en").await;
    assert!(o.contains("IKM (95% CI)"));
    let r = page(&app, &c, &format!("/planner/units/{DEMO}/report?lang=id")).await;
    assert!(r.contains(&format!(
        "IKM konversi = <strong>{}</strong> (IK 95% ",
        said(ikm, 2, true)
    )));
    assert!(r.contains(&format!("<strong>{grade} ({label_id})</strong>")));
    assert!(r.contains("88,31 – 100,00") && !r.contains("95% CI"));
    assert!(r.contains("<td>Perilaku pelaksana</td>"));
    let r = page(&app, &c, &format!("/planner/units/{DEMO}/report?lang=en")).await;
    assert!(r.contains(&format!(
        "IKM konversi = <strong>{}</strong> (95% CI ",
        said(ikm, 2, false)
    )));
    assert!(r.contains(&format!("<strong>{grade} ({label_en})</strong>")));
    assert!(
        r.contains("<td>Staff behaviour (Perilaku pelaksana)</td>"),
        "the English name, the regulation's after it"
    );
    assert!(r.contains("88.31 – 100.00") && !r.contains("IK 95%"));
    // The report's chart wraps a long name instead of cutting it.
    assert!(r.contains(">U8 Handling of complaints,") && !r.contains("saran dan ma<"));

    // Training: the evidence and the priority in the reader's language and numbers.
    let list = page(&app, &c, "/planner/training?lang=id").await;
    assert!(
        list.contains("IK 95%") && !list.contains("95% CI"),
        "{list}"
    );
    for s in sentences(&list) {
        assert_eq!(point_decimal(&s), None, "{s}");
    }
    let list = page(&app, &c, "/planner/training?lang=en").await;
    assert!(list.contains("95% CI") && !list.contains("IK 95%"));
    for s in sentences(&list) {
        assert_eq!(comma_decimal(&s), None, "{s}");
    }
    let done = app
        .get_as(&token, "/api/v1/training/recommendations?status=completed")
        .await
        .json();
    let measured = done
        .as_array()
        .unwrap()
        .iter()
        .find(|r| !r["impact"].is_null())
        .expect("the demo has a measured training");
    let path = format!("/planner/training/{}", measured["id"]);
    let d = page(&app, &c, &format!("{path}?lang=en")).await;
    assert!(
        d.contains("Priority ") && !d.contains("Prioritas "),
        "the priority explanation in English, in the history too: {d}"
    );
    assert!(!d.contains("keparahan") && !d.contains("signifikan"));
    assert!(
        d.contains(" participants × ") && !d.contains(" peserta × "),
        "the logged schedule in English"
    );
    let d = page(&app, &c, &format!("{path}?lang=id")).await;
    assert!(d.contains("Prioritas ") && d.contains("keparahan"));
}

#[actix_web::test]
async fn the_training_plan_prints_as_a_document() {
    let app = spawn_app_with(&[("SUARA_SEED_DEMO_HISTORY", "true")]).await;
    let c = planner(&app).await;
    let p = page(
        &app,
        &c,
        "/planner/training/plan?lang=id&office=Badan+Kepegawaian+Daerah+Provinsi+Jambi&position=Kepala+Bidang+Pengembangan+Kompetensi&head=Dr.+Siti+Aminah&nip=197806122005012003&date=2026-04-06",
    )
    .await;
    // The letterhead and the signature print only; the filters and the forms show only on screen.
    let kop = p
        .split("<div class=\"print-only\">")
        .nth(1)
        .expect("a print-only letterhead");
    assert!(kop.trim_start().starts_with("<header class=\"kop\">"));
    assert!(kop.contains("BADAN KEPEGAWAIAN DAERAH PROVINSI JAMBI"));
    let sign = p
        .split("<div class=\"print-only\">")
        .nth(2)
        .expect("a print-only signature");
    for s in [
        "class=\"signature",
        "Jambi, Senin, 6 April 2026",
        "Kepala Bidang Pengembangan Kompetensi",
        "Dr. Siti Aminah",
        "NIP 197806122005012003",
    ] {
        assert!(sign.contains(s), "{s}: {sign}");
    }
    assert!(
        p.contains(
            "<form method=\"get\" action=\"/planner/training/plan\" class=\"card noprint filters\">"
        ),
        "the filter form is screen-only"
    );
    // Numbers grouped the Indonesian way ("1.490 pegawai").
    let staff = p
        .split("<strong>Total:</strong>")
        .nth(1)
        .and_then(|s| s.split(" pegawai").next())
        .and_then(|s| s.rsplit(" · ").next())
        .unwrap_or_default()
        .to_string();
    assert!(staff.contains('.'), "staff total written {staff:?}");
    // Without a typed office the letterhead names the plan's agencies.
    let bare = page(&app, &c, "/planner/training/plan?lang=id").await;
    assert!(bare.contains("PEMERINTAH PROVINSI JAMBI"), "{bare}");
    // The style sheet hides the print-only parts on screen and the screen-only ones in print.
    let css = app.get("/static/suara.css").await.body;
    let block = css
        .split("/* planner pages and print (issue 22) */")
        .nth(1)
        .expect("the issue-22 block");
    assert!(block.contains(".print-only{display:none}"));
    let print = block.split("@media print{").nth(1).unwrap();
    assert!(
        print.contains(".noprint,.filters.noprint") && print.contains("display:none!important")
    );
    assert!(print.contains(".print-only{display:block}"));
}

/// U3 (waktu penyelesaian) of the demo unit per month, from whole answers: `fours` 4s and the
/// rest 3s, every other element 3.
async fn month(app: &TestApp, day: &str, n: usize, fours: usize) {
    for i in 0..n {
        let mut u = [3; 9];
        u[2] = if i < fours { 4 } else { 3 };
        respond(app, day, u, 30, 1).await;
    }
}

#[actix_web::test]
async fn a_fall_in_a_row_is_named_only_when_it_shows() {
    let app = spawn_app().await;
    let c = planner(&app).await;
    let token = app.token_user("plan2@bkd.id", "planner", &[]).await;
    // U3 by hand: January 35/10 = 3.50; February 69/20 = 3.45; March 100/29 = 3.4483, read
    // 3,45: the mean fell twice, but the last fall does not show at two decimals.
    month(&app, "2026-01-10", 10, 5).await;
    month(&app, "2026-02-10", 20, 9).await;
    month(&app, "2026-03-10", 29, 13).await;
    let unit = "disdukcapil-kota-jambi";
    let q = "from=2026-01-01&to=2026-03-31&by=month";
    let a = app
        .get_as(&token, &format!("/api/v1/analytics/units/{unit}?{q}"))
        .await
        .json();
    let u3 = a["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "U3")
        .unwrap()
        .clone();
    assert!((u3["to_mean"].as_f64().unwrap() - 100.0 / 29.0).abs() < 1e-9);
    assert_eq!(u3["consecutive_declines"], 0, "{u3}");
    assert!(u3["decline_from_period"].is_null());
    let p = page(&app, &c, &format!("/planner/units/{unit}?{q}&lang=id")).await;
    assert!(!p.contains("turun berturut-turut 2×"), "{p}");
    // April 68/20 = 3.40 and May 66/20 = 3.30: 3,45 → 3,40 → 3,30, each visible, 0.15 in
    // all (at least 0.05): two in a row since March.
    month(&app, "2026-04-10", 20, 8).await;
    month(&app, "2026-05-10", 20, 6).await;
    let q = "from=2026-01-01&to=2026-05-31&by=month";
    let a = app
        .get_as(&token, &format!("/api/v1/analytics/units/{unit}?{q}"))
        .await
        .json();
    let u3 = a["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "U3")
        .unwrap()
        .clone();
    assert_eq!(u3["consecutive_declines"], 2, "{u3}");
    assert_eq!(u3["decline_from_period"], "2026-03");
    let p = page(&app, &c, &format!("/planner/units/{unit}?{q}&lang=id")).await;
    assert!(
        p.contains(
            "U3 Waktu penyelesaian: 3,40 → 3,30 (2026-04 → 2026-05) · turun berturut-turut 2× (sejak 2026-03: 3,45 → 3,30)"
        ),
        "{p}"
    );
    let p = page(&app, &c, &format!("/planner/units/{unit}?{q}&lang=en")).await;
    assert!(
        p.contains(
            "U3 Completion time: 3.40 → 3.30 (2026-04 → 2026-05) · fell in a row 2× (since 2026-03: 3.45 → 3.30)"
        ),
        "{p}"
    );
}
