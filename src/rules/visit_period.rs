//! The periods of the visit schedule (R15, R16; docs/domain.md §7.2, note B). A period
//! is judged by the rate that applied on its first day (age in completed
//! years on that day): a member who turns 70 mid-half-year owes nothing
//! until the next half-year; one who turns 80 keeps the half-yearly rate
//! until the next calendar quarter begins. When that quarter falls inside a
//! half-year, the half-year ends the day before it: the schedule is one
//! unbroken row of periods, each with its own rate and its own length.

use chrono::{Datelike, NaiveDate};

use crate::office::RuleSettings;
use crate::rules::age::age_on;

/// A calendar period: a quarter or a half-year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Span {
    fn months(date: NaiveDate, len: u32) -> Self {
        let first = (date.month() - 1) / len * len + 1;
        let from = NaiveDate::from_ymd_opt(date.year(), first, 1).unwrap();
        let next = if first + len > 12 {
            NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(date.year(), first + len, 1)
        };
        Self { from, to: next.unwrap().pred_opt().unwrap() }
    }
    pub fn quarter(date: NaiveDate) -> Self {
        Self::months(date, 3)
    }
    pub fn half_year(date: NaiveDate) -> Self {
        Self::months(date, 6)
    }
    pub fn contains(self, d: NaiveDate) -> bool {
        (self.from..=self.to).contains(&d)
    }
    pub fn label(self) -> String {
        let (y, m) = (self.from.year(), self.from.month());
        match (self.to.month() - m + 1, m) {
            (3, _) => format!("{y}年第{}季度", ["一", "二", "三", "四"][(m as usize - 1) / 3]),
            (6, 1) => format!("{y}年上半年"),
            _ => format!("{y}年下半年"),
        }
    }
}

/// How often home visits are owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rate {
    /// 70+ living in the city (R15).
    HalfYearly,
    /// 80+ (R16), instead of the half-yearly rate.
    Quarterly,
}

/// One period of a member's schedule, with the rate that applied on its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitPeriod {
    pub span: Span,
    pub rate: Rate,
    /// Home visits owed in the period.
    pub required: u32,
    /// The age the rate starts at (70 or 80).
    pub threshold: u32,
}

impl VisitPeriod {
    /// A half-year cut short by the quarterly rate starting inside it.
    pub fn cut_short(&self) -> bool {
        self.rate == Rate::HalfYearly && self.span != Span::half_year(self.span.from)
    }
    /// "2026年第四季度", "2026年下半年", or "2026年7月至9月" for a half-year cut short.
    pub fn label(&self) -> String {
        if self.cut_short() {
            format!("{}年{}月至{}月", self.span.from.year(), self.span.from.month(), self.span.to.month())
        } else {
            self.span.label()
        }
    }
    /// "每半年" / "每季度".
    pub fn per(&self) -> &'static str {
        match self.rate {
            Rate::HalfYearly => "每半年",
            Rate::Quarterly => "每季度",
        }
    }
}

/// The period of the schedule that contains `date`; None when no age rule
/// applied on the first day of the quarter or half-year around it.
pub fn visit_period(birth: NaiveDate, date: NaiveDate, rules: &RuleSettings) -> Option<VisitPeriod> {
    let quarter = Span::quarter(date);
    if age_on(birth, quarter.from) >= rules.frequent_visit_age {
        let (required, threshold) = (rules.visits_per_quarter, rules.frequent_visit_age);
        return Some(VisitPeriod { span: quarter, rate: Rate::Quarterly, required, threshold });
    }
    let half = Span::half_year(date);
    if age_on(birth, half.from) < rules.visit_age {
        return None;
    }
    // `date` is in the half-year's first quarter here when the second one
    // starts at 80+: the quarterly rate takes over from that quarter.
    let second = Span::quarter(half.to);
    let span = if age_on(birth, second.from) >= rules.frequent_visit_age {
        Span { from: half.from, to: second.from.pred_opt().unwrap() }
    } else {
        half
    };
    let (required, threshold) = (rules.visits_per_half_year, rules.visit_age);
    Some(VisitPeriod { span, rate: Rate::HalfYearly, required, threshold })
}

