//! Reading typed fields out of a positioned YAML mapping, collecting a
//! diagnostic for every problem instead of stopping at the first.

use std::cell::RefCell;
use std::path::Path;

use chrono::NaiveDate;

use super::Located;
use super::node::{Node, NodeKind};
use crate::diag::{Diagnostic, Diagnostics, Pos, did_you_mean};

/// The most characters one text may have: what one cell of an Excel sheet
/// holds (the workbook carries every text of the data).
pub const TEXT_MAX: usize = 32_767;

/// The keys of one mapping: each known key with its Chinese name.
pub type Keys = &'static [(&'static str, &'static str)];

/// One YAML mapping being read. Every accessor records the key as known;
/// [`Fields::finish`] reports keys nobody asked for (typos) with a suggestion.
pub struct Fields<'a> {
    pub file: &'a Path,
    pub pos: Pos,
    entries: &'a [(Node, Node)],
    keys: Keys,
    /// Where this mapping sits, e.g. "departures 第 2 项", for messages.
    context: String,
    diags: &'a RefCell<Diagnostics>,
    /// Required keys found missing, reported by `finish` unless a typo explains them.
    missing: RefCell<Vec<(&'static str, String)>>,
}

impl<'a> Fields<'a> {
    /// Start reading `node` as a mapping; reports an error and returns None
    /// when it is something else.
    pub fn new(
        file: &'a Path,
        node: &'a Node,
        keys: Keys,
        context: &str,
        diags: &'a RefCell<Diagnostics>,
    ) -> Option<Self> {
        match &node.kind {
            NodeKind::Map(entries) => Some(Self {
                file,
                pos: node.pos,
                entries,
                keys,
                context: context.to_string(),
                diags,
                missing: RefCell::default(),
            }),
            _ => {
                let what = if context.is_empty() { "文件内容".to_string() } else { context.to_string() };
                diags.borrow_mut().push(
                    Diagnostic::error(
                        file,
                        Some(node.pos),
                        format!("{what}应当是“键: 值”的表，这里是{}", node.describe()),
                    )
                    .hint("每行写成 `键: 值`，例如 `name: 张三`"),
                );
                None
            }
        }
    }

    fn label(&self, key: &str) -> String {
        let zh = self.keys.iter().find(|(k, _)| *k == key).map(|(_, z)| *z).unwrap_or("");
        let prefix = if self.context.is_empty() { String::new() } else { format!("{} 的 ", self.context) };
        if zh.is_empty() { format!("{prefix}`{key}`") } else { format!("{prefix}`{key}`（{zh}）") }
    }

    pub fn error(&self, pos: Pos, message: impl Into<String>, hint: impl Into<String>) {
        self.diags.borrow_mut().push(Diagnostic::error(self.file, Some(pos), message).hint(hint));
    }

    pub fn warning(&self, pos: Pos, message: impl Into<String>, hint: impl Into<String>) {
        self.diags.borrow_mut().push(Diagnostic::warning(self.file, Some(pos), message).hint(hint));
    }

