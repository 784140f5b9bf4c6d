//! The intranet register: what the pages contain (snapshots of regions),
//! that member text stays text, that the default policy publishes no full
//! ID number or mobile, and that an office's `register:` policy is obeyed.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    v.sort();
    v
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// The text between the first `start` and the next `end` after it.
fn region<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let j = html[i..].find(end).unwrap_or_else(|| panic!("no {end} after {start}")) + i + end.len();
    &html[i..j]
}

/// Compare with tests/snapshots/NAME; UPDATE_EXPECT=1 writes it instead.
fn snapshot(name: &str, actual: &str) {
    let path = repo().join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("missing snapshot {}", path.display()));
    assert_eq!(actual, expected, "snapshot {name} differs (UPDATE_EXPECT=1 to accept)");
}

#[test]
fn sample_register_pages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_register(&repo().join("data"), &out);
    let reg = out.join("register");
    let members = files(&reg.join("members"));
    assert_eq!(members.len(), 58, "members on the books");
    for p in
        ["index.html", "stats.html", "branches.html", "branches/b1.html", "assets/register.css", "assets/register.js"]
    {
        assert!(reg.join(p).is_file(), "{p}");
    }
    let index = read(&reg.join("index.html"));
    // Without JavaScript the whole table is there.
    assert_eq!(index.matches("<tr data-id=").count(), 58);
    snapshot("register-head.html", region(&index, "<head>", "</head>"));
    snapshot("register-thead.html", region(&index, "<thead>", "</thead>"));
    // 孙昇 is away in Shenzhen with a card: the row says so, at city level.
    snapshot("register-row-b1-007.html", region(&index, "<tr data-id=\"b1-007\"", "</tr>"));
    let member = read(&reg.join("members/b1-007.html"));
    snapshot("member-b1-007.html", region(&member, "<main", "</main>"));
    // What the away page flags, the member's page says too: 崔德明 is past his return.
    let away = read(&reg.join("away.html"));
    let cui = read(&reg.join("members/b3-045.html"));
    assert!(away.contains("崔德明") && away.contains("逾期未归"), "the away page flags him");
    // Those away with the relationship moved are counted by check among the
    // away; the page says why they are not listed.
    assert!(away.contains("外出 8 人") && away.contains("另有 1 人外出时组织关系已转往当地"), "{away}");
    // The same numbers as check: those away (listed and not), and those 失联.
    let check = tuiguan(&repo(), &["--as-of", AS_OF, "check"]);
    assert!(check.stderr.contains("外出未归的党员（9 人次）"), "8 listed + 1 transferred: {}", check.stderr);
    let lost_in_check = check.stderr.lines().filter(|l| l.contains("警告: 失去联系（")).count();
    assert_eq!(index.matches(">失联</span>").count(), lost_in_check, "失联 on the register as in check");
    assert!(cui.contains("需要关注：") && cui.contains("逾期未归") && cui.contains("已过预计返回日期"), "{cui}");
    let branch = read(&reg.join("branches/b2.html"));
    snapshot("branch-b2-committee.html", region(&branch, "<section aria-labelledby=\"committee\">", "</section>"));
    let stats = read(&reg.join("stats.html"));
    snapshot(
        "stats-statuses.html",
        region(&stats, "<figure class=\"chart\" aria-labelledby=\"chart-statuses\">", "</figure>"),
    );

    for f in files(&reg).iter().filter(|f| f.extension().is_some_and(|e| e == "html")) {
        let html = read(f);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"), "{}", f.display());
        assert!(html.contains(r#"<meta name="robots" content="noindex, nofollow">"#), "{}", f.display());
        assert!(html.contains("script-src 'self'"), "{}", f.display());
        assert!(html.contains("<time datetime=\"2026-11-26\">2026年11月26日</time>"), "{}", f.display());
        // No inline script, no inline handlers, no inline styles, nothing from outside.
        for bad in ["<script>", "style=", "http://", "https://", "javascript:"] {
            assert!(!html.contains(bad), "{} contains {bad}", f.display());
        }
        // No inline event handlers: no attribute of any tag starts with "on".
        for tag in html.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or("");
            let handler = tag.split_whitespace().skip(1).any(|a| a.to_ascii_lowercase().starts_with("on"));
            assert!(!handler, "{}: <{tag}>", f.display());
        }
        let relative = html.matches("href=\"/").count() + html.matches("src=\"/").count();
        assert_eq!(relative, 0, "{}: links must be relative (file:// and sub-paths)", f.display());
    }
}

