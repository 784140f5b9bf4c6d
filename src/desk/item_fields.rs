//! Fields of one item of a list in a member file (a departure's
//! `returned:`, its `card:` → `number:`), set in place as a careful clerk
//! would: a value there replaced, one not there added under the item (or
//! under its mapping) in the item's own indentation, every other byte
//! kept. Read back: everything else in the file as it was. The desk's
//! 登记到达 / 登记返回 and the import's rows of event sheets use it.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use super::edit::{after_line, end_of};
use crate::yaml::{Node, NodeKind, parse};

/// A node's every scalar by path (`departures.0.card.number`), as read
/// (quotes gone); a key with no value is "".
pub type Flat = BTreeMap<String, String>;

pub fn flatten(node: &Node, prefix: &str, out: &mut Flat) {
    let join = |k: &str| if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
    match &node.kind {
        NodeKind::Map(entries) => {
            for (k, v) in entries {
                let path = join(k.scalar().unwrap_or(""));
                if v.is_null() {
                    out.insert(path, String::new());
                } else {
                    flatten(v, &path, out);
                }
            }
        }
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(item, &join(&i.to_string()), out);
            }
        }
        NodeKind::Scalar { .. } => {
            out.insert(prefix.to_string(), node.scalar().unwrap_or("").to_string());
        }
    }
}

fn field<'n>(map: &'n Node, key: &str) -> Option<(&'n Node, &'n Node)> {
    let NodeKind::Map(entries) = &map.kind else { return None };
    entries.iter().find(|(k, _)| k.scalar() == Some(key)).map(|(k, v)| (k, v))
}

fn list<'n>(root: &'n Node, path: &[&str]) -> Option<&'n [Node]> {
    let mut node = root;
    for key in path {
        node = field(node, key)?.1;
    }
    match &node.kind {
        NodeKind::Seq(items) => Some(items),
        _ => None,
    }
}

/// The items of the list at `path`, each flattened (no list: none).
pub fn items(file: &Path, text: &str, path: &[&str]) -> Result<Vec<Flat>, String> {
    let root = parse(file, text).map_err(|d| format!("读不懂这个文件（{}）", d.message))?.ok_or("文件是空的")?;
    Ok(list(&root, path)
        .unwrap_or_default()
        .iter()
        .map(|item| {
            let mut flat = Flat::new();
            flatten(item, "", &mut flat);
            flat
        })
        .collect())
}

/// What a value written so (`"139…"`, `2026-12-07`) reads as.
fn read_as(written: &str) -> String {
    match parse(Path::new("-"), &format!("v: {written}")) {
        Ok(Some(root)) => field(&root, "v").and_then(|(_, v)| v.scalar()).unwrap_or("").to_string(),
        _ => written.to_string(),
    }
}

/// `text` with the fields (`key` or `outer.inner`, value as written) of
/// item `index` of the list at `path` set.
pub fn set_fields(
    file: &Path,
    text: &str,
    path: &[&str],
    index: usize,
    fields: &[(&str, String)],
) -> Result<String, String> {
    let root = parse(file, text).map_err(|d| format!("读不懂这个文件（{}）", d.message))?.ok_or("文件是空的")?;
    let name = path.join(".");
    let item =
        list(&root, path).and_then(|l| l.get(index)).ok_or_else(|| format!("`{name}` 里没有第 {} 项", index + 1))?;
    let NodeKind::Map(item_fields) = &item.kind else {
        return Err(format!("`{name}` 的一项不是“键: 值”的写法"));
    };
    if item_fields.is_empty() || text[item.span.start..].starts_with('{') {
        return Err(format!("`{name}` 的第 {} 项是花括号的写法，无法确定怎么改；请手工修改", index + 1));
    }
    let mut edits = ItemEdits {
        text,
        item,
        indent: " ".repeat(item_fields[0].0.pos.column.saturating_sub(1) as usize),
        eol: if text.contains("\r\n") { "\r\n" } else { "\n" },
        end: after_line(text, end_of(item)),
        edits: Vec::new(),
        new_maps: Vec::new(),
    };
    for (key, value) in fields {
        edits.set(key, value)?;
    }
    let out = edits.applied();
    read_back(file, text, &out, &format!("{name}.{index}"), fields)?;
    Ok(out)
}

/// The changes to one item of a list, made on the file's text.
struct ItemEdits<'t> {
    text: &'t str,
    item: &'t Node,
    /// The item's own indentation (its first key's).
    indent: String,
    /// The file's line end (`\r\n` kept where the file has it).
    eol: &'static str,
    /// After the item's last line: where a key it lacks goes.
    end: usize,
    /// (range replaced, text): a value replaced, or lines inserted at a point.
    edits: Vec<(Range<usize>, String)>,
    /// The mappings this change adds to the item (`destination:` once for
    /// all of its keys).
    new_maps: Vec<String>,
}

