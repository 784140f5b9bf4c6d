//! Paper a clerk would sign (#19): the documents measured as printed —
//! word boxes from `pdftotext -bbox-layout` against the geometry of
//! GB/T 9704-2012 (docs/domain.md §3) and the cells of each form.

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
fn dates_broken_across_lines_are_seen() {
    assert!(breaks_a_date("截至2026年12月31", "日，在外"));
    assert!(breaks_a_date("截至2026年", "12月31日"));
    assert!(breaks_a_date("截至2026年12月", "31日"));
    assert!(!breaks_a_date("截至2026年12月31日", "在外"));
    assert!(!breaks_a_date("外出已满6个月", "12日以后"));
    assert!(!breaks_a_date("2026年10月15日至", "2027年3月31日"));
    assert!(!breaks_a_date("支部书记签字：", "日期："));
    assert!(!breaks_a_date("月", "日"), "a date left blank to write in");
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
    // Every page between the attachments' start and the 版记 says whose it is.
    let first_attachment = lines.iter().find(|l| l.text == "附件1").expect("附件1").page;
    for p in first_attachment..pages {
        let top = on(p).filter(|l| l.y0 < TOP + 8.0).map(|l| l.text.clone()).collect::<String>();
        assert!(top.starts_with("附件"), "page {p} of the attachments is not headed: {top:?}");
    }
    // 附件 pages: headed 附件n on the first line, the title under it.
    for (n, name) in ["本期外出党员登记情况", "本期返回党员情况", "需跟进事项"].iter().enumerate()
    {
        let head = find(&|l| l.text == format!("附件{}", n + 1), "附件 head");
        near(head.y0, TOP, "附件n on the first line");
        assert!(on(head.page).any(|l| l.text == *name), "附件{} titled {name}", n + 1);
    }
}

/// The longest names a register really holds, rare characters among them.
const LONG_NAMES: [&str; 3] = ["欧阳娜娜娜娜娜娜", "阿卜杜热合曼·阿卜杜拉", "司马䶮堃㛃"];
const LONG_ADDRESS: &str = "杭州市拱墅区上塘街道皋亭坝社区上塘路一千二百八十八号东方郡花园北区二十七幢三单元一千八百零六室（近地铁一号线上塘站南出口，社区物业服务中心后面那一栋六层老楼房）";
const LONG_AWAY_ADDRESS: &str =
    "爱新舍里镇乌珠牛录村二组幸福巷十八号院东侧二单元三楼（村委会向北约二百米，锡伯族民俗风情园对面新盖的三层小楼）";
const LONG_REASON: &str = "随女儿到外地长期居住并帮忙照看两个年幼的外孙和外孙女，同时在当地三甲医院定期复查心脏搭桥手术后的恢复情况，预计居住时间较长，期间每月按时通过电话和微信向所在党支部汇报思想、工作和生活情况";

