//! 党费 in a member file (`dues:`, docs/domain.md §2.5): the fixed-amount
//! category, the base fixed for a year, reductions the higher committee
//! approved, and the payments. What is owed is derived in
//! [`crate::rules::dues`].

use chrono::NaiveDate;

use super::words::{Word, read_word};
use crate::diag::Pos;
use crate::yaml::{Fields, Located};

/// A calendar month, (year, month 1–12).
pub type Month = (i32, u32);

/// Members who pay the fixed ¥0.20 a month (2008 rules art. 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuesCategory {
    /// 领取当地最低生活保障金.
    MinimumLiving,
    /// 靠抚恤金生活.
    Compensation,
    /// 靠救济金生活.
    Relief,
}

impl Word for DuesCategory {
    const WORDS: &'static [(Self, &'static str)] =
        &[(DuesCategory::MinimumLiving, "低保"), (DuesCategory::Compensation, "抚恤"), (DuesCategory::Relief, "救济")];
}

/// How a payment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentWay {
    /// 本人交纳.
    InPerson,
    /// 代交: a relative or another member paid.
    ByProxy,
    /// 异地交纳: at the receiving organisation while away.
    Elsewhere,
}

impl Word for PaymentWay {
    const WORDS: &'static [(Self, &'static str)] =
        &[(PaymentWay::InPerson, "本人"), (PaymentWay::ByProxy, "代交"), (PaymentWay::Elsewhere, "异地交纳")];
}

/// The base a year's amount was fixed from (基本养老金 without allowances).
#[derive(Debug, Clone)]
pub struct YearBase {
    pub year: Located<i32>,
    pub base: Located<f64>,
}

/// 减交或免交: decided by the branch, approved by the higher committee.
#[derive(Debug, Clone)]
pub struct Reduction {
    pub year: Located<i32>,
    /// The monthly amount agreed; 0 is 免交.
    pub monthly: Located<f64>,
    pub decided: Option<Located<NaiveDate>>,
    pub approved: Option<Located<NaiveDate>>,
    pub document: Option<Located<String>>,
    pub reason: Option<Located<String>>,
}

/// One payment: the months it covers, in order.
#[derive(Debug, Clone)]
pub struct Payment {
    pub months: Located<(Month, Month)>,
    pub amount: Located<f64>,
    pub paid: Located<NaiveDate>,
    pub way: PaymentWay,
    /// Who paid for the member (代交).
    pub by: Option<Located<String>>,
    /// Where it was paid (异地交纳): the receiving organisation.
    pub at: Option<Located<String>>,
    /// 说明, e.g. the branch's consent to a late back payment.
    pub note: Option<Located<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct Dues {
    /// Where the `dues:` key is written.
    pub pos: Pos,
    pub category: Option<Located<DuesCategory>>,
    pub bases: Vec<YearBase>,
    pub reductions: Vec<Reduction>,
    pub payments: Vec<Payment>,
}

pub const DUES_KEYS: &[(&str, &str)] =
    &[("category", "党费类别"), ("bases", "党费基数"), ("reductions", "减免"), ("payments", "交纳记录")];
const BASE_KEYS: &[(&str, &str)] = &[("year", "年度"), ("base", "基数")];
const REDUCTION_KEYS: &[(&str, &str)] = &[
    ("year", "年度"),
    ("monthly", "每月交纳额"),
    ("decided", "支部决定日期"),
    ("approved", "上级党委批准日期"),
    ("document", "批准文号"),
    ("reason", "理由"),
];
const PAYMENT_KEYS: &[(&str, &str)] = &[
    ("months", "所交月份"),
    ("amount", "金额"),
    ("paid", "交纳日期"),
    ("how", "交纳方式"),
    ("by", "代交人"),
    ("at", "交纳地党组织"),
    ("note", "说明"),
];

/// `2026-01`, or a span `2026-01..2026-03` (also `至`, `~`, `—`).
pub fn parse_months(s: &str) -> Option<(Month, Month)> {
    let month = |t: &str| {
        let (y, m) = t.trim().split_once('-')?;
        let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        ((1900..=2200).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
    };
    let s = s.trim();
    let (a, b) =
        ["..", "至", "~", "～", "—", "到"].iter().find_map(|sep| s.split_once(sep)).map_or((s, s), |(a, b)| (a, b));
    let (from, to) = (month(a)?, month(b)?);
    (from <= to).then_some((from, to))
}

fn year(f: &Fields) -> Option<Located<i32>> {
    let y = f.count("year", 1950..=2200);
    if y.is_none() && f.node("year").is_none() {
        f.req_text("year", "2026");
    }
    y.map(|y| y.map(|v| v as i32))
}

pub fn read_dues(f: Fields, pos: Pos) -> Dues {
    let category = read_word(&f, "category");
    let bases = f.read_list("bases", BASE_KEYS, |b| {
        let (y, base) = (year(&b), b.amount("base"));
        if base.is_none() && b.node("base").is_none() {
            b.req_text("base", "4800");
        }
        b.finish();
        Some(YearBase { year: y?, base: base? })
    });
    let reductions = f.read_list("reductions", REDUCTION_KEYS, |r| {
        let (y, monthly) = (year(&r), r.amount("monthly"));
        if monthly.is_none() && r.node("monthly").is_none() {
            r.req_text("monthly", "0");
        }
        let v = (r.date("decided"), r.date("approved"), r.text("document"), r.text("reason"));
        r.finish();
        let (decided, approved, document, reason) = v;
        Some(Reduction { year: y?, monthly: monthly?, decided, approved, document, reason })
    });
    let payments = f.read_list("payments", PAYMENT_KEYS, read_payment);
    f.finish();
    Dues { pos, category, bases, reductions, payments }
}

fn read_payment(p: Fields) -> Option<Payment> {
    let months = p.text("months").and_then(|t| match parse_months(&t.value) {
        Some(m) => Some(Located::new(m, t.pos)),
        None => {
            p.error(
                t.pos,
                format!("交纳记录的所交月份无法识别：“{}”", t.value),
                "写一个月 2026-03，或起止月份 2026-01..2026-03（起在前、止在后）",
            );
            None
        }
    });
    if p.node("months").is_none() {
        p.req_text("months", "2026-01..2026-03");
    }
    let amount = p.amount("amount");
    if amount.is_none() && p.node("amount").is_none() {
        p.req_text("amount", "72.00");
    }
    let paid = p.req_date("paid");
    let way = read_word::<PaymentWay>(&p, "how").map_or(PaymentWay::InPerson, |w| w.value);
    let (by, at, note) = (p.text("by"), p.text("at"), p.text("note"));
    if way == PaymentWay::Elsewhere && at.is_none() {
        p.warning(
            p.pos,
            "异地交纳的党费没有写交在哪个党组织",
            "加一行 `at:`，写接收地党组织的名称，例如 `at: 深圳市南山区某某社区党委`",
        );
    }
    p.finish();
    Some(Payment { months: months?, amount: amount?, paid: paid?, way, by, at, note })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_spans() {
        assert_eq!(parse_months("2026-03"), Some(((2026, 3), (2026, 3))));
        assert_eq!(parse_months("2026-01..2026-03"), Some(((2026, 1), (2026, 3))));
        assert_eq!(parse_months("2025-11 至 2026-02"), Some(((2025, 11), (2026, 2))));
        assert_eq!(parse_months("2026-03..2026-01"), None);
        assert_eq!(parse_months("2026-13"), None);
        assert_eq!(parse_months("三月"), None);
    }
}
