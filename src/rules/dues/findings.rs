//! What the branch is told of a member's dues: arrears (a warning, then
//! the alert at the months the rules set, R9), back pay beyond the
//! limit, a payment of the wrong amount or made twice, a reduction not
//! decided or not approved, months paid ahead past death or leaving, and
//! no pension base to fix the amount by.

use super::*;
use crate::rules::lifecycle::Standing;

/// The findings of `facts` (its walk done), from its payments on the day
/// and the months paid twice.
pub(super) fn of(
    facts: &DuesFacts,
    payments: &[&Payment],
    twice: Vec<(Month, Pos)>,
    rules: &RuleSettings,
    standing: Standing,
) -> Vec<DuesFinding> {
    let m = facts.member;
    let pos = m.dues.payments.last().map_or(m.dues.pos, |p| p.paid.pos);
    let pos = if pos == Pos::default() { m.name.pos } else { pos };
    let mut findings = arrears(facts, rules, pos);
    findings.extend(payments.iter().flat_map(|p| payment(facts, p, rules)));
    findings.extend(paid_twice(twice));
    findings.extend(reductions(m, rules));
    findings.extend(paid_after_leaving(facts, standing, pos));
    if facts.start.is_some() && facts.fixed(facts.current.0).is_some_and(|a| a.monthly.is_none()) {
        findings.push(DuesFinding {
            issue: DuesIssue::NoBase,
            text: format!("没有登记月基本养老金，{}年度每月党费无法核定", facts.current.0),
            pos: m.name.pos,
        });
    }
    findings
}

/// Arrears: the alert for an unbroken run of the rules' months, else a
/// warning for as many months owed.
fn arrears(facts: &DuesFacts, rules: &RuleSettings, pos: Pos) -> Vec<DuesFinding> {
    let mut findings = Vec::new();
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
    findings
}

/// A payment's findings: back pay further than the rules allow (unless a
/// note gives the branch's consent), and an amount other than due.
fn payment(facts: &DuesFacts, p: &Payment, rules: &RuleSettings) -> Vec<DuesFinding> {
    let mut findings = Vec::new();
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
    findings
}

/// Months recorded twice, once per place.
fn paid_twice(mut twice: Vec<(Month, Pos)>) -> Vec<DuesFinding> {
    let mut findings = Vec::new();
    twice.dedup_by_key(|(_, pos)| *pos);
    for (month, pos) in twice {
        findings.push(DuesFinding {
            issue: DuesIssue::PaidTwice,
            text: format!("{}的党费记了两次", month_zh(month)),
            pos,
        });
    }
    findings
}

/// Reductions not yet decided, or decided by the branch and awaiting the
/// committee's approval where the office asks for it.
fn reductions(m: &Member, rules: &RuleSettings) -> Vec<DuesFinding> {
    let mut findings = Vec::new();
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
    findings
}

/// Months paid ahead past death or leaving: not due, told to the branch.
fn paid_after_leaving(facts: &DuesFacts, standing: Standing, pos: Pos) -> Vec<DuesFinding> {
    let mut findings = Vec::new();
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
            text: format!("{left}后已预交{}个月（{}）共{}元，请支部处理", after.len(), months_zh(&after), yuan(total)),
            pos,
        });
    }
    findings
}
