//! Paper a clerk would sign (#19): the documents measured as printed —
//! word boxes from `pdftotext -bbox-layout` against the geometry of
//! GB/T 9704-2012 (domain.md §3) and the cells of each form.

mod common;

use common::*;

/// One character of the 公文 grid: 156 mm / 28.
const CELL: f64 = 156.0 / 28.0;
/// Line pitch: 22 lines fill the 225 mm type area (a character and 7/8).
const PITCH: f64 = 225.0 / (22.0 + 21.0 * 7.0 / 8.0) * 15.0 / 8.0;
const LEFT: f64 = 28.0;
const RIGHT: f64 = 210.0 - 26.0;
const TOP: f64 = 37.0;
const BOTTOM: f64 = 297.0 - 35.0;

fn near(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1.0, "{what}: {a:.2} mm, want {b:.2} ± 1 mm");
}

/// Width in grid characters: ASCII half a character, the rest one.
fn cells(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
}

#[test]
fn the_filing_report_sits_on_the_gbt_9704_grid() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run =
        tuiguan(&repo(), &["--out", out.to_str().unwrap(), "--as-of", AS_OF, "-q", "report", "--period", "2026-Q4"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = out.join("reports/filing-2026-Q4.pdf");
    let (pages, lines) = pdf_lines(&pdf);
    let (_, w, h) = pdf_info(&pdf);
    assert!(is_a4(w, h));
    let on = |p: usize| lines.iter().filter(move |l| l.page == p);
    let find = |pred: &dyn Fn(&BoxLine) -> bool, what: &str| -> BoxLine {
        lines.iter().find(|l| pred(l)).unwrap_or_else(|| panic!("no {what} in {lines:#?}")).clone()
    };

    // 发文机关标志: top 35 mm below the type area, centred, the largest line.
    let issuer = find(&|l| l.page == 1 && l.text == "中共江南重型机械集团有限公司离退休工作委员会", "issuer mark");
    near(issuer.y0 - TOP, 35.0, "issuer mark below the type area's top");
    near(issuer.centre_x(), LEFT + 78.0, "issuer mark centred");
    assert!(issuer.x0 >= LEFT - 0.5 && issuer.x1 <= RIGHT + 0.5, "issuer mark inside the type area: {issuer:?}");
    let title = find(&|l| l.text.starts_with("关于2026年第四季度"), "title");
    assert!(issuer.height() > title.height() + 2.0, "the issuer mark is the most prominent line");
    assert!(on(1).all(|l| l.height() <= issuer.height() + 0.01));

    // 上行文: the number 1 character in from the left, 签发人 1 in from the right, one line.
    let number = find(&|l| l.text == "退管备〔2026〕4号", "document number");
    near(number.x0, LEFT + CELL, "document number");
    let signer = find(&|l| l.text.starts_with("签发人："), "签发人");
    near(signer.x1, RIGHT - CELL, "签发人");
    near(signer.y0, number.y0, "签发人 on the number's line");
    assert!(number.y0 - issuer.y1 > PITCH, "two lines under the issuer mark");

    // The title in whole phrases, the shorter line first (a pyramid).
    let title2 = find(&|l| l.text == "离退休流动党员外出登记情况的备案报告", "title's second line");
    assert!(title.text == "关于2026年第四季度" && title.x1 - title.x0 < title2.x1 - title2.x0);
    near(title.centre_x(), LEFT + 78.0, "title centred");

    // The body: recipient to 特此报告, on the grid.
    let start = lines.iter().position(|l| l.text == "中共江南重型机械集团有限公司委员会组织部：").expect("recipient");
    let end = lines.iter().position(|l| l.text == "特此报告。").expect("closing");
    let body: Vec<BoxLine> = lines[start..=end].iter().filter(|l| l.y1 < BOTTOM + 0.5).cloned().collect();
    assert!(body.len() >= 8, "{body:#?}");
    for l in &body {
        let indent = ((l.x0 - LEFT) / CELL).round();
        near(l.x0, LEFT + indent * CELL, &format!("left edge of {:?}", l.text));
        assert!(indent == 0.0 || indent == 2.0, "{l:?}");
        assert!(l.x1 <= RIGHT + 0.3, "nothing hangs into the margin: {l:?}");
        assert!(cells(&l.text) + indent <= 28.0, "at most 28 characters: {l:?}");
        assert!(
            !"，。、；：？！）》」”".contains(l.text.chars().next().unwrap()),
            "line starts with a closing mark: {l:?}"
        );
        if l.x1 > RIGHT - CELL {
            // A full line: 28 characters, justified to the right edge.
            near(l.x1, RIGHT, &format!("right edge of {:?}", l.text));
            // 28 full-width characters (fewer only where a character
            // was carried down with a closing mark or to keep a last line
            // from holding one character alone).
            let used = cells(&l.text) + indent;
            assert!(used >= 26.0, "a full line holds 28 characters: {l:?}");
        }
    }
    let full: Vec<&BoxLine> = body.iter().filter(|l| l.x1 > RIGHT - CELL).collect();
    let exact = full
        .iter()
        .filter(|l| {
            let used = cells(&l.text) + ((l.x0 - LEFT) / CELL).round();
            used == 28.0 || (used > 27.0 && l.text.chars().any(|c| c.is_ascii()))
        })
        .count();
    assert!(full.len() >= 4 && exact * 2 > full.len(), "most full lines hold 28 characters: {full:#?}");
    for pair in body.windows(2) {
        if pair[0].page == pair[1].page {
            near(pair[1].y0 - pair[0].y0, PITCH, &format!("line pitch before {:?}", pair[1].text));
        }
    }
    // No lone closing page: the page with the signature carries body lines.
    let closing = &lines[end];
    let before = body.iter().filter(|l| l.page == closing.page && l.text != "特此报告。").count();
    assert!(before >= 2 || closing.page == 1, "特此报告 alone on page {}: {body:#?}", closing.page);

    // 附件说明 a line below the body, indented 2.
    let note = find(&|l| l.text == "附件：1.本期外出党员登记情况", "附件说明");
    near(note.x0, LEFT + 2.0 * CELL, "附件说明 indented two");
    near(note.y0 - closing.y0, 2.0 * PITCH, "附件说明 one line below the body");
    let note2 = find(&|l| l.text == "2.本期返回党员情况", "second attachment");
    let one = note.x0 + 3.0 * CELL;
    near(note2.x0, one, "attachment names aligned");

    // Date 4 characters in from the right; signature centred over it,
    // moved left only as far as it must to stay in the type area.
    let date = find(&|l| l.page == closing.page && l.text == "2026年11月26日", "date");
    near(date.x1, RIGHT - 4.0 * CELL, "date's right edge");
    let sig =
        find(&|l| l.page == closing.page && l.text == "中共江南重型机械集团有限公司离退休工作委员会", "signature");
    let width = sig.x1 - sig.x0;
    let want = (date.centre_x() - width / 2.0).min(RIGHT - width).max(LEFT);
    near(sig.x0, want, "signature over the date");
    near(date.y0 - sig.y0, PITCH, "date on the line after the signature");

    // Page numbers: "— n —" 7 mm below the type area, 1 character in;
    // right on odd pages, left on even; none on the 版记 page.
    for p in 1..pages {
        let dashes: Vec<&BoxLine> = on(p).filter(|l| l.text.contains('—') && l.y0 > BOTTOM).collect();
        assert!(!dashes.is_empty(), "page {p} has no number");
        let x0 = dashes.iter().map(|l| l.x0).fold(f64::MAX, f64::min);
        let x1 = dashes.iter().map(|l| l.x1).fold(f64::MIN, f64::max);
        let digits: String = on(p).filter(|l| l.y0 > BOTTOM).map(|l| l.text.clone()).collect();
        assert!(digits.contains(&p.to_string()), "page {p}'s number: {digits}");
        near(dashes[0].centre_y() - BOTTOM, 7.0, &format!("page {p}'s number below the type area"));
        let em = 14.0 * 25.4 / 72.0;
        if p % 2 == 1 {
            near(x1, RIGHT - em, &format!("page {p}'s number on the right"));
        } else {
            near(x0, LEFT + em, &format!("page {p}'s number on the left"));
        }
    }
    let last: Vec<&BoxLine> = on(pages).collect();
    assert!(last.iter().any(|l| l.text.ends_with("印发")), "版记 on the last page: {last:#?}");
    assert!(last.iter().all(|l| l.y0 < BOTTOM), "the 版记 page has no number: {last:#?}");
    // 附件 pages: headed 附件n on the first line, the title under it.
    for (n, name) in ["本期外出党员登记情况", "本期返回党员情况", "需跟进事项"].iter().enumerate()
    {
        let head = find(&|l| l.text == format!("附件{}", n + 1), "附件 head");
        near(head.y0, TOP, "附件n on the first line");
        assert!(on(head.page).any(|l| l.text == *name), "附件{} titled {name}", n + 1);
    }
}
