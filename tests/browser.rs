//! The register in a real browser: Debian's Chromium, headless, driven
//! over the DevTools protocol. Opens index.html from disk, types in the
//! search, picks a branch with the keyboard, sorts by a click on the age
//! header, reloads, and checks the visible rows each time; any console
//! error, script exception, dialog or Content-Security-Policy violation
//! fails the test. CI installs `chromium` (see .ci/run).

mod common;

#[path = "common/chrome.rs"]
mod chrome;

use chrome::*;
use common::*;
use serde_json::json;
use std::path::Path;

#[test]
fn search_filter_sort_and_reload_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let data = hostile_office(dir.path());
    let out = dir.path().join("out");
    build_register(&data, &out);
    let index = out.join("register/index.html");
    let mut b = Browser::launch(1280, 900);
    b.open(&file_url(&index));
    assert_eq!(b.eval("document.getElementById('filters').hidden"), json!(false), "the script shows the filters");
    assert_eq!(b.visible().len(), 60);
    assert_eq!(b.eval("document.getElementById('count').textContent"), json!("共 60 人"));
    // Hostile names are text: shown as written, nothing ran.
    let all = b.visible();
    for name in HOSTILE_NAMES {
        assert!(all.contains(&name.to_string()), "{name} shown as text");
    }
    assert_eq!(b.eval("document.querySelectorAll('img, #register script').length"), json!(0));

    // A name typed in Chinese.
    b.eval("document.getElementById('f-q').focus()");
    b.type_text("宝根");
    let mut names = b.visible();
    names.sort();
    assert_eq!(names, ["李宝根", "肖宝根", "陆宝根"]);
    // Pinyin initials: 曾 as a surname reads zēng, so zqm is 曾启明 and not 宋启明 (sqm).
    b.eval("document.getElementById('f-q').select()");
    b.key("Backspace", 8);
    assert_eq!(b.visible().len(), 60, "clearing the search shows everyone");
    b.type_text("zqm");
    assert_eq!(b.visible(), ["曾启明"]);
    b.eval("document.getElementById('f-q').select()");
    b.key("Backspace", 8);
    b.type_text("hht");
    assert_eq!(b.visible(), ["韩洪涛"]);
    b.eval("document.getElementById('f-q').select()");
    b.key("Backspace", 8);

    // Sorting by branch follows org.yaml's order, not the characters' code points.
    b.click("th[data-key=branch] button");
    b.click("th[data-key=branch] button");
    let first_last = b.eval(
        "(function () { var r = Array.from(document.querySelectorAll('#register tbody tr')); \
         return [r[0].getAttribute('data-branch'), r[r.length - 1].getAttribute('data-branch')]; })()",
    );
    assert_eq!(first_last, json!(["b3", "b1"]), "descending by branch");

    // The branch filter, picked with the keyboard: 全部 → 第一 → 第二.
    b.eval("document.getElementById('f-branch').focus()");
    b.key("ArrowDown", 40);
    b.key("ArrowDown", 40);
    assert_eq!(b.eval("document.getElementById('f-branch').value"), json!("b2"));
    let b2 = b.visible();
    assert_eq!(b2.len(), 19, "b2 without 宋启明, who died");
    assert_eq!(b.eval("document.getElementById('count').textContent"), json!("显示 19 人（共 60 人）"));
    let branches = b.eval(
        "Array.from(document.querySelectorAll('#register tbody tr')).filter(function (r) { return !r.hidden; })\
         .map(function (r) { return r.getAttribute('data-branch'); })",
    );
    assert!(branches.as_array().unwrap().iter().all(|v| v == "b2"), "{branches}");
    // Group names repeat across branches: each option names its branch.
    let labels = b.eval("Array.from(document.querySelectorAll('#f-group option')).filter(function (o) { return o.value; }).map(function (o) { return o.textContent; })");
    assert!(labels.as_array().unwrap().iter().all(|l| l.as_str().unwrap().contains("党支部（")), "{labels}");
    // Only b2's groups are offered now.
    assert_eq!(
        b.eval("Array.from(document.querySelectorAll('#f-group option')).filter(function (o) { return !o.disabled && o.value; }).length"),
        json!(3)
    );

    // Sort by age: one click ascending, a second descending.
    b.click("th[data-key=age] button");
    b.click("th[data-key=age] button");
    assert_eq!(b.eval("document.querySelector('th[data-key=age]').getAttribute('aria-sort')"), json!("descending"));
    let ages = b.eval(
        "Array.from(document.querySelectorAll('#register tbody tr')).filter(function (r) { return !r.hidden; })\
         .map(function (r) { return parseInt(r.querySelector('.k-age').textContent, 10); })",
    );
    let ages: Vec<i64> = ages.as_array().unwrap().iter().map(|a| a.as_i64().unwrap()).collect();
    assert_eq!(ages.len(), 19);
    assert!(ages.windows(2).all(|w| w[0] >= w[1]), "descending ages: {ages:?}");
    let sorted = b.visible();
    assert_ne!(sorted, b2, "the order changed");

    // The view is in the URL: reloading it gives the same rows in the same order.
    let url = b.eval("location.href");
    let url = url.as_str().unwrap().to_string();
    assert!(url.contains("branch=b2") && url.contains("sort=age") && url.contains("dir=desc"), "{url}");
    b.reload();
    assert_eq!(b.visible(), sorted);
    assert_eq!(b.eval("document.getElementById('f-branch').value"), json!("b2"));
    // And so does opening it afresh, as a bookmark would.
    b.open(&url);
    assert_eq!(b.visible(), sorted);

    // Printing: A4 landscape, the table without the filters, headed with
    // the view (conditions, order, count, date) and numbered pages.
    let pdf_path = dir.path().join("print.pdf");
    b.print_pdf(&pdf_path);
    let (pages, w, h) = pdf_info(&pdf_path);
    assert!((w - 841.89).abs() < 2.0 && (h - 595.28).abs() < 2.0, "A4 landscape: {w} x {h}");
    // Every page says which it is, of how many.
    for p in 1..=pages {
        let page: String = pdf_text(&pdf_path, Some(p)).split_whitespace().collect();
        assert!(page.contains(&format!("第{p}页，共{pages}页")), "page {p} of {pages} unnumbered: {page}");
    }
    let printed: String = pdf_text(&pdf_path, None).split_whitespace().collect();
    assert!(printed.contains("离退休党员台帐") && printed.contains("年龄"), "{printed}");
    assert!(!printed.contains("清除条件") && !printed.contains("查找姓名"), "no filters on paper: {printed}");
    let branch = b.eval("document.querySelector('#f-branch option[value=b2]').textContent.replace(/（\\d+）$/, '')");
    let branch = branch.as_str().unwrap();
    for line in [
        format!("筛选条件：党支部：{branch}"),
        "排列：按年龄倒序排列；19人（全体60人）".to_string(),
        "数据日期：2026年11月26日".to_string(),
        format!("第1页，共{pages}页"),
    ] {
        assert!(printed.contains(&line), "the printed list is headed with {line}: {printed}");
    }
    assert_eq!(
        b.eval("document.getElementById('register-caption').textContent"),
        json!("党员名单（按年龄倒序排列）"),
        "the caption follows the sort"
    );

    // A member page, the branch page and the statistics open cleanly too.
    for page in ["members/b1-x0.html", "members/b1-x1.html", "branches/b1.html", "branches.html", "stats.html"] {
        b.open(&file_url(&out.join("register").join(page)));
        assert_eq!(b.eval("document.documentElement.lang"), json!("zh-CN"));
    }
    assert_eq!(b.eval("document.querySelectorAll('svg.bars').length"), json!(5), "five charts");
    b.assert_clean();
}

