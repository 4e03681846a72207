//! The one check for every `next` the service redirects to after a form or a language switch.
//! Browsers forgive a lot in a Location header (a backslash becomes a slash, tabs and newlines
//! are dropped), so anything that could turn a path into another host is refused outright.

/// `next` when it is a path on this site: a single leading `/`, then no backslash, no control
/// or whitespace character and no second `/` right after the first, also once percent-decoded
/// (a later hop may decode it). A leading `/` already rules out a scheme (`https:`, `javascript:`).
pub fn safe_local_path(next: &str) -> Option<&str> {
    let mut form = next.to_string();
    // Twice decoded covers `%255C`; anything still encoded after that is refused.
    for _ in 0..3 {
        if !plain_local(&form) {
            return None;
        }
        // Invalid UTF-8 is replaced, which the checks then see.
        let decoded = percent_encoding::percent_decode_str(&form)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == form {
            return Some(next);
        }
        form = decoded;
    }
    None
}

fn plain_local(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && !p.chars().any(|c| c.is_control() || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::safe_local_path;

    #[test]
    fn local_paths_pass() {
        for ok in [
            "/",
            "/staff",
            "/staff/complaints?status=baru&page=2",
            "/u/rsud-jambi#form",
            "/cari?q=50%25",
            "/laporan/%E2%9C%93",
        ] {
            assert_eq!(safe_local_path(ok), Some(ok), "{ok:?}");
        }
    }

    #[test]
    fn anything_that_can_reach_another_host_is_refused() {
        for bad in [
            "",
            "staff",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/staff\\..\\x",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%255Cevil.example",
            "/%09/evil.example",
            "/%0d%0aSet-Cookie:x=1",
            "/%00",
            "https://evil.example",
            "javascript:alert(1)",
            " /staff",
            "/staff\u{7f}",
            "/staff\u{2028}",
        ] {
            assert_eq!(safe_local_path(bad), None, "{bad:?}");
        }
    }
}
