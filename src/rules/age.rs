//! Birth date and age in completed years (周岁).

use chrono::{Datelike, NaiveDate};

use crate::office::Member;

/// The member's birth date: as written, or derived from the ID number.
pub fn birth_date(m: &Member) -> Option<NaiveDate> {
    m.birth_date.as_ref().map(|b| b.value).or_else(|| m.id_parsed.as_ref().ok().map(|v| v.birth))
}

/// Age in completed years on `date`. A 29 February birthday falls on
/// 28 February in common years.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> u32 {
    if date < birth {
        return 0;
    }
    let mut years = date.year() - birth.year();
    let anniversary = NaiveDate::from_ymd_opt(date.year(), birth.month(), birth.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(date.year(), 2, 28).unwrap());
    if date < anniversary {
        years -= 1;
    }
    years as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn turns_a_year_older_on_the_birthday() {
        assert_eq!(age_on(d(1946, 11, 26), d(2026, 11, 25)), 79);
        assert_eq!(age_on(d(1946, 11, 26), d(2026, 11, 26)), 80);
    }

    #[test]
    fn leap_day_birthday_counts_on_28_february() {
        assert_eq!(age_on(d(1956, 2, 29), d(2026, 2, 27)), 69);
        assert_eq!(age_on(d(1956, 2, 29), d(2026, 2, 28)), 70);
        assert_eq!(age_on(d(1956, 2, 29), d(2028, 2, 28)), 71);
        assert_eq!(age_on(d(1956, 2, 29), d(2028, 2, 29)), 72);
    }
}
