//! Rows of the event sheets (外出记录, 走访记录, 联系记录, 重病补助, 党籍与核对,
//! 党费交纳) for members already in the data. Each row is recognised in the
//! member's file — by its 外出编号, else by being the same item, else by its
//! key (a visit's or contact's date and who; a subsidy's application date; a
//! payment's months) — and then left alone, or its changed cells set in
//! that item; a row found nowhere is added as a new item (a departure
//! without a number gets the next W-number). A blank cell never removes
//! anything. Written, with `--update`, through the desk's exact editors.

use std::collections::HashSet;
use std::path::Path;

use super::Problem;
use super::history::{Column, Histories, LIST_SHEETS, STATUS_COLUMNS};
use super::outcome::Outcome;
use crate::desk::edit::{Set, Value, add_item_at, set_key};
use crate::desk::item_fields::{Flat, flatten, items, set_fields};
use crate::diag::Severity;
use crate::office::Office;
use crate::yaml::{Node, NodeKind, parse};

/// What the event rows of members already in the data come to.
#[derive(Default)]
pub(super) struct Events {
    /// Rows found in the files as they are.
    pub same: usize,
    /// "外出记录第 5 行（孙昇）：新增 W2026-11" and the like.
    pub lines: Vec<String>,
}

/// The key a row without an id is recognised by, per list.
fn key_of(list: &str) -> &'static [&'static str] {
    match list {
        "visits" | "contacts" => &["date", "by"],
        "subsidies" => &["applied"],
        "departures" => &["start"],
        "dues.payments" => &["months"],
        _ => &[],
    }
}

/// Two values as read: the same text, or the same number (233.4 = 233.40).
fn same_value(a: &str, b: &str) -> bool {
    a == b || matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if x == y)
}

/// A row's fields: (path, value as read, value as written).
type Row = Vec<(String, String, String)>;

/// The row's item (`  - key: value…`, as the history sheets are read).
fn row_fields(item: &str) -> Option<Row> {
    let root = parse(Path::new("-"), item).ok()??;
    match &root.kind {
        NodeKind::Seq(items) => Some(fields_of(items.first()?, item)),
        _ => Some(fields_of(&root, item)),
    }
}

/// A node's fields, read and as written in `text`.
fn fields_of(node: &Node, text: &str) -> Row {
    let mut read = Flat::new();
    flatten(node, "", &mut read);
    let mut written = Vec::new();
    written_scalars(node, text, "", &mut written);
    written.into_iter().map(|(p, w)| (p.clone(), read.get(&p).cloned().unwrap_or_default(), w)).collect()
}

fn written_scalars(node: &Node, text: &str, prefix: &str, out: &mut Vec<(String, String)>) {
    match &node.kind {
        NodeKind::Map(entries) => {
            for (k, v) in entries {
                let k = k.scalar().unwrap_or("");
                let path = if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
                written_scalars(v, text, &path, out);
            }
        }
        NodeKind::Scalar { .. } if !node.is_null() => {
            out.push((prefix.to_string(), text[node.span.clone()].to_string()))
        }
        _ => {}
    }
}

/// Which item of `existing` the row is: by id, else the same, else by key.
fn find(row: &Row, existing: &[Flat], list: &str) -> Option<usize> {
    let get = |p: &str| row.iter().find(|(k, _, _)| k == p).map(|(_, v, _)| v.as_str());
    if let Some(id) = get("id") {
        return existing.iter().position(|i| i.get("id").map(String::as_str) == Some(id));
    }
    let same = |i: &Flat| row.iter().all(|(p, v, _)| i.get(p).is_some_and(|x| same_value(x, v)));
    if let Some(at) = existing.iter().position(same) {
        return Some(at);
    }
    let key = key_of(list);
    let by_key: Vec<usize> = existing
        .iter()
        .enumerate()
        .filter(|(_, i)| key.iter().all(|k| get(k).is_some_and(|v| i.get(*k).is_some_and(|x| same_value(x, v)))))
        .map(|(n, _)| n)
        .collect();
    match by_key.as_slice() {
        [one] if !key.is_empty() && key.iter().all(|k| get(k).is_some()) => Some(*one),
        _ => None,
    }
}

