//! A positioned YAML tree built from the parser's events.

use std::path::Path;

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Span};

use crate::diag::{Diagnostic, Pos};

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A scalar as written (quotes removed) and whether it was quoted.
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    /// Keys keep their own position; order is the file's order.
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
    /// Byte offsets of the whole node in the text (quotes, block-scalar
    /// lines and brackets included), for exact edits.
    pub span: std::ops::Range<usize>,
}

impl Node {
    /// The scalar's text if this is a scalar that is not YAML null.
    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, quoted } => {
                if !quoted && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") { None } else { Some(text) }
            }
            _ => None,
        }
    }

    /// True for an empty plain scalar or `~`/`null`: the key is present but blank.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { quoted: false, .. }) && self.scalar().is_none()
    }

    /// A short Chinese description of what this node is, for messages.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar { .. } if self.is_null() => "空值",
            NodeKind::Scalar { .. } => "单个值",
            NodeKind::Seq(_) => "列表",
            NodeKind::Map(_) => "键值表",
        }
    }
}

/// The parser's English message in Chinese (the English is left out: the
/// clerk reads this).
fn zh_scan_error(info: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        ("tab", "用了 Tab 键缩进，只能用空格"),
        ("recursion limit", "嵌套层次太深，检查缩进和括号"),
        ("mapping values are not allowed", "这里不能出现“键: 值”，多半是缩进不对，或值里有没加引号的冒号"),
        ("illegal placement of ':'", "冒号位置不对，多半是上一行的括号或引号没有配对"),
        ("did not find expected key", "缩进没有对齐"),
        ("invalid indentation", "缩进没有对齐"),
        ("expected ',' or ']'", "方括号 [ ] 没有配对"),
        ("expected ',' or '}'", "花括号 { } 没有配对"),
        ("quoted scalar", "引号没有配对"),
        ("unexpected character", "出现了不能放在开头的字符（如 @ 或 `），请给这个值加上引号"),
        ("did not find expected '-'", "列表项缩进没有对齐（每项以“- ”开头）"),
        ("eof", "文件意外结束，括号或引号没有配对"),
        ("simple key", "缺少冒号，或一个键写成了多行"),
        ("anchor", "锚点或别名（& *）写法不对"),
    ];
    let lower = info.to_lowercase();
    match KNOWN.iter().find(|(en, _)| lower.contains(en)) {
        Some((_, zh)) => zh.to_string(),
        None => "这一行的写法读不懂".to_string(),
    }
}

/// Where the parser stopped at line `at` (1-based): the line before it,
/// a `key: value` indented otherwise than both the line above it and the
/// line `at` (which agree), is the one out of line. Its number, its
/// indentation and theirs.
fn misaligned(text: &str, at: usize) -> Option<(usize, usize, usize)> {
    // Each content line: (number, where its first key begins, is `key: value`
    // with a value, where its list dash is).
    let lines: Vec<(usize, usize, bool, Option<usize>)> = text
        .lines()
        .enumerate()
        .take(at)
        .filter_map(|(i, l)| {
            let body = l.trim_start_matches(' ');
            if body.is_empty() || body.starts_with('#') {
                return None;
            }
            let after_dash = body.trim_start_matches("- ").trim_start_matches(' ');
            let indent = l.len() - after_dash.len();
            let has_value = after_dash.split_once(": ").is_some_and(|(_, v)| !v.trim().is_empty());
            let dash = body.starts_with("- ").then_some(l.len() - body.len());
            Some((i + 1, indent, has_value, dash))
        })
        .collect();
    let [.., above, odd, here] = lines.as_slice() else { return None };
    if here.0 != at {
        return None;
    }
    // The key under a list item's first, between its dash and its key.
    if let Some(dash) = odd.3
        && here.3.is_none()
        && dash <= here.1
        && here.1 < odd.1
    {
        return Some((here.0, here.1, odd.1));
    }
    (odd.2 && above.1 == here.1 && odd.1 != here.1).then_some((odd.0, odd.1, here.1))
}

/// A mistake of typing in Chinese that the parser only sees later, or
/// blames on another line: a key followed by the full-width colon “：”, or
/// a line indented with the full-width space. Its line and what to do.
fn typed_in_chinese(text: &str) -> Option<(usize, usize, String, &'static str)> {
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start_matches([' ', '\u{3000}']);
        let indent = &line[..line.len() - body.len()];
        if body.starts_with('#') {
            continue;
        }
        let key_part = body.strip_prefix("- ").unwrap_or(body);
        let key_len = key_part.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(key_part.len());
        let after = &key_part[key_len..];
        let looks_like_key = key_len > 0 && after.trim_start_matches(' ').starts_with([':', '：']);
        // A key indented with it (a paragraph of a note may begin so).
        if let Some(at) = indent.find('\u{3000}').filter(|_| looks_like_key) {
            let column = indent[..at].chars().count() + 1;
            return Some((
                i + 1,
                column,
                "这一行开头有全角空格（中文输入法的空格）".into(),
                "把开头的全角空格删掉，改用英文空格对齐",
            ));
        }
        if key_len > 0 && after.trim_start_matches(' ').starts_with('：') {
            let column = line.len() - after.len();
            let column = line[..column].chars().count() + 1;
            return Some((
                i + 1,
                column,
                format!("`{}` 后面用了中文冒号“：”", &key_part[..key_len]),
                "把中文冒号“：”改成英文冒号“:”，冒号后面空一格",
            ));
        }
    }
    None
}

