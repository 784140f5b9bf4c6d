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

/// Renders an item: the first line's lead (`  - `) and the other lines'.
type Render<'r> = &'r dyn Fn(&str, &str) -> String;

fn renderer<'i>(item: &'i [(&str, Value)], eol: &'static str) -> impl Fn(&str, &str) -> String + 'i {
    move |dash: &str, fields: &str| {
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
    }
}

/// Into `out` (a copy of `text`): the item rendered into the list that is
/// `v`, the value of key `k` — after its last item (before its first when
/// the list keeps the newest first), or begun under the key when empty.
fn into_list(text: &str, out: &mut String, k: &Node, v: &Node, render: Render, eol: &str) -> Result<(), String> {
    let key = k.scalar().unwrap_or("");
    match &v.kind {
        NodeKind::Seq(items) if !items.is_empty() => {
            let first = &items[0];
            let line_start = text[..first.span.start].rfind('\n').map_or(0, |i| i + 1);
            let prefix = &text[line_start..first.span.start];
            let Some(dash_at) = prefix.find('-').filter(|_| prefix.trim() == "-") else {
                return Err(format!("`{key}` 不是每项一行“- ”开头的写法，无法确定新的一项写在哪里；请手工添加"));
            };
            let dash = format!("{}- ", &prefix[..dash_at]);
            let fields = " ".repeat(prefix.chars().count());
            let newest_first = items.len() > 1 && date_of(first) > date_of(items.last().expect("not empty"));
            let at = if newest_first { line_start } else { after_line(text, end_of(items.last().expect("not empty"))) };
            let mut added = render(&dash, &fields);
            if at == text.len() && !text.ends_with('\n') {
                added.insert_str(0, eol);
            }
            out.insert_str(at, &added);
            Ok(())
        }
        _ if v.is_null() || matches!(&v.kind, NodeKind::Seq(_)) => {
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
            Ok(())
        }
        _ => Err(format!("`{key}` 不是列表的写法，无法添加；请手工修改")),
    }
}

/// `text` with `item` (key and value as written) added to the list `key`.
/// Err: why it cannot be done exactly (the clerk edits the file by hand).
pub fn add_item(file: &Path, text: &str, key: &str, item: &[(&str, Value)]) -> Result<String, String> {
    add_item_at(file, text, &[key], item)
}

/// [`add_item`] for a list at `path`: a top-level key (`["visits"]`) or a
/// key of a top-level mapping (`["dues", "payments"]`).
pub fn add_item_at(file: &Path, text: &str, path: &[&str], item: &[(&str, Value)]) -> Result<String, String> {
    let root = parse(file, text).map_err(|d| format!("读不懂这个文件（{}）", d.message))?.ok_or("文件是空的")?;
    let NodeKind::Map(entries) = &root.kind else { return Err("文件最外层不是“键: 值”的写法".into()) };
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let render = renderer(item, eol);
    let at_margin = entries.iter().all(|(k, _)| k.pos.column == 1) && !text[root.span.start..].starts_with('{');
    let top = path[0];
    let mut out = text.to_string();
    // A key (and a list) not there yet: written at the end, or under its parent.
    let begun = |indent: usize, keys: &[&str]| -> String {
        let mut s = String::new();
        for (depth, k) in keys.iter().enumerate() {
            s.push_str(&format!("{}{k}:{eol}", " ".repeat(indent + 2 * depth)));
        }
        let lead = " ".repeat(indent + 2 * keys.len());
        s + &render(&format!("{lead}- "), &format!("{lead}  "))
    };
    match (entries.iter().find(|(k, _)| k.scalar() == Some(top)), path) {
        (Some((k, v)), [_]) => into_list(text, &mut out, k, v, &render, eol)?,
        (Some((pk, pv)), [_, child]) => match &pv.kind {
            NodeKind::Map(children) if !text[pv.span.start..].starts_with('{') => {
                match children.iter().find(|(k, _)| k.scalar() == Some(*child)) {
                    Some((k, v)) => into_list(text, &mut out, k, v, &render, eol)?,
                    None => {
                        let indent = children.first().map_or(2, |(k, _)| k.pos.column.saturating_sub(1) as usize);
                        let at = after_line(text, end_of(pv));
                        let mut added = begun(indent, &[child]);
                        if at == text.len() && !text.ends_with('\n') {
                            added.insert_str(0, eol);
                        }
                        out.insert_str(at, &added);
                    }
                }
            }
            _ if pv.is_null() => {
                let at = after_line(text, pk.span.end);
                out.insert_str(at, &begun(pk.pos.column.saturating_sub(1) as usize + 2, &[child]));
            }
            _ => return Err(format!("`{top}` 不是“键: 值”的写法，无法添加；请手工修改")),
        },
        (None, _) if at_margin => {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(eol);
            }
            let (first, rest) = path.split_first().expect("a path");
            out.push_str(&format!("{first}:{eol}"));
            out.push_str(&begun(2, rest));
        }
        _ => {
            return Err(format!("要新增 `{top}:`，但这个文件是缩进或花括号的写法，无法确定加在哪里；请手工添加"));
        }
    }
    check_added(file, text, &out, path)?;
    Ok(out)
}

