//! Every paper says what was recorded: crafted members added to the sample
//! office, whose record and rule disagree, read back from `check`, the
//! filing report, the departure forms, the card sheet and the register —
//! and the counts of those outputs agree with one another.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A member file of branch b1 with one departure (`departure` is its YAML
/// body, indented by four spaces).
fn member(id: &str, name: &str, n: u32, departure: &str) -> String {
    let first17 = format!("33010619500101{:02}1", n + 10);
    let id_number = format!("{first17}{}", tuiguan::office::id_number::check_digit(&first17));
    format!(
        "id: {id}\nname: {name}\nsex: 男\nethnicity: 汉族\nid_number: \"{id_number}\"\nnative_place: 浙江杭州\n\
address: 杭州市西湖区文三路 {n} 号\nmobile: \"1390000{n:04}\"\njoined_party: 1975-07-01\nbranch: b1\ngroup: b1-g1\n\
departures:\n  - id: WT-{n}\n    destination:\n      province: 广东省\n      city: 广州市\n{departure}"
    )
}

/// The sample office with the crafted members of the issue "Truth".
fn crafted_office(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&repo().join("data"), &data);
    let members = [
        // A formal transfer recorded on a three-month trip.
        member(
            "b1-t1",
            "甲转正",
            1,
            "    reason: 探亲\n    start: 2026-10-01\n    planned_end: 2026-12-31\n    fixed_location: true\n    transfer:\n      kind: 正式\n      date: 2026-10-05\n    filed: 2026-10-06\n",
        ),
        // A nine-month fixed stay whose transfer has not been done.
        member(
            "b1-t2",
            "乙未转",
            2,
            "    reason: 随子女居住\n    start: 2026-10-10\n    planned_end: 2027-07-10\n    fixed_location: true\n    filed: 2026-10-12\n    last_contact: 2026-11-20\n",
        ),
        // A three-month plan that has lasted nine, on a card.
        member(
            "b1-t3",
            "丙久留",
            3,
            "    reason: 照看孙辈\n    start: 2026-02-20\n    planned_end: 2026-05-20\n    fixed_location: true\n    card:\n      number: LK-T3\n      issued: 2026-02-18\n    filed: 2026-02-25\n    last_contact: 2026-11-20\n    last_report: 2026-11-20\n    dues_paid_to: \"2026-10\"\n",
        ),
    ];
    for (i, yaml) in members.iter().enumerate() {
        std::fs::write(data.join(format!("members/b1/b1-t{}.yaml", i + 1)), yaml).unwrap();
    }
    data
}

fn run(dir: &Path, data: &Path, args: &[&str]) -> Run {
    let out = dir.join("out");
    let mut all = vec!["--data", data.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", AS_OF];
    all.extend_from_slice(args);
    tuiguan(dir, &all)
}

/// The check warnings that come from departures' findings: "事项（姓名，外出编号）：…".
fn finding_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.contains(": 警告: ")
                && l.split(": 警告: ").nth(1).is_some_and(|m| {
                    let head = m.split('：').next().unwrap_or("");
                    head.contains('，') && head.ends_with('）')
                })
        })
        .collect()
}

/// `check`'s dues arrears lines, one per member: "党费欠交（姓名）：…".
fn arrears_names(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter_map(|l| l.split_once(": 警告: 党费欠交（").or_else(|| l.split_once(": 警告: 党费久未交（")))
        .filter_map(|(_, rest)| rest.split_once('）').map(|(name, _)| name))
        .collect()
}

#[test]
fn record_versus_rule_is_warned_by_check_naming_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let data = crafted_office(dir.path());
    let run = run(dir.path(), &data, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = finding_lines(&run.stderr);
    let has = |file: &str, what: &str| lines.iter().any(|l| l.contains(file) && l.contains(what));
    assert!(
        has("b1-t1.yaml", "不需转出而登记转出（甲转正，WT-1）：登记了转出组织关系，但按规定不需转出（外出不足6个月"),
        "{}",
        run.stderr
    );
    assert!(
        has("b1-t2.yaml", "应转组织关系未转（乙未转，WT-2）：按规定应转出组织关系（外出6个月以上且地点相对固定"),
        "{}",
        run.stderr
    );
    assert!(
        has(
            "b1-t3.yaml",
            "应转组织关系而发放联系卡（丙久留，WT-3）：登记的是发放联系卡，但按规定应转出组织关系（原计划2026年5月20日返回，现已在外6个月以上且地点固定"
        ),
        "{}",
        run.stderr
    );
    // The position is the record's own line: the transfer of b1-t1, the card of b1-t3.
    assert!(lines.iter().any(|l| l.contains("b1-t1.yaml:22:") && l.contains("不需转出")), "{}", run.stderr);
    assert!(lines.iter().any(|l| l.contains("b1-t3.yaml:22:") && l.contains("而发放联系卡")), "{}", run.stderr);
    // `check` lists what is recorded beside what the rule asks.
    assert!(run.stderr.contains("WT-2 乙未转（广东省广州市）：尚未办理；按规定转出临时组织关系"), "{}", run.stderr);
}

