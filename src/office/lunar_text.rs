//! What an office writes for a lunar (农历) festival in org.yaml: `5-5`,
//! `五月初五`, `腊月初八`, `农历正月十五`, or `除夕`.

use super::holiday::Rule;

/// The ways of writing 除夕 (the last day of 腊月, the 29th or the 30th).
/// `12-30` and `腊月三十` mean it too.
pub const NEW_YEARS_EVE: &[&str] = &["除夕", "大年三十", "年三十", "大年夜", "腊月最后一天"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LunarTextError {
    /// Neither `月-日` nor a Chinese lunar date.
    Unreadable,
    /// `闰四月初八`: festivals are never kept in a leap month.
    LeapMonth,
    /// Month outside 1–12 or day outside 1–30.
    OutOfRange { month: u32, day: u32 },
}

/// Read a lunar festival date. `12-30` (and `腊月三十`) is 除夕, the last day
/// of 腊月 whether it has 29 or 30 days: that is what an office writing it
/// means, and in a year whose 腊月 is short there is no 12-30.
pub fn parse(text: &str) -> Result<Rule, LunarTextError> {
    let text = text.trim();
    let text = text.strip_prefix("农历").or_else(|| text.strip_prefix("阴历")).unwrap_or(text).trim();
    if NEW_YEARS_EVE.contains(&text) {
        return Ok(Rule::LunarNewYearsEve);
    }
    if text.starts_with('闰') {
        return Err(LunarTextError::LeapMonth);
    }
    let (month, day) = if let Some((m, d)) = text.split_once('-') {
        (m.trim().parse().ok(), d.trim().parse().ok())
    } else if let Some((m, d)) = text.split_once('月') {
        let d = d.trim().trim_end_matches(['日', '号']);
        (month_number(m.trim()), day_number(d))
    } else {
        (None, None)
    };
    let (Some(month), Some(day)) = (month, day) else {
        return Err(LunarTextError::Unreadable);
    };
    match (month, day) {
        (12, 30) => Ok(Rule::LunarNewYearsEve),
        (1..=12, 1..=30) => Ok(Rule::Lunar { month: month as u8, day: day as u8 }),
        _ => Err(LunarTextError::OutOfRange { month, day }),
    }
}

/// 正 冬 腊, 一 … 十二, or digits.
fn month_number(s: &str) -> Option<u32> {
    match s {
        "正" => Some(1),
        "冬" => Some(11),
        "腊" => Some(12),
        _ => s.parse().ok().or_else(|| chinese_number(s)),
    }
}

/// 初一 … 初十, 十一 … 二十, 廿一 (二十一) … 三十, or digits.
fn day_number(s: &str) -> Option<u32> {
    match s.strip_prefix('初') {
        Some(rest) => chinese_number(rest).filter(|d| *d <= 10),
        None => s.parse().ok().or_else(|| chinese_number(s)),
    }
}

/// 一 … 三十九 as written in dates, 廿 and 卅 included.
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| "一二三四五六七八九".chars().position(|d| d == c).map(|i| i as u32 + 1);
    let tens = |c: char| match c {
        '十' => Some(10),
        '廿' => Some(20),
        '卅' => Some(30),
        _ => None,
    };
    match s.chars().collect::<Vec<_>>()[..] {
        [a] => digit(a).or_else(|| tens(a)),
        [t, b] if tens(t).is_some() => Some(tens(t)? + digit(b)?),
        [a, '十'] => Some(digit(a)? * 10),
        [a, '十', b] => Some(digit(a)? * 10 + digit(b)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LunarTextError::*;
    use Rule::*;

    fn lunar(month: u8, day: u8) -> Result<Rule, LunarTextError> {
        Ok(Lunar { month, day })
    }

    #[test]
    fn month_day_in_digits() {
        assert_eq!(parse("5-5"), lunar(5, 5));
        assert_eq!(parse(" 12 - 8 "), lunar(12, 8));
        assert_eq!(parse("11-30"), lunar(11, 30));
    }

    #[test]
    fn chinese_lunar_dates() {
        assert_eq!(parse("五月初五"), lunar(5, 5));
        assert_eq!(parse("腊月初八"), lunar(12, 8));
        assert_eq!(parse("农历正月十五"), lunar(1, 15));
        assert_eq!(parse("九月初九"), lunar(9, 9));
        assert_eq!(parse("冬月廿三"), lunar(11, 23));
        assert_eq!(parse("十二月二十三日"), lunar(12, 23));
        assert_eq!(parse("十一月二十"), lunar(11, 20));
        assert_eq!(parse("七月初十"), lunar(7, 10));
        assert_eq!(parse("8月15日"), lunar(8, 15));
    }

    #[test]
    fn new_years_eve_in_words_and_as_12_30() {
        for text in
            ["除夕", "大年三十", "年三十", "大年夜", "腊月最后一天", "农历除夕", "12-30", "腊月三十", "十二月三十"]
        {
            assert_eq!(parse(text), Ok(LunarNewYearsEve), "{text}");
        }
        // 腊月廿九 is a day of its own (除夕 only in a short 腊月).
        assert_eq!(parse("腊月廿九"), lunar(12, 29));
    }

    #[test]
    fn impossible_lunar_dates_are_refused() {
        assert_eq!(parse("5-31"), Err(OutOfRange { month: 5, day: 31 }));
        assert_eq!(parse("13-1"), Err(OutOfRange { month: 13, day: 1 }));
        assert_eq!(parse("5-0"), Err(OutOfRange { month: 5, day: 0 }));
        assert_eq!(parse("闰四月初八"), Err(LeapMonth));
        for text in ["端午", "5月", "五月初十一", "初五", "5.5", ""] {
            assert_eq!(parse(text), Err(Unreadable), "{text}");
        }
    }
}
