//! Honest statistics from sufficient statistics (n, Σx, Σx²): means with 95% confidence
//! intervals (Student t), proportions (Wilson), Welch's t-test between periods, quantiles
//! from histograms.

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    pub n: u64,
    pub sum: f64,
    pub sumsq: f64,
}

impl Summary {
    pub fn new(n: u64, sum: f64, sumsq: f64) -> Self {
        Summary { n, sum, sumsq }
    }

    pub fn add(&mut self, o: &Summary) {
        self.n += o.n;
        self.sum += o.sum;
        self.sumsq += o.sumsq;
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }

    /// Sample variance (n − 1 in the denominator).
    pub fn variance(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        let n = self.n as f64;
        Some(((self.sumsq - self.sum * self.sum / n) / (n - 1.0)).max(0.0))
    }

    /// 95% confidence interval of the mean (Student t with n − 1 degrees of freedom).
    pub fn ci95(&self) -> Option<(f64, f64)> {
        let m = self.mean()?;
        let se = (self.variance()? / self.n as f64).sqrt();
        let t = t975((self.n - 1) as f64);
        Some((m - t * se, m + t * se))
    }
}

/// Wilson score interval (95%) for `k` successes in `n`.
pub fn proportion_ci95(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let z = 1.959_963_984_540_054_f64;
    let (n, p) = (n as f64, k as f64 / n as f64);
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * ((p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt()) / denom;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TTest {
    pub t: f64,
    pub df: f64,
    /// Two-sided.
    pub p: f64,
    /// Difference of means, b − a.
    pub diff: f64,
    /// Cohen's d with the pooled standard deviation.
    pub effect_size: f64,
}

/// Welch's two-sample t-test (unequal variances) between period `a` and period `b`.
pub fn welch(a: &Summary, b: &Summary) -> Option<TTest> {
    let (ma, mb) = (a.mean()?, b.mean()?);
    let (va, vb) = (a.variance()?, b.variance()?);
    let (na, nb) = (a.n as f64, b.n as f64);
    let (sa, sb) = (va / na, vb / nb);
    let se = (sa + sb).sqrt();
    let pooled = (((na - 1.0) * va + (nb - 1.0) * vb) / (na + nb - 2.0)).sqrt();
    let diff = mb - ma;
    if se == 0.0 {
        return Some(TTest {
            t: 0.0,
            df: na + nb - 2.0,
            p: if diff == 0.0 { 1.0 } else { 0.0 },
            diff,
            effect_size: 0.0,
        });
    }
    let t = diff / se;
    let df = (sa + sb).powi(2) / (sa * sa / (na - 1.0) + sb * sb / (nb - 1.0));
    let p = 2.0 * (1.0 - t_cdf(t.abs(), df));
    Some(TTest {
        t,
        df,
        p: p.clamp(0.0, 1.0),
        diff,
        effect_size: if pooled > 0.0 { diff / pooled } else { 0.0 },
    })
}

/// Student t cumulative distribution function.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    let x = df / (df + t * t);
    let tail = 0.5 * incomplete_beta(df / 2.0, 0.5, x);
    if t >= 0.0 { 1.0 - tail } else { tail }
}

/// The 0.975 quantile of the t distribution, as every 95% interval needs it: a Cornish–Fisher
/// expansion in 1/ν from ν = 30 on (error below 1e-6 there, shrinking with ν); below, the exact
/// bisection, done once per whole ν (an interval's ν is n − 1) and kept. The bisection costs
/// about 150 µs, and an overview of 3,000 quiet units asks for tens of thousands of these.
pub fn t975(df: f64) -> f64 {
    if df < 30.0 {
        static SMALL: std::sync::OnceLock<[f64; 30]> = std::sync::OnceLock::new();
        if df >= 1.0 && df.fract() == 0.0 {
            let table = SMALL.get_or_init(|| {
                let mut t = [f64::NAN; 30];
                for (v, slot) in t.iter_mut().enumerate().skip(1) {
                    *slot = t_quantile(0.975, v as f64);
                }
                t
            });
            return table[df as usize];
        }
        return t_quantile(0.975, df);
    }
    let z = 1.959_963_984_540_054_f64;
    let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
    let g1 = (z3 + z) / 4.0;
    let g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
    let g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
    let g4 = (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / 92_160.0;
    z + g1 / df + g2 / df.powi(2) + g3 / df.powi(3) + g4 / df.powi(4)
}

/// Quantile of the t distribution, by bisection on the CDF.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    let (mut lo, mut hi) = (-1000.0_f64, 1000.0_f64);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

fn ln_gamma(x: f64) -> f64 {
    // Lanczos approximation (g = 7, n = 9).
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return std::f64::consts::PI.ln()
            - (std::f64::consts::PI * x).sin().ln()
            - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Regularised incomplete beta function I_x(a, b) (continued fraction, Numerical Recipes).
pub fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 3e-14 {
            break;
        }
    }
    h
}

/// Wait-time histogram buckets: 5 minutes wide up to 4 hours, 30 minutes wide up to a day.
pub fn wait_bucket(minutes: i64) -> (i64, i64) {
    let m = minutes.clamp(0, 1440);
    if m < 240 {
        (m / 5 * 5, 5)
    } else {
        (240 + (m - 240) / 30 * 30, 30)
    }
}

/// The `q` quantile from (lower bound, width, count) buckets, interpolating inside a bucket.
/// With 5-minute buckets a median is exact to within 5 minutes.
pub fn histogram_quantile(buckets: &[(i64, i64, u64)], q: f64) -> Option<f64> {
    let mut b: Vec<_> = buckets.iter().filter(|x| x.2 > 0).copied().collect();
    b.sort_by_key(|x| x.0);
    let total: u64 = b.iter().map(|x| x.2).sum();
    if total == 0 {
        return None;
    }
    let target = q * total as f64;
    let mut seen = 0.0;
    for (lower, width, count) in &b {
        let c = *count as f64;
        if seen + c >= target {
            let frac = if c > 0.0 { (target - seen) / c } else { 0.0 };
            return Some(*lower as f64 + frac * *width as f64);
        }
        seen += c;
    }
    b.last().map(|x| (x.0 + x.1) as f64)
}

/// Standard normal cumulative distribution function (Abramowitz–Stegun 7.1.26, error < 1.5e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// A two-sided z test: the statistic, its p-value and an effect size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZTest {
    pub z: f64,
    pub p: f64,
    /// Cohen's h for proportions; the rate ratio (b / a) for Poisson rates.
    pub effect_size: f64,
}

