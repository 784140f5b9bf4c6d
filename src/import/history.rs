//! Departures and visits as spreadsheet rows: the "外出记录" and "走访记录"
//! sheets `export` writes (one row per departure or visit, keyed by the
//! member's 编号) and `import` reads back into the member files, so that the
//! round trip keeps the whole history, not only each member's last state.

use std::collections::BTreeMap;

use super::member_yaml::{quoted, scalar};
use super::table::{Cell, Table};
use super::values;
use super::{Problem, Request};
use crate::diag::Severity;

pub const DEPARTURES_SHEET: &str = "外出记录";
pub const VISITS_SHEET: &str = "走访记录";
pub const CONTACTS_SHEET: &str = "联系记录";
pub const SUBSIDIES_SHEET: &str = "重病补助";
pub const STATUS_SHEET: &str = "党籍与核对";
/// Sheets `export` derives (not data): import leaves them alone.
pub const DERIVED_SHEETS: &[&str] = &["待跟进事项"];

/// How a column's cells are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Digits kept as text (phones, postcodes).
    Digits,
    Date,
    Flag,
    /// 年-月 (党费交至).
    Month,
    /// An amount or a year: written as a plain number when it is one.
    Number,
}

/// (header, path in the member file below the list item, kind).
pub type Column = (&'static str, &'static str, Kind);

pub const DEPARTURE_COLUMNS: &[Column] = &[
    ("外出编号", "id", Kind::Text),
    ("申请日期", "applied", Kind::Date),
    ("外出理由", "reason", Kind::Text),
    ("去向省", "destination.province", Kind::Text),
    ("去向市", "destination.city", Kind::Text),
    ("去向县区", "destination.county", Kind::Text),
    ("去向详细地址", "destination.address", Kind::Text),
    ("去向邮编", "destination.postcode", Kind::Digits),
    ("接收党组织", "receiving_org.name", Kind::Text),
    ("接收党组织联系人", "receiving_org.contact", Kind::Text),
    ("接收党组织电话", "receiving_org.phone", Kind::Digits),
    ("外出日期", "start", Kind::Date),
    ("预计返回日期", "planned_end", Kind::Date),
    ("地点是否固定", "fixed_location", Kind::Flag),
    ("是否临时近距离外出", "near_home", Kind::Flag),
    ("外出期间联系电话", "phone_away", Kind::Digits),
    ("联系卡号", "card.number", Kind::Text),
    ("发卡日期", "card.issued", Kind::Date),
    ("组织关系转出类型", "transfer.kind", Kind::Text),
    ("组织关系转出日期", "transfer.date", Kind::Date),
    ("备案日期", "filed", Kind::Date),
    ("返回日期", "returned", Kind::Date),
    ("交回联系卡日期", "card_returned", Kind::Date),
    ("外出情况汇报", "report", Kind::Text),
    ("党费交至", "dues_paid_to", Kind::Month),
    ("最近联系日期", "last_contact", Kind::Date),
    ("最近一次汇报日期", "last_report", Kind::Date),
    ("能否转出组织关系", "can_transfer", Kind::Flag),
    ("到达日期", "arrived", Kind::Date),
    ("联系卡交接收地党组织日期", "card_handed", Kind::Date),
    ("联系卡年审日期", "card_reviewed", Kind::Date),
];

pub const CONTACT_COLUMNS: &[Column] = &[
    ("日期", "date", Kind::Date),
    ("方式", "channel", Kind::Text),
    ("联系人", "by", Kind::Text),
    ("情况", "summary", Kind::Text),
];

pub const SUBSIDY_COLUMNS: &[Column] = &[
    ("申请日期", "applied", Kind::Date),
    ("审批结果", "decision", Kind::Text),
    ("审批日期", "decided", Kind::Date),
    ("补助金额（元）", "amount", Kind::Number),
    ("说明", "notes", Kind::Text),
];

/// The 党籍与核对 sheet after 编号 and 姓名: a member's `status:` and `confirmed:`.
pub const STATUS_COLUMNS: &[Column] = &[
    ("党籍状态", "status.kind", Kind::Text),
    ("状态日期", "status.date", Kind::Date),
    ("失联日期", "status.lost_since", Kind::Date),
    ("转往党组织", "status.to", Kind::Text),
    ("原因", "status.reason", Kind::Text),
    ("决定文号", "status.document", Kind::Text),
    ("信息核对日期", "confirmed", Kind::Date),
];

pub const VISIT_COLUMNS: &[Column] = &[
    ("日期", "date", Kind::Date),
    ("方式", "kind", Kind::Text),
    ("走访人", "by", Kind::Text),
    ("有何困难", "difficulties", Kind::Text),
    ("有何建议", "suggestions", Kind::Text),
    ("来年打算", "plans", Kind::Text),
    ("后续跟进", "follow_up", Kind::Text),
];

