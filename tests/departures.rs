//! The departure workflow on the sample office, read back from the PDFs:
//! each form, card, draft and report carries the right member, decision and
//! numbers; the card sheet is A4 with A6 cards, backs mirrored for duplex;
//! the printed QR code decodes to the branch's vCard.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn build_sample(tmp: &Path) -> PathBuf {
    let out = tmp.join("out");
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", out.to_str().unwrap(), "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect()
}

/// Words of one page with their boxes (pt), from `pdftotext -bbox`.
fn words(pdf: &Path, page: usize) -> Vec<(String, f64, f64)> {
    let p = page.to_string();
    let out =
        Command::new("pdftotext").args(["-bbox", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"]).output().unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    html.lines()
        .filter_map(|l| {
            let l = l.trim();
            let attr = |k: &str| -> Option<f64> { l.split(&format!("{k}=\"")).nth(1)?.split('"').next()?.parse().ok() };
            let text = l.strip_prefix("<word ")?.split('>').nth(1)?.strip_suffix("</word")?.to_string();
            Some((text, attr("xMin")?, attr("yMin")?))
        })
        .collect()
}

/// Which A6 quarter of an A4 page (0 top-left, 1 top-right, 2, 3) a point is in.
fn quarter(x: f64, y: f64) -> usize {
    let (w, h) = (105.0 / 25.4 * 72.0, 148.5 / 25.4 * 72.0);
    (x / w) as usize + 2 * (y / h) as usize
}

#[test]
fn every_departure_gets_a_form_with_the_right_decision() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_sample(tmp.path());
    // (departure, member, what the rule decides)
    let expected = [
        ("W2026-01", "孙昇", "发放联系卡"),
        ("W2026-02", "谭长林", "发放联系卡"),
        ("W2026-04", "任丽娟", "应转出临时组织关系"),
        ("W2026-06", "魏建国", "不发联系卡"),
        ("W2026-08", "", "暂不能转出组织关系，发放联系卡"),
        ("W2025-09", "", "地点不固定，发放联系卡"),
    ];
    for (id, name, decision) in expected {
        let pdf = out.join(format!("departures/{id}.pdf"));
        let (pages, w, h) = pdf_info(&pdf);
        assert_eq!(pages, 1, "{id}");
        assert!(is_a4(w, h));
        let text = flat(&pdf_text(&pdf, None));
        assert!(text.contains("外出党员登记表") && text.contains(&format!("编号：{id}")), "{id}: {text}");
        assert!(text.contains(name), "{id}: {name} missing");
        assert!(text.contains(decision), "{id}: decision {decision} missing:\n{text}");
    }
    // Eleven departures in the sample, eleven forms.
    assert_eq!(
        std::fs::read_dir(out.join("departures"))
            .unwrap()
            .filter(|e| !e.as_ref().unwrap().file_name().to_string_lossy().contains("transfer"))
            .count(),
        11
    );
}

#[test]
fn contact_card_sheet_is_a4_with_a6_cards_and_mirrored_backs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_sample(tmp.path());
    let sheet = out.join("contact-cards.pdf");
    // Cards go to away members whose rule says card: W2026-01, -02, -03, -07, -08, W2025-09, W2026-10 = 7.
    let (pages, w, h) = pdf_info(&sheet);
    assert!(is_a4(w, h));
    assert_eq!(pages, 4, "7 cards: two sheets, front and back");
    let text = flat(&pdf_text(&sheet, None));
    for card in ["LK2026-001", "LK2026-002", "LK2026-003", "LK2026-005", "LK2026-006", "LK2025-003", "LK2026-007"] {
        assert!(text.contains(card), "{card} missing");
    }
    for gone in ["LK2026-004", "LK2026-008"] {
        assert!(!text.contains(gone), "{gone} is for a member who came back");
    }
    assert!(text.contains("请于到达后交所在地党组织，返回后交支部查验"));
    // An internal card, visibly not the official certificate.
    assert!(text.contains("不代替《流动党员活动证》"));
    // The ID number is masked on the card.
    assert!(text.contains("330681********8919") && !text.contains("330681195105168919"));

    // Fronts: the four cards fill the four A6 quarters in order.
    let front = words(&sheet, 1);
    let titles: Vec<usize> =
        front.iter().filter(|(t, _, _)| t == "离退休流动党员联系卡").map(|(_, x, y)| quarter(*x, *y)).collect();
    assert_eq!(titles, [0, 1, 2, 3]);
    let first = front.iter().find(|(t, _, _)| t == "孙昇").expect("first card's member");
    assert_eq!(quarter(first.1, first.2), 0);
    // Back: card 1 (top left on the front) prints top right, so duplex lines them up.
    let back = words(&sheet, 2);
    let receiving =
        back.iter().find(|(t, _, _)| t.contains("粤海街道海岸社区")).expect("card 1's receiving organisation");
    assert_eq!(quarter(receiving.1, receiving.2), 1);
}