/// Two-proportion z test (pooled) between `k1` of `n1` and `k2` of `n2`.
pub fn two_proportion(k1: u64, n1: u64, k2: u64, n2: u64) -> Option<ZTest> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let pool = (k1 + k2) as f64 / (n1 + n2) as f64;
    let se = (pool * (1.0 - pool) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    let h = 2.0 * p2.sqrt().asin() - 2.0 * p1.sqrt().asin();
    if se == 0.0 {
        return Some(ZTest {
            z: 0.0,
            p: 1.0,
            effect_size: h,
        });
    }
    let z = (p2 - p1) / se;
    Some(ZTest {
        z,
        p: (2.0 * (1.0 - normal_cdf(z.abs()))).clamp(0.0, 1.0),
        effect_size: h,
    })
}

/// Compares two Poisson counts with exposures `e1`, `e2` (conditional binomial test, normal
/// approximation): given k1 + k2 events, under equal rates k2 ~ Bin(k1 + k2, e2 / (e1 + e2)).
pub fn poisson_rates(k1: u64, e1: f64, k2: u64, e2: f64) -> Option<ZTest> {
    if e1 <= 0.0 || e2 <= 0.0 || k1 + k2 == 0 {
        return None;
    }
    let total = (k1 + k2) as f64;
    let p0 = e2 / (e1 + e2);
    let z = (k2 as f64 - total * p0) / (total * p0 * (1.0 - p0)).sqrt();
    let ratio = if k1 == 0 {
        f64::INFINITY
    } else {
        (k2 as f64 / e2) / (k1 as f64 / e1)
    };
    Some(ZTest {
        z,
        p: (2.0 * (1.0 - normal_cdf(z.abs()))).clamp(0.0, 1.0),
        effect_size: ratio,
    })
}

