//! A member's dues ledger on a day: which months are paid, waived, looked
//! after elsewhere or owed, the month paid up to, and the arrears.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::findings;
use super::*;
use crate::rules::lifecycle::Standing;

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
    pub(super) member: &'a Member,
    /// The first month the ledger follows, if it follows this member.
    pub start: Option<Month>,
    /// The month of the day: earlier unpaid months are owed.
    pub(super) current: Month,
    /// Months paid on or before the day, with how (None: an older "paid up to" record).
    pub(super) paid: BTreeMap<Month, Option<PaymentWay>>,
    /// What each month paid by a payment came to (分): its amount shared
    /// over its months, the remainder on the first.
    pub(super) paid_fen: BTreeMap<Month, i64>,
    /// Months whose relationship was elsewhere (transferred out).
    away: Vec<(Month, Option<Month>)>,
    /// The month the member died or left the books, if they have: due
    /// still, the months after it not.
    pub(super) off_from: Option<Month>,
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

impl<'a> DuesFacts<'a> {
    pub fn derive(m: &'a Member, as_of: NaiveDate, rules: &RuleSettings) -> Self {
        let current = month_of_date(as_of);
        let payments: Vec<&Payment> = m.dues.payments.iter().filter(|p| p.paid.value <= as_of).collect();
        let Paid { mut paid, paid_fen, twice } = Paid::of(&payments);
        // An older record on a departure: "党费交至" a month.
        let legacy = m.departures.iter().filter(|d| d.start.value <= as_of).filter_map(|d| d.dues_paid_to.as_ref());
        let legacy_to = legacy.map(|p| p.value).max();
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
        let standing = Standing::on(m, as_of);
        let mut facts = Self {
            member: m,
            start,
            current,
            paid,
            paid_fen,
            away: transferred_out(m, as_of),
            off_from: match standing {
                Standing::OffBooks { date, .. } => Some(month_of_date(date)),
                _ => None,
            },
            suspended_from: match standing {
                Standing::Suspended { since } => Some(month_of_date(since)),
                _ => None,
            },
            rounding: rules.dues_rounding,
            amounts: Box::default(),
            paid_to: None,
            owed: Vec::new(),
            unpaid_run: 0,
            findings: Vec::new(),
        };
        facts.amounts = facts.years().into_iter().map(|y| year_amount(m, y, rules)).collect();
        facts.walk();
        facts.findings = findings::of(&facts, &payments, twice, rules, standing);
        facts
    }

    /// The years whose amounts the ledger needs: this one, those of its
    /// payments and reductions, and every one from its start.
    fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = vec![self.current.0];
        years.extend(self.paid.keys().map(|m| m.0));
        years.extend(self.member.dues.reductions.iter().map(|r| r.year.value));
        if let Some(s) = self.start {
            years.extend(s.0..=self.current.0);
        }
        years.sort();
        years.dedup();
        years
    }

    /// Walk the months from the start: those owed, the unpaid run up to
    /// last month, and the month paid up to.
    fn walk(&mut self) {
        let Some(s) = self.start else { return };
        for i in index(s)..index(self.current) {
            match self.mark(month_of(i)) {
                MonthMark::Owed => {
                    self.owed.push(month_of(i));
                    self.unpaid_run += 1;
                }
                _ => self.unpaid_run = 0,
            }
        }
        // Months with the relationship elsewhere neither break the run nor extend it.
        let end = self.paid.keys().next_back().map_or(0, |m| index(*m)).max(index(self.current) + 12);
        for i in index(s)..=end {
            match self.mark(month_of(i)) {
                MonthMark::Paid(_) | MonthMark::Waived => self.paid_to = Some(month_of(i)),
                MonthMark::TransferredOut => {}
                _ => break,
            }
        }
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
    pub(super) fn fixed(&self, year: i32) -> Option<&YearAmount<'a>> {
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

/// The months paid by payments: how, what each came to (分: a payment's
/// amount shared over its months, the remainder on the first), and the
/// months paid twice with where.
struct Paid {
    paid: BTreeMap<Month, Option<PaymentWay>>,
    paid_fen: BTreeMap<Month, i64>,
    twice: Vec<(Month, Pos)>,
}

impl Paid {
    fn of(payments: &[&Payment]) -> Self {
        let mut p = Paid { paid: BTreeMap::new(), paid_fen: BTreeMap::new(), twice: Vec::new() };
        for pay in payments {
            let months: Vec<Month> = months_in(pay.months.value).collect();
            let total = fen(pay.amount.value);
            let n = months.len().max(1) as i64;
            for (k, month) in months.into_iter().enumerate() {
                if p.paid.insert(month, Some(pay.way)).is_some() {
                    p.twice.push((month, pay.months.pos));
                }
                *p.paid_fen.entry(month).or_default() += total / n + if k == 0 { total % n } else { 0 };
            }
        }
        p
    }
}

/// The spans the member's relationship was elsewhere (transferred out),
/// from the month of the transfer to the month back, if back.
fn transferred_out(m: &Member, as_of: NaiveDate) -> Vec<(Month, Option<Month>)> {
    m.departures
        .iter()
        .filter_map(|d| {
            let t = d.transfer_date.as_ref().filter(|t| t.value <= as_of)?;
            let back = d.returned.as_ref().filter(|r| r.value <= as_of).map(|r| month_of_date(r.value));
            Some((month_of_date(t.value), back))
        })
        .collect()
}
