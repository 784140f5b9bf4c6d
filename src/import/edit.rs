//! Exact edits of a member file for `import --update`: each changed value
//! is replaced over its whole written span (plain, quoted over lines, on the
//! line after its key, a block scalar), nothing else is touched — comments,
//! line endings, departures and visits stay byte for byte — and the edited
//! text is read back and every field compared with what the report promised
//! before it may be written. What cannot be edited exactly is refused with
//! the reason.

use std::cell::RefCell;
use std::path::Path;

use super::columns::{Field, HEADERS};
use super::member_yaml::{key_of, value_text};
use super::update::current;
use crate::diag::Diagnostics;
use crate::office::{MEMBER_KEYS, Member, read_member};
use crate::yaml::{Fields, NodeKind, parse};

/// `text` (the file of `old`) with each `(field, new value)` changed in
/// place, verified by reading it back. Err: why it cannot be done exactly.
pub(super) fn edit(old: &Member, text: &str, changes: &[(Field, String)]) -> Result<String, String> {
    let file = old.file.as_path();
    let root = parse(file, text).map_err(|d| format!("读不懂这个文件（{}）", d.message))?.ok_or("文件是空的")?;
    let NodeKind::Map(entries) = &root.kind else { return Err("文件最外层不是“键: 值”的写法".into()) };
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let block_at_margin = !text[root.span.start..].starts_with('{') && entries.iter().all(|(k, _)| k.pos.column == 1);
    let mut replacements = Vec::new();
    let mut appended = String::new();
    for (f, new) in changes {
        let key = key_of(*f).ok_or_else(|| format!("不能用导入修改 {f:?}"))?;
        let rendered = value_text(*f, new);
        match entries.iter().find(|(k, _)| k.scalar() == Some(key)) {
            // Written blank to complete (`native_place:  # 待补充`): the
            // rest of the key's line, comment and all, becomes the value.
            Some((k, v)) if v.is_null() => {
                let line_end = text[k.span.end..].find(['\r', '\n']).map_or(text.len(), |i| k.span.end + i);
                replacements.push((k.span.end..line_end, format!(": {rendered}")));
            }
            Some((k, v)) => {
                // From the end of the key to the end of the value: the colon, a
                // line break before the value, a block indicator, the value.
                let region = &text[k.span.end..v.span.end];
                let kept = &region[region.trim_end_matches(['\r', '\n']).len()..];
                replacements.push((k.span.end..v.span.end, format!(": {rendered}{kept}")));
            }
            None if block_at_margin => appended.push_str(&format!("{key}: {rendered}{eol}")),
            None => {
                return Err(format!(
                    "要新增 `{key}`，但这个文件是缩进或花括号的写法，无法确定加在哪里；请手工在文件里加上 `{key}: {rendered}`"
                ));
            }
        }
    }
    replacements.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (range, with) in replacements {
        out.replace_range(range, &with);
    }
    if !appended.is_empty() {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str(&appended);
    }
    verify(old, &out, changes)?;
    Ok(out)
}

/// Read `text` back as a member file: every field must be what it was,
/// except the changed ones, which must be the new values.
fn verify(old: &Member, text: &str, changes: &[(Field, String)]) -> Result<(), String> {
    let file = old.file.as_path();
    let new = read_back(file, text)?;
    // Every top-level field import writes: those with a key of their own.
    for f in HEADERS.iter().map(|(f, _)| f).filter(|f| key_of(**f).is_some()) {
        let expected =
            changes.iter().find(|(g, _)| g == f).map(|(_, v)| Some(v.clone())).unwrap_or_else(|| current(old, *f));
        let got = current(&new, *f);
        if got != expected {
            return Err(format!(
                "改完后读回来，`{}` 是“{}”，应为“{}”；没有改动这个文件",
                key_of(*f).unwrap_or("?"),
                got.unwrap_or_default(),
                expected.unwrap_or_default()
            ));
        }
    }
    let counts = |m: &Member| (m.departures.len(), m.visits.len(), m.family_contacts.len());
    if counts(&new) != counts(old) {
        return Err("改完后读回来，外出、走访或家属记录的条数变了；没有改动这个文件".into());
    }
    Ok(())
}

