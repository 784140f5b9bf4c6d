//! How dates are written on paper and in messages, in Chinese.

use chrono::{Datelike, NaiveDate};

/// "2026年3月5日": Arabic numerals, full year, no leading zeros (GB/T 9704).
pub fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// "星期四"
pub fn weekday(d: NaiveDate) -> &'static str {
    ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"][d.weekday().num_days_from_monday() as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_have_no_leading_zeros() {
        assert_eq!(zh_date(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()), "2026年3月5日");
    }
}