/// How a top-level key of a member file is to change.
pub enum Set<'a> {
    /// `key: value` (a date, a word).
    Scalar(String),
    /// `key:` and a mapping of scalars under it, replacing any it had.
    Map(&'a [(&'a str, String)]),
    /// The key and its value gone.
    Remove,
}

/// `text` with the top-level `key` set as `to` says, every other byte
/// kept; a key not there yet is added at the end. Read back: every other
/// top-level value as it was.
pub fn set_key(file: &Path, text: &str, key: &str, to: Set) -> Result<String, String> {
    let root = parse(file, text).map_err(|d| format!("读不懂这个文件（{}）", d.message))?.ok_or("文件是空的")?;
    let NodeKind::Map(entries) = &root.kind else { return Err("文件最外层不是“键: 值”的写法".into()) };
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let at_margin = entries.iter().all(|(k, _)| k.pos.column == 1) && !text[root.span.start..].starts_with('{');
    let block = match &to {
        Set::Scalar(v) if v.is_empty() => format!("{key}:{eol}"),
        Set::Scalar(v) => format!("{key}: {v}{eol}"),
        Set::Map(fields) => {
            let mut s = format!("{key}:{eol}");
            for (k, v) in fields.iter() {
                s.push_str(&format!("  {k}: {v}{eol}"));
            }
            s
        }
        Set::Remove => String::new(),
    };
    let mut out = text.to_string();
    match entries.iter().find(|(k, _)| k.scalar() == Some(key)) {
        Some((k, v)) => {
            if !at_margin {
                return Err(format!("这个文件是缩进或花括号的写法，无法确定 `{key}` 怎么改；请手工修改"));
            }
            let line_start = text[..k.span.start].rfind('\n').map_or(0, |i| i + 1);
            let end = if v.is_null() { after_line(text, k.span.end) } else { after_line(text, v.span.end) };
            out.replace_range(line_start..end, &block);
        }
        None if matches!(to, Set::Remove) => return Err(format!("文件里没有 `{key}`，不用删除")),
        None if at_margin => {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(eol);
            }
            out.push_str(&block);
        }
        None => return Err(format!("要新增 `{key}:`，但这个文件是缩进或花括号的写法，无法确定加在哪里；请手工添加")),
    }
    // Read back: the other keys as they were.
    let keys = |t: &str| -> Result<Vec<(String, String)>, String> {
        let root = parse(file, t).map_err(|d| format!("改完后无法解析（{}）；没有改动这个文件", d.message))?;
        let Some(Node { kind: NodeKind::Map(entries), .. }) = root else {
            return Err("改完后文件最外层不是表".into());
        };
        Ok(entries
            .iter()
            .filter(|(k, _)| k.scalar() != Some(key))
            .map(|(k, v)| (k.scalar().unwrap_or("").to_string(), written(t, v).to_string()))
            .collect())
    };
    if keys(text)? != keys(&out)? {
        return Err("改完后读回来，别的栏目变了；没有改动这个文件".into());
    }
    Ok(out)
}