/// Every ID number, mobile, home phone, family phone and street address of
/// the sample office, as written and normalised.
fn secrets() -> Vec<String> {
    let mut v = Vec::new();
    for line in read(&repo().join("data/org.yaml")).lines() {
        if let Some(m) = line.trim().trim_start_matches("- ").strip_prefix("mobile:") {
            v.push(m.trim().trim_matches('"').to_string());
        }
    }
    for f in files(&repo().join("data/members")) {
        for line in read(&f).lines() {
            let line = line.trim().trim_start_matches("- ");
            for key in ["id_number:", "mobile:", "home_phone:", "phone:", "phone_away:", "address:"] {
                if let Some(val) = line.strip_prefix(key) {
                    let val = val.trim().trim_matches('"').to_string();
                    if val.len() >= 7 {
                        v.push(tuiguan::office::id_number::normalized_or_raw(&val));
                        let digits: String = val.chars().filter(char::is_ascii_digit).collect();
                        if digits.len() >= 7 && key != "address:" {
                            v.push(digits);
                        }
                        v.push(val);
                    }
                }
            }
        }
    }
    v.sort();
    v.dedup();
    v
}

#[test]
fn default_register_publishes_no_full_id_number_mobile_or_address() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_register(&repo().join("data"), &out);
    let secrets = secrets();
    assert!(secrets.len() > 150, "the scan must see the sample's numbers: {}", secrets.len());
    let mut scanned = 0;
    for f in files(&out.join("register")) {
        let text = read(&f);
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "{} publishes {s}", f.display());
        }
        scanned += 1;
    }
    assert!(scanned > 60);
    // Masked mobiles are there, as 3 + **** + 4.
    let index = read(&out.join("register/index.html"));
    assert!(index.contains("155****4644"), "masked mobile of 王喆");
    // Health and hardship are not shown, not even through the visit state:
    // 赵㛃 (b1-004) is seriously ill with an overdue urgent visit.
    let member = read(&out.join("register/members/b1-004.html"));
    for word in ["重病", "低保", "健康状况", "生活困难", "身患"] {
        assert!(!member.contains(word), "member page shows {word}");
    }
}

#[test]
fn member_text_is_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let data = hostile_office(dir.path());
    let out = dir.path().join("out");
    build_register(&data, &out);
    let reg = out.join("register");
    let mut seen_escaped = 0;
    for f in files(&reg).iter().filter(|f| f.extension().is_some_and(|e| e == "html")) {
        let html = read(f);
        for raw in ["<script>alert", "<img", "<svg onload", "<b>杭州", "</td><script>"] {
            assert!(!html.contains(raw), "{} contains raw {raw}", f.display());
        }
        if html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;") {
            seen_escaped += 1;
        }
    }
    // The register, the branch page and the member page show the name as text.
    assert!(seen_escaped >= 3, "{seen_escaped}");
    let member = read(&reg.join("members/b1-x1.html"));
    assert!(member.contains("<h1>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</h1>"), "{member}");
    // Visit answers are published only when the office widens `visit_notes`.
    assert!(!member.contains("7*7"), "visit answers are hidden by default");
    let org = read(&data.join("org.yaml"));
    std::fs::write(data.join("org.yaml"), format!("{org}\nregister:\n  visit_notes: full\n")).unwrap();
    build_register(&data, &out);
    let member = read(&reg.join("members/b1-x1.html"));
    assert!(member.contains("{{ 7*7 }}"), "template syntax in data stays text");
    assert!(member.contains("<td>javascript:alert(5)</td>"), "{member}");
}

#[test]
fn widening_the_policy_warns_and_shows_more() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let org = read(&data.join("org.yaml"));
    let org = format!("{org}\nregister:\n  mobile: full\n  address: hidden\n  age: hidden\n");
    std::fs::write(data.join("org.yaml"), org).unwrap();
    let out = dir.path().join("out");
    let run = build_register(&data, &out);
    assert!(run.stderr.contains("org.yaml"), "{}", run.stderr);
    assert!(
        run.stderr.contains("警告: 内网台帐将显示更多的手机（`register.mobile: full`，默认为 masked）"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("register.address"), "narrowing is not warned about: {}", run.stderr);
    let index = read(&out.join("register/index.html"));
    assert!(index.contains("15598894644"), "full mobiles shown");
    assert!(!index.contains("****"), "no masked mobiles when full");
    assert!(!index.contains("住址区域") && !index.contains("data-key=\"age\""), "hidden columns are gone");
    assert!(!index.contains("杭州市拱墅区"), "no area when the address is hidden");
}

#[test]
fn a_bad_policy_value_is_an_error_with_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let org = read(&data.join("org.yaml"));
    let lines = org.lines().count();
    std::fs::write(data.join("org.yaml"), format!("{org}\nregister:\n  mobile: partly\n  phone: full\n")).unwrap();
    let run = tuiguan(dir.path(), &["--as-of", AS_OF, "register"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "org.yaml:{}:11: 错误: `register`（内网台帐显示范围） 的 `mobile`（手机） 的值“partly”无法识别",
            lines + 3
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("只能填：hidden、masked、full"), "{}", run.stderr);
    assert!(run.stderr.contains("`phone`"), "{}", run.stderr);
    assert!(!dir.path().join("out").exists());
}