/// A copy of the sample office with three members who stretch every
/// document: the longest names, an 80-character address, a 90-character
/// reason, five relatives, rare characters. One is away with a contact
/// card and 270 characters of reports while away, one is 85, seriously ill and at home, with 450 characters of
/// notes (his information card runs over and is scaled onto its page), one
/// is due to transfer.
fn paper_office(dir: &std::path::Path) -> std::path::PathBuf {
    let data = dir.join("data");
    copy_dir(&repo().join("data"), &data);
    std::fs::copy(repo().join("tests/fixtures/photos/portrait.png"), data.join("photos/b1-901.png")).unwrap();
    assert!(LONG_ADDRESS.chars().count() >= 80 && LONG_REASON.chars().count() >= 90);
    let family: String = [
        ("欧阳建国建国", "儿子"),
        ("阿依古丽·买买提", "女儿"),
        ("司马堃", "侄子"),
        ("上官婉儿婉", "儿媳"),
        ("诸葛亮亮亮", "外孙"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (n, r))| format!("  - name: {n}\n    relation: {r}\n    phone: \"1390000{:04}\"\n", 1000 + i))
    .collect();
    let people = [
        ("b1-901", LONG_NAMES[0], "19500316", "女", "away"),
        ("b1-902", LONG_NAMES[1], "19410615", "男", "ill"),
        ("b1-903", LONG_NAMES[2], "19480520", "男", "transfer"),
    ];
    for (n, (id, name, born, sex, kind)) in people.iter().enumerate() {
        let seq = if *sex == "男" { 11 + 2 * n } else { 12 + 2 * n };
        let first17 = format!("330106{born}0{seq:02}");
        let id_number = format!("{first17}{}", tuiguan::office::id_number::check_digit(&first17));
        let departure = |id: &str, start: &str, end: &str, extra: &str| {
            format!(
                "departures:\n  - id: {id}\n    applied: {start}\n    reason: {LONG_REASON}\n    destination:\n      province: 新疆维吾尔自治区\n      city: 伊犁哈萨克自治州\n      county: 察布查尔锡伯自治县\n      address: {LONG_AWAY_ADDRESS}\n      postcode: \"835300\"\n    receiving_org:\n      name: 中共察布查尔锡伯自治县爱新舍里镇乌珠牛录村老干部活动中心党支部委员会\n      contact: 买买提·吐尔逊\n      phone: \"0999-3621234\"\n    start: {start}\n    planned_end: {end}\n    fixed_location: true\n    near_home: false\n    phone_away: \"13900001999\"\n{extra}    filed: {start}\n"
            )
        };
        let tail = match *kind {
            "away" => departure(
                "W2026-91",
                "2026-10-20",
                "2028-10-19",
                &format!("    card:\n      number: LK2026-091\n      issued: 2026-10-20\n    report: {}\n", LONG_REASON.repeat(3)),
            ),
            "transfer" => departure("W2025-92", "2025-03-01", "2028-03-01", "    transfer:\n      kind: 临时\n"),
            _ => "health:\n  status: 重病\n  since: 2026-11-20\n  notes: 心脏搭桥手术后长期卧床，由儿子和儿媳轮流照料，每周到社区卫生服务中心复查\nhardship:\n  level: 低保\n  since: 2026-11-10\n  notes: 配偶今年病故，医疗支出大\n".into(),
        };
        let notes = if *kind == "ill" { LONG_REASON.repeat(5) } else { LONG_REASON.to_string() };
        let yaml = format!(
            "id: {id}\nname: {name}\nsex: {sex}\nethnicity: 锡伯族\nid_number: \"{id_number}\"\nnative_place: 新疆察布查尔锡伯自治县爱新舍里镇\naddress: {LONG_ADDRESS}\npostcode: \"310015\"\nhome_phone: \"0571-88880000\"\nmobile: \"1390000{:04}\"\nfamily_contacts:\n{family}education: 大学本科\njoined_party: 1972-07-01\nfull_member: 1973-07-01\nretired: 2005-06-01\nformer_unit: 集团公司重型机械研究设计院第三研究室（原机械工业部杭州重型机械研究所）\nbranch: b1\ngroup: b1-g1\nliving: 与儿子一家同住，儿子在外地工作，平时由保姆照料起居\npension: 5600\nconfirmed: 2026-10-01\nnotes: {notes}\n{tail}",
            2000 + n
        );
        std::fs::write(data.join(format!("members/b1/{id}.yaml")), yaml).unwrap();
    }
    data
}

/// Whether two words overlap: by more than half a character across (two
/// marks in a row, "）；", are set closer by design) and 1 mm down.
fn overlap(a: &BoxLine, b: &BoxLine) -> bool {
    let (tx, ty) = (2.0, 1.0);
    a.page == b.page && a.x0 + tx < b.x1 && b.x0 + tx < a.x1 && a.y0 + ty < b.y1 && b.y0 + ty < a.y1
}

/// Whether a date runs from the end of `prev` onto `line`
/// ("2026年12月31 / 日", "2026年 / 12月31日", "12月 / 31日").
fn breaks_a_date(prev: &str, line: &str) -> bool {
    let (p, t) = (prev.trim_end(), line.trim_start());
    let digits_then = |s: &str, unit: char| {
        let rest = s.trim_start_matches(|c: char| c.is_ascii_digit());
        rest.len() < s.len() && rest.starts_with(unit)
    };
    let p_last = p.chars().last();
    let p_before = p.chars().rev().nth(1);
    let after_digit = |unit: char| p_last == Some(unit) && p_before.is_some_and(|c| c.is_ascii_digit());
    (p_last.is_some_and(|c| c.is_ascii_digit()) && (t.starts_with('月') || t.starts_with('日') || digits_then(t, '日')))
        || (after_digit('年') && digits_then(t, '月'))
        || (after_digit('月') && !p.ends_with("个月") && digits_then(t, '日'))
}

