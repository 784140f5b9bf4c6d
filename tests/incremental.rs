//! Incremental builds: an edit re-renders only what depends on it, a deleted
//! member's outputs go, a template change re-renders its kind, and a killed
//! run leaves out/ and its manifest as they were.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::*;

/// Every file under `dir` with its inode: a file the rebuild did not touch
/// keeps its inode (it is carried over as a hard link), a rewritten one does not.
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    fn go(base: &Path, dir: &Path, m: &mut BTreeMap<String, u64>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                go(base, &p, m);
            } else {
                m.insert(p.strip_prefix(base).unwrap().display().to_string(), std::fs::metadata(&p).unwrap().ino());
            }
        }
    }
    go(dir, dir, &mut m);
    m
}

fn changed(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> Vec<String> {
    after.iter().filter(|(k, v)| before.get(*k) != Some(v)).map(|(k, _)| k.clone()).collect()
}

fn office(tmp: &Path) -> std::path::PathBuf {
    let data = tmp.join("data");
    copy_dir(&repo().join("data"), &data);
    data
}

fn build(tmp: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["--as-of", AS_OF];
    args.extend_from_slice(extra);
    args.push("build");
    tuiguan(tmp, &args)
}

#[test]
fn editing_one_member_rerenders_only_their_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let data = office(tmp.path());
    assert_eq!(build(tmp.path(), &[]).code, 0);
    let out = tmp.path().join("out");
    let before = inodes(&out);

    // Nothing changed: nothing is rendered.
    let run = build(tmp.path(), &[]);
    assert!(run.stderr.contains("没有改动，无需重新生成"), "{}", run.stderr);
    assert!(changed(&before, &inodes(&out)).is_empty(), "a no-change run touches nothing");

    // A new living situation for b1-001: their card and letter, and the print
    // files' first parts, and nothing else. The other cards of b1-001's
    // part are cut from it again (their bytes hold its font subsets), with
    // the text they had; no card of another branch is touched.
    let sibling = out.join("info-cards/b1-004.pdf");
    let sibling_text = pdf_text(&sibling, None);
    let f = data.join("members/b1/b1-001.yaml");
    let text = std::fs::read_to_string(&f).unwrap().replace("living: 与子女同住，有保姆照料", "living: 入住养老院");
    std::fs::write(&f, text).unwrap();
    assert_eq!(build(tmp.path(), &[]).code, 0);
    let mut diff = changed(&before, &inodes(&out));
    diff.retain(|p| p != ".tuiguan-manifest");
    assert!(diff.contains(&"info-cards/b1-001.pdf".to_string()), "{diff:?}");
    for p in &diff {
        // The whole-office Excel register holds the living situation too.
        let expected = p.contains("b1-001")
            || p == "info-cards.pdf"
            || p == ".print-parts/info-cards/b1/0001.pdf"
            || p == ".print-parts/info-cards/b1/0001.piece"
            || p.starts_with("info-cards/b1-")
            || p == "台帐（内部资料）.xlsx";
        assert!(expected, "{p} should not have been rendered again: {diff:?}");
    }
    assert!(diff.contains(&"info-cards/b1-004.pdf".to_string()), "{diff:?}");
    assert_eq!(pdf_text(&sibling, None), sibling_text, "b1-004's card reads as it did");
    assert!(diff.contains(&"台帐（内部资料）.xlsx".to_string()), "{diff:?}");
    let card = pdf_text(&out.join("info-cards/b1-001.pdf"), None);
    assert!(card.contains("入住养老院"));

    // --force renders everything again.
    let run = build(tmp.path(), &["--force"]);
    assert!(run.stderr.contains("跳过 0 份"), "{}", run.stderr);
}

