//! Check: every rule a member file or org.yaml must satisfy, run over the
//! whole office so that all problems come out in one run.

mod dates;
mod departures;
mod dues;
mod glyphs;
mod lifecycle;
pub mod people;
pub mod refs;
mod visits;

use chrono::NaiveDate;

use crate::diag::Diagnostics;
use crate::facts::Facts;
use crate::fonts::FontSet;
use crate::office::{Member, Office};

/// A warning about the whole member (not one departure): "党费欠交（张三）：…".
fn member_warning(
    m: &crate::office::Member,
    pos: crate::diag::Pos,
    what: &str,
    text: &str,
    hint: &str,
) -> crate::diag::Diagnostic {
    crate::diag::Diagnostic::warning(&m.file, Some(pos), format!("{what}（{}）：{text}", m.name.value)).hint(hint)
}

/// The checks of one member's records as `check` runs them (dates,
/// departures, visits, dues, status; the branch and group it names), the
/// member alone in `office`'s organisation: what the desk and the import
/// run on a file before writing it. Identity and contact details are
/// [`crate::load::read_member_text`]'s; the fonts' coverage is left out.
pub fn check_member_records(office: &Office, member: Member, as_of: NaiveDate) -> Diagnostics {
    let alone = Office {
        org: office.org.clone(),
        org_file: office.org_file.clone(),
        members: vec![member],
        photos: office.photos.clone(),
    };
    let facts = Facts::derive(&alone, as_of);
    let mut d = Diagnostics::default();
    refs::check_members(&alone, &mut d);
    dates::check_member_dates(&alone.members[0], as_of, &mut d);
    departures::check_departures(&facts, &mut d);
    visits::check_visits(&facts, &mut d);
    dues::check_dues(&facts, &mut d);
    lifecycle::check_lifecycle(&facts, &mut d);
    d
}

/// Run every check on the office the facts were derived from; their
/// `as_of` is "today" for date rules.
pub fn check(facts: &Facts, fonts: &FontSet) -> Diagnostics {
    let (office, as_of) = (facts.office, facts.as_of);
    let mut d = Diagnostics::default();
    refs::check_org(office, &mut d);
    refs::check_members(office, &mut d);
    for m in &office.members {
        people::check_identity(m, as_of, &mut d);
        people::check_contacts(m, &mut d);
        people::check_to_complete(m, &mut d);
        dates::check_member_dates(m, as_of, &mut d);
    }
    departures::check_departures(facts, &mut d);
    visits::check_visits(facts, &mut d);
    dues::check_dues(facts, &mut d);
    lifecycle::check_lifecycle(facts, &mut d);
    glyphs::check_glyphs(office, &|c| fonts.covers_member_text(c), &mut d);
    d
}
