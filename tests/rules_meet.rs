//! Where the rules meet (#40), on an office of crafted members of its own
//! (tests/fixtures/rules-office): a reduction the branch decided, a member
//! suspended, one who died having paid the year ahead, a 1976 admission
//! recorded with a probation, one out of contact, one wintering in 三亚.
//! Each test is named after the rule it holds to.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn office(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&repo().join("tests/fixtures/rules-office"), &data);
    data
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect()
}

#[test]
fn a_reduction_the_branch_decided_is_a_good_reason_never_arrears_nor_reported_upward() {
    let tmp = tempfile::tempdir().unwrap();
    office(tmp.path());
    let r = run_in(tmp.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let about: Vec<&str> = r.stderr.lines().filter(|l| l.contains("张减免")).collect();
    assert!(about.iter().any(|l| l.contains("党费减免待上级批准") && l.contains("不算欠交")), "{about:?}");
    assert!(
        !about.iter().any(|l| l.contains("党费欠交") || l.contains("党费久未交") || l.contains("自行脱党")),
        "{about:?}"
    );
    assert_eq!(run_in(tmp.path(), &["report", "--period", "2026-Q4"]).code, 0);
    let report = flat(&pdf_text(&tmp.path().join("out/reports/filing-2026-Q4.pdf"), None));
    assert!(!report.contains("张减免") && !report.contains("党费"), "{report}");
}

#[test]
fn dues_follow_status_suspended_owes_nothing_and_a_death_settles_what_was_paid_ahead() {
    let tmp = tempfile::tempdir().unwrap();
    office(tmp.path());
    let r = run_in(tmp.path(), &["check"]);
    assert!(r.stderr.contains("去世后已预交3个月（2026年10月至12月）共72.00元，请支部处理"), "{}", r.stderr);
    assert!(!r.stderr.lines().any(|l| l.contains("李停止") && l.contains("党费")), "{}", r.stderr);
    assert_eq!(run_in(tmp.path(), &["dues"]).code, 0);
    let ledger = pdf_text(&tmp.path().join("out/dues/2026-ledger.pdf"), None);
    let row = ledger.lines().find(|l| l.contains("李停止")).expect("李停止 on the ledger");
    // Owed to May, the month of suspension; 停 from June.
    let marks = row.split("党小组").nth(1).unwrap();
    assert_eq!((marks.matches('欠').count(), marks.matches('停').count()), (5, 7), "{row}");
    assert!(marks.contains("120.00"), "owed January to May only: {row}");
    assert!(flat(&ledger).contains("2026年6月起停止党籍，不"), "{ledger}");
    // The totals are the rows' money: 李停止 owes 120.00; 王已故 paid for
    // January to September only (24.00 a month), the months after are not his.
    let total = ledger.lines().find(|l| l.contains("合计")).unwrap();
    assert!(total.contains("1,200.00") && total.contains("1,080.00"), "{total}");
    // A row of each month's money, which adds up to what was paid, and a
    // line for the collector to sign each quarter.
    let months = ledger.lines().find(|l| l.contains("各月实收")).expect("the monthly sums");
    let sum: f64 = months.split_whitespace().filter_map(|w| w.replace(',', "").parse::<f64>().ok()).sum();
    assert!((sum - 2.0 * 1080.0).abs() < 0.005, "each month's sum, then the total: {months}");
    assert!(ledger.contains("收缴人签字") && ledger.contains("按季度上交时签字"), "{ledger}");
}

#[test]
fn one_word_for_where_a_member_is_the_party_standing_first() {
    let tmp = tempfile::tempdir().unwrap();
    office(tmp.path());
    assert_eq!(run_in(tmp.path(), &["register"]).code, 0);
    let index = std::fs::read_to_string(tmp.path().join("out/register/index.html")).unwrap();
    for (id, word) in [("r-lost", "失联"), ("r-suspended", "停止党籍"), ("r-south", "外出"), ("r-1976", "在家")]
    {
        let row = index.split(&format!("<tr data-id=\"{id}\"")).nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(row.contains(&format!(">{word}</span>")), "{id}: {row}");
    }
}

#[test]
fn letters_are_for_the_festivals_day_and_never_to_a_stale_address() {
    let tmp = tempfile::tempdir().unwrap();
    office(tmp.path());
    let r = run_in(tmp.path(), &["letters", "--holiday", "春节", "--year", "2027"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("这 2 人没有印慰问信")
            && r.stderr.contains("钱失联（失联）")
            && r.stderr.contains("李停止（停止党籍）"),
        "{}",
        r.stderr
    );
    let dir = tmp.path().join("out/letters/2027-春节");
    assert!(!dir.join("r-lost.pdf").exists() && !dir.join("r-suspended.pdf").exists());
    let south = flat(&pdf_text(&dir.join("r-south.pdf"), None));
    assert!(south.contains("得知您目前在海南省三亚市") && !south.contains("寒冷"), "{south}");
    let home = flat(&pdf_text(&dir.join("r-1976.pdf"), None));
    assert!(home.contains("天气寒冷"), "{home}");
}

#[test]
fn party_age_counts_from_full_membership_and_the_1969_to_1977_rule_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    office(tmp.path());
    let r = run_in(tmp.path(), &["check"]);
    assert!(r.stderr.contains("1976-03-01 入党在 1969年4月1日至1977年8月11日之间，当时没有预备期"), "{}", r.stderr);
    assert!(r.stderr.contains("`full_member: 1976-03-01`"), "{}", r.stderr);
}
