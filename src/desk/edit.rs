//! One item added to a top-level list of a member file (`visits:`,
//! `contacts:`), written as a careful clerk would type it: at the end the
//! list grows from (newest first when the file keeps them so), in the
//! list's own indentation and the file's line endings, every other byte
//! kept. The result is read back before it is offered.

use std::path::Path;

use crate::yaml::{Node, NodeKind, parse};

/// One value of an item: a scalar as written, or a mapping of scalars
/// one level down (a departure's `destination:`, its `card:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Scalar(String),
    Map(Vec<(&'static str, String)>),
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Scalar(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Scalar(s.to_string())
    }
}

/// `text` with `item` (key and value as written) added to the list `key`.
/// Err: why it cannot be done exactly (the clerk edits the file by hand).
pub fn add_item(file: &Path, text: &str, key: &str, item: &[(&str, Value)]) -> Result<String, String> {
    let root = parse(file, text).map_err(|d| format!("读不懂这个文件（{}）", d.message))?.ok_or("文件是空的")?;
    let NodeKind::Map(entries) = &root.kind else { return Err("文件最外层不是“键: 值”的写法".into()) };
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let render = |dash: &str, fields: &str| -> String {
        let mut s = String::new();
        for (i, (k, v)) in item.iter().enumerate() {
            s.push_str(if i == 0 { dash } else { fields });
            match v {
                Value::Scalar(v) => s.push_str(&format!("{k}: {v}{eol}")),
                Value::Map(inner) => {
                    s.push_str(&format!("{k}:{eol}"));
                    for (k2, v2) in inner {
                        s.push_str(&format!("{fields}  {k2}: {v2}{eol}"));
                    }
                }
            }
        }
        s
    };
    let at_margin = entries.iter().all(|(k, _)| k.pos.column == 1) && !text[root.span.start..].starts_with('{');
    let found = entries.iter().find(|(k, _)| k.scalar() == Some(key));
    let mut out = text.to_string();
    match found {
        Some((_, v)) if matches!(&v.kind, NodeKind::Seq(items) if !items.is_empty()) => {
            let NodeKind::Seq(items) = &v.kind else { unreachable!() };
            let first = &items[0];
            let line_start = text[..first.span.start].rfind('\n').map_or(0, |i| i + 1);
            let prefix = &text[line_start..first.span.start];
            let Some(dash_at) = prefix.find('-').filter(|_| prefix.trim() == "-") else {
                return Err(format!("`{key}` 不是每项一行“- ”开头的写法，无法确定新的一项写在哪里；请手工添加"));
            };
            let dash = format!("{}- ", &prefix[..dash_at]);
            let fields = " ".repeat(prefix.chars().count());
            let newest_first = items.len() > 1 && date_of(first) > date_of(items.last().expect("not empty"));
            let at =
                if newest_first { line_start } else { after_line(text, items.last().expect("not empty").span.end) };
            let mut added = render(&dash, &fields);
            if at == text.len() && !text.ends_with('\n') {
                added.insert_str(0, eol);
            }
            out.insert_str(at, &added);
        }
        Some((k, v)) if v.is_null() || matches!(&v.kind, NodeKind::Seq(items) if items.is_empty()) => {
            // `visits:` or `visits: []`: the list begins under its key.
            let end = if v.is_null() { k.span.end } else { v.span.end };
            let line_end = text[end..].find(['\r', '\n']).map_or(text.len(), |i| end + i);
            let comment = text[end..line_end].find('#').map(|i| format!(" {}", text[end + i..line_end].trim_end()));
            let indent = " ".repeat(k.pos.column.saturating_sub(1) as usize + 2);
            let replacement = format!(
                ":{}{eol}{}",
                comment.unwrap_or_default(),
                render(&format!("{indent}- "), &format!("{indent}  "))
            );
            let after = if line_end < text.len() { after_line(text, line_end) } else { text.len() };
            out.replace_range(k.span.end..after, &replacement);
        }
        Some(_) => return Err(format!("`{key}` 不是列表的写法，无法添加；请手工修改")),
        None if at_margin => {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(eol);
            }
            out.push_str(&format!("{key}:{eol}"));
            out.push_str(&render("  - ", "    "));
        }
        None => {
            return Err(format!("要新增 `{key}:`，但这个文件是缩进或花括号的写法，无法确定加在哪里；请手工添加"));
        }
    }
    check_added(file, text, &out, key)?;
    Ok(out)
}

/// Where the line holding byte `end - 1` ends (after its line break).
fn after_line(text: &str, end: usize) -> usize {
    if end > 0 && text.as_bytes()[end - 1] == b'\n' {
        return end;
    }
    text[end..].find('\n').map_or(text.len(), |i| end + i + 1)
}

/// An item's `date:` as written (ISO dates compare as text).
fn date_of(item: &Node) -> String {
    match &item.kind {
        NodeKind::Map(fields) => fields
            .iter()
            .find(|(k, _)| k.scalar() == Some("date"))
            .and_then(|(_, v)| v.scalar())
            .unwrap_or("")
            .to_string(),
        _ => String::new(),
    }
}

