//! Registers as offices really keep them, made here in every shape they come
//! in — a single header; a title and a 填报 row; two-row groups (联系方式,
//! 外出情况); an .xlsx saved by WPS; an old .xls; a GBK CSV; a sheet per
//! branch; a summary sheet first — each imported with the exact report
//! expected in tests/fixtures/import/<shape>.stderr (UPDATE_EXPECT=1
//! rewrites them), and the files written read back through the loader.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use tuiguan::office::{Member, Office};

fn run(cwd: &Path, args: &[&str]) -> Run {
    let mut a = vec!["--as-of", AS_OF];
    a.extend_from_slice(args);
    tuiguan(cwd, &a)
}

/// A data folder with the sample's org.yaml (three branches) and no
/// members: a new office, which keeps no dues ledger yet.
fn empty_office(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("members")).unwrap();
    let org = std::fs::read_to_string(repo().join("data/org.yaml")).unwrap();
    let org: String = org.lines().filter(|l| !l.contains("dues_since")).map(|l| format!("{l}\n")).collect();
    std::fs::write(data.join("org.yaml"), org).unwrap();
    data
}

/// An 18-digit ID number with its check digit (GB 11643).
fn id_number(region: &str, y: i32, m: u32, d: u32, seq: u32) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let body = format!("{region}{y:04}{m:02}{d:02}{seq:03}");
    let sum: u32 = body.bytes().zip(W).map(|(b, w)| (b - b'0') as u32 * w).sum();
    format!("{body}{}", "10X98765432".as_bytes()[(sum % 11) as usize] as char)
}

