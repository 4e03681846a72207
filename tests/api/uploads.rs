//! The complaint form's multipart body: caps on the request and its parts, files streamed to
//! disk, memory flat under a flood.
use std::time::Duration;

use actix_web::web::Bytes;
use futures_util::stream;

use crate::helpers::{Body, multipart, spawn_app};

const RSUD: &str = "rsud-raden-mattaher";
const LONG: &str =
    "Antrean di loket pendaftaran tidak bergerak selama dua jam dan tidak ada petugas.";

/// A memory figure of this process in kB: the server under test runs in it. Tests running
/// beside this one add to it, so run it alone for a clean figure (`cargo test --test api uploads::`).
fn memory_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"))
}

fn stored_files(app: &crate::helpers::TestApp) -> usize {
    std::fs::read_dir(&app.state.settings.attachments_dir)
        .map(|d| d.count())
        .unwrap_or(0)
}

#[actix_web::test]
async fn a_225_mb_form_is_refused_with_flat_memory() {
    let app = spawn_app().await;
    let boundary = "----suarabanjir";
    // 45 file parts of 5 MB under a name the form does not use, generated as they are sent.
    let block = Bytes::from(vec![b'x'; 64 * 1024]);
    let part_blocks = 5 * 1024 * 1024 / block.len();
    let parts = 45;
    let mut pieces: Vec<Bytes> = vec![Bytes::from(format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n{LONG}\r\n"
    ))];
    for i in 0..parts {
        pieces.push(Bytes::from(format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"foto{i}\"; filename=\"f{i}.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
        )));
        pieces.extend(std::iter::repeat_n(block.clone(), part_blocks));
        pieces.push(Bytes::from_static(b"\r\n"));
    }
    pieces.push(Bytes::from(format!("--{boundary}--\r\n")));
    let total: usize = pieces.iter().map(Bytes::len).sum();
    assert!(total > 225 * 1024 * 1024);
    let body = stream::iter(pieces.into_iter().map(Ok::<_, std::convert::Infallible>));

    // A small form first, so what a first request sets up once is not counted.
    let (ct, small) = multipart(
        &[("description", LONG)],
        &[("attachments", "a.pdf", b"%PDF-1.4 x")],
    );
    let warm = app
        .client
        .post(app.url(&format!("/u/{RSUD}/complaint")))
        .insert_header(("content-type", ct))
        .send_body(small)
        .await
        .expect("the server answers");
    assert_eq!(
        warm.status().as_u16(),
        422,
        "the warm-up form misses its category"
    );
    // Peak memory from here on: 5 resets VmHWM to the current resident size.
    std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak RSS");
    let before = memory_kb("VmRSS:");
    let res = app
        .client
        .post(app.url(&format!("/u/{RSUD}/complaint")))
        .timeout(Duration::from_secs(120))
        .insert_header((
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        ))
        .send_stream(body)
        .await
        .expect("the server answers");
    let peak = memory_kb("VmHWM:");
    eprintln!(
        "225 MB form: {}, RSS before {} MB, peak {} MB",
        res.status(),
        before / 1024,
        peak / 1024
    );
    assert_eq!(res.status().as_u16(), 413);
    // The server kept ~700 MB of this body in memory before the fix; it now keeps under 20 MB.
    // The bound leaves room for the other tests that run in this process at the same time.
    assert!(
        peak.saturating_sub(before) < 120 * 1024,
        "memory grew by {} MB",
        peak.saturating_sub(before) / 1024
    );
    assert_eq!(stored_files(&app), 0, "nothing left on disk");
}

#[actix_web::test]
async fn only_three_attachments_get_the_file_allowance() {
    let app = spawn_app().await;
    let good = [
        ("kind", "pengaduan"),
        ("category", "waktu_tunggu"),
        ("description", LONG),
    ];
    let url = format!("/u/{RSUD}/complaint");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(3 * 1024 * 1024, 7);
    // A file under another name is read past, not kept as a field or a file.
    let (ct, body) = multipart(&good, &[("foto", "x.png", &png)]);
    let r = app.call("POST", &url, Body::Raw(&ct, body), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(stored_files(&app), 0);
    // A fourth attachment is refused with the form; none of the four stays on disk.
    let four = [
        ("attachments", "1.png", png.as_slice()),
        ("attachments", "2.png", png.as_slice()),
        ("attachments", "3.png", png.as_slice()),
        ("attachments", "4.png", png.as_slice()),
    ];
    let (ct, body) = multipart(&good, &four[..4]);
    let r = app.call("POST", &url, Body::Raw(&ct, body), &[]).await;
    assert_eq!(r.status, 422);
    assert_eq!(stored_files(&app), 0);
    // Three of them fit, streamed to disk whole.
    let (ct, body) = multipart(&good, &four[..3]);
    let r = app.call("POST", &url, Body::Raw(&ct, body), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let dir = &app.state.settings.attachments_dir;
    let sizes: Vec<u64> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .collect();
    assert_eq!(sizes, vec![png.len() as u64; 3]);
    // Text parts are small: a 20 KB description is refused before it is held.
    let big = "a".repeat(20 * 1024);
    let (ct, body) = multipart(&[("description", big.as_str())], &[]);
    let r = app.call("POST", &url, Body::Raw(&ct, body), &[]).await;
    assert_eq!(r.status, 413);
}
