//! The visit schedule (R15–R18): 70+ living in the city → a home visit
//! every calendar half-year; 80+ → three every calendar quarter (instead);
//! serious illness or hardship at 低保 level → a home visit within N days.
//! Only home visits (上门) count. Each period is judged by the rate that
//! applied on its first day ([`crate::rules::visit_period`]).

use chrono::NaiveDate;

use crate::diag::Pos;
use crate::office::{Member, RuleSettings, VisitKind};
use crate::rules::age::age_on;
use crate::rules::status::Whereabouts;
pub use crate::rules::visit_period::Span;
use crate::rules::visit_period::{Rate, previous_period, visit_period};

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
    m.visits.iter().filter(|v| v.kind.value == VisitKind::Home).map(|v| v.date.value)
}

/// A recorded reason for a prompt visit (R17 hardship, R18 serious illness).
#[derive(Debug, Clone)]
pub struct UrgentCause {
    /// "身患重病"
    pub cause: &'static str,
    /// "重病" / "困难", for short messages.
    pub short: &'static str,
    /// The member-file key it is written under: "health" / "hardship".
    pub key: &'static str,
    /// What its `since` means: "起始日期" / "登记日期".
    pub since_means: &'static str,
    /// Where the `health:` / `hardship:` entry is.
    pub pos: Pos,
    /// When it began; None when not written — never guessed.
    pub since: Option<NaiveDate>,
}

/// The member's reasons for a prompt visit, as written in their file.
pub fn urgent_causes(m: &Member) -> Vec<UrgentCause> {
    let ill = m.health.as_ref().filter(|h| h.is_serious()).map(|h| UrgentCause {
        cause: "身患重病",
        short: "重病",
        key: "health",
        since_means: "起始日期",
        pos: h.pos,
        since: h.since.as_ref().map(|s| s.value),
    });
    let poor = m.hardship.as_ref().filter(|h| h.level.as_ref().is_some_and(|l| l.value.at_minimum_living_level()));
    let poor = poor.map(|h| UrgentCause {
        cause: "家庭困难达到低保标准",
        short: "困难",
        key: "hardship",
        since_means: "登记日期",
        pos: h.pos,
        since: h.since.as_ref().map(|s| s.value),
    });
    [ill, poor].into_iter().flatten().collect()
}

/// The age-based need (R15, R16) for the period around `as_of`.
fn periodic_need(
    birth: NaiveDate,
    as_of: NaiveDate,
    visitable: bool,
    in_city: bool,
    count_in: impl Fn(Span) -> u32,
    rules: &RuleSettings,
) -> Option<Need> {
    let p = visit_period(birth, as_of, rules)?;
    let done = count_in(p.span);
    let missed_before = previous_period(birth, &p, rules).filter(|prev| count_in(prev.span) < prev.required);
    let state = match () {
        _ if !visitable => VisitState::Remote,
        _ if done >= p.required => VisitState::Done,
        _ if missed_before.is_some() => VisitState::Overdue,
        _ => VisitState::Due,
    };
    let (threshold, per, required) = (p.threshold, p.per(), p.required);
    let mut why = format!("{threshold}岁以上，{per}至少上门走访{required}次（{}已{done}次", p.label());
    if let (VisitState::Overdue, Some(prev)) = (state, missed_before) {
        why.push_str(&format!("，上期{}应{}次、只有{}次", prev.label(), prev.required, count_in(prev.span)));
    }
    why.push('）');
    // Turned 80 during a half-yearly period: say when the quarterly rate starts.
    if p.rate == Rate::HalfYearly && age_on(birth, as_of) >= rules.frequent_visit_age {
        let next = Span::quarter(p.span.to.succ_opt()?);
        why.push_str(&format!(
            "；已满{}岁，自{}起每季度至少上门走访{}次",
            rules.frequent_visit_age,
            next.label(),
            rules.visits_per_quarter
        ));
    }
    if !visitable {
        why.push_str(if in_city {
            "；现外出，改为电话或书信联系"
        } else {
            "；住在市外，改为电话或书信联系"
        });
    }
    Some(Need { state, urgent: false, why, deadline: p.span.to })
}

