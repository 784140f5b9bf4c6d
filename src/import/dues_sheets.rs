//! 党费 as spreadsheet rows: the "党费交纳" sheet (one row per payment) and
//! the "党费核定" sheet (a member's fixed-amount category, each year's base
//! and each reduction), which `export` writes and `import` reads back into
//! each new member's `dues:` block, so that the round trip loses nothing.

use std::collections::BTreeMap;

use super::history::{Column, History, Kind, number, read};
use super::member_yaml::scalar;
use super::table::{Cell, Table};
use super::values;

pub const PAYMENTS_SHEET: &str = "党费交纳";
pub const SETTINGS_SHEET: &str = "党费核定";

pub const PAYMENT_COLUMNS: &[Column] = &[
    ("所交月份", "months", Kind::Text),
    ("金额（元）", "amount", Kind::Number),
    ("交纳日期", "paid", Kind::Date),
    ("交纳方式", "how", Kind::Text),
    ("代交人", "by", Kind::Text),
    ("交纳地党组织", "at", Kind::Text),
    ("说明", "note", Kind::Text),
];

/// The 党费核定 sheet after 编号 and 姓名. A row gives the category, a
/// year's base, or a year's reduction.
pub const SETTING_HEADERS: [&str; 8] = [
    "年度",
    "党费类别",
    "基数（元）",
    "减免后每月交纳额（元）",
    "支部决定日期",
    "上级党委批准日期",
    "批准文号",
    "减免理由",
];

/// Each member's `dues:` block (with its key) from the two sheets, keyed by
/// 编号, at the first row it came from; problems as (sheet, row, header, message).
pub fn read_dues(
    payments: Option<&Table>,
    settings: Option<&Table>,
) -> (History, Vec<(&'static str, u32, String, String)>) {
    let mut problems = Vec::new();
    // Per member: (first row, category, bases, reductions, payments), each list as YAML items.
    #[derive(Default)]
    struct Block {
        row: u32,
        category: Option<String>,
        bases: String,
        reductions: String,
        payments: String,
    }
    let mut blocks: BTreeMap<String, Block> = BTreeMap::new();
    fn block<'b>(blocks: &'b mut BTreeMap<String, Block>, id: &str, row: u32) -> &'b mut Block {
        let b = blocks.entry(id.to_string()).or_insert_with(|| Block { row, ..Block::default() });
        b.row = b.row.min(row);
        b
    }
    if let Some(t) = payments {
        let items = read(t, PAYMENT_COLUMNS);
        problems.extend(items.problems.into_iter().map(|(r, h, e)| (PAYMENTS_SHEET, r, h, e)));
        for (id, list) in items.by_member {
            for (row, item) in list {
                block(&mut blocks, &id, row).payments.push_str(&indent(&item));
            }
        }
    }
    if let Some(t) = settings
        && let Some(header) = t.rows.first()
    {
        let col = |h: &str| header.iter().position(|c| c.text() == h);
        let id_col = col(super::history::KEY_HEADERS[0]);
        let cols: Vec<Option<usize>> = SETTING_HEADERS.iter().map(|h| col(h)).collect();
        for (i, cells) in t.rows.iter().enumerate().skip(1) {
            let row = t.first_row + i as u32;
            let get = |k: usize| cols[k].and_then(|c| cells.get(c)).filter(|c| !c.is_empty());
            let Some(id) = id_col.and_then(|c| cells.get(c)).map(Cell::text).filter(|s| !s.is_empty()) else {
                continue;
            };
            let text = |k: usize| get(k).map(|c| scalar(&c.text()));
            let num = |k: usize| get(k).map(|c| number(&c.text()));
            let mut date = |k: usize| {
                get(k).and_then(|c| match values::date(c) {
                    Ok((d, _)) => Some(d),
                    Err(e) => {
                        problems.push((SETTINGS_SHEET, row, SETTING_HEADERS[k].to_string(), e));
                        None
                    }
                })
            };
            let (decided, approved) = (date(4), date(5));
            let b = block(&mut blocks, &id, row);
            if let Some(c) = text(1) {
                b.category = Some(c);
            }
            let year = num(0);
            if let (Some(y), Some(base)) = (&year, num(2)) {
                b.bases.push_str(&format!("    - year: {y}\n      base: {base}\n"));
            }
            if let (Some(y), Some(monthly)) = (&year, num(3)) {
                let mut item = format!("    - year: {y}\n      monthly: {monthly}\n");
                for (key, v) in [("decided", decided), ("approved", approved)] {
                    if let Some(v) = v {
                        item.push_str(&format!("      {key}: {v}\n"));
                    }
                }
                for (key, k) in [("document", 6), ("reason", 7)] {
                    if let Some(v) = text(k) {
                        item.push_str(&format!("      {key}: {v}\n"));
                    }
                }
                b.reductions.push_str(&item);
            }
        }
    }
    let out = blocks
        .into_iter()
        .map(|(id, b)| {
            let mut s = String::from("dues:\n");
            if let Some(c) = b.category {
                s.push_str(&format!("  category: {c}\n"));
            }
            for (key, items) in [("bases", b.bases), ("reductions", b.reductions), ("payments", b.payments)] {
                if !items.is_empty() {
                    s.push_str(&format!("  {key}:\n{items}"));
                }
            }
            (id, vec![(b.row, s)])
        })
        .collect();
    (out, problems)
}