/// One fictional retiree as an office's register would hold them.
#[derive(Clone)]
struct Person {
    name: String,
    sex: &'static str,
    id: String,
    born: (i32, u32, u32),
    joined: String,
    branch: &'static str,
    group: &'static str,
    address: String,
    landline: String,
    mobile: String,
    family: String,
    family_phone: String,
    away: Option<(&'static str, &'static str, &'static str)>,
    notes: String,
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗",
];
const GIVEN: &[&str] =
    &["建国", "秀英", "桂兰", "志强", "淑珍", "德明", "玉梅", "国庆", "凤英", "文华", "丽华", "永福"];
const PLACES: &[(&str, &str, &str)] = &[
    ("广东省深圳市南山区（随女儿居住）", "2026.09", "2027.03"),
    ("海南省三亚市吉阳区（过冬）", "2026年11月", "2027年4月"),
    ("上海市浦东新区（随儿子居住）", "2025.06", ""),
];

fn people(n: usize) -> Vec<Person> {
    let branches = [("第一支部", "机关第一党小组"), ("第二支部", "铸锻第一党小组"), ("第三支部", "装配第二党小组")];
    (0..n)
        .map(|i| {
            let sex = if i % 2 == 0 { "男" } else { "女" };
            let born = (1930 + (i % 25) as i32, 1 + (i % 12) as u32, 1 + (i % 28) as u32);
            let seq = 100 + (i as u32 % 400) * 2 + if sex == "男" { 1 } else { 0 };
            let (branch, group) = branches[i % 3];
            let away = (i % 9 == 4).then(|| PLACES[(i / 9) % PLACES.len()]);
            Person {
                name: format!("{}{}", SURNAMES[i % SURNAMES.len()], GIVEN[(i / SURNAMES.len()) % GIVEN.len()]),
                sex,
                id: id_number("330106", born.0, born.1, born.2, seq),
                born,
                joined: format!("{}.{:02}", born.0 + 22, 1 + (i % 12)),
                branch,
                group,
                address: format!("杭州市拱墅区小河街道小河新村{}幢{}单元{}室", 1 + i % 40, 1 + i % 3, 101 + i % 6),
                // Most write the landline with its area code; some without; some
                // put both numbers in one cell.
                landline: match i % 5 {
                    0 => format!("8525{:04}", i),
                    1 => format!("0571-8525{:04}/139{:08}", i, i),
                    _ => format!("0571-8525{:04}", i),
                },
                mobile: if i % 5 == 1 { String::new() } else { format!("138{:08}", i) },
                family: if i % 2 == 0 {
                    format!("{}小明（儿子）", SURNAMES[i % SURNAMES.len()])
                } else {
                    format!("{}丽", SURNAMES[(i + 3) % SURNAMES.len()])
                },
                family_phone: if i % 2 == 0 { format!("137{:08}", i) } else { format!("137{:08}（女儿）", i) },
                away,
                notes: String::new(),
            }
        })
        .collect()
}

fn born_month(p: &Person) -> String {
    format!("{}.{:02}", p.born.0, p.born.1)
}

/// The commonest register: a title, a 填报 row, one header row; 出生年月 to
/// the month; 联系电话 next to 手机号码; no 民族, no 籍贯; the mobile
/// members' own columns.
fn commonest(people: &[Person]) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec!["江南重型机械集团离退休党员台帐".to_string()],
        ["填报单位：离退休工作处", "", "", "", "", "", "", "", "填报日期：2026年10月"].map(String::from).to_vec(),
        [
            "序号",
            "姓名",
            "性别",
            "出生年月",
            "身份证号",
            "入党时间",
            "所在支部",
            "党小组",
            "家庭住址",
            "联系电话",
            "手机号码",
            "紧急联系人",
            "家属电话",
            "是否流动党员",
            "流动去向",
            "外出时间",
            "预计返回时间",
            "备注",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (i, p) in people.iter().enumerate() {
        let (flag, place, from, to) = match p.away {
            Some((place, from, to)) => ("是", place, from, to),
            None => ("否", "", "", ""),
        };
        rows.push(
            [
                &(i + 1).to_string(),
                &p.name,
                p.sex,
                &born_month(p),
                &p.id,
                &p.joined,
                p.branch,
                p.group,
                &p.address,
                &p.landline,
                &p.mobile,
                &p.family,
                &p.family_phone,
                flag,
                place,
                from,
                to,
                &p.notes,
            ]
            .map(str::to_string)
            .to_vec(),
        );
    }
    rows
}

/// Two header rows: 联系方式 over 住宅电话/手机, 外出情况 over 外出地点/外出时间/预计返回时间
/// (and a column nobody maps, 爱好, that the report must list).
fn two_row_groups(people: &[Person]) -> Vec<Vec<String>> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut rows = vec![
        s(&[
            "序号",
            "姓名",
            "性别",
            "身份证号",
            "民族",
            "籍贯",
            "入党时间",
            "支部",
            "联系方式",
            "",
            "外出情况",
            "",
            "",
            "爱好",
        ]),
        s(&["", "", "", "", "", "", "", "", "住宅电话", "手机", "外出地点", "外出时间", "预计返回时间", ""]),
    ];
    for (i, p) in people.iter().enumerate() {
        let (place, from, to) = p.away.unwrap_or(("", "", ""));
        rows.push(s(&[
            &(i + 1).to_string(),
            &p.name,
            p.sex,
            &p.id,
            "汉族",
            "浙江宁波",
            &p.joined,
            p.branch,
            &p.landline,
            &p.mobile,
            place,
            from,
            to,
            "书法",
        ]));
    }
    rows
}

/// One header row, nothing else: the plainest register.
fn single_header(people: &[Person]) -> Vec<Vec<String>> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut rows =
        vec![s(&["姓名", "性别", "民族", "身份证号码", "籍贯", "家庭住址", "入党日期", "所在党支部", "电话", "备注"])];
    for p in people {
        rows.push(s(&[
            &p.name,
            p.sex,
            "汉族",
            &p.id,
            "浙江杭州",
            &p.address,
            &format!("{}-01", p.joined.replace('.', "-")),
            p.branch,
            &p.mobile,
            &p.notes,
        ]));
    }
    rows
}