#[test]
fn a_deleted_member_takes_their_outputs_along() {
    let tmp = tempfile::tempdir().unwrap();
    let data = office(tmp.path());
    assert_eq!(build(tmp.path(), &[]).code, 0);
    let out = tmp.path().join("out");
    assert!(out.join("info-cards/b3-060.pdf").exists());
    std::fs::remove_file(data.join("members/b3/b3-060.yaml")).unwrap();
    let run = build(tmp.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("删除"), "{}", run.stderr);
    assert!(!out.join("info-cards/b3-060.pdf").exists());
    let leftovers: Vec<_> = inodes(&out).into_keys().filter(|p| p.contains("b3-060")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(pdf_info(&out.join("info-cards.pdf")).0, 57);
    // The manifest names exactly the files that are there.
    let manifest = std::fs::read_to_string(out.join(".tuiguan-manifest")).unwrap();
    for line in manifest.lines().filter(|l| !l.starts_with('#')) {
        let path = line.split('\t').nth(1).unwrap();
        assert!(out.join(path).is_file(), "manifest claims {path}");
    }
}

/// An office's own template (made with `tuiguan templates`, then edited)
/// re-renders exactly the documents that use it; removing it brings the
/// built-in one back, and those documents render again.
#[test]
fn an_office_template_rerenders_that_kind_only() {
    let tmp = tempfile::tempdir().unwrap();
    let data = office(tmp.path());
    let run = tuiguan(tmp.path(), &["--as-of", AS_OF, "templates", "departure-form.typ"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tpl = data.join("templates/typst/departure-form.typ");
    assert!(data.join("templates/examples/departure-form.json").is_file(), "the data the template receives");
    assert_eq!(build(tmp.path(), &[]).code, 0);
    let out = tmp.path().join("out");
    let before = inodes(&out);
    let text = std::fs::read_to_string(&tpl).unwrap().replace("本表一式两份", "本表一式三份");
    std::fs::write(&tpl, text).unwrap();
    let run = build(tmp.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let diff = changed(&before, &inodes(&out));
    // Every departure form renders again; nothing else does.
    let forms = inodes(&out).into_keys().filter(|p| p.starts_with("departures/W") && !p.contains("transfer")).count();
    assert_eq!(diff.iter().filter(|p| p.starts_with("departures/")).count(), forms, "{diff:?}");
    assert!(diff.iter().all(|p| p.starts_with("departures/") || p == ".tuiguan-manifest"), "{diff:?}");
    let form: String = pdf_text(&out.join("departures/W2026-01.pdf"), None).split_whitespace().collect();
    assert!(form.contains("本表一式三份"), "{form}");

    // Back to the built-in template.
    let before = inodes(&out);
    std::fs::remove_file(&tpl).unwrap();
    assert_eq!(build(tmp.path(), &[]).code, 0);
    let diff = changed(&before, &inodes(&out));
    assert_eq!(diff.iter().filter(|p| p.starts_with("departures/")).count(), forms, "{diff:?}");
    let form: String = pdf_text(&out.join("departures/W2026-01.pdf"), None).split_whitespace().collect();
    assert!(form.contains("本表一式两份"), "{form}");

    // The information card: the cards and their print file, nothing else.
    let before = inodes(&out);
    let card = data.join("templates/typst/info-card.typ");
    std::fs::write(
        &card,
        std::fs::read_to_string(repo().join("templates/typst/info-card.typ"))
            .unwrap()
            .replace("离退休党员个人信息卡", "离退休党员信息卡（本单位）"),
    )
    .unwrap();
    assert_eq!(build(tmp.path(), &[]).code, 0);
    let diff = changed(&before, &inodes(&out));
    let cards = inodes(&out).into_keys().filter(|p| p.starts_with("info-cards/")).count();
    assert_eq!(diff.iter().filter(|p| p.starts_with("info-cards/")).count(), cards, "{diff:?}");
    assert!(
        diff.iter().all(|p| p.starts_with("info-cards")
            || p.starts_with(".print-parts/info-cards/")
            || p == ".tuiguan-manifest"),
        "{diff:?}"
    );
    let text: String = pdf_text(&out.join("info-cards/b1-001.pdf"), None).split_whitespace().collect();
    assert!(text.contains("离退休党员信息卡（本单位）"), "{text}");
}

#[test]
fn a_killed_run_leaves_out_and_its_manifest_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    tuiguan::synthetic::write_office(&data, 240, 3, chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()).unwrap();
    assert_eq!(build(tmp.path(), &["-q"]).code, 0);
    let out = tmp.path().join("out");
    let before: BTreeMap<String, Vec<u8>> =
        inodes(&out).into_keys().map(|p| (p.clone(), std::fs::read(out.join(&p)).unwrap())).collect();

    // A new --as-of changes every document; kill the run while it renders.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tuiguan"))
        .args(["--as-of", "2026-11-27", "-q", "build"])
        .current_dir(tmp.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging_seen = (0..200).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(25));
        std::fs::read_dir(tmp.path())
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".out.staging-"))
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(staging_seen, "the run should have been killed while rendering");

    let after: BTreeMap<String, Vec<u8>> =
        inodes(&out).into_keys().map(|p| (p.clone(), std::fs::read(out.join(&p)).unwrap())).collect();
    assert!(after == before, "out/ changed under a killed run");

    // The next run cleans up and completes.
    assert_eq!(build(tmp.path(), &["-q"]).code, 0);
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".out."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Every file under `dir` with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    inodes(dir).into_keys().map(|p| (p.clone(), std::fs::read(dir.join(&p)).unwrap())).collect()
}

/// Where two output folders differ: files only in one, or with other bytes.
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut d: Vec<String> = a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).cloned().collect();
    d.sort();
    d.dedup();
    d
}

