//! The visit schedule (R15–R18): 70+ living in the city → a home visit
//! every calendar half-year; 80+ → three every calendar quarter (instead);
//! serious illness or hardship at 低保 level → a home visit within N days.
//! Only home visits (上门) count; age is in completed years on `as_of`.

use chrono::{Datelike, NaiveDate};

use crate::office::{Member, RuleSettings};
use crate::rules::age::{age_on, birth_date};
use crate::rules::status::Whereabouts;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum VisitState {
    /// Past a deadline, or the last period's visits were missed too.
    Overdue,
    /// Visits still owed this period.
    Due,
    /// Away or living outside the city: to be called or written to instead.
    Remote,
    Done,
}

impl VisitState {
    pub fn zh(self) -> &'static str {
        match self {
            VisitState::Overdue => "逾期",
            VisitState::Due => "待走访",
            VisitState::Remote => "电话书信联系",
            VisitState::Done => "已完成",
        }
    }
}

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
    pub fn previous(self, len: u32) -> Self {
        Self::months(self.from.pred_opt().unwrap(), len)
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

/// One reason a member must be visited, and how it stands.
#[derive(Debug, Clone)]
pub struct Need {
    pub state: VisitState,
    pub urgent: bool,
    /// "80 岁以上，每季度至少上门 3 次（本季度已 1 次）"
    pub why: String,
    /// The date by which it must be done.
    pub deadline: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Assessment<'a> {
    pub member: &'a Member,
    pub age: Option<u32>,
    pub needs: Vec<Need>,
    pub last_home_visit: Option<NaiveDate>,
}

impl Assessment<'_> {
    /// The worst state of all needs.
    pub fn state(&self) -> VisitState {
        self.needs.iter().map(|n| n.state).min().unwrap_or(VisitState::Done)
    }
    pub fn urgent(&self) -> bool {
        self.needs.iter().any(|n| n.urgent && n.state != VisitState::Done)
    }
    pub fn deadline(&self) -> Option<NaiveDate> {
        self.needs.iter().filter(|n| n.state != VisitState::Done).map(|n| n.deadline).min()
    }
    /// Sort key: urgent before periodic, overdue before due, earliest deadline, oldest first.
    pub fn urgency(&self) -> (bool, VisitState, Option<NaiveDate>, std::cmp::Reverse<Option<u32>>) {
        (!self.urgent(), self.state(), self.deadline(), std::cmp::Reverse(self.age))
    }
}

fn home_visits(m: &Member) -> impl Iterator<Item = NaiveDate> + '_ {
    m.visits.iter().filter(|v| v.kind.value == "上门").map(|v| v.date.value)
}