/// The test's own alarm works: a page that breaks the policy is caught.
#[test]
fn csp_violations_and_errors_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'\">\
         </head><body><script>document.title = 'ran';</script><p>bad</p></body></html>",
    )
    .unwrap();
    let mut b = Browser::launch(800, 600);
    b.open(&file_url(&page));
    assert_ne!(b.eval("document.title"), json!("ran"), "the inline script must be blocked");
    assert_eq!(b.eval("window.__csp.length"), json!(1), "the violation is seen");
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| b.assert_clean()));
    assert!(caught.is_err(), "a CSP violation must fail assert_clean");
}

/// Where a test's screenshots go when `TUIGUAN_SHOTS` names a folder (to
/// look at them); otherwise they are only checked.
fn keep_shot(b: &mut Browser, name: &str) -> (u64, u64) {
    let shot = b.call("Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": false }));
    let png = base64_decode(shot["data"].as_str().unwrap());
    assert_eq!(&png[1..4], b"PNG");
    let (w, h) =
        (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()));
    if let Ok(dir) = std::env::var("TUIGUAN_SHOTS") {
        std::fs::write(Path::new(&dir).join(name), &png).unwrap();
    }
    (w.into(), h.into())
}

/// On a phone, and at 200 % zoom on a 1280-pixel laptop (640 CSS pixels),
/// the page does not scroll sideways: each member is a card (name on top,
/// then "label：value"), the header row a line of sort buttons, and the
/// filters fold away under one line so the list comes first.
#[test]
fn phone_width_shows_members_as_cards() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_register(&repo().join("data"), &out);
    for width in [390, 640] {
        let mut b = Browser::launch(width, 844);
        b.open(&file_url(&out.join("register/index.html")));
        let overflow = b.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assert_eq!(overflow, json!(0), "the page scrolls sideways at {width} px");
        let folded = b.eval("!document.getElementById('more-filters').open");
        assert_eq!(folded, json!(true), "filters folded on a phone and at 200 %");
        let cards = b.eval(&format!(
            "Array.from(document.querySelectorAll('#register tbody tr')).every(function (r) {{ \
               var box = r.getBoundingClientRect(); \
               return getComputedStyle(r).display === 'block' && box.left >= 0 && box.right <= {width}; }})"
        ));
        assert_eq!(cards, json!(true), "every row is a card inside the screen at {width} px");
        // A card reads "党支部：…": the label comes from the cell.
        let label =
            b.eval("getComputedStyle(document.querySelector('#register tbody td.k-branch'), '::before').content");
        assert_eq!(label, json!("\"党支部：\""));
        // The name leads the card, on its own line.
        let name = b.eval(
            "(function () { var r = document.querySelector('#register tbody tr'); \
               var n = r.querySelector('th').getBoundingClientRect(), c = r.querySelector('td').getBoundingClientRect(); \
               return n.bottom <= c.top + 1; })()",
        );
        assert_eq!(name, json!(true));
        let (w, _) = keep_shot(&mut b, &format!("index-{width}.png"));
        assert_eq!(w, u64::from(width));
        for page in ["stats.html", "members/b1-007.html", "branches/b2.html", "away.html", "branches.html"] {
            b.open(&file_url(&out.join("register").join(page)));
            let overflow = b.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assert_eq!(overflow, json!(0), "{page} scrolls sideways at {width} px");
            let cards = b.eval(&format!(
                "Array.from(document.querySelectorAll('table.cards tbody tr')).map(function (r) {{ \
                   var box = r.getBoundingClientRect(); \
                   return getComputedStyle(r).display === 'block' && box.left >= 0 && box.right <= {width}; }})"
            ));
            assert!(cards.as_array().unwrap().iter().all(|c| c == true), "{page}: rows are cards at {width} px");
            keep_shot(&mut b, &format!("{}-{width}.png", page.replace('/', "-").trim_end_matches(".html")));
        }
        b.assert_clean();
    }
}