#[test]
fn every_printed_qr_code_reads_at_120_dpi_and_names_its_person() {
    let tmp = tempfile::tempdir().unwrap();
    let out = build_sample(tmp.path());
    // The backs of the first sheet, as a phone's camera at arm's length sees
    // them (120 dpi): each card's back has a code for the branch's office
    // phone and one for each committee member with a mobile (org.yaml: four
    // for each of b1 and b2), and zbar reads every one.
    let png = tmp.path().join("backs");
    let status = Command::new("pdftoppm")
        .args(["-f", "2", "-l", "2", "-r", "120", "-gray", "-singlefile"])
        .arg(out.join("contact-cards.pdf"))
        .arg(&png)
        .status()
        .unwrap();
    assert!(status.success());
    let zbar = Command::new("zbarimg")
        .args(["-q", "--raw"])
        .arg(png.with_extension("pgm"))
        .output()
        .expect("zbarimg is needed by the tests (apt-get install zbar-tools)");
    let read = String::from_utf8(zbar.stdout).expect("zbar's output is UTF-8");
    let codes: Vec<&str> = read.lines().collect();
    let backs = pdf_text(&out.join("contact-cards.pdf"), Some(2)).matches("联系方式").count();
    assert_eq!(backs, 4, "four cards on the sheet");
    assert_eq!(codes.len(), 4 * backs, "every code read: {read}");
    // One person a code, with the name, the phone and who it is; zbar reads
    // the Chinese as UTF-8 (one byte segment).
    for want in [
        "MECARD:N:钱立群;TEL:13906512871;NOTE:第一离退休党支部 书记;;",
        "MECARD:N:何秀珍;TEL:13757120436;NOTE:第一离退休党支部 组织委员;;",
        "MECARD:N:沈国华;TEL:13588061925;NOTE:第一离退休党支部 宣传委员;;",
        "MECARD:N:第一离退休党支部（集团机关）;TEL:0571-88102235;;",
    ] {
        assert!(codes.contains(&want), "{want} not read: {read}");
    }
    // Labelled under the code with whose it is.
    let text = pdf_text(&out.join("contact-cards.pdf"), Some(2));
    for label in ["书记", "钱立群", "13906512871", "支部办公电话", "0571-88102235"] {
        assert!(text.contains(label), "{label} not on the back");
    }
}

