//! Documents: each printed document builds a plain, already-computed view
//! (serialisable) from the model and the rules. No layout here.

pub mod info_card;

use chrono::{Datelike, NaiveDate};

/// "2026年3月5日": Arabic numerals, full year, no leading zeros (GB/T 9704).
pub fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// "2026年3月".
pub fn zh_month(d: NaiveDate) -> String {
    format!("{}年{}月", d.year(), d.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_have_no_leading_zeros() {
        assert_eq!(zh_date(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()), "2026年3月5日");
    }
}
