//! How alike two complaint descriptions are: the Jaccard index of their word sets (lowercased
//! words of at least three letters), used to suggest duplicates to a supervisor.
use std::collections::BTreeSet;

/// Below this a pair is not worth suggesting.
pub const DUPLICATE_THRESHOLD: f64 = 0.2;
/// At most this many suggestions per complaint.
pub const MAX_SUGGESTIONS: usize = 5;

/// The distinct lowercased words of at least three letters (or digits).
pub fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

/// |A ∩ B| / |A ∪ B| of the two texts' word sets; 0 when both are empty.
pub fn jaccard(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    let union = a.union(&b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / union as f64
}

/// The candidates (id, text) at or above the threshold, most similar first (ties: lower id
/// first), at most [`MAX_SUGGESTIONS`].
pub fn rank<K: Copy + Ord>(text: &str, candidates: &[(K, &str)]) -> Vec<(K, f64)> {
    let mut out: Vec<(K, f64)> = candidates
        .iter()
        .map(|(k, t)| (*k, jaccard(text, t)))
        .filter(|(_, s)| *s >= DUPLICATE_THRESHOLD)
        .collect();
    out.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    out.truncate(MAX_SUGGESTIONS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_deduplicated_and_at_least_three_letters() {
        let w = words("Antrian di LOKET 3 lama, antrian panjang!");
        let v: Vec<&str> = w.iter().map(String::as_str).collect();
        assert_eq!(v, ["antrian", "lama", "loket", "panjang"]);
    }

    #[test]
    fn jaccard_by_hand() {
        // {antrian, loket, lama} vs {antrian, loket, panjang}: 2 shared of 4 → 0.5
        assert_eq!(jaccard("antrian loket lama", "Antrian LOKET panjang"), 0.5);
        // identical sets → 1
        assert_eq!(jaccard("lama sekali", "sekali lama lama"), 1.0);
        // nothing shared → 0
        assert_eq!(jaccard("petugas kasar", "toilet kotor"), 0.0);
        // short words only → both empty → 0
        assert_eq!(jaccard("di ke", "di ke"), 0.0);
        // {aaa, bbb, ccc, ddd, eee} vs {aaa, fff, ggg, hhh, iii}: 1 of 9
        assert!((jaccard("aaa bbb ccc ddd eee", "aaa fff ggg hhh iii") - 1.0 / 9.0).abs() < 1e-9);
    }

    #[test]
    fn rank_keeps_above_threshold_best_first_at_most_five() {
        let text = "antrian loket lama";
        let c = [
            (1, "toilet kotor"),                // 0
            (2, "antrian loket panjang"),       // 0.5
            (3, "antrian loket lama"),          // 1
            (4, "antrian parkir toilet kotor"), // 1/6 < 0.2
            (5, "antrian loket panjang"),       // 0.5, tie → after 2
        ];
        assert_eq!(rank(text, &c), vec![(3, 1.0), (2, 0.5), (5, 0.5)]);
        let many: Vec<(i32, &str)> = (0..8).map(|i| (i, text)).collect();
        assert_eq!(rank(text, &many).len(), MAX_SUGGESTIONS);
    }
}