/// The new text reads back with one more item in `key` and every other
/// top-level value as it was.
fn check_added(file: &Path, old: &str, new: &str, key: &str) -> Result<(), String> {
    let read = |text: &str| -> Result<Vec<(String, String)>, String> {
        let root = parse(file, text)
            .map_err(|d| format!("改完后无法解析（{}）；没有改动这个文件", d.message))?
            .ok_or("改完后文件是空的；没有改动这个文件")?;
        let NodeKind::Map(entries) = root.kind else { return Err("改完后文件最外层不是表".into()) };
        Ok(entries
            .iter()
            .map(|(k, v)| {
                let shape = match &v.kind {
                    NodeKind::Seq(items) => format!("{} 项", items.len()),
                    _ => text[v.span.clone()].to_string(),
                };
                (k.scalar().unwrap_or("").to_string(), shape)
            })
            .collect())
    };
    let (before, after) = (read(old)?, read(new)?);
    let count = |v: &[(String, String)]| {
        v.iter().find(|(k, _)| k == key).and_then(|(_, s)| s.strip_suffix(" 项")?.parse::<usize>().ok()).unwrap_or(0)
    };
    if count(&after) != count(&before) + 1 {
        return Err(format!("改完后读回来，`{key}` 不是多了一项；没有改动这个文件"));
    }
    let others = |v: &[(String, String)]| v.iter().filter(|(k, _)| k != key).cloned().collect::<Vec<_>>();
    if others(&before) != others(&after) {
        return Err("改完后读回来，别的栏目变了；没有改动这个文件".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit() -> Vec<(&'static str, Value)> {
        vec![("date", "2026-12-07".into()), ("kind", "上门".into()), ("by", "何秀珍".into())]
    }

    #[test]
    fn a_mapping_inside_the_item_is_written_one_level_down() {
        let item = vec![
            ("id", Value::from("W2026-09")),
            ("destination", Value::Map(vec![("province", "海南省".into()), ("city", "三亚市".into())])),
            ("start", "2026-12-10".into()),
        ];
        let text = "departures:\n  - id: W2026-01\n    start: 2026-10-15\n";
        assert_eq!(
            add_item(Path::new("m.yaml"), text, "departures", &item).unwrap(),
            "departures:\n  - id: W2026-01\n    start: 2026-10-15\n  - id: W2026-09\n    destination:\n      province: 海南省\n      city: 三亚市\n    start: 2026-12-10\n"
        );
    }

    fn add(text: &str) -> String {
        add_item(Path::new("m.yaml"), text, "visits", &visit()).unwrap()
    }

    #[test]
    fn an_item_goes_at_the_end_in_the_lists_own_indentation() {
        let text = "name: 张三\nvisits:\n    - date: 2026-10-24\n      kind: 电话 # 注释\nconfirmed: 2026-01-15\n";
        assert_eq!(
            add(text),
            "name: 张三\nvisits:\n    - date: 2026-10-24\n      kind: 电话 # 注释\n    - date: 2026-12-07\n      kind: 上门\n      by: 何秀珍\nconfirmed: 2026-01-15\n"
        );
    }

    #[test]
    fn newest_first_stays_newest_first_and_crlf_stays_crlf() {
        let text = "visits:\r\n  - date: 2026-11-18\r\n    kind: 电话\r\n  - date: 2026-10-25\r\n    kind: 书信\r\n";
        assert_eq!(
            add(text),
            "visits:\r\n  - date: 2026-12-07\r\n    kind: 上门\r\n    by: 何秀珍\r\n  - date: 2026-11-18\r\n    kind: 电话\r\n  - date: 2026-10-25\r\n    kind: 书信\r\n"
        );
    }

    #[test]
    fn a_list_not_there_yet_or_empty_is_begun() {
        assert_eq!(add("name: 张三"), "name: 张三\nvisits:\n  - date: 2026-12-07\n    kind: 上门\n    by: 何秀珍\n");
        assert_eq!(
            add("visits: []  # 还没有\nname: 张三\n"),
            "visits: # 还没有\n  - date: 2026-12-07\n    kind: 上门\n    by: 何秀珍\nname: 张三\n"
        );
        assert_eq!(
            add("visits:\nname: 张三\n"),
            "visits:\n  - date: 2026-12-07\n    kind: 上门\n    by: 何秀珍\nname: 张三\n"
        );
    }

    #[test]
    fn a_list_written_otherwise_is_left_to_the_clerk() {
        let e = add_item(Path::new("m.yaml"), "visits: [{date: 2026-01-01, kind: 电话}]\n", "visits", &visit());
        assert!(e.unwrap_err().contains("请手工添加"));
        let e = add_item(Path::new("m.yaml"), "visits: 无\n", "visits", &visit());
        assert!(e.unwrap_err().contains("不是列表的写法"));
    }
}