/// 95% interval of a Poisson count (Wilson–Hilferty approximation of the exact interval).
pub fn poisson_ci95(k: u64) -> (f64, f64) {
    let z = 1.959_963_984_540_054_f64;
    let lower = if k == 0 {
        0.0
    } else {
        let k = k as f64;
        k * (1.0 - 1.0 / (9.0 * k) - z / (3.0 * k.sqrt())).powi(3)
    };
    let k1 = k as f64 + 1.0;
    let upper = k1 * (1.0 - 1.0 / (9.0 * k1) + z / (3.0 * k1.sqrt())).powi(3);
    (lower.max(0.0), upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_t_quantile_matches_the_bisection() {
        for df in [30.0, 31.0, 45.0, 79.0, 120.0, 411.0, 1_000.0, 99_999.0] {
            let (fast, exact) = (t975(df), t_quantile(0.975, df));
            assert!((fast - exact).abs() < 1e-6, "df {df}: {fast} vs {exact}");
        }
        assert_eq!(t975(7.0), t_quantile(0.975, 7.0));
        // The kept small-ν values against the printed table: ν = 1, 4, 29.
        assert!((t975(1.0) - 12.706_2).abs() < 1e-4);
        assert!((t975(4.0) - 2.776_4).abs() < 1e-4);
        assert!((t975(29.0) - 2.045_2).abs() < 1e-4);
        // A fractional ν (Welch) still bisects.
        assert_eq!(t975(7.5), t_quantile(0.975, 7.5));
    }

    #[test]
    fn normal_and_z_tests_by_hand() {
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-9);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-6);
        // 60 of 100 vs 40 of 100: pooled 0.5, se = sqrt(0.25 × 0.02) = 0.070711, z = −2.8284.
        let t = two_proportion(60, 100, 40, 100).unwrap();
        assert!((t.z + 2.828_427).abs() < 1e-5, "{t:?}");
        assert!((t.p - 0.004_678).abs() < 1e-5, "{t:?}");
        // 10 events in 1 unit of exposure vs 30 in 1: z = (30 − 20)/sqrt(40 × 0.25) = 3.1623.
        let r = poisson_rates(10, 1.0, 30, 1.0).unwrap();
        assert!((r.z - 3.162_278).abs() < 1e-5 && (r.effect_size - 3.0).abs() < 1e-12);
        // Exact Poisson 95% interval of 10 is 4.795–18.390; the approximation is close.
        let (lo, hi) = poisson_ci95(10);
        assert!(
            (lo - 4.795).abs() < 0.05 && (hi - 18.39).abs() < 0.05,
            "{lo} {hi}"
        );
        assert_eq!(poisson_ci95(0).0, 0.0);
    }

    fn summary(xs: &[f64]) -> Summary {
        Summary::new(
            xs.len() as u64,
            xs.iter().sum(),
            xs.iter().map(|x| x * x).sum(),
        )
    }

    #[test]
    fn mean_and_interval_by_hand() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7, se = sqrt(32/7/8) = 0.7559;
        // t(0.975, 7) = 2.3646 → 5 ± 1.7875.
        let s = summary(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(s.mean(), Some(5.0));
        assert!((s.variance().unwrap() - 32.0 / 7.0).abs() < 1e-12);
        let (lo, hi) = s.ci95().unwrap();
        assert!(
            (lo - 3.2125).abs() < 1e-3 && (hi - 6.7875).abs() < 1e-3,
            "{lo} {hi}"
        );
        assert_eq!(Summary::new(1, 3.0, 9.0).ci95(), None);
    }

    #[test]
    fn t_distribution_matches_tables() {
        assert!((t_quantile(0.975, 7.0) - 2.3646).abs() < 1e-3);
        assert!((t_quantile(0.975, 30.0) - 2.0423).abs() < 1e-3);
        assert!((t_quantile(0.975, 1e6) - 1.96).abs() < 1e-3);
        assert!((t_cdf(0.0, 5.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn welch_by_hand() {
        // a = 3.1 ± small spread, b = 2.6: clearly different; identical samples: p = 1.
        let a = summary(&[3.0, 3.2, 3.1, 3.0, 3.2, 3.1, 3.0, 3.2]);
        let b = summary(&[2.5, 2.7, 2.6, 2.5, 2.7, 2.6, 2.5, 2.7]);
        let t = welch(&a, &b).unwrap();
        assert!(t.p < 0.001 && t.diff < 0.0);
        assert!((t.diff + 0.5).abs() < 1e-9);
        let same = welch(&a, &a).unwrap();
        assert!((same.p - 1.0).abs() < 1e-9);
        // A textbook case: 1..5 vs 3..7 (means 3 and 5, var 2.5 each): t = 2, df = 8, p = 0.0805.
        let w = welch(
            &summary(&[1.0, 2.0, 3.0, 4.0, 5.0]),
            &summary(&[3.0, 4.0, 5.0, 6.0, 7.0]),
        )
        .unwrap();
        assert!((w.t - 2.0).abs() < 1e-9 && (w.df - 8.0).abs() < 1e-9);
        assert!((w.p - 0.0805).abs() < 1e-3, "{}", w.p);
    }

    #[test]
    fn wilson_interval() {
        let (lo, hi) = proportion_ci95(38, 412).unwrap();
        assert!(lo < 38.0 / 412.0 && hi > 38.0 / 412.0);
        assert!(
            (lo - 0.0679).abs() < 1e-3 && (hi - 0.1242).abs() < 1e-3,
            "{lo} {hi}"
        );
        assert_eq!(proportion_ci95(0, 0), None);
    }

    #[test]
    fn quantiles_from_buckets() {
        assert_eq!(wait_bucket(37), (35, 5));
        assert_eq!(wait_bucket(300), (300, 30));
        assert_eq!(wait_bucket(5000), (1440, 30));
        // 10 answers in [30,35), 10 in [60,65): median at the boundary of the first bucket.
        let b = [(30, 5, 10), (60, 5, 10)];
        assert_eq!(histogram_quantile(&b, 0.5), Some(35.0));
        assert_eq!(histogram_quantile(&b, 0.9), Some(64.0));
        assert_eq!(histogram_quantile(&[], 0.5), None);
    }
}
