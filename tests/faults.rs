//! Nothing lost: the data folder and out/ under mistakes, races, kills and
//! odd files. Each test makes the mistake a careless or unlucky user would,
//! then asserts what is on disk.

mod common;

use std::path::{Path, PathBuf};

use common::*;

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
    let data = sample_office(dir.path());
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
    sample_office(dir.path());
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
    assert_eq!(pdf_info(&dir.path().join("out/info-cards.pdf")).0, 58);
}

#[test]
fn files_a_user_put_into_out_are_kept_and_named() {
    let dir = tempfile::tempdir().unwrap();
    sample_office(dir.path());
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
    let data = sample_office(dir.path());
    assert_eq!(run_in(dir.path(), &["cards"]).code, 0);
    let parts = dir.path().join("out/.print-parts/info-cards");
    damage(&parts.join("b1/0001.pdf"), &parts.join("b2/0001.pdf"));
    let file = data.join("members/b1/b1-001.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, yaml.replace("education: 初中", "education: 高中")).unwrap();
    let r = run_in(dir.path(), &["cards"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let print = dir.path().join("out/info-cards.pdf");
    assert_eq!(pdf_info(&print).0, 58, "one page per member on the books");
    // Every member's card is there: none lost, none doubled in its place.
    let text: String = pdf_text(&print, None).split_whitespace().collect();
    for f in walkdir::WalkDir::new(data.join("members"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let yaml = std::fs::read_to_string(f.path()).unwrap();
        let name = yaml.lines().find_map(|l| l.strip_prefix("name: ")).unwrap().trim();
        assert_eq!(text.contains(name), on_books(&yaml), "{name}: in the print file if and only if on the books");
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
    sample_office(dir.path());
    std::fs::create_dir(dir.path().join("real-out")).unwrap();
    std::os::unix::fs::symlink("real-out", dir.path().join("out")).unwrap();
    let r = run_in(dir.path(), &["cards"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("是一个链接（指向 real-out）"), "{}", r.stderr);
    assert!(std::fs::symlink_metadata(dir.path().join("out")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_dir(dir.path().join("real-out")).unwrap().count(), 0);
}

/// A minimal .xlsx: `sheets` are (name, hidden, sheetData XML with inline strings).
fn xlsx(path: &Path, sheets: &[(&str, bool, &str)]) {
    use std::io::Write;
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    let mut put = |name: &str, body: &str| {
        z.start_file(name, opts).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    };
    let overrides: String = (1..=sheets.len())
        .map(|i| format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#))
        .collect();
    put(
        "[Content_Types].xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>"#
        ),
    );
    put(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    let list: String = sheets
        .iter()
        .enumerate()
        .map(|(i, (name, hidden, _))| {
            let state = if *hidden { r#" state="hidden""# } else { "" };
            format!(r#"<sheet name="{name}" sheetId="{}"{state} r:id="rId{}"/>"#, i + 1, i + 1)
        })
        .collect();
    put(
        "xl/workbook.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{list}</sheets></workbook>"#
        ),
    );
    let rels: String = (1..=sheets.len())
        .map(|i| format!(r#"<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>"#))
        .collect();
    put(
        "xl/_rels/workbook.xml.rels",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
        ),
    );
    for (i, (_, _, data)) in sheets.iter().enumerate() {
        put(
            &format!("xl/worksheets/sheet{}.xml", i + 1),
            &format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
            ),
        );
    }
    z.finish().unwrap();
}

fn s(r: &str, text: &str) -> String {
    format!(r#"<c r="{r}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

#[test]
fn workbook_cells_are_read_literally_and_the_visible_sheet_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let data = sample_office(dir.path());
    let before = snapshot(&data);
    let header = format!(
        "<row r=\"1\">{}{}{}{}{}</row>",
        s("A1", "姓名"),
        s("B1", "身份证号"),
        s("C1", "所在支部"),
        s("D1", "手机"),
        s("E1", "住址")
    );
    let row2 = format!(
        "<row r=\"2\">{}{}{}<c r=\"D2\" t=\"e\"><v>#N/A</v></c><c r=\"E2\"><f>CONCATENATE(\"杭州\",\"市\")</f></c></row>",
        s("A2", "钱新来&#10;钱"),
        s("B2", "330106194803051238"),
        s("C2", "b1")
    );
    let row3 = format!("<row r=\"3\" hidden=\"1\">{}</row>", s("A3", "藏起来的人"));
    let visible = format!("{header}{row2}{row3}");
    let hidden = format!("<row r=\"1\">{}</row><row r=\"2\">{}</row>", s("A1", "姓名"), s("A2", "隐藏表里的人"));
    let book = dir.path().join("台帐.xlsx");
    xlsx(&book, &[("旧表", true, &hidden), ("党员", false, &visible)]);
    let r = run_in(dir.path(), &["import", "台帐.xlsx", "--into", "data", "--write"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let e = &r.stderr;
    assert!(e.contains("工作表“党员”"), "the visible sheet is read: {e}");
    assert!(e.contains("隐藏的工作表：旧表"), "{e}");
    assert!(e.contains("隐藏的行：第 3 行"), "{e}");
    assert!(e.contains("错误: 这一格是 Excel 的错误值 #N/A"), "{e}");
    assert!(e.contains("错误: 这一格是公式（=CONCATENATE"), "{e}");
    assert!(e.contains("姓名“钱新来\\n钱”里有换行或控制字符"), "{e}");
    assert!(e.contains("D2") && e.contains("E2"), "errors name their cells: {e}");
    assert_eq!(snapshot(&data), before, "nothing written");
}

#[test]
fn a_workbook_that_inflates_past_the_cap_is_refused_before_it_is_read() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    sample_office(dir.path());
    let book = dir.path().join("炸弹.xlsx");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&book).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    z.start_file("xl/sharedStrings.xml", opts).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..260 {
        z.write_all(&zeros).unwrap();
    }
    z.finish().unwrap();
    assert!(std::fs::metadata(&book).unwrap().len() < 2 << 20, "small on disk");
    let r = run_in(dir.path(), &["import", "炸弹.xlsx", "--into", "data"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("解压后超过 200 MB"), "{}", r.stderr);
}

#[test]
fn a_member_file_import_cannot_read_stops_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let data = sample_office(dir.path());
    // A member file saved as GBK by a text editor.
    let utf8 = std::fs::read_to_string(data.join("members/b1/b1-001.yaml")).unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(&utf8);
    std::fs::write(data.join("members/b1/b1-001.yaml"), &gbk).unwrap();
    assert_eq!(run_in(dir.path(), &["export", "--xlsx", "台帐.xlsx"]).code, 1, "export refuses bad data too");
    let header = format!(
        "<row r=\"1\">{}{}{}{}</row>",
        s("A1", "姓名"),
        s("B1", "性别"),
        s("C1", "身份证号"),
        s("D1", "所在支部")
    );
    xlsx(&dir.path().join("t.xlsx"), &[("党员", false, &header)]);
    let before = snapshot(&data);
    let r = run_in(dir.path(), &["import", "t.xlsx", "--into", "data", "--write"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("b1-001.yaml") && r.stderr.contains("GBK"), "the file is named: {}", r.stderr);
    assert!(r.stderr.contains("没有导入任何内容"), "{}", r.stderr);
    assert_eq!(snapshot(&data), before);
}

/// Every member file under `data/members`, and every import leftover under `data`.
fn members_and_leftovers(data: &Path) -> (usize, usize) {
    let files: Vec<String> = walkdir::WalkDir::new(data)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() || e.file_type().is_symlink())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let members = files.iter().filter(|n| n.ends_with(".yaml") && !n.starts_with('.') && *n != "org.yaml").count();
    let leftovers = files.iter().filter(|n| n.starts_with(".tuiguan-import")).count();
    (members, leftovers)
}

/// The sample office exported, and an empty office `new` to import it into.
fn export_and_empty_office(dir: &Path) {
    sample_office(dir);
    assert_eq!(run_in(dir, &["export", "--xlsx", "台帐.xlsx"]).code, 0);
    std::fs::create_dir_all(dir.join("new/members")).unwrap();
    std::fs::copy(dir.join("data/org.yaml"), dir.join("new/org.yaml")).unwrap();
}

fn import_new(dir: &Path, abort_after: Option<usize>) -> std::process::Output {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_tuiguan"));
    c.args(["--as-of", AS_OF, "import", "台帐.xlsx", "--into", "new", "--write"]).current_dir(dir);
    if let Some(n) = abort_after {
        c.env("TUIGUAN_TEST_ABORT_AFTER", n.to_string());
    }
    c.output().unwrap()
}

#[test]
fn an_import_killed_while_writing_is_completed_by_the_next_run() {
    for killed_at in [0, 1, 37, 59] {
        let dir = tempfile::tempdir().unwrap();
        export_and_empty_office(dir.path());
        let out = import_new(dir.path(), Some(killed_at));
        assert!(!out.status.success(), "the run died");
        let new = dir.path().join("new");
        assert_eq!(members_and_leftovers(&new).0, killed_at, "half written when it died");
        assert!(new.join(".tuiguan-import-journal").exists());
        // The next run, whatever it is, completes the import first.
        let r = tuiguan(dir.path(), &["--data", "new", "--as-of", AS_OF, "check"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("已按记录补完"), "{}", r.stderr);
        assert_eq!(members_and_leftovers(&new), (60, 0), "all 60 members, no leftovers");
        assert!(!new.join(".tuiguan-import-journal").exists());
    }
}

#[test]
fn leftovers_of_an_import_killed_before_it_decided_are_removed_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    export_and_empty_office(dir.path());
    let new = dir.path().join("new");
    std::fs::create_dir_all(new.join("members/b1")).unwrap();
    std::fs::write(new.join("members/b1/.tuiguan-import-abc.tmp"), "id: b1-001\n").unwrap();
    let r = tuiguan(dir.path(), &["--data", "new", "--as-of", AS_OF, "check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("清除了上次导入中断时留下的 1 个临时文件"), "{}", r.stderr);
    assert_eq!(members_and_leftovers(&new), (0, 0));
}

#[cfg(unix)]
#[test]
fn a_dangling_link_named_like_a_new_file_stops_the_import_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    export_and_empty_office(dir.path());
    let new = dir.path().join("new");
    std::fs::create_dir_all(new.join("members/b3")).unwrap();
    std::os::unix::fs::symlink("nowhere.yaml", new.join("members/b3/b3-057.yaml")).unwrap();
    let out = import_new(dir.path(), None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    // The link is named before anything is read or written.
    assert!(stderr.contains("b3-057.yaml") && stderr.contains("没有导入任何内容"), "{stderr}");
    assert_eq!(members_and_leftovers(&new), (1, 0), "only the link the user made");
}

/// A fresh copy of the sample office in `dir/case`; returns `dir/case`.
fn case(dir: &Path) -> PathBuf {
    let case = dir.join("case");
    std::fs::create_dir_all(&case).unwrap();
    sample_office(&case);
    case
}

/// The hidden files and folders in `dir`: what a run leaves beside out/.
fn hidden_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

/// The bytes of every file a clean `cards` run of the sample makes.
fn clean_cards(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let clean = dir.join("clean");
    std::fs::create_dir_all(&clean).unwrap();
    sample_office(&clean);
    assert_eq!(run_in(&clean, &["cards"]).code, 0);
    snapshot(&clean.join("out"))
}

#[test]
fn a_run_killed_at_any_moment_leaves_out_whole_and_the_next_run_exact() {
    let dir = tempfile::tempdir().unwrap();
    let expected = clean_cards(dir.path());
    // Several moments: before, during and after rendering and the swap.
    for (seed, ms) in [(1, 20), (2, 150), (3, 400), (4, 900)] {
        let case = dir.path().join(format!("case{seed}"));
        std::fs::create_dir_all(&case).unwrap();
        sample_office(&case);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tuiguan"))
            .args(["--data", "data", "--out", "out", "--as-of", AS_OF, "-q", "cards"])
            .current_dir(&case)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(ms));
        let _ = child.kill();
        child.wait().unwrap();
        // out/ is either absent or a whole earlier result: never half.
        let out = case.join("out");
        if out.exists() {
            assert_eq!(snapshot(&out), expected, "seed {seed}: a killed run left a partial out/");
        }
        let r = run_in(&case, &["cards"]);
        assert_eq!(r.code, 0, "seed {seed}: {}", r.stderr);
        assert_eq!(snapshot(&out), expected, "seed {seed}: the next run is exactly a clean one");
        let leftovers = hidden_in(&case);
        assert!(leftovers.is_empty(), "seed {seed}: {leftovers:?}");
    }
}

#[test]
fn two_runs_at_once_into_one_out_give_a_clean_result() {
    let dir = tempfile::tempdir().unwrap();
    let expected = clean_cards(dir.path());
    let case = case(dir.path());
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_tuiguan"))
            .args(["--data", "data", "--out", "out", "--as-of", AS_OF, "-q", "cards"])
            .current_dir(&case)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    for o in [&a, &b] {
        let stderr = String::from_utf8_lossy(&o.stderr);
        // Each either made out/ or was told another run was at it.
        assert!(o.status.success() || stderr.contains("另一个 tuiguan 正在生成到 out"), "{stderr}");
    }
    assert!(a.status.success() || b.status.success());
    assert_eq!(snapshot(&case.join("out")), expected);
}

#[test]
fn a_damaged_manifest_costs_a_full_render_never_a_wrong_out() {
    let dir = tempfile::tempdir().unwrap();
    let expected = clean_cards(dir.path());
    let case = case(dir.path());
    assert_eq!(run_in(&case, &["cards"]).code, 0);
    let manifest = case.join("out/.tuiguan-manifest");
    let text = std::fs::read_to_string(&manifest).unwrap();
    // Truncated in the middle of a line, and a line of garbage.
    std::fs::write(&manifest, format!("{}\n\u{0}\u{1}乱码\tinfo-cards.pdf\n", &text[..text.len() / 2])).unwrap();
    let r = run_in(&case, &["cards"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(snapshot(&case.join("out")), expected);
}

/// Sample member b1-001's education changed.
fn edit_one_member(data: &Path) {
    let file = data.join("members/b1/b1-001.yaml");
    let yaml = std::fs::read_to_string(&file).unwrap();
    assert!(yaml.contains("education: 初中"));
    std::fs::write(&file, yaml.replace("education: 初中", "education: 高中")).unwrap();
}

#[test]
fn a_run_killed_while_moving_its_files_in_is_finished_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    // What out/ must become: a clean run on the edited data.
    let clean = dir.path().join("clean");
    edit_one_member(&sample_office(&clean));
    assert_eq!(run_in(&clean, &["cards"]).code, 0);
    let expected = snapshot(&clean.join("out"));
    // Killed before the first step of the move, after one, after three.
    for steps in [0, 1, 3] {
        let case = dir.path().join(format!("case{steps}"));
        let data = sample_office(&case);
        assert_eq!(run_in(&case, &["cards"]).code, 0);
        edit_one_member(&data);
        let killed = std::process::Command::new(env!("CARGO_BIN_EXE_tuiguan"))
            .args(["--data", "data", "--out", "out", "--as-of", AS_OF, "-q", "cards"])
            .env("TUIGUAN_TEST_ABORT_COMMIT_AFTER", steps.to_string())
            .current_dir(&case)
            .output()
            .unwrap();
        assert!(!killed.status.success(), "steps {steps}: the run should have died while moving");
        // Any later run first finishes the move; this one then finds nothing to do.
        let r = run_in(&case, &["cards"]);
        assert_eq!(r.code, 0, "steps {steps}: {}", r.stderr);
        assert_eq!(snapshot(&case.join("out")), expected, "steps {steps}: out/ is exactly a clean run's");
        let leftovers = hidden_in(&case);
        assert!(leftovers.is_empty(), "steps {steps}: {leftovers:?}");
    }
}