/// The member's 编号 and name come first on both sheets.
pub const KEY_HEADERS: [&str; 2] = ["编号", "姓名"];

/// One sheet's items per member id, as YAML list items (two-space indented
/// under `key:`), and problems as (row, column header, message).
pub struct Items {
    pub by_member: BTreeMap<String, Vec<(u32, String)>>,
    pub problems: Vec<(u32, String, String)>,
}

fn read_value(cell: &Cell, kind: Kind) -> Result<String, String> {
    let r = match kind {
        Kind::Text | Kind::Number => Ok((cell.text(), None)),
        Kind::Digits => values::phone(cell),
        Kind::Date => values::date(cell),
        Kind::Flag => values::yes_no(cell),
        Kind::Month => match cell {
            Cell::Date(d) => Ok((d.format("%Y-%m").to_string(), None)),
            _ => Ok((cell.text(), None)),
        },
    };
    r.map(|(v, _)| v)
}

fn yaml_value(v: &str, kind: Kind) -> String {
    match kind {
        Kind::Digits | Kind::Month => quoted(v),
        Kind::Date | Kind::Flag => v.to_string(),
        Kind::Text => scalar(v),
        Kind::Number => number(v),
    }
}

/// A number as a plain YAML number; anything else quoted (and then refused by the check).
pub fn number(v: &str) -> String {
    let plain = v.replace(',', "");
    if plain.parse::<f64>().is_ok_and(f64::is_finite) { plain } else { scalar(v) }
}

/// Read a history sheet (header in its first row) into list items.
pub fn read(table: &Table, columns: &[Column]) -> Items {
    let mut items = Items { by_member: BTreeMap::new(), problems: Vec::new() };
    let Some(header) = table.rows.first() else { return items };
    let col_of = |h: &str| header.iter().position(|c| c.text() == h);
    let Some(id_col) = col_of(KEY_HEADERS[0]) else {
        items.problems.push((table.first_row, String::new(), "缺少“编号”栏，无法对应到党员".into()));
        return items;
    };
    let cols: Vec<(usize, &Column)> = columns.iter().filter_map(|c| col_of(c.0).map(|i| (i, c))).collect();
    for (i, cells) in table.rows.iter().enumerate().skip(1) {
        let row = table.first_row + i as u32;
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        let member = cells.get(id_col).map(Cell::text).unwrap_or_default();
        // path → value, grouped by the part before the dot.
        let mut top: Vec<(String, String)> = Vec::new();
        let mut nested: BTreeMap<&str, Vec<(&str, String)>> = BTreeMap::new();
        let mut order: Vec<&str> = Vec::new();
        for (c, (header, path, kind)) in &cols {
            let Some(cell) = cells.get(*c).filter(|c| !c.is_empty()) else { continue };
            match read_value(cell, *kind) {
                Ok(v) => {
                    let v = yaml_value(&v, *kind);
                    match path.split_once('.') {
                        Some((outer, inner)) => {
                            if !order.contains(&outer) {
                                order.push(outer);
                            }
                            nested.entry(outer).or_default().push((inner, v));
                        }
                        None => {
                            order.push(path);
                            top.push((path.to_string(), v));
                        }
                    }
                }
                Err(e) => items.problems.push((row, header.to_string(), e)),
            }
        }
        let mut text = String::new();
        for key in order {
            let prefix = if text.is_empty() { "  - " } else { "    " };
            match nested.get(key) {
                Some(inner) => {
                    text.push_str(&format!("{prefix}{key}:\n"));
                    for (k, v) in inner {
                        text.push_str(&format!("      {k}: {v}\n"));
                    }
                }
                None => {
                    let v = &top.iter().find(|(p, _)| p == key).expect("recorded").1;
                    text.push_str(&format!("{prefix}{key}: {v}\n"));
                }
            }
        }
        if !text.is_empty() {
            items.by_member.entry(member).or_default().push((row, text));
        }
    }
    items
}

/// Items by member id: (row, YAML text).
pub(super) type History = BTreeMap<String, Vec<(u32, String)>>;

