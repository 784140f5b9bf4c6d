//! The festivals the office greets members on (R13): a built-in list and
//! whatever org.yaml adds, solar or lunar (农历, via ICU4X: GB/T 33661).

use chrono::{Datelike, NaiveDate};
use icu_calendar::types::Month;
use icu_calendar::{Date, Iso};

/// When a festival falls, by the calendar it is defined in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Solar {
        month: u32,
        day: u32,
    },
    /// A regular (never leap) lunar month and day.
    Lunar {
        month: u8,
        day: u8,
    },
    /// 除夕: the last day of lunar month 12 (the 29th or the 30th).
    LunarNewYearsEve,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// Short name used in file names and on the command line: 重阳.
    pub name: String,
    /// Name as printed: 重阳节（老年节）.
    pub full_name: String,
    pub rule: Rule,
}

fn h(name: &str, full: &str, rule: Rule) -> Holiday {
    Holiday { name: name.into(), full_name: full.into(), rule }
}

/// The default list (domain.md §5.1).
pub fn builtin() -> Vec<Holiday> {
    use Rule::*;
    vec![
        h("元旦", "元旦", Solar { month: 1, day: 1 }),
        h("春节", "春节", Lunar { month: 1, day: 1 }),
        h("元宵", "元宵节", Lunar { month: 1, day: 15 }),
        h("七一", "“七一”建党节", Solar { month: 7, day: 1 }),
        h("中秋", "中秋节", Lunar { month: 8, day: 15 }),
        h("国庆", "国庆节", Solar { month: 10, day: 1 }),
        h("重阳", "重阳节（老年节）", Lunar { month: 9, day: 9 }),
    ]
}

/// The Gregorian date of lunar `month`/`day` in the lunar year that begins
/// in Gregorian `year`.
pub fn lunar_to_gregorian(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    let d = Date::try_new_chinese_traditional(year, Month::new(month), day).ok()?;
    let iso = d.to_calendar(Iso);
    NaiveDate::from_ymd_opt(iso.year().extended_year(), u32::from(iso.month().ordinal), u32::from(iso.day_of_month().0))
}

impl Holiday {
    /// The date in Gregorian `year` (for 除夕: the eve of that year's 春节).
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        match self.rule {
            Rule::Solar { month, day } => NaiveDate::from_ymd_opt(year, month, day),
            Rule::Lunar { month, day } => lunar_to_gregorian(year, month, day),
            Rule::LunarNewYearsEve => lunar_to_gregorian(year, 1, 1)?.pred_opt(),
        }
    }
}

/// Every holiday of `year` with its date, in date order.
pub fn in_year(list: &[Holiday], year: i32) -> Vec<(Holiday, NaiveDate)> {
    let mut v: Vec<_> = list.iter().filter_map(|h| Some((h.clone(), h.date_in(year)?))).collect();
    v.sort_by_key(|(_, d)| *d);
    v
}

/// The first holiday strictly after `as_of`.
pub fn next_after(list: &[Holiday], as_of: NaiveDate) -> Option<(Holiday, NaiveDate)> {
    (as_of.year()..=as_of.year() + 1).flat_map(|y| in_year(list, y)).find(|(_, d)| *d > as_of)
}

/// Find a holiday by its short or full name.
pub fn find<'a>(list: &'a [Holiday], name: &str) -> Option<&'a Holiday> {
    list.iter().find(|h| h.name == name || h.full_name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn date(rule: Rule, year: i32) -> String {
        h("x", "x", rule).date_in(year).unwrap().to_string()
    }

    /// domain.md §5.4, the reference table for 2026–2030.
    #[test]
    fn reference_table_2026_to_2030() {
        use Rule::*;
        let table = [
            (2026, "2026-02-17", "2026-03-03", "2026-06-19", "2026-09-25", "2026-10-18", "2026-02-16"),
            (2027, "2027-02-06", "2027-02-20", "2027-06-09", "2027-09-15", "2027-10-08", "2027-02-05"),
            (2028, "2028-01-26", "2028-02-09", "2028-05-28", "2028-10-03", "2028-10-26", "2028-01-25"),
            (2029, "2029-02-13", "2029-02-27", "2029-06-16", "2029-09-22", "2029-10-16", "2029-02-12"),
            (2030, "2030-02-03", "2030-02-17", "2030-06-05", "2030-09-12", "2030-10-05", "2030-02-02"),
        ];
        for (y, spring, lantern, duanwu, midautumn, chongyang, eve) in table {
            assert_eq!(date(Lunar { month: 1, day: 1 }, y), spring, "春节 {y}");
            assert_eq!(date(Lunar { month: 1, day: 15 }, y), lantern, "元宵 {y}");
            assert_eq!(date(Lunar { month: 5, day: 5 }, y), duanwu, "端午 {y}");
            assert_eq!(date(Lunar { month: 8, day: 15 }, y), midautumn, "中秋 {y}");
            assert_eq!(date(Lunar { month: 9, day: 9 }, y), chongyang, "重阳 {y}");
            assert_eq!(date(LunarNewYearsEve, y), eve, "除夕 {y}");
        }
    }

    #[test]
    fn edge_cases() {
        use Rule::*;
        // 端午 2028 is in the regular 5th month, not 闰五月.
        assert_eq!(date(Lunar { month: 5, day: 5 }, 2028), "2028-05-28");
        // 重阳 2033 is the earliest possible (2033 has 闰十一月, not 闰七月).
        assert_eq!(date(Lunar { month: 9, day: 9 }, 2033), "2033-10-01");
        assert_eq!(date(Lunar { month: 1, day: 1 }, 1900), "1900-01-31");
        assert_eq!(date(Lunar { month: 1, day: 1 }, 2100), "2100-02-09");
        // 除夕 2030 is 腊月三十, 2026 腊月廿九: both the eve of 春节.
        assert_eq!(date(LunarNewYearsEve, 2030), "2030-02-02");
        // 2033's leap 11th month starts 2033-12-22.
        let leap = Date::try_new_chinese_traditional(2033, Month::leap(11), 1).unwrap().to_calendar(Iso);
        assert_eq!((leap.year().extended_year(), leap.month().ordinal, leap.day_of_month().0), (2033, 12, 22));
    }

    #[test]
    fn next_holiday_after_a_date() {
        let list = builtin();
        assert_eq!(next_after(&list, d("2026-11-26")).unwrap().0.name, "元旦");
        assert_eq!(next_after(&list, d("2026-10-01")).unwrap().0.name, "重阳");
        let (h, date) = next_after(&list, d("2026-12-31")).unwrap();
        assert_eq!((h.name.as_str(), date), ("元旦", d("2027-01-01")));
        assert_eq!(next_after(&list, d("2026-01-01")).unwrap().0.name, "春节");
        assert_eq!(find(&list, "重阳节（老年节）").unwrap().name, "重阳");
    }
}
