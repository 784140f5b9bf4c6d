//! Outputs have owners: what the clerk printed on purpose — a festival's
//! letters, a notice, one member's departure papers, a period's report —
//! stays through every later plain `build`, even one on another date; a
//! run removes only what it replaces or what its own plan made and no
//! longer needs, and names every file it removes; `clean` removes the rest
//! on request. Also: no panic reaches the clerk (a committee too long for
//! the card's QR code, a fault inside tuiguan).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

fn run_at(dir: &Path, as_of: &str, args: &[&str]) -> Run {
    let mut all = vec!["--data", "data", "--out", "out", "--as-of", as_of];
    all.extend_from_slice(args);
    let r = tuiguan(dir, &all);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    r
}

/// Every file of out/ (its own bookkeeping and hidden parts left out) with its bytes.
fn files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/"))
        .filter(|p| !p.starts_with('.'))
        .map(|p| {
            let bytes = std::fs::read(out.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

/// What `args` made that out/ did not hold before.
fn printed(dir: &Path, args: &[&str]) -> Vec<String> {
    let out = dir.join("out");
    let before = files(&out);
    run_at(dir, AS_OF, args);
    let made: Vec<String> = files(&out).into_keys().filter(|p| !before.contains_key(p)).collect();
    assert!(!made.is_empty(), "{args:?} printed nothing new");
    made
}

#[test]
fn what_was_printed_on_purpose_survives_every_plain_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    sample_office(dir);
    let out = dir.join("out");
    run_at(dir, AS_OF, &["build"]);
    let mut kept: Vec<(&str, Vec<String>)> = Vec::new();
    for (what, args) in [
        ("春节", vec!["letters", "--holiday", "春节", "--year", "2027"]),
        ("通知", vec!["notice", "data/notices/2026-民主评议.md"]),
        ("外出文书", vec!["departures", "--member", "b1-010"]),
        ("备案报告", vec!["report", "--period", "2026-Q3"]),
    ] {
        let made = printed(dir, &args);
        let held = files(&out);
        // A plain build after each: every paper printed so far is still there, unchanged.
        let r = run_at(dir, AS_OF, &["build"]);
        kept.push((what, made));
        let now = files(&out);
        for (_, made) in &kept {
            for p in made {
                assert!(now.get(p) == held.get(p), "{p} lost or changed by build after {args:?}:\n{}", r.stderr);
            }
        }
        assert!(!r.stderr.contains("删除"), "{}", r.stderr);
    }
    // Months later: build's own papers of the old date go, each named;
    // the ones printed on purpose stay.
    let before = files(&out);
    let r = run_at(dir, "2027-05-20", &["build"]);
    let after = files(&out);
    let gone: Vec<&String> = before.keys().filter(|p| !after.contains_key(*p)).collect();
    assert!(gone.iter().any(|p| p.starts_with("reports/")), "last quarter's report goes: {gone:?}");
    for p in &gone {
        assert!(r.stderr.contains(&format!("    {p}\n")), "{p} removed without being named:\n{}", r.stderr);
    }
    for (what, made) in &kept {
        for p in made {
            assert!(after.contains_key(p), "{what}: {p} removed by a later build");
        }
    }
    // --force renders everything again and still knows its own files.
    let r = run_at(dir, "2027-05-20", &["--force", "build"]);
    assert!(!r.stderr.contains("不是 tuiguan 生成的"), "{}", r.stderr);
    for (_, made) in &kept {
        assert!(made.iter().all(|p| out.join(p).is_file()));
    }

    // `clean --dry-run` names them and removes nothing.
    let held = files(&out);
    let r = run_at(dir, "2027-05-20", &["clean", "--dry-run"]);
    assert!(files(&out) == held, "a dry run removes nothing");
    for (_, made) in &kept {
        for p in made {
            assert!(r.stderr.contains(&format!("    {p}\n")), "{p} not listed:\n{}", r.stderr);
        }
    }
    assert!(r.stderr.contains("2027年春节慰问信"), "{}", r.stderr);
    // `clean 春节`: the festival's papers only.
    run_at(dir, "2027-05-20", &["clean", "春节"]);
    let now = files(&out);
    for (what, made) in &kept {
        for p in made {
            assert_eq!(now.contains_key(p), *what != "春节", "{what}: {p}");
        }
    }
    // `clean`: the rest; build's own papers are untouched.
    run_at(dir, "2027-05-20", &["clean"]);
    let now = files(&out);
    for (_, made) in &kept {
        assert!(made.iter().all(|p| !now.contains_key(p)));
    }
    let standing: Vec<&String> = held.keys().filter(|p| !kept.iter().any(|(_, m)| m.contains(p))).collect();
    assert!(standing.iter().all(|p| now.get(*p) == held.get(*p)), "clean touched build's own files");
    // The festival's letters, printed again, are made again (not "unchanged").
    let made = printed(dir, &["letters", "--holiday", "春节", "--year", "2027"]);
    assert_eq!(made, kept[0].1);
}

#[test]
fn a_festival_printed_again_removes_the_letters_it_no_longer_needs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = sample_office(dir);
    let made = printed(dir, &["letters", "--holiday", "春节", "--year", "2027"]);
    let single = made.iter().find(|p| p.contains("b1-001")).cloned();
    // A member's file removed (moved away): printed again, that member's
    // own letter goes and is named; nothing else is removed.
    std::fs::remove_file(data.join("members/b1/b1-001.yaml")).unwrap();
    let r = run_at(dir, AS_OF, &["letters", "--holiday", "春节", "--year", "2027"]);
    if let Some(single) = single {
        assert!(!dir.join("out").join(&single).exists(), "{}", r.stderr);
        assert!(r.stderr.contains(&format!("    {single}\n")), "{}", r.stderr);
    }
    let now = files(&dir.join("out"));
    assert!(made.iter().filter(|p| !p.contains("b1-001")).all(|p| now.contains_key(p)));
}

/// Every branch's committee of 20, each with a mobile: too much for the card's QR code.
fn crowded_committee(data: &Path) {
    let mut org = std::fs::read_to_string(data.join("org.yaml")).unwrap();
    let mut committee = String::from("    committee:\n");
    for i in 0..20 {
        committee.push_str(&format!(
            "      - name: 欧阳委员{i:02}\n        role: 第一离退休党支部委员会委员\n        mobile: \"139065{i:05}\"\n"
        ));
    }
    let mut from = 0;
    while let Some(at) = org[from..].find("    committee:\n") {
        let start = from + at;
        let end = start + org[start..].find("    groups:\n").unwrap();
        org = format!("{}{committee}{}", &org[..start], &org[end..]);
        from = start + committee.len();
    }
    std::fs::write(data.join("org.yaml"), org).unwrap();
}

#[test]
fn a_committee_too_large_for_the_card_is_told_and_the_card_prints_the_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = sample_office(dir);
    crowded_committee(&data);
    let r = tuiguan(dir, &["--data", "data", "--as-of", AS_OF, "check"]);
    assert_eq!(r.code, 0, "a warning, not an error: {}", r.stderr);
    assert!(r.stderr.contains("org.yaml"), "{}", r.stderr);
    assert!(
        r.stderr.contains("第一离退休党支部（集团机关） 写了 21 个联系电话，联系卡背面只印得下 4 个（支部办公电话、第一离退休党支部委员会委员 欧阳委员00、"),
        "{}",
        r.stderr
    );
    let r = run_at(dir, AS_OF, &["departures"]);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let cards = dir.join("out/contact-cards.pdf");
    // Every card still prints, with the office phone and the first three
    // committee members, each with a code; the rest are on the form.
    let text = pdf_text(&cards, None);
    assert!(text.contains("13906500002") && !text.contains("13906500003"), "{text}");
    assert!(text.contains("扫码存入手机"), "{text}");
}