fn write_xlsx(path: &Path, sheets: &[(&str, Vec<Vec<String>>)]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// An .xlsx the way WPS 表格 saves an .et register as .xlsx: inline strings,
/// cells without references, a dimension that says A1, WPS in app.xml.
fn write_wps_xlsx(path: &Path, rows: &[Vec<String>]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    let mut part = |name: &str, text: &str| {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    };
    part(
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#,
    );
    part(
        "docProps/app.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>WPS 表格</Application><AppVersion>12.1.0</AppVersion></Properties>"#,
    );
    part(
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>"#,
    );
    for row in rows {
        sheet.push_str("<row>");
        for v in row {
            if v.is_empty() {
                sheet.push_str("<c/>");
            } else {
                sheet.push_str(&format!(r#"<c t="inlineStr"><is><t>{}</t></is></c>"#, xml_escape(v)));
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    part("xl/worksheets/sheet1.xml", &sheet);
    z.finish().unwrap();
}

/// An Excel 97–2003 workbook (BIFF8 in a compound file): BOF, CodePage,
/// BoundSheet8, EOF; then the sheet's BOF, a Label record per cell, EOF.
fn write_xls(path: &Path, sheet_name: &str, rows: &[Vec<String>]) {
    fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend(typ.to_le_bytes());
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
    }
    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }
    let bof = |kind: u16| {
        [0x0600u16.to_le_bytes(), kind.to_le_bytes(), [0, 0], [0xCD, 0x07], [0; 2], [0; 2], [0; 2], [0; 2]].concat()
    };
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    record(&mut globals, 0x0042, &1200u16.to_le_bytes());
    let name = utf16(sheet_name);
    let bound_at = globals.len();
    let mut bound = vec![0u8; 4];
    bound.extend([0, 0, sheet_name.encode_utf16().count() as u8, 1]);
    bound.extend(&name);
    record(&mut globals, 0x0085, &bound);
    record(&mut globals, 0x000A, &[]);
    let sheet_at = globals.len() as u32;
    globals[bound_at + 4..bound_at + 8].copy_from_slice(&sheet_at.to_le_bytes());
    let mut sheet = Vec::new();
    record(&mut sheet, 0x0809, &bof(0x0010));
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            let mut data = Vec::new();
            data.extend((r as u16).to_le_bytes());
            data.extend((c as u16).to_le_bytes());
            data.extend(0u16.to_le_bytes());
            data.extend((v.encode_utf16().count() as u16).to_le_bytes());
            data.push(1);
            data.extend(utf16(v));
            record(&mut sheet, 0x0204, &data);
        }
    }
    record(&mut sheet, 0x000A, &[]);
    globals.extend(sheet);
    // Large enough to live in the regular stream, as Excel writes it.
    globals.resize(globals.len().max(4096), 0);
    let file = std::fs::File::create(path).unwrap();
    let mut cf = cfb::CompoundFile::create_with_version(cfb::Version::V3, file).unwrap();
    let mut stream = cf.create_stream("/Workbook").unwrap();
    stream.write_all(&globals).unwrap();
    drop(stream);
    cf.flush().unwrap();
}

fn write_gbk_csv(path: &Path, rows: &[Vec<String>]) {
    let text: String = rows.iter().map(|r| r.join(",") + "\r\n").collect();
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(path, bytes).unwrap();
}

/// Import `file` (dry run, then `--write` when the dry run passed) and
/// compare the dry run's report with the fixture.
fn import_and_compare(dir: &Path, file: &Path, extra: &[&str], shape: &str) -> (Run, PathBuf) {
    let data = empty_office(dir);
    let mut args = vec!["import", file.to_str().unwrap(), "--into", data.to_str().unwrap()];
    args.extend_from_slice(extra);
    let r = run(dir, &args);
    let actual = format!("exit: {}\n{}", r.code, r.stderr.replace(data.to_str().unwrap(), "<data>"));
    let expected_file = repo().join("tests/fixtures/import").join(format!("{shape}.stderr"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(expected_file.parent().unwrap()).unwrap();
        std::fs::write(&expected_file, &actual).unwrap();
    } else {
        let expected = std::fs::read_to_string(&expected_file)
            .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_EXPECT=1", expected_file.display()));
        assert_eq!(actual, expected, "the report for {shape} differs from {}", expected_file.display());
    }
    if r.code == 0 {
        args.push("--write");
        let w = run(dir, &args);
        assert_eq!(w.code, 0, "{}", w.stderr);
    }
    (r, data)
}

fn office(data: &Path) -> Office {
    let (office, diags) = tuiguan::load::load(data);
    assert!(!diags.has_errors(), "{:?}", diags.iter().map(|d| d.message.clone()).collect::<Vec<_>>());
    office.expect("the office loads")
}

fn member<'o>(o: &'o Office, name: &str) -> &'o Member {
    o.members.iter().find(|m| m.name.value == name).unwrap_or_else(|| panic!("{name} was imported"))
}

fn text(v: &Option<tuiguan::yaml::Located<String>>) -> &str {
    v.as_ref().map_or("", |x| x.value.as_str())
}

#[test]
fn two_hundred_members_in_the_commonest_shape_import_without_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let people = people(200);
    let xlsx = dir.path().join("离退休党员台帐.xlsx");
    write_xlsx(&xlsx, &[("Sheet1", commonest(&people))]);
    let (r, data) = import_and_compare(dir.path(), &xlsx, &[], "commonest-200");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("错误:"), "{}", r.stderr);
    let o = office(&data);
    assert_eq!(o.members.len(), 200);
    let on_the_day = |n: &str| n.parse::<chrono::NaiveDate>().unwrap();
    for p in &people {
        let m = member(&o, &p.name);
        assert_eq!(m.id_number.value, p.id);
        assert_eq!(m.sex.value.zh(), p.sex);
        // 出生年月 "1950.03" is confirmed by the ID number: its full date.
        let (y, mo, d) = p.born;
        assert_eq!(
            m.birth_date.as_ref().unwrap().value,
            chrono::NaiveDate::from_ymd_opt(y, mo, d).unwrap(),
            "{}",
            p.name
        );
        // No 民族 and no 籍贯 column: to complete, printed blank.
        assert!(m.is_to_complete("ethnicity") && m.is_to_complete("native_place"), "{}", p.name);
        assert_eq!(m.address.value, p.address);
        let branch = ["第一支部", "第二支部", "第三支部"].iter().position(|b| *b == p.branch).unwrap();
        assert_eq!(m.branch.value, format!("b{}", branch + 1));
        assert!(m.group.is_some(), "{}", p.name);
        // Phones by content: the landline (with the office's area code put in
        // front when missing), the mobile from either column.
        let landline = p.landline.split('/').next().unwrap();
        let landline = if landline.starts_with('0') { landline.to_string() } else { format!("0571-{landline}") };
        assert_eq!(text(&m.home_phone), landline, "{}", p.name);
        let mobile =
            if p.mobile.is_empty() { p.landline.split('/').nth(1).unwrap().to_string() } else { p.mobile.clone() };
        assert_eq!(text(&m.mobile), mobile, "{}", p.name);
        // The relation in brackets, never in the name or the number.
        let f = &m.family_contacts[0];
        assert!(!f.name.value.contains('（'), "{}", f.name.value);
        assert_eq!(text(&f.phone), &p.family_phone[..11]);
        assert_eq!(text(&f.relation), if p.family.contains('（') { "儿子" } else { "女儿" });
        // The mobile members: a departure each, the place split.
        match p.away {
            None => assert!(m.departures.is_empty(), "{}", p.name),
            Some((place, from, _)) => {
                let d = &m.departures[0];
                assert!(place.starts_with(text(&d.destination.province)), "{place}");
                assert!(!text(&d.destination.city).is_empty() && !text(&d.destination.county).is_empty());
                assert_eq!(text(&d.reason), tuiguan_bracket(place));
                let start = from.replace('年', ".").replace('月', "");
                let (y, mo) = start.split_once('.').unwrap();
                assert_eq!(d.start.value, on_the_day(&format!("{y}-{mo}-01")), "{}", p.name);
            }
        }
    }
    // Every imported member is checked and printed: the blanks are warnings.
    let r = run(dir.path(), &["--data", data.to_str().unwrap(), "check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("待补充"), "{}", r.stderr);
}

fn tuiguan_bracket(place: &str) -> &str {
    place.split_once('（').map_or("", |(_, r)| r.trim_end_matches('）'))
}

#[test]
fn a_single_header_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut people = people(6);
    people[2].notes = "2026年9月起外出，预计明年3月回（随儿子居住）".into();
    let xlsx = dir.path().join("名册.xlsx");
    write_xlsx(&xlsx, &[("名册", single_header(&people))]);
    let (r, data) = import_and_compare(dir.path(), &xlsx, &[], "single-header");
    assert_eq!(r.code, 0);
    let o = office(&data);
    // A 备注 that says when the member left and when they come back.
    let m = member(&o, &people[2].name);
    let d = &m.departures[0];
    assert_eq!(d.start.value.to_string(), "2026-09-01");
    assert_eq!(d.planned_end.as_ref().unwrap().value.to_string(), "2027-03-01");
    assert_eq!(text(&d.reason), "随儿子居住");
    assert_eq!(text(&m.notes), people[2].notes, "the note itself is kept");
    // 性别 and 出生日期 from the ID number when the sheet has them not.
    assert!(o.members.iter().all(|m| m.birth_date.is_none() && m.to_complete.is_empty()));
}

