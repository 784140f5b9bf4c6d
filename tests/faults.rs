//! Nothing lost: the data folder and out/ under mistakes, races, kills and
//! odd files. Each test makes the mistake a careless or unlucky user would,
//! then asserts what is on disk.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A copy of the sample office in `dir/data`.
fn office(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&repo().join("data"), &data);
    data
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--data", "data", "--out", "out", "--as-of", AS_OF];
    all.extend_from_slice(args);
    tuiguan(dir, &all)
}

/// Every file under `dir` with its bytes, for "exactly as before" checks.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn export_never_overwrites_the_data_folder_or_a_file_it_did_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let data = office(dir.path());
    let before = snapshot(&data);
    for target in ["data/org.yaml", "data/members/b1/b1-001.yaml", "data/台帐.xlsx"] {
        let r = run_in(dir.path(), &["export", "--xlsx", target]);
        assert_eq!(r.code, 2, "{target}: {}", r.stderr);
        assert!(r.stderr.contains("不能写进数据文件夹"), "{}", r.stderr);
    }
    assert_eq!(snapshot(&data), before, "the data folder is untouched");
    // An existing file that is not a register this tool exported.
    std::fs::write(dir.path().join("notes.xlsx"), "我的笔记").unwrap();
    let r = run_in(dir.path(), &["export", "--xlsx", "notes.xlsx"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("不是 tuiguan 导出的台帐"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.xlsx")).unwrap(), "我的笔记");
    // Its own export is replaced as asked.
    assert_eq!(run_in(dir.path(), &["export", "--xlsx", "台帐.xlsx"]).code, 0);
    let r = run_in(dir.path(), &["export", "--xlsx", "台帐.xlsx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_second_run_into_the_same_out_is_refused_while_the_first_runs() {
    let dir = tempfile::tempdir().unwrap();
    office(dir.path());
    // A running tuiguan holds the lock (a process whose command line says tuiguan).
    let mut holder = std::process::Command::new("sh").args(["-c", "sleep 60 # tuiguan build"]).spawn().unwrap();
    let lock = dir.path().join(".out.tuiguan-lock");
    std::fs::write(&lock, format!("进程 {}，2026-11-26 10:00:00 开始：tuiguan build\n", holder.id())).unwrap();
    let r = run_in(dir.path(), &["cards"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("另一个 tuiguan 正在生成到 out（进程"), "{}", r.stderr);
    assert!(!dir.path().join("out").exists(), "the second run wrote nothing");
    // Killed: its lock is stale and is taken over; the run leaves no lock behind.
    holder.kill().unwrap();
    holder.wait().unwrap();
    let r = run_in(dir.path(), &["cards"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!lock.exists());
    assert_eq!(pdf_info(&dir.path().join("out/info-cards.pdf")).0, 60);
}

#[test]
fn files_a_user_put_into_out_are_kept_and_named() {
    let dir = tempfile::tempdir().unwrap();
    office(dir.path());
    assert_eq!(run_in(dir.path(), &["cards"]).code, 0);
    let out = dir.path().join("out");
    std::fs::write(out.join("我的笔记.txt"), "别删").unwrap();
    std::fs::write(out.join("info-cards/扫描件.pdf"), "%PDF-1.4 mine").unwrap();
    // A member leaves: their card goes, the user's files stay.
    std::fs::remove_file(dir.path().join("data/members/b1/b1-001.yaml")).unwrap();
    let r = run_in(dir.path(), &["cards"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!out.join("info-cards/b1-001.pdf").exists(), "the departed member's card is removed");
    assert_eq!(std::fs::read_to_string(out.join("我的笔记.txt")).unwrap(), "别删");
    assert_eq!(std::fs::read(out.join("info-cards/扫描件.pdf")).unwrap(), b"%PDF-1.4 mine");
    // `cards` looks after info-cards/ only: the file found there is named.
    assert!(r.stderr.contains("有 1 个不是 tuiguan 生成的文件，已原样保留"), "{}", r.stderr);
    assert!(r.stderr.contains("    info-cards/扫描件.pdf"), "{}", r.stderr);
    // `build` looks after all of out/: both are kept and named.
    let r = run_in(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("有 2 个不是 tuiguan 生成的文件，已原样保留"), "{}", r.stderr);
    assert!(r.stderr.contains("    我的笔记.txt"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(out.join("我的笔记.txt")).unwrap(), "别删");
    assert_eq!(std::fs::read(out.join("info-cards/扫描件.pdf")).unwrap(), b"%PDF-1.4 mine");
}

/// Build the cards, damage part 2 of the print file with `damage`, change
/// one member of part 1, build again: the print file has every card once.
fn rebuild_after_damaging_a_part(damage: impl Fn(&Path, &Path)) {
    let dir = tempfile::tempdir().unwrap();
    let data = office(dir.path());
    assert_eq!(run_in(dir.path(), &["cards"]).code, 0);
    let parts = dir.path().join("out/.print-parts/info-cards");
    damage(&parts.join("0001.pdf"), &parts.join("0002.pdf"));
    let file = data.join("members/b1/b1-001.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, yaml.replace("education: 初中", "education: 高中")).unwrap();
    let r = run_in(dir.path(), &["cards"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let print = dir.path().join("out/info-cards.pdf");
    assert_eq!(pdf_info(&print).0, 60, "one page per member");
    // Every member's card is there: none lost, none doubled in its place.
    let text: String = pdf_text(&print, None).split_whitespace().collect();
    for f in walkdir::WalkDir::new(data.join("members"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let yaml = std::fs::read_to_string(f.path()).unwrap();
        let name = yaml.lines().find_map(|l| l.strip_prefix("name: ")).unwrap().trim();
        assert!(text.contains(name), "{name} missing from the print file");
    }
}

#[test]
fn a_print_part_replaced_by_another_is_rendered_again() {
    rebuild_after_damaging_a_part(|first, second| {
        std::fs::copy(first, second).unwrap();
    });
}

#[test]
fn a_truncated_print_part_is_rendered_again() {
    rebuild_after_damaging_a_part(|_, second| {
        let bytes = std::fs::read(second).unwrap();
        std::fs::write(second, &bytes[..bytes.len() / 2]).unwrap();
    });
}

#[cfg(unix)]
#[test]
fn a_symlinked_out_is_refused_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    office(dir.path());
    std::fs::create_dir(dir.path().join("real-out")).unwrap();
    std::os::unix::fs::symlink("real-out", dir.path().join("out")).unwrap();
    let r = run_in(dir.path(), &["cards"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("是一个链接（指向 real-out）"), "{}", r.stderr);
    assert!(std::fs::symlink_metadata(dir.path().join("out")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_dir(dir.path().join("real-out")).unwrap().count(), 0);
}
