//! Building the sample office: the information cards as a reader holds them
//! (text extracted from the PDFs, page size, page count), determinism, and
//! that a failed run leaves an existing out/ untouched.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// The sample office's members: (id, name, branch id) read from data/.
fn sample_members() -> Vec<(String, String, String)> {
    let mut v = Vec::new();
    for e in walk(&repo().join("data/members")) {
        let text = std::fs::read_to_string(&e).unwrap();
        if !on_books(&text) {
            continue;
        }
        let field = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}: ")))
                .unwrap_or_else(|| panic!("{k} in {}", e.display()))
                .to_string()
        };
        v.push((field("id"), field("name"), field("branch")));
    }
    v
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    fn go(base: &Path, dir: &Path, m: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                go(base, &p, m);
            } else {
                m.insert(p.strip_prefix(base).unwrap().display().to_string(), std::fs::read(&p).unwrap());
            }
        }
    }
    go(dir, dir, &mut m);
    m
}

fn build_sample(out: &Path) -> Run {
    tuiguan(&repo(), &["--as-of", AS_OF, "--out", out.to_str().unwrap(), "build"])
}

fn branch_names() -> BTreeMap<String, String> {
    let org = std::fs::read_to_string(repo().join("data/org.yaml")).unwrap();
    let mut m = BTreeMap::new();
    let mut id = None;
    for l in org.lines() {
        if let Some(x) = l.trim().strip_prefix("- id: ") {
            id = Some(x.to_string());
        } else if let (Some(i), Some(n)) = (&id, l.strip_prefix("    name: ")) {
            m.insert(i.clone(), n.to_string());
            id = None;
        }
    }
    m
}

#[test]
fn sample_office_cards_carry_each_members_name_and_branch_on_a4() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = build_sample(&out);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let members = sample_members();
    assert!((40..=80).contains(&members.len()));
    let branches = branch_names();
    assert_eq!(branches.len(), 3);

    // One page per member in the print file, every page A4.
    let combined = out.join("info-cards.pdf");
    let (pages, w, h) = pdf_info(&combined);
    assert_eq!(pages, members.len());
    assert!(is_a4(w, h), "{w} x {h}");

    for (id, name, branch) in &members {
        let card = out.join(format!("info-cards/{id}.pdf"));
        let (pages, w, h) = pdf_info(&card);
        assert_eq!(pages, 1, "{id}");
        assert!(is_a4(w, h), "{id}: {w} x {h}");
        let text = pdf_text(&card, None);
        assert!(text.contains(name.as_str()), "{id}: name {name} not on card:\n{text}");
        let branch_name = &branches[branch];
        // A long branch name may wrap inside its cell; compare without whitespace.
        let flat: String = text.split_whitespace().collect();
        assert!(flat.contains(branch_name.as_str()), "{id}: branch {branch_name} not on card:\n{text}");
        assert!(text.contains("离退休党员个人信息卡"));
    }

    // Rare name characters come through as text, not as empty boxes.
    let all = pdf_text(&combined, None);
    for rare in ["王喆", "李堃", "陈玥", "赵㛃"] {
        assert!(all.contains(rare), "{rare} missing from the print file");
    }
}

#[test]
fn print_file_is_ordered_by_branch_then_group_then_id() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build_sample(&out).code, 0);
    let combined = out.join("info-cards.pdf");
    // Page 1 is the first member of branch b1, group b1-g1; the last page is in b3.
    let first = pdf_text(&combined, Some(1));
    let (pages, _, _) = pdf_info(&combined);
    let last = pdf_text(&combined, Some(pages));
    let flat = |s: &str| s.split_whitespace().collect::<String>();
    assert!(flat(&first).contains("第一离退休党支部") && flat(&first).contains("机关第一党小组"), "{first}");
    assert!(flat(&last).contains("第三离退休党支部"), "{last}");
}

#[test]
fn same_input_and_date_give_byte_identical_pdfs() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(build_sample(&a).code, 0);
    assert_eq!(build_sample(&b).code, 0);
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert!(sa.len() > 40);
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(v == &sb[k], "{k} differs between two builds");
    }
}