#[test]
fn a_two_row_header_with_groups() {
    let dir = tempfile::tempdir().unwrap();
    let people = people(10);
    let xlsx = dir.path().join("台帐.xlsx");
    write_xlsx(&xlsx, &[("台帐", two_row_groups(&people))]);
    let (r, data) = import_and_compare(dir.path(), &xlsx, &[], "two-row-groups");
    // Every column is either mapped or listed as not imported.
    assert!(
        r.stderr.contains("K“外出地点”→ 流动去向，L“外出时间”→ 外出时间，M“预计返回时间”→ 预计返回时间"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("未导入的栏目：N“爱好”"), "{}", r.stderr);
    let o = office(&data);
    let away = o.members.iter().filter(|m| !m.departures.is_empty()).count();
    assert_eq!(away, people.iter().filter(|p| p.away.is_some()).count());
}

#[test]
fn a_register_saved_by_wps() {
    let dir = tempfile::tempdir().unwrap();
    let people = people(12);
    let xlsx = dir.path().join("党员台帐（WPS）.xlsx");
    write_wps_xlsx(&xlsx, &commonest(&people));
    let (r, data) = import_and_compare(dir.path(), &xlsx, &[], "wps-xlsx");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(office(&data).members.len(), 12);
}

#[test]
fn an_old_xls_register() {
    let dir = tempfile::tempdir().unwrap();
    let people = people(12);
    let xls = dir.path().join("党员台帐.xls");
    write_xls(&xls, "党员台帐", &commonest(&people));
    let (r, data) = import_and_compare(dir.path(), &xls, &[], "xls");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let o = office(&data);
    assert_eq!(o.members.len(), 12);
    assert_eq!(member(&o, &people[4].name).departures.len(), 1);
}

#[test]
fn a_gbk_csv_register() {
    let dir = tempfile::tempdir().unwrap();
    let people = people(12);
    let csv = dir.path().join("台帐.csv");
    write_gbk_csv(&csv, &commonest(&people));
    let (r, data) = import_and_compare(dir.path(), &csv, &[], "gbk-csv");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("GBK/GB18030 编码"));
    assert_eq!(office(&data).members.len(), 12);
}

