//! Write a member file from imported values, in the order and shape of
//! docs/data-format.md, remembering which line holds which field so that a
//! problem `check` finds in the file can be pointed back at the sheet's cell.

use std::collections::BTreeMap;

use super::columns::Field;
use crate::office::{HardshipLevel, HealthStatus, Word};

/// One imported person: field → value as the data format writes it.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub values: BTreeMap<Field, String>,
    pub family: Vec<(String, String, String)>,
}

impl Draft {
    pub fn get(&self, f: Field) -> Option<&str> {
        self.values.get(&f).map(String::as_str).filter(|s| !s.is_empty())
    }
}

/// Whether `s` can be written unquoted and still read back as the same text.
fn plain_ok(s: &str) -> bool {
    let first = s.chars().next();
    !s.is_empty()
        && s.trim() == s
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.chars().any(char::is_control)
        && !first.is_some_and(|c| "-?:,[]{}#&*!|>'\"%@`~".contains(c))
        && !s.chars().all(|c| c.is_ascii_digit() || ".-+eE_:".contains(c))
        && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(&s.to_lowercase().as_str())
}

/// A YAML scalar for text: plain when safe, else double-quoted.
pub fn scalar(s: &str) -> String {
    if plain_ok(s) { s.to_string() } else { serde_json::to_string(s).expect("strings serialise") }
}

/// Always quoted: numbers that are text (ID numbers, phones, postcodes).
pub fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// The file's text and, for each line (1-based), the field written there.
pub fn render(d: &Draft, id: &str, branch: &str, group: Option<&str>, header: &[String]) -> (String, Vec<Field>) {
    let mut w = Writer { d, out: String::new(), lines: Vec::new() };
    for h in header {
        // A comment is one line: a name with a line break must not end it.
        let h: String = h.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        w.line(Field::Derived, format!("# {h}"));
    }
    w.line(Field::Id, format!("id: {id}"));
    for (f, key, quote) in [
        (Field::Name, "name", false),
        (Field::Sex, "sex", false),
        (Field::Ethnicity, "ethnicity", false),
        (Field::IdNumber, "id_number", true),
        (Field::BirthDate, "birth_date", false),
        (Field::NativePlace, "native_place", false),
        (Field::Address, "address", false),
        (Field::Postcode, "postcode", true),
        (Field::InCity, "in_city", false),
        (Field::HomePhone, "home_phone", true),
        (Field::Mobile, "mobile", true),
    ] {
        w.field(f, key, quote);
    }
    w.family();
    for (f, key) in [
        (Field::Education, "education"),
        (Field::JoinedParty, "joined_party"),
        (Field::FullMember, "full_member"),
        (Field::Retired, "retired"),
        (Field::FormerUnit, "former_unit"),
    ] {
        w.field(f, key, false);
    }
    w.line(Field::Branch, format!("branch: {branch}"));
    if let Some(g) = group {
        w.line(Field::Group, format!("group: {g}"));
    }
    w.field(Field::Living, "living", false);
    let health = (Field::HealthStatus, "status", &HealthStatus::words()[..]);
    w.nested("health", health, Field::HealthSince, Field::HealthNotes);
    let hardship = (Field::Hardship, "level", &HardshipLevel::words()[..]);
    w.nested("hardship", hardship, Field::HardshipSince, Field::HardshipNotes);
    for (f, key) in [(Field::Pension, "pension"), (Field::ReceiveMail, "receive_mail"), (Field::Notes, "notes")] {
        w.field(f, key, false);
    }
    (w.out, w.lines)
}

/// A member file being written from a draft, line by line, each line's
/// field noted.
struct Writer<'d> {
    d: &'d Draft,
    out: String,
    lines: Vec<Field>,
}

