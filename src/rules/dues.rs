//! 党费 (docs/domain.md §2.5, §1.2.1): the monthly amount by the 2008 rules
//! (中组发〔2008〕3号 art. 5–6, 组电明字〔2017〕5号), fixed for a year, and the
//! ledger on a day — which months are paid, waived, looked after elsewhere
//! or owed, the month paid up to, arrears and what the branch must chase.
//! Amounts are whole 分 (i64) from reading to printing.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::diag::Pos;
pub use crate::office::Rounding;
use crate::office::{DuesCategory, Member, Month, Payment, PaymentWay, Reduction, RuleSettings};

/// A base up to and including ¥5,000 pays 0.5 %, above it 1 % of the whole.
pub const THRESHOLD_FEN: i64 = 500_000;
/// 低保, 抚恤, 救济: ¥0.20 a month (art. 6).
pub const FIXED_FEN: i64 = 20;

/// Yuan as written in a file → whole 分.
pub fn fen(yuan: f64) -> i64 {
    (yuan * 100.0).round() as i64
}

/// "24.00", "1,234.50".
pub fn yuan(fen: i64) -> String {
    let (int, dec) = (fen.abs() / 100, fen.abs() % 100);
    let digits = int.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{grouped}.{dec:02}", if fen < 0 { "-" } else { "" })
}

/// The rate in ‰ for a monthly base: a cliff at ¥5,000, not a marginal rate.
pub fn rate_permille(base_fen: i64) -> i64 {
    if base_fen <= THRESHOLD_FEN { 5 } else { 10 }
}

/// The monthly amount from a base, rounded half up to `rounding`.
pub fn monthly_from_base(base_fen: i64, rounding: Rounding) -> i64 {
    let den = 1000 * rounding.unit();
    (base_fen * rate_permille(base_fen) + den / 2) / den * rounding.unit()
}

/// Where a year's monthly amount comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Basis {
    /// The base (分) at its rate; `from_pension` when no base was fixed for
    /// the year and the member file's current `pension` stands in.
    Base { base: i64, permille: i64, from_pension: bool },
    /// ¥0.20 for 低保, 抚恤, 救济.
    Fixed(DuesCategory),
    /// Reduced or waived by the branch's decision or the committee's approval.
    Reduced,
    /// No base recorded.
    Unknown,
}

/// A year's monthly amount and where it comes from.
#[derive(Debug, Clone)]
pub struct YearAmount<'a> {
    pub year: i32,
    pub basis: Basis,
    /// 分 a month; None when unknown.
    pub monthly: Option<i64>,
    /// The reduction, if one applies.
    pub reduction: Option<&'a Reduction>,
}

impl YearAmount<'_> {
    /// Nothing is due this year (an approved waiver).
    pub fn waived(&self) -> bool {
        self.basis == Basis::Reduced && self.monthly == Some(0)
    }
}

/// The monthly amount fixed for `year`: a reduction the branch decided or
/// the higher committee approved (one decided and not yet approved, where
/// the committee must approve, is a reminder to get it approved — the
/// branch's decision is a 正当理由, never arrears), else the fixed
/// category, else the year's base (or the current pension).
pub fn year_amount<'a>(m: &'a Member, year: i32, rules: &RuleSettings) -> YearAmount<'a> {
    let dues = &m.dues;
    if let Some(r) =
        dues.reductions.iter().find(|r| r.year.value == year && (r.approved.is_some() || r.decided.is_some()))
    {
        return YearAmount { year, basis: Basis::Reduced, monthly: Some(fen(r.monthly.value)), reduction: Some(r) };
    }
    if let Some(c) = &dues.category {
        return YearAmount { year, basis: Basis::Fixed(c.value), monthly: Some(FIXED_FEN), reduction: None };
    }
    let fixed = dues.bases.iter().find(|b| b.year.value == year).map(|b| (fen(b.base.value), false));
    match fixed.or_else(|| m.pension.as_ref().map(|p| (fen(p.value), true))) {
        Some((base, from_pension)) => YearAmount {
            year,
            basis: Basis::Base { base, permille: rate_permille(base), from_pension },
            monthly: Some(monthly_from_base(base, rules.dues_rounding)),
            reduction: None,
        },
        None => YearAmount { year, basis: Basis::Unknown, monthly: None, reduction: None },
    }
}

/// 党费交至 for a departure's papers: as written on the departure, else
/// what the ledger says on `on` (the day it started, or the letter's day).
pub fn paid_to_for(m: &Member, d: &crate::office::Departure, on: NaiveDate, rules: &RuleSettings) -> Option<Month> {
    d.dues_paid_to.as_ref().map(|p| p.value).or_else(|| DuesFacts::derive(m, on, rules).paid_to)
}