/// On a wide screen a long list scrolls inside its box: the header row
/// stays on top when scrolling down, the names stay at the left when
/// scrolling sideways.
#[test]
fn header_row_and_names_stay_in_view() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_register(&hostile_office(dir.path()), &out);
    let mut b = Browser::launch(900, 700);
    b.open(&file_url(&out.join("register/index.html")));
    let r = b.eval(
        "(function () { var w = document.querySelector('.table-wrap.list'); w.scrollIntoView(); \
           w.scrollTop = 900; w.scrollLeft = 400; \
           var box = w.getBoundingClientRect(); \
           var head = document.querySelector('#register thead th[data-key=age]').getBoundingClientRect(); \
           var rows = Array.from(document.querySelectorAll('#register tbody tr')); \
           var row = rows.find(function (r) { var b = r.getBoundingClientRect(); return b.top > box.top + 60 && b.bottom < box.bottom; }); \
           var name = row.querySelector('th').getBoundingClientRect(); \
           return { scrolledDown: w.scrollTop, scrolledAcross: w.scrollLeft, \
                    headTop: head.top - box.top, nameLeft: name.left - box.left, \
                    nameOnTop: document.elementFromPoint(name.left + 5, name.top + name.height / 2).closest('th') !== null }; })()",
    );
    assert!(r["scrolledDown"].as_f64().unwrap() > 500.0 && r["scrolledAcross"].as_f64().unwrap() > 100.0, "{r}");
    assert!(r["headTop"].as_f64().unwrap().abs() < 3.0, "the header row stays at the top: {r}");
    assert!(r["nameLeft"].as_f64().unwrap().abs() < 3.0, "the names stay at the left: {r}");
    assert_eq!(r["nameOnTop"], json!(true), "the name is not covered by the cells scrolled under it: {r}");
    keep_shot(&mut b, "sticky-900.png");
    b.assert_clean();
}