impl Writer<'_> {
    fn line(&mut self, f: Field, text: String) {
        self.out.push_str(&text);
        self.out.push('\n');
        self.lines.push(f);
    }

    /// `key: value` when the draft has the field. Required, and not in the
    /// sheet (or blank there): left blank to complete by hand; `check`
    /// reminds, documents print a blank.
    fn field(&mut self, f: Field, key: &str, quote: bool) {
        match self.d.get(f) {
            None if TO_COMPLETE.contains(&f) => self.line(f, format!("{key}:  # 待补充")),
            None => {}
            Some(v) => {
                let v = if quote {
                    quoted(v)
                } else if is_bare(f) {
                    v.to_string()
                } else {
                    scalar(v)
                };
                self.line(f, format!("{key}: {v}"));
            }
        }
    }

    fn family(&mut self) {
        if self.d.family.is_empty() {
            return;
        }
        self.line(Field::Family, "family_contacts:".into());
        for (name, relation, phone) in &self.d.family {
            self.line(Field::Family, format!("  - name: {}", scalar(name)));
            if !relation.is_empty() {
                self.line(Field::Family, format!("    relation: {}", scalar(relation)));
            }
            if !phone.is_empty() {
                self.line(Field::Family, format!("    phone: {}", quoted(phone)));
            }
        }
    }

    /// 健康状况 / 生活困难: a known word is the status, anything else a note.
    fn nested(
        &mut self,
        key: &str,
        (status_field, status_key, known): (Field, &str, &[&str]),
        since: Field,
        notes: Field,
    ) {
        let d = self.d;
        let mut status = d.get(status_field).map(str::to_string);
        let mut note = d.get(notes).map(str::to_string);
        if let Some(s) = status.clone()
            && !known.contains(&s.as_str())
        {
            note = Some(match note {
                Some(n) => format!("{s}；{n}"),
                None => s,
            });
            status = None;
        }
        if status.is_none() && note.is_none() && d.get(since).is_none() {
            return;
        }
        self.line(status_field, format!("{key}:"));
        if let Some(s) = status {
            self.line(status_field, format!("  {status_key}: {}", scalar(&s)));
        }
        if let Some(s) = d.get(since) {
            self.line(since, format!("  since: {s}"));
        }
        if let Some(n) = note {
            self.line(notes, format!("  notes: {}", scalar(&n)));
        }
    }
}

/// Required fields a register may not have: written blank ("to complete")
/// instead of refusing the row. Name, ID number and branch stay required.
pub const TO_COMPLETE: &[Field] =
    &[Field::Sex, Field::Ethnicity, Field::NativePlace, Field::Address, Field::JoinedParty];

/// Values already in the data format's own syntax (dates, flags, amounts).
fn is_bare(f: Field) -> bool {
    matches!(
        f,
        Field::BirthDate
            | Field::JoinedParty
            | Field::FullMember
            | Field::Retired
            | Field::InCity
            | Field::ReceiveMail
            | Field::Pension
            | Field::HealthSince
            | Field::HardshipSince
    )
}

/// The top-level key a field is written under, for `--update`.
pub fn key_of(f: Field) -> Option<&'static str> {
    Some(match f {
        Field::Name => "name",
        // Changed only with --rename (a corrected number; see `import::run`).
        Field::IdNumber => "id_number",
        Field::Sex => "sex",
        Field::Ethnicity => "ethnicity",
        Field::BirthDate => "birth_date",
        Field::NativePlace => "native_place",
        Field::Address => "address",
        Field::Postcode => "postcode",
        Field::InCity => "in_city",
        Field::HomePhone => "home_phone",
        Field::Mobile => "mobile",
        Field::Education => "education",
        Field::JoinedParty => "joined_party",
        Field::FullMember => "full_member",
        Field::Retired => "retired",
        Field::FormerUnit => "former_unit",
        Field::Living => "living",
        Field::Pension => "pension",
        Field::ReceiveMail => "receive_mail",
        Field::Notes => "notes",
        _ => return None,
    })
}

/// The scalar to write for `f` = `v` (quoted as `render` would).
pub fn value_text(f: Field, v: &str) -> String {
    match f {
        Field::IdNumber | Field::Postcode | Field::HomePhone | Field::Mobile => quoted(v),
        _ if is_bare(f) => v.to_string(),
        _ => scalar(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_that_would_change_meaning_are_quoted() {
        assert_eq!(scalar("张三"), "张三");
        assert_eq!(scalar("是"), "是");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("0571"), "\"0571\"");
        assert_eq!(scalar("- 张"), "\"- 张\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("<script>"), "<script>");
        assert_eq!(scalar("'x'"), "\"'x'\"");
        assert_eq!(scalar("一\n二"), "\"一\\n二\"");
    }

    #[test]
    fn health_words_that_are_not_statuses_become_notes() {
        let mut d = Draft::default();
        d.values.insert(Field::Name, "张三".into());
        d.values.insert(Field::HealthStatus, "高血压".into());
        let (text, lines) = render(&d, "b1-001", "b1", None, &["导入".into()]);
        assert!(text.contains("health:\n  notes: 高血压\n"), "{text}");
        assert_eq!(text.lines().count(), lines.len());
        assert_eq!(lines[0], Field::Derived);
        assert_eq!(lines[2], Field::Name);
        let (text, _) = render(&d, "b1-001", "b1", None, &["张\n三: x".into()]);
        assert!(text.starts_with("# 张 三: x\nid: b1-001\n"), "{text}");
    }
}
