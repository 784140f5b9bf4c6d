//! 生日名单: the members whose birthday falls in a month, per branch, with
//! the age they reach, where they are and the phone to ring — offices visit
//! or phone on a birthday, and mark the round ones (七十、八十、九十大寿).
//! The worked example of the README's "adding a document kind".

use chrono::{Datelike, NaiveDate};

use super::branch_lists::{BranchList, per_branch};
use super::greeting_letter::{far_departure, phones_to_call};
use super::{DocumentKind, on_paper, zh_date};
use crate::facts::{Facts, MemberFacts};
use crate::outputs::Output;

pub const KIND: DocumentKind = DocumentKind {
    template: "branch-list.typ",
    zh: "生日名单",
    folder: "lists",
    one_page: false,
    example: Some(next_month),
};

/// A calendar month, as `--month` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// The month after the one `day` falls in: the list is printed ahead.
    pub fn after(day: NaiveDate) -> Self {
        match day.month() {
            12 => Month { year: day.year() + 1, month: 1 },
            m => Month { year: day.year(), month: m + 1 },
        }
    }

    /// Month `month` of no year said: the next one from `day`'s month on.
    pub fn next(month: u32, day: NaiveDate) -> Self {
        let year = if month < day.month() { day.year() + 1 } else { day.year() };
        Month { year, month }
    }

    /// "2027年1月".
    pub fn zh(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

/// The birthday of a member born on `birth` in `m`, if it falls there
/// (29 February: the 28th in a common year, as their age counts it).
fn birthday_in(birth: NaiveDate, m: Month) -> Option<NaiveDate> {
    (birth.month() == m.month && birth.year() < m.year).then(|| {
        NaiveDate::from_ymd_opt(m.year, m.month, birth.day())
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(m.year, 2, 28).expect("28 February"))
    })
}

/// One row: who, the day, the age reached, where, the phone; the last two
/// columns for the visitor to fill in by hand.
fn row(f: &MemberFacts, day: NaiveDate, age: i32) -> Vec<String> {
    let m = f.member;
    let away = far_departure(f);
    let round = if age % 10 == 0 { format!("{age}岁（整寿）") } else { format!("{age}岁") };
    vec![
        String::new(),
        m.name.value.clone(),
        format!("{}月{}日", day.month(), day.day()),
        round,
        match away {
            Some(d) => format!("外出：{}", d.destination.region()),
            None => on_paper(&m.address.value),
        },
        phones_to_call(f).join(" "),
        String::new(),
        String::new(),
    ]
}

/// The rows of one branch's members born in `month`, by day.
pub fn rows(members: &[&MemberFacts], month: Month) -> Vec<Vec<String>> {
    let mut born: Vec<(NaiveDate, &MemberFacts)> =
        members.iter().filter_map(|f| Some((birthday_in(f.birth?, month)?, *f))).collect();
    born.sort_by_key(|(day, _)| *day);
    born.into_iter()
        .enumerate()
        .map(|(i, (day, f))| {
            let age = month.year - f.birth.map_or(month.year, |b| b.year());
            let mut r = row(f, day, age);
            r[0] = (i + 1).to_string();
            r
        })
        .collect()
}

/// The month's list, one branch to a page or more, in one print file.
pub fn plan<'f>(facts: &'f Facts<'f>, month: Month) -> Vec<Output<'f>> {
    let stem = format!("{}-{:02}-birthdays", month.year, month.month);
    per_branch(facts, &KIND, &stem, |branch, members| BranchList {
        title: format!("{}生日名单", month.zh()),
        branch: branch.into(),
        as_of: zh_date(facts.as_of),
        heads: vec!["序号", "姓名", "生日", "年龄", "住址（现在何处）", "联系电话", "走访或慰问人", "日期和情况"],
        widths: vec![0.5, 1.5, 0.9, 1.1, 3.0, 1.7, 1.3, 1.7],
        rows: rows(&members, month),
        empty: format!("本支部没有{}过生日的党员。", month.zh()),
        note: "年龄为当月满的周岁；逢十为整寿。生日当天或前后，请支部上门或电话祝贺，并把情况交退管办登记。".into(),
    })
}

/// Next month's list (the example `tuiguan templates` gives).
fn next_month<'f>(facts: &'f Facts<'f>) -> Vec<Output<'f>> {
    plan(facts, Month::after(facts.as_of))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_list_is_for_the_month_ahead_and_a_month_named_alone_is_the_next_one() {
        assert_eq!(Month::after(day(2026, 11, 26)), Month { year: 2026, month: 12 });
        assert_eq!(Month::after(day(2026, 12, 7)), Month { year: 2027, month: 1 });
        assert_eq!(Month::next(1, day(2026, 11, 26)), Month { year: 2027, month: 1 });
        assert_eq!(Month::next(11, day(2026, 11, 26)), Month { year: 2026, month: 11 });
    }

    #[test]
    fn a_birthday_falls_in_its_month_and_29_february_on_the_28th_in_a_common_year() {
        let feb = Month { year: 2027, month: 2 };
        assert_eq!(birthday_in(day(1940, 2, 29), feb), Some(day(2027, 2, 28)));
        assert_eq!(birthday_in(day(1940, 2, 29), Month { year: 2028, month: 2 }), Some(day(2028, 2, 29)));
        assert_eq!(birthday_in(day(1940, 3, 1), feb), None);
        // Not born yet: no birthday.
        assert_eq!(birthday_in(day(2027, 2, 3), feb), None);
    }
}
