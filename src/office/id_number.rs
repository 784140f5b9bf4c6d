//! 公民身份号码 (GB 11643-1999): structure, MOD 11-2 check digit, legacy
//! 15-digit numbers, and the birth date and sex encoded in it.

use chrono::NaiveDate;

use crate::office::Sex;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// What a valid ID number tells us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    /// 18 characters, upper-case X.
    pub normalized: String,
    pub birth: NaiveDate,
    pub sex: Sex,
    /// Converted from a 15-digit legacy number.
    pub from_legacy: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    /// Wrong length or characters.
    Shape,
    /// Positions 7–14 are not a real date.
    BirthDate,
    /// The 18th character is not the computed one.
    CheckDigit { expected: char, found: char },
}

/// The check digit for the first 17 digits.
pub fn check_digit(first17: &str) -> char {
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    CHECK[(sum % 11) as usize] as char
}

/// Validate (and normalise) an ID number as written in a member file.
/// Spaces are ignored; lower-case x is accepted.
pub fn parse_id_number(raw: &str) -> Result<IdNumber, IdError> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let (s, from_legacy) = match s.len() {
        18 => (s, false),
        15 if s.bytes().all(|b| b.is_ascii_digit()) => {
            let first17 = format!("{}19{}", &s[..6], &s[6..]);
            let check = check_digit(&first17);
            (format!("{first17}{check}"), true)
        }
        _ => return Err(IdError::Shape),
    };
    let bytes = s.as_bytes();
    if !bytes[..17].iter().all(u8::is_ascii_digit) || !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
        return Err(IdError::Shape);
    }
    let birth = NaiveDate::parse_from_str(&s[6..14], "%Y%m%d").map_err(|_| IdError::BirthDate)?;
    let expected = check_digit(&s[..17]);
    let found = bytes[17] as char;
    if expected != found {
        return Err(IdError::CheckDigit { expected, found });
    }
    let sex = if (bytes[16] - b'0') % 2 == 1 { Sex::Male } else { Sex::Female };
    Ok(IdNumber { normalized: s, birth, sex, from_legacy })
}

/// The normalised number when valid, else the text as written.
pub fn normalized_or_raw(raw: &str) -> String {
    parse_id_number(raw).map(|v| v.normalized).unwrap_or_else(|_| raw.to_string())
}

/// `110105********002X`-style masking for documents that leave the office.
pub fn mask_id_number(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let n = chars.len();
    chars[..6].iter().chain(std::iter::repeat_n(&'*', n - 10)).chain(&chars[n - 4..]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_examples_are_valid() {
        for id in ["11010519491231002X", "440524188001010014", "11010119900307803X"] {
            assert!(parse_id_number(id).is_ok(), "{id}");
        }
        let v = parse_id_number("11010519491231002X").unwrap();
        assert_eq!(v.birth, NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(v.sex, Sex::Female);
    }

    #[test]
    fn wrong_check_digit_is_rejected_with_the_expected_digit() {
        assert_eq!(parse_id_number("110105194912310021"), Err(IdError::CheckDigit { expected: 'X', found: '1' }));
    }

    #[test]
    fn lower_case_x_is_accepted_and_normalised() {
        assert_eq!(parse_id_number("11010519491231002x").unwrap().normalized, "11010519491231002X");
    }

    #[test]
    fn legacy_15_digit_number_is_converted() {
        let v = parse_id_number("110105491231002").unwrap();
        assert_eq!(v.normalized, "11010519491231002X");
        assert!(v.from_legacy);
        assert_eq!(v.sex, Sex::Female);
    }

    #[test]
    fn shape_and_date_errors() {
        assert_eq!(parse_id_number("1101051949123100"), Err(IdError::Shape));
        assert_eq!(parse_id_number("11010519491231002Y"), Err(IdError::Shape));
        assert_eq!(parse_id_number("110105194902300020"), Err(IdError::BirthDate));
    }

    #[test]
    fn masking_keeps_region_and_last_four() {
        assert_eq!(mask_id_number("11010519491231002X"), "110105********002X");
    }
}