#[test]
fn documents_print_what_was_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let data = crafted_office(dir.path());
    let out = dir.path().join("out");
    let r = run(dir.path(), &data, &["departures"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // No card for a member whose relationship is transferred, nor for one who holds none.
    let cards = pdf_text(&out.join("contact-cards.pdf"), None);
    assert!(cards.contains("孙昇"), "the sample's card holder is there");
    assert!(!cards.contains("甲转正") && !cards.contains("乙未转"), "{cards}");
    assert!(!cards.contains("待编号"), "no card without a recorded number: {cards}");
    // b1-t3 holds a card (recorded), so it is printed with its number.
    assert!(cards.contains("LK-T3"), "{cards}");
    // The form says what was recorded, and that it disagrees with the rule.
    let form = pdf_text(&out.join("departures/WT-1.pdf"), None).split_whitespace().collect::<String>();
    assert!(form.contains("与规定不一致，请核实：按规定应发放联系卡"), "{form}");
    let form2 = pdf_text(&out.join("departures/WT-2.pdf"), None).split_whitespace().collect::<String>();
    assert!(form2.contains("依据：按规定应转出临时组织关系"), "{form2}");
    // A transfer draft for the transfer that is due, none for the one done.
    assert!(out.join("departures/WT-2-transfer.pdf").is_file());
    assert!(!out.join("departures/WT-1-transfer.pdf").exists());

    let r = run(dir.path(), &data, &["report", "--period", "2026-Q4"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report = pdf_text(&out.join("reports/filing-2026-Q4.pdf"), None);
    let flat: String = report.split_whitespace().collect();
    // Counted by the record: the transfer done, the one not done apart.
    assert!(flat.contains("转出组织关系1人次"), "{report}");
    assert!(flat.contains("尚未登记处理方式1人次"), "{report}");
    assert!(!flat.contains("转出组织关系2人次"), "{report}");
    // The row of the transferred member gives the kind and the date, the date on one line.
    // (Cells are centred in the row: the row is the lines from two before
    // its number to the next row's.)
    let lines: Vec<&str> = report.lines().collect();
    let at = lines.iter().position(|l| l.contains("甲转正")).expect("甲转正's row");
    let row: Vec<&str> = lines[at - 2..].iter().copied().take_while(|l| !l.contains("乙未转")).collect();
    assert!(row.iter().any(|l| l.contains("2026年10月5日")), "{row:?}");
    assert!(row.join("").split_whitespace().collect::<String>().contains("转出正式组织关"), "{row:?}");
    // Its disagreement with R7 is among the follow-ups.
    // (事项 wraps in its column; `check` says it whole.)
    assert!(flat.contains("不需转出而登"), "{report}");
    // The reason and the planned return are in the departures table.
    assert!(flat.contains("随子女") && flat.contains("2027年7月10日"), "{report}");
}

#[test]
fn check_the_filing_report_and_the_register_agree() {
    let dir = tempfile::tempdir().unwrap();
    let data = crafted_office(dir.path());
    let out = dir.path().join("out");
    let check = run(dir.path(), &data, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // The report's follow-ups are the departures' (check's findings about
    // stays); dues arrears and membership decisions stay with the branch.
    let decisions = check
        .stderr
        .lines()
        .filter(|l| l.contains("警告: 应停止党籍（") || l.contains("警告: 应按自行脱党处理（"))
        .count();
    assert!(arrears_names(&check.stderr).len() + decisions > 0, "the crafted office has some: {}", check.stderr);
    let findings = finding_lines(&check.stderr).len();
    assert!(findings >= 3, "{}", check.stderr);
    let r = run(dir.path(), &data, &["report", "--period", "2026-Q4"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: String = pdf_text(&out.join("reports/filing-2026-Q4.pdf"), None).split_whitespace().collect();
    assert!(report.contains(&format!("需跟进事项{findings}项")), "check has {findings}: {report}");
    let count_in =
        |kind: &str| finding_lines(&check.stderr).iter().filter(|l| l.contains(&format!("警告: {kind}（"))).count();
    let r = run(dir.path(), &data, &["register"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let index = std::fs::read_to_string(out.join("register/index.html")).unwrap();
    let tagged = |key: &str| index.matches(&format!("data-card=\"{key}\"")).count();
    assert_eq!(tagged("missing"), count_in("应发联系卡未发"), "cards due");
    assert_eq!(tagged("transfer"), count_in("应转组织关系未转"), "transfers due");
    // Overdue visits: the register's 逾期 are check's members, the urgent
    // ones (illness, hardship) included — by state only, the cause not shown.
    let mut overdue: Vec<&str> = check
        .stderr
        .lines()
        .filter_map(|l| l.split_once(": 警告: 走访逾期（").map(|(_, rest)| rest.split('）').next().unwrap()))
        .collect();
    overdue.sort();
    overdue.dedup();
    assert!(!overdue.is_empty(), "{}", check.stderr);
    assert_eq!(index.matches("tag v-overdue").count(), overdue.len(), "check's overdue members: {overdue:?}");
    assert!(!index.contains("身患重病"), "the cause stays off the intranet");
}

#[test]
fn r5_a_near_home_trip_is_not_on_the_phone_list_as_away() {
    // 魏建国 (b1-031) is on a trip recorded as near home on 2026-11-26.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let r = run(dir.path(), &data, &["letters", "--holiday", "元旦", "--year", "2027"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list = pdf_text(&dir.path().join("out/letters/2027-元旦-phone-list.pdf"), None);
    assert!(list.contains("谭长林"), "members away far are listed: {list}");
    assert!(!list.contains("魏建国"), "{list}");
}

#[test]
fn holidays_prints_the_dates_without_the_datas_warnings() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tuiguan"))
        .args(["--as-of", AS_OF, "holidays", "--year", "2027"])
        .current_dir(repo())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("2027年节日") && stdout.contains("重阳节"), "{stdout}");
    assert!(!stderr.contains("警告"), "the sample's warnings are for `check`: {stderr}");
    // `check` on the same data does warn, so the test can fail.
    let check = tuiguan(&repo(), &["--as-of", AS_OF, "check"]);
    assert!(check.stderr.contains("警告"));
}

#[test]
fn the_away_list_counts_what_check_and_the_filing_report_count() {
    let dir = tempfile::tempdir().unwrap();
    let data = crafted_office(dir.path());
    let out = dir.path().join("out");
    let check = run(dir.path(), &data, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(run(dir.path(), &data, &["report", "--period", "2026-Q4"]).code, 0);
    assert_eq!(run(dir.path(), &data, &["register"]).code, 0);
    let report: String = pdf_text(&out.join("reports/filing-2026-Q4.pdf"), None).split_whitespace().collect();
    let away = std::fs::read_to_string(out.join("register/away.html")).unwrap();
    // Members away and not near home: the report's 在外流动党员.
    let mobile = away.split("流动党员 ").nth(1).and_then(|s| s.split(' ').next()).unwrap();
    assert!(report.contains(&format!("在外流动党员{mobile}人")), "away list says {mobile}: {report}");
    // Each kind of attention: members flagged on the list = members `check` warns about.
    let warned = |kinds: &[&str]| {
        let mut names: Vec<&str> = finding_lines(&check.stderr)
            .into_iter()
            .filter(|l| kinds.iter().any(|k| l.contains(&format!("警告: {k}（"))))
            .filter_map(|l| l.split("（").nth(1)?.split('，').next())
            .collect();
        names.sort();
        names.dedup();
        names.len()
    };
    let flagged = |what: &str| away.matches(&format!("<span class=\"tag c-missing\">{what}</span>")).count();
    assert_eq!(flagged("逾期未归"), warned(&["逾期未归"]));
    assert_eq!(flagged("失联"), warned(&["失去联系"]));
    // Dues arrears are warned for every member; the away list flags those away.
    let away_in_arrears = arrears_names(&check.stderr).into_iter().filter(|n| away.contains(n)).count();
    assert_eq!(flagged("党费欠交"), away_in_arrears);
    assert!(away_in_arrears >= 1, "{}", check.stderr);
    assert_eq!(flagged("待转组织关系"), warned(&["应转组织关系未转", "应转组织关系而发放联系卡"]));
    assert!(flagged("待转组织关系") >= 2, "the crafted b1-t2 and b1-t3: {away}");
    assert!(flagged("逾期未归") >= 1 && flagged("失联") >= 1);
}
