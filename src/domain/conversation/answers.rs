//! Answers as people type them: an option by its number or its words ("sesuai", "Sangat
//! mudah", with a typo or two and any accents), a wait with its unit ("45 menit", "1 jam",
//! "1,5 jam", "1 jam 30 menit"), a number with thousands dots ("15.000").

/// Lower case, accents off, inner spaces single, outer punctuation gone.
pub fn normalise(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => {
                'a'
            }
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ñ' | 'Ñ' => 'n',
            'ç' | 'Ç' => 'c',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

/// Edit distance with adjacent transpositions (optimal string alignment): "sesuia" is one
/// step from "sesuai".
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// How many typos a word of this length may carry and still be recognised.
fn slack(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Which option (0-based) `text` names: its number (1-based), its words exactly, the longest
/// option wholly inside what was typed ("sangat sesuai sekali"), or the one option within a
/// typo or two. `None` when nothing or more than one option fits.
pub fn choice(text: &str, options: &[Vec<String>]) -> Option<usize> {
    let t = expand_abbreviations(&normalise(text));
    if let Ok(n) = t.parse::<usize>() {
        return (1..=options.len()).contains(&n).then(|| n - 1);
    }
    if t.is_empty() {
        return None;
    }
    let labels: Vec<Vec<String>> = options
        .iter()
        .map(|ls| ls.iter().map(|l| normalise(l)).collect())
        .collect();
    if let Some(i) = labels.iter().position(|ls| ls.contains(&t)) {
        return Some(i);
    }
    // The longest label that appears as whole words in the text.
    let padded = format!(" {t} ");
    let mut best: Option<(usize, usize)> = None;
    for (i, ls) in labels.iter().enumerate() {
        for l in ls {
            if !l.is_empty() && padded.contains(&format!(" {l} ")) {
                let len = l.chars().count();
                match best {
                    Some((_, b)) if b >= len => {}
                    _ => best = Some((i, len)),
                }
            }
        }
    }
    if let Some((i, _)) = best {
        return Some(i);
    }
    // Within a typo or two of exactly one option.
    let near: Vec<(usize, usize)> = labels
        .iter()
        .enumerate()
        .filter_map(|(i, ls)| {
            ls.iter()
                .map(|l| distance(&t, l))
                .min()
                .filter(|d| *d <= slack(t.chars().count()))
                .map(|d| (i, d))
        })
        .collect();
    let min = near.iter().map(|(_, d)| *d).min()?;
    let at_min: Vec<usize> = near
        .iter()
        .filter(|(_, d)| *d == min)
        .map(|(i, _)| *i)
        .collect();
    (at_min.len() == 1).then(|| at_min[0])
}

/// The short forms people text ("tdk sesuai", "sgt baik") written out.
fn expand_abbreviations(t: &str) -> String {
    t.split(' ')
        .map(|w| match w {
            "tdk" | "tak" | "gak" | "nggak" | "ga" => "tidak",
            "krg" | "kurg" => "kurang",
            "sgt" | "sngt" | "sangatt" => "sangat",
            "ckp" => "cukup",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A decimal written either way ("1,5" or "1.5").
fn decimal(s: &str) -> Option<f64> {
    s.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// A wait in minutes from what was typed: a bare number is minutes; "jam"/"hour" and
/// "menit"/"mnt"/"minute" name the unit; "setengah jam" and "sejam" too.
pub fn minutes(text: &str) -> Option<i64> {
    let t = normalise(text);
    if t.is_empty() {
        return None;
    }
    let t = t
        .replace("setengah jam", "0,5 jam")
        .replace("half an hour", "0.5 hour")
        .replace("sejam", "1 jam")
        .replace("an hour", "1 hour");
    // Split "1jam" / "45mnt" into number and unit.
    let mut spaced = String::new();
    let mut prev: Option<char> = None;
    for c in t.chars() {
        if let Some(p) = prev
            && ((p.is_ascii_digit() && c.is_alphabetic())
                || (p.is_alphabetic() && c.is_ascii_digit()))
        {
            spaced.push(' ');
        }
        spaced.push(c);
        prev = Some(c);
    }
    let words: Vec<&str> = spaced.split(' ').filter(|w| !w.is_empty()).collect();
    let mut total = 0.0;
    let mut any = false;
    let mut i = 0;
    while i < words.len() {
        let Some(n) = decimal(words[i]) else {
            // Filler words between parts ("1 jam dan 30 menit", "about").
            if matches!(
                words[i],
                "dan" | "and" | "lebih" | "sekitar" | "about" | "kurang"
            ) {
                i += 1;
                continue;
            }
            return None;
        };
        let unit = words.get(i + 1).copied().unwrap_or("");
        let factor = match unit {
            "jam" | "j" | "hour" | "hours" | "hr" | "hrs" | "h" => Some(60.0),
            "menit" | "mnt" | "min" | "mins" | "minute" | "minutes" | "m" | "mn" => Some(1.0),
            _ => None,
        };
        match factor {
            Some(f) => {
                total += n * f;
                i += 2;
            }
            None if i + 1 == words.len() => {
                total += n;
                i += 1;
            }
            None => return None,
        }
        any = true;
    }
    any.then(|| total.round() as i64)
}

/// A whole number: digits with dots or spaces grouping thousands ("15.000", "Rp 15 000").
pub fn whole(text: &str) -> Option<i64> {
    let t = normalise(text);
    let t = t.strip_prefix("rp").unwrap_or(&t).trim();
    let digits: String = t.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(labels: &[&str]) -> Vec<Vec<String>> {
        labels.iter().map(|l| vec![l.to_string()]).collect()
    }

    #[test]
    fn options_by_number_words_typos_and_never_the_wrong_one() {
        let likert = opts(&["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]);
        let table = [
            ("3", Some(2)),
            (" 4 ", Some(3)),
            ("5", None),
            ("sesuai", Some(2)),
            ("SESUAI", Some(2)),
            ("Sesuai.", Some(2)),
            ("tidak sesuai", Some(0)),
            ("sangat sesuai", Some(3)),
            ("sangat  sesuai sekali", Some(3)),
            ("menurut saya kurang sesuai", Some(1)),
            ("sesuia", Some(2)),
            ("sangat sesui", Some(3)),
            ("tdk sesuai", Some(0)),
            ("sgt sesuai", Some(3)),
            ("halo", None),
            ("", None),
        ];
        for (typed, want) in table {
            assert_eq!(choice(typed, &likert), want, "{typed:?}");
        }
        let fee = opts(&["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]);
        assert_eq!(choice("gratis", &fee), Some(3));
        assert_eq!(choice("Grátis", &fee), Some(3));
        assert_eq!(choice("gratsi", &fee), Some(3));
        let easy = opts(&["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"]);
        assert_eq!(choice("sangat mudah", &easy), Some(3));
        assert_eq!(choice("Sangat Mudah!", &easy), Some(3));
        // Both languages' labels name an option.
        let both = vec![
            vec!["Buruk".to_string(), "Poor".to_string()],
            vec!["Baik".to_string(), "Good".to_string()],
        ];
        assert_eq!(choice("baik", &both), Some(1));
        assert_eq!(choice("good", &both), Some(1));
    }

    #[test]
    fn waits_with_their_units() {
        let table = [
            ("45", Some(45)),
            ("45 menit", Some(45)),
            ("45menit", Some(45)),
            ("45 mnt", Some(45)),
            ("1 jam", Some(60)),
            ("1jam", Some(60)),
            ("1,5 jam", Some(90)),
            ("1.5 jam", Some(90)),
            ("2 jam 15 menit", Some(135)),
            ("1 jam dan 30 menit", Some(90)),
            ("setengah jam", Some(30)),
            ("sejam", Some(60)),
            ("90 minutes", Some(90)),
            ("1 hour", Some(60)),
            ("lama sekali", None),
            ("", None),
        ];
        for (typed, want) in table {
            assert_eq!(minutes(typed), want, "{typed:?}");
        }
    }

    #[test]
    fn whole_numbers_with_grouping() {
        assert_eq!(whole("15.000"), Some(15_000));
        assert_eq!(whole("Rp 15.000"), Some(15_000));
        assert_eq!(whole("2"), Some(2));
        assert_eq!(whole("dua"), None);
    }

    #[test]
    fn distance_counts_a_swap_as_one() {
        assert_eq!(distance("sesuia", "sesuai"), 1);
        assert_eq!(distance("mudah", "mudah"), 0);
        assert_eq!(distance("kurang", "korang"), 1);
    }
}
