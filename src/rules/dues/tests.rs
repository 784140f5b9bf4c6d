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
    let text = "pension: 4000\ndues:\n  reductions:\n    - year: 2026\n      monthly: 0\n      decided: 2026-01-05\n";
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
    let branch = RuleSettings { dues_reduction_approver: crate::office::ReductionApprover::Branch, ..since.clone() };
    assert!(DuesFacts::derive(&m, date("2026-11-26"), &branch).findings.is_empty());
    // Neither decided nor approved: the full amount, and a word.
    let m = member("1950-03-05", &text.replace("      decided: 2026-01-05\n", ""));
    assert_eq!(year_amount(&m, 2026, &r()).monthly, Some(2000));
    let f = DuesFacts::derive(&m, date("2026-11-26"), &since);
    assert!(f.findings.iter().any(|f| f.issue == DuesIssue::Undecided), "{:?}", f.findings);
    let m = member("1950-03-05", &format!("{text}      approved: 2026-01-20\n      document: 离退休党委〔2026〕2号\n"));
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
    let payments = [pay("2026-01..2026-03", "70", "2026-01-10", ""), pay("2026-03", "24", "2026-03-10", "")].concat();
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
