//! Safe under every mistake, round two: identity is never rewritten
//! silently, a backup the clerk can trust, limits checked where they are
//! typed, and answers in Chinese for a wrong year.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A valid ID number (GB 11643 check digit) from its first 17 digits.
fn id_number(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{first17}{}", ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize])
}

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with(".tuiguan"))
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn an_import_row_under_another_name_is_refused_unless_the_clerk_confirms_the_rename() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = sample_office(dir);
    let file = data.join("members/b1/b1-001.yaml");
    let before = std::fs::read(&file).unwrap();
    std::fs::write(dir.join("改名.csv"), "姓名,身份证号,住址\n冒名者,330105192605232473,某市某路1号\n").unwrap();
    for write in [false, true] {
        let mut args = vec!["import", "改名.csv", "--into", "data", "--update"];
        if write {
            args.push("--write");
        }
        let r = run_in(dir, &args);
        assert_ne!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("属于 王喆"), "{}", r.stderr);
        assert!(r.stderr.contains("“冒名者”"), "{}", r.stderr);
        assert!(r.stderr.contains("--rename"), "{}", r.stderr);
        assert_eq!(std::fs::read(&file).unwrap(), before, "王喆's file untouched");
    }
    // Confirmed: the same person, renamed.
    let r = run_in(dir, &["import", "改名.csv", "--into", "data", "--update", "--rename", "--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("name: 冒名者"), "{text}");

    // A member's name and branch under another ID number: refused too.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = sample_office(dir);
    let before = std::fs::read(file_of(&data)).unwrap();
    let other = id_number("33010519260523245");
    std::fs::write(
        dir.join("改号.csv"),
        format!("姓名,身份证号,所在支部\n王喆,{other},第一离退休党支部（集团机关）\n"),
    )
    .unwrap();
    let r = run_in(dir, &["import", "改号.csv", "--into", "data", "--update", "--write"]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("王喆（"), "{}", r.stderr);
    assert!(r.stderr.contains("若是更正号码，请加 --rename 确认"), "{}", r.stderr);
    assert_eq!(std::fs::read(file_of(&data)).unwrap(), before);
    let members = walkdir::WalkDir::new(data.join("members")).into_iter().filter_map(Result::ok).count();
    let r = run_in(dir, &["import", "改号.csv", "--into", "data", "--update", "--rename", "--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(std::fs::read_to_string(file_of(&data)).unwrap().contains(&format!("id_number: \"{other}\"")));
    let after = walkdir::WalkDir::new(data.join("members")).into_iter().filter_map(Result::ok).count();
    assert_eq!(after, members, "no second file for the same person");
}

fn file_of(data: &Path) -> PathBuf {
    data.join("members/b1/b1-001.yaml")
}