/// One month of the ledger on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthMark {
    /// Before the ledger starts: not tracked.
    Untracked,
    /// Paid, and how (None: an older record said "paid up to").
    Paid(Option<PaymentWay>),
    /// 免交 by an approved decision.
    Waived,
    /// The relationship was transferred out: paid to the receiving organisation.
    TransferredOut,
    /// The member had died or left the books by then.
    OffBooks,
    /// 停止党籍: nothing is due while membership is suspended.
    Suspended,
    /// A past month unpaid.
    Owed,
    /// This month or later, not paid yet (not late).
    Open,
}

impl MonthMark {
    /// The month needs nothing more.
    pub fn settled(self) -> bool {
        matches!(
            self,
            MonthMark::Paid(_)
                | MonthMark::Waived
                | MonthMark::TransferredOut
                | MonthMark::OffBooks
                | MonthMark::Suspended
        )
    }
}

/// What the branch must chase about dues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DuesIssue {
    /// Unpaid months ≥ `dues_warn_months`.
    Unpaid,
    /// Consecutive unpaid months ≥ `dues_alert_months` (自行脱党).
    Alert,
    /// A payment covers a month further back than `dues_backpay_months`.
    LateBackPay,
    /// A payment's amount is not what its months are due.
    WrongAmount,
    /// A month paid twice.
    PaidTwice,
    /// A reduction the branch decided that still needs the higher committee's approval.
    Unapproved,
    /// A reduction with neither the branch's decision nor an approval.
    Undecided,
    /// Months paid ahead beyond the death or leaving: the branch settles them.
    PaidAfterLeaving,
    /// The office keeps a ledger and this member's amount is unknown.
    NoBase,
}

impl DuesIssue {
    pub fn zh(self) -> &'static str {
        match self {
            DuesIssue::Unpaid => "党费欠交",
            DuesIssue::Alert => "党费久未交",
            DuesIssue::LateBackPay => "党费补交超期",
            DuesIssue::WrongAmount => "党费金额不符",
            DuesIssue::PaidTwice => "党费重复交纳",
            DuesIssue::Unapproved => "党费减免待上级批准",
            DuesIssue::Undecided => "党费减免没有决定",
            DuesIssue::PaidAfterLeaving => "党费多交待处理",
            DuesIssue::NoBase => "党费基数未登记",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            DuesIssue::Unpaid | DuesIssue::Alert => {
                "交纳后在 `dues:` 的 `payments:` 加一项（months 所交月份、amount 金额、paid 交纳日期）"
            }
            DuesIssue::LateBackPay => {
                "确属特殊情况、经支部同意补交的，在这一项下写明，例如 `note: 支部2026年7月1日同意补交`"
            }
            DuesIssue::WrongAmount => "核对这一项的 `amount:` 和 `months:`，或该年度的基数、减免",
            DuesIssue::PaidTwice => "核对两项交纳记录的 `months:`，删去重复的一项",
            DuesIssue::Unapproved => {
                "报上级党委批准（中组发〔2008〕3号）后写 `approved:` 批准日期和 `document:` 批准文号；本单位规定支部即可决定的，在 org.yaml 的 rules: 写 `dues_reduction_approver: 支部`"
            }
            DuesIssue::Undecided => "支部研究决定后写 `decided:` 决定日期；需上级批准的，批准后再写 `approved:`",
            DuesIssue::PaidAfterLeaving => "请支部研究处理（例如退还家属），处理后在这一项下写 `note:` 说明",
            DuesIssue::NoBase => "写 `pension:` 月基本养老金，或在 `dues:` 写 `category: 低保`",
        }
    }

    /// The arrears that decide whether a member is lost (R9, §1.2).
    pub fn is_arrears(self) -> bool {
        matches!(self, DuesIssue::Unpaid | DuesIssue::Alert)
    }
}

#[derive(Debug, Clone)]
pub struct DuesFinding {
    pub issue: DuesIssue,
    pub text: String,
    pub pos: Pos,
}

