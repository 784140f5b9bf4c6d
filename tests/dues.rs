//! Party dues on the sample office: `check` warns at three months unpaid and
//! alerts at six, the yearly papers per branch say what the ledger says, and
//! the register shows no more than a flag.

mod common;

use common::*;

fn flat(s: &str) -> String {
    s.split_whitespace().collect()
}

/// The line of a member's row in a `pdftotext -layout` page.
fn row_of<'a>(page: &'a str, name: &str) -> &'a str {
    page.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("no row for {name}:\n{page}"))
}

#[test]
fn check_warns_at_three_months_and_alerts_at_six_with_the_configured_number() {
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // 曾启明 paid to July: August to October owed on 26 November (November is not late).
    assert!(run.stderr.contains("警告: 党费欠交（曾启明）：已欠交3个月（2026年8月至10月）"), "{}", run.stderr);
    assert!(
        run.stderr.contains("警告: 党费久未交（王巧云）：自2026年5月起已连续6个月未交党费；连续6个月无正当理由"),
        "{}",
        run.stderr
    );
    // Exactly those two: the waiver, 低保, the transfer and payments at the destination are not arrears.
    assert_eq!(run.stderr.matches("警告: 党费").count(), 2, "{}", run.stderr);

    // The alert follows the office's setting, in its text too.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let org = std::fs::read_to_string(data.join("org.yaml")).unwrap();
    std::fs::write(
        data.join("org.yaml"),
        org.replace("  dues_since: \"2026-01\"\n", "  dues_since: \"2026-01\"\n  dues_alert_months: 3\n"),
    )
    .unwrap();
    let run = tuiguan(dir.path(), &["--as-of", AS_OF, "check"]);
    assert!(
        run.stderr.contains("警告: 党费久未交（曾启明）：自2026年8月起已连续3个月未交党费；连续3个月无正当理由"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_yearly_ledger_and_base_sheet_per_branch() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", out.to_str().unwrap(), "dues"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // 党费收缴登记表: A4 landscape, one page per branch (20 members each), headed with it.
    let ledger = out.join("dues/2026-ledger.pdf");
    let (pages, w, h) = pdf_info(&ledger);
    assert_eq!(pages, 3);
    assert!(is_a4(h, w), "landscape: {w} × {h}");
    let branch3 = pdf_text(&ledger, Some(3));
    assert!(flat(&branch3).contains("2026年度党费收缴登记表"), "{branch3}");
    assert!(flat(&branch3).contains("第三离退休党支部"), "{branch3}");
    assert!(flat(&branch3).contains("第1页共1页"), "{branch3}");
    // 王巧云 (4,960 a month → 24.80) paid January to April: May to October owed, November and December open.
    let row = row_of(&branch3, "王巧云");
    assert!(row.contains("24.80"), "{row}");
    assert_eq!(row.matches('欠').count(), 6, "{row}");
    assert_eq!(row.matches('√').count(), 4, "{row}");
    assert!(row.contains("297.60") && row.contains("99.20"), "due for the year, paid: {row}");
    // 低保: ¥0.20 a month, paid for the year in January.
    let row = row_of(&branch3, "徐巧云");
    assert!(row.contains("0.20") && row.contains("2.40") && row.contains("低保"), "{row}");
    // Paid at the destination while away.
    assert_eq!(row_of(&branch3, "崔德明").matches('异').count(), 10);
    assert!(flat(&branch3).contains("截至制表日有欠交的1人"), "{branch3}");

    let branch1 = pdf_text(&ledger, Some(1));
    // A waiver: nothing due; a transfer: the months after it are the receiving organisation's.
    let row = row_of(&branch1, "肖宝根");
    // 免交 as the amount, twelve months, and 经批准免交 in the note.
    assert_eq!(row.matches('免').count(), 1 + 12 + 1, "{row}");
    let row = row_of(&branch1, "任丽娟");
    assert_eq!(row.matches('转').count(), 8, "{row}");
    assert!(row.contains("224.00"), "four months at 56.00: {row}");
    // Paid by a relative.
    assert_eq!(row_of(&branch1, "赵").matches('代').count(), 12);
    assert!(flat(&branch1).contains("收缴人（签字）") && flat(&branch1).contains("支部书记（签字）"));

    // 党费基数核定表: the 2008 rules, the cliff at 5,000, the base fixed in January.
    let bases = out.join("dues/2026-bases.pdf");
    let (pages, w, h) = pdf_info(&bases);
    assert_eq!(pages, 3);
    assert!(is_a4(w, h));
    let b1 = pdf_text(&bases, Some(1));
    let row = row_of(&b1, "钟建华");
    assert!(row.contains("5,600.00") && row.contains("1%") && row.contains("56.00") && row.contains("672.00"), "{row}");
    let row = row_of(&b1, "孙昇");
    assert!(row.contains("4,980.00") && row.contains("0.5%") && row.contains("24.90"), "{row}");
    assert!(flat(&b1).contains("上级党委审批意见（本支部有1人减交或免交）"), "{b1}");
    assert!(flat(&b1).contains("离退休工委〔2026〕3号"), "{b1}");
}

#[test]
fn the_register_shows_a_flag_and_never_an_amount() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = build_register(&repo().join("data"), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(out.join("register/members/b3-051.html")).unwrap();
    assert!(page.contains("党费欠交"), "{page}");
    let away = std::fs::read_to_string(out.join("register/away.html")).unwrap();
    assert!(away.contains("<span class=\"tag c-missing\">党费欠交</span>"), "{away}");
    for f in walkdir::WalkDir::new(out.join("register")).into_iter().filter_map(Result::ok) {
        if f.path().extension().is_some_and(|x| x == "html" || x == "js") {
            let text = std::fs::read_to_string(f.path()).unwrap();
            for secret in ["24.80", "4,960", "4960", "养老金", "297.60"] {
                assert!(!text.contains(secret), "{secret} in {}", f.path().display());
            }
        }
    }
    // An office that hides the flag: gone from the member page and the away list.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let mut org = std::fs::read_to_string(data.join("org.yaml")).unwrap();
    org.push_str("register:\n  dues_arrears: hidden\n");
    std::fs::write(data.join("org.yaml"), org).unwrap();
    let out = dir.path().join("out");
    let run = build_register(&data, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!std::fs::read_to_string(out.join("register/members/b3-051.html")).unwrap().contains("党费欠交"));
    assert!(!std::fs::read_to_string(out.join("register/away.html")).unwrap().contains("党费欠交"));
}