#[test]
fn a_sheet_per_branch() {
    let dir = tempfile::tempdir().unwrap();
    let people = people(9);
    let sheet = |branch: &str| {
        let mut rows = commonest(&people);
        let keep: Vec<Vec<String>> = rows
            .drain(3..)
            .filter(|r| r[6] == branch)
            .map(|mut r| {
                r[6] = String::new();
                r
            })
            .collect();
        rows.extend(keep);
        rows
    };
    let xlsx = dir.path().join("分支部台帐.xlsx");
    write_xlsx(
        &xlsx,
        &[("第一支部", sheet("第一支部")), ("第二支部", sheet("第二支部")), ("第三支部", sheet("第三支部"))],
    );
    // The second sheet: its branch from its name, the other sheets named.
    let (r, data) = import_and_compare(dir.path(), &xlsx, &["--sheet", "第二支部"], "sheet-per-branch");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let o = office(&data);
    assert_eq!(o.members.len(), 3);
    assert!(o.members.iter().all(|m| m.branch.value == "b2"));
}

#[test]
fn a_summary_sheet_first() {
    let dir = tempfile::tempdir().unwrap();
    let people = people(6);
    let summary = vec![
        vec!["支部".to_string(), "党员人数".into(), "其中流动党员".into()],
        vec!["第一支部".to_string(), "2".into(), "0".into()],
        vec!["合计".to_string(), "6".into(), "1".into()],
    ];
    let xlsx = dir.path().join("台帐（含汇总）.xlsx");
    write_xlsx(&xlsx, &[("汇总", summary), ("党员名册", commonest(&people))]);
    let (r, data) = import_and_compare(dir.path(), &xlsx, &[], "summary-first");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(office(&data).members.len(), 6);
}