/// A list item of a top-level list, moved one level in.
fn indent(item: &str) -> String {
    item.lines().map(|l| format!("  {l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: Vec<Vec<&str>>) -> Table {
        Table {
            sheet: String::new(),
            first_row: 1,
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(|c| if c.is_empty() { Cell::Empty } else { Cell::Text(c.into()) }).collect())
                .collect(),
            encoding: None,
            other_sheets: Vec::new(),
            hidden_sheets: Vec::new(),
            hidden_rows: Vec::new(),
            bad_cells: Vec::new(),
        }
    }

    #[test]
    fn both_sheets_make_one_dues_block() {
        let payments = table(vec![
            vec!["编号", "姓名", "所交月份", "金额（元）", "交纳日期", "交纳方式", "交纳地党组织"],
            vec!["b1-007", "孙昇", "2026-01..2026-06", "149.40", "2026-01-10", "", ""],
            vec!["b1-007", "孙昇", "2026-11", "24.90", "2026/11/20", "异地交纳", "海岸社区委员会"],
        ]);
        let mut header = vec!["编号", "姓名"];
        header.extend(SETTING_HEADERS);
        let settings = table(vec![
            header,
            vec!["b1-007", "孙昇", "2026", "", "4980", "", "", "", "", ""],
            vec!["b1-013", "肖宝根", "2026", "", "", "0", "2026-01-06", "2026-01-15", "离退休工委〔2026〕3号", "重病"],
            vec!["b2-005", "李", "", "低保", "", "", "", "", "", ""],
        ]);
        let (blocks, problems) = read_dues(Some(&payments), Some(&settings));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            blocks["b1-007"][0].1,
            "dues:\n  bases:\n    - year: 2026\n      base: 4980\n  payments:\n    - months: \"2026-01..2026-06\"\n      amount: 149.40\n      paid: 2026-01-10\n    - months: \"2026-11\"\n      amount: 24.90\n      paid: 2026-11-20\n      how: 异地交纳\n      at: 海岸社区委员会\n"
        );
        assert_eq!(
            blocks["b1-013"][0].1,
            "dues:\n  reductions:\n    - year: 2026\n      monthly: 0\n      decided: 2026-01-06\n      approved: 2026-01-15\n      document: 离退休工委〔2026〕3号\n      reason: 重病\n"
        );
        assert_eq!(blocks["b2-005"][0].1, "dues:\n  category: 低保\n");
    }
}
