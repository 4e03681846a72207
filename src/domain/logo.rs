//! An agency's logo, checked by content before it is kept: a PNG (by its signature) or an SVG
//! that is only a drawing — no script, no event handler, no embedded document or external
//! reference, no entity declarations. It is also only ever shown as an image (`<img>`, which
//! runs nothing) and served under a Content-Security-Policy that forbids scripts, so a drawing
//! that slipped through could still do nothing.

/// The largest logo kept.
pub const MAX_BYTES: usize = 200 * 1024;

/// The logo's content type, or the message key of what is wrong with it.
pub fn check(bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.is_empty() {
        return Err("v_required");
    }
    if bytes.len() > MAX_BYTES {
        return Err("v_logo_size");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok("image/png");
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err("v_logo_type");
    };
    let lower = text.to_ascii_lowercase();
    let start = lower.trim_start_matches('\u{feff}').trim_start();
    let looks_svg =
        (start.starts_with("<?xml") || start.starts_with("<svg") || start.starts_with("<!--"))
            && lower.contains("<svg");
    if !looks_svg {
        return Err("v_logo_type");
    }
    if unsafe_svg(&lower) {
        return Err("v_logo_unsafe");
    }
    Ok("image/svg+xml")
}

/// Whether lower-cased SVG text holds anything beyond a drawing.
fn unsafe_svg(lower: &str) -> bool {
    const FORBIDDEN: [&str; 9] = [
        "<script",
        "javascript:",
        "<foreignobject",
        "<iframe",
        "<embed",
        "<object",
        "<!entity",
        "<!doctype",
        "data:text",
    ];
    if FORBIDDEN.iter().any(|f| lower.contains(f)) {
        return true;
    }
    // An href to anything but a fragment inside the drawing (`#id`) or an inline image.
    for (i, _) in lower.match_indices("href") {
        let rest = lower[i + 4..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let value = rest.trim_start().trim_start_matches(['"', '\'']);
        if !(value.starts_with('#')
            || value.starts_with("data:image/png")
            || value.starts_with("data:image/jpeg"))
        {
            return true;
        }
    }
    // An event handler attribute: whitespace, `on`, letters, `=`.
    let b = lower.as_bytes();
    for (i, _) in lower.match_indices("on") {
        let before = if i == 0 { b' ' } else { b[i - 1] };
        if !before.is_ascii_whitespace() {
            continue;
        }
        let name_end = lower[i + 2..]
            .find(|c: char| !c.is_ascii_alphabetic())
            .map_or(lower.len(), |n| i + 2 + n);
        if name_end > i + 2 && lower[name_end..].trim_start().starts_with('=') {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRAWING: &str = r##"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/><use href="#g"/><text font="bold">Jambi</text></svg>"##;

    #[test]
    fn a_png_and_a_plain_drawing_are_kept() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend([0u8; 100]);
        assert_eq!(check(&png), Ok("image/png"));
        assert_eq!(check(DRAWING.as_bytes()), Ok("image/svg+xml"));
    }

    #[test]
    fn anything_that_could_act_is_refused() {
        for bad in [
            r#"<svg><script>alert(1)</script></svg>"#,
            r#"<svg onload="alert(1)"></svg>"#,
            r#"<svg><rect ONCLICK = "x()"/></svg>"#,
            r#"<svg><a href="javascript:alert(1)"><text>x</text></a></svg>"#,
            r#"<svg><image href="https://evil.example/x.png"/></svg>"#,
            r#"<svg><foreignObject><iframe/></foreignObject></svg>"#,
            r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg/>"#,
        ] {
            assert_eq!(check(bad.as_bytes()), Err("v_logo_unsafe"), "{bad}");
        }
    }

    #[test]
    fn other_files_and_big_ones_are_refused() {
        assert_eq!(check(b"\xFF\xD8\xFF\xE0 jpeg"), Err("v_logo_type"));
        assert_eq!(check(b"<html><body>hi</body></html>"), Err("v_logo_type"));
        assert_eq!(check(b""), Err("v_required"));
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_BYTES + 1, 0);
        assert_eq!(check(&big), Err("v_logo_size"));
    }
}