/// The list taken away: columns chosen (with a blank column to sign in),
/// downloaded as CSV — exactly the rows and columns on screen, UTF-8 with
/// a byte-order mark — and printed headed with the view.
#[test]
fn the_list_is_downloaded_and_printed_as_shown() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_register(&hostile_office(dir.path()), &out);
    let mut b = Browser::launch(1366, 900);
    b.open(&file_url(&out.join("register/index.html")));
    // Members away, by age; without the branch and area columns, with the blank one.
    b.eval("var s = document.getElementById('f-status'); s.value = 'away'; s.dispatchEvent(new Event('change', { bubbles: true }))");
    b.click("#columns summary");
    for key in ["branch", "area", "sign"] {
        b.click(&format!("input[name=col][value={key}]"));
    }
    b.click("th[data-key=age] button");
    let shown = b.visible();
    // (王巧云, away and out of contact, is 失联: the 党籍 comes first.)
    assert_eq!(shown.len(), 9, "7 away in the sample and the 2 planted members: {shown:?}");
    assert!(!shown.iter().any(|n| n == "王巧云"), "{shown:?}");
    let heads = b.eval(
        "Array.from(document.querySelectorAll('#register thead th')).filter(function (h) { return !h.hidden; })\
         .map(function (h) { return h.textContent; })",
    );
    assert_eq!(
        heads,
        json!(["姓名", "党小组", "年龄", "状态", "去向", "手机", "联系卡", "走访", "籍贯", "签字／备注"])
    );
    assert_eq!(b.eval("document.getElementById('register-caption').textContent"), json!("党员名单（按年龄排列）"));
    assert_eq!(
        b.eval("document.getElementById('register').classList.contains('signing')"),
        json!(true),
        "rows tall enough to sign"
    );
    let cells = b.eval("document.querySelector('#register tbody tr').cells.length");
    assert_eq!(cells, json!(10), "the rows carry the chosen columns");
    keep_shot(&mut b, "columns-1366.png");

    // The download.
    let downloads = dir.path().join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    b.call_browser(
        "Browser.setDownloadBehavior",
        json!({ "behavior": "allow", "downloadPath": downloads.to_str().unwrap() }),
    );
    b.click("#download");
    let csv_path = downloads.join("党员名单-2026-11-26.csv");
    let start = std::time::Instant::now();
    while !csv_path.exists() {
        assert!(
            start.elapsed().as_secs() < 20,
            "no download: {:?}",
            std::fs::read_dir(&downloads).unwrap().collect::<Vec<_>>()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let bytes = std::fs::read(&csv_path).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 with a byte-order mark, for Excel");
    let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, heads.as_array().unwrap().iter().map(|h| h.as_str().unwrap().to_string()).collect::<Vec<_>>());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let names: Vec<&str> = records.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(names, shown, "the same rows in the same order");
    assert!(records.iter().all(|r| r.get(9) == Some("")), "the signature column is blank");
    // A planted name is a value, not markup, and nothing starts like a formula.
    assert!(names.contains(&"<script>alert(1)</script>"), "{names:?}");
    assert!(csv.contains("广东省深圳市"), "{csv}");
    assert!(!csv.lines().any(|l| l.starts_with('=')), "{csv}");

    // Printing the same view: headed, numbered, with the blank column.
    let pdf_path = dir.path().join("print.pdf");
    b.print_pdf(&pdf_path);
    let printed: String = pdf_text(&pdf_path, None).split_whitespace().collect();
    for line in ["筛选条件：状态：外出", "排列：按年龄排列；9人（全体60人）", "签字／备注", "第1页，共1页"]
    {
        assert!(printed.contains(line), "{line}: {printed}");
    }
    assert!(!printed.contains("住址区域"), "a hidden column is not printed");

    // The chosen columns are part of the view's address.
    let url = b.eval("location.href");
    assert!(url.as_str().unwrap().contains("cols="), "{url}");
    b.reload();
    assert_eq!(b.eval("document.querySelector('#register thead th[data-key=branch]').hidden"), json!(true));
    assert_eq!(b.eval("document.querySelector('#register thead th[data-key=sign]').hidden"), json!(false));
    assert_eq!(b.visible(), shown);
    b.assert_clean();
}

