//! Care on the sample office: holiday dates, greeting letters for every
//! member, envelopes and the phone list for those away, and a visit plan
//! that lists exactly the members due a visit.

mod common;

use common::*;

fn flat(s: &str) -> String {
    s.split_whitespace().collect()
}

/// (id, name) of every sample member on the books.
fn sample_names() -> Vec<(String, String)> {
    let mut v = Vec::new();
    for dir in std::fs::read_dir(repo().join("data/members")).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            if !on_books(&text) {
                continue;
            }
            let get = |k: &str| text.lines().find_map(|l| l.strip_prefix(k)).unwrap().to_string();
            v.push((get("id: "), get("name: ")));
        }
    }
    v.sort();
    v
}

#[test]
fn holidays_command_lists_lunar_dates() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tuiguan"))
        .args(["--as-of", AS_OF, "holidays", "--year", "2027"])
        .current_dir(repo())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in ["2027-02-06  星期六  春节", "2027-09-15  星期三  中秋节", "2027-10-08  星期五  重阳节（老年节）"]
    {
        assert!(text.contains(line), "{line} missing:\n{text}");
    }
}

#[test]
fn chongyang_letters_for_every_member_with_envelopes_and_phone_list() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = tuiguan(
        &repo(),
        &["--as-of", AS_OF, "--out", out.to_str().unwrap(), "letters", "--holiday", "重阳", "--year", "2026"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Those out of contact or suspended get no letter: listed apart for the branch.
    let apart = ["王巧云", "郑志明"];
    let members: Vec<(String, String)> =
        sample_names().into_iter().filter(|(_, name)| !apart.contains(&name.as_str())).collect();
    for said in ["这 2 人没有印慰问信", "王巧云（失联）", "郑志明（停止党籍）"] {
        assert!(run.stderr.contains(said), "{said}: {}", run.stderr);
    }
    let dir = out.join("letters");
    assert!(!dir.join("2026-重阳/b3-051.pdf").exists(), "no letter to 王巧云's stale address");

    // One page per member in the print file, each letter personal and for 重阳.
    let all = dir.join("2026-重阳.pdf");
    let (pages, w, h) = pdf_info(&all);
    assert_eq!(pages, members.len());
    assert!(is_a4(w, h));
    for (id, name) in &members {
        let text = flat(&pdf_text(&dir.join(format!("2026-重阳/{id}.pdf")), None));
        assert!(text.contains(&format!("尊敬的{name}同志：")), "{id}: {text}");
        assert!(text.contains("重阳节（老年节）慰问信"), "{id}");
    }
    // Milestones and whereabouts: 王喆 turns 100 in 2026; 孙昇 is in Shenzhen.
    assert!(flat(&pdf_text(&dir.join("2026-重阳/b1-001.pdf"), None)).contains("今年是您的100岁寿辰"));
    assert!(flat(&pdf_text(&dir.join("2026-重阳/b1-007.pdf"), None)).contains("得知您目前在广东省深圳市南山区"));
    // Dated for the festival (重阳 2026 is 10月18日: three days before), not with the day it was printed.
    let letter = flat(&pdf_text(&dir.join("2026-重阳/b1-001.pdf"), None));
    assert!(letter.contains("2026年10月15日") && !letter.contains("2026年11月26日"), "{letter}");
    assert!(run.stderr.contains("落款日期 2026年10月15日"), "{}", run.stderr);

    // Envelopes: DL size, one per posted letter, ordered by postcode.
    let env = dir.join("2026-重阳-envelopes.pdf");
    let (n, w, h) = pdf_info(&env);
    assert!(((w - 623.6).abs() < 1.0) && ((h - 311.8).abs() < 1.0), "DL is 220 × 110 mm: {w} × {h}");
    let posted = flat(&pdf_text(&env, None));
    assert!(posted.contains("孙昇") && posted.contains("518057"), "{posted}");
    assert!(!posted.contains("王喆"), "王喆 is at home: hand delivery");
    let first = flat(&pdf_text(&env, Some(1)));
    assert!(first.contains("200135"), "lowest postcode first: {first}");
    assert!(n >= 8, "{n} envelopes");

    // Phone list: members away or outside the city, with who calls them.
    let phones = flat(&pdf_text(&dir.join("2026-重阳-phone-list.pdf"), None));
    assert!(phones.contains("电话慰问名单") && phones.contains("孙昇") && phones.contains("19554978752"), "{phones}");
    assert!(phones.contains("沈国华"), "the group leader who calls");
}

/// The letters as on the festival's day: a member wintering in 三亚 on 春节
/// gets hers there, posted, without a word about the cold.
#[test]
fn spring_festival_letters_see_where_members_are_on_the_day() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = tuiguan(
        &repo(),
        &["--as-of", AS_OF, "--out", out.to_str().unwrap(), "letters", "--holiday", "春节", "--year", "2027"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let letter = |id: &str| flat(&pdf_text(&out.join(format!("letters/2027-春节/{id}.pdf")), None));
    // 谭长林 is in 三亚 from 2026-11-05 to 2027-03-15.
    let tan = letter("b1-010");
    assert!(tan.contains("得知您目前在海南省三亚市"), "{tan}");
    assert!(!tan.contains("寒冷") && !tan.contains("保暖"), "{tan}");
    assert!(tan.contains("出行注意安全"), "the rest of the sentence stays: {tan}");
    // At home in 杭州: the cold is mentioned.
    assert!(letter("b1-001").contains("天气寒冷"));
    // The delivery list has a column for the signature of whoever receives a
    // letter by hand, and the address prints as Chinese is set (no spaces).
    let list = flat(&pdf_text(&out.join("letters/2027-春节-delivery.pdf"), None));
    assert!(list.contains("签收") && list.contains("本人或家属在“签收”栏签字"), "{list}");
}

#[test]
fn a_letter_date_can_be_given() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let args = ["--as-of", AS_OF, "--out", out.to_str().unwrap(), "letters", "--holiday", "元旦", "--year", "2027"];
    let run = tuiguan(&repo(), &[&args[..], &["--date", "2026-12-28"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let letter = flat(&pdf_text(&out.join("letters/2027-元旦/b1-001.pdf"), None));
    assert!(letter.contains("2026年12月28日"), "{letter}");
    let bad = tuiguan(&repo(), &[&args[..], &["--date", "2026-13-01"]].concat());
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn the_offices_own_letter_text_is_used() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    copy_dir(&repo().join("tests/fixtures/valid"), &data);
    std::fs::create_dir_all(data.join("letters")).unwrap();
    std::fs::write(
        data.join("letters/2027-春节.yaml"),
        "title: 给老同志们拜年啦\nparagraphs:\n  - 新春快乐！\n  - 万事如意！\nsign_off:\n  - 测试厂退管办\ndate: 2027年1月30日\n",
    )
    .unwrap();
    let run = tuiguan(tmp.path(), &["--as-of", AS_OF, "letters", "--holiday", "春节", "--year", "2027"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = flat(&pdf_text(&tmp.path().join("out/letters/2027-春节/m001.pdf"), None));
    for want in ["给老同志们拜年啦", "尊敬的张建国同志：", "新春快乐！", "测试厂退管办", "2027年1月30日"]
    {
        assert!(text.contains(want), "{want} missing: {text}");
    }
    // A typo in the letter file is reported with its line, and nothing is made.
    std::fs::write(data.join("letters/2027-春节.yaml"), "title: x\nparagraph:\n  - a\n").unwrap();
    let run = tuiguan(tmp.path(), &["--as-of", AS_OF, "letters", "--holiday", "春节", "--year", "2027"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("2027-春节.yaml:2:1: 错误: 未知的键 `paragraph`"), "{}", run.stderr);
}

/// Members the sample office owes a visit on 2026-11-26, reviewed by hand:
/// 80+ with fewer than three home visits this quarter, 70+ with none this
/// half-year, 赵㛃 (ill since 11-08, not visited), 徐巧云 (低保 since 11-22).
/// 郑志明 (b2-050) is suspended and out of contact, 宋启明 (b2-044) died: and 谢淑珍 (b3-057) left the books: no visit is planned.
const DUE: &[&str] = &[
    "赵㛃",
    "王喆",
    "韩洪涛",
    "李宝根",
    "肖宝根",
    "叶鸿儒",
    "谭志明",
    "朱雅琴",
    "陆宝根",
    "夏佩玲",
    "钟建华",
    "黄惠芳",
    "李堃",
    "马志明",
    "黄树森",
    "田小红",
    "郭立新",
    "蒋美华",
    "沈金富",
    "曾启明",
    "周淼",
    "郭淑珍",
    "徐巧云",
    "徐伯年",
    "陈玥",
    "袁建国",
    "金振华",
    "高惠芳",
    "余丽娟",
];

#[test]
fn visit_plan_lists_exactly_the_due_members() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", out.to_str().unwrap(), "visits"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plan = pdf_text(&out.join("visits/visit-plan.pdf"), None);
    // The "due" tables come before each branch's remote section; collect names per line start.
    let due_part: String =
        plan.split("离退休党员走访计划").map(|branch| branch.split("电话、书信联系").next().unwrap()).collect();
    let due_flat = flat(&due_part);
    for (_, name) in sample_names() {
        let listed = due_flat.contains(&name);
        assert_eq!(listed, DUE.contains(&name.as_str()), "{name}: listed = {listed}");
    }
    // Most urgent first: in branch 1, the seriously ill member leads.
    let first_branch = flat(plan.split("第二离退休党支部").next().unwrap());
    assert!(first_branch.find("赵㛃").unwrap() < first_branch.find("王喆").unwrap());

    // One record sheet per member to visit.
    let (sheets, _, _) = pdf_info(&out.join("visits/visit-sheets.pdf"));
    assert_eq!(sheets, DUE.len());
    let sheet = flat(&pdf_text(&out.join("visits/visit-sheets.pdf"), Some(1)));
    assert!(sheet.contains("一问：生活上有什么困难？") && sheet.contains("赵㛃"));

    // The calendar: one event per member to visit, lines folded at 75 octets.
    let ics = std::fs::read_to_string(out.join("visits/visits.ics")).unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), DUE.len());
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.split("\r\n").all(|l| l.len() <= 75));
    assert!(ics.contains("DTSTART;VALUE=DATE:20261126"), "overdue visits are due today");
}

#[test]
fn check_warns_on_overdue_visits() {
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "check"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stderr.contains("走访逾期（赵㛃）：身患重病（2026年11月8日登记），应在7天内上门走访，期限2026年11月15日"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("走访逾期（王喆）"), "due, not overdue");
}