#[test]
fn a_group_the_office_has_not_set_up_is_offered() {
    let dir = tempfile::tempdir().unwrap();
    let mut people = people(3);
    people[1].group = "第二党小组";
    let xlsx = dir.path().join("台帐.xlsx");
    write_xlsx(&xlsx, &[("Sheet1", commonest(&people))]);
    let (r, _) = import_and_compare(dir.path(), &xlsx, &[], "new-group");
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains(
            "  # 第二离退休党支部（铸锻分厂）（b2）的 groups: 下\n      - id: b2-g4\n        name: 第二党小组\n"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn imported_blanks_print_blank() {
    let dir = tempfile::tempdir().unwrap();
    let people = people(3);
    let xlsx = dir.path().join("台帐.xlsx");
    write_xlsx(&xlsx, &[("Sheet1", commonest(&people))]);
    let (_, data) = import_and_compare(dir.path(), &xlsx, &[], "commonest-3");
    let out = dir.path().join("out");
    let r = run(dir.path(), &["--data", data.to_str().unwrap(), "--out", out.to_str().unwrap(), "cards"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf_text(&out.join("info-cards/b1-001.pdf"), None);
    assert!(text.contains(&people[0].name), "{text}");
    // The labels are there, with nothing after them to fill in by hand.
    let line = text.lines().find(|l| l.contains("籍") && l.contains("贯")).expect("籍贯 on the card");
    assert!(!line.contains("浙江"), "{line}");
    // Later the office finds 民族 and 籍贯: `--update` fills the blanks in place.
    let more = dir.path().join("补充.xlsx");
    let rows: Vec<Vec<String>> =
        std::iter::once(vec!["姓名".to_string(), "身份证号".into(), "民族".into(), "籍贯".into()])
            .chain(people.iter().map(|p| vec![p.name.clone(), p.id.clone(), "汉族".into(), "浙江宁波".into()]))
            .collect();
    write_xlsx(&more, &[("Sheet1", rows)]);
    let r =
        run(dir.path(), &["import", more.to_str().unwrap(), "--into", data.to_str().unwrap(), "--update", "--write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let o = office(&data);
    for p in &people {
        let m = member(&o, &p.name);
        assert!(m.to_complete.is_empty(), "{}: {:?}", p.name, m.to_complete);
        assert_eq!((m.ethnicity.value.as_str(), m.native_place.value.as_str()), ("汉族", "浙江宁波"));
    }
}