#[test]
fn hostile_members_print_whole_in_every_document_kind() {
    let dir = tempfile::tempdir().unwrap();
    // PAPER_OUT=dir keeps the office and its documents there to look at.
    let root = std::env::var_os("PAPER_OUT").map_or_else(|| dir.path().to_path_buf(), std::path::PathBuf::from);
    let data = paper_office(&root);
    let out = root.join("out");
    let (d, o) = (data.to_str().unwrap(), out.to_str().unwrap());
    let check = tuiguan(&root, &["--data", d, "--as-of", AS_OF, "check"]);
    assert_eq!(check.code, 0, "the hostile members are valid data: {}", check.stderr);
    let notice = repo().join("data/notices/2026-民主评议.md");
    for args in [
        vec!["build"],
        vec!["visits"],
        vec!["report", "--period", "2026-Q4"],
        vec!["notice", notice.to_str().unwrap(), "--member", "b1-901", "--member", "b1-902", "--member", "b1-903"],
        vec!["confirm-sheets"],
        vec!["reviews"],
        vec!["subsidies"],
        // 欧阳娜娜娜娜娜一 (b1-901) was born in March.
        vec!["birthdays", "--month", "2027-03"],
    ] {
        let mut all = vec!["--data", d, "--out", o, "--as-of", AS_OF, "-q"];
        all.extend(args.iter().copied());
        let run = tuiguan(&root, &all);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    // A record too long for its page runs on, never scaled: 阿卜杜热合曼's
    // card with 450 characters of notes takes two pages, the print file
    // holds every page of every card, and each page after a record's first
    // is headed with whose record it is.
    assert_eq!(pdf_info(&out.join("info-cards/b1-902.pdf")).0, 2, "b1-902's information card runs on");
    let card_pages: usize =
        std::fs::read_dir(out.join("info-cards")).unwrap().map(|e| pdf_info(&e.unwrap().path()).0).sum();
    assert_eq!(pdf_info(&out.join("info-cards.pdf")).0, card_pages, "every card's pages in the print file");
    for (file, name) in [("info-cards/b1-902.pdf", LONG_NAMES[1]), ("departures/W2026-91.pdf", LONG_NAMES[0])] {
        let pages = pdf_info(&out.join(file)).0;
        assert!(pages >= 2, "{file} runs on");
        for p in 2..=pages {
            let text = pdf_text(&out.join(file), Some(p));
            assert!(
                text.lines().any(|l| l.contains(name) && l.contains("（续）")),
                "{file}: page {p} does not say whose record it continues: {text}"
            );
        }
    }
    // The photo prints on both cards of the member who has one, and on no
    // card of a member who has none (a box to glue one in instead).
    // (page, object) of each picture drawn, soft masks (a PNG's alpha) not
    // counted; a picture drawn twice is one object.
    let pictures = |f: &str| -> Vec<(usize, String)> {
        let list = tool("pdfimages", &["-list", out.join(f).to_str().unwrap()]);
        list.lines()
            .skip(2)
            .filter_map(|l| {
                let cols: Vec<&str> = l.split_whitespace().collect();
                (cols.get(2) == Some(&"image")).then(|| (cols[0].parse().unwrap(), cols[11].to_string()))
            })
            .collect()
    };
    let images = |f: &str| pictures(f).into_iter().collect::<std::collections::BTreeSet<_>>().len();
    assert_eq!(images("info-cards/b1-901.pdf"), 1, "b1-901's photo on the information card");
    assert_eq!(images("info-cards/b1-902.pdf"), 0, "no photo for b1-902");
    assert!(pdf_text(&out.join("info-cards/b1-902.pdf"), Some(1)).contains("贴此处"));
    // The QR codes are drawn, not pictures: the one picture is the photo,
    // on the page of b1-901's card.
    let on: std::collections::BTreeSet<_> = pictures("contact-cards.pdf").into_iter().collect();
    assert_eq!(on.len(), 1, "the photo on b1-901's contact card, and on no other: {on:?}");
    let page = on.first().unwrap().0;
    let page: String = pdf_text(&out.join("contact-cards.pdf"), Some(page)).split_whitespace().collect();
    assert!(page.contains(LONG_NAMES[0]), "the photo's page is b1-901's card: {page}");
    // Photos never reach the intranet register.
    for e in walkdir::WalkDir::new(out.join("register")).into_iter().map(Result::unwrap) {
        let p = e.path();
        assert!(!p.extension().is_some_and(|x| x == "png" || x == "jpg"), "{} in the register", p.display());
        if let Ok(text) = std::fs::read_to_string(p) {
            assert!(!text.contains("photos/"), "{} points at a photo", p.display());
        }
    }
    let mut kinds = std::collections::BTreeSet::new();
    for e in walkdir::WalkDir::new(&out).into_iter().map(Result::unwrap) {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "pdf") || p.components().any(|c| c.as_os_str() == ".print-parts") {
            continue;
        }
        let rel = p.strip_prefix(&out).unwrap().display().to_string();
        let (_, lines) = pdf_lines(p);
        let text: String = lines.iter().map(|l| l.text.as_str()).collect();
        let mentions = LONG_NAMES.iter().any(|n| text.contains(&n.chars().take(2).collect::<String>()));
        if !mentions {
            continue;
        }
        kinds.insert(
            rel.split(['/', '.']).next().unwrap().to_string()
                + if rel.contains("-delivery") {
                    "-delivery"
                } else if rel.contains("-envelopes") {
                    "-envelopes"
                } else if rel.contains("-phone-list") {
                    "-phone-list"
                } else {
                    ""
                },
        );
        for name in LONG_NAMES {
            let head: String = name.chars().take(2).collect();
            for l in lines.iter().filter(|l| l.text.contains(&head)) {
                // The head of a name is there: the whole name is on the line.
                if name.chars().count() > 2 && !l.text.contains(name) && LONG_NAMES.iter().all(|n| !l.text.contains(n))
                {
                    // A relative with the same surname is not the member.
                    let relative = ["欧阳建国建国", "司马堃"].iter().any(|r| l.text.contains(r));
                    assert!(relative, "{rel}: {name} broken on page {}: {:?}", l.page, l.text);
                }
            }
        }
        // A list's row stays whole on its page: the member's name and the
        // member's phone together; every page carries the column heads.
        if ["phone-list", "visit-plan", "delivery"].iter().any(|k| rel.contains(k)) {
            for (n, name) in LONG_NAMES.iter().enumerate() {
                let mobile = format!("1390000{:04}", 2000 + n);
                let at = |t: &str| lines.iter().find(|l| l.text.contains(t)).map(|l| l.page);
                if let (Some(a), Some(b)) = (at(name), at(&mobile)) {
                    assert_eq!(a, b, "{rel}: {name}'s row split across pages");
                }
            }
            let pages = lines.iter().map(|l| l.page).max().unwrap_or(0);
            for p in 1..=pages {
                assert!(
                    lines.iter().any(|l| l.page == p && l.text.contains("序号")),
                    "{rel}: page {p} without its heads"
                );
            }
        }
        for pair in lines.windows(2) {
            assert!(
                !breaks_a_date(&pair[0].text, &pair[1].text),
                "{rel}: a date broken between {:?} and {:?} (page {})",
                pair[0].text,
                pair[1].text,
                pair[1].page
            );
        }
        // Nothing is smaller than 8 pt (a word's box is as high as its type).
        for w in pdf_words(p) {
            let pt = w.height() * 72.0 / 25.4;
            assert!(pt >= 7.95, "{rel}: {:?} at {pt:.1} pt on page {}", w.text, w.page);
        }
        // Nothing runs off the paper or into the edge a printer cannot print
        // (5 mm); envelopes and the cut contact cards included.
        let (_, pw, ph) = pdf_info(p);
        let (pw, ph) = (pw * 25.4 / 72.0, ph * 25.4 / 72.0);
        for w in pdf_words(p) {
            assert!(
                w.x0 >= 5.0 && w.y0 >= 5.0 && w.x1 <= pw - 5.0 && w.y1 <= ph - 5.0,
                "{rel}: {:?} outside the printable area on page {}: {w:?}",
                w.text,
                w.page
            );
        }
        // No text runs into other text (out of its cell, over a border);
        // the draft's "草稿" watermark lies under the text on purpose.
        let words = pdf_words(p);
        let ink: Vec<&BoxLine> = words.iter().filter(|l| !["草", "稿", "草稿"].contains(&l.text.as_str())).collect();
        for (i, a) in ink.iter().enumerate() {
            for b in &ink[i + 1..] {
                assert!(!overlap(a, b), "{rel}: {:?} runs into {:?} on page {}", a.text, b.text, a.page);
            }
        }
    }
    for kind in [
        "info-cards",
        "contact-cards",
        "departures",
        "reports",
        "letters",
        "letters-envelopes",
        "letters-phone-list",
        "letters-delivery",
        "visits",
        "notices",
        "notices-delivery",
        "confirm",
        "dues",
        "lists",
    ] {
        assert!(kinds.contains(kind), "no {kind} document names the hostile members: {kinds:?}");
    }
}