    /// The value node for `key`, if present and not null.
    pub fn node(&self, key: &str) -> Option<&'a Node> {
        debug_assert!(self.keys.iter().any(|(k, _)| *k == key), "key {key} not declared");
        self.entries.iter().find(|(k, _)| k.scalar() == Some(key)).map(|(_, v)| v).filter(|v| !v.is_null())
    }

    /// Where `key` is written with nothing after it (`native_place:`): a
    /// value known to be missing, left blank to be filled in by hand.
    pub fn blank(&self, key: &str) -> Option<Pos> {
        debug_assert!(self.keys.iter().any(|(k, _)| *k == key), "key {key} not declared");
        self.entries
            .iter()
            .find(|(k, _)| k.scalar() == Some(key))
            .filter(|(_, v)| v.is_null() || v.scalar().is_some_and(|s| s.trim().is_empty()))
            .map(|(k, _)| k.pos)
    }

    /// Where `key` itself is written (the start of its `key:` line).
    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        self.entries.iter().find(|(k, _)| k.scalar() == Some(key)).map(|(k, _)| k.pos)
    }

    fn missing(&self, key: &str, example: &str) {
        let key = self.keys.iter().map(|(k, _)| *k).find(|k| *k == key).expect("declared key");
        self.missing.borrow_mut().push((key, example.to_string()));
    }

    /// A text value. Numbers and booleans are taken as written.
    pub fn text(&self, key: &str) -> Option<Located<String>> {
        let node = self.node(key)?;
        match node.scalar() {
            Some(s) => {
                let s = s.trim();
                // A carriage return or another control character (written as
                // "\r" in quotes) would start a line of its own on a vCard or
                // a page; line breaks and tabs are text.
                if let Some(c) = s.chars().find(|c| c.is_control() && *c != '\n' && *c != '\t') {
                    self.error(
                        node.pos,
                        format!("{}里有控制字符 {}（回车、退格等看不见的字符）", self.label(key), c.escape_unicode()),
                        "删去这个字符；要换行就直接换行写",
                    );
                    return None;
                }
                // An Excel cell holds no more (the workbook is made of every text).
                let chars = s.chars().count();
                if chars > TEXT_MAX {
                    self.error(
                        node.pos,
                        format!("{}有 {chars} 个字，超过了 {TEXT_MAX} 字（Excel 一格最多能放这么多）", self.label(key)),
                        "精简这段文字，或把长的材料另存为文件，这里只写要点",
                    );
                    return None;
                }
                if s.is_empty() { None } else { Some(Located::new(s.to_string(), node.pos)) }
            }
            None => {
                self.error(
                    node.pos,
                    format!("{} 应当是一段文字，这里是{}", self.label(key), node.describe()),
                    "写在同一行冒号后面",
                );
                None
            }
        }
    }

    pub fn req_text(&self, key: &str, example: &str) -> Option<Located<String>> {
        let v = self.text(key);
        if v.is_none() && self.node(key).is_none() {
            self.missing(key, example);
        }
        v
    }

    pub fn date(&self, key: &str) -> Option<Located<NaiveDate>> {
        let t = self.text(key)?;
        match parse_date(&t.value) {
            Some(d) => Some(Located::new(d, t.pos)),
            None => {
                self.error(
                    t.pos,
                    format!("{} 不是有效日期：“{}”", self.label(key), t.value),
                    "日期写成 年-月-日，例如 1950-03-05，且该日须真实存在",
                );
                None
            }
        }
    }

    pub fn req_date(&self, key: &str) -> Option<Located<NaiveDate>> {
        let v = self.date(key);
        if v.is_none() && self.node(key).is_none() {
            self.missing(key, "1950-03-05");
        }
        v
    }

    /// A month such as `2026-10` (dues paid up to).
    pub fn month(&self, key: &str) -> Option<Located<(i32, u32)>> {
        let t = self.text(key)?;
        let parsed = t.value.split_once('-').and_then(|(y, m)| {
            let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
            ((1900..=2200).contains(&y) && (1..=12).contains(&m)).then_some((y, m))
        });
        if parsed.is_none() {
            self.error(
                t.pos,
                format!("{} 不是有效月份：“{}”", self.label(key), t.value),
                "月份写成 年-月，例如 2026-10",
            );
        }
        parsed.map(|v| Located::new(v, t.pos))
    }

    /// true/false; 是/否 also accepted.
    pub fn flag(&self, key: &str) -> Option<Located<bool>> {
        let t = self.text(key)?;
        let v = match t.value.as_str() {
            "true" | "True" | "TRUE" | "yes" | "是" => Some(true),
            "false" | "False" | "FALSE" | "no" | "否" => Some(false),
            _ => None,
        };
        if v.is_none() {
            self.error(
                t.pos,
                format!("{} 只能是 true 或 false，这里是“{}”", self.label(key), t.value),
                "写 true（是）或 false（否）",
            );
        }
        v.map(|b| Located::new(b, t.pos))
    }

    /// A non-negative amount, e.g. a pension in yuan.
    pub fn amount(&self, key: &str) -> Option<Located<f64>> {
        let t = self.text(key)?;
        match t.value.replace(',', "").parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Some(Located::new(v, t.pos)),
            _ => {
                self.error(
                    t.pos,
                    format!("{} 应当是金额（元），这里是“{}”", self.label(key), t.value),
                    "只写数字，例如 4800 或 4800.50",
                );
                None
            }
        }
    }

    /// A whole number within `range`.
    pub fn count(&self, key: &str, range: std::ops::RangeInclusive<u32>) -> Option<Located<u32>> {
        let t = self.text(key)?;
        match t.value.parse::<u32>() {
            Ok(v) if range.contains(&v) => Some(Located::new(v, t.pos)),
            _ => {
                self.error(
                    t.pos,
                    format!(
                        "{} 应当是 {} 到 {} 之间的整数，这里是“{}”",
                        self.label(key),
                        range.start(),
                        range.end(),
                        t.value
                    ),
                    "只写数字，例如 6",
                );
                None
            }
        }
    }

    /// One of a fixed set of values.
    pub fn choice(&self, key: &str, allowed: &[&str]) -> Option<Located<String>> {
        let t = self.text(key)?;
        if allowed.contains(&t.value.as_str()) {
            Some(t)
        } else {
            self.error(
                t.pos,
                format!("{} 的值“{}”无法识别", self.label(key), t.value),
                format!("只能填：{}", allowed.join("、")),
            );
            None
        }
    }

    /// A nested mapping.
    pub fn map(&self, key: &str, keys: Keys) -> Option<Fields<'a>> {
        let node = self.node(key)?;
        Fields::new(self.file, node, keys, &self.label(key), self.diags)
    }

    /// A list; each item is returned with its 1-based number for messages.
    pub fn list(&self, key: &str) -> Vec<&'a Node> {
        let Some(node) = self.node(key) else { return Vec::new() };
        match &node.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            _ => {
                self.error(
                    node.pos,
                    format!("{} 应当是列表，这里是{}", self.label(key), node.describe()),
                    "每项另起一行，以 `- ` 开头",
                );
                Vec::new()
            }
        }
    }

    /// Read list `key` of mappings with `keys`, each item through `read`
    /// (None: left out, its problems reported). The list is made anew at
    /// its length: collected in place from the items' fields, a member's
    /// one family contact would keep the room of four (20,000 members: 9.6 MB).
    pub fn read_list<T>(&self, key: &str, keys: Keys, read: impl FnMut(Fields<'a>) -> Option<T>) -> Vec<T> {
        let mut list: Vec<T> = self.map_list(key, keys).into_iter().filter_map(read).collect();
        list.shrink_to_fit();
        list
    }

    /// Read list `key`, each item a mapping with `keys`.
    pub fn map_list(&self, key: &str, keys: Keys) -> Vec<Fields<'a>> {
        self.list(key)
            .into_iter()
            .enumerate()
            .filter_map(|(i, n)| {
                Fields::new(self.file, n, keys, &format!("{} 第 {} 项", self.label(key), i + 1), self.diags)
            })
            .collect()
    }

    /// Report keys that are not known (with a suggestion), keys written twice
    /// and required keys that are missing — a misspelt required key is one
    /// problem, not two.
    pub fn finish(self) {
        let mut missing = self.missing.take();
        let mut seen = std::collections::HashMap::new();
        for (k, _) in self.entries {
            let Some(name) = k.scalar() else {
                self.error(k.pos, "键名不能为空", "写成 `键: 值`");
                continue;
            };
            if let Some(&first) = seen.get(name) {
                self.error(
                    k.pos,
                    format!("`{name}` 写了两次（另一处在第 {first} 行）"),
                    "删除重复的一行，只保留一个；若其中一行本该属于上面的某一项（例如 `health:` 下的 `notes:`），是它少了缩进，在行首补上空格与上一行对齐",
                );
                continue;
            }
            seen.insert(name, k.pos.line);
            if self.keys.iter().any(|(key, _)| *key == name) {
                continue;
            }
            let where_ =
                if self.context.is_empty() { String::new() } else { format!("（在 {} 中）", self.context) };
            let hint = match did_you_mean(name, self.keys.iter().map(|(k, _)| *k)) {
                Some(s) if missing.iter().any(|(k, _)| *k == s) => {
                    missing.retain(|(k, _)| *k != s);
                    format!("是不是要写 `{s}`？（{} 是必填项）", self.label(s))
                }
                Some(s) => format!("是不是要写 `{s}`？"),
                None => {
                    let all: Vec<&str> = self.keys.iter().map(|(k, _)| *k).collect();
                    format!("可用的键：{}", all.join(", "))
                }
            };
            self.error(k.pos, format!("未知的键 `{name}`{where_}"), hint);
        }
        for (key, example) in missing {
            self.error(self.pos, format!("缺少必填项 {}", self.label(key)), format!("加一行，例如 `{key}: {example}`"));
        }
    }
}