fn read_back(file: &Path, text: &str) -> Result<Member, String> {
    let root = parse(file, text).map_err(|d| format!("改完后无法解析（{}）；没有改动这个文件", d.message))?;
    let root = root.ok_or("改完后文件是空的；没有改动这个文件")?;
    let diags = RefCell::new(Diagnostics::default());
    let fields = Fields::new(file, &root, MEMBER_KEYS, "", &diags).ok_or("改完后读不出成员；没有改动这个文件")?;
    let m = read_member(fields, file.to_path_buf());
    if diags.borrow().has_errors() {
        return Err("改完后文件有错误；没有改动这个文件".into());
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(text: &str) -> Member {
        read_back(Path::new("m.yaml"), text).unwrap()
    }

    const BASE: &str = "id: a\nname: 张三\nsex: 男\nethnicity: 汉族\nid_number: \"330105195003051214\"\nnative_place: 浙江\njoined_party: 1975-07-01\nbranch: b1\n";

    fn changed(extra: &str, f: Field, v: &str) -> Result<String, String> {
        let text = format!("{BASE}{extra}");
        edit(&member(&text), &text, &[(f, v.to_string())])
    }

    #[test]
    fn a_value_continued_on_the_next_line_is_replaced_whole() {
        let out = changed(
            "address: 杭州市西湖区\n  文三路 1 号  # 旧址\nmobile: \"13900000000\"\n",
            Field::Address,
            "杭州市拱墅区",
        )
        .unwrap();
        assert!(out.contains("address: 杭州市拱墅区  # 旧址\nmobile:"), "{out}");
    }

    #[test]
    fn a_value_on_the_line_after_its_key_and_a_quoted_one_over_two_lines() {
        let out = changed("address:\n  杭州市西湖区\n", Field::Address, "杭州市拱墅区").unwrap();
        assert!(out.ends_with("address: 杭州市拱墅区\n"), "{out}");
        let out = changed("address: \"杭州市西湖区\n  文三路\"\n", Field::Address, "杭州市拱墅区").unwrap();
        assert!(out.ends_with("address: 杭州市拱墅区\n"), "{out}");
    }

    #[test]
    fn a_block_scalar_is_replaced_and_a_comment_kept() {
        let out =
            changed("address: 杭州\nnotes: |\n  第一行\n  第二行\n# 结尾的注释\n", Field::Notes, "新备注").unwrap();
        assert!(out.ends_with("notes: 新备注\n# 结尾的注释\n"), "{out:?}");
    }

    #[test]
    fn a_blank_to_complete_is_filled_in() {
        let base = format!("{BASE}address: 杭州\n");
        let text = base.replace("native_place: 浙江\n", "native_place:  # 待补充\n");
        let m = member(&text);
        assert!(m.is_to_complete("native_place"));
        let out = edit(&m, &text, &[(Field::NativePlace, "浙江宁波".into())]).unwrap();
        assert_eq!(out, base.replace("native_place: 浙江\n", "native_place: 浙江宁波\n"));
    }

    #[test]
    fn crlf_stays_crlf() {
        let text = format!("{BASE}address: 杭州\nmobile: \"13900000000\"  # 本人\n").replace('\n', "\r\n");
        let out =
            edit(&member(&text), &text, &[(Field::Mobile, "13911112222".into()), (Field::Education, "高中".into())])
                .unwrap();
        assert_eq!(out.matches("\r\n").count(), out.matches('\n').count(), "{out:?}");
        assert!(out.contains("mobile: \"13911112222\"  # 本人\r\neducation: 高中\r\n"), "{out:?}");
    }

    #[test]
    fn an_indented_or_flow_file_is_edited_in_place_or_refused_with_the_reason() {
        let flow = "{id: a, name: 张三, sex: 男, ethnicity: 汉族, id_number: \"330105195003051214\", native_place: 浙江, address: 杭州, joined_party: 1975-07-01, branch: b1, mobile: \"13900000000\"}\n";
        let out = edit(&member(flow), flow, &[(Field::Mobile, "13911112222".into())]).unwrap();
        assert!(out.contains("mobile: \"13911112222\"}"), "{out}");
        let err = edit(&member(flow), flow, &[(Field::Education, "高中".into())]).unwrap_err();
        assert!(err.contains("花括号") && err.contains("education: 高中"), "{err}");
    }
}