#[test]
fn a_carriage_return_in_org_yaml_is_an_error_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = sample_office(dir);
    let org = std::fs::read_to_string(data.join("org.yaml")).unwrap();
    let org = org.replacen("      - name: 钱立群\n", "      - name: \"钱立群\\rEND:VCARD\"\n", 1);
    std::fs::write(data.join("org.yaml"), &org).unwrap();
    let line = org.lines().position(|l| l.contains("钱立群")).unwrap() + 1;
    let r = tuiguan(dir, &["--data", "data", "--as-of", AS_OF, "check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("org.yaml:{line}:")), "{}", r.stderr);
    assert!(r.stderr.contains("控制字符"), "{}", r.stderr);
}

#[test]
fn a_fault_inside_tuiguan_is_told_in_chinese_and_leaves_out_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let data = sample_office(dir);
    run_at(dir, AS_OF, &["cards"]);
    let out = dir.join("out");
    let before = files(&out);
    std::fs::write(data.join("members/b1/b1-001.yaml"), {
        let t = std::fs::read_to_string(data.join("members/b1/b1-001.yaml")).unwrap();
        t.replacen("name: ", "name: 新", 1)
    })
    .unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_tuiguan"))
        .args(["--data", "data", "--out", "out", "--as-of", AS_OF, "cards"])
        .env("TUIGUAN_TEST_PANIC", "1")
        .current_dir(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_ne!(run.status.code(), Some(0));
    assert!(stderr.contains("tuiguan 自身出了故障"), "{stderr}");
    assert!(stderr.contains("输出文件夹和数据文件都没有改动"), "{stderr}");
    assert!(!stderr.contains("panicked at"), "{stderr}");
    assert!(files(&out) == before, "out/ as it was");
    let staging: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(staging.is_empty(), "no staging folder left behind");
}