/// `YYYY-MM-DD` (one-digit month/day also accepted) that is a real date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1800..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    const KEYS: Keys = &[("name", "姓名"), ("born", "出生日期"), ("flag", "标记")];

    fn read(text: &str, f: impl FnOnce(&Fields)) -> Vec<Diagnostic> {
        let file = Path::new("t.yaml");
        let node = parse(file, text).unwrap().unwrap();
        let diags = RefCell::new(Diagnostics::default());
        let fields = Fields::new(file, &node, KEYS, "", &diags).unwrap();
        f(&fields);
        fields.finish();
        diags.into_inner().sorted().into_iter().cloned().collect()
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let d = read("name: a\nbron: 1950-01-01\n", |f| {
            f.text("name");
        });
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].pos, Some(Pos::new(2, 1)));
        assert_eq!(d[0].message, "未知的键 `bron`");
        assert_eq!(d[0].hint, "是不是要写 `born`？");
    }

    #[test]
    fn invalid_date_and_missing_field_both_reported() {
        let d = read("born: 1950-02-30\nflag: maybe\n", |f| {
            f.req_text("name", "张三");
            f.date("born");
            f.flag("flag");
        });
        let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "缺少必填项 `name`（姓名）",
                "`born`（出生日期） 不是有效日期：“1950-02-30”",
                "`flag`（标记） 只能是 true 或 false，这里是“maybe”"
            ]
        );
        assert_eq!(d[1].pos, Some(Pos::new(1, 7)));
    }

    #[test]
    fn duplicate_key_reported() {
        let d = read("name: a\nname: b\n", |f| {
            f.text("name");
        });
        assert_eq!(d[0].message, "`name` 写了两次（另一处在第 1 行）");
        assert_eq!(d[0].pos, Some(Pos::new(2, 1)));
    }

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2023-02-29").is_none());
        assert!(parse_date("1950-3-5").is_some());
        assert!(parse_date("1950/03/05").is_none());
    }
}
