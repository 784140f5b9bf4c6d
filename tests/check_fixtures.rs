//! `tuiguan check` on invalid fixtures: each file in tests/fixtures/invalid/
//! is put into a copy of the valid office and checked; the exit code and the
//! full report must match `<case>.stderr` exactly (messages and positions).
//! Set UPDATE_EXPECT=1 to rewrite the expectations after a deliberate change.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// Build a data folder: the valid org.yaml plus the case's member file(s).
fn office_with(case: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir_all(data.join("members")).unwrap();
    std::fs::copy(fixtures().join("valid/org.yaml"), data.join("org.yaml")).unwrap();
    if case.is_dir() {
        copy_dir(case, &data.join("members"));
    } else {
        std::fs::copy(case, data.join("members").join(case.file_name().unwrap())).unwrap();
    }
    tmp
}

fn check(case: &Path) -> Run {
    let tmp = office_with(case);
    tuiguan(tmp.path(), &["--as-of", AS_OF, "check"])
}

#[test]
fn every_invalid_fixture_reports_what_is_expected() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 10);
    let mut failures = Vec::new();
    for case in &cases {
        let run = check(case);
        let actual = format!("exit: {}\n{}", run.code, run.stderr);
        let expected_file = case.with_extension("stderr");
        if update {
            std::fs::write(&expected_file, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if actual != expected {
            failures.push(format!("== {}\n-- expected:\n{expected}\n-- actual:\n{actual}", case.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn four_problems_in_one_file_are_all_reported_in_one_run() {
    let run = check(&fixtures().join("invalid/four_problems.yaml"));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let f = "data/members/four_problems.yaml";
    for (line_col, what) in [
        ("5:12", "校验位错误"),
        ("9:1", "未知的键 `moblie`"),
        ("14:15", "不是有效日期"),
        ("15:9", "支部“b9”在 org.yaml 中不存在"),
    ] {
        let wanted = format!("{f}:{line_col}: 错误: ");
        assert!(
            run.stderr.lines().any(|l| l.starts_with(&wanted) && l.contains(what)),
            "missing {wanted}…{what} in:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("是不是要写 `mobile`？"), "{}", run.stderr);
    assert!(run.stderr.contains("共 4 个错误"), "{}", run.stderr);
}

#[test]
fn valid_fixture_passes_with_lower_case_x() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("valid"), &tmp.path().join("data"));
    let run = tuiguan(tmp.path(), &["--as-of", AS_OF, "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("检查通过：2 个支部，在册党员 2 位"), "{}", run.stderr);
    assert!(!run.stderr.contains("错误:") && !run.stderr.contains("警告:"), "{}", run.stderr);
}

#[test]
fn sample_office_passes_check() {
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("错误:"), "{}", run.stderr);
    // The legacy 15-digit ID in the sample is converted with a warning.
    assert!(run.stderr.contains("15 位旧身份证号码"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let run = tuiguan(&repo(), &["buld"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("错误: 没有“buld”这个命令（是不是 build？）"), "{}", run.stderr);
    let run = tuiguan(&repo(), &["--as-of", "2026-02-30", "check"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("不是有效日期"), "{}", run.stderr);
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "cards", "--member", "b1-0001"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("没有编号为“b1-0001”的成员。是不是 b1-001？"), "{}", run.stderr);
}

#[test]
fn missing_data_folder_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tuiguan(tmp.path(), &["--data", "nowhere", "check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("nowhere: 错误: 找不到数据文件夹"), "{}", run.stderr);
}