/// A member's dues on a day.
#[derive(Debug, Clone)]
pub struct DuesFacts<'a> {
    member: &'a Member,
    /// The first month the ledger follows, if it follows this member.
    pub start: Option<Month>,
    /// The month of the day: earlier unpaid months are owed.
    current: Month,
    /// Months paid on or before the day, with how (None: an older "paid up to" record).
    paid: BTreeMap<Month, Option<PaymentWay>>,
    /// What each month paid by a payment came to (分): its amount shared
    /// over its months, the remainder on the first.
    paid_fen: BTreeMap<Month, i64>,
    /// Months whose relationship was elsewhere (transferred out).
    away: Vec<(Month, Option<Month>)>,
    /// The month the member died or left the books, if they have: due
    /// still, the months after it not.
    off_from: Option<Month>,
    /// The month membership was suspended (停止党籍): the months after it are not due.
    suspended_from: Option<Month>,
    rounding: Rounding,
    /// Yearly amounts, by year (a sorted list: as maps, 20,000 members'
    /// would take 13 MB).
    amounts: Box<[YearAmount<'a>]>,
    /// The last month of an unbroken run of settled months from the start.
    pub paid_to: Option<Month>,
    /// Past months unpaid, in order.
    pub owed: Vec<Month>,
    /// Consecutive unpaid months up to last month.
    pub unpaid_run: u32,
    pub findings: Vec<DuesFinding>,
}

/// Months since year 0, so that months subtract.
pub fn index(m: Month) -> i32 {
    m.0 * 12 + m.1 as i32 - 1
}

pub fn month_of(i: i32) -> Month {
    (i.div_euclid(12), i.rem_euclid(12) as u32 + 1)
}

pub fn month_of_date(d: NaiveDate) -> Month {
    (d.year(), d.month())
}

/// "2026年3月".
pub fn month_zh(m: Month) -> String {
    format!("{}年{}月", m.0, m.1)
}

/// Months of a span, in order.
fn months_in((from, to): (Month, Month)) -> impl Iterator<Item = Month> {
    (index(from)..=index(to)).map(month_of)
}

/// "2026年5月至10月" for consecutive months, else listed.
pub fn months_zh(months: &[Month]) -> String {
    let mut runs: Vec<(Month, Month)> = Vec::new();
    for &m in months {
        match runs.last_mut() {
            Some((_, to)) if index(*to) + 1 == index(m) => *to = m,
            _ => runs.push((m, m)),
        }
    }
    runs.iter()
        .map(|&(a, b)| match (a == b, a.0 == b.0) {
            (true, _) => month_zh(a),
            (false, true) => format!("{}至{}月", month_zh(a), b.1),
            (false, false) => format!("{}至{}", month_zh(a), month_zh(b)),
        })
        .collect::<Vec<_>>()
        .join("、")
}

