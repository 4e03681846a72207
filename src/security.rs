//! Pure secrets handling: argon2 password hashes, random tokens, token hashes and a
//! constant-time comparison. No HTTP and no SQL, so both `web` and `store` may use it.
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use sha2::{Digest, Sha256};

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).expect("the operating system provides randomness");
    hex(&buf)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// The HMAC-SHA256 of `body` keyed by `secret`, in hex (how Meta signs its webhooks).
pub fn hmac_sha256_hex(secret: &[u8], body: &[u8]) -> String {
    use hmac::{KeyInit, Mac};
    // HMAC takes a key of any length, so this never fails.
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts any key");
    mac.update(body);
    hex(&mac.finalize().into_bytes())
}

/// Whether `signature` (hex, as in `X-Hub-Signature-256: sha256=<hex>`) is the HMAC-SHA256 of
/// `body` keyed by `secret`; the comparison takes the same time wherever the first mismatch is.
pub fn hmac_sha256_matches(secret: &[u8], body: &[u8], signature: &str) -> bool {
    let expected = hmac_sha256_hex(secret, body);
    constant_time_eq(
        expected.as_bytes(),
        signature.trim().to_ascii_lowercase().as_bytes(),
    )
}

/// Letters and digits no one misreads on a receipt or a phone (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A complaint's reopen code, `XXXX-XXXX`: derived from the server's key and the tracking ID, so
/// every node gives the same code and nothing new is stored per complaint. The tracking ID is
/// public; the code (about 39 bits, behind the public rate limit) is what only the citizen got.
pub fn reopen_code(key: &[u8], tracking_id: &str) -> String {
    use hmac::{KeyInit, Mac};
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key");
    mac.update(b"reopen:");
    mac.update(tracking_id.as_bytes());
    let digest = mac.finalize().into_bytes();
    let chars: String = digest[..8]
        .iter()
        .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

/// Whether `given` is the complaint's reopen code, however it was typed (case, spaces, dashes).
pub fn reopen_code_matches(key: &[u8], tracking_id: &str, given: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    constant_time_eq(
        norm(&reopen_code(key, tracking_id)).as_bytes(),
        norm(given).as_bytes(),
    )
}

pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Verifying against this when the e-mail is unknown keeps the answer time the same either way.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("not a real password").expect("hashing works"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reopen_codes_are_stable_per_complaint_and_forgiving_to_type() {
        let key = b"server-key";
        let code = reopen_code(key, "SUA-2026-ABCDEF");
        assert_eq!(
            code,
            reopen_code(key, "SUA-2026-ABCDEF"),
            "same on every node"
        );
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
        assert!(
            code.bytes()
                .filter(|b| *b != b'-')
                .all(|b| CODE_ALPHABET.contains(&b))
        );
        assert_ne!(code, reopen_code(key, "SUA-2026-ABCDEG"), "per complaint");
        assert_ne!(
            code,
            reopen_code(b"other-key", "SUA-2026-ABCDEF"),
            "per server"
        );
        assert!(reopen_code_matches(key, "SUA-2026-ABCDEF", &code));
        let typed = format!(" {} ", code.replace('-', " ").to_lowercase());
        assert!(reopen_code_matches(key, "SUA-2026-ABCDEF", &typed));
        assert!(!reopen_code_matches(key, "SUA-2026-ABCDEG", &code));
        assert!(!reopen_code_matches(key, "SUA-2026-ABCDEF", ""));
        assert!(!reopen_code_matches(key, "SUA-2026-ABCDEF", &code[..8]));
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2_and_nothing_else() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        let sig = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assert!(hmac_sha256_matches(
            b"Jefe",
            b"what do ya want for nothing?",
            sig
        ));
        assert!(hmac_sha256_matches(
            b"Jefe",
            b"what do ya want for nothing?",
            &sig.to_uppercase()
        ));
        assert!(!hmac_sha256_matches(
            b"Jefe",
            b"what do ya want for nothing!",
            sig
        ));
        assert!(!hmac_sha256_matches(
            b"jefe",
            b"what do ya want for nothing?",
            sig
        ));
        assert!(!hmac_sha256_matches(
            b"Jefe",
            b"what do ya want for nothing?",
            ""
        ));
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("rahasia-123").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("rahasia-123", &h));
        assert!(!verify_password("rahasia-124", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
