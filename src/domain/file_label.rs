//! A file as people read it: "JPEG · 440 KB", "PDF · 1,2 MB" — the kind in words, not a MIME
//! type, and the size rounded, not "449865 B".

/// The kind of a stored file, from its content type.
pub fn kind(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "JPEG",
        "image/png" => "PNG",
        "image/webp" => "WebP",
        "application/pdf" => "PDF",
        _ => "berkas",
    }
}

/// A size in KB below a megabyte (at least 1 KB), else in MB to one decimal; 1 KB = 1,000 B
/// as phones and file managers show it.
pub fn size(bytes: i64, indonesian: bool) -> String {
    let bytes = bytes.max(0) as f64;
    if bytes < 999_500.0 {
        format!("{} KB", ((bytes / 1000.0).round() as i64).max(1))
    } else {
        let mb = format!("{:.1}", bytes / 1_000_000.0);
        let mb = if indonesian { mb.replace('.', ",") } else { mb };
        format!("{mb} MB")
    }
}

/// "JPEG · 440 KB".
pub fn label(content_type: &str, bytes: i64, indonesian: bool) -> String {
    format!("{} · {}", kind(content_type), size(bytes, indonesian))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_read_as_kind_and_rounded_size() {
        assert_eq!(label("image/jpeg", 449_865, true), "JPEG · 450 KB");
        assert_eq!(label("image/png", 120, true), "PNG · 1 KB");
        assert_eq!(label("application/pdf", 1_234_567, true), "PDF · 1,2 MB");
        assert_eq!(label("application/pdf", 1_234_567, false), "PDF · 1.2 MB");
        assert_eq!(size(999_400, true), "999 KB");
        assert_eq!(size(999_600, true), "1,0 MB");
    }
}
