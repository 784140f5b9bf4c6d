//! The festivals the office greets members on (R13): a built-in list and
//! whatever org.yaml adds, solar or lunar (农历, via ICU4X: GB/T 33661).
//!
//! A festival is listed in the Gregorian year it actually falls in. Lunar
//! months 11 and 12 of a lunar year often run into January or February of
//! the next Gregorian year, so for Gregorian year Y both lunar years Y-1 and
//! Y are tried and only the dates inside Y are kept. A day of 腊月 or 冬月
//! can therefore fall twice in one Gregorian year (January and December) and
//! not at all in the next one: [`Holiday::dates_in`] says so instead of
//! borrowing a date from a neighbouring year.

use chrono::{Datelike, NaiveDate};
use icu_calendar::types::Month;
use icu_calendar::{Date, Iso};

pub use crate::office::{Holiday, Rule};

/// The Gregorian date of lunar `month`/`day` in the lunar year that begins
/// in Gregorian `year`; day 30 of a 29-day month is its 29th (see
/// [`Rule::Lunar`]).
pub fn lunar_to_gregorian(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    let first = Date::try_new_chinese_traditional(year, Month::new(month), 1).ok()?;
    let d = Date::try_new_chinese_traditional(year, Month::new(month), day.min(first.days_in_month())).ok()?;
    let iso = d.to_calendar(Iso);
    NaiveDate::from_ymd_opt(iso.year().extended_year(), u32::from(iso.month().ordinal), u32::from(iso.day_of_month().0))
}

/// A festival that does not fall in the year asked for, with its nearest
/// dates on either side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotInYear {
    pub year: i32,
    pub before: Option<NaiveDate>,
    pub after: Option<NaiveDate>,
}

impl Holiday {
    /// Every date of the festival in Gregorian `year`, in order: usually
    /// one; none or two for some days of lunar months 11 and 12 (see the
    /// module documentation); none for a solar 2-29 outside leap years.
    pub fn dates_in(&self, year: i32) -> Vec<NaiveDate> {
        match self.rule {
            Rule::Solar { month, day } => NaiveDate::from_ymd_opt(year, month, day).into_iter().collect(),
            Rule::Lunar { month, day } => [year - 1, year]
                .into_iter()
                .filter_map(|lunar_year| lunar_to_gregorian(lunar_year, month, day))
                .filter(|d| d.year() == year)
                .collect(),
            // The eve of the 春节 of `year`, always in `year` (late January to mid-February).
            Rule::LunarNewYearsEve => lunar_to_gregorian(year, 1, 1).and_then(|d| d.pred_opt()).into_iter().collect(),
        }
    }

    /// The date to greet members on for `letters --holiday X --year Y`. A
    /// year with two dates gives the first one not before `as_of` (the one
    /// still ahead, when the office prepares the letters), else the later
    /// one: the letter files are named by year, so one per year.
    pub fn date_in(&self, year: i32, as_of: NaiveDate) -> Result<NaiveDate, NotInYear> {
        let dates = self.dates_in(year);
        match dates.iter().find(|d| **d >= as_of).or(dates.last()) {
            Some(d) => Ok(*d),
            None => Err(NotInYear {
                year,
                before: self.dates_in(year - 1).last().copied(),
                after: self.dates_in(year + 1).first().copied(),
            }),
        }
    }

    /// The first date of the festival on or after `from`.
    pub fn next_from(&self, from: NaiveDate) -> Option<NaiveDate> {
        (from.year()..=from.year() + 8).flat_map(|y| self.dates_in(y)).find(|d| *d >= from)
    }

    /// How `date` stands in the lunar calendar, as printed after the name
    /// by `holidays`: empty for a solar festival.
    pub fn calendar_note(&self, date: NaiveDate) -> String {
        match self.rule {
            Rule::Solar { .. } => String::new(),
            Rule::LunarNewYearsEve => "（农历腊月最后一天）".into(),
            Rule::Lunar { month, day } => {
                let short = lunar_day_of(date).is_some_and(|d| d != day);
                if short {
                    format!("（农历{month}月{day}日；该年此月只有29天，按{month}月29日）")
                } else {
                    format!("（农历{month}月{day}日）")
                }
            }
        }
    }
}

/// The day of the lunar month `date` falls on.
fn lunar_day_of(date: NaiveDate) -> Option<u8> {
    let iso = Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8).ok()?;
    Some(iso.to_calendar(icu_calendar::cal::ChineseTraditional::new()).day_of_month().0)
}

