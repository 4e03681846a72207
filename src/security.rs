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
