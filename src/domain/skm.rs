//! SKM scoring per PermenPANRB 14/2017: NRR, IKM, conversion, grade; Krejcie–Morgan sample size.

/// The nine elements, by code; display order may differ (the model questionnaire asks U9 before U8).
pub const ELEMENT_CODES: [&str; 9] = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"];

/// The unsur's name in the regulation.
pub fn element_name(code: &str) -> &'static str {
    match code {
        "U1" => "Persyaratan",
        "U2" => "Sistem, mekanisme, dan prosedur",
        "U3" => "Waktu penyelesaian",
        "U4" => "Biaya/tarif",
        "U5" => "Produk spesifikasi jenis pelayanan",
        "U6" => "Kompetensi pelaksana",
        "U7" => "Perilaku pelaksana",
        "U8" => "Penanganan pengaduan, saran dan masukan",
        "U9" => "Sarana dan prasarana",
        _ => "",
    }
}

/// The element's name in English (pages and files in English; the regulation's Indonesian name
/// may follow in parentheses).
pub fn element_name_en(code: &str) -> &'static str {
    match code {
        "U1" => "Requirements",
        "U2" => "Systems, mechanisms and procedures",
        "U3" => "Completion time",
        "U4" => "Costs/fees",
        "U5" => "Service products",
        "U6" => "Staff competence",
        "U7" => "Staff behaviour",
        "U8" => "Handling of complaints, suggestions and feedback",
        "U9" => "Facilities and infrastructure",
        _ => "",
    }
}

/// What a code the rules and the rollups use names: an element, or the index itself (`IKM`, and
/// `_IKM` as the rollups store it). Empty for anything else.
pub fn measure_name(code: &str) -> &'static str {
    match code.trim_start_matches('_') {
        "IKM" => "Indeks Kepuasan Masyarakat",
        c => element_name(c),
    }
}

/// Mean of the answers given (unanswered not counted). `None` with no answers.
pub fn nrr(sum: f64, n: u64) -> Option<f64> {
    (n > 0).then(|| sum / n as f64)
}

/// IKM = Σ NRR × weight. Elements with no answers in the period are left out and the remaining
/// weights rescaled to sum to 1, so a missing element neither counts as zero nor inflates the
/// result. `None` when no element has answers.
pub fn ikm(elements: &[(f64 /* weight */, Option<f64> /* nrr */)]) -> Option<f64> {
    let total_weight: f64 = elements
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(w, _)| w)
        .sum();
    if total_weight <= 0.0 {
        return None;
    }
    Some(
        elements
            .iter()
            .filter_map(|(w, v)| v.map(|v| v * w))
            .sum::<f64>()
            / total_weight,
    )
}

/// IKM on the 25–100 scale.
pub fn converted(ikm: f64) -> f64 {
    ikm * 25.0
}

/// Round to two decimals the way a person working by hand does (half up); only for display and
/// grading. The tiny offset undoes binary representation error (88.305 is stored as 88.30499…).
pub fn round2(x: f64) -> f64 {
    ((x * 100.0) + 1e-9).round() / 100.0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

impl Grade {
    pub fn letter(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
        }
    }
    /// Mutu pelayanan, as the regulation names it.
    pub fn label_id(self) -> &'static str {
        match self {
            Grade::A => "Sangat Baik",
            Grade::B => "Baik",
            Grade::C => "Kurang Baik",
            Grade::D => "Tidak Baik",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Grade::A => "Very good",
            Grade::B => "Good",
            Grade::C => "Poor",
            Grade::D => "Very poor",
        }
    }
}

/// The regulation's table (PermenPANRB 14/2017, lampiran): perception value, IKM interval,
/// converted interval, grade — printed in every official report.
pub const GRADE_TABLE: [(u8, &str, &str, Grade); 4] = [
    (1, "1,00 – 2,5996", "25,00 – 64,99", Grade::D),
    (2, "2,60 – 3,064", "65,00 – 76,60", Grade::C),
    (3, "3,0644 – 3,532", "76,61 – 88,30", Grade::B),
    (4, "3,5324 – 4,00", "88,31 – 100,00", Grade::A),
];