impl<'a> DuesFacts<'a> {
    pub fn derive(m: &'a Member, as_of: NaiveDate, rules: &RuleSettings) -> Self {
        let current = month_of_date(as_of);
        let mut findings = Vec::new();
        let mut paid: BTreeMap<Month, Option<PaymentWay>> = BTreeMap::new();
        let payments: Vec<&Payment> = m.dues.payments.iter().filter(|p| p.paid.value <= as_of).collect();
        let mut paid_fen: BTreeMap<Month, i64> = BTreeMap::new();
        let mut twice = Vec::new();
        for p in &payments {
            let months: Vec<Month> = months_in(p.months.value).collect();
            let total = fen(p.amount.value);
            let n = months.len().max(1) as i64;
            for (k, month) in months.into_iter().enumerate() {
                if paid.insert(month, Some(p.way)).is_some() {
                    twice.push((month, p.months.pos));
                }
                *paid_fen.entry(month).or_default() += total / n + if k == 0 { total % n } else { 0 };
            }
        }
        // An older record on a departure: "党费交至" a month.
        let legacy = m.departures.iter().filter(|d| d.start.value <= as_of).filter_map(|d| d.dues_paid_to.as_ref());
        let legacy_to = legacy.map(|p| p.value).max();
        let away = m
            .departures
            .iter()
            .filter_map(|d| {
                let t = d.transfer_date.as_ref().filter(|t| t.value <= as_of)?;
                let back = d.returned.as_ref().filter(|r| r.value <= as_of).map(|r| month_of_date(r.value));
                Some((month_of_date(t.value), back))
            })
            .collect();
        let start = rules.dues_since.or_else(|| paid.keys().next().copied()).map(|s| match legacy_to {
            Some(l) => s.min(l),
            None => s,
        });
        let start = start.or(legacy_to);
        if let (Some(s), Some(l)) = (start, legacy_to) {
            for i in index(s)..=index(l) {
                paid.entry(month_of(i)).or_insert(None);
            }
        }
        let standing = crate::rules::lifecycle::Standing::on(m, as_of);
        let mut facts = Self {
            member: m,
            start,
            current,
            paid,
            paid_fen,
            away,
            off_from: match standing {
                crate::rules::lifecycle::Standing::OffBooks { date, .. } => Some(month_of_date(date)),
                _ => None,
            },
            suspended_from: match standing {
                crate::rules::lifecycle::Standing::Suspended { since } => Some(month_of_date(since)),
                _ => None,
            },
            rounding: rules.dues_rounding,
            amounts: Box::default(),
            paid_to: None,
            owed: Vec::new(),
            unpaid_run: 0,
            findings: Vec::new(),
        };
        let mut years: Vec<i32> = vec![current.0];
        years.extend(facts.paid.keys().map(|m| m.0));
        years.extend(m.dues.reductions.iter().map(|r| r.year.value));
        if let Some(s) = start {
            years.extend(s.0..=current.0);
        }
        years.sort();
        years.dedup();
        facts.amounts = years.into_iter().map(|y| year_amount(m, y, rules)).collect();

        if let Some(s) = start {
            let last = index(current) - 1;
            for i in index(s)..=last {
                match facts.mark(month_of(i)) {
                    MonthMark::Owed => {
                        facts.owed.push(month_of(i));
                        facts.unpaid_run += 1;
                    }
                    _ => facts.unpaid_run = 0,
                }
            }
            // Months with the relationship elsewhere neither break the run nor extend it.
            let end = facts.paid.keys().next_back().map_or(0, |m| index(*m)).max(index(current) + 12);
            for i in index(s)..=end {
                match facts.mark(month_of(i)) {
                    MonthMark::Paid(_) | MonthMark::Waived => facts.paid_to = Some(month_of(i)),
                    MonthMark::TransferredOut => {}
                    _ => break,
                }
            }
        }
        let pos = m.dues.payments.last().map_or(m.dues.pos, |p| p.paid.pos);
        let pos = if pos == Pos::default() { m.name.pos } else { pos };
        let (owed, run) = (facts.owed.len() as u32, facts.unpaid_run);
        if run >= rules.dues_alert_months {
            let from = facts.owed[facts.owed.len() - run as usize];
            findings.push(DuesFinding {
                issue: DuesIssue::Alert,
                text: format!(
                    "自{}起已连续{run}个月未交党费；连续{}个月无正当理由不交按规定视为自行脱党，须立即联系",
                    month_zh(from),
                    rules.dues_alert_months
                ),
                pos,
            });
        } else if owed >= rules.dues_warn_months {
            findings.push(DuesFinding {
                issue: DuesIssue::Unpaid,
                text: format!("已欠交{owed}个月（{}）", months_zh(&facts.owed)),
                pos,
            });
        }
        for p in &payments {
            let back = index(month_of_date(p.paid.value)) - index(p.months.value.0);
            // Back pay further than the rules allow needs the branch's consent, written as a note.
            if back > rules.dues_backpay_months as i32 && p.note.is_none() {
                findings.push(DuesFinding {
                    issue: DuesIssue::LateBackPay,
                    text: format!(
                        "{}补交了{}的党费，已是{back}个月前；补交一般不超过{}个月",
                        crate::zh::zh_date(p.paid.value),
                        month_zh(p.months.value.0),
                        rules.dues_backpay_months
                    ),
                    pos: p.months.pos,
                });
            }
            let due: Option<i64> = months_in(p.months.value).map(|mo| facts.fixed(mo.0).and_then(|a| a.monthly)).sum();
            if let Some(due) = due
                && due != fen(p.amount.value)
            {
                findings.push(DuesFinding {
                    issue: DuesIssue::WrongAmount,
                    text: format!(
                        "{}的党费应交{}元，记录为{}元",
                        months_zh(&months_in(p.months.value).collect::<Vec<_>>()),
                        yuan(due),
                        yuan(fen(p.amount.value))
                    ),
                    pos: p.amount.pos,
                });
            }
        }
        twice.dedup_by_key(|(_, pos)| *pos);
        for (month, pos) in twice {
            findings.push(DuesFinding {
                issue: DuesIssue::PaidTwice,
                text: format!("{}的党费记了两次", month_zh(month)),
                pos,
            });
        }
        for r in m.dues.reductions.iter().filter(|r| r.approved.is_none()) {
            let (issue, text) = match &r.decided {
                None => (
                    DuesIssue::Undecided,
                    format!(
                        "{}年度的减免（每月{}元）没有支部决定或上级批准的日期，暂按规定金额计",
                        r.year.value,
                        yuan(fen(r.monthly.value))
                    ),
                ),
                Some(_) if rules.dues_reduction_approver == crate::office::ReductionApprover::Branch => continue,
                Some(d) => (
                    DuesIssue::Unapproved,
                    format!(
                        "{}年度的减免（每月{}元）支部已于{}决定，还需报上级党委批准；在此之前按支部决定计，不算欠交",
                        r.year.value,
                        yuan(fen(r.monthly.value)),
                        crate::zh::zh_date(d.value)
                    ),
                ),
            };
            findings.push(DuesFinding { issue, text, pos: r.year.pos });
        }
        // Paid ahead beyond the death or leaving: not due, told to the branch.
        let after: Vec<Month> =
            facts.paid.keys().copied().filter(|mo| facts.off_from.is_some_and(|o| index(*mo) > index(o))).collect();
        if !after.is_empty() {
            let total: i64 = after.iter().filter_map(|mo| facts.paid_fen.get(mo)).sum();
            let left = match standing {
                crate::rules::lifecycle::Standing::OffBooks { kind, .. } => crate::office::Word::zh(kind),
                _ => "离开",
            };
            findings.push(DuesFinding {
                issue: DuesIssue::PaidAfterLeaving,
                text: format!(
                    "{left}后已预交{}个月（{}）共{}元，请支部处理",
                    after.len(),
                    months_zh(&after),
                    yuan(total)
                ),
                pos,
            });
        }
        if start.is_some() && facts.fixed(current.0).is_some_and(|a| a.monthly.is_none()) {
            findings.push(DuesFinding {
                issue: DuesIssue::NoBase,
                text: format!("没有登记月基本养老金，{}年度每月党费无法核定", current.0),
                pos: m.name.pos,
            });
        }
        facts.findings = findings;
        facts
    }

