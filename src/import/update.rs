//! `--update`: a person already in the data (same ID number) gets the
//! fields that changed, each changed top-level line replaced in place; the
//! rest of their file — comments, departures, visits — stays as it was.

use super::Outcome;
use super::columns::Field;
use super::member_yaml::{Draft, key_of, value_text};
use crate::office::Member;

/// A person already in the data: which top-level fields differ, and with
/// `update` the file's new text (each changed line replaced in place).
pub(super) fn existing(m: &Member, d: &Draft, update: bool) -> Outcome {
    let text = std::fs::read_to_string(&m.file).unwrap_or_default();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut changes = Vec::new();
    for (f, new) in &d.values {
        let Some(key) = key_of(*f) else { continue };
        let old = current(m, *f);
        if old.as_deref() == Some(new.as_str()) {
            continue;
        }
        let rendered = format!("{key}: {}", value_text(*f, new));
        match lines.iter().position(|l| l.starts_with(&format!("{key}:"))) {
            Some(i) if !lines[i][key.len() + 1..].trim_start().starts_with(['|', '>']) => lines[i] = rendered,
            Some(_) => continue,
            None => lines.push(rendered),
        }
        changes.push((*f, old.unwrap_or_else(|| "（空）".into()), new.clone()));
    }
    let text = (update && !changes.is_empty()).then(|| lines.join("\n") + "\n");
    Outcome::Existing { member_id: m.id.value.clone(), name: m.name.value.clone(), path: m.file.clone(), changes, text }
}

/// A member's current value of `f`, as the import would write it.
fn current(m: &Member, f: Field) -> Option<String> {
    let t = |v: &Option<crate::yaml::Located<String>>| v.as_ref().map(|x| x.value.clone());
    match f {
        Field::Name => Some(m.name.value.clone()),
        Field::Sex => Some(m.sex.value.zh().into()),
        Field::Ethnicity => Some(m.ethnicity.value.clone()),
        Field::BirthDate => m.birth_date.as_ref().map(|d| d.value.to_string()),
        Field::NativePlace => Some(m.native_place.value.clone()),
        Field::Address => Some(m.address.value.clone()),
        Field::Postcode => t(&m.postcode),
        Field::InCity => Some(m.in_city.to_string()),
        Field::HomePhone => t(&m.home_phone),
        Field::Mobile => t(&m.mobile),
        Field::Education => t(&m.education),
        Field::JoinedParty => Some(m.joined_party.value.to_string()),
        Field::FullMember => m.full_member.as_ref().map(|d| d.value.to_string()),
        Field::Retired => m.retired.as_ref().map(|d| d.value.to_string()),
        Field::FormerUnit => t(&m.former_unit),
        Field::Living => t(&m.living),
        Field::Pension => m.pension.as_ref().map(|p| p.value.to_string()),
        Field::ReceiveMail => Some(m.receive_mail.to_string()),
        Field::Notes => t(&m.notes),
        _ => None,
    }
}
