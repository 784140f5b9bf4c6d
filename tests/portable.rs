//! One binary that works anywhere: copied alone into an empty folder it
//! makes every document for a new office (templates and fonts are inside
//! it); folders with spaces and Chinese names, and data files with Windows
//! line endings, work; an office's own templates are found, listed and
//! never overwritten.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn run_in(bin: &Path, cwd: &Path, args: &[&str]) -> Run {
    let out = output(Command::new(bin).args(args).current_dir(cwd).env_remove("TUIGUAN_HOME"));
    Run { code: out.status.code().unwrap_or(-1), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

/// Runs a copied binary. While it was being copied, another test's thread
/// may have forked, and its child holds the copy open for writing until it
/// execs: running the copy then fails with "Text file busy" (ETXTBSY) for
/// a moment. Wait that moment out; every other error fails the test.
fn output(command: &mut Command) -> std::process::Output {
    for _ in 0..100 {
        match command.output() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy => {
                std::thread::sleep(std::time::Duration::from_millis(50))
            }
            result => return result.expect("run"),
        }
    }
    panic!("the copied binary stayed busy for 5 s")
}

/// The wait above: a copy held open for writing cannot be run, and is run
/// once it is closed.
#[test]
fn a_busy_copy_is_run_once_it_is_closed() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("tuiguan");
    std::fs::copy(env!("CARGO_BIN_EXE_tuiguan"), &bin).unwrap();
    let writer = std::fs::OpenOptions::new().append(true).open(&bin).unwrap();
    let busy = Command::new(&bin).arg("--version").output().unwrap_err();
    assert_eq!(busy.kind(), std::io::ErrorKind::ExecutableFileBusy);
    let closer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(writer);
    });
    let version = output(Command::new(&bin).arg("--version"));
    closer.join().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn the_binary_alone_makes_every_document() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("tuiguan");
    std::fs::copy(env!("CARGO_BIN_EXE_tuiguan"), &bin).unwrap();
    let version = output(Command::new(&bin).arg("--version"));
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    assert!(version.contains(env!("CARGO_PKG_VERSION")) && version.contains("typst 0.15"), "{version}");

    let r = run_in(&bin, tmp.path(), &["init", "某单位"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A departure, so that the departure papers are made too.
    let member = tmp.path().join("某单位/members/b1/b1-001.yaml");
    let text = std::fs::read_to_string(&member).unwrap();
    let text = format!(
        "{text}departures:\n  - id: W2026-01\n    reason: 随子女居住\n    destination:\n      province: 海南省\n      city: 三亚市\n    \
         start: 2026-10-01\n    planned_end: 2027-04-30\n    fixed_location: true\n    card:\n      number: LK2026-001\n      \
         issued: 2026-09-28\n    filed: 2026-10-02\n"
    );
    std::fs::write(&member, text).unwrap();
    let r = run_in(&bin, tmp.path(), &["--data", "某单位", "--as-of", AS_OF, "build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = tmp.path().join("out");
    for pdf in ["info-cards.pdf", "contact-cards.pdf", "departures/W2026-01.pdf", "reports/filing-2026-Q4.pdf"] {
        let text = pdf_text(&out.join(pdf), None);
        assert!(text.contains("张某某") || text.contains("备案"), "{pdf}: {text}");
    }
    let letters = std::fs::read_dir(out.join("letters"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".pdf") && !name.ends_with("envelopes.pdf") && !name.ends_with("phone-list.pdf")
        })
        .expect("the holiday letters");
    assert!(pdf_text(&letters, None).contains("张某某"), "{}", letters.display());
    assert!(out.join("visits").is_dir());
    let index = std::fs::read_to_string(out.join("register/index.html")).unwrap();
    assert!(index.contains("张某某"));
    assert!(out.join("register/assets/register.js").is_file());
}

/// Folder names with spaces and Chinese characters, and YAML saved with
/// Windows line endings (as Notepad does): the same findings and documents.
#[test]
fn spaces_chinese_names_and_windows_line_endings() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("退管 数据 2026");
    copy_dir(&repo().join("data"), &data);
    let mut crlf = 0;
    let text_files = walkdir::WalkDir::new(&data)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "yaml" || x == "md"));
    for e in text_files {
        let text = std::fs::read_to_string(e.path()).unwrap();
        std::fs::write(e.path(), text.replace('\n', "\r\n")).unwrap();
        crlf += 1;
    }
    assert!(crlf > 60);
    let out = tmp.path().join("输出 文件夹");
    let args = ["--as-of", AS_OF, "--data", data.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let check = tuiguan(tmp.path(), &[&args[..], &["check"]].concat());
    let sample = tuiguan(&repo(), &["--as-of", AS_OF, "check"]);
    assert_eq!(check.code, sample.code, "{}", check.stderr);
    // The same findings at the same lines and columns, only the folder differs.
    let here = check.stderr.replace(&format!("{}/", data.display()), "data/");
    assert_eq!(here, sample.stderr);
    let build = tuiguan(tmp.path(), &[&args[..], &["build"]].concat());
    assert_eq!(build.code, 0, "{}", build.stderr);
    let card = pdf_text(&out.join("info-cards/b1-007.pdf"), None);
    assert!(card.contains("孙昇"), "{card}");
    assert!(!card.contains('\r'));
}