    /// The mark of one month.
    pub fn mark(&self, month: Month) -> MonthMark {
        let i = index(month);
        // After the month of death or leaving nothing is due, paid or not.
        if self.off_from.is_some_and(|o| i > index(o)) {
            return MonthMark::OffBooks;
        }
        if let Some(way) = self.paid.get(&month) {
            return MonthMark::Paid(*way);
        }
        if self.suspended_from.is_some_and(|s| i > index(s)) {
            return MonthMark::Suspended;
        }
        if self.away.iter().any(|(t, back)| i > index(*t) && back.is_none_or(|b| i < index(b))) {
            return MonthMark::TransferredOut;
        }
        if self.amount(month.0).waived() {
            return MonthMark::Waived;
        }
        match self.start {
            Some(s) if i < index(s) => MonthMark::Untracked,
            None => MonthMark::Untracked,
            _ if i >= index(self.current) => MonthMark::Open,
            _ => MonthMark::Owed,
        }
    }

    /// The amount the ledger fixed for `year`, if it needed that year.
    fn fixed(&self, year: i32) -> Option<&YearAmount<'a>> {
        self.amounts.binary_search_by_key(&year, |a| a.year).ok().map(|i| &self.amounts[i])
    }

    /// The amount fixed for `year` (computed on demand for a year the ledger did not need).
    pub fn amount(&self, year: i32) -> YearAmount<'a> {
        self.fixed(year).cloned().unwrap_or_else(|| {
            year_amount(self.member, year, &RuleSettings { dues_rounding: self.rounding, ..Default::default() })
        })
    }

    /// What a paid month came to (分): its payment's share; a month known
    /// only from a departure's "党费交至" the year's amount, if known.
    pub fn paid_amount(&self, month: Month) -> Option<i64> {
        match self.paid.get(&month)? {
            Some(_) => self.paid_fen.get(&month).copied(),
            None => self.amount(month.0).monthly,
        }
    }

    /// The month is paid by an older "党费交至" record, not a payment.
    pub fn paid_by_record(&self, month: Month) -> bool {
        matches!(self.paid.get(&month), Some(None))
    }

    /// Arrears the branch must chase (warning or alert).
    pub fn in_arrears(&self) -> bool {
        self.findings.iter().any(|f| f.issue.is_arrears())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{date, member};

    fn r() -> RuleSettings {
        RuleSettings::default()
    }

    #[test]
    fn the_2008_vectors() {
        assert_eq!(monthly_from_base(fen(4800.0), Rounding::Fen), 2400);
        assert_eq!(monthly_from_base(fen(5000.0), Rounding::Fen), 2500);
        assert_eq!(monthly_from_base(fen(5001.0), Rounding::Fen), 5001);
        let m = member("1950-03-05", "dues:\n  category: 低保\n");
        assert_eq!(year_amount(&m, 2026, &r()).monthly, Some(20));
    }

    #[test]
    fn the_cliff_is_on_the_whole_amount_and_5000_is_included() {
        assert_eq!(rate_permille(500_000), 5);
        assert_eq!(rate_permille(500_001), 10);
        // 5,000.01 pays 1 % of the whole, not 0.5 % plus 1 % of the part above.
        assert_eq!(monthly_from_base(500_001, Rounding::Fen), 5000);
        assert_eq!(monthly_from_base(0, Rounding::Fen), 0);
    }

    #[test]
    fn rounding_is_half_up_to_the_configured_unit() {
        // 4,801 × 0.5 % = 24.005.
        assert_eq!(monthly_from_base(fen(4801.0), Rounding::Fen), 2401);
        assert_eq!(monthly_from_base(fen(4801.0), Rounding::Jiao), 2400);
        assert_eq!(monthly_from_base(fen(4890.0), Rounding::Jiao), 2450);
        assert_eq!(monthly_from_base(fen(4890.0), Rounding::Yuan), 2400);
        assert_eq!(monthly_from_base(fen(4900.0), Rounding::Yuan), 2500);
        assert_eq!(yuan(2401), "24.01");
        assert_eq!(yuan(1_234_567), "12,345.67");
    }

    #[test]
    fn a_year_base_is_fixed_for_the_year_and_the_pension_stands_in_otherwise() {
        let m = member("1950-03-05", "pension: 5200\ndues:\n  bases:\n    - year: 2026\n      base: 4800\n");
        let a = year_amount(&m, 2026, &r());
        assert_eq!((a.monthly, a.basis), (Some(2400), Basis::Base { base: 480_000, permille: 5, from_pension: false }));
        let b = year_amount(&m, 2027, &r());
        assert_eq!((b.monthly, b.basis), (Some(5200), Basis::Base { base: 520_000, permille: 10, from_pension: true }));
        assert_eq!(year_amount(&member("1950-03-05", ""), 2026, &r()).basis, Basis::Unknown);
    }

    #[test]
    fn a_reduction_the_branch_decided_applies_and_asks_for_the_committees_approval() {
        let text =
            "pension: 4000\ndues:\n  reductions:\n    - year: 2026\n      monthly: 0\n      decided: 2026-01-05\n";
        let m = member("1950-03-05", text);
        // Decided: nothing owed (a 正当理由), a reminder to get it approved.
        assert!(year_amount(&m, 2026, &r()).waived());
        let since = RuleSettings { dues_since: Some((2026, 1)), ..r() };
        let f = DuesFacts::derive(&m, date("2026-11-26"), &since);
        assert!(f.owed.is_empty() && !f.in_arrears(), "{:?}", f.owed);
        let issues: Vec<_> = f.findings.iter().map(|f| (f.issue, f.text.as_str())).collect();
        assert_eq!(
            issues,
            [(
                DuesIssue::Unapproved,
                "2026年度的减免（每月0.00元）支部已于2026年1月5日决定，还需报上级党委批准；在此之前按支部决定计，不算欠交"
            )]
        );
        // Where the branch may decide, that is the end of it.
        let branch =
            RuleSettings { dues_reduction_approver: crate::office::ReductionApprover::Branch, ..since.clone() };
        assert!(DuesFacts::derive(&m, date("2026-11-26"), &branch).findings.is_empty());
        // Neither decided nor approved: the full amount, and a word.
        let m = member("1950-03-05", &text.replace("      decided: 2026-01-05\n", ""));
        assert_eq!(year_amount(&m, 2026, &r()).monthly, Some(2000));
        let f = DuesFacts::derive(&m, date("2026-11-26"), &since);
        assert!(f.findings.iter().any(|f| f.issue == DuesIssue::Undecided), "{:?}", f.findings);
        let m =
            member("1950-03-05", &format!("{text}      approved: 2026-01-20\n      document: 离退休党委〔2026〕2号\n"));
        let a = year_amount(&m, 2026, &r());
        assert!(a.waived());
        assert_eq!(a.reduction.unwrap().document.as_ref().unwrap().value, "离退休党委〔2026〕2号");
    }

    #[test]
    fn nothing_is_due_while_suspended_nor_after_the_month_of_death() {
        use MonthMark::*;
        let since = RuleSettings { dues_since: Some((2026, 1)), ..r() };
        // Suspended on 2026-05-20: May still due, June on not.
        let m = member(
            "1950-03-05",
            "pension: 4800\nstatus:\n  kind: 停止党籍\n  date: 2026-05-20\n  lost_since: 2025-11-01\n",
        );
        let f = DuesFacts::derive(&m, date("2026-11-26"), &since);
        assert_eq!((f.mark((2026, 5)), f.mark((2026, 6)), f.mark((2026, 11))), (Owed, Suspended, Suspended));
        assert_eq!(f.owed.len(), 5);
        // Died 2026-11-30 having paid the whole year ahead: November due
        // (paid), December not — paid ahead, for the branch to settle.
        let m = member(
            "1950-03-05",
            "pension: 4800\nstatus:\n  kind: 去世\n  date: 2026-09-30\ndues:\n  payments:\n    - months: 2026-01..2026-12\n      amount: 288\n      paid: 2026-01-08\n",
        );
        let f = DuesFacts::derive(&m, date("2026-11-26"), &since);
        assert_eq!((f.mark((2026, 9)), f.mark((2026, 10))), (Paid(Some(PaymentWay::InPerson)), OffBooks));
        let prepaid: Vec<_> = f.findings.iter().filter(|f| f.issue == DuesIssue::PaidAfterLeaving).collect();
        assert_eq!(prepaid.len(), 1);
        assert_eq!(prepaid[0].text, "去世后已预交3个月（2026年10月至12月）共72.00元，请支部处理");
        // Died without paying ahead: the month of death is still his.
        let m = member("1950-03-05", "pension: 4800\nstatus:\n  kind: 去世\n  date: 2026-11-30\n");
        let f = DuesFacts::derive(&m, date("2026-12-26"), &since);
        assert_eq!((f.mark((2026, 11)), f.mark((2026, 12))), (Owed, OffBooks));
    }

    #[test]
    fn a_payment_is_shared_over_its_months_and_an_older_record_carries_the_years_amount() {
        let (_, f) = ledger(&pay("2026-01..2026-03", "72.01", "2026-01-10", ""), "2026-04-26", &r());
        assert_eq!(
            (f.paid_amount((2026, 1)), f.paid_amount((2026, 2)), f.paid_amount((2026, 4))),
            (Some(2401), Some(2400), None)
        );
    }

    fn ledger(payments: &str, as_of: &str, rules: &RuleSettings) -> (Vec<MonthMark>, DuesFacts<'static>) {
        let m: &'static Member =
            Box::leak(Box::new(member("1950-03-05", &format!("pension: 4800\ndues:\n  payments:\n{payments}"))));
        let f = DuesFacts::derive(m, date(as_of), rules);
        ((1..=12).map(|mo| f.mark((2026, mo))).collect(), f)
    }

    fn pay(months: &str, amount: &str, paid: &str, extra: &str) -> String {
        format!("    - months: {months}\n      amount: {amount}\n      paid: {paid}\n{extra}")
    }

    #[test]
    fn a_year_with_advance_late_and_elsewhere_payments() {
        use MonthMark::*;
        let rules = RuleSettings { dues_since: Some((2026, 1)), ..r() };
        let payments = [
            pay("2026-01..2026-03", "72", "2026-01-10", ""),
            // April and May paid late, in July (3 months back: allowed).
            pay("2026-04..2026-05", "48", "2026-07-08", "      how: 代交\n      by: 王小明（儿子）\n"),
            pay("2026-06..2026-07", "48", "2026-07-08", ""),
            // Away, paid at the destination.
            pay("2026-08..2026-09", "48", "2026-09-20", "      how: 异地交纳\n      at: 深圳市南山区某某社区党委\n"),
            // In advance, to the end of the year.
            pay("2026-10..2026-12", "72", "2026-10-09", ""),
        ]
        .concat();
        let (marks, f) = ledger(&payments, "2026-11-26", &rules);
        assert_eq!(&marks[..3], [Paid(Some(PaymentWay::InPerson)); 3]);
        assert_eq!(marks[3], Paid(Some(PaymentWay::ByProxy)));
        assert_eq!(marks[8], Paid(Some(PaymentWay::Elsewhere)));
        assert_eq!(marks[11], Paid(Some(PaymentWay::InPerson)));
        assert_eq!((f.paid_to, f.owed.len()), (Some((2026, 12)), 0));
        assert!(f.findings.is_empty(), "{:?}", f.findings);

        // On 1 September the August payment at the destination is not recorded yet.
        let (marks, f) = ledger(&payments, "2026-09-01", &rules);
        assert_eq!(marks[7], Owed);
        assert_eq!(marks[8], Open);
        assert_eq!((f.paid_to, f.owed.clone()), (Some((2026, 7)), vec![(2026, 8)]));
    }

    #[test]
    fn back_pay_further_than_six_months_is_flagged() {
        let payments = pay("2026-01..2026-02", "48", "2026-08-03", "");
        let (_, f) = ledger(&payments, "2026-11-26", &r());
        let issues: Vec<_> = f.findings.iter().map(|f| f.issue).collect();
        assert!(issues.contains(&DuesIssue::LateBackPay), "{:?}", f.findings);
        assert!(f.findings.iter().any(|f| f.text.contains("已是7个月前")));
        let payments = pay("2026-02..2026-02", "24", "2026-08-03", "");
        let (_, f) = ledger(&payments, "2026-11-26", &r());
        assert!(!f.findings.iter().any(|f| f.issue == DuesIssue::LateBackPay), "{:?}", f.findings);
        // With the branch's consent written down, it is not flagged.
        let payments = pay("2026-01..2026-02", "48", "2026-08-03", "      note: 支部同意补交\n");
        let (_, f) = ledger(&payments, "2026-11-26", &r());
        assert!(!f.findings.iter().any(|f| f.issue == DuesIssue::LateBackPay), "{:?}", f.findings);
    }

    #[test]
    fn warn_at_three_alert_at_six_not_counting_this_month() {
        let rules = RuleSettings { dues_since: Some((2026, 1)), ..r() };
        let issue = |to: &str, as_of: &str, rules: &RuleSettings| {
            let (_, f) = ledger(&pay(&format!("2026-01..{to}"), "0", "2026-01-05", ""), as_of, rules);
            f.findings.iter().filter(|f| f.issue.is_arrears()).map(|f| (f.issue, f.text.clone())).next()
        };
        // On 26 November, November is not late: paid to August owes September and October.
        assert_eq!(issue("2026-08", "2026-11-26", &rules), None);
        assert_eq!(issue("2026-07", "2026-11-26", &rules).unwrap().0, DuesIssue::Unpaid);
        assert_eq!(issue("2026-07", "2026-11-26", &rules).unwrap().1, "已欠交3个月（2026年8月至10月）");
        assert_eq!(issue("2026-05", "2026-11-26", &rules).unwrap().0, DuesIssue::Unpaid);
        let alert = issue("2026-04", "2026-11-26", &rules).unwrap();
        assert_eq!(alert.0, DuesIssue::Alert);
        assert!(alert.1.starts_with("自2026年5月起已连续6个月未交党费；连续6个月"), "{}", alert.1);
        // The text says the configured number.
        let four = RuleSettings { dues_alert_months: 4, ..rules.clone() };
        assert!(issue("2026-06", "2026-11-26", &four).unwrap().1.contains("连续4个月无正当理由"));
    }

    #[test]
    fn a_waived_year_owes_nothing_and_a_transfer_stops_the_ledger() {
        let waived = "pension: 3000\ndues:\n  reductions:\n    - year: 2026\n      monthly: 0\n      decided: 2026-01-05\n      approved: 2026-01-20\n      document: 离退休党委〔2026〕2号\n";
        let m = member("1950-03-05", waived);
        let f = DuesFacts::derive(&m, date("2026-11-26"), &RuleSettings { dues_since: Some((2026, 1)), ..r() });
        assert_eq!(f.mark((2026, 6)), MonthMark::Waived);
        assert!(f.owed.is_empty() && f.findings.is_empty(), "{:?}", f.findings);

        let mut m = member("1950-03-05", "pension: 4800\n");
        let mut d = crate::rules::testing::departure("2026-03-01", None, true, false);
        d.transfer_date = Some(crate::rules::testing::at(date("2026-03-10")));
        m.departures = vec![d];
        let f = DuesFacts::derive(&m, date("2026-11-26"), &RuleSettings { dues_since: Some((2026, 1)), ..r() });
        assert_eq!(f.mark((2026, 3)), MonthMark::Owed);
        assert_eq!(f.mark((2026, 4)), MonthMark::TransferredOut);
        assert_eq!(f.owed, [(2026, 1), (2026, 2), (2026, 3)]);
    }

    #[test]
    fn wrong_amounts_and_months_paid_twice() {
        let payments =
            [pay("2026-01..2026-03", "70", "2026-01-10", ""), pay("2026-03", "24", "2026-03-10", "")].concat();
        let (_, f) = ledger(&payments, "2026-04-26", &r());
        let issues: Vec<_> = f.findings.iter().map(|f| (f.issue, f.text.as_str())).collect();
        assert!(issues.contains(&(DuesIssue::WrongAmount, "2026年1月至3月的党费应交72.00元，记录为70.00元")));
        assert!(issues.contains(&(DuesIssue::PaidTwice, "2026年3月的党费记了两次")));
    }

    #[test]
    fn an_older_paid_up_to_record_still_counts() {
        let mut m = member("1950-03-05", "pension: 4800\n");
        let mut d = crate::rules::testing::departure("2026-03-01", None, true, false);
        d.dues_paid_to = Some(crate::rules::testing::at((2026, 4)));
        m.departures = vec![d];
        let f = DuesFacts::derive(&m, date("2026-11-26"), &r());
        assert_eq!(f.paid_to, Some((2026, 4)));
        assert_eq!(f.unpaid_run, 6);
        assert_eq!(f.findings[0].issue, DuesIssue::Alert);
    }

    #[test]
    fn months_in_words() {
        assert_eq!(months_zh(&[(2026, 5), (2026, 6), (2026, 7), (2026, 9)]), "2026年5月至7月、2026年9月");
        assert_eq!(months_zh(&[(2025, 12), (2026, 1)]), "2025年12月至2026年1月");
    }
}
