//! Full membership (转正) and probation (预备期), docs/domain.md §1.2.5: full
//! membership normally comes one year after admission (up to two when
//! probation is extended); admissions from 1969-04-01 to 1977-08-11 had no
//! probation, so those members are full members from admission.

use chrono::{Months, NaiveDate};

use crate::office::Member;

/// Admissions in this window had no probation: 入党 = 转正.
pub fn admitted_without_probation(joined: NaiveDate) -> bool {
    let from = NaiveDate::from_ymd_opt(1969, 4, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(1977, 8, 11).unwrap();
    (from..=to).contains(&joined)
}

/// The earliest day a probation that started on `joined` can end: one
/// year after admission.
pub fn probation_end_at_earliest(joined: NaiveDate) -> NaiveDate {
    joined.checked_add_months(Months::new(12)).unwrap_or(joined)
}

/// Where a member stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// 正式党员 since the date.
    Full { since: NaiveDate },
    /// 预备党员.
    Probationary,
    /// Admitted over a year ago outside the window, and 转正 not recorded:
    /// the office must look it up (`check` asks for it).
    Unknown,
}

impl Standing {
    /// As the transfer letter words it: "正式" / "预备"; both when unknown,
    /// so the clerk strikes out the one that does not apply.
    pub fn zh(self) -> &'static str {
        match self {
            Standing::Full { .. } => "正式",
            Standing::Probationary => "预备",
            Standing::Unknown => "正式/预备",
        }
    }
}

/// The day full membership began: as recorded, or the admission date for
/// admissions in the no-probation window; None when not known.
pub fn full_member_since(joined: NaiveDate, full_member: Option<NaiveDate>) -> Option<NaiveDate> {
    full_member.or_else(|| admitted_without_probation(joined).then_some(joined))
}

/// Full or probationary on `date`, from the admission and 转正 dates.
pub fn standing_on(joined: NaiveDate, full_member: Option<NaiveDate>, date: NaiveDate) -> Standing {
    match full_member_since(joined, full_member) {
        Some(since) if date >= since => Standing::Full { since },
        Some(_) => Standing::Probationary,
        None if date < probation_end_at_earliest(joined) => Standing::Probationary,
        None => Standing::Unknown,
    }
}

/// [`standing_on`] for a member.
/// Unknown while the admission date is still to be completed.
pub fn member_standing_on(m: &Member, date: NaiveDate) -> Standing {
    match &m.joined_party {
        Some(joined) => standing_on(joined.value, m.full_member.as_ref().map(|f| f.value), date),
        None => Standing::Unknown,
    }
}

/// The day 党龄 counts from: full membership (转正) — recorded, or the
/// admission itself for the 1969–1977 admissions without probation. None
/// for a 预备党员 and while 转正 is not known (`check` asks for it): no
/// 党龄 is printed then, rather than one counted from admission.
pub fn party_age_since(m: &Member) -> Option<NaiveDate> {
    let full = m.full_member.as_ref().map(|f| f.value);
    match &m.joined_party {
        Some(joined) => full_member_since(joined.value, full),
        None => full,
    }
}

/// 党龄 in whole years on `date`: None for a 预备党员 on that day, or when
/// full membership is not known.
pub fn party_years_on(m: &Member, date: NaiveDate) -> Option<u32> {
    party_age_since(m).filter(|s| *s <= date).map(|since| crate::rules::age::age_on(since, date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn no_probation_window_is_inclusive() {
        assert!(admitted_without_probation(d(1969, 4, 1)));
        assert!(admitted_without_probation(d(1977, 8, 11)));
        assert!(!admitted_without_probation(d(1977, 8, 12)));
        assert!(!admitted_without_probation(d(1969, 3, 31)));
    }

    #[test]
    fn admitted_in_1975_is_a_full_member_from_admission() {
        let today = d(2026, 11, 26);
        assert_eq!(standing_on(d(1975, 7, 1), None, today), Standing::Full { since: d(1975, 7, 1) });
        assert_eq!(standing_on(d(1975, 7, 1), None, d(1975, 7, 1)).zh(), "正式");
        assert_eq!(full_member_since(d(1975, 7, 1), None), Some(d(1975, 7, 1)));
    }

    #[test]
    fn window_edges_without_full_member_date() {
        let today = d(2026, 11, 26);
        assert_eq!(standing_on(d(1969, 4, 1), None, today), Standing::Full { since: d(1969, 4, 1) });
        assert_eq!(standing_on(d(1977, 8, 11), None, today), Standing::Full { since: d(1977, 8, 11) });
        assert_eq!(standing_on(d(1977, 8, 12), None, today), Standing::Unknown);
        assert_eq!(standing_on(d(1969, 3, 31), None, today), Standing::Unknown);
    }

    #[test]
    fn recorded_full_member_date_decides() {
        let (joined, full) = (d(1985, 7, 1), Some(d(1986, 7, 1)));
        assert_eq!(standing_on(joined, full, d(1986, 6, 30)), Standing::Probationary);
        assert_eq!(standing_on(joined, full, d(1986, 7, 1)), Standing::Full { since: d(1986, 7, 1) });
        // A recorded date wins even inside the window.
        assert_eq!(full_member_since(d(1975, 7, 1), Some(d(1976, 7, 1))), Some(d(1976, 7, 1)));
    }

    #[test]
    fn party_age_counts_from_full_membership_and_is_blank_for_a_probationary_member() {
        use crate::rules::testing::member_joined;
        let on = d(2026, 11, 26);
        // Admitted 2025-06-01, no 转正 yet: 预备党员, no 党龄 (not "1年").
        let m = member_joined("1960-03-05", "2025-06-01", "");
        assert_eq!(party_years_on(&m, on), None);
        // 转正 recorded, in the future: still none today.
        let m = member_joined("1960-03-05", "2025-12-01", "full_member: 2026-12-01\n");
        assert_eq!(party_years_on(&m, on), None);
        // Admitted 2022, 转正 2023-06-01: three whole years.
        let m = member_joined("1960-03-05", "2022-06-01", "full_member: 2023-06-01\n");
        assert_eq!(party_years_on(&m, on), Some(3));
        // Admitted 2020 and 转正 never recorded: not known, so not printed.
        let m = member_joined("1960-03-05", "2020-06-01", "");
        assert_eq!(party_years_on(&m, on), None);
        // 1976, no probation then: from admission.
        let m = member_joined("1950-03-05", "1976-11-26", "");
        assert_eq!(party_years_on(&m, on), Some(50));
    }

    #[test]
    fn a_member_file_without_full_member_admitted_in_1975() {
        let m = crate::rules::testing::member("1950-03-05", "");
        assert_eq!(member_standing_on(&m, d(2026, 11, 26)).zh(), "正式", "the transfer letter's wording");
        assert_eq!(party_age_since(&m), Some(d(1975, 7, 1)));
        let later = crate::rules::testing::member_joined("1950-03-05", "1985-07-01", "");
        assert_eq!(member_standing_on(&later, d(2026, 11, 26)), Standing::Unknown);
    }

    #[test]
    fn outside_the_window_probationary_for_the_first_year_then_unknown() {
        let joined = d(2026, 3, 1);
        assert_eq!(standing_on(joined, None, d(2027, 2, 28)), Standing::Probationary);
        assert_eq!(standing_on(joined, None, d(2027, 3, 1)), Standing::Unknown);
        assert_eq!(Standing::Unknown.zh(), "正式/预备");
    }
}