/// The header of `path` on the sheet, for the report.
fn header(columns: &[Column], path: &str) -> String {
    columns.iter().find(|c| c.1 == path).map_or_else(|| path.to_string(), |c| c.0.to_string())
}

/// An item to add, from the row's written values (`outer.inner` grouped).
fn item_of(row: &Row, columns: &[Column]) -> Vec<(&'static str, Value)> {
    let mut item: Vec<(&'static str, Value)> = Vec::new();
    for (path, read, written) in row {
        let Some(col) = columns.iter().find(|c| c.1 == path) else { continue };
        // Months as the files write them (`2026-01..2026-06`, unquoted).
        let written = if col.1 == "months" && crate::office::parse_months(read).is_some() { read } else { written };
        match col.1.split_once('.') {
            None => item.push((col.1, Value::Scalar(written.clone()))),
            Some((outer, inner)) => match item.iter_mut().find(|(k, _)| *k == outer) {
                Some((_, Value::Map(m))) => m.push((inner, written.clone())),
                _ => item.push((outer, Value::Map(vec![(inner, written.clone())]))),
            },
        }
    }
    item
}

/// One member's rows of one list: their file's text with each applied.
#[allow(clippy::too_many_arguments)]
fn apply_list(
    file: &Path,
    mut text: String,
    list: &[&str],
    columns: &'static [Column],
    sheet: &str,
    name: &str,
    rows: &[(u32, Option<Row>)],
    departure_ids: &mut HashSet<String>,
    year: i32,
    events: &mut Events,
) -> Result<String, (u32, String)> {
    let list_name = list.join(".");
    for (row, fields) in rows {
        let Some(fields) = fields else { return Err((*row, "读不出这一行".into())) };
        let existing = items(file, &text, list).map_err(|e| (*row, e))?;
        match find(fields, &existing, &list_name) {
            Some(at) => {
                let changed: Vec<&(String, String, String)> =
                    fields.iter().filter(|(p, v, _)| !existing[at].get(p).is_some_and(|x| same_value(x, v))).collect();
                if changed.is_empty() {
                    events.same += 1;
                    continue;
                }
                let set: Vec<(&str, String)> = changed.iter().map(|(p, _, w)| (p.as_str(), w.clone())).collect();
                text = set_fields(file, &text, list, at, &set).map_err(|e| (*row, e))?;
                let words: Vec<String> = changed
                    .iter()
                    .map(|(p, v, _)| {
                        let was = existing[at].get(p).filter(|x| !x.is_empty()).map_or("（空）", String::as_str);
                        format!("{}：{was} → {v}", header(columns, p))
                    })
                    .collect();
                events.lines.push(format!("{sheet}第 {row} 行（{name}）：改动 {}", words.join("；")));
            }
            None => {
                let mut new = item_of(fields, columns);
                let mut what = String::from("新增");
                if list_name == "departures" && !new.iter().any(|(k, _)| *k == "id") {
                    let start =
                        fields.iter().find(|(p, _, _)| p == "start").and_then(|(_, v, _)| crate::yaml::parse_date(v));
                    let id = super::away::next_departure_id(
                        start.map_or(year, |d| chrono::Datelike::year(&d)),
                        departure_ids,
                    );
                    what = format!("新增（外出编号 {id}）");
                    new.insert(0, ("id", Value::Scalar(id)));
                }
                text = add_item_at(file, &text, list, &new).map_err(|e| (*row, e))?;
                events.lines.push(format!("{sheet}第 {row} 行（{name}）：{what}"));
            }
        }
    }
    Ok(text)
}

/// The 党籍与核对 row: `status:` and `confirmed:` set where they differ.
fn apply_status(
    file: &Path,
    mut text: String,
    row: u32,
    block: &str,
    name: &str,
    events: &mut Events,
) -> Result<String, (u32, String)> {
    let Some(fields) = row_fields(block) else { return Err((row, "读不出这一行".into())) };
    let mut now = Flat::new();
    if let Ok(Some(root)) = parse(file, &text) {
        flatten(&root, "", &mut now);
    }
    let differs = |p: &str, v: &str| !now.get(p).is_some_and(|x| same_value(x, v));
    let mut words = Vec::new();
    if let Some((_, v, w)) = fields.iter().find(|(p, _, _)| p == "confirmed")
        && differs("confirmed", v)
    {
        text = set_key(file, &text, "confirmed", Set::Scalar(w.clone())).map_err(|e| (row, e))?;
        words.push(format!("信息核对日期 → {v}"));
    }
    let status: Vec<&(String, String, String)> = fields.iter().filter(|(p, _, _)| p.starts_with("status.")).collect();
    if status.iter().any(|(p, v, _)| differs(p, v)) {
        let map: Vec<(&str, String)> = status.iter().map(|(p, _, w)| (&p["status.".len()..], w.clone())).collect();
        text = set_key(file, &text, "status", Set::Map(&map)).map_err(|e| (row, e))?;
        let said: Vec<String> = status.iter().map(|(p, v, _)| format!("{}：{v}", header(STATUS_COLUMNS, p))).collect();
        words.push(format!("党籍 → {}", said.join("，")));
    }
    if words.is_empty() {
        events.same += 1;
    } else {
        events.lines.push(format!("{}第 {row} 行（{name}）：改动 {}", super::history::STATUS_SHEET, words.join("；")));
    }
    Ok(text)
}

/// The 党费 block (`dues:` with its payments): each payment recognised by
/// its months, added or changed; the rest of `dues:` (category, bases,
/// reductions) compared, and a difference told, not written.
fn apply_dues(
    file: &Path,
    text: String,
    row: u32,
    block: &str,
    name: &str,
    events: &mut Events,
    problems: &mut Vec<Problem>,
) -> Result<String, (u32, String)> {
    let Ok(Some(root)) = parse(Path::new("-"), block) else { return Err((row, "读不出党费记录".into())) };
    let Some(dues) = (match &root.kind {
        NodeKind::Map(e) => e.iter().find(|(k, _)| k.scalar() == Some("dues")).map(|(_, v)| v),
        _ => None,
    }) else {
        return Ok(text);
    };
    let NodeKind::Map(parts) = &dues.kind else { return Ok(text) };
    let mut now = Flat::new();
    if let Ok(Some(r)) = parse(file, &text) {
        flatten(&r, "", &mut now);
    }
    let mut payments: Vec<(u32, Option<Row>)> = Vec::new();
    for (k, v) in parts {
        if k.scalar() == Some("payments") {
            if let NodeKind::Seq(items) = &v.kind {
                payments.extend(items.iter().map(|i| (row, Some(fields_of(i, block)))));
            }
            continue;
        }
        let mut flat = Flat::new();
        flatten(v, &format!("dues.{}", k.scalar().unwrap_or("")), &mut flat);
        if flat.iter().any(|(p, x)| !now.get(p).is_some_and(|y| same_value(x, y))) {
            problems.push(Problem {
                place: Some("党费核定".into()),
                row: 0,
                col: None,
                severity: Severity::Warning,
                text: format!(
                    "{name} 的党费核定（类别、基数或减免）与成员文件不同，没有导入；请在成员文件的 dues: 里修改"
                ),
            });
        }
    }
    let mut ids = HashSet::new();
    apply_list(
        file,
        text,
        &["dues", "payments"],
        super::dues_sheets::PAYMENT_COLUMNS,
        super::dues_sheets::PAYMENTS_SHEET,
        name,
        &payments,
        &mut ids,
        0,
        events,
    )
}

/// A member file as this import has it so far (with the changes of the
/// sheets before), and as it was read; Err when it cannot be read.
fn text_so_far(file: &Path, outcome: Option<&Outcome>) -> Result<(String, String), Problem> {
    match outcome {
        Some(Outcome::Existing { text, original, .. }) => {
            Ok((text.clone().unwrap_or_else(|| original.clone()), original.clone()))
        }
        _ => std::fs::read_to_string(file).map(|t| (t.clone(), t)).map_err(|e| Problem {
            place: None,
            row: 0,
            col: None,
            severity: Severity::Error,
            text: format!("无法读取成员文件 {}：{e}", file.display()),
        }),
    }
}

/// The event rows of members already in the data, applied to their files
/// (the text of their outcome; with `update`, to be written). Rows of ids
/// that are no member stay in `history` for the caller to report.
#[allow(clippy::too_many_arguments)]
pub(super) fn apply(
    office: &Office,
    history: &mut Histories,
    outcomes: &mut Vec<(u32, Outcome)>,
    update: bool,
    departure_ids: &mut HashSet<String>,
    year: i32,
    problems: &mut Vec<Problem>,
) -> Events {
    let mut events = Events::default();
    for m in &office.members {
        let id = m.id.value.as_str();
        let has_rows = history.lists.iter().any(|(_, _, h)| h.contains_key(id))
            || history.blocks.iter().any(|(_, h)| h.contains_key(id));
        if !has_rows {
            continue;
        }
        let at = outcomes.iter().position(|(_, o)| matches!(o, Outcome::Existing { member_id, .. } if member_id == id));
        let (before, original) = match text_so_far(&m.file, at.map(|i| &outcomes[i].1)) {
            Ok(texts) => texts,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let name = m.name.value.as_str();
        let mut text = before.clone();
        let mut failures: Vec<(&str, (u32, String))> = Vec::new();
        for ((key, sheet, by_member), (_, _, columns)) in history.lists.iter_mut().zip(LIST_SHEETS) {
            let Some(rows) = by_member.remove(id) else { continue };
            let rows: Vec<(u32, Option<Row>)> = rows.iter().map(|(r, item)| (*r, row_fields(item))).collect();
            match apply_list(
                &m.file,
                text.clone(),
                &[key],
                columns,
                sheet,
                name,
                &rows,
                departure_ids,
                year,
                &mut events,
            ) {
                Ok(t) => text = t,
                Err(e) => failures.push((sheet, e)),
            }
        }
        for (sheet, by_member) in history.blocks.iter_mut() {
            let Some(rows) = by_member.remove(id) else { continue };
            for (row, block) in rows {
                let done = if *sheet == super::history::STATUS_SHEET {
                    apply_status(&m.file, text.clone(), row, &block, name, &mut events)
                } else {
                    apply_dues(&m.file, text.clone(), row, &block, name, &mut events, problems)
                };
                match done {
                    Ok(t) => text = t,
                    Err(e) => failures.push((sheet, e)),
                }
            }
        }
        for (sheet, (row, e)) in failures {
            problems.push(Problem {
                place: Some(format!("{sheet}!第 {row} 行")),
                row,
                col: None,
                severity: Severity::Error,
                text: format!("{name} 的成员文件 {} 无法精确修改：{e}", m.file.display()),
            });
        }
        if text == before || !update {
            continue;
        }
        match at {
            Some(i) => {
                if let Outcome::Existing { text: t, .. } = &mut outcomes[i].1 {
                    *t = Some(text);
                }
            }
            None => outcomes.push((
                0,
                Outcome::Existing {
                    member_id: id.to_string(),
                    name: name.to_string(),
                    path: m.file.clone(),
                    changes: Vec::new(),
                    text: Some(text),
                    original,
                },
            )),
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(pairs: &[(&str, &str)]) -> Flat {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_row_is_found_by_id_else_as_it_is_else_by_its_key() {
        let existing = vec![
            flat(&[("date", "2026-10-24"), ("by", "何秀珍"), ("plans", "整理回忆录")]),
            flat(&[("date", "2026-11-04"), ("by", "何秀珍"), ("plans", "无")]),
        ];
        let row = |s: &str| row_fields(s).unwrap();
        // The same item, an amount written otherwise included.
        assert_eq!(find(&row("  - date: 2026-11-04\n    by: 何秀珍\n    plans: 无\n"), &existing, "visits"), Some(1));
        // Changed, found by date and who.
        assert_eq!(find(&row("  - date: 2026-10-24\n    by: 何秀珍\n    plans: 出书\n"), &existing, "visits"), Some(0));
        // New.
        assert_eq!(find(&row("  - date: 2026-10-24\n    by: 钱立群\n"), &existing, "visits"), None);
        // By id, whatever else differs.
        let away = vec![flat(&[("id", "W2026-01"), ("start", "2026-10-15")])];
        assert_eq!(find(&row("  - id: W2026-01\n    start: 2026-10-16\n"), &away, "departures"), Some(0));
        assert_eq!(find(&row("  - id: W2026-02\n    start: 2026-10-15\n"), &away, "departures"), None);
        assert!(same_value("233.4", "233.40") && !same_value("233.4", "233.41"));
    }
}