/// What the schedule asks of the office for `m` on `as_of`, where the
/// member is `whereabouts` that day; None when no rule applies.
pub fn assess<'a>(
    m: &'a Member,
    as_of: NaiveDate,
    rules: &RuleSettings,
    whereabouts: Whereabouts,
) -> Option<Assessment<'a>> {
    let age = birth_date(m).map(|b| age_on(b, as_of));
    let visitable = m.in_city && whereabouts == Whereabouts::AtHome;
    let count_in = |s: Span| home_visits(m).filter(|d| s.contains(*d) && *d <= as_of).count() as u32;
    let mut needs = Vec::new();

    let periodic = match age {
        Some(a) if a >= rules.frequent_visit_age => {
            Some((Span::quarter(as_of), 3, rules.visits_per_quarter, "每季度", rules.frequent_visit_age))
        }
        Some(a) if a >= rules.visit_age => {
            Some((Span::half_year(as_of), 6, rules.visits_per_half_year, "每半年", rules.visit_age))
        }
        _ => None,
    };
    if let Some((span, len, required, per, threshold)) = periodic {
        let done = count_in(span);
        let before = count_in(span.previous(len));
        let state = match () {
            _ if !visitable => VisitState::Remote,
            _ if done >= required => VisitState::Done,
            _ if before < required => VisitState::Overdue,
            _ => VisitState::Due,
        };
        let mut why = format!("{threshold} 岁以上，{per}至少上门走访 {required} 次（{}已 {done} 次", span.label());
        if state == VisitState::Overdue {
            why.push_str(&format!("，上期 {before} 次也未达到"));
        }
        why.push('）');
        if !visitable {
            why.push_str(if m.in_city {
                "；现外出，改为电话或书信联系"
            } else {
                "；住在市外，改为电话或书信联系"
            });
        }
        needs.push(Need { state, urgent: false, why, deadline: span.to });
    }

    let days = rules.urgent_visit_days;
    let causes = [
        m.health.as_ref().filter(|h| h.is_serious()).map(|h| ("身患重病", h.since.as_ref().map(|s| s.value))),
        m.hardship
            .as_ref()
            .filter(|h| h.level.as_ref().is_some_and(|l| l.value == "低保" || l.value == "特困"))
            .map(|h| ("家庭困难达到低保标准", h.since.as_ref().map(|s| s.value))),
    ];
    for (cause, since) in causes.into_iter().flatten() {
        let since = since.unwrap_or(as_of);
        let deadline = since + chrono::Days::new(u64::from(days));
        let visited = home_visits(m).any(|d| d >= since && d <= as_of);
        let state = match () {
            _ if visited => VisitState::Done,
            _ if !visitable => VisitState::Remote,
            _ if as_of > deadline => VisitState::Overdue,
            _ => VisitState::Due,
        };
        let why = format!("{cause}（{since} 登记），应在 {days} 天内上门走访");
        needs.push(Need { state, urgent: true, why, deadline });
    }

    if needs.is_empty() {
        return None;
    }
    let last_home_visit = home_visits(m).filter(|d| *d <= as_of).max();
    Some(Assessment { member: m, age, needs, last_home_visit })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A member born on `birth`, with home visits and phone calls on the given dates.
    fn member(birth: &str, extra: &str) -> Member {
        let text = format!(
            "id: a\nname: 张三\nsex: 男\nethnicity: 汉族\nid_number: \"330105195003051214\"\nbirth_date: {birth}\nnative_place: 浙江\naddress: 杭州\njoined_party: 1975-07-01\nbranch: b1\n{extra}"
        );
        let file = std::path::Path::new("t.yaml");
        let node = crate::yaml::parse(file, &text).unwrap().unwrap();
        let diags = std::cell::RefCell::new(crate::diag::Diagnostics::default());
        let f = crate::yaml::Fields::new(file, &node, crate::office::MEMBER_KEYS, "", &diags).unwrap();
        let m = crate::office::read_member(f, file.into());
        assert!(!diags.borrow().has_errors(), "{:?}", diags.borrow().sorted());
        m
    }

    fn visits(list: &[(&str, &str)]) -> String {
        let mut s = "visits:\n".to_string();
        for (date, kind) in list {
            s.push_str(&format!("  - date: {date}\n    kind: {kind}\n"));
        }
        s
    }

    fn state(m: &Member, as_of: &str) -> Option<VisitState> {
        assess(m, d(as_of), &RuleSettings::default(), Whereabouts::AtHome).map(|a| a.state())
    }

    #[test]
    fn turning_70_on_the_day_starts_the_half_year_rule() {
        let m = member("1956-11-26", "");
        assert_eq!(state(&m, "2026-11-25"), None);
        assert!(state(&m, "2026-11-26").is_some());
    }

    #[test]
    fn one_home_visit_a_half_year_from_70() {
        let m = member("1950-01-01", &visits(&[("2026-03-10", "上门"), ("2026-08-01", "上门")]));
        assert_eq!(state(&m, "2026-11-26"), Some(VisitState::Done));
        let missed_before = member("1950-01-01", &visits(&[("2025-12-01", "上门")]));
        assert_eq!(state(&missed_before, "2026-05-01"), Some(VisitState::Due), "last half-year was done");
        assert_eq!(state(&missed_before, "2026-07-01"), Some(VisitState::Overdue), "first half of 2026 was missed");
    }

    #[test]
    fn turning_80_on_the_day_switches_to_three_a_quarter() {
        let m = member("1946-11-26", &visits(&[("2026-10-05", "上门")]));
        let a = assess(&m, d("2026-11-25"), &RuleSettings::default(), Whereabouts::AtHome).unwrap();
        assert_eq!(a.state(), VisitState::Done, "79: one visit this half-year is enough");
        let a = assess(&m, d("2026-11-26"), &RuleSettings::default(), Whereabouts::AtHome).unwrap();
        assert_ne!(a.state(), VisitState::Done, "80: three a quarter");
        assert!(a.needs[0].why.contains("每季度至少上门走访 3 次（2026年第四季度已 1 次"), "{}", a.needs[0].why);
    }

    #[test]
    fn a_visit_on_the_last_day_of_the_quarter_counts_for_that_quarter() {
        let three = visits(&[("2026-07-01", "上门"), ("2026-08-15", "上门"), ("2026-09-30", "上门")]);
        let m = member("1940-01-01", &three);
        assert_eq!(state(&m, "2026-09-30"), Some(VisitState::Done));
        // The next quarter starts from zero, and is due (not overdue: Q3 was done).
        assert_eq!(state(&m, "2026-10-01"), Some(VisitState::Due));
    }

    #[test]
    fn a_phone_call_does_not_count() {
        let m = member("1950-01-01", &visits(&[("2026-08-01", "电话"), ("2026-09-01", "书信")]));
        assert_ne!(state(&m, "2026-11-26"), Some(VisitState::Done));
    }

    #[test]
    fn hardship_recorded_n_plus_1_days_ago_without_a_visit_is_overdue() {
        let hardship = |since: &str| format!("hardship:\n  level: 低保\n  since: {since}\n");
        let m = member("1960-01-01", &hardship("2026-11-18"));
        assert_eq!(state(&m, "2026-11-26"), Some(VisitState::Overdue), "8 days > 7");
        let m = member("1960-01-01", &hardship("2026-11-19"));
        assert_eq!(state(&m, "2026-11-26"), Some(VisitState::Due), "7 days: deadline is today");
        let visited = member("1960-01-01", &(hardship("2026-11-18") + &visits(&[("2026-11-20", "上门")])));
        assert_eq!(state(&visited, "2026-11-26"), Some(VisitState::Done));
    }

    #[test]
    fn serious_illness_is_urgent_and_sorts_first() {
        let sick = member("1960-01-01", "health:\n  status: 重病\n  since: 2026-11-20\n");
        let old = member("1930-01-01", "");
        let rules = RuleSettings::default();
        let (a, b) = (
            assess(&sick, d("2026-11-26"), &rules, Whereabouts::AtHome).unwrap(),
            assess(&old, d("2026-11-26"), &rules, Whereabouts::AtHome).unwrap(),
        );
        assert!(a.urgent());
        assert!(a.urgency() < b.urgency());
    }

    #[test]
    fn members_outside_the_city_are_called_instead() {
        let m = member("1950-01-01", "in_city: false\n");
        assert_eq!(state(&m, "2026-11-26"), Some(VisitState::Remote));
    }

    #[test]
    fn period_labels() {
        assert_eq!(Span::quarter(d("2026-11-26")).label(), "2026年第四季度");
        assert_eq!(Span::half_year(d("2026-11-26")).label(), "2026年下半年");
        assert_eq!(Span::half_year(d("2026-02-01")).label(), "2026年上半年");
        assert_eq!(Span::quarter(d("2026-01-15")).previous(3), Span { from: d("2025-10-01"), to: d("2025-12-31") });
    }
}