/// The prompt-visit need for one cause. Without a start date the deadline
/// cannot be known, so a visit is owed now (due today), and no home visit
/// can be shown to come after the cause; `check` asks for the date.
fn urgent_need(c: &UrgentCause, as_of: NaiveDate, visitable: bool, m: &Member, days: u32) -> Need {
    let Some(since) = c.since else {
        let state = if visitable { VisitState::Due } else { VisitState::Remote };
        let why = format!("{}（未写{}），应尽快上门走访", c.cause, c.since_means);
        return Need { state, urgent: true, why, deadline: as_of };
    };
    let deadline = since + chrono::Days::new(u64::from(days));
    let visited = home_visits(m).any(|d| d >= since && d <= as_of);
    let state = match () {
        _ if visited => VisitState::Done,
        _ if !visitable => VisitState::Remote,
        _ if as_of > deadline => VisitState::Overdue,
        _ => VisitState::Due,
    };
    let why = format!("{}（{}登记），应在{days}天内上门走访", c.cause, crate::zh::zh_date(since));
    Need { state, urgent: true, why, deadline }
}

/// What the schedule asks of the office for `m` on `as_of`, given where
/// the member is and their birth date (both derived once by the facts
/// layer); None when no rule applies.
pub fn assess<'a>(
    m: &'a Member,
    as_of: NaiveDate,
    rules: &RuleSettings,
    whereabouts: Whereabouts,
    birth: Option<NaiveDate>,
) -> Option<Assessment<'a>> {
    let age = birth.map(|b| age_on(b, as_of));
    let visitable = m.in_city && whereabouts == Whereabouts::AtHome;
    let count_in = |s: Span| home_visits(m).filter(|d| s.contains(*d) && *d <= as_of).count() as u32;
    let mut needs = Vec::new();
    needs.extend(birth.and_then(|b| periodic_need(b, as_of, visitable, m.in_city, count_in, rules)));
    for c in urgent_causes(m) {
        needs.push(urgent_need(&c, as_of, visitable, m, rules.urgent_visit_days));
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
    use crate::rules::age::birth_date;
    use crate::rules::testing::member;

    /// The assessment of a member at home.
    fn at_home<'a>(m: &'a Member, as_of: NaiveDate, rules: &RuleSettings) -> Option<Assessment<'a>> {
        assess(m, as_of, rules, Whereabouts::AtHome, birth_date(m))
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn visits(list: &[(&str, &str)]) -> String {
        let mut s = "visits:\n".to_string();
        for (date, kind) in list {
            s.push_str(&format!("  - date: {date}\n    kind: {kind}\n"));
        }
        s
    }

    fn home(dates: &[&str]) -> String {
        visits(&dates.iter().map(|d| (*d, "上门")).collect::<Vec<_>>())
    }

    fn state(m: &Member, as_of: &str) -> Option<VisitState> {
        at_home(m, d(as_of), &RuleSettings::default()).map(|a| a.state())
    }

    fn why(m: &Member, as_of: &str) -> String {
        at_home(m, d(as_of), &RuleSettings::default()).unwrap().needs[0].why.clone()
    }

    #[test]
    fn r15_turning_70_mid_half_year_owes_nothing_until_the_next_half_year() {
        let m = member("1956-11-26", "");
        for day in ["2026-11-25", "2026-11-26", "2026-11-27", "2026-12-31"] {
            assert_eq!(state(&m, day), None, "{day}");
        }
        // The first half-year at 70 is due, never overdue: nothing was owed before.
        assert_eq!(state(&m, "2027-01-01"), Some(VisitState::Due));
        assert_eq!(state(&m, "2027-06-30"), Some(VisitState::Due));
        assert_eq!(state(&m, "2027-07-01"), Some(VisitState::Overdue), "the first half of 2027 was missed");
    }

    #[test]
    fn r15_one_home_visit_a_half_year_from_70() {
        let m = member("1950-01-01", &home(&["2026-03-10", "2026-08-01"]));
        assert_eq!(state(&m, "2026-11-26"), Some(VisitState::Done));
        let missed_before = member("1950-01-01", &home(&["2025-12-01"]));
        assert_eq!(state(&missed_before, "2026-05-01"), Some(VisitState::Due), "last half-year was done");
        assert_eq!(state(&missed_before, "2026-07-01"), Some(VisitState::Overdue), "first half of 2026 was missed");
    }

    #[test]
    fn r16_turning_80_mid_quarter_stays_half_yearly_until_the_next_quarter() {
        // 80 on 2026-11-26: the second half of 2026 stays on one visit a half-year.
        let m = member("1946-11-26", &home(&["2026-10-05"]));
        for day in ["2026-11-25", "2026-11-26", "2026-11-27", "2026-12-31"] {
            assert_eq!(state(&m, day), Some(VisitState::Done), "{day}: one visit this half-year is enough");
        }
        assert!(why(&m, "2026-11-26").contains("自2027年第一季度起每季度至少上门走访3次"), "{}", why(&m, "2026-11-26"));
        // From the next quarter: three a quarter, due (the half-year before was done).
        assert_eq!(state(&m, "2027-01-01"), Some(VisitState::Due));
        assert!(why(&m, "2027-01-01").contains("80岁以上，每季度至少上门走访3次（2027年第一季度已0次）"));
    }

    #[test]
    fn r16_the_previous_period_is_judged_by_its_own_rate() {
        // One visit in the second half of 2026 met the half-yearly rate, so
        // the first quarter at 80 is due, not overdue; none would make it overdue.
        let none = member("1946-11-26", "");
        assert_eq!(state(&none, "2026-12-31"), Some(VisitState::Overdue), "first half of 2026 missed too");
        assert_eq!(state(&none, "2027-01-01"), Some(VisitState::Overdue));
        assert!(why(&none, "2027-01-01").contains("上期2026年下半年应1次、只有0次"), "{}", why(&none, "2027-01-01"));
        let one = member("1946-11-26", &home(&["2026-12-20"]));
        assert_eq!(state(&one, "2027-02-01"), Some(VisitState::Due));
        // Quarter after quarter: fewer than three last quarter is overdue.
        let two = member("1946-11-26", &home(&["2027-01-10", "2027-02-10"]));
        assert_eq!(state(&two, "2027-04-01"), Some(VisitState::Overdue));
    }

    #[test]
    fn r16_turning_80_in_a_half_years_first_quarter_ends_it_early() {
        // 80 on 2026-08-15: July–September is the rest of the half-yearly rate.
        let m = member("1946-08-15", "");
        for day in ["2026-08-14", "2026-08-15", "2026-08-16"] {
            let a = at_home(&m, d(day), &RuleSettings::default()).unwrap();
            assert_eq!(a.needs[0].deadline, d("2026-09-30"), "{day}");
            assert!(a.needs[0].why.contains("每半年至少上门走访1次（2026年7月至9月已0次"), "{}", a.needs[0].why);
        }
        assert!(why(&m, "2026-08-15").contains("自2026年第四季度起每季度"), "{}", why(&m, "2026-08-15"));
        let visited = member("1946-08-15", &home(&["2026-09-01"]));
        assert_eq!(state(&visited, "2026-09-30"), Some(VisitState::Done));
        assert_eq!(state(&visited, "2026-10-01"), Some(VisitState::Due), "Q4: three a quarter, July–September was met");
        assert_eq!(state(&m, "2026-10-01"), Some(VisitState::Overdue), "July–September was missed");
    }

    #[test]
    fn feb_29_birthdays_change_rate_at_the_next_period() {
        let m = member("1948-02-29", &home(&["2028-01-20"]));
        for day in ["2028-02-28", "2028-02-29", "2028-03-01", "2028-03-31"] {
            assert_eq!(state(&m, day), Some(VisitState::Done), "{day}: half-yearly until 31 March");
        }
        assert_eq!(state(&m, "2028-04-01"), Some(VisitState::Due), "quarterly from April");
        // 70 on 2026-02-28 (a common year).
        let young = member("1956-02-29", "");
        assert_eq!(state(&young, "2026-02-27"), None);
        assert_eq!(state(&young, "2026-02-28"), None, "70 today, nothing owed before July");
        assert_eq!(state(&young, "2026-07-01"), Some(VisitState::Due));
    }

    #[test]
    fn r16_a_visit_on_the_last_day_of_the_quarter_counts_for_that_quarter() {
        let m = member("1940-01-01", &home(&["2026-07-01", "2026-08-15", "2026-09-30"]));
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
    fn r17_hardship_recorded_n_plus_1_days_ago_without_a_visit_is_overdue() {
        let hardship = |since: &str| format!("hardship:\n  level: 低保\n  since: {since}\n");
        let m = member("1960-01-01", &hardship("2026-11-18"));
        assert_eq!(state(&m, "2026-11-26"), Some(VisitState::Overdue), "8 days > 7");
        let m = member("1960-01-01", &hardship("2026-11-19"));
        assert_eq!(state(&m, "2026-11-26"), Some(VisitState::Due), "7 days: deadline is today");
        let visited = member("1960-01-01", &(hardship("2026-11-18") + &home(&["2026-11-20"])));
        assert_eq!(state(&visited, "2026-11-26"), Some(VisitState::Done));
    }

    #[test]
    fn r18_serious_illness_is_urgent_and_sorts_first() {
        let sick = member("1960-01-01", "health:\n  status: 重病\n  since: 2026-11-20\n");
        let old = member("1930-01-01", "");
        let rules = RuleSettings::default();
        let (a, b) =
            (at_home(&sick, d("2026-11-26"), &rules).unwrap(), at_home(&old, d("2026-11-26"), &rules).unwrap());
        assert!(a.urgent());
        assert!(a.urgency() < b.urgency());
    }

    #[test]
    fn r18_serious_illness_without_since_is_due_now_not_dated_by_the_run() {
        let sick = member("1960-01-01", &("health:\n  status: 重病\n".to_string() + &home(&["2026-11-20"])));
        for day in ["2026-11-26", "2027-03-01"] {
            let a = at_home(&sick, d(day), &RuleSettings::default()).unwrap();
            assert_eq!(a.state(), VisitState::Due, "{day}: a visit on record cannot be shown to come after it");
            assert!(a.urgent());
            assert_eq!(a.deadline(), Some(d(day)), "owed now");
            assert_eq!(a.needs[0].why, "身患重病（未写起始日期），应尽快上门走访");
        }
        let away = member("1960-01-01", "in_city: false\nhealth:\n  status: 重病\n");
        assert_eq!(state(&away, "2026-11-26"), Some(VisitState::Remote));
    }

    #[test]
    fn r17_hardship_without_since_is_due_now() {
        let m = member("1960-01-01", "hardship:\n  level: 特困\n");
        let a = at_home(&m, d("2026-11-26"), &RuleSettings::default()).unwrap();
        assert_eq!((a.state(), a.deadline()), (VisitState::Due, Some(d("2026-11-26"))));
        assert_eq!(a.needs[0].why, "家庭困难达到低保标准（未写登记日期），应尽快上门走访");
        let causes = urgent_causes(&m);
        assert_eq!((causes[0].key, causes[0].since, causes[0].pos.line), ("hardship", None, 11));
    }

    #[test]
    fn members_outside_the_city_are_called_instead() {
        let m = member("1950-01-01", "in_city: false\n");
        assert_eq!(state(&m, "2026-11-26"), Some(VisitState::Remote));
    }
}
