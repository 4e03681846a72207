//! A complaint's attachment for the unit's staff: the stored bytes with the type read from
//! them at upload, never guessed by the browser (`nosniff`), images inline (the complaint page
//! shows them as thumbnails) and PDFs as downloads, in a sandbox with no scripts.
use actix_web::http::header;
use actix_web::{HttpResponse, get, web};

use crate::service::complaints::attachment_file;
use crate::web::auth::ActingApi;
use crate::web::error::ApiError;
use crate::web::state::State;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(api_attachment);
}

/// `filename="…"` with only safe ASCII, and `filename*` with the name as the citizen gave it.
fn disposition(kind: &str, filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ascii = if ascii.trim().is_empty() {
        "lampiran".to_string()
    } else {
        ascii
    };
    let utf8 = percent_encoding::utf8_percent_encode(filename, percent_encoding::NON_ALPHANUMERIC);
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{utf8}")
}

#[utoipa::path(get, path = "/api/v1/staff/complaints/{tracking_id}/attachments/{id}", tag = "staff", security(("staff" = ["admin", "supervisor"])),
    params(("tracking_id" = String, Path), ("id" = String, Path, description = "The attachment's id, from the complaint's `attachments[].url`")),
    responses((status = 200, description = "The file as uploaded: JPEG, PNG or WebP inline, PDF as a download",
            content(("image/jpeg"), ("image/png"), ("image/webp"), ("application/pdf"))),
        (status = 401), (status = 404, description = "No such attachment, or not for you (staff of the complaint's unit only)")))]
#[get("/api/v1/staff/complaints/{tracking_id}/attachments/{id}")]
pub async fn api_attachment(
    state: State,
    ActingApi(user): ActingApi,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (tracking, id) = path.into_inner();
    let (a, file) = attachment_file(&state, &user, &tracking, &id).await?;
    // At most 5 MB (the upload limit), so read whole.
    let bytes = match tokio::fs::read(&file).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ApiError::NotFound),
        Err(e) => return Err(ApiError::Internal(e.into())),
    };
    Ok(stored_file(&a.content_type, &a.filename, bytes))
}

/// A stored upload served back to staff: images inline, PDFs as a download, never sniffed,
/// never cached and sandboxed so a crafted file cannot script the desk.
pub fn stored_file(content_type: &str, filename: &str, bytes: Vec<u8>) -> HttpResponse {
    let kind = if content_type.starts_with("image/") {
        "inline"
    } else {
        "attachment"
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, disposition(kind, filename)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; img-src 'self'; sandbox",
        ))
        .body(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_disposition_that_cannot_break_the_header() {
        assert_eq!(
            super::disposition("inline", "foto antrean.png"),
            "inline; filename=\"foto antrean.png\"; filename*=UTF-8''foto%20antrean%2Epng"
        );
        assert_eq!(
            super::disposition("attachment", "\"a\";b\u{e9}.pdf"),
            "attachment; filename=\"_a__b_.pdf\"; filename*=UTF-8''%22a%22%3Bb%C3%A9%2Epdf"
        );
        assert!(super::disposition("inline", "").contains("filename=\"lampiran\""));
    }
}