/// `text` with fields of the item of list `list` whose `id:` is `id` set
/// (see [`super::item_fields::set_fields`]).
pub fn set_in_item(file: &Path, text: &str, list: &str, id: &str, fields: &[(&str, String)]) -> Result<String, String> {
    let items = super::item_fields::items(file, text, &[list])?;
    let index = items
        .iter()
        .position(|i| i.get("id").map(String::as_str) == Some(id))
        .ok_or_else(|| format!("没有编号为 {id} 的一项"))?;
    super::item_fields::set_fields(file, text, &[list], index, fields)
}

/// Where a node's own text ends: a mapping's last value (a key with no
/// value ends with the key; the parser places an empty value at the next
/// token, which may be on a later line).
pub(super) fn end_of(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Map(fields) => {
            fields.iter().map(|(k, v)| if v.is_null() { k.span.end } else { end_of(v) }).max().unwrap_or(node.span.end)
        }
        NodeKind::Seq(items) => items.iter().map(end_of).max().unwrap_or(node.span.end),
        NodeKind::Scalar { .. } => node.span.end,
    }
}

/// A value as written: from its start to where its own text ends (a
/// list's or mapping's span runs on to the next token, past blank lines
/// and comments that are not its own).
fn written<'t>(text: &'t str, v: &Node) -> &'t str {
    &text[v.span.start..end_of(v).max(v.span.start)]
}

