//! The NIP (Nomor Induk Pegawai) of a civil servant, 18 digits (`../shared/asn.md`): birth date
//! `yyyymmdd`, appointment `yyyymm`, a gender digit (1 male, 2 female) and a three-digit
//! sequence. It holds a birth date: personal data, never logged, never public.
use chrono::{Datelike, NaiveDate};

/// A checked NIP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nip(String);

impl Nip {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Checks `raw` (spaces and dots as printed on ID cards are ignored) as of `today`; the
    /// problem's message key otherwise.
    pub fn parse(raw: &str, today: NaiveDate) -> Result<Nip, &'static str> {
        let digits: String = raw
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.')
            .collect();
        if digits.len() != 18 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err("v_nip_length");
        }
        let num = |a: usize, b: usize| digits[a..b].parse::<u32>().unwrap_or(0);
        let Some(born) = NaiveDate::from_ymd_opt(num(0, 4) as i32, num(4, 6), num(6, 8)) else {
            return Err("v_nip_birth");
        };
        if born.year() < 1940 || born.year() > today.year() - 17 {
            return Err("v_nip_birth");
        }
        let Some(appointed) = NaiveDate::from_ymd_opt(num(8, 12) as i32, num(12, 14), 1) else {
            return Err("v_nip_appointment");
        };
        let eighteen = NaiveDate::from_ymd_opt(born.year() + 18, born.month(), 1).unwrap_or(born);
        let this_month = today.with_day(1).unwrap_or(today);
        if appointed < eighteen || appointed > this_month {
            return Err("v_nip_appointment");
        }
        if !matches!(&digits[14..15], "1" | "2") {
            return Err("v_nip_gender");
        }
        Ok(Nip(digits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    }

    #[test]
    fn the_example_and_each_broken_part() {
        // Born 12 March 1985, appointed January 2010, female, no. 003.
        assert_eq!(
            Nip::parse("198503122010012003", today()).unwrap().as_str(),
            "198503122010012003"
        );
        assert!(Nip::parse("19850312 201001 2 003", today()).is_ok());
        assert_eq!(
            Nip::parse("19850312201001200", today()),
            Err("v_nip_length")
        );
        assert_eq!(
            Nip::parse("1985031220100120ab", today()),
            Err("v_nip_length")
        );
        assert_eq!(
            Nip::parse("198502302010012003", today()),
            Err("v_nip_birth"),
            "30 Feb"
        );
        assert_eq!(
            Nip::parse("193503122010012003", today()),
            Err("v_nip_birth"),
            "before 1940"
        );
        assert_eq!(
            Nip::parse("201503122010012003", today()),
            Err("v_nip_birth"),
            "a child"
        );
        assert_eq!(
            Nip::parse("198503122010132003", today()),
            Err("v_nip_appointment"),
            "month 13"
        );
        assert_eq!(
            Nip::parse("198503122002012003", today()),
            Err("v_nip_appointment"),
            "at 16"
        );
        assert_eq!(
            Nip::parse("198503122027012003", today()),
            Err("v_nip_appointment"),
            "future"
        );
        assert_eq!(
            Nip::parse("198503122010013003", today()),
            Err("v_nip_gender")
        );
    }
}
