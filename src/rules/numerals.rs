//! Chinese capital numerals (大写) for the transfer letter's dues month and
//! validity, written so they cannot be altered (docs/domain.md §2.4).

const FINANCIAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLAIN: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

pub use crate::office::NumeralStyle;

impl NumeralStyle {
    fn digits(self) -> &'static [char; 10] {
        match self {
            NumeralStyle::Financial => &FINANCIAL,
            NumeralStyle::Plain => &PLAIN,
        }
    }
    fn units(self) -> [&'static str; 4] {
        match self {
            NumeralStyle::Financial => ["", "拾", "佰", "仟"],
            NumeralStyle::Plain => ["", "十", "百", "千"],
        }
    }
}

/// A number below 10,000 in words: 30 → 叁拾, 105 → 壹佰零伍, 10 → 壹拾.
pub fn number(n: u32, style: NumeralStyle) -> String {
    assert!(n < 10_000, "capital numerals are for days and months");
    let (digits, units) = (style.digits(), style.units());
    if n == 0 {
        return digits[0].to_string();
    }
    let s: Vec<u32> = n.to_string().chars().map(|c| c.to_digit(10).unwrap()).collect();
    let mut out = String::new();
    let mut zero_pending = false;
    for (i, &d) in s.iter().enumerate() {
        let place = s.len() - 1 - i;
        if d == 0 {
            zero_pending = true;
            continue;
        }
        if zero_pending && !out.is_empty() {
            out.push(digits[0]);
        }
        zero_pending = false;
        out.push(digits[d as usize]);
        out.push_str(units[place]);
    }
    out
}

/// A year digit by digit: 2026 → 贰零贰陆.
pub fn year(y: i32, style: NumeralStyle) -> String {
    y.to_string().chars().filter_map(|c| c.to_digit(10)).map(|d| style.digits()[d as usize]).collect()
}

/// "贰零贰陆年壹拾月"
pub fn year_month(y: i32, m: u32, style: NumeralStyle) -> String {
    format!("{}年{}月", year(y, style), number(m, style))
}

#[cfg(test)]
mod tests {
    use super::NumeralStyle::*;
    use super::*;

    #[test]
    fn financial_numbers() {
        assert_eq!(number(30, Financial), "叁拾");
        assert_eq!(number(10, Financial), "壹拾");
        assert_eq!(number(15, Financial), "壹拾伍");
        assert_eq!(number(105, Financial), "壹佰零伍");
        assert_eq!(number(1001, Financial), "壹仟零壹");
        assert_eq!(number(7, Financial), "柒");
    }

    #[test]
    fn year_and_month() {
        assert_eq!(year_month(2026, 10, Financial), "贰零贰陆年壹拾月");
        assert_eq!(year_month(2026, 3, Plain), "二〇二六年三月");
        assert_eq!(number(90, Plain), "九十");
    }
}
