//! The 生日名单 (`tuiguan birthdays`): every member on the books is on the
//! list of the month they were born in, on their branch's page, with the
//! day, the age they reach and their phone; no one else is.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// A member as the sample's files say, read without tuiguan.
struct Born {
    name: String,
    branch: String,
    month: u32,
    day: u32,
    year: i32,
    mobile: String,
    on_books: bool,
}

fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|l| l.strip_prefix(&format!("{key}: "))).map(|v| v.trim().trim_matches('"'))
}

/// Birth date from `birth_date:`, else from the ID number (18 digits, or a 15-digit old one).
fn born(text: &str) -> (i32, u32, u32) {
    if let Some(d) = field(text, "birth_date") {
        let p: Vec<&str> = d.split('-').collect();
        return (p[0].parse().unwrap(), p[1].parse().unwrap(), p[2].parse().unwrap());
    }
    let id = field(text, "id_number").unwrap();
    let ymd = if id.len() == 18 { id[6..14].to_string() } else { format!("19{}", &id[6..12]) };
    (ymd[..4].parse().unwrap(), ymd[4..6].parse().unwrap(), ymd[6..8].parse().unwrap())
}

fn members(data: &Path) -> Vec<Born> {
    walkdir::WalkDir::new(data.join("members"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let (year, month, day) = born(&text);
            Born {
                name: field(&text, "name").unwrap().to_string(),
                branch: field(&text, "branch").unwrap().to_string(),
                month,
                day,
                year,
                mobile: field(&text, "mobile").unwrap_or("").to_string(),
                on_books: on_books(&text),
            }
        })
        .collect()
}

/// Branch id → name, from org.yaml.
fn branch_names(data: &Path) -> BTreeMap<String, String> {
    let org = std::fs::read_to_string(data.join("org.yaml")).unwrap();
    let lines: Vec<&str> = org.lines().collect();
    let mut names = BTreeMap::new();
    for (i, l) in lines.iter().enumerate() {
        // A branch's own id (its groups' are indented further).
        if let Some(id) = l.strip_prefix("  - id: ")
            && let Some(name) = lines[i + 1].trim().strip_prefix("name: ")
        {
            names.insert(id.to_string(), name.to_string());
        }
    }
    names
}

#[test]
fn every_member_is_on_the_list_of_their_birth_month_on_their_branchs_page_and_no_other() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let people = members(&data);
    let branches = branch_names(&data);
    assert!(people.iter().filter(|p| p.on_books).count() > 50);
    let mut listed = 0;
    for month in 1..=12u32 {
        let run = run_in(tmp.path(), &["-q", "birthdays", "--month", &format!("2027-{month:02}")]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let pdf = tmp.path().join(format!("out/lists/2027-{month:02}-birthdays.pdf"));
        let (pages, w, h) = pdf_info(&pdf);
        assert!(is_a4(h, w), "A4 landscape: {w} × {h}");
        let page_texts: Vec<String> = (1..=pages).map(|p| pdf_text(&pdf, Some(p))).collect();
        // Every branch has its page, an empty one saying so.
        for name in branches.values() {
            assert!(page_texts.iter().any(|t| t.contains(name.as_str())), "{name} has no page in month {month}");
        }
        for p in &people {
            let on = |t: &String| t.contains(&p.name);
            if p.month == month && p.on_books {
                let page = page_texts.iter().find(|t| on(t)).unwrap_or_else(|| panic!("{} missing in {month}", p.name));
                assert!(page.contains(&branches[&p.branch]), "{} not on their branch's page", p.name);
                let line = page.lines().find(|l| l.contains(&p.name)).unwrap();
                let age = 2027 - p.year;
                assert!(line.contains(&format!("{month}月{}日", p.day)), "{line}");
                assert!(line.contains(&format!("{age}岁")), "{} reaches {age}: {line}", p.name);
                assert_eq!(line.contains("整寿"), age % 10 == 0, "{line}");
                if !p.mobile.is_empty() {
                    assert!(page.contains(&p.mobile), "{}'s phone {} on the page", p.name, p.mobile);
                }
                listed += 1;
            } else {
                assert!(
                    !page_texts.iter().any(on),
                    "{} (born in {}, on the books: {}) on month {month}'s list",
                    p.name,
                    p.month,
                    p.on_books
                );
            }
        }
        assert!(page_texts.iter().all(|t| t.contains("走访或慰问人") || t.contains("过生日的党员")));
    }
    assert_eq!(listed, people.iter().filter(|p| p.on_books).count(), "each member on the books once in the year");
}

#[test]
fn the_month_defaults_to_the_next_and_a_wrong_month_is_told_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    sample_office(tmp.path());
    // --as-of 2026-11-26: December's list.
    let run = run_in(tmp.path(), &["-q", "birthdays"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = pdf_text(&tmp.path().join("out/lists/2026-12-birthdays.pdf"), None);
    assert!(text.contains("2026年12月生日名单"), "{text}");
    // A month alone is the next one: January is 2027's.
    let run = run_in(tmp.path(), &["-q", "birthdays", "--month", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(tmp.path().join("out/lists/2027-01-birthdays.pdf").is_file());
    // Both months' lists are kept: each was printed on purpose.
    assert!(tmp.path().join("out/lists/2026-12-birthdays.pdf").is_file());
    let run = run_in(tmp.path(), &["birthdays", "--month", "2027-13"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("“2027-13”不是月份，应写成 2027-01"), "{}", run.stderr);
}
