//! Codes a person reads aloud and types from a phone: complaint tracking IDs and the units'
//! one-time survey codes share one alphabet, without 0/O or 1/I/L.
pub const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// One character of [`ALPHABET`] per random byte (31 symbols: 31⁸ ≈ 8.5 × 10¹¹ for eight).
pub fn from_random(random: &[u8]) -> String {
    random
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// Every character is one of [`ALPHABET`].
pub fn is_readable(s: &str) -> bool {
    s.bytes().all(|b| ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_map_onto_the_alphabet_by_remainder() {
        // 0 → '2', 30 → 'Z', 31 wraps to '2', 255 = 8·31 + 7 → '9'.
        assert_eq!(from_random(&[0, 30, 31, 255]), "2Z29");
        assert!(is_readable("2Z29"));
        assert!(!is_readable("O1IL"));
    }
}