/// What the workbook's other sheets hold, by member id.
pub(super) struct Histories {
    /// (key in the member file, sheet, list items under the key).
    pub lists: Vec<(&'static str, &'static str, History)>,
    /// (sheet, whole blocks with their keys: `dues:`, `status:` and `confirmed:`).
    pub blocks: Vec<(&'static str, History)>,
}

/// The history sheets of the workbook, if it has them (an export made by
/// tuiguan does); problems go to the list.
pub(super) fn read_history(
    req: &Request,
    table: &Table,
    report: &mut Vec<String>,
    problems: &mut Vec<Problem>,
) -> Histories {
    let mut out = Histories { lists: Vec::new(), blocks: Vec::new() };
    let sheet = |name: &str, problems: &mut Vec<Problem>| -> Option<Table> {
        if !table.other_sheets.iter().any(|n| n == name) {
            return None;
        }
        match super::table::read(req.file, Some(name)) {
            Ok(t) => Some(t),
            Err(e) => {
                problems.push(Problem {
                    place: Some(name.into()),
                    row: 0,
                    col: None,
                    severity: Severity::Error,
                    text: e,
                });
                None
            }
        }
    };
    let problem = |problems: &mut Vec<Problem>, name: &str, row: u32, header: String, text: String| {
        let place = if header.is_empty() {
            format!("{name}!第 {row} 行")
        } else {
            format!("{name}!第 {row} 行“{header}”")
        };
        problems.push(Problem { place: Some(place), row, col: None, severity: Severity::Error, text });
    };
    for (key, name, columns) in LIST_SHEETS {
        let Some(sheet) = sheet(name, problems) else { continue };
        let items = read(&sheet, columns);
        for (row, header, text) in items.problems {
            problem(problems, name, row, header, text);
        }
        let n: usize = items.by_member.values().map(Vec::len).sum();
        report.push(format!("工作表“{name}”：{n} 条，随各党员一并导入（按编号对应）。"));
        out.lists.push((key, name, items.by_member));
    }
    if let Some(t) = sheet(STATUS_SHEET, problems) {
        let items = read(&t, STATUS_COLUMNS);
        for (row, header, text) in items.problems {
            problem(problems, STATUS_SHEET, row, header, text);
        }
        // A row read as a list item ("  - status:…") is a block at the top level.
        let blocks: History = items
            .by_member
            .into_iter()
            .map(|(id, rows)| {
                let rows = rows.into_iter().map(|(row, item)| (row, unlist(&item))).collect();
                (id, rows)
            })
            .collect();
        report.push(format!("工作表“{STATUS_SHEET}”：{} 人，随各党员一并导入（按编号对应）。", blocks.len()));
        out.blocks.push((STATUS_SHEET, blocks));
    }
    let payments = sheet(super::dues_sheets::PAYMENTS_SHEET, problems);
    let settings = sheet(super::dues_sheets::SETTINGS_SHEET, problems);
    if payments.is_some() || settings.is_some() {
        let (blocks, found) = super::dues_sheets::read_dues(payments.as_ref(), settings.as_ref());
        for (name, row, header, text) in found {
            problem(problems, name, row, header, text);
        }
        report.push(format!("党费交纳和核定：{} 人的记录，随各党员一并导入（按编号对应）。", blocks.len()));
        out.blocks.push(("党费记录", blocks));
    }
    out
}

/// The sheets whose rows are list items of a member file key.
pub const LIST_SHEETS: [(&str, &str, &[Column]); 4] = [
    ("departures", DEPARTURES_SHEET, DEPARTURE_COLUMNS),
    ("visits", VISITS_SHEET, VISIT_COLUMNS),
    ("contacts", CONTACTS_SHEET, CONTACT_COLUMNS),
    ("subsidies", SUBSIDIES_SHEET, SUBSIDY_COLUMNS),
];

/// "  - status:\n      kind: 去世\n    confirmed: …" → the same keys at the top level.
fn unlist(item: &str) -> String {
    item.lines()
        .map(|l| {
            let l = l.strip_prefix("  - ").or_else(|| l.strip_prefix("    ")).unwrap_or(l);
            format!("{l}\n")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_list_items_with_nested_maps() {
        let t = |s: &str| Cell::Text(s.into());
        let table = Table {
            sheet: DEPARTURES_SHEET.into(),
            first_row: 1,
            rows: vec![
                vec![
                    t("编号"),
                    t("姓名"),
                    t("外出编号"),
                    t("去向省"),
                    t("去向市"),
                    t("外出日期"),
                    t("地点是否固定"),
                    t("党费交至"),
                ],
                vec![
                    t("b1-007"),
                    t("孙昇"),
                    t("W2026-01"),
                    t("广东省"),
                    t("深圳市"),
                    t("2026/10/15"),
                    t("是"),
                    t("2026-10"),
                ],
                vec![
                    t("b1-007"),
                    t("孙昇"),
                    t("W2026-02"),
                    Cell::Empty,
                    Cell::Empty,
                    t("不详"),
                    Cell::Empty,
                    Cell::Empty,
                ],
            ],
            encoding: None,
            other_sheets: Vec::new(),
            hidden_sheets: Vec::new(),
            hidden_rows: Vec::new(),
            bad_cells: Vec::new(),
        };
        let items = read(&table, DEPARTURE_COLUMNS);
        let first = &items.by_member["b1-007"][0].1;
        assert_eq!(
            first,
            "  - id: W2026-01\n    destination:\n      province: 广东省\n      city: 深圳市\n    start: 2026-10-15\n    fixed_location: true\n    dues_paid_to: \"2026-10\"\n"
        );
        assert_eq!(items.problems.len(), 1);
        assert_eq!(items.problems[0].0, 3);
        assert_eq!(items.problems[0].1, "外出日期");
    }
}