impl NotInYear {
    /// The message for the office, e.g. “2023 年没有腊八节：前一次是……”.
    pub fn message(&self, h: &Holiday) -> String {
        let side = |d: Option<NaiveDate>| d.map_or("—".to_string(), |d| d.to_string());
        format!("{} 年没有{}：前一次是 {}，后一次是 {}", self.year, h.full_name, side(self.before), side(self.after))
    }
}

/// Every holiday of `year` with its date, in date order (a festival that
/// falls twice in the year is listed twice).
pub fn in_year(list: &[Holiday], year: i32) -> Vec<(Holiday, NaiveDate)> {
    let mut v: Vec<_> = list.iter().flat_map(|h| h.dates_in(year).into_iter().map(|d| (h.clone(), d))).collect();
    v.sort_by_key(|(_, d)| *d);
    v
}

/// The holidays of the list that do not fall in `year` at all.
pub fn absent_in_year(list: &[Holiday], year: i32) -> Vec<(&Holiday, NotInYear)> {
    list.iter().filter_map(|h| h.date_in(year, NaiveDate::MIN).err().map(|e| (h, e))).collect()
}

/// The first holiday strictly after `as_of`.
/// (A festival may skip a Gregorian year, so each is looked up on its own;
/// of two on the same day the one listed first.)
pub fn next_after(list: &[Holiday], as_of: NaiveDate) -> Option<(Holiday, NaiveDate)> {
    let from = as_of.succ_opt()?;
    list.iter().filter_map(|h| Some((h.clone(), h.next_from(from)?))).min_by_key(|(_, d)| *d)
}