fn pos_of(span: &Span) -> Pos {
    Pos::new(span.start.line(), span.start.col() + 1)
}

/// Byte offset of a marker in `text` (the parser counts characters).
fn byte_at(text: &str, m: &serde_saphyr::granit_parser::Marker) -> usize {
    m.byte_offset().unwrap_or_else(|| text.char_indices().nth(m.index()).map_or(text.len(), |(b, _)| b))
}

/// Member files nest three or four levels; far deeper is not data.
const MAX_DEPTH: usize = 32;

fn too_deep(file: &Path, pos: Pos, depth: usize) -> Result<(), Diagnostic> {
    if depth >= MAX_DEPTH {
        return Err(Diagnostic::error(file, Some(pos), format!("嵌套层次太深（超过 {MAX_DEPTH} 层）"))
            .hint("检查缩进和括号；成员文件最多三四层"));
    }
    Ok(())
}

enum Frame {
    Seq(Pos, usize, Vec<Node>),
    Map(Pos, usize, Vec<(Node, Node)>, Option<Node>),
}

/// Parse one YAML document. An empty file gives `Ok(None)`.
pub fn parse(file: &Path, text: &str) -> Result<Option<Node>, Diagnostic> {
    // Said at its own line, before the parser blames another one.
    if let Some((line, column, what, fix)) = typed_in_chinese(text) {
        return Err(Diagnostic::error(file, Some(Pos::new(line, column)), format!("YAML 格式错误：{what}")).hint(fix));
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;

    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| {
            let m = e.marker();
            // A key indented less than its neighbours is only found at the
            // next line: said at its own.
            if let Some((line, has, want)) = misaligned(text, m.line()) {
                return Diagnostic::error(
                    file,
                    Some(Pos::new(line, 1)),
                    format!("YAML 格式错误：这一行的缩进（{has} 个空格）和同一层的其他行（{want} 个空格）不一样"),
                )
                .hint(format!("同一层的各项要对齐：把这一行行首的空格改成 {want} 个"));
            }
            Diagnostic::error(
                file,
                Some(Pos::new(m.line(), m.col() + 1)),
                format!("YAML 格式错误：{}", zh_scan_error(&e.info())),
            )
            .hint("检查这一行及上一行：缩进要用空格对齐（不能用 Tab），冒号后要有一个空格，引号要成对")
        })?;
        let pos = pos_of(&span);
        let (start, end) = (byte_at(text, &span.start), byte_at(text, &span.end));
        let node = match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(Diagnostic::error(file, Some(pos), "一个文件里只能有一份数据（发现了第二个 `---`）")
                        .hint("每个成员单独存一个文件；删除多余的 `---` 及其后的内容"));
                }
                continue;
            }
            Event::Scalar(text, style, _, _) => {
                let quoted = !matches!(style, ScalarStyle::Plain);
                Node { kind: NodeKind::Scalar { text: text.into_owned(), quoted }, pos, span: start..end }
            }
            Event::SequenceStart(..) => {
                too_deep(file, pos, stack.len())?;
                stack.push(Frame::Seq(pos, start, Vec::new()));
                continue;
            }
            Event::MappingStart(..) => {
                too_deep(file, pos, stack.len())?;
                stack.push(Frame::Map(pos, start, Vec::new(), None));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(p, s, items)) => Node { kind: NodeKind::Seq(items), pos: p, span: s..end },
                _ => return Err(Diagnostic::error(file, Some(pos), "YAML 结构不完整（括号或缩进没有配对）")),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(p, s, entries, _)) => Node { kind: NodeKind::Map(entries), pos: p, span: s..end },
                _ => return Err(Diagnostic::error(file, Some(pos), "YAML 结构不完整（括号或缩进没有配对）")),
            },
            Event::Alias(_) => {
                // Aliases can multiply a small file into a huge one (the
                // "billion laughs"); member data never needs them.
                return Err(Diagnostic::error(file, Some(pos), "不支持 YAML 别名（*名称）")
                    .hint("删除 `*` 别名，把内容直接写出来"));
            }
            _ => continue,
        };
        match stack.last_mut() {
            Some(Frame::Seq(_, _, items)) => items.push(node),
            Some(Frame::Map(_, _, entries, key)) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
            None => root = Some(node),
        }
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_key_indented_less_than_its_neighbours_is_told_at_its_own_line() {
        let text = "departures:\n  - id: W1\n    destination:\n      province: 广东省\n    city: 深圳市\n      county: 南山区\n";
        let e = parse(Path::new("m.yaml"), text).unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(5, 1)), "{}", e.message);
        assert!(e.message.contains("缩进（4 个空格）和同一层的其他行（6 个空格）不一样"), "{}", e.message);
        assert!(e.hint.contains("改成 6 个"));
        let text = "family_contacts:\n  - name: 陈凤英\n  relation: 配偶\n";
        let e = parse(Path::new("m.yaml"), text).unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(3, 1)), "{}", e.message);
        assert!(e.message.contains("缩进（2 个空格）和同一层的其他行（4 个空格）不一样"), "{}", e.message);
    }

    use super::*;

    fn p(text: &str) -> Node {
        parse(Path::new("t.yaml"), text).unwrap().unwrap()
    }

    #[test]
    fn a_chinese_colon_or_space_is_named_at_its_own_line_with_the_fix() {
        let e = parse(Path::new("t.yaml"), "name: 张三\nmobile：\"13900001111\"\nbranch: b1\n").unwrap_err();
        assert_eq!(e.pos, Some(Pos::new(2, 7)));
        assert_eq!(e.message, "YAML 格式错误：`mobile` 后面用了中文冒号“：”");
        assert_eq!(e.hint, "把中文冒号“：”改成英文冒号“:”，冒号后面空一格");
        let e = parse(Path::new("t.yaml"), "family:\n  - name: 王\n\u{3000}\u{3000}relation: 子\n").unwrap_err();
        assert_eq!(e.pos.map(|p| p.line), Some(3));
        assert!(e.message.contains("全角空格"), "{}", e.message);
        // A Chinese colon inside a value is text, and a note's paragraph may
        // begin with full-width spaces.
        assert!(parse(Path::new("t.yaml"), "notes: 备注：腿脚不便\n").is_ok());
        assert!(parse(Path::new("t.yaml"), "notes: |\n  \u{3000}\u{3000}新中国成立前参加工作。\n").is_ok());
        // No English parser text reaches the clerk.
        let e = parse(Path::new("t.yaml"), "a: [1, 2\nb: 3\n").unwrap_err();
        let said = e.message.strip_prefix("YAML 格式错误：").unwrap();
        assert!(!said.chars().any(|c| c.is_ascii_alphabetic()), "{}", e.message);
    }

    #[test]
    fn keys_and_values_have_positions() {
        let n = p("name: 张三\nphone: '0571'\nlist:\n  - a\n  - b\n");
        let NodeKind::Map(entries) = &n.kind else { panic!() };
        assert_eq!(entries[0].0.pos, Pos::new(1, 1));
        assert_eq!(entries[0].1.pos, Pos::new(1, 7));
        assert_eq!(entries[1].1.scalar(), Some("0571"));
        assert_eq!(entries[2].1.pos.line, 4);
        let NodeKind::Seq(items) = &entries[2].1.kind else { panic!() };
        assert_eq!(items[1].pos, Pos::new(5, 5));
    }

    #[test]
    fn values_know_their_whole_span() {
        let text = "a: 一二\nb: \"x\n  y\"  # c\nc: |\n  l1\n  l2\nd:\n  plain\n  more\ne: 1\n";
        let n = p(text);
        let NodeKind::Map(entries) = &n.kind else { panic!() };
        let span = |i: usize| &text[entries[i].1.span.clone()];
        assert_eq!(span(0), "一二");
        assert_eq!(span(1), "\"x\n  y\"");
        // A block scalar's span is its lines; from the key's end it takes the indicator too.
        assert_eq!(span(2), "l1\n  l2\n");
        assert_eq!(&text[entries[2].0.span.end..entries[2].1.span.end], ": |\n  l1\n  l2\n");
        assert_eq!(span(3).trim_end(), "plain\n  more");
        assert_eq!(span(4), "1");
    }

    #[test]
    fn leading_zeros_are_kept() {
        let n = p("home_phone: 057188886666\n");
        let NodeKind::Map(entries) = &n.kind else { panic!() };
        assert_eq!(entries[0].1.scalar(), Some("057188886666"));
    }

    #[test]
    fn syntax_error_has_position() {
        let e = parse(Path::new("t.yaml"), "name: a\n  bad: [1, 2\n").unwrap_err();
        assert!(e.message.starts_with("YAML 格式错误"), "{}", e.message);
        assert!(e.pos.is_some());
    }

    #[test]
    fn aliases_and_deep_nesting_are_refused() {
        let e = parse(Path::new("t.yaml"), "a: &x [1, 2]\nb: *x\n").unwrap_err();
        assert_eq!((e.message.as_str(), e.pos), ("不支持 YAML 别名（*名称）", Some(Pos::new(2, 4))));
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = parse(Path::new("t.yaml"), &deep).unwrap_err();
        assert!(e.message.contains("嵌套层次太深"), "{}", e.message);
    }

    #[test]
    fn empty_file_is_none() {
        assert_eq!(parse(Path::new("t.yaml"), "# only a comment\n").unwrap(), None);
    }
}