#[test]
fn office_templates_are_listed_kept_and_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let list = tuiguan(tmp.path(), &["templates"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    for t in ["typst/info-card.typ", "typst/lib/style.typ", "html/index.html", "html/register.css"] {
        assert!(list.stderr.contains(t), "{t}: {}", list.stderr);
    }
    assert!(!list.stderr.contains(".otf"), "fonts are not templates");

    let r = tuiguan(tmp.path(), &["--as-of", AS_OF, "templates", "info-card.typ", "register.css"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let card = data.join("templates/typst/info-card.typ");
    let text = std::fs::read_to_string(&card).unwrap();
    assert!(text.starts_with("// tuiguan "), "a note at the top: {text}");
    assert!(text.contains("templates/examples/info-card.json"));
    let example: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("templates/examples/info-card.json")).unwrap()).unwrap();
    assert!(example["cards"][0]["name"].is_string(), "the data a card receives: {example}");
    assert!(std::fs::read_to_string(data.join("templates/html/register.css")).unwrap().starts_with("/* tuiguan"));

    // An office's edits are never overwritten.
    std::fs::write(&card, "// 本单位改过的\n").unwrap();
    let again = tuiguan(tmp.path(), &["--as-of", AS_OF, "templates", "info-card.typ"]);
    assert!(again.stderr.contains("已存在，未覆盖"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&card).unwrap(), "// 本单位改过的\n");
    let unknown = tuiguan(tmp.path(), &["templates", "信息卡.typ"]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(unknown.stderr.contains("没有名为 “信息卡.typ” 的内置模板"), "{}", unknown.stderr);

    // A misspelt override would be silently ignored: it is warned about.
    std::fs::remove_file(&card).unwrap();
    std::fs::write(data.join("templates/typst/info_card.typ"), "").unwrap();
    let r = tuiguan(tmp.path(), &["--as-of", AS_OF, "check"]);
    assert!(r.stderr.contains("info_card.typ 不是内置模板的名字，不会被使用"), "{}", r.stderr);
}

/// The office's own wording (`texts:` in org.yaml) is printed where the
/// built-in wording was.
#[test]
fn the_office_wording_replaces_the_builtin_one() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let org = std::fs::read_to_string(data.join("org.yaml")).unwrap();
    std::fs::write(
        data.join("org.yaml"),
        format!(
            "{org}\ntexts:\n  report_opening: 按照集团党委要求，现将{{单位}}{{报告期}}外出党员情况报告如下。\n  \
             contact_card_note: 到达后请与当地社区党组织联系。\n"
        ),
    )
    .unwrap();
    let r = tuiguan(tmp.path(), &["--as-of", AS_OF, "report", "--period", "2026-Q4"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: String =
        pdf_text(&tmp.path().join("out/reports/filing-2026-Q4.pdf"), None).split_whitespace().collect();
    assert!(
        report.contains("按照集团党委要求，现将江南重型机械集团有限公司2026年第四季度外出党员情况报告如下。"),
        "{report}"
    );
    let r = tuiguan(tmp.path(), &["--as-of", AS_OF, "departures"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let cards: String = pdf_text(&tmp.path().join("out/contact-cards.pdf"), None).split_whitespace().collect();
    assert!(cards.contains("到达后请与当地社区党组织联系。"), "{cards}");
    assert!(!cards.contains("请及时告知支部"), "the built-in note is replaced");
}

/// A 1 × 1 pixel PNG, for a logo.
const PNG: [u8; 70] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 31, 21, 196,
    137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 252, 207, 192, 240, 31, 0, 5, 5, 2, 0, 95, 200, 241, 210, 0, 0, 0,
    0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// The images drawn in `pdf` (an image's transparency, its soft mask, is
/// not counted apart).
fn images(pdf: &Path) -> usize {
    let out =
        Command::new("pdfimages").args(["-list", pdf.to_str().unwrap()]).output().expect("pdfimages (poppler-utils)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count()
}

/// An office's logo (`templates/typst/logo.png`) heads the information
/// cards and the letters, and adding it re-renders those.
#[test]
fn an_office_logo_heads_cards_and_letters() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let cards = |t: &Path| tuiguan(t, &["--as-of", AS_OF, "-q", "cards"]);
    assert_eq!(cards(tmp.path()).code, 0);
    let card = tmp.path().join("out/info-cards/b1-001.pdf");
    assert_eq!(images(&card), 0);
    std::fs::create_dir_all(data.join("templates/typst")).unwrap();
    std::fs::write(data.join("templates/typst/logo.png"), PNG).unwrap();
    assert_eq!(cards(tmp.path()).code, 0);
    assert_eq!(images(&card), 1, "the logo on the card, once");
    assert_eq!(pdf_info(&card).0, 1, "still one page");
    let r = tuiguan(tmp.path(), &["--as-of", AS_OF, "-q", "letters", "--holiday", "元旦", "--year", "2027"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let letters = tmp.path().join("out/letters/2027-元旦.pdf");
    let pages = pdf_info(&letters).0;
    assert_eq!(pages, 56, "one page a member on the books (58, but the one 失联 and the one 停止党籍)");
    assert_eq!(images(&letters), pages, "the logo heads every letter");
}

/// An office's letter template that runs each letter over onto a second
/// page (and cannot scale it back): the single letters are then laid out
/// alone, each from its part's view holding only its own letter.
#[test]
fn a_letter_that_runs_over_is_laid_out_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let builtin = std::fs::read_to_string(repo().join("templates/typst/greeting-letters.typ")).unwrap();
    let longer = builtin.replace("  letter(l)\n}", "  letter(l)\n  pagebreak()\n  [（续页）]\n}");
    assert_ne!(longer, builtin, "the template's loop is where the test expects it");
    std::fs::create_dir_all(data.join("templates/typst")).unwrap();
    std::fs::write(data.join("templates/typst/greeting-letters.typ"), longer).unwrap();
    let r = tuiguan(tmp.path(), &["--as-of", AS_OF, "letters", "--holiday", "元旦", "--year", "2027"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("慰问信排成了 2 页"), "{}", r.stderr);
    let out = tmp.path().join("out/letters");
    assert_eq!(pdf_info(&out.join("2027-元旦.pdf")).0, 2 * 56, "two pages a member with a letter");
    for (id, name, other) in [("b1-001", "王喆", "赵㛃"), ("b1-004", "赵㛃", "王喆")] {
        let letter = out.join(format!("2027-元旦/{id}.pdf"));
        assert_eq!(pdf_info(&letter).0, 2, "{id}");
        let text: String = pdf_text(&letter, None).split_whitespace().collect();
        assert!(text.contains(&format!("尊敬的{name}同志")) && text.contains("（续页）"), "{id}: {text}");
        assert!(!text.contains(other), "{id}'s letter holds only their own: {text}");
    }
}
