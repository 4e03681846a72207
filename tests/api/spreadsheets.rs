//! Spreadsheets for people, read back: the complaint queue and a unit's raw responses as
//! `.xlsx` open with Indonesian headers, WIB times and dates as real date cells, numbers as
//! numbers, and text that looks like a formula stored as text (no formula cell anywhere).
use std::io::Read;

use serde_json::json;

use crate::helpers::spawn_app;

const UNIT: &str = "disdukcapil-kota-jambi";

/// (sheet XML, styles XML) of the workbook's first sheet.
fn unpack(bytes: &[u8]) -> (String, String) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} in the workbook"))
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    (part("xl/worksheets/sheet1.xml"), part("xl/styles.xml"))
}

/// The `<c …>…</c>` element of cell `r` (e.g. `K2`).
fn cell<'a>(sheet: &'a str, r: &str) -> &'a str {
    let start = sheet
        .find(&format!("<c r=\"{r}\""))
        .unwrap_or_else(|| panic!("no cell {r}"));
    let end = start + sheet[start..].find("</c>").expect("cell closes") + 4;
    &sheet[start..end]
}

/// The id of the cell style whose number format is `code`, as the `s` attribute names it.
fn style_with(styles: &str, code: &str) -> String {
    let fmt_id = styles
        .split("<numFmt ")
        .skip(1)
        .find(|f| f.contains(&format!("formatCode=\"{code}\"")))
        .and_then(|f| f.split("numFmtId=\"").nth(1))
        .and_then(|f| f.split('"').next())
        .unwrap_or_else(|| panic!("no number format {code} in {styles}"))
        .to_string();
    let xfs = styles
        .split("<cellXfs")
        .nth(1)
        .and_then(|x| x.split("</cellXfs>").next())
        .unwrap();
    let i = xfs
        .split("<xf ")
        .skip(1)
        .position(|xf| xf.contains(&format!("numFmtId=\"{fmt_id}\"")))
        .expect("a style uses the format");
    i.to_string()
}

#[actix_web::test]
async fn the_complaint_queue_opens_in_excel_in_indonesian() {
    let app = spawn_app().await;
    let r = app
        .post_json(
            "/api/v1/complaints",
            &json!({"unit": UNIT, "kind": "pengaduan", "category": "waktu_tunggu",
                "description": "=HYPERLINK(\"http://x\") antrean tidak dipanggil sejak pagi."}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let tracking = r.json()["tracking_id"].as_str().unwrap().to_string();
    let t = app
        .token_user("kasi@disdukcapil.id", "supervisor", &[UNIT])
        .await;
    let x = app.get_as(&t, "/api/v1/staff/complaints?format=xlsx").await;
    assert_eq!(x.status, 200, "{}", x.body);
    assert!(
        x.header("content-type")
            .unwrap()
            .starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    let bytes = app
        .client_bytes(&t, "/api/v1/staff/complaints?format=xlsx")
        .await;
    let (sheet, styles) = unpack(&bytes);
    assert!(!sheet.contains("<f>"), "no formula cells: {sheet}");
    for header in [
        "ID pelacakan",
        "Unit layanan",
        "Diterima (WIB)",
        "Tenggat penyelesaian",
    ] {
        assert!(
            sheet.contains(&format!(">{header}<")),
            "{header} in {sheet}"
        );
    }
    // Row 2 is the complaint: words, not codes.
    assert!(cell(&sheet, "A2").contains(&tracking));
    assert!(
        cell(&sheet, "B2").contains("Dinas Kependudukan"),
        "{}",
        cell(&sheet, "B2")
    );
    assert!(
        cell(&sheet, "C2").contains("Pengaduan"),
        "{}",
        cell(&sheet, "C2")
    );
    assert!(
        cell(&sheet, "E2").contains("Diterima"),
        "{}",
        cell(&sheet, "E2")
    );
    // Received: a number styled as a date and time; the deadline a date.
    let datetime = style_with(&styles, "dd/mm/yyyy hh:mm");
    let date = style_with(&styles, "dd/mm/yyyy");
    let k2 = cell(&sheet, "K2");
    assert!(k2.contains(&format!("s=\"{datetime}\"")), "{k2}");
    let serial: f64 = k2
        .split("<v>")
        .nth(1)
        .and_then(|v| v.split('<').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(serial > 46000.0, "an Excel date serial: {serial}");
    assert!(cell(&sheet, "P2").contains(&format!("s=\"{date}\"")));
    // The formula-looking description is a text cell, as typed.
    let q2 = cell(&sheet, "Q2");
    assert!(
        q2.contains("t=\"inlineStr\"") || q2.contains("t=\"s\""),
        "{q2}"
    );
    assert!(q2.contains("<t>=HYPERLINK(\"http://x\") antrean"), "{q2}");
}

#[actix_web::test]
async fn a_units_responses_open_in_excel_with_numbers_and_dates() {
    let app = spawn_app().await;
    let r = app
        .post_json(
            &format!("/api/v1/units/{UNIT}/responses"),
            &json!({"answers": {"U1": 4, "U2": 3, "U3": 4, "U4": 4, "U5": 4, "U6": 4, "U7": 4, "U8": 4, "U9": 4,
                                "WAIT_MIN": 45},
                    "service": "ktp-el", "channel": "qr"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let t = app.token_user("perencana@bappeda.id", "planner", &[]).await;
    let bytes = app
        .client_bytes(&t, &format!("/api/v1/units/{UNIT}/responses?format=xlsx"))
        .await;
    let (sheet, styles) = unpack(&bytes);
    assert!(!sheet.contains("<f>"));
    for header in [
        "No. jawaban",
        "Tanggal",
        "U1 Persyaratan",
        "Nilai IKM (25–100)",
    ] {
        assert!(
            sheet.contains(&format!(">{header}<")),
            "{header} in {sheet}"
        );
    }
    let date = style_with(&styles, "dd/mm/yyyy");
    // The last row is the response just made: a date cell, the channel by name, numbers.
    let last_row = sheet.matches("<row ").count();
    let b = cell(&sheet, &format!("B{last_row}"));
    assert!(b.contains(&format!("s=\"{date}\"")), "{b}");
    assert!(cell(&sheet, &format!("F{last_row}")).contains(">QR<"));
    let u2 = cell(&sheet, &format!("H{last_row}"));
    assert!(u2.contains("<v>3</v>") && !u2.contains("t=\""), "{u2}");
    let bad = app
        .get_as(&t, &format!("/api/v1/units/{UNIT}/responses?format=ods"))
        .await;
    assert_eq!(bad.status, 422);
}
