//! Every character of every name and address must have a glyph in the
//! bundled member-text font, or it prints as an empty box.

use crate::diag::{Diagnostic, Diagnostics};
use crate::office::Office;
use crate::yaml::Located;

fn missing(text: &str, covers: &dyn Fn(char) -> bool) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if !covers(c) && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

pub fn check_glyphs(office: &Office, covers: &dyn Fn(char) -> bool, d: &mut Diagnostics) {
    let mut report = |file: &std::path::Path, v: &Located<String>, label: &str| {
        let chars = missing(&v.value, covers);
        if !chars.is_empty() {
            let list: Vec<String> = chars.iter().map(|c| format!("“{c}”(U+{:04X})", *c as u32)).collect();
            d.push(
                Diagnostic::error(
                    file,
                    Some(v.pos),
                    format!("{label}中的字 {} 在内置字体中没有字形，打印出来会是空框", list.join("、")),
                )
                .hint("核对是否录入了错字或繁体/异体字；确需此字时请在 fonts/ 中加入含该字的开源字体"),
            );
        }
    };
    for m in &office.members {
        let f = &m.file;
        report(f, &m.name, "姓名");
        report(f, &m.address, "家庭住址");
        report(f, &m.native_place, "籍贯");
        for c in &m.family_contacts {
            report(f, &c.name, "家属姓名");
        }
        for dep in &m.departures {
            if let Some(a) = &dep.destination.address {
                report(f, a, "外出地址");
            }
        }
        for (v, label) in [(&m.former_unit, "原工作单位"), (&m.living, "生活状况"), (&m.notes, "备注")] {
            if let Some(v) = v {
                report(f, v, label);
            }
        }
    }
    let f = &office.org_file;
    for b in &office.org.branches {
        report(f, &b.name, "支部名称");
        for c in &b.committee {
            report(f, &c.name, "支委姓名");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_each_missing_character_once() {
        let covers = |c: char| c != '𠀀';
        assert_eq!(missing("张𠀀𠀀三", &covers), vec!['𠀀']);
        assert!(missing("张三", &covers).is_empty());
    }
}