#[test]
fn backup_and_restore_give_the_same_folder_and_a_damaged_archive_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = sample_office(dir);
    // Never backed up: check says so.
    let r = run_in(dir, &["check"]);
    assert!(r.stderr.contains("还没有用 tuiguan backup 备份过"), "{}", r.stderr);
    let r = run_in(dir, &["backup", "--to", "U盘"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("备份完成，已读回逐一核对"), "{}", r.stderr);
    let archive = dir.join(format!("U盘/data-备份-{AS_OF}.zip"));
    assert!(archive.is_file(), "{}", r.stderr);
    // Backed up today: no reminder; 31 days later, one.
    assert!(!run_in(dir, &["check"]).stderr.contains("备份"));
    let r = tuiguan(dir, &["--data", "data", "--as-of", "2026-12-28", "check"]);
    assert!(r.stderr.contains("已超过 30 天"), "{}", r.stderr);
    // Restored into a new folder: byte for byte the data folder.
    let r = tuiguan(dir, &["restore", archive.to_str().unwrap(), "--into", "恢复"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(tree(&dir.join("恢复")) == tree(&data), "restored folder differs");
    // Never over a folder that holds anything.
    let r = tuiguan(dir, &["restore", archive.to_str().unwrap(), "--into", "data"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("不是空文件夹"), "{}", r.stderr);
    // A damaged archive: refused, nothing made.
    let mut bytes = std::fs::read(&archive).unwrap();
    let name = b"members/b2/";
    let at = bytes.windows(name.len()).position(|w| w == name).unwrap() + 60;
    bytes[at] ^= 0xff;
    std::fs::write(dir.join("坏.zip"), &bytes).unwrap();
    let r = tuiguan(dir, &["restore", "坏.zip", "--into", "坏"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("不是完好的 tuiguan 备份"), "{}", r.stderr);
    assert!(!dir.join("坏").exists());
}

#[test]
fn an_import_into_a_new_office_makes_its_members_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("新单位")).unwrap();
    std::fs::copy(repo().join("data/org.yaml"), dir.join("新单位/org.yaml")).unwrap();
    let id = id_number("33010519500101201");
    std::fs::write(
        dir.join("名册.csv"),
        format!("姓名,身份证号,所在支部,住址\n李四,{id},第一离退休党支部（集团机关）,某市某路1号\n"),
    )
    .unwrap();
    let r = tuiguan(dir, &["--as-of", AS_OF, "import", "名册.csv", "--into", "新单位"]);
    assert_eq!(r.code, 0, "the dry run: {}", r.stderr);
    assert!(!dir.join("新单位/members").exists(), "a dry run writes nothing");
    let r = tuiguan(dir, &["--as-of", AS_OF, "import", "名册.csv", "--into", "新单位", "--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        walkdir::WalkDir::new(dir.join("新单位/members"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .count(),
        1
    );
}

#[test]
fn a_year_out_of_range_is_told_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    sample_office(dir);
    for args in [
        vec!["dues", "--year", "1900"],
        vec!["letters", "--holiday", "春节", "--year", "3000"],
        vec!["holidays", "--year", "1900"],
    ] {
        let r = run_in(dir, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("1950 到 2200"), "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains(" is not in "), "{}", r.stderr);
    }
    let r = tuiguan(dir, &["--as-of", "1900-01-01", "check"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("年份应在 1950 到 2200 之间"), "{}", r.stderr);
}

#[test]
fn texts_longer_than_a_paper_or_a_cell_holds_are_check_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = sample_office(dir);
    let file = data.join("members/b1/b1-001.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let long_address = "某".repeat(2000);
    let text =
        text.replacen("address: 杭州市拱墅区小河街道小河新村37幢1单元303室", &format!("address: {long_address}"), 1);
    let text = text.replacen("notes: 新中国成立前参加工作", &format!("notes: {}", "长".repeat(34_000)), 1);
    std::fs::write(&file, text).unwrap();
    let r = run_in(dir, &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("`notes`（备注）有 34021 个字，超过了 32767 字"), "{}", r.stderr);
    assert!(r.stderr.contains("住址（王喆）有 2000 个字"), "{}", r.stderr);
    assert!(r.stderr.contains("b1-001.yaml:"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_link_under_templates_is_never_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = sample_office(dir);
    assert_eq!(run_in(dir, &["templates", "info-card.typ"]).code, 0);
    let own = data.join("templates/typst/info-card.typ");
    assert!(own.is_file());
    // The office's template moved outside, a link left in its place.
    std::fs::rename(&own, dir.join("elsewhere.typ")).unwrap();
    std::os::unix::fs::symlink(dir.join("elsewhere.typ"), &own).unwrap();
    let r = run_in(dir, &["cards", "--member", "b1-001"]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("是链接（快捷方式）"), "{}", r.stderr);
    assert!(!dir.join("out/info-cards/b1-001.pdf").exists());
}

#[test]
fn the_workbook_says_it_is_internal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    sample_office(dir);
    assert_eq!(run_in(dir, &["export"]).code, 0);
    let book = dir.join("out/台帐（内部资料）.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    let mut core = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("docProps/core.xml").unwrap(), &mut core).unwrap();
    assert!(core.contains("内部资料，含身份证号，注意保密"), "{core}");
    // Every sheet's first line says so, and so does every printed page's top.
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    for name in calamine::Reader::sheet_names(&book) {
        let range = calamine::Reader::worksheet_range(&mut book, &name).unwrap();
        assert_eq!(
            range.get_value((0, 0)).map(|c| c.to_string()),
            Some("内部资料，含身份证号，注意保密".into()),
            "{name}"
        );
    }
    let sheets: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .collect();
    assert!(sheets.len() >= 6, "{sheets:?}");
    for name in sheets {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(&name).unwrap(), &mut xml).unwrap();
        assert!(xml.contains("<oddHeader>&amp;C内部资料，含身份证号，注意保密</oddHeader>"), "{name}");
    }
}

/// A clerk's save lands at the very moment the import puts its first file
/// in place: the import (a real process, paused there by the tests' hook)
/// keeps the edit and writes nothing.
#[test]
fn an_edit_saved_at_the_imports_commit_point_is_kept_and_the_import_rolled_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = sample_office(dir);
    let file = data.join("members/b1/b1-001.yaml");
    let other = data.join("members/b1/b1-004.yaml");
    let other_before = std::fs::read(&other).unwrap();
    std::fs::write(
        dir.join("更新.csv"),
        "姓名,身份证号,住址\n王喆,330105192605232473,杭州市拱墅区某路1号\n赵㛃,330104194505078723,杭州市拱墅区某路2号\n",
    )
    .unwrap();
    let id_of_zhao = std::fs::read_to_string(&other).unwrap();
    assert!(id_of_zhao.contains("赵㛃"));
    let flag = dir.join("flag");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_tuiguan"))
        .args(["--data", "data", "--as-of", AS_OF, "import", "更新.csv", "--into", "data", "--update", "--write"])
        .env("TUIGUAN_TEST_PAUSE_AT", format!("1:{}", flag.display()))
        .current_dir(dir)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let ready = dir.join("flag.ready");
    let start = std::time::Instant::now();
    while !ready.exists() {
        assert!(start.elapsed().as_secs() < 60, "the import never reached its commit point");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // The clerk saves the second file just then.
    let edited = format!("{}# 文员刚改的\n", String::from_utf8(other_before.clone()).unwrap());
    std::fs::write(&other, &edited).unwrap();
    std::fs::write(dir.join("flag.go"), "").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("在导入写入时被改动过，已保留这次改动"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&other).unwrap(), edited, "the clerk's edit stays");
    assert!(!std::fs::read_to_string(&file).unwrap().contains("某路1号"), "the first file is put back");
    assert!(!data.join(".tuiguan-import-journal").exists());
}