/// Words about illness, money and welfare, each planted in one free-text
/// field of one member (PIPL art. 28: 敏感个人信息).
const PLANTED: &[(&str, &str)] = &[
    ("notes", "备注肺癌晚期"),
    ("living", "生活欠债八万元"),
    ("health_notes", "健康化疗自费"),
    ("hardship_notes", "困难领取低保金"),
    ("family_relation", "关系抑郁症"),
    ("reason", "理由住院透析"),
    ("report", "汇报医药费十二万元"),
    ("difficulties", "困难癌症复发"),
    ("suggestions", "建议减免党费低保户"),
    ("plans", "打算去北京化疗"),
    ("follow_up", "跟进申请大病救助"),
];

fn planted_office(dir: &Path, register: &str) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&repo().join("data"), &data);
    let w = |k: &str| PLANTED.iter().find(|(f, _)| *f == k).unwrap().1;
    let first17 = "33010619480305123";
    let id_number = format!("{first17}{}", tuiguan::office::id_number::check_digit(first17));
    let yaml = format!(
        r#"id: b1-p1
name: 钱守业
sex: 男
ethnicity: 汉族
id_number: "{id_number}"
native_place: 浙江杭州
address: 杭州市西湖区文三路 1 号
mobile: "13900001234"
family_contacts:
  - name: 钱小明
    relation: {}
    phone: "13900005678"
joined_party: 1970-07-01
branch: b1
group: b1-g1
living: {}
health:
  status: 重病
  since: 2026-11-01
  notes: {}
hardship:
  level: 低保
  since: 2026-10-01
  notes: {}
notes: {}
departures:
  - id: W2026-P1
    reason: {}
    start: 2026-09-01
    planned_end: 2026-12-31
    destination:
      province: 上海市
      city: 上海市
    card:
      number: LK-P1
      issued: 2026-08-30
    filed: 2026-09-02
    report: {}
visits:
  - date: 2026-10-20
    kind: 电话
    by: 周卫红
    difficulties: {}
    suggestions: {}
    plans: {}
    follow_up: {}
"#,
        w("family_relation"),
        w("living"),
        w("health_notes"),
        w("hardship_notes"),
        w("notes"),
        w("reason"),
        w("report"),
        w("difficulties"),
        w("suggestions"),
        w("plans"),
        w("follow_up"),
    );
    std::fs::write(data.join("members/b1/b1-p1.yaml"), yaml).unwrap();
    if !register.is_empty() {
        let org = read(&data.join("org.yaml"));
        std::fs::write(data.join("org.yaml"), format!("{org}\nregister:\n{register}")).unwrap();
    }
    data
}

/// Every planted word found under `out/register/`, with the file.
fn planted_words_published(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for f in files(&out.join("register")) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        for (field, word) in PLANTED {
            // The word itself, and its first four characters (summaries cut text short).
            let head: String = word.chars().take(4).collect();
            if text.contains(word) || text.contains(&head) {
                found.push(format!("{field} in {}", f.display()));
            }
        }
        for word in ["重病", "低保", "医药费", "化疗", "八万元", "看病挂号"] {
            if text.contains(word) {
                found.push(format!("{word} in {}", f.display()));
            }
        }
    }
    found
}

#[test]
fn free_text_about_illness_and_money_never_reaches_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let data = planted_office(dir.path(), "");
    let out = dir.path().join("out");
    build_register(&data, &out);
    assert!(out.join("register/members/b1-p1.html").is_file());
    let found = planted_words_published(&out);
    assert!(found.is_empty(), "published by default:\n{}", found.join("\n"));
    // The member page still lists the visit: date, kind and visitor.
    let page = read(&out.join("register/members/b1-p1.html"));
    assert!(page.contains("<tr><th scope=\"row\">2026-10-20</th><td>电话</td><td>周卫红</td></tr>"), "{page}");
}

#[test]
fn widening_the_free_text_fields_publishes_them_with_a_warning() {
    // The scan above can fail: with every free-text field widened, it finds them.
    let dir = tempfile::tempdir().unwrap();
    let data = planted_office(dir.path(), "  visit_notes: full\n  departure_notes: shown\n  notes: shown\n");
    let out = dir.path().join("out");
    let run = build_register(&data, &out);
    for key in ["visit_notes: full", "departure_notes: shown", "notes: shown"] {
        assert!(run.stderr.contains(&format!("`register.{key}`")), "{key}: {}", run.stderr);
    }
    let found = planted_words_published(&out).join("\n");
    for field in ["notes", "reason", "report", "difficulties", "suggestions", "plans"] {
        assert!(found.contains(&format!("{field} in ")), "{field} not published when widened:\n{found}");
    }
}
