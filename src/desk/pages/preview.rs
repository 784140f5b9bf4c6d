//! A change before it is made: the member file's lines around it, the
//! lines taken out and the lines added, numbered as in the file; a new
//! member's file whole.

use minijinja::context;
use serde::Serialize;

use super::{Answer, Pages, ser};
use crate::desk::Desk;
use crate::desk::forms::{Filled, Record};
use crate::desk::member_form::NewMember;

#[derive(Serialize)]
struct DiffLine {
    sign: &'static str,
    number: usize,
    text: String,
}

impl Pages {
    #[allow(clippy::too_many_arguments)]
    pub fn preview(
        &self,
        desk: &Desk,
        id: &str,
        member: &str,
        record: Record,
        filled: &Filled,
        what: &str,
        before: &str,
        after: &str,
        shown: &str,
    ) -> Answer {
        let file = self.find(desk, id).map(|(_, f)| f.strip_prefix(&desk.data).unwrap_or(&f).display().to_string());
        self.render(
            "preview.html",
            200,
            context! {
                site => self.site(desk, None),
                id, member, what,
                title => record.title(),
                action => format!("/m/{id}/{}", record.path()),
                file,
                lines => ser(&diff(before, after)),
                filled => ser(filled),
                shown,
            },
        )
    }

    /// 新增党员, before saving: the file as it will be written.
    pub fn new_member_preview(&self, desk: &Desk, new: &NewMember, filled: &Filled) -> Answer {
        self.render(
            "preview.html",
            200,
            context! {
                site => self.site(desk, None),
                id => new.id.clone(), member => new.name.clone(), what => new.what.clone(),
                title => "新增党员",
                action => "/new",
                new => true,
                file => new.file.strip_prefix(&desk.data).unwrap_or(&new.file).display().to_string(),
                lines => ser(&diff("", &new.text)),
                filled => ser(filled),
                shown => "",
            },
        )
    }
}

/// The lines that change, each with its number (in the file before for a
/// line taken out, after for one added), and two unchanged lines around
/// each change; a gap between changes is a line of "…".
fn diff(before: &str, after: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    let d = TextDiff::configure().algorithm(similar::Algorithm::Myers).diff_lines(before, after);
    let mut out = Vec::new();
    for (g, group) in d.grouped_ops(2).iter().enumerate() {
        if g > 0 {
            out.push(DiffLine { sign: " ", number: 0, text: "……".into() });
        }
        for op in group {
            for change in d.iter_changes(op) {
                let (sign, number) = match change.tag() {
                    ChangeTag::Equal => (" ", change.new_index()),
                    ChangeTag::Delete => ("-", change.old_index()),
                    ChangeTag::Insert => ("+", change.new_index()),
                };
                let text = change.value().trim_end_matches(['\n', '\r']).to_string();
                out.push(DiffLine { sign, number: number.map_or(0, |n| n + 1), text });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_shows_the_added_lines_with_their_numbers_and_two_lines_around() {
        let d = diff("a\nb\nc\nd\n", "a\nb\nc\nx\ny\nd\n");
        let shown: Vec<String> = d.iter().map(|l| format!("{}{} {}", l.sign, l.number, l.text)).collect();
        assert_eq!(shown, vec![" 2 b", " 3 c", "+4 x", "+5 y", " 6 d"]);
    }

    #[test]
    fn two_changes_far_apart_are_two_small_hunks_not_the_file_between() {
        let before: String = (1..=40).map(|i| format!("line {i}\n")).collect();
        let after = before.replace("line 3\n", "line three\n").replace("line 38\n", "line thirty-eight\n");
        let d = diff(&before, &after);
        let changed: Vec<String> =
            d.iter().filter(|l| l.sign != " ").map(|l| format!("{}{} {}", l.sign, l.number, l.text)).collect();
        assert_eq!(changed, ["-3 line 3", "+3 line three", "-38 line 38", "+38 line thirty-eight"]);
        assert!(d.len() < 15, "{}", d.len());
    }
}