/// Where the line holding byte `end - 1` ends (after its line break).
pub(super) fn after_line(text: &str, end: usize) -> usize {
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
fn check_added(file: &Path, old: &str, new: &str, path: &[&str]) -> Result<(), String> {
    // Every value at the level of each key of `path` but that key, as
    // written; and how many items the list at the end of `path` has.
    /// (depth, key, value as written) of every value beside the path.
    type Beside = Vec<(usize, String, String)>;
    let read = |text: &str| -> Result<(Beside, usize), String> {
        let root = parse(file, text)
            .map_err(|d| format!("改完后无法解析（{}）；没有改动这个文件", d.message))?
            .ok_or("改完后文件是空的；没有改动这个文件")?;
        let mut others = Vec::new();
        let mut node = &root;
        for (depth, key) in path.iter().enumerate() {
            let NodeKind::Map(entries) = &node.kind else { return Ok((others, 0)) };
            for (k, v) in entries.iter().filter(|(k, _)| k.scalar() != Some(*key)) {
                others.push((depth, k.scalar().unwrap_or("").to_string(), written(text, v).to_string()));
            }
            match entries.iter().find(|(k, _)| k.scalar() == Some(*key)) {
                Some((_, v)) => node = v,
                None => return Ok((others, 0)),
            }
        }
        let count = match &node.kind {
            NodeKind::Seq(items) => items.len(),
            _ => 0,
        };
        Ok((others, count))
    };
    let ((before, n), (after, m)) = (read(old)?, read(new)?);
    if m != n + 1 {
        return Err(format!("改完后读回来，`{}` 不是多了一项；没有改动这个文件", path.join(".")));
    }
    if before != after {
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
    fn a_payment_goes_into_the_list_under_dues_made_if_need_be() {
        let f = Path::new("m.yaml");
        let pay = vec![("months", Value::from("2026-12")), ("amount", "24.90".into()), ("paid", "2026-12-07".into())];
        let text = "dues:\n  bases:\n    - year: 2026\n      base: 4980\n  payments:\n    - months: 2026-11\n      amount: 24.90\nconfirmed: 2026-01-15\n";
        assert_eq!(
            add_item_at(f, text, &["dues", "payments"], &pay).unwrap(),
            "dues:\n  bases:\n    - year: 2026\n      base: 4980\n  payments:\n    - months: 2026-11\n      amount: 24.90\n    - months: 2026-12\n      amount: 24.90\n      paid: 2026-12-07\nconfirmed: 2026-01-15\n"
        );
        let text = "dues:\n  category: 低保\nname: 张三\n";
        assert_eq!(
            add_item_at(f, text, &["dues", "payments"], &pay).unwrap(),
            "dues:\n  category: 低保\n  payments:\n    - months: 2026-12\n      amount: 24.90\n      paid: 2026-12-07\nname: 张三\n"
        );
        // Under a mapping whose last value is a list (肖宝根's waiver).
        let text = "dues:\n  reductions:\n    - year: 2026\n      monthly: 0\nsubsidies:\n  - applied: 2026-03-01\n";
        assert_eq!(
            add_item_at(f, text, &["dues", "payments"], &pay).unwrap(),
            "dues:\n  reductions:\n    - year: 2026\n      monthly: 0\n  payments:\n    - months: 2026-12\n      amount: 24.90\n      paid: 2026-12-07\nsubsidies:\n  - applied: 2026-03-01\n"
        );
        assert_eq!(
            add_item_at(f, "name: 张三\n", &["dues", "payments"], &pay).unwrap(),
            "name: 张三\ndues:\n  payments:\n    - months: 2026-12\n      amount: 24.90\n      paid: 2026-12-07\n"
        );
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
    fn a_top_level_key_is_set_replaced_or_removed_in_place() {
        let f = Path::new("m.yaml");
        let text = "name: 张三\r\nstatus:\r\n  kind: 失联\r\n  date: 2026-01-01\r\nconfirmed: 2025-01-01 # 上次\r\nvisits: []\r\n";
        let died = [("kind", "去世".to_string()), ("date", "2026-12-01".to_string())];
        assert_eq!(
            set_key(f, text, "status", Set::Map(&died)).unwrap(),
            "name: 张三\r\nstatus:\r\n  kind: 去世\r\n  date: 2026-12-01\r\nconfirmed: 2025-01-01 # 上次\r\nvisits: []\r\n"
        );
        assert_eq!(
            set_key(f, text, "status", Set::Remove).unwrap(),
            "name: 张三\r\nconfirmed: 2025-01-01 # 上次\r\nvisits: []\r\n"
        );
        assert_eq!(
            set_key(f, "name: 张三\n", "confirmed", Set::Scalar("2026-12-07".into())).unwrap(),
            "name: 张三\nconfirmed: 2026-12-07\n"
        );
        assert!(set_key(f, "name: 张三\n", "status", Set::Remove).is_err());
    }

    #[test]
    fn fields_of_one_departure_are_set_in_place_or_added_under_it() {
        let f = Path::new("m.yaml");
        let text = "departures:\n  - id: W2026-01\n    start: 2026-10-15\n    returned:\n  - id: W2026-02\n    start: 2026-11-01\nvisits: []\n";
        let set = [("returned", "2026-12-01".to_string()), ("card_returned", "2026-12-02".to_string())];
        assert_eq!(
            set_in_item(f, text, "departures", "W2026-01", &set).unwrap(),
            "departures:\n  - id: W2026-01\n    start: 2026-10-15\n    returned: 2026-12-01\n    card_returned: 2026-12-02\n  - id: W2026-02\n    start: 2026-11-01\nvisits: []\n"
        );
        assert_eq!(
            set_in_item(f, text, "departures", "W2026-02", &set[..1]).unwrap(),
            "departures:\n  - id: W2026-01\n    start: 2026-10-15\n    returned:\n  - id: W2026-02\n    start: 2026-11-01\n    returned: 2026-12-01\nvisits: []\n"
        );
        assert!(set_in_item(f, text, "departures", "W2026-09", &set).unwrap_err().contains("没有编号为 W2026-09"));
    }

    #[test]
    fn a_list_written_otherwise_is_left_to_the_clerk() {
        let e = add_item(Path::new("m.yaml"), "visits: [{date: 2026-01-01, kind: 电话}]\n", "visits", &visit());
        assert!(e.unwrap_err().contains("请手工添加"));
        let e = add_item(Path::new("m.yaml"), "visits: 无\n", "visits", &visit());
        assert!(e.unwrap_err().contains("不是列表的写法"));
    }
}