/// Find a holiday by its short or full name.
pub fn find<'a>(list: &'a [Holiday], name: &str) -> Option<&'a Holiday> {
    list.iter().find(|h| h.name == name || h.full_name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(name: &str, full_name: &str, rule: Rule) -> Holiday {
        Holiday::new(name, full_name, rule)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The one date of `rule` in `year`.
    fn date(rule: Rule, year: i32) -> String {
        let dates = h("x", "x", rule).dates_in(year);
        assert_eq!(dates.len(), 1, "{rule:?} in {year}: {dates:?}");
        dates[0].to_string()
    }

    /// docs/domain.md §5.4, the reference table for 2026–2030.
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
        let list = crate::office::builtin_holidays();
        assert_eq!(next_after(&list, d("2026-11-26")).unwrap().0.name, "元旦");
        assert_eq!(next_after(&list, d("2026-10-01")).unwrap().0.name, "重阳");
        let (h, date) = next_after(&list, d("2026-12-31")).unwrap();
        assert_eq!((h.name.as_str(), date), ("元旦", d("2027-01-01")));
        assert_eq!(next_after(&list, d("2026-01-01")).unwrap().0.name, "春节");
        assert_eq!(find(&list, "重阳节（老年节）").unwrap().name, "重阳");
    }

    /// Lunar year, month and day of `date`, straight from ICU (the other
    /// direction from the code under test).
    fn lunar_of(date: &str) -> (i32, Month, u8) {
        let date = d(date);
        let c = Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8)
            .unwrap()
            .to_calendar(icu_calendar::cal::ChineseTraditional::new());
        (c.cyclic_year().related_iso, c.month().to_input(), c.day_of_month().0)
    }

    fn laba() -> Holiday {
        h("腊八", "腊八节", Rule::Lunar { month: 12, day: 8 })
    }

    #[test]
    fn festival_is_listed_in_the_gregorian_year_it_falls_in() {
        // 2027's 腊八 is that of lunar year 2026; lunar 2027's falls in 2028.
        assert_eq!(laba().dates_in(2027), [d("2027-01-15")]);
        assert_eq!(lunar_of("2027-01-15"), (2026, Month::new(12), 8));
        assert_eq!(lunar_to_gregorian(2027, 12, 8), Some(d("2028-01-04")));
        assert_eq!(laba().dates_in(2028), [d("2028-01-04")]);
        // 小年 (腊月廿三) likewise; 春节 and 重阳 are in their own year.
        assert_eq!(date(Rule::Lunar { month: 12, day: 23 }, 2027), "2027-01-30");
        assert_eq!(lunar_of("2027-01-30"), (2026, Month::new(12), 23));
    }

    /// Every lunar date of every lunar year is listed in exactly one
    /// Gregorian year, the one it falls in; months 1–10 once a year.
    #[test]
    fn every_lunar_date_is_listed_once_in_the_year_it_falls_in() {
        for month in 1..=12 {
            for day in 1..=30 {
                let hol = h("x", "x", Rule::Lunar { month, day });
                for lunar_year in 1901..=2098 {
                    let g = lunar_to_gregorian(lunar_year, month, day).unwrap();
                    assert!(hol.dates_in(g.year()).contains(&g), "{month}-{day} of {lunar_year}: {g}");
                }
                for year in 1902..=2099 {
                    let dates = hol.dates_in(year);
                    assert!(dates.iter().all(|g| g.year() == year));
                    if month <= 10 {
                        assert_eq!(dates.len(), 1, "{month}-{day} in {year}");
                    }
                }
            }
        }
    }

    /// 腊八 2022 was on 01-10 and again on 12-30 (lunar 2022's), so 2023
    /// has none: listed twice, and for 2023 the office is told, not given
    /// a date from another year.
    #[test]
    fn la_yue_day_can_fall_twice_in_a_year_or_not_at_all() {
        assert_eq!(laba().dates_in(2022), [d("2022-01-10"), d("2022-12-30")]);
        assert_eq!(lunar_of("2022-12-30"), (2022, Month::new(12), 8));
        assert!(laba().dates_in(2023).is_empty());
        let list = [laba()];
        assert_eq!(in_year(&list, 2022).len(), 2);
        let absent = absent_in_year(&list, 2023);
        assert_eq!(absent.len(), 1);
        assert_eq!(absent[0].1.message(&laba()), "2023 年没有腊八节：前一次是 2022-12-30，后一次是 2024-01-18");
        assert!(absent_in_year(&list, 2022).is_empty());
        // letters --year 2022: the one still ahead of --as-of, else the later.
        assert_eq!(laba().date_in(2022, d("2021-12-01")), Ok(d("2022-01-10")));
        assert_eq!(laba().date_in(2022, d("2022-06-01")), Ok(d("2022-12-30")));
        assert_eq!(laba().date_in(2022, d("2023-03-01")), Ok(d("2022-12-30")));
        let err = laba().date_in(2023, d("2022-06-01")).unwrap_err();
        assert_eq!((err.before, err.after), (Some(d("2022-12-30")), Some(d("2024-01-18"))));
        // letters without --year: the next one, whichever year it is in.
        assert_eq!(laba().next_from(d("2022-01-11")), Some(d("2022-12-30")));
        assert_eq!(laba().next_from(d("2022-12-31")), Some(d("2024-01-18")));
        assert_eq!(next_after(&list, d("2022-12-31")).unwrap().1, d("2024-01-18"));
    }

    /// Lunar day 30 in a year whose month has 29 days is that month's last
    /// day, so 12-30 is always 除夕 and no festival drops out of a year.
    #[test]
    fn lunar_day_30_of_a_short_month_is_its_last_day() {
        // 2027's 除夕 is 腊月廿九 (docs/domain.md §5.4).
        assert_eq!(date(Rule::Lunar { month: 12, day: 30 }, 2027), "2027-02-05");
        assert_eq!(lunar_of("2027-02-05"), (2026, Month::new(12), 29));
        for year in 1902..=2099 {
            let eve = h("x", "x", Rule::LunarNewYearsEve).dates_in(year);
            assert_eq!(h("x", "x", Rule::Lunar { month: 12, day: 30 }).dates_in(year), eve, "{year}");
        }
        for month in 1..=12 {
            for lunar_year in 1901..=2098 {
                let last = lunar_to_gregorian(lunar_year, month, 30).unwrap();
                let next = last.succ_opt().unwrap().to_string();
                assert_eq!(lunar_of(&next).2, 1, "{month}-30 of {lunar_year}: {last}");
            }
        }
        let note = |month, day, date| h("x", "x", Rule::Lunar { month, day }).calendar_note(d(date));
        assert_eq!(note(12, 30, "2027-02-05"), "（农历12月30日；该年此月只有29天，按12月29日）");
        assert_eq!(note(12, 30, "2030-02-02"), "（农历12月30日）");
        assert_eq!(note(5, 5, "2027-06-09"), "（农历5月5日）");
    }
}
