//! Phone numbers: mobile (1[3-9] + 9 digits) and landline (area code 0xx(x)
//! + 7–8 digits, optional extension).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    Mobile,
    Landline,
    /// 7–8 digits without an area code: valid locally, but warn.
    LocalLandline,
}

/// Digits and separators as people write them: "138 0013 8000",
/// "0571-8888 6666", "(0571)88886666", "0571-88886666-8001".
pub fn classify_phone(raw: &str) -> Option<PhoneKind> {
    let s = raw.trim().replace(['(', '（'], "").replace([')', '）'], "-");
    if !s.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ') {
        return None;
    }
    let s = s.replace(' ', "");
    let groups: Vec<&str> = s.split('-').filter(|g| !g.is_empty()).collect();
    let digits: String = groups.concat();
    if digits.len() == 11 && digits.starts_with('1') && matches!(digits.as_bytes()[1], b'3'..=b'9') {
        return Some(PhoneKind::Mobile);
    }
    if digits.starts_with('0') {
        // Area code 3–4 digits (010, 021, 0571 …) + 7–8 digits, then an optional extension.
        let (main_len, ext_ok) = match groups.as_slice() {
            [area, number, ext] => (area.len() + number.len(), (1..=6).contains(&ext.len())),
            [_, _] | [_] => (digits.len(), true),
            _ => (0, false),
        };
        if (10..=12).contains(&main_len) && ext_ok && !digits.starts_with("00") {
            return Some(PhoneKind::Landline);
        }
        return None;
    }
    if (digits.len() == 7 || digits.len() == 8) && !digits.starts_with('1') && groups.len() == 1 {
        return Some(PhoneKind::LocalLandline);
    }
    None
}

/// `138****5678`: first 3 and last 4 of a mobile; a landline keeps its area
/// code and last 2.
pub fn mask_phone(raw: &str) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    match classify_phone(raw) {
        Some(PhoneKind::Mobile) => format!("{}****{}", &digits[..3], &digits[n - 4..]),
        Some(_) if n > 6 => {
            let keep = if digits.starts_with('0') {
                if digits.starts_with("01") || digits.starts_with("02") { 3 } else { 4 }
            } else {
                0
            };
            format!("{}{}{}", &digits[..keep], "*".repeat(n - keep - 2), &digits[n - 2..])
        }
        _ => "*".repeat(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles() {
        assert_eq!(classify_phone("13800138000"), Some(PhoneKind::Mobile));
        assert_eq!(classify_phone("138 0013 8000"), Some(PhoneKind::Mobile));
        assert_eq!(classify_phone("12800138000"), None);
        assert_eq!(classify_phone("1380013800"), None);
    }

    #[test]
    fn landlines() {
        assert_eq!(classify_phone("0571-88886666"), Some(PhoneKind::Landline));
        assert_eq!(classify_phone("010-6655 4433"), Some(PhoneKind::Landline));
        assert_eq!(classify_phone("(0571)8888666"), Some(PhoneKind::Landline));
        assert_eq!(classify_phone("0571-88886666-8001"), Some(PhoneKind::Landline));
        assert_eq!(classify_phone("88886666"), Some(PhoneKind::LocalLandline));
        assert_eq!(classify_phone("0571-888"), None);
        assert_eq!(classify_phone("电话 88886666"), None);
    }

    #[test]
    fn masking() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0571-88886666"), "0571******66");
    }
}
