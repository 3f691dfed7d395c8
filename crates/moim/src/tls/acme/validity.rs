//! A certificate's validity dates, read straight from its DER. Renewal needs
//! only `notBefore` and `notAfter`, which sit at a fixed place in every X.509
//! certificate (RFC 5280 §4.1); a full X.509 parser would cost the binary far
//! more than these few lines.

use std::time::{Duration, SystemTime};

const SEQUENCE: u8 = 0x30;
const VERSION: u8 = 0xa0;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;

/// `(notBefore, notAfter)` of a DER certificate; `None` if it is not one.
pub fn validity(der: &[u8]) -> Option<(SystemTime, SystemTime)> {
    let (certificate, _) = element(der, SEQUENCE)?;
    let (tbs, _) = element(certificate, SEQUENCE)?;
    let mut rest = tbs;
    if rest.first() == Some(&VERSION) {
        rest = skip(rest)?;
    }
    // serialNumber, signature, issuer
    for _ in 0..3 {
        rest = skip(rest)?;
    }
    let (validity, _) = element(rest, SEQUENCE)?;
    let (not_before, rest) = time(validity)?;
    let (not_after, _) = time(rest)?;
    Some((not_before, not_after))
}

/// The contents of the element with `tag` at the start of `der`, and what
/// follows it.
fn element(der: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = der.split_first()?;
    if first != tag {
        return None;
    }
    let (&short, rest) = rest.split_first()?;
    let (length, rest) = if short < 0x80 {
        (usize::from(short), rest)
    } else {
        let bytes = usize::from(short & 0x7f);
        if bytes == 0 || bytes > 4 || rest.len() < bytes {
            return None;
        }
        let (length, rest) = rest.split_at(bytes);
        let length = length
            .iter()
            .fold(0usize, |sum, b| (sum << 8) | usize::from(*b));
        (length, rest)
    };
    (rest.len() >= length).then(|| rest.split_at(length))
}

fn skip(der: &[u8]) -> Option<&[u8]> {
    element(der, *der.first()?).map(|(_, rest)| rest)
}

/// A `UTCTime` (`YYMMDDHHMMSSZ`) or `GeneralizedTime` (`YYYYMMDDHHMMSSZ`),
/// the two forms RFC 5280 allows, and what follows it.
fn time(der: &[u8]) -> Option<(SystemTime, &[u8])> {
    let (year, text, rest) = if let Some((text, rest)) = element(der, UTC_TIME) {
        let short = number(text.get(..2)?)?;
        // RFC 5280: two-digit years 50–99 are 19xx, 00–49 are 20xx.
        let year = if short >= 50 {
            1900 + short
        } else {
            2000 + short
        };
        (year, text.get(2..)?, rest)
    } else {
        let (text, rest) = element(der, GENERALIZED_TIME)?;
        (number(text.get(..4)?)?, text.get(4..)?, rest)
    };
    if text.len() != 11 || text[10] != b'Z' {
        return None;
    }
    let field = |at: usize| number(&text[at..at + 2]);
    let (month, day) = (field(0)?, field(2)?);
    let (hour, minute, second) = (field(4)?, field(6)?, field(8)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    let seconds = days_since_1970(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    let since = Duration::from_secs(u64::try_from(seconds).ok()?);
    Some((SystemTime::UNIX_EPOCH + since, rest))
}

fn number(digits: &[u8]) -> Option<i64> {
    digits.iter().try_fold(0i64, |sum, b| {
        b.is_ascii_digit().then(|| sum * 10 + i64::from(b - b'0'))
    })
}

/// Days from 1970-01-01 to the given date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`).
fn days_since_1970(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certificate(not_before: (i32, u8, u8), not_after: (i32, u8, u8)) -> Vec<u8> {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["moim.test".to_owned()]).unwrap();
        params.not_before = rcgen::date_time_ymd(not_before.0, not_before.1, not_before.2);
        params.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
        params.self_signed(&key).unwrap().der().to_vec()
    }

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn reads_utc_and_generalized_times() {
        // 2026-11-29 and 2027-02-27 are UTCTime; 2061-03-01 is GeneralizedTime.
        let der = certificate((2026, 11, 29), (2027, 2, 27));
        assert_eq!(validity(&der), Some((at(1_795_910_400), at(1_803_686_400))));
        let der = certificate((2000, 2, 29), (2061, 3, 1));
        assert_eq!(validity(&der), Some((at(951_782_400), at(2_876_860_800))));
    }

    #[test]
    fn what_is_not_a_certificate_is_none() {
        let der = certificate((2026, 1, 1), (2027, 1, 1));
        assert_eq!(validity(&[]), None);
        assert_eq!(validity(b"not der"), None);
        for cut in [1, 10, 100, der.len() / 2] {
            assert_eq!(validity(&der[..cut]), None, "cut at {cut}");
        }
    }

    #[test]
    fn calendar_days() {
        assert_eq!(days_since_1970(1970, 1, 1), 0);
        assert_eq!(days_since_1970(2000, 3, 1), 11_017);
        assert_eq!(days_since_1970(1969, 12, 31), -1);
    }
}