/// Build `data` as of `as_of` into `out` (relative to `tmp`).
fn build_into(tmp: &Path, as_of: &str, out: &str, force: bool) -> Run {
    let mut args = vec!["--as-of", as_of, "--out", out, "-q"];
    if force {
        args.push("--force");
    }
    args.push("build");
    let run = tuiguan(tmp, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// Three edits built one after another give, byte for byte, what a clean
/// `--force` build of the end state gives — print files and their kept
/// pieces included — and each edit rewrites only files whose bytes change.
#[test]
fn three_incremental_edits_equal_a_clean_build() {
    let tmp = tempfile::tempdir().unwrap();
    let data = office(tmp.path());
    build_into(tmp.path(), AS_OF, "out", false);
    let edits: [&dyn Fn(); 3] = [
        // A changed living situation (the first part of each print file).
        &|| {
            let f = data.join("members/b1/b1-001.yaml");
            let text =
                std::fs::read_to_string(&f).unwrap().replace("living: 与子女同住，有保姆照料", "living: 入住养老院");
            std::fs::write(&f, text).unwrap();
        },
        // A member gone from the middle: every later part shifts by one.
        &|| std::fs::remove_file(data.join("members/b2/b2-050.yaml")).unwrap(),
        // A new member, a copy of another with a new id and name.
        &|| {
            let text = std::fs::read_to_string(data.join("members/b1/b1-013.yaml"))
                .unwrap()
                .replace("id: b1-013", "id: b1-099")
                .replace("name: 肖宝根", "name: 孙新昇")
                .replace("330105193209183619", "330681195105168935");
            std::fs::write(data.join("members/b1/b1-099.yaml"), text).unwrap();
        },
    ];
    let out = tmp.path().join("out");
    for (i, edit) in edits.iter().enumerate() {
        let before = contents(&out);
        let inodes_before = inodes(&out);
        edit();
        build_into(tmp.path(), AS_OF, "out", false);
        let after = contents(&out);
        // Only files whose bytes changed were rewritten.
        let rewritten = changed(&inodes_before, &inodes(&out));
        let differ = differences(&before, &after);
        for p in &rewritten {
            assert!(differ.contains(p), "edit {}: {p} rewritten with the same bytes", i + 1);
        }
        assert!(
            rewritten.len() < after.len() / 2,
            "edit {}: {} of {} files rewritten",
            i + 1,
            rewritten.len(),
            after.len()
        );
    }
    build_into(tmp.path(), AS_OF, "clean", true);
    let diff = differences(&contents(&out), &contents(&tmp.path().join("clean")));
    assert!(diff.is_empty(), "incremental and clean builds differ: {diff:?}");
    assert!(out.join("info-cards/b1-099.pdf").is_file() && !out.join("info-cards/b2-050.pdf").exists());
    // The print file really holds the new member, in place.
    assert!(pdf_text(&out.join("info-cards.pdf"), None).contains("孙新昇"));
}

/// Changing only `--as-of` across a member's birthday and another's Party
/// anniversary re-renders those two information cards and no other card; across the year's end
/// (a quarter, half-year and dues year) the outputs follow too. Either way
/// the result equals a clean build on the new date.
#[test]
fn a_new_as_of_rerenders_exactly_what_it_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let _data = office(tmp.path());
    let out = tmp.path().join("out");
    build_into(tmp.path(), "2026-11-26", "out", false);
    // b2-056 (born 1953-11-28) turns 73 on the 28th.
    let before = inodes(&out);
    let card = pdf_text(&out.join("info-cards/b2-056.pdf"), None);
    assert!(card.contains("72岁"), "{card}");
    build_into(tmp.path(), "2026-11-28", "out", false);
    let rewritten = changed(&before, &inodes(&out));
    let cards: Vec<&String> = rewritten.iter().filter(|p| p.starts_with("info-cards/")).collect();
    // b3-015 (joined 1968-11-28) has 57 years in the Party on the 28th.
    assert_eq!(cards, ["info-cards/b2-056.pdf", "info-cards/b3-015.pdf"], "{rewritten:?}");
    assert!(pdf_text(&out.join("info-cards/b2-056.pdf"), None).contains("73岁"));
    build_into(tmp.path(), "2026-11-28", "clean", true);
    let diff = differences(&contents(&out), &contents(&tmp.path().join("clean")));
    assert!(diff.is_empty(), "after a birthday, incremental and clean builds differ: {diff:?}");

    // Across the year's end.
    build_into(tmp.path(), "2027-01-02", "out", false);
    build_into(tmp.path(), "2027-01-02", "clean2", true);
    let diff = differences(&contents(&out), &contents(&tmp.path().join("clean2")));
    assert!(diff.is_empty(), "across the year's end, incremental and clean builds differ: {diff:?}");
}

#[test]
fn an_edit_in_a_linked_members_folder_is_seen() {
    // The members kept elsewhere (a shared drive) and linked into the data folder.
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("shared/members");
    copy_dir(&repo().join("data/members"), &elsewhere);
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(repo().join("data/org.yaml"), data.join("org.yaml")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, data.join("members")).unwrap();
    let cards = |tmp: &Path| tuiguan(tmp, &["--as-of", AS_OF, "cards"]);
    assert_eq!(cards(tmp.path()).code, 0);
    let file = elsewhere.join("b1/b1-001.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("living: ", "living: 近来搬到女儿家附近，", 1)).unwrap();
    let run = cards(tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("没有改动"), "the edit was missed: {}", run.stderr);
    assert!(pdf_text(&tmp.path().join("out/info-cards/b1-001.pdf"), None).contains("近来搬到女儿家附近"));
}

#[test]
fn inputs_that_change_no_document_are_recorded_so_the_next_run_stops_early() {
    let tmp = tempfile::tempdir().unwrap();
    let data = office(tmp.path());
    assert_eq!(build(tmp.path(), &[]).code, 0);
    let out = tmp.path().join("out");
    let before = inodes(&out);
    // A comment: the file's bytes change, no document does.
    let file = data.join("members/b1/b1-001.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}# 已电话核对\n")).unwrap();
    // Every view is built and found the same; only the record of the inputs changes.
    let run = build(tmp.path(), &[]);
    assert!(run.stderr.contains("没有改动，无需重新生成（"), "{}", run.stderr);
    assert_eq!(changed(&before, &inodes(&out)), vec![".tuiguan-manifest".to_string()]);
    // The next run stops before load: no member file is parsed, and it
    // says how many warnings the data still has.
    let warnings = run.stderr.split("个错误，").nth(1).and_then(|s| s.split(" 个警告").next()).unwrap().to_string();
    let run = tuiguan_timed(tmp.path(), &["--as-of", AS_OF, "build"]);
    assert!(run.stderr.contains("没有改动，无需重新生成 →"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("数据仍有 {warnings} 个警告")), "{warnings}: {}", run.stderr);
    assert!(run.stderr.contains("read and digest the data"), "{}", run.stderr);
    assert!(!run.stderr.contains(" load\n"), "{}", run.stderr);
    // Nor with --quiet; the warnings are still counted.
    let run = tuiguan(tmp.path(), &["--as-of", AS_OF, "--quiet", "build"]);
    assert_eq!(
        run.stderr.trim(),
        format!("提示: 数据仍有 {warnings} 个警告，与上次生成时相同；运行 tuiguan check 查看全部。")
    );
}

/// The register's pages are known unchanged by the manifest and one stat;
/// a page edited in out/ since — even to the same length — is still seen
/// and put back by the next run that builds.
#[test]
fn register_pages_edited_in_out_are_put_back() {
    let tmp = tempfile::tempdir().unwrap();
    let data = office(tmp.path());
    build_into(tmp.path(), AS_OF, "out", false);
    let out = tmp.path().join("out");
    let page = out.join("register/index.html");
    let shorter = out.join("register/stats.html");
    let mut same_length = std::fs::read(&page).unwrap();
    let at = same_length.windows(7).position(|w| w == b"<title>").unwrap() + 1;
    same_length[at] = b'T';
    std::fs::write(&page, same_length).unwrap();
    std::fs::write(&shorter, "<p>改过</p>").unwrap();
    // One member edited, so that the run is not stopped early as unchanged.
    let f = data.join("members/b1/b1-001.yaml");
    let text = std::fs::read_to_string(&f).unwrap().replace("living: 与子女同住，有保姆照料", "living: 入住养老院");
    std::fs::write(&f, text).unwrap();
    build_into(tmp.path(), AS_OF, "out", false);
    build_into(tmp.path(), AS_OF, "clean", true);
    let clean = tmp.path().join("clean");
    for p in ["register/index.html", "register/stats.html"] {
        assert!(std::fs::read(out.join(p)).unwrap() == std::fs::read(clean.join(p)).unwrap(), "{p} was not put back");
    }
}

/// How many member pages a run made, of how many: the register's timing line.
fn member_pages_made(run: &Run) -> (usize, usize) {
    pages_made(run, "register/members:")
}

/// How many pages of `folder` ("register/branches:") a run made, of how
/// many: its timing line.
fn pages_made(run: &Run, folder: &str) -> (usize, usize) {
    let line = run.stderr.lines().find(|l| l.contains(folder) && l.ends_with(" made")).expect("timing line");
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == folder).unwrap();
    (words[at + 1].parse().unwrap(), words[at + 3].parse().unwrap())
}

