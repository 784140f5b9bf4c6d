//! 党费 (docs/domain.md §2.5, §1.2.1): the monthly amount by the 2008 rules
//! (中组发〔2008〕3号 art. 5–6, 组电明字〔2017〕5号), fixed for a year, and the
//! ledger on a day — which months are paid, waived, looked after elsewhere
//! or owed, the month paid up to, arrears and what the branch must chase.
//! Amounts are whole 分 (i64) from reading to printing.

use chrono::NaiveDate;

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

mod findings;
mod ledger;
mod months;

pub use ledger::{DuesFacts, DuesFinding, DuesIssue, MonthMark};
use months::months_in;
pub use months::{index, month_of, month_of_date, month_zh, months_zh};

#[cfg(test)]
mod tests;