#[test]
fn envelopes_follow_the_chinese_envelope_standard() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = tuiguan(&repo(), &["--out", out.to_str().unwrap(), "--as-of", AS_OF, "-q", "letters"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = std::fs::read_dir(out.join("letters"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-envelopes.pdf"))
        .expect("envelopes for the posted letters");
    let (pages, w, h) = pdf_info(&pdf);
    assert!((w * 25.4 / 72.0 - 220.0).abs() < 0.5 && (h * 25.4 / 72.0 - 110.0).abs() < 0.5, "DL 220 × 110");
    // An envelope for each letter the delivery list says is posted.
    let delivery = std::path::PathBuf::from(pdf.to_string_lossy().replace("-envelopes.pdf", "-delivery.pdf"));
    let posted = pdf_words(&delivery).iter().filter(|w| w.text == "邮寄").count();
    assert!(posted > 0 && pages == posted, "{pages} envelopes for {posted} posted letters");
    let words = pdf_words(&pdf);
    for p in 1..=pages {
        let on: Vec<&BoxLine> = words.iter().filter(|w| w.page == p).collect();
        // The postcode: six digits in their boxes, 20 mm in and 10 mm down,
        // alone in the top-left 90 × 26 mm.
        let digits: Vec<&&BoxLine> = on.iter().filter(|w| w.y1 < 26.0 && w.x0 < 90.0).collect();
        assert_eq!(digits.len(), 6, "page {p}: {digits:?}");
        for (i, d) in digits.iter().enumerate() {
            assert!(d.text.len() == 1 && d.text.chars().all(|c| c.is_ascii_digit()), "{d:?}");
            near(d.centre_x(), 24.0 + 10.0 * i as f64, "postcode digit in its box");
            assert!(d.y0 > 10.0 && d.y1 < 20.5, "{d:?}");
        }
        // Nothing in the barcode strip: the bottom 15 mm, 55 to 160 mm in from the right.
        for wd in &on {
            assert!(!(wd.y1 > 95.0 && wd.x0 < 165.0 && wd.x1 > 60.0), "page {p}: {wd:?} in the barcode strip");
        }
        // The sender's postcode in the bottom-right corner.
        let code = on.iter().find(|w| w.text.starts_with("邮政编码")).expect("the sender's postcode");
        assert!(code.x0 >= 165.0 && code.y0 >= 95.0, "{code:?}");
        // The addressee centred.
        let name = on.iter().find(|w| w.text.contains("同志")).expect("the addressee");
        let line: Vec<&&BoxLine> = on.iter().filter(|w| (w.y1 - name.y1).abs() < 2.0).collect();
        let (x0, x1) =
            (line.iter().map(|w| w.x0).fold(f64::MAX, f64::min), line.iter().map(|w| w.x1).fold(0.0, f64::max));
        near((x0 + x1) / 2.0, 110.0, "addressee centred");
    }
}

/// The rows of a list on page `p` (a line starting with its 序号).
fn rows_on(pdf: &std::path::Path, p: usize) -> usize {
    pdf_text(pdf, Some(p))
        .lines()
        .filter(|l| l.split_whitespace().next().is_some_and(|w| w.parse::<usize>().is_ok()))
        .count()
}

#[test]
fn lists_that_go_round_hold_twenty_rows_a_page_a_signature_and_a_gift() {
    let dir = tempfile::tempdir().unwrap();
    let data = sample_office(dir.path());
    let org = std::fs::read_to_string(data.join("org.yaml")).unwrap();
    std::fs::write(data.join("org.yaml"), org.replacen("rules:\n", "rules:\n  gift_column: true\n", 1)).unwrap();
    for args in [["letters"], ["visits"]] {
        let run = run_in(dir.path(), &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let out = dir.path().join("out");
    let delivery = out.join("letters/2027-元旦-delivery.pdf");
    let pages = pdf_info(&delivery).0;
    assert!(pages >= 2, "a list of more than one page");
    // Branch names on one line above their members, not in a column: a
    // full page holds twenty rows and more.
    assert!(rows_on(&delivery, 1) >= 20, "{} rows on page 1", rows_on(&delivery, 1));
    let heads = pdf_text(&delivery, Some(1));
    let head_line = heads.lines().find(|l| l.contains("序号")).unwrap();
    for h in ["签收", "慰问金/品", "党小组"] {
        assert!(head_line.contains(h), "{h} not a column: {head_line}");
    }
    assert!(!head_line.contains("支部 /"), "the branch is a heading, not a column: {head_line}");
    for p in 1..=pages {
        let text = pdf_text(&delivery, Some(p));
        // Every page has rows (never the note alone), and a branch's
        // heading is never the last line of a page's table.
        assert!(rows_on(&delivery, p) >= 1, "page {p} holds no row: {text}");
        let table: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let last_row =
            table.iter().rposition(|l| l.split_whitespace().next().is_some_and(|w| w.parse::<usize>().is_ok()));
        let last_heading = table.iter().rposition(|l| l.trim_start().starts_with('第') && l.contains("支部"));
        if let (Some(h), Some(r)) = (last_heading, last_row) {
            assert!(h < r, "page {p} ends with a branch heading: {text}");
        }
        assert!(text.contains("签收"), "page {p} without its note");
    }
    // The visit sheet has the line for the gift.
    assert!(pdf_text(&out.join("visits/visit-sheets.pdf"), Some(1)).contains("慰问金/品"));
    // Without the setting, no such column.
    std::fs::write(data.join("org.yaml"), org).unwrap();
    let run = run_in(dir.path(), &["letters"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!pdf_text(&delivery, Some(1)).contains("慰问金/品"));
}

#[test]
fn an_unsealed_report_signs_two_characters_in_from_the_right() {
    // GB/T 9704 7.3.5.2: without a seal, the signature 2 characters in from
    // the right, the date on the next line 2 characters further right; the
    // date is the longer, so it stands 2 in from the right and the
    // signature moves left with it.
    let dir = tempfile::tempdir().unwrap();
    let data = sample_office(dir.path());
    let org = std::fs::read_to_string(data.join("org.yaml")).unwrap();
    let org = org.replacen("rules:\n", "rules:\n  report_sealed: false\n", 1);
    // A short signer: the date is longer than the signature.
    let org = org.replacen("  name: 中共江南重型机械集团有限公司离退休工作委员会\n", "  name: 离退休工委\n", 1);
    std::fs::write(data.join("org.yaml"), org).unwrap();
    let run = run_in(dir.path(), &["-q", "report", "--period", "2026-Q4"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (_, lines) = pdf_lines(&dir.path().join("out/reports/filing-2026-Q4.pdf"));
    let date = lines.iter().find(|l| l.text == "2026年11月26日").expect("the date");
    let sig = lines.iter().find(|l| l.page == date.page && l.text == "离退休工委").expect("the signature");
    near(date.x1, RIGHT - 2.0 * CELL, "date 2 characters in from the right");
    near(date.x0 - sig.x0, 2.0 * CELL, "date 2 characters right of the signature");
    near(date.y0 - sig.y0, PITCH, "date on the line after the signature");
}