/// A member's register page is made from that member's file and what all
/// pages share: one member edited makes one page; org.yaml edited, or a
/// new `--as-of`, makes them all; a page edited in out/ is made again.
/// Each time out/ equals a clean build.
#[test]
fn register_pages_are_made_only_for_members_whose_inputs_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = office(tmp.path());
    let out = tmp.path().join("out");
    let timed = |as_of: &str| {
        let run = tuiguan_timed(tmp.path(), &["--as-of", as_of, "-q", "build"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run
    };
    let same_as_clean = |as_of: &str| {
        let _ = std::fs::remove_dir_all(tmp.path().join("clean"));
        build_into(tmp.path(), as_of, "clean", true);
        let diff = differences(&contents(&out), &contents(&tmp.path().join("clean")));
        assert!(diff.is_empty(), "incremental and clean builds differ: {diff:?}");
    };
    let (made, all) = member_pages_made(&timed(AS_OF));
    assert!(made == all && all > 50, "{made} of {all}");

    let edit = |file: &str, from: &str, to: &str| {
        let f = data.join(file);
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&f, text.replace(from, to)).unwrap();
    };
    edit("members/b1/b1-001.yaml", "living: 与子女同住，有保姆照料", "living: 入住养老院");
    let run = timed(AS_OF);
    assert_eq!(member_pages_made(&run), (1, all));
    assert_eq!(pages_made(&run, "register/branches:"), (1, 3), "{}", run.stderr);
    // The letters and cards too: the one part holding b1-001.
    let (letters, of) = parts_built(&run, "greeting-letters:");
    assert!(letters == 1 && of >= 2, "{letters} of {of}");
    assert_eq!(card_parts_built(&run).0, 1);
    let (forms, of) = parts_built(&run, "departure-form:");
    assert!(forms <= 3 && of > 10, "{forms} of {of} departure forms built");
    same_as_clean(AS_OF);

    // A page edited in out/ to the same length, and another member edited.
    let page = out.join("register/members/b2-005.html");
    let mut bytes = std::fs::read(&page).unwrap();
    let at = bytes.windows(7).position(|w| w == b"<title>").unwrap() + 1;
    bytes[at] = b'T';
    std::fs::write(&page, bytes).unwrap();
    edit("members/b1/b1-001.yaml", "living: 入住养老院", "living: 入住养老院，女儿每周探望");
    assert_eq!(member_pages_made(&timed(AS_OF)), (2, all));
    same_as_clean(AS_OF);

    // A comment: b1-001's page is made again, the same; recorded with its
    // new inputs, it is not made by the next run.
    std::fs::write(
        data.join("members/b1/b1-001.yaml"),
        std::fs::read_to_string(data.join("members/b1/b1-001.yaml")).unwrap() + "# 已核对\n",
    )
    .unwrap();
    let run = timed(AS_OF);
    assert_eq!(member_pages_made(&run), (1, all));
    edit("members/b2/b2-005.yaml", "living: ", "living: 近来搬到女儿家附近，");
    assert_eq!(member_pages_made(&timed(AS_OF)), (1, all));
    same_as_clean(AS_OF);

    edit("org.yaml", "enterprise: 江南重型机械集团有限公司", "enterprise: 江南重机集团");
    let run = timed(AS_OF);
    assert_eq!(member_pages_made(&run), (all, all));
    assert_eq!(pages_made(&run, "register/branches:"), (3, 3), "{}", run.stderr);
    let (forms, of) = parts_built(&run, "departure-form:");
    assert_eq!(forms, of, "a new org.yaml builds every departure form");
    assert!(std::fs::read_to_string(out.join("register/members/b3-003.html")).unwrap().contains("江南重机集团"));
    same_as_clean(AS_OF);

    assert_eq!(member_pages_made(&timed("2026-11-28")), (all, all));
    same_as_clean("2026-11-28");
}

