//! `--update`: a person already in the data (same ID number) gets the
//! fields that changed, each value edited in place; the rest of their file
//! — comments, line endings, departures, visits — stays as it was.

use super::Outcome;
use super::columns::Field;
use super::edit::edit;
use super::member_yaml::{Draft, key_of};
use crate::office::Member;

/// A person already in the data: which top-level fields differ, and with
/// `update` the file's new text, each changed value edited in place
/// ([`super::edit`]). The second value is a problem to report (naming the
/// member file) when the file cannot be edited exactly.
pub(super) fn existing(m: &Member, d: &Draft, update: bool) -> (Outcome, Option<String>) {
    let original = match std::fs::read_to_string(&m.file) {
        Ok(t) => t,
        Err(e) => return (Outcome::Skipped, Some(format!("无法读取成员文件 {}：{e}", m.file.display()))),
    };
    let mut changes = Vec::new();
    let mut edits = Vec::new();
    for (f, new) in &d.values {
        if key_of(*f).is_none() {
            continue;
        }
        // The number the member was found by, however the sheet writes it.
        if *f == Field::IdNumber && crate::office::id_number::normalized_or_raw(new) == m.id_number_printed() {
            continue;
        }
        let old = current(m, *f);
        if old.as_deref() == Some(new.as_str()) {
            continue;
        }
        changes.push((*f, old.unwrap_or_else(|| "（空）".into()), new.clone()));
        edits.push((*f, new.clone()));
    }
    let (text, problem) = match (update && !edits.is_empty()).then(|| edit(m, &original, &edits)) {
        None => (None, None),
        Some(Ok(t)) => (Some(t), None),
        Some(Err(e)) => (None, Some(format!("成员文件 {} 无法精确修改：{e}", m.file.display()))),
    };
    let outcome = Outcome::Existing {
        member_id: m.id.value.clone(),
        name: m.name.value.clone(),
        path: m.file.clone(),
        changes,
        text,
        original,
    };
    (outcome, problem)
}

/// A member's current value of `f`, as the import would write it.
pub(super) fn current(m: &Member, f: Field) -> Option<String> {
    let t = |v: &Option<crate::yaml::Located<String>>| v.as_ref().map(|x| x.value.clone());
    match f {
        Field::Name => Some(m.name.value.clone()),
        Field::IdNumber => Some(m.id_number_printed()),
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
        Field::JoinedParty => m.joined_party.as_ref().map(|d| d.value.to_string()),
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