/// A large office: the page draws the first rows at once and the rest as
/// the reader scrolls; the download and the print take every row of the
/// view; without the script the page lists its first rows and says where
/// the full lists are.
#[test]
fn a_large_office_draws_rows_as_needed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    tuiguan::synthetic::write_office(&data, 700, 7, as_of).unwrap();
    let out = dir.path().join("out");
    build_register(&data, &out);
    let index = out.join("register/index.html");
    let mut b = Browser::launch(1366, 900);
    b.open(&file_url(&index));
    assert_eq!(b.eval("document.getElementById('count').textContent"), json!("共 700 人"));
    assert_eq!(b.visible().len(), 200, "the first rows are drawn");
    assert_eq!(b.eval("document.getElementById('old-browser').hidden"), json!(true));
    // Scrolling to the end of the box draws the next rows.
    b.eval("var w = document.querySelector('.table-wrap.list'); w.scrollTop = w.scrollHeight");
    b.eval_await("new Promise(function (r) { requestAnimationFrame(function () { setTimeout(r, 200); }); })");
    assert_eq!(b.visible().len(), 400, "scrolling draws 200 more");
    b.click("#more-rows");
    assert!(b.visible().len() >= 600, "and so does the button");
    // The search still looks at every member.
    b.eval("document.getElementById('f-q').focus()");
    let last = b.eval("JSON.parse(document.getElementById('register-data').textContent).rows[699][1]");
    b.type_text(last.as_str().unwrap());
    assert!(b.visible().contains(&last.as_str().unwrap().to_string()), "{last}");
    b.eval("document.getElementById('f-q').select()");
    b.key("Backspace", 8);
    // Paper gets every row.
    let pdf_path = dir.path().join("print.pdf");
    b.print_pdf(&pdf_path);
    assert_eq!(b.visible().len(), 700, "printing draws all rows");
    let printed: String = pdf_text(&pdf_path, None).split_whitespace().collect();
    assert!(
        printed.contains(&last.as_str().unwrap().split_whitespace().collect::<String>()),
        "the last member is on paper"
    );
    b.assert_clean();

    // Without the script: the page's own rows, and the line that says where the rest are.
    b.call("Emulation.setScriptExecutionDisabled", json!({ "value": true }));
    b.open(&file_url(&index));
    assert_eq!(b.eval("document.getElementById('old-browser').hidden"), json!(false));
    let line = b.eval("document.getElementById('old-browser').textContent");
    assert!(line.as_str().unwrap().contains("前 300 人"), "{line}");
    assert_eq!(b.eval("document.querySelectorAll('#old-browser a[href^=\"branches/\"]').length"), json!(3));
    assert_eq!(b.eval("document.querySelectorAll('#register tbody tr').length"), json!(300));
}