/// Grade of a converted IKM, compared after rounding to two decimals.
pub fn grade(converted: f64) -> Grade {
    let v = round2(converted);
    if v >= 88.31 {
        Grade::A
    } else if v >= 76.61 {
        Grade::B
    } else if v >= 65.00 {
        Grade::C
    } else {
        Grade::D
    }
}

/// Minimum sample for a population of `population` service users (Krejcie & Morgan 1970:
/// χ² = 3.841, P = 0.5, d = 0.05), rounded up. From 100 000 on the published table says 384.
pub fn min_sample(population: u64) -> u64 {
    if population == 0 {
        return 0;
    }
    if population >= 100_000 {
        return 384;
    }
    let (chi2, p, d) = (3.841_f64, 0.5_f64, 0.05_f64);
    let n = population as f64;
    let s = chi2 * n * p * (1.0 - p) / (d * d * (n - 1.0) + chi2 * p * (1.0 - p));
    (s - 1e-9).ceil() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn equal(nrrs: &[Option<f64>]) -> Vec<(f64, Option<f64>)> {
        nrrs.iter().map(|v| (1.0 / 9.0, *v)).collect()
    }

    #[test]
    fn hand_worked_ikm() {
        // Four respondents; U1 answers 3,4,3,4 → NRR 3.5; the other elements fixed by hand.
        let u1 = nrr(14.0, 4).unwrap();
        assert_eq!(u1, 3.5);
        let nrrs = [
            Some(3.5),
            Some(3.0),
            Some(2.5),
            Some(4.0),
            Some(3.25),
            Some(3.0),
            Some(3.75),
            Some(2.0),
            Some(3.0),
        ];
        // Σ = 28.0; × 1/9 = 3.1111…; × 25 = 77.777… → 77.78 → B
        let i = ikm(&equal(&nrrs)).unwrap();
        assert!((i - 28.0 / 9.0).abs() < 1e-12);
        let c = converted(i);
        assert_eq!(round2(c), 77.78);
        assert_eq!(grade(c), Grade::B);
    }

    #[test]
    fn unanswered_elements_are_left_out_not_zero() {
        let mut nrrs = [Some(3.0); 9];
        nrrs[7] = None;
        assert!((ikm(&equal(&nrrs)).unwrap() - 3.0).abs() < 1e-12);
        assert_eq!(nrr(0.0, 0), None);
        assert_eq!(ikm(&equal(&[None; 9])), None);
    }

    #[test]
    fn custom_weights() {
        let v = ikm(&[(0.5, Some(4.0)), (0.25, Some(2.0)), (0.25, Some(2.0))]).unwrap();
        assert_eq!(v, 3.0);
    }

    #[test]
    fn grade_boundaries() {
        assert_eq!(grade(64.99), Grade::D);
        assert_eq!(grade(65.00), Grade::C);
        assert_eq!(grade(76.60), Grade::C);
        assert_eq!(grade(76.61), Grade::B);
        assert_eq!(grade(88.30), Grade::B);
        assert_eq!(grade(88.31), Grade::A);
        assert_eq!(grade(100.0), Grade::A);
        assert_eq!(grade(25.0), Grade::D);
        // Rounding happens before grading: 64.995 rounds to 65.00.
        assert_eq!(grade(64.995), Grade::C);
        assert_eq!(grade(64.994), Grade::D);
        assert_eq!(grade(88.305), Grade::A);
        // No intermediate rounding: NRRs of 3.5324 (→ 88.31) stay A though 3.53 × 25 = 88.25.
        assert_eq!(grade(converted(3.5324)), Grade::A);
    }

    #[test]
    fn krejcie_morgan_table() {
        assert_eq!(min_sample(100), 80);
        assert_eq!(min_sample(1_000), 278);
        assert_eq!(min_sample(10_000), 370);
        assert_eq!(min_sample(100_000), 384);
        assert_eq!(min_sample(5_000_000), 384);
        assert_eq!(min_sample(10), 10);
        assert_eq!(min_sample(0), 0);
    }
}
