//! Starting with tuiguan: `init` a new office, `import` an existing Excel or
//! CSV register (messy headers, title rows, blank rows, an ID number Excel
//! turned into a number, the same person twice), `export` the register to
//! Excel and import it back unchanged.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::*;
use rust_xlsxwriter::{Format, Workbook};
use tuiguan::office::Member;
use tuiguan::office::Word;

fn run(cwd: &Path, args: &[&str]) -> Run {
    let mut a = vec!["--as-of", AS_OF];
    a.extend_from_slice(args);
    tuiguan(cwd, &a)
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| e.into_path())
        .collect();
    v.sort();
    v
}

/// Write `cells` as text into row `row` from column A; "" leaves a cell empty.
fn write_strings(ws: &mut rust_xlsxwriter::Worksheet, row: u32, cells: &[&str]) {
    for (c, v) in cells.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
        ws.write_string(row, c as u16, *v).unwrap();
    }
}

/// A data folder with the sample's org.yaml and no members.
fn empty_office(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("members")).unwrap();
    std::fs::copy(repo().join("data/org.yaml"), data.join("org.yaml")).unwrap();
    data
}

#[test]
fn init_makes_an_office_that_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path(), &["init", "new-office"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("先填这些") && r.stderr.contains("tuiguan import"), "{}", r.stderr);
    let org = std::fs::read_to_string(dir.path().join("new-office/org.yaml")).unwrap();
    assert!(org.lines().filter(|l| l.trim_start().starts_with('#')).count() >= 10, "org.yaml is commented");
    let r = run(dir.path(), &["--data", "new-office", "check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("检查通过：1 个支部，在册党员 1 位"), "{}", r.stderr);
    assert!(!r.stderr.contains("错误:"), "{}", r.stderr);
    let r = run(dir.path(), &["--data", "new-office", "--out", "new-out", "build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("new-out");
    assert!(pdf_text(&out.join("info-cards/b1-001.pdf"), None).contains("张某某"));
    assert!(std::fs::read_to_string(out.join("register/index.html")).unwrap().contains("张某某"));
    assert!(out.join("台帐（内部资料）.xlsx").is_file());
    // A second init into the same folder changes nothing.
    let before = std::fs::read(dir.path().join("new-office/members/b1/b1-001.yaml")).unwrap();
    let r = run(dir.path(), &["init", "new-office"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("已存在，不会覆盖"), "{}", r.stderr);
    assert_eq!(std::fs::read(dir.path().join("new-office/members/b1/b1-001.yaml")).unwrap(), before);
}

/// What import must reproduce of a member: everything read from the file,
/// departures and visits included (positions in the file aside).
fn essentials(m: &Member) -> String {
    let t = |v: &Option<tuiguan::yaml::Located<String>>| v.as_ref().map(|x| x.value.clone());
    let d = |v: &Option<tuiguan::yaml::Located<chrono::NaiveDate>>| v.as_ref().map(|x| x.value);
    format!(
        "{:?}",
        (
            (&m.id.value, &m.name.value, m.sex.value.zh(), &m.ethnicity.value, &m.id_number.value, d(&m.birth_date)),
            (&m.native_place.value, &m.address.value, t(&m.postcode), m.in_city, t(&m.home_phone), t(&m.mobile)),
            m.family_contacts.iter().map(|c| (c.name.value.clone(), t(&c.relation), t(&c.phone))).collect::<Vec<_>>(),
            (t(&m.education), d(&m.joined_party), d(&m.full_member), d(&m.retired), t(&m.former_unit)),
            (
                &m.branch.value,
                t(&m.group),
                t(&m.living),
                m.pension.as_ref().map(|p| p.value),
                m.receive_mail,
                t(&m.notes)
            ),
            m.health.as_ref().map(|h| (h.status.as_ref().map(|s| s.value.zh()), d(&h.since), t(&h.notes))),
            m.hardship.as_ref().map(|h| (h.level.as_ref().map(|l| l.value.zh()), d(&h.since), t(&h.notes))),
            m.departures.iter().map(departure).collect::<Vec<_>>(),
            m.visits
                .iter()
                .map(|v| (
                    v.date.value,
                    v.kind.value,
                    t(&v.by),
                    t(&v.difficulties),
                    t(&v.suggestions),
                    t(&v.plans),
                    t(&v.follow_up)
                ))
                .collect::<Vec<_>>(),
            dues(&m.dues),
            life(m),
        )
    )
}

fn dues(x: &tuiguan::office::Dues) -> String {
    let t = |v: &Option<tuiguan::yaml::Located<String>>| v.as_ref().map(|x| x.value.clone());
    let d = |v: &Option<tuiguan::yaml::Located<chrono::NaiveDate>>| v.as_ref().map(|x| x.value);
    format!(
        "{:?}",
        (
            x.category.as_ref().map(|c| c.value),
            x.bases.iter().map(|b| (b.year.value, b.base.value)).collect::<Vec<_>>(),
            x.reductions
                .iter()
                .map(|r| (r.year.value, r.monthly.value, d(&r.decided), d(&r.approved), t(&r.document), t(&r.reason)))
                .collect::<Vec<_>>(),
            x.payments
                .iter()
                .map(|p| (p.months.value, p.amount.value, p.paid.value, p.way, t(&p.by), t(&p.at), t(&p.note)))
                .collect::<Vec<_>>(),
        )
    )
}

fn departure(x: &tuiguan::office::Departure) -> String {
    let t = |v: &Option<tuiguan::yaml::Located<String>>| v.as_ref().map(|x| x.value.clone());
    let d = |v: &Option<tuiguan::yaml::Located<chrono::NaiveDate>>| v.as_ref().map(|x| x.value);
    let f = |v: &Option<tuiguan::yaml::Located<bool>>| v.as_ref().map(|x| x.value);
    let dest = &x.destination;
    format!(
        "{:?}",
        (
            (&x.id.value, d(&x.applied), t(&x.reason), x.start.value, d(&x.planned_end)),
            (t(&dest.province), t(&dest.city), t(&dest.county), t(&dest.address), t(&dest.postcode)),
            (t(&x.receiving_org), t(&x.receiving_contact), t(&x.receiving_phone), t(&x.phone_away)),
            (f(&x.fixed_location), f(&x.near_home), f(&x.can_transfer)),
            (
                t(&x.card_number),
                d(&x.card_issued),
                x.transfer.as_ref().map(|k| k.value.zh()),
                d(&x.transfer_date),
                d(&x.filed)
            ),
            (d(&x.returned), d(&x.card_returned), t(&x.report), x.dues_paid_to.as_ref().map(|m| m.value)),
            (d(&x.last_contact), d(&x.last_report)),
            (d(&x.arrived), d(&x.card_handed), d(&x.card_reviewed)),
        )
    )
}

/// The member's status, contact log, confirmation and subsidies.
fn life(m: &Member) -> String {
    let t = |v: &Option<tuiguan::yaml::Located<String>>| v.as_ref().map(|x| x.value.clone());
    let d = |v: &Option<tuiguan::yaml::Located<chrono::NaiveDate>>| v.as_ref().map(|x| x.value);
    format!(
        "{:?}",
        (
            m.status.as_ref().map(|s| (
                s.kind.value,
                s.date.value,
                d(&s.lost_since),
                t(&s.to),
                t(&s.reason),
                t(&s.document)
            )),
            m.contacts.iter().map(|c| (c.date.value, c.channel.value, t(&c.by), t(&c.summary))).collect::<Vec<_>>(),
            d(&m.confirmed),
            m.subsidies
                .iter()
                .map(|s| (
                    s.applied.value,
                    s.decision.as_ref().map(|x| x.value),
                    d(&s.decided),
                    s.amount.as_ref().map(|a| a.value),
                    t(&s.notes)
                ))
                .collect::<Vec<_>>(),
        )
    )
}

fn members(data: &Path) -> Vec<(String, String)> {
    let (office, diags) = tuiguan::load::load(data);
    assert!(!diags.has_errors());
    let mut v: Vec<(String, String)> =
        office.unwrap().members.iter().map(|m| (m.id.value.clone(), essentials(m))).collect();
    v.sort();
    v
}

fn zip_entry(xlsx: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn export_then_import_reproduces_the_sample_office() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("台帐.xlsx");
    let r = run(&repo(), &["export", "--xlsx", xlsx.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("已导出 60 位党员"), "{}", r.stderr);

    // The workbook as Excel shows it.
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(&xlsx).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "党员台帐",
            "外出记录",
            "走访记录",
            "联系记录",
            "重病补助",
            "党籍与核对",
            "党费交纳",
            "党费核定",
            "待跟进事项"
        ]
    );
    let sheet = book.worksheet_range("党员台帐").unwrap();
    // The line marking it internal, the header, 60 members.
    assert_eq!(sheet.height(), 62);
    assert_eq!(sheet.rows().next().unwrap()[0], Data::String("内部资料，含身份证号，注意保密".into()));
    let header: Vec<String> = sheet.rows().nth(1).unwrap().iter().map(|c| c.to_string()).collect();
    let col = |h: &str| header.iter().position(|x| x == h).unwrap_or_else(|| panic!("no column {h}"));
    let row = sheet.rows().find(|r| r[col("编号")] == Data::String("b1-007".into())).unwrap();
    assert_eq!(row[col("公民身份号码")], Data::String("330681195105168919".into()), "ID numbers are text");
    assert_eq!(row[col("手机")], Data::String("19554978752".into()));
    assert!(matches!(row[col("入党日期")], Data::DateTime(_)), "dates are Excel dates: {:?}", row[col("入党日期")]);
    assert_eq!(row[col("当前状态")].to_string(), "外出");
    assert_eq!(row[col("外出去向")].to_string(), "广东省深圳市南山区");
    let Data::DateTime(visited) = &row[col("最近走访日期")] else { panic!("a date") };
    assert_eq!(tuiguan::import::table::excel_date(visited.as_f64()), chrono::NaiveDate::from_ymd_opt(2026, 10, 24));
    let sheet1 = zip_entry(&xlsx, "xl/worksheets/sheet1.xml");
    assert!(
        sheet1.contains(r#"<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/>"#),
        "frozen header (and the line above it)"
    );
    assert!(sheet1.contains("<autoFilter ref=\"A2:"), "auto-filter");
    // Widths fit Chinese text: the name column (two-character names count 4)
    // is narrow, the address column wide. A column of text is a text column
    // (style 3 after the header's and the red line's, number format "@"): what is typed into it later stays text.
    assert!(sheet1.contains(r#"<col min="1" max="2" width="8.7109375" style="3" customWidth="1"/>"#), "{sheet1:.600}");
    assert!(sheet1.contains(r#"<col min="8" max="8" width="60.7109375" style="3" customWidth="1"/>"#), "{sheet1:.600}");
    let styles = zip_entry(&xlsx, "xl/styles.xml");
    assert!(styles.contains(r#"<numFmt numFmtId="164" formatCode="@"/>"#), "{styles:.900}");
    let follow = book.worksheet_range("待跟进事项").unwrap();
    let text: Vec<String> =
        follow.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
    assert!(text.iter().any(|l| l.contains("崔德明") && l.contains("逾期未归")), "{text:?}");
    assert!(text.iter().any(|l| l.contains("王巧云") && l.contains("失去联系")), "{text:?}");
    assert!(text.iter().any(|l| l.contains("王巧云") && l.contains("党费久未交")), "{text:?}");
    assert!(text.iter().any(|l| l.contains("曾启明") && l.contains("党费欠交")), "{text:?}");
    // Dues: amounts are numbers, the arrears derived on the member sheet.
    let row = sheet.rows().find(|r| r[col("编号")] == Data::String("b3-051".into())).unwrap();
    assert_eq!((row[col("每月党费")].to_string(), row[col("党费交至")].to_string()), ("24.8".into(), "2026-04".into()));
    assert_eq!(row[col("欠交月数")], Data::Float(6.0));
    let paid = book.worksheet_range("党费交纳").unwrap();
    assert!(
        paid.rows().any(|r| r.iter().any(|c| *c == Data::String("异地交纳".into()))),
        "payments at the destination"
    );
    let set = book.worksheet_range("党费核定").unwrap();
    let set: Vec<String> = set.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
    assert!(
        set.iter().any(|l| l.contains("低保")) && set.iter().any(|l| l.contains("离退休工委〔2026〕3号")),
        "{set:?}"
    );
    // The same data and date give the same bytes.
    let again = dir.path().join("again.xlsx");
    assert_eq!(run(&repo(), &["export", "--xlsx", again.to_str().unwrap()]).code, 0);
    assert_eq!(std::fs::read(&xlsx).unwrap(), std::fs::read(&again).unwrap());

    // Import into an office with the same org.yaml and no members.
    let data = empty_office(dir.path());
    let r = run(dir.path(), &["import", xlsx.to_str().unwrap(), "--into", data.to_str().unwrap(), "--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("新建 60 人"), "{}", r.stderr);
    assert!(!r.stderr.contains("未导入的栏目"), "every exported column is known: {}", r.stderr);
    assert!(!r.stderr.contains("工作簿里还有这些工作表"), "history and follow-ups are known sheets: {}", r.stderr);
    assert!(r.stderr.contains("工作表“外出记录”：") && r.stderr.contains("工作表“走访记录”："), "{}", r.stderr);
    assert!(r.stderr.contains("党费交纳和核定：60 人的记录"), "{}", r.stderr);
    assert_eq!(members(&data), members(&repo().join("data")));
    // And the imported office passes check.
    assert_eq!(run(dir.path(), &["--data", data.to_str().unwrap(), "check"]).code, 0);

    // Importing the same workbook again creates nothing: everyone is there.
    let r = run(dir.path(), &["import", xlsx.to_str().unwrap(), "--into", data.to_str().unwrap(), "--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("新建 0 人，已在数据中 60 人"), "{}", r.stderr);
}

/// A register as offices keep it: a merged title, a line of who filled it
/// in, headers written their own way, blank rows, an ID number typed into a
/// number cell, the same person twice, a branch that does not exist, a
/// month-only date.
fn messy_workbook(path: &Path, extra: &[(&str, &str, &str)]) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    let title = Format::new().set_bold();
    ws.merge_range(0, 0, 0, 12, "江南重型机械集团离退休党员花名册", &title).unwrap();
    ws.write_string(1, 0, "填报单位：离退休管理办公室        2026年11月").unwrap();
    let headers = [
        "序 号",
        "姓  名",
        "性别",
        "民族",
        "身份证号码",
        "出生年月",
        "籍贯",
        "家庭住址（详细）",
        "联系电话（手机）",
        "所在支部",
        "党小组",
        "入党时间",
        "爱好",
    ];
    write_strings(ws, 2, &headers);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut rows: Vec<(&str, &str, &str, &str, &str, &str)> = vec![
        // name, sex, id number, branch, group, joined
        ("周国庆", "男", "330106194810011237", "第一支部", "机关第一党小组", "1970-07-01"),
        ("吴秀兰", "女", "33010619520315242X", "第二离退休党支部（铸锻分厂）", "流动党员党小组", "1975.03"),
        ("NUMBER", "男", "", "第一支部", "", "1972-01-01"),
        ("周国庆", "男", "330106194810011237", "第一支部", "", "1970-07-01"),
        ("钱多多", "男", "330106195005051230", "第九支部", "", "1972-01-01"),
        ("孙一", "男", "330106195505051253", "第一支部", "老年党小组", "1976-01-01"),
    ];
    for e in extra {
        rows.push((e.0, "男", e.1, e.2, "", "1980-01-01"));
    }
    let mut r = 3;
    for (i, (name, sex, idn, branch, group, joined)) in rows.iter().enumerate() {
        if i == 2 {
            r += 1; // a blank row
        }
        let name = if *name == "NUMBER" { "郑建设" } else { name };
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, name).unwrap();
        ws.write_string(r, 2, *sex).unwrap();
        ws.write_string(r, 3, "汉").unwrap();
        if idn.is_empty() {
            // 18 digits in a number cell: Excel keeps 15.
            // What Excel keeps of 330106194901011236 typed into a number cell.
            ws.write_number(r, 4, 330106194901011000.0).unwrap();
        } else {
            ws.write_string(r, 4, *idn).unwrap();
        }
        if name == "周国庆" {
            let born = rust_xlsxwriter::ExcelDateTime::from_ymd(1948, 10, 1).unwrap();
            ws.write_datetime_with_format(r, 5, &born, &date).unwrap();
        }
        ws.write_string(r, 6, "浙江杭州").unwrap();
        ws.write_string(r, 7, "杭州市拱墅区小河街道 1 号").unwrap();
        ws.write_number(r, 8, 13905710001.0 + i as f64).unwrap();
        ws.write_string(r, 9, *branch).unwrap();
        ws.write_string(r, 10, *group).unwrap();
        ws.write_string(r, 11, *joined).unwrap();
        ws.write_string(r, 12, "书法").unwrap();
        r += 1;
    }
    book.save(path).unwrap();
}

#[test]
fn a_messy_workbook_is_reported_cell_by_cell_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = empty_office(dir.path());
    let xlsx = dir.path().join("花名册.xlsx");
    messy_workbook(&xlsx, &[]);
    for write in [false, true] {
        let mut args = vec!["import", xlsx.to_str().unwrap(), "--into", data.to_str().unwrap()];
        if write {
            args.push("--write");
        }
        let r = run(dir.path(), &args);
        let e = &r.stderr;
        assert_eq!(r.code, 1, "{e}");
        assert!(e.contains("读取 花名册.xlsx 工作表“Sheet1”：表头在第 3 行。"), "{e}");
        assert!(e.contains("B“姓  名”→ 姓名") && e.contains("H“家庭住址（详细）”→ 家庭住址"), "{e}");
        assert!(e.contains("I“联系电话（手机）”→ 联系电话"), "{e}");
        assert!(e.contains("未导入的栏目：M“爱好”"), "{e}");
        assert!(e.contains("数据 6 行（跳过空行 1 行）"), "{e}");
        // The ID number Excel made a number (row 7: title, note, header, two rows, a blank).
        assert!(
            e.contains("花名册.xlsx Sheet1!E7（第 7 行 E 列“身份证号码”）: 错误: 身份证号被 Excel 存成了数字（读到 330106194901011000）"),
            "{e}"
        );
        assert!(e.contains("Sheet1!E8（第 8 行 E 列“身份证号码”）: 错误: 与第 4 行（周国庆）身份证号相同"), "{e}");
        assert!(e.contains("Sheet1!J9（第 9 行 J 列“所在支部”）: 错误: org.yaml 里没有支部“第九支部”"), "{e}");
        assert!(e.contains("org.yaml 里没有这些支部：“第九支部”（1 行）"), "{e}");
        assert!(e.contains("Sheet1!K10（第 10 行 K 列“党小组”）: 错误: 第一离退休党支部（集团机关）没有党小组“老年党小组”（有：机关第一党小组、机关第二党小组）"), "{e}");
        assert!(e.contains("org.yaml 里没有这些党小组：第一离退休党支部（集团机关）“老年党小组”（1 行）"), "{e}");
        assert!(
            e.contains("Sheet1!L5（第 5 行 L 列“入党时间”）: 警告: “1975.03”只写到月，按当月 1 日（1975-03-01）导入"),
            "{e}"
        );
        assert!(e.contains(&format!("第 4 行 周国庆 → {}", data.join("members/b1/b1-001.yaml").display())), "{e}");
        assert!(e.contains(&format!("第 5 行 吴秀兰 → {}", data.join("members/b2/b2-001.yaml").display())), "{e}");
        assert!(!e.contains("郑建设 →"), "a row with errors is not listed as created: {e}");
        assert!(e.contains("新建 2 人") && e.contains("有错误不能导入 4 行"), "{e}");
        assert!(e.contains("共 4 个错误"), "{e}");
        assert!(yaml_files(&data.join("members")).is_empty(), "nothing is written while anything is wrong");
    }
}

#[test]
fn a_clean_workbook_is_written_and_existing_members_update_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    // Two new people and one who is already in the data (孙昇, b1-007) with a new mobile.
    let xlsx = dir.path().join("名单.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    write_strings(ws, 0, &["姓名", "性别", "民族", "公民身份号码", "籍贯", "住址", "手机", "支部", "入党日期"]);
    let rows = [
        [
            "周国庆",
            "男",
            "汉族",
            "330106194810011237",
            "浙江杭州",
            "杭州市西湖区文三路 1 号",
            "13905710001",
            "b1",
            "1970-07-01",
        ],
        [
            "吴秀兰",
            "女",
            "汉族",
            "33010619520315242X",
            "浙江宁波",
            "杭州市上城区清波街道 2 号",
            "13905710002",
            "第三离退休党支部",
            "1975-03-01",
        ],
        [
            "孙昇",
            "男",
            "汉族",
            "330681195105168919",
            "浙江诸暨",
            "杭州市滨江区西兴街道江南人家35幢1单元503室",
            "13900000007",
            "第二支部",
            "1975-02-16",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        write_strings(ws, r as u32 + 1, row);
    }
    book.save(&xlsx).unwrap();
    let before = std::fs::read_to_string(data.join("members/b1/b1-007.yaml")).unwrap();
    let files_before = yaml_files(&data).len();

    let args = |extra: &[&'static str]| {
        let mut a =
            vec!["import".to_string(), xlsx.to_str().unwrap().into(), "--into".into(), data.to_str().unwrap().into()];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let go = |a: Vec<String>| run(dir.path(), &a.iter().map(String::as_str).collect::<Vec<_>>());
    let r = go(args(&[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("新建 2 人，已在数据中 1 人"), "{}", r.stderr);
    assert!(r.stderr.contains("第 4 行 孙昇 = b1-007"), "{}", r.stderr);
    assert!(r.stderr.contains("有改动（加 --update 才会更新）：手机：19554978752 → 13900000007"), "{}", r.stderr);
    assert!(r.stderr.contains("这是预演，没有写入任何文件"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "Sheet1!H4（第 4 行 H 列“支部”）: 警告: 孙昇 现在登记在 b1，表中为第二离退休党支部（铸锻分厂）；支部变动不随导入改动"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(yaml_files(&data).len(), files_before, "a dry run writes nothing");

    let r = go(args(&["--write"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("新建 2 个成员文件，更新 0 个"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(data.join("members/b1/b1-007.yaml")).unwrap(), before, "no --update, no change");
    // New ids continue each branch's numbering; the header says where the data came from.
    let new = std::fs::read_to_string(data.join("members/b1/b1-059.yaml")).unwrap();
    assert!(new.starts_with("# 周国庆（第一离退休党支部（集团机关））\n# 导入自 名单.xlsx 工作表“Sheet1”第 2 行（2026-11-26）\nid: b1-059\nname: 周国庆\n"), "{new}");
    assert!(new.contains("id_number: \"330106194810011237\"\n") && new.contains("joined_party: 1970-07-01\n"), "{new}");
    assert!(data.join("members/b3/b3-061.yaml").is_file() || yaml_files(&data.join("members/b3")).len() == 21);
    assert_eq!(run(dir.path(), &["--data", data.to_str().unwrap(), "check"]).code, 0);

    // --update changes the mobile line of b1-007 and nothing else.
    let r = go(args(&["--write", "--update"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("新建 0 个成员文件，更新 1 个"), "{}", r.stderr);
    let after = std::fs::read_to_string(data.join("members/b1/b1-007.yaml")).unwrap();
    let changed: Vec<(&str, &str)> = before.lines().zip(after.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(changed, [("mobile: \"19554978752\"", "mobile: \"13900000007\"")]);
    assert_eq!(before.lines().count(), after.lines().count());
}

#[test]
fn a_gbk_csv_with_a_title_row_imports() {
    let dir = tempfile::tempdir().unwrap();
    let data = empty_office(dir.path());
    // As Excel saves a register "as CSV" in China: GBK, a title line, headers
    // its own way, a blank line, an ID number that had become a number (so
    // written in scientific notation), and the same person twice.
    let csv = "党员花名册（2026年）,,,,,,,,,\n\
               序号,姓 名,性别,民族,身份证号码,籍贯,家庭住址（详细）,联系电话（手机）,所在支部,入党时间\n\
               ,,,,,,,,,\n\
               1,周国庆,男,汉,330106194810011237,浙江杭州,\"杭州市西湖区文三路 1 号,3 幢\",13905710001,第一支部,1970/7/1\n\
               2,吴秀兰,女,汉,33010619520315242X,浙江宁波,杭州市上城区清波街道 2 号,13905710002,第一支部,1975年3月1日\n\
               3,郑建设,男,汉,3.30106E+17,浙江杭州,杭州市拱墅区 3 号,13905710003,第一支部,1972-01-01\n\
               4,周国庆,男,汉,330106194810011237,浙江杭州,杭州市西湖区文三路 1 号,13905710001,第一支部,1970/7/1\n";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(csv);
    assert!(!unmappable);
    let file = dir.path().join("花名册.csv");
    std::fs::write(&file, &bytes).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture really is GBK");
    let r = run(dir.path(), &["import", file.to_str().unwrap(), "--into", data.to_str().unwrap(), "--write"]);
    let e = &r.stderr;
    assert_eq!(r.code, 1, "{e}");
    assert!(e.contains("（GBK/GB18030 编码）：表头在第 2 行"), "{e}");
    assert!(e.contains("B“姓 名”→ 姓名") && e.contains("H“联系电话（手机）”→ 联系电话"), "{e}");
    assert!(e.contains("数据 4 行（跳过空行 1 行）：新建 2 人，已在数据中 0 人，有错误不能导入 2 行"), "{e}");
    assert!(e.contains("花名册!E6（第 6 行 E 列“身份证号码”）: 错误: 身份证号写成了科学计数法“3.30106E+17”"), "{e}");
    assert!(e.contains("花名册!E7（第 7 行 E 列“身份证号码”）: 错误: 与第 4 行（周国庆）身份证号相同"), "{e}");
    assert!(yaml_files(&data.join("members")).is_empty(), "nothing written while anything is wrong");

    // The office deletes the two bad lines and imports again.
    let fixed: String =
        csv.lines().filter(|l| !l.starts_with("3,") && !l.starts_with("4,")).map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, encoding_rs::GBK.encode(&fixed).0).unwrap();
    let r = run(dir.path(), &["import", file.to_str().unwrap(), "--into", data.to_str().unwrap(), "--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("新建 2 个成员文件"), "{}", r.stderr);
    let a = std::fs::read_to_string(data.join("members/b1/b1-001.yaml")).unwrap();
    assert!(a.contains("name: 周国庆\n") && a.contains("ethnicity: 汉族\n"), "{a}");
    assert!(a.contains("address: 杭州市西湖区文三路 1 号,3 幢\n") && a.contains("joined_party: 1970-07-01\n"), "{a}");
    assert!(a.contains("mobile: \"13905710001\"\n"), "{a}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(data.join("members/b1/b1-001.yaml")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644, "an imported file is readable like any other");
    assert_eq!(std::fs::read_dir(data.join("members/b1")).unwrap().count(), 2, "no temporary files left");
    let b = std::fs::read_to_string(data.join("members/b1/b1-002.yaml")).unwrap();
    assert!(b.contains("name: 吴秀兰\n") && b.contains("joined_party: 1975-03-01\n"), "{b}");
    assert!(b.contains("id_number: \"33010619520315242X\"\n"), "{b}");
    assert_eq!(run(dir.path(), &["--data", data.to_str().unwrap(), "check"]).code, 0);
}

#[test]
fn a_two_row_header_under_a_merged_label() {
    let dir = tempfile::tempdir().unwrap();
    let data = empty_office(dir.path());
    let xlsx = dir.path().join("名册.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let upper = ["姓名", "性别", "民族", "身份证号", "籍贯", "住址", "联系方式", "", "所在支部", "入党时间"];
    write_strings(ws, 0, &upper);
    ws.merge_range(0, 6, 0, 7, "联系方式", &Format::new()).unwrap();
    ws.write_string(1, 6, "手机").unwrap();
    ws.write_string(1, 7, "住宅电话").unwrap();
    let row = [
        "周国庆",
        "男",
        "汉族",
        "330106194810011237",
        "浙江杭州",
        "杭州市西湖区文三路 1 号",
        "13905710001",
        "0571-88886666",
        "第一支部",
        "1970-07-01",
    ];
    write_strings(ws, 2, &row);
    book.save(&xlsx).unwrap();
    let r = run(dir.path(), &["import", xlsx.to_str().unwrap(), "--into", data.to_str().unwrap(), "--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("表头在第 1–2 行"), "{}", r.stderr);
    assert!(r.stderr.contains("G“手机”→ 手机，H“住宅电话”→ 住宅电话"), "{}", r.stderr);
    assert!(r.stderr.contains("数据 1 行（跳过空行 0 行）：新建 1 人"), "{}", r.stderr);
    let f = std::fs::read_to_string(data.join("members/b1/b1-001.yaml")).unwrap();
    assert!(f.contains("home_phone: \"0571-88886666\"\n") && f.contains("mobile: \"13905710001\"\n"), "{f}");
}

/// An exported workbook's event sheets, with rows a clerk added or changed
/// for members already in the data: `import --update` recognises what is
/// in the files, sets what changed, adds what is new.
#[test]
fn event_rows_for_members_already_in_the_data_are_added_or_changed_in_their_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    sample_office(dir.path());
    let xlsx = dir.path().join("台帐.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet().set_name("党员台帐").unwrap();
    write_strings(ws, 0, &["编号", "姓名", "公民身份号码", "所在党支部"]);
    write_strings(ws, 1, &["b1-007", "孙昇", "330681195105168919", "第一离退休党支部（集团机关）"]);
    write_strings(ws, 2, &["b1-010", "谭长林", "320502196510083654", "第一离退休党支部（集团机关）"]);
    write_strings(ws, 3, &["b1-001", "王喆", "330105192605232473", "第一离退休党支部（集团机关）"]);
    let ws = book.add_worksheet().set_name("外出记录").unwrap();
    write_strings(ws, 0, &["编号", "姓名", "外出编号", "去向省", "去向市", "外出日期", "返回日期", "交回联系卡日期"]);
    // Already there, now back home.
    write_strings(ws, 1, &["b1-007", "孙昇", "W2026-01", "广东省", "深圳市", "2026-10-15", "2026-11-20", "2026-11-21"]);
    // New, without a number.
    write_strings(ws, 2, &["b1-001", "王喆", "", "海南省", "三亚市", "2026-11-25", "", ""]);
    let ws = book.add_worksheet().set_name("走访记录").unwrap();
    write_strings(ws, 0, &["编号", "姓名", "日期", "方式", "走访人", "有何困难", "有何建议", "来年打算"]);
    // The same as in the file.
    write_strings(
        ws,
        1,
        &[
            "b1-007",
            "孙昇",
            "2026-10-24",
            "电话",
            "何秀珍",
            "老伴身体不好，需要人照顾",
            "无",
            "整理回忆录，给年轻人讲厂史",
        ],
    );
    // New.
    write_strings(ws, 2, &["b1-010", "谭长林", "2026-11-24", "上门", "钱立群", "无", "无", "去三亚过冬"]);
    let ws = book.add_worksheet().set_name("党费交纳").unwrap();
    write_strings(ws, 0, &["编号", "姓名", "所交月份", "金额（元）", "交纳日期"]);
    write_strings(ws, 1, &["b1-010", "谭长林", "2026-07..2026-12", "148.8", "2026-07-11"]);
    write_strings(ws, 2, &["b1-010", "谭长林", "2027-01..2027-03", "74.40", "2026-11-25"]);
    let ws = book.add_worksheet().set_name("党籍与核对").unwrap();
    write_strings(ws, 0, &["编号", "姓名", "信息核对日期"]);
    write_strings(ws, 1, &["b1-010", "谭长林", "2026-11-25"]);
    book.save(&xlsx).unwrap();

    let before: Vec<(PathBuf, Vec<u8>)> =
        yaml_files(&data).into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect();
    let import = |extra: &[&str]| {
        let mut a = vec!["import", xlsx.to_str().unwrap(), "--into", data.to_str().unwrap()];
        a.extend_from_slice(extra);
        run(dir.path(), &a)
    };
    // The dry run says what it would do, and writes nothing.
    let r = import(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for said in [
        "各工作表中已有党员的 2 条记录与成员文件相同",
        "已有党员的新记录和改动 5 条（加 --update 才会写入）",
        "外出记录第 2 行（孙昇）：改动 返回日期：（空） → 2026-11-20；交回联系卡日期：（空） → 2026-11-21",
        "外出记录第 3 行（王喆）：新增（外出编号 W2026-",
        "走访记录第 3 行（谭长林）：新增",
        "党费交纳第 2 行（谭长林）：新增",
        "党籍与核对第 2 行（谭长林）：改动 信息核对日期 → 2026-11-25",
    ] {
        assert!(r.stderr.contains(said), "{said:?} in\n{}", r.stderr);
    }
    assert!(!r.stderr.contains("请直接改文件"), "{}", r.stderr);
    let r = import(&["--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (p, bytes) in &before {
        assert_eq!(&std::fs::read(p).unwrap(), bytes, "without --update nothing changes: {}", p.display());
    }

    let r = import(&["--update", "--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sun = std::fs::read_to_string(data.join("members/b1/b1-007.yaml")).unwrap();
    assert!(
        sun.contains("    dues_paid_to: \"2026-10\"\n    returned: 2026-11-20\n    card_returned: 2026-11-21\n"),
        "{sun}"
    );
    let wang = std::fs::read_to_string(data.join("members/b1/b1-001.yaml")).unwrap();
    assert!(wang.contains("\ndepartures:\n  - id: W2026-"), "{wang}");
    assert!(
        wang.contains("    destination:\n      province: 海南省\n      city: 三亚市\n    start: 2026-11-25\n"),
        "{wang}"
    );
    let tan = std::fs::read_to_string(data.join("members/b1/b1-010.yaml")).unwrap();
    assert!(tan.contains("confirmed: 2026-11-25\n"), "{tan}");
    assert!(tan.contains("    - months: 2027-01..2027-03\n      amount: 74.40\n      paid: 2026-11-25\n"), "{tan}");
    assert!(tan.contains("  - date: 2026-11-24\n    kind: 上门\n    by: 钱立群\n"), "{tan}");
    // Every other file as it was; the office checks.
    for (p, bytes) in &before {
        if !["b1-001.yaml", "b1-007.yaml", "b1-010.yaml"].iter().any(|f| p.ends_with(f)) {
            assert_eq!(&std::fs::read(p).unwrap(), bytes, "{}", p.display());
        }
    }
    let r = run(dir.path(), &["--data", data.to_str().unwrap(), "check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The same workbook again: everything is in the files now.
    let r = import(&["--update"]);
    assert!(r.stderr.contains("各工作表中已有党员的 7 条记录与成员文件相同"), "{}", r.stderr);
    assert!(!r.stderr.contains("已有党员的新记录和改动"), "{}", r.stderr);
}
