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
    let mut out = String::new();
    let mut lines: Vec<Field> = Vec::new();
    let push = |out: &mut String, lines: &mut Vec<Field>, f: Field, text: String| {
        out.push_str(&text);
        out.push('\n');
        lines.push(f);
    };
    for h in header {
        // A comment is one line: a name with a line break must not end it.
        let h: String = h.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        push(&mut out, &mut lines, Field::Derived, format!("# {h}"));
    }
    push(&mut out, &mut lines, Field::Id, format!("id: {id}"));
    let simple = [
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
    ];
    let write = |out: &mut String, lines: &mut Vec<Field>, f: Field, key: &str, quote: bool| {
        // Required, and not in the sheet (or blank there): left blank to
        // complete by hand; `check` reminds, documents print a blank.
        if d.get(f).is_none() && TO_COMPLETE.contains(&f) {
            out.push_str(&format!("{key}:  # 待补充\n"));
            lines.push(f);
        }
        if let Some(v) = d.get(f) {
            let v = if quote {
                quoted(v)
            } else if is_bare(f) {
                v.to_string()
            } else {
                scalar(v)
            };
            out.push_str(&format!("{key}: {v}\n"));
            lines.push(f);
        }
    };
    for (f, key, q) in simple {
        write(&mut out, &mut lines, f, key, q);
    }
    if !d.family.is_empty() {
        push(&mut out, &mut lines, Field::Family, "family_contacts:".into());
        for (name, relation, phone) in &d.family {
            push(&mut out, &mut lines, Field::Family, format!("  - name: {}", scalar(name)));
            if !relation.is_empty() {
                push(&mut out, &mut lines, Field::Family, format!("    relation: {}", scalar(relation)));
            }
            if !phone.is_empty() {
                push(&mut out, &mut lines, Field::Family, format!("    phone: {}", quoted(phone)));
            }
        }
    }
    for (f, key) in [
        (Field::Education, "education"),
        (Field::JoinedParty, "joined_party"),
        (Field::FullMember, "full_member"),
        (Field::Retired, "retired"),
        (Field::FormerUnit, "former_unit"),
    ] {
        write(&mut out, &mut lines, f, key, false);
    }
    push(&mut out, &mut lines, Field::Branch, format!("branch: {branch}"));
    if let Some(g) = group {
        push(&mut out, &mut lines, Field::Group, format!("group: {g}"));
    }
    write(&mut out, &mut lines, Field::Living, "living", false);
    // 健康状况 / 生活困难: a known word is the status, anything else a note.
    let nested = |out: &mut String,
                  lines: &mut Vec<Field>,
                  key: &str,
                  (status_field, status_key, known): (Field, &str, &[&str]),
                  since: Field,
                  notes: Field| {
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
        out.push_str(&format!("{key}:\n"));
        lines.push(status_field);
        if let Some(s) = status {
            out.push_str(&format!("  {status_key}: {}\n", scalar(&s)));
            lines.push(status_field);
        }
        if let Some(s) = d.get(since) {
            out.push_str(&format!("  since: {s}\n"));
            lines.push(since);
        }
        if let Some(n) = note {
            out.push_str(&format!("  notes: {}\n", scalar(&n)));
            lines.push(notes);
        }
    };
    nested(
        &mut out,
        &mut lines,
        "health",
        (Field::HealthStatus, "status", &HealthStatus::words()),
        Field::HealthSince,
        Field::HealthNotes,
    );
    nested(
        &mut out,
        &mut lines,
        "hardship",
        (Field::Hardship, "level", &HardshipLevel::words()),
        Field::HardshipSince,
        Field::HardshipNotes,
    );
    write(&mut out, &mut lines, Field::Pension, "pension", false);
    write(&mut out, &mut lines, Field::ReceiveMail, "receive_mail", false);
    write(&mut out, &mut lines, Field::Notes, "notes", false);
    (out, lines)
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