/// The period just before `p` in the same schedule, judged by its own rate;
/// None when no rule applied then (the member was younger).
pub fn previous_period(birth: NaiveDate, p: &VisitPeriod, rules: &RuleSettings) -> Option<VisitPeriod> {
    visit_period(birth, p.span.from.pred_opt()?, rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(birth: &str, date: &str) -> Option<(Rate, String, String)> {
        visit_period(d(birth), d(date), &RuleSettings::default())
            .map(|p| (p.rate, p.span.from.to_string(), p.span.to.to_string()))
    }

    fn half(from: &str, to: &str) -> Option<(Rate, String, String)> {
        Some((Rate::HalfYearly, from.into(), to.into()))
    }

    fn quarter(from: &str, to: &str) -> Option<(Rate, String, String)> {
        Some((Rate::Quarterly, from.into(), to.into()))
    }

    #[test]
    fn r15_turning_70_mid_half_year_owes_nothing_until_the_next_half_year() {
        let b = "1956-11-26";
        assert_eq!(at(b, "2026-11-25"), None, "the day before the birthday");
        assert_eq!(at(b, "2026-11-26"), None, "on the birthday");
        assert_eq!(at(b, "2026-11-27"), None, "the day after");
        assert_eq!(at(b, "2026-12-31"), None);
        assert_eq!(at(b, "2027-01-01"), half("2027-01-01", "2027-06-30"), "the first day of the next half-year");
    }

    #[test]
    fn r15_turning_70_on_the_first_day_of_a_half_year_starts_it() {
        assert_eq!(at("1956-07-01", "2026-06-30"), None);
        assert_eq!(at("1956-07-01", "2026-07-01"), half("2026-07-01", "2026-12-31"));
        assert_eq!(at("1956-07-02", "2026-07-02"), None, "one day late: from 2027");
    }

    #[test]
    fn r16_turning_80_in_the_second_quarter_of_a_half_year_keeps_the_half_year() {
        let b = "1946-11-26";
        for date in ["2026-11-25", "2026-11-26", "2026-11-27", "2026-12-31"] {
            assert_eq!(at(b, date), half("2026-07-01", "2026-12-31"), "{date}");
        }
        assert_eq!(at(b, "2027-01-01"), quarter("2027-01-01", "2027-03-31"), "the next quarter");
    }

    #[test]
    fn r16_turning_80_in_the_first_quarter_of_a_half_year_cuts_it_short() {
        let b = "1946-08-15";
        for date in ["2026-07-01", "2026-08-14", "2026-08-15", "2026-08-16", "2026-09-30"] {
            assert_eq!(at(b, date), half("2026-07-01", "2026-09-30"), "{date}");
        }
        assert_eq!(at(b, "2026-10-01"), quarter("2026-10-01", "2026-12-31"));
        let p = visit_period(d(b), d("2026-08-15"), &RuleSettings::default()).unwrap();
        assert!(p.cut_short());
        assert_eq!((p.label(), p.per(), p.required), ("2026年7月至9月".into(), "每半年", 1));
    }

    #[test]
    fn r16_turning_80_on_the_first_day_of_a_quarter_starts_it() {
        assert_eq!(at("1946-10-01", "2026-09-30"), half("2026-07-01", "2026-09-30"));
        assert_eq!(at("1946-10-01", "2026-10-01"), quarter("2026-10-01", "2026-12-31"));
        assert_eq!(at("1946-07-01", "2026-07-01"), quarter("2026-07-01", "2026-09-30"));
    }

    #[test]
    fn feb_29_birthdays_count_on_28_february_in_common_years() {
        // 80 on 2028-02-29 (80 years after a leap year is a leap year): the
        // first quarter stays half-yearly (cut short), Q2 is quarterly.
        let b = "1948-02-29";
        for date in ["2028-02-28", "2028-02-29", "2028-03-01", "2028-03-31"] {
            assert_eq!(at(b, date), half("2028-01-01", "2028-03-31"), "{date}");
        }
        assert_eq!(at(b, "2028-04-01"), quarter("2028-04-01", "2028-06-30"));
        // 70 on 2026-02-28: nothing owed in the first half of 2026.
        let b = "1956-02-29";
        for date in ["2026-02-27", "2026-02-28", "2026-03-01", "2026-06-30"] {
            assert_eq!(at(b, date), None, "{date}");
        }
        assert_eq!(at(b, "2026-07-01"), half("2026-07-01", "2026-12-31"));
        // 80 on 28 February of a common year (2100 is not a leap year).
        assert_eq!(at("2020-02-29", "2100-03-31"), half("2100-01-01", "2100-03-31"));
        assert_eq!(at("2020-02-29", "2100-04-01"), quarter("2100-04-01", "2100-06-30"));
    }

    #[test]
    fn the_previous_period_has_its_own_rate_and_length() {
        let rules = RuleSettings::default();
        let prev = |birth: &str, date: &str| {
            let p = visit_period(d(birth), d(date), &rules).unwrap();
            previous_period(d(birth), &p, &rules).map(|q| (q.rate, q.span.from.to_string(), q.span.to.to_string()))
        };
        // First quarter at 80 after a cut-short half-year.
        assert_eq!(prev("1946-08-15", "2026-11-01"), half("2026-07-01", "2026-09-30"));
        // First quarter at 80 after a whole half-year.
        assert_eq!(prev("1946-11-26", "2027-02-01"), half("2026-07-01", "2026-12-31"));
        // Quarter after quarter; half-year after half-year.
        assert_eq!(prev("1940-01-01", "2026-11-01"), quarter("2026-07-01", "2026-09-30"));
        assert_eq!(prev("1950-01-01", "2026-11-01"), half("2026-01-01", "2026-06-30"));
        // The first half-year at 70 has no previous period.
        assert_eq!(prev("1956-11-26", "2027-02-01"), None);
    }

    #[test]
    fn period_labels() {
        assert_eq!(Span::quarter(d("2026-11-26")).label(), "2026年第四季度");
        assert_eq!(Span::half_year(d("2026-11-26")).label(), "2026年下半年");
        assert_eq!(Span::half_year(d("2026-02-01")).label(), "2026年上半年");
    }
}