#[test]
fn failed_build_leaves_existing_out_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build_sample(&out).code, 0);
    let before = snapshot(&out);

    // 1. An office's template with an error in it.
    let own = tmp.path().join("own");
    copy_dir(&repo().join("data"), &own);
    let tpl = own.join("templates/typst/info-card.typ");
    std::fs::create_dir_all(tpl.parent().unwrap()).unwrap();
    let builtin = std::fs::read_to_string(repo().join("templates/typst/info-card.typ")).unwrap();
    let line = builtin.lines().position(|l| l.contains("c.native_place")).expect("a line to break") + 1;
    std::fs::write(&tpl, builtin.replace("c.native_place", "c.no_such_field")).unwrap();
    let run =
        tuiguan(&repo(), &["--as-of", AS_OF, "--data", own.to_str().unwrap(), "--out", out.to_str().unwrap(), "build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{}:{line}:", tpl.display())),
        "the office's template file and line {line}: {}",
        run.stderr
    );
    assert!(run.stderr.contains("模板错误"), "{}", run.stderr);
    assert!(run.stderr.contains("保持原样"), "{}", run.stderr);

    // 2. Bad data.
    let data = tmp.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let f = data.join("members/b1/b1-001.yaml");
    let text = std::fs::read_to_string(&f).unwrap().replace("branch: b1", "branch: b7");
    std::fs::write(&f, text).unwrap();
    let run = tuiguan(
        &repo(),
        &["--as-of", AS_OF, "--data", data.to_str().unwrap(), "--out", out.to_str().unwrap(), "build"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);

    assert!(snapshot(&out) == before, "out/ changed after failed runs");
    // No staging folders left next to out/.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn cards_for_one_member_keeps_the_rest_of_out() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build_sample(&out).code, 0);
    let marker = out.join("info-cards/b2-002.pdf");
    let before = std::fs::read(&marker).unwrap();
    let run =
        tuiguan(&repo(), &["--as-of", "2027-05-24", "--out", out.to_str().unwrap(), "cards", "--member", "b1-001"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The other member's card is untouched; the chosen one is made again
    // (王喆, born 1926-05-23, is 101 on the new date).
    assert_eq!(std::fs::read(&marker).unwrap(), before);
    let text = pdf_text(&out.join("info-cards/b1-001.pdf"), None);
    assert!(text.contains("101岁"), "{text}");
}

#[test]
fn member_text_is_printed_as_text_never_run_as_markup() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&repo().join("tests/fixtures/valid"), &data);
    let f = data.join("members/m002.yaml");
    let hostile = r#"#panic("boom") *粗* _斜_ $x^2$ <script>alert(1)</script> \ [a](b) @ref #sys.inputs"#;
    let text =
        std::fs::read_to_string(&f).unwrap() + &format!("notes: '{hostile}'\n") + "former_unit: '#let x = 1 #x'\n";
    std::fs::write(&f, text).unwrap();
    let out = tmp.path().join("out");
    let run = tuiguan(tmp.path(), &["--as-of", AS_OF, "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let card: String = pdf_text(&out.join("info-cards/m002.pdf"), None).split_whitespace().collect();
    let want: String = hostile.split_whitespace().collect();
    assert!(card.contains(&want), "notes not printed literally:\n{card}");
    assert!(card.contains("#letx=1#x"), "{card}");
}

#[test]
fn refuses_an_out_folder_that_is_not_its_own() {
    let tmp = tempfile::tempdir().unwrap();
    let precious = tmp.path().join("precious");
    std::fs::create_dir_all(&precious).unwrap();
    std::fs::write(precious.join("台帐.xlsx"), "keep me").unwrap();
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", precious.to_str().unwrap(), "build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("不是 tuiguan 生成的"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(precious.join("台帐.xlsx")).unwrap(), "keep me");
    // --out pointing at the data folder is refused too.
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", "data", "build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(repo().join("data/org.yaml").exists());
}