/// Every focus ring stands out from what is around it by at least 3:1
/// (WCAG 2.2, 1.4.11): keyboard focus moved with Tab over the header, the
/// filters, the tools and the table.
#[test]
fn focus_rings_have_contrast() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_register(&repo().join("data"), &out);
    let mut b = Browser::launch(1366, 900);
    b.open(&file_url(&out.join("register/index.html")));
    let mut seen = Vec::new();
    for _ in 0..30 {
        b.key("Tab", 9);
        let r = b.eval(
            "(function () { \
               function rgb(c) { return c.match(/[\\d.]+/g).slice(0, 4).map(Number); } \
               function lum(c) { var v = rgb(c).slice(0, 3).map(function (x) { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); }); \
                 return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; } \
               function behind(e) { for (e = e.parentElement; e; e = e.parentElement) { var c = getComputedStyle(e).backgroundColor; \
                 if (rgb(c).length < 4 || rgb(c)[3] > 0) { return c; } } return 'rgb(255, 255, 255)'; } \
               var e = document.activeElement, s = getComputedStyle(e); \
               var a = lum(s.outlineColor), b = lum(behind(e)); \
               return { what: e.tagName + ' ' + (e.id || e.textContent.trim().slice(0, 12)), style: s.outlineStyle, \
                        width: parseFloat(s.outlineWidth), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) }; })()",
        );
        assert_ne!(r["style"], json!("none"), "no focus ring on {r}");
        assert!(r["width"].as_f64().unwrap() >= 2.0, "{r}");
        assert!(r["ratio"].as_f64().unwrap() >= 3.0, "focus ring contrast below 3:1: {r}");
        seen.push(r["what"].as_str().unwrap().to_string());
    }
    for what in ["A 跳到正文", "A 党员台帐", "INPUT f-q", "SELECT f-branch", "BUTTON download"] {
        assert!(seen.iter().any(|s| s.starts_with(what)), "{what} not reached by Tab: {seen:?}");
    }
    b.assert_clean();
}

/// The statistics on paper: every page carries something (no blank page),
/// and every part of a stacked bar has its number written out.
#[test]
fn statistics_print_without_a_blank_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_register(&repo().join("data"), &out);
    let mut b = Browser::launch(1366, 900);
    b.open(&file_url(&out.join("register/stats.html")));
    let parts = b.eval("Array.from(document.querySelectorAll('#chart-visits ~ svg text.parts')).map(function (t) { return t.textContent; })");
    let parts = parts.as_array().unwrap();
    assert!(!parts.is_empty() && parts.iter().all(|p| p.as_str().unwrap().contains(' ')), "{parts:?}");
    let pdf_path = dir.path().join("stats.pdf");
    b.print_pdf(&pdf_path);
    let (pages, _, _) = pdf_info(&pdf_path);
    for page in 1..=pages {
        let text = pdf_text(&pdf_path, Some(page));
        assert!(text.split_whitespace().count() > 3, "page {page} of {pages} is blank: {text:?}");
    }
    let all: String = pdf_text(&pdf_path, None).split_whitespace().collect();
    assert!(all.contains("已完成"), "{all}");
    b.assert_clean();
}

/// 清除条件 puts the whole view back as it was first shown: the filters,
/// the sort, the columns — so the table, the address, the download and the
/// print all agree again.
#[test]
fn clearing_the_conditions_clears_the_whole_view() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_register(&hostile_office(dir.path()), &out);
    let mut b = Browser::launch(1366, 900);
    b.open(&file_url(&out.join("register/index.html")));
    let heads = |b: &mut Browser| {
        b.eval(
            "Array.from(document.querySelectorAll('#register thead th')).filter(function (h) { return !h.hidden; })\
             .map(function (h) { return h.textContent; })",
        )
    };
    let (first_heads, first_rows) = (heads(&mut b), b.visible());
    b.eval("var s = document.getElementById('f-status'); s.value = 'away'; s.dispatchEvent(new Event('change', { bubbles: true }))");
    b.click("#columns summary");
    b.click("input[name=col][value=branch]");
    b.click("th[data-key=age] button");
    assert_ne!(heads(&mut b), first_heads);
    assert!(b.visible().len() < first_rows.len());
    assert!(b.eval("location.href").as_str().unwrap().contains("away"));
    b.click("#filters button[type=reset]");
    b.eval_await("new Promise(function (done) { setTimeout(done, 50); })");
    assert_eq!(heads(&mut b), first_heads, "the columns as first shown");
    assert_eq!(b.visible(), first_rows, "every row, in the first order");
    let url = b.eval("location.href");
    assert!(!url.as_str().unwrap().contains("away") && !url.as_str().unwrap().contains("age"), "{url}");
    b.assert_clean();
}