#[test]
fn transfer_draft_has_three_parts_and_capital_numerals() {
    let drafts_in = |out: &Path| -> Vec<String> {
        std::fs::read_dir(out.join("departures"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with("-transfer.pdf"))
            .collect()
    };
    // In the sample, 任丽娟's transfer is recorded as done: no draft is left to fill in.
    let tmp = tempfile::tempdir().unwrap();
    let out = build_sample(tmp.path());
    assert_eq!(drafts_in(&out), Vec::<String>::new(), "a transfer already done needs no draft");
    // Decided but not done yet (no date): the draft is there to prepare it.
    let data = tmp.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let file = data.join("members/b1/b1-019.yaml");
    let yaml = std::fs::read_to_string(&file)
        .unwrap()
        .replace("      kind: 临时\n      date: 2026-04-10\n", "      kind: 临时\n");
    std::fs::write(&file, yaml).unwrap();
    let out = tmp.path().join("out2");
    let args = ["--data", data.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", AS_OF, "departures"];
    let run = tuiguan(tmp.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(drafts_in(&out), ["W2026-04-transfer.pdf"], "only the long fixed stay that can transfer");
    let pdf = out.join("departures/W2026-04-transfer.pdf");
    assert_eq!(pdf_info(&pdf).0, 1);
    let text = flat(&pdf_text(&pdf, None));
    for part in ["（存根）", "中国共产党党员组织关系介绍信", "（回执）", "草稿"] {
        assert!(text.contains(part), "{part} missing");
    }
    assert!(text.contains("任丽娟"));
    assert!(text.contains("贰零贰陆年叁月"), "dues month in capitals: {text}");
    assert!(text.contains("叁拾"), "validity in capitals");
    assert!(text.contains("中共上海市浦东新区花木街道梅园社区委员会"));
    assert!(text.contains("330681194307052207"));
}

#[test]
fn filing_report_follows_the_official_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", out.to_str().unwrap(), "report", "--period", "2026-Q4"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = out.join("reports/filing-2026-Q4.pdf");
    let (pages, w, h) = pdf_info(&pdf);
    assert!(is_a4(w, h));
    assert!(pages >= 2, "{pages}");
    let text = flat(&pdf_text(&pdf, None));
    for want in [
        "中共江南重型机械集团有限公司离退休工作委员会",
        "退管备〔2026〕4号",
        "关于2026年第四季度离退休流动党员外出登记情况的备案报告",
        "中共江南重型机械集团有限公司委员会组织部：",
        "本期新登记外出党员3人次，其中发放离退休流动党员联系卡2人次，临时就近外出（不发卡、照常参加支部活动）1人次。",
        "本期返回1人次",
        "2026年11月26日",
        "逾期未归",
        "失去联系",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    // About departures only: home members' dues and the course of 失联 /
    // 停止党籍 are the branch's and the office's, not the higher committee's.
    for never in ["党费欠交", "党费久未交", "应停止党籍", "视为自行脱党"] {
        assert!(!text.contains(never), "{never} in the report:\n{text}");
    }
    // Page numbers: "— 1 —" at the right on page 1, "— 2 —" at the left on page 2.
    for (page, right) in [(1, true), (2, false)] {
        let ws = words(&pdf, page);
        let num = ws.iter().rev().find(|(t, _, _)| t == &page.to_string()).expect("page number");
        assert!(num.2 > 700.0, "page number at the bottom");
        assert_eq!(num.1 > 297.0, right, "page {page} number on the wrong side: x = {}", num.1);
    }
}

/// A long report is laid out in parts (`filing_report::PART_ROWS` rows of
/// attachment each) and joined: on paper it must read as one document.
#[test]
fn a_long_filing_report_reads_as_one_document() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    tuiguan::synthetic::write_office(&data, 2400, 5, chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()).unwrap();
    let out = tmp.path().join("out");
    let run = tuiguan(
        tmp.path(),
        &["--data", "data", "--as-of", AS_OF, "--out", out.to_str().unwrap(), "-q", "report", "--period", "2026-Q4"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = out.join("reports/filing-2026-Q4.pdf");
    let (pages, lines) = pdf_lines(&pdf);
    let text = flat(&pdf_text(&pdf, None));
    // Long enough to come in parts.
    let count = |after: &str, before: &str| -> usize {
        text.split(after).nth(1).and_then(|t| t.split(before).next()).and_then(|n| n.parse().ok()).unwrap()
    };
    let (departures, follow_ups) = (count("本期新登记外出党员", "人次"), count("需跟进事项", "项"));
    assert!(departures + follow_ups > 2 * tuiguan::documents::filing_report::PART_ROWS, "{departures} {follow_ups}");
    let on = |p: usize| lines.iter().filter(move |l| l.page == p);
    // Every page but the 版记 (and a blank page before it) has its own number at the bottom: they go on.
    let back = pages;
    assert!(on(back).any(|l| l.text.contains("印发")), "the 版记 is on the last page");
    assert_eq!(pages % 2, 0, "the 版记 is on an even page, the back of the last sheet");
    for p in 1..back {
        let number = on(p).filter(|l| l.y0 > 262.0).map(|l| l.text.replace(['—', ' '], "")).next();
        match number {
            Some(n) => assert_eq!(n, p.to_string(), "page {p} is numbered {n}"),
            None => assert!(p == back - 1 && on(p).next().is_none(), "page {p} has no number and is not blank"),
        }
    }
    // Each page of a table says which attachment it is.
    for p in 1..back {
        let top = on(p).filter(|l| l.y0 < 262.0).map(|l| l.text.clone()).collect::<Vec<_>>();
        if top.iter().any(|t| t.starts_with("序号")) {
            assert!(top[0].starts_with("附件"), "page {p} starts with {:?}", top.first());
        }
    }
    // The follow-ups are numbered 1, 2, 3 … through all the parts, each once.
    let from = (1..back).find(|&p| on(p).any(|l| l.text == "附件3")).expect("附件3");
    // In reading order: by page, then down the page (not the order typst drew them in).
    let mut placed: Vec<(usize, f64, usize)> = pdf_words(&pdf)
        .iter()
        .filter(|w| w.page >= from && w.page < back && w.x0 < 38.0 && w.y0 < 262.0)
        .filter_map(|w| Some((w.page, w.y0, w.text.parse().ok()?)))
        .collect();
    placed.sort_by(|a, b| (a.0, a.1).partial_cmp(&(b.0, b.1)).unwrap());
    let numbers: Vec<usize> = placed.into_iter().map(|(_, _, n)| n).collect();
    assert_eq!(numbers, (1..=follow_ups).collect::<Vec<_>>());
}

#[test]
fn departures_for_one_member_and_decisions_in_check() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", out.to_str().unwrap(), "departures", "--member", "b1-007"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let made: Vec<_> = std::fs::read_dir(out.join("departures")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(made, ["W2026-01.pdf"]);
    assert!(out.join("contact-cards/b1-007.pdf").exists());
    // The run says where each paper went.
    assert!(run.stderr.contains("contact-cards/b1-007.pdf"), "{}", run.stderr);
    assert!(run.stderr.contains("departures/W2026-01.pdf"), "{}", run.stderr);

    let run = tuiguan(&repo(), &["--as-of", AS_OF, "check"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.contains(
            "W2026-04 任丽娟（上海市浦东新区）：登记为转出临时组织关系（2026年4月10日）；按规定转出临时组织关系——外出6个月以上且地点相对固定"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("W2026-06 魏建国（浙江省绍兴市柯桥区）：登记为临时就近外出，不发联系卡；按规定不发联系卡"),
        "{}",
        run.stderr
    );
    // A near-home trip to another city is a disagreement with R5.
    assert!(
        run.stderr.contains(
            "警告: 登记为就近外出但去往外地（魏建国，W2026-06）：登记为临时就近外出，去向却是浙江省绍兴市柯桥区，不在杭州市"
        ),
        "{}",
        run.stderr
    );
    // Follow-ups name the member, the file and the line.
    assert!(
        run.stderr.contains(
            "data/members/b3/b3-045.yaml:66:18: 警告: 逾期未归（崔德明，W2025-09）：预计2026年10月20日返回，已超过37天"
        ),
        "{}",
        run.stderr
    );
}