/// How many views of the documents of template `stem` ("info-card:") a
/// run built — print-file parts, or single forms — of how many: its
/// timing line.
fn parts_built(run: &Run, stem: &str) -> (usize, usize) {
    let line = run
        .stderr
        .lines()
        .find(|l| l.ends_with(" built") && l.split_whitespace().any(|w| w == stem))
        .unwrap_or_else(|| panic!("no timing line for {stem}: {}", run.stderr));
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.iter().position(|w| *w == stem).unwrap();
    (words[at + 1].parse().unwrap(), words[at + 3].parse().unwrap())
}

fn card_parts_built(run: &Run) -> (usize, usize) {
    parts_built(run, "info-card:")
}

/// A card's view is built only when its member's inputs changed, or out/
/// no longer holds the card or its part as made: one member edited builds
/// one part; a card deleted from out/ builds its part again and puts it
/// back; a new `--as-of` builds all (and re-renders only cards it changes).
/// Each time out/ equals a clean build.
#[test]
fn card_views_are_built_only_where_inputs_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = office(tmp.path());
    let out = tmp.path().join("out");
    let timed = |as_of: &str| {
        let run = tuiguan_timed(tmp.path(), &["--as-of", as_of, "-q", "cards"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        card_parts_built(&run)
    };
    let same_as_clean = |as_of: &str| {
        let _ = std::fs::remove_dir_all(tmp.path().join("clean"));
        let run = tuiguan(tmp.path(), &["--as-of", as_of, "--out", "clean", "-q", "--force", "cards"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let diff = differences(&contents(&out), &contents(&tmp.path().join("clean")));
        assert!(diff.is_empty(), "incremental and clean runs differ: {diff:?}");
    };
    let (built, parts) = timed(AS_OF);
    assert!(built == parts && parts >= 2, "{built} of {parts}");

    let f = data.join("members/b1/b1-001.yaml");
    let text = std::fs::read_to_string(&f).unwrap().replace("living: 与子女同住，有保姆照料", "living: 入住养老院");
    std::fs::write(&f, text).unwrap();
    assert_eq!(timed(AS_OF), (1, parts));
    assert!(pdf_text(&out.join("info-cards/b1-001.pdf"), None).contains("入住养老院"));
    same_as_clean(AS_OF);

    // Nothing changed but a card gone from out/: its part is built again.
    std::fs::remove_file(out.join("info-cards/b2-005.pdf")).unwrap();
    assert_eq!(timed(AS_OF), (1, parts));
    same_as_clean(AS_OF);

    let before = inodes(&out);
    assert_eq!(timed("2026-11-28"), (parts, parts));
    let cards: Vec<String> =
        changed(&before, &inodes(&out)).into_iter().filter(|p| p.starts_with("info-cards/")).collect();
    assert_eq!(cards, ["info-cards/b2-056.pdf", "info-cards/b3-015.pdf"]);
    same_as_clean("2026-11-28");
}

/// The contact-card sheet and the departure forms are built only when
/// their members' inputs changed: an edit to a member without a departure
/// builds neither; a comment in the file of one with a card builds the
/// sheet and that member's forms again, and out/ equals a clean run.
#[test]
fn contact_cards_and_departure_forms_are_built_only_where_inputs_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = office(tmp.path());
    let timed = || {
        let run = tuiguan_timed(tmp.path(), &["--as-of", AS_OF, "-q", "departures"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        (parts_built(&run, "contact-cards:"), parts_built(&run, "departure-form:"))
    };
    let (sheets, (forms, all)) = timed();
    assert!(sheets == (1, 1) && forms == all && all > 5, "{sheets:?} {forms} of {all}");

    let f = data.join("members/b1/b1-001.yaml");
    let text = std::fs::read_to_string(&f).unwrap().replace("living: 与子女同住，有保姆照料", "living: 入住养老院");
    std::fs::write(&f, text).unwrap();
    assert_eq!(timed(), ((0, 1), (0, all)));

    let f = data.join("members/b1/b1-007.yaml");
    std::fs::write(&f, std::fs::read_to_string(&f).unwrap() + "# 已核对\n").unwrap();
    let (sheets, (forms, _)) = timed();
    assert!(sheets == (1, 1) && (1..all).contains(&forms), "{sheets:?} {forms} of {all}");
    let clean = tuiguan(tmp.path(), &["--as-of", AS_OF, "--out", "clean", "-q", "--force", "departures"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    let diff = differences(&contents(&tmp.path().join("out")), &contents(&tmp.path().join("clean")));
    assert!(diff.is_empty(), "incremental and clean runs differ: {diff:?}");
}