impl ItemEdits<'_> {
    /// Field `key` (or `outer.inner`) set to `value` (as written).
    fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let (indent, eol) = (self.indent.clone(), self.eol);
        let Some((outer, inner)) = key.split_once('.') else {
            match field(self.item, key) {
                Some((k, v)) => return self.replace(k, v, value),
                None => self.insert(self.end, format!("{indent}{key}: {value}{eol}")),
            }
            return Ok(());
        };
        match field(self.item, outer) {
            Some((_, ov)) if matches!(&ov.kind, NodeKind::Map(e) if !e.is_empty()) => match field(ov, inner) {
                Some((k, v)) => self.replace(k, v, value)?,
                None => {
                    let NodeKind::Map(e) = &ov.kind else { unreachable!() };
                    let inner_indent = " ".repeat(e[0].0.pos.column.saturating_sub(1) as usize);
                    self.insert(after_line(self.text, end_of(ov)), format!("{inner_indent}{inner}: {value}{eol}"));
                }
            },
            Some((ok, ov)) if ov.is_null() => {
                self.insert(after_line(self.text, ok.span.end), format!("{indent}  {inner}: {value}{eol}"))
            }
            Some(_) => return Err(format!("`{outer}` 不是“键: 值”的写法；请手工修改")),
            None => {
                if !self.new_maps.iter().any(|m| m == outer) {
                    self.new_maps.push(outer.to_string());
                    self.insert(self.end, format!("{indent}{outer}:{eol}"));
                }
                self.insert(self.end, format!("{indent}  {inner}: {value}{eol}"));
            }
        }
        Ok(())
    }

    /// The value of key `k` replaced (a key with no value given one).
    fn replace(&mut self, k: &Node, v: &Node, value: &str) -> Result<(), String> {
        if v.is_null() {
            let text = self.text;
            let line_end = text[k.span.end..].find(['\r', '\n']).map_or(text.len(), |i| k.span.end + i);
            self.edits.push((k.span.end..line_end, format!(": {value}")));
            Ok(())
        } else if matches!(v.kind, NodeKind::Scalar { .. }) {
            self.edits.push((v.span.clone(), value.to_string()));
            Ok(())
        } else {
            Err(format!("`{}` 不是一个值的写法；请手工修改", k.scalar().unwrap_or("")))
        }
    }

    /// `line` inserted at `at`, after any line inserted there before.
    fn insert(&mut self, at: usize, line: String) {
        match self.edits.iter_mut().find(|(r, _)| r.start == at && r.end == at) {
            Some((_, s)) => s.push_str(&line),
            None => self.edits.push((at..at, line)),
        }
    }

    /// The text with every change made, from the end back (the ranges
    /// before each stay where they were).
    fn applied(mut self) -> String {
        let text = self.text;
        self.edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
        let mut out = text.to_string();
        for (range, with) in self.edits {
            let with = if range.start == text.len() && !text.is_empty() && !text.ends_with('\n') {
                format!("{}{with}", self.eol)
            } else {
                with
            };
            out.replace_range(range, &with);
        }
        out
    }
}

/// Read back: the file as before but for these fields of the item at
/// `item` (`departures.0`), else an error and nothing written.
fn read_back(file: &Path, before: &str, after: &str, item: &str, fields: &[(&str, String)]) -> Result<(), String> {
    let flat = |t: &str| -> Result<Flat, String> {
        let root = parse(file, t).map_err(|d| format!("改完后无法解析（{}）；没有改动这个文件", d.message))?;
        let mut flat = Flat::new();
        if let Some(root) = root {
            flatten(&root, "", &mut flat);
        }
        Ok(flat)
    };
    let mut expected = flat(before)?;
    for (key, value) in fields {
        expected.insert(format!("{item}.{key}"), read_as(value));
    }
    if flat(after)? != expected {
        return Err("改完后读回来，别的栏目变了；没有改动这个文件".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "id: a\r\ndepartures:\r\n  - id: W2026-01 # 深圳\r\n    start: 2026-10-15\r\n    card:\r\n      number: LK2026-001\r\n    returned:\r\n  - id: W2026-02\r\n    start: 2026-11-01\r\nvisits: []\r\n";

    #[test]
    fn fields_are_set_in_place_added_under_the_item_or_its_mapping() {
        let f = Path::new("a.yaml");
        let fields = [
            ("returned", "2026-12-01".to_string()),
            ("card.returned", "2026-12-02".to_string()),
            ("report", "参加了当地组织生活".to_string()),
            ("destination.city", "深圳市".to_string()),
            ("destination.province", "广东省".to_string()),
        ];
        let out = set_fields(f, FILE, &["departures"], 0, &fields).unwrap();
        assert_eq!(
            out,
            "id: a\r\ndepartures:\r\n  - id: W2026-01 # 深圳\r\n    start: 2026-10-15\r\n    card:\r\n      number: LK2026-001\r\n      returned: 2026-12-02\r\n    returned: 2026-12-01\r\n    report: 参加了当地组织生活\r\n    destination:\r\n      city: 深圳市\r\n      province: 广东省\r\n  - id: W2026-02\r\n    start: 2026-11-01\r\nvisits: []\r\n"
        );
        let items = items(f, &out, &["departures"]).unwrap();
        assert_eq!(items[0]["card.returned"], "2026-12-02");
        assert_eq!(items[1]["id"], "W2026-02");
        assert!(set_fields(f, FILE, &["departures"], 2, &fields).unwrap_err().contains("没有第 3 项"));
    }
}
