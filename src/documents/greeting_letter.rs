//! 节日慰问信 (R13): one personal letter per member for a festival, the
//! envelopes for those it is posted to, and the phone list for those who are
//! called. Letters are in delivery order (branch, group) for hand delivery.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::letter_text::LetterText;
use super::{
    DocumentKind, Own, PRINT_PART, family_entries, join_nonempty, liaison, member_print_file, phone_numbers,
    print_file, text, zh_date,
};
use crate::facts::{Facts, MemberFacts};
use crate::manifest::Digest;
use crate::office::{Departure, Office};
use crate::outputs::Output;
use crate::rules::holidays::Holiday;
use crate::rules::status::Whereabouts;

pub const KIND: DocumentKind =
    DocumentKind {
        template: "greeting-letters.typ", zh: "慰问信", folder: "letters", one_page: true, example: None
    };
pub const ENVELOPES: DocumentKind =
    DocumentKind { template: "envelopes.typ", zh: "信封", folder: "letters", one_page: false, example: None };
pub const PHONE_LIST: DocumentKind =
    DocumentKind {
        template: "phone-list.typ", zh: "电话慰问名单", folder: "letters", one_page: false, example: None
    };

#[derive(Debug, Serialize)]
pub struct GreetingLetter {
    pub title: String,
    pub salutation: String,
    pub paragraphs: Vec<String>,
    pub sign_off: Vec<String>,
    pub date: String,
}

#[derive(Debug, Serialize)]
pub struct Letters<'a> {
    pub letters: &'a [GreetingLetter],
}

#[derive(Debug, Serialize)]
pub struct Envelope {
    pub postcode: Vec<String>,
    pub address: String,
    pub name: String,
    pub sender_address: String,
    pub sender_name: String,
    pub sender_postcode: String,
}

/// The envelopes of one print file.
#[derive(Serialize)]
pub struct Envelopes<'a> {
    pub envelopes: &'a [Envelope],
}

#[derive(Debug, Serialize)]
pub struct PhoneRow {
    pub seq: usize,
    pub name: String,
    pub branch: String,
    pub group: String,
    pub whereabouts: String,
    pub phones: Vec<String>,
    pub family: Vec<String>,
    pub caller: String,
}

#[derive(Debug, Serialize)]
pub struct PhoneList<'a> {
    pub title: String,
    pub as_of: String,
    pub total: usize,
    pub rows: &'a [PhoneRow],
}

/// How a member's letter reaches them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Hand,
    Post,
}

pub fn delivery(f: &MemberFacts) -> Delivery {
    if f.member.receive_mail || !f.member.in_city || far_from_home(f) { Delivery::Post } else { Delivery::Hand }
}

/// Away on a trip that is not near home, or with the relationship
/// transferred out: called and written to, not visited.
fn far_from_home(f: &MemberFacts) -> bool {
    f.away_far() || f.whereabouts == Whereabouts::TransferredOut
}

/// The departure that takes the member far from home on `as_of`.
pub fn far_departure<'a>(f: &MemberFacts<'a>) -> Option<&'a Departure> {
    f.current().filter(|_| far_from_home(f)).map(|d| d.departure)
}

/// Round birthdays and Party anniversaries that fall in the festival's
/// year; `when` says that year as the letter's date sees it: "今年", or
/// "新的一年" in a New Year letter dated in December.
pub fn milestones(f: &MemberFacts, year: i32, when: &str) -> Vec<String> {
    let m = f.member;
    let mut v = Vec::new();
    if let Some(b) = f.birth {
        let age = year - b.year();
        if age >= 60 && (age % 10 == 0 || age >= 100) {
            v.push(format!("{when}是您的{age}岁寿辰，我们向您致以最诚挚的祝贺，祝您福如东海、寿比南山！"));
        }
    }
    // 党龄 counts from full membership; a suspended member is not greeted for it.
    let suspended = matches!(f.standing, crate::rules::lifecycle::Standing::Suspended { .. });
    let party = crate::rules::membership::party_age_since(m).filter(|_| !suspended).map(|since| year - since.year());
    if let Some(party) = party
        && party >= 50
        && party % 10 == 0
    {
        v.push(format!("{when}是您光荣在党{party}周年，感谢您半个多世纪以来对党的忠诚和奉献！"));
    }
    v
}

/// The day a letter for a festival on `festival` is dated: `days_before`
/// it (when letters are handed over), or the run's day when that falls
/// between then and the festival; never after the festival.
pub fn letter_date(festival: NaiveDate, days_before: u32, as_of: NaiveDate) -> NaiveDate {
    let planned = festival - chrono::Days::new(days_before.into());
    if (planned..=festival).contains(&as_of) { as_of } else { planned }
}

pub fn build(own: &Own, text_: &LetterText, year: i32, dated: NaiveDate) -> GreetingLetter {
    let f = own.facts;
    let m = f.member;
    let mut paragraphs = text_.paragraphs.clone();
    // Personal lines go after the opening paragraph.
    let when = if dated.year() < year { "新的一年" } else { "今年" };
    let mut personal = milestones(f, year, when);
    if let Some(d) = far_departure(f) {
        let place = d.destination.region();
        if !place.is_empty() {
            personal.push(format!(
                "得知您目前在{place}，身在异乡，组织上时刻牵挂着您。请您保重身体，与支部保持联系，有困难随时告诉我们。"
            ));
        }
    }
    let at = 1.min(paragraphs.len());
    for (i, line) in personal.into_iter().enumerate() {
        paragraphs.insert(at + i, line);
    }
    // Wintering in the south: no cold-weather line.
    if far_departure(f).is_some_and(|d| warm_in_winter(&d.destination.region())) {
        paragraphs = paragraphs.iter().map(|p| without_cold(p)).filter(|p| !p.is_empty()).collect();
    }
    let paragraphs = each_sentence_once(paragraphs);
    GreetingLetter {
        title: text_.title.clone(),
        salutation: format!("尊敬的{}同志：", m.name.value),
        paragraphs,
        sign_off: if text_.sign_off.is_empty() {
            vec![text(&own.org.party_committee.name), text(&own.org.office.name)]
        } else {
            text_.sign_off.clone()
        },
        date: text_.date.clone().unwrap_or_else(|| zh_date(dated)),
    }
}

/// A letter goes to every member on the books but those out of contact
/// (no letter to a stale address) and, unless the office says so, those
/// suspended: both are listed apart (see [`listed_apart`]).
pub fn gets_a_letter(office: &Office, f: &MemberFacts) -> bool {
    use crate::rules::lifecycle::Standing;
    match f.standing {
        Standing::LostContact { .. } => false,
        Standing::Suspended { .. } => office.org.rules.letters_to_suspended,
        _ => true,
    }
}

/// The members on the books without a letter, for the office to decide: name and why.
pub fn listed_apart<'f>(facts: &'f Facts) -> Vec<(&'f MemberFacts<'f>, &'static str)> {
    facts
        .in_print_order()
        .into_iter()
        .filter(|f| !gets_a_letter(facts.office, f))
        .map(|f| (f, f.situation.zh()))
        .collect()
}

/// Provinces where a winter festival is not cold.
const WARM_IN_WINTER: &[&str] = &["海南", "广东", "广西", "福建", "云南", "台湾", "香港", "澳门"];

fn warm_in_winter(region: &str) -> bool {
    WARM_IN_WINTER.iter().any(|p| region.starts_with(p))
}

/// A paragraph without its clauses about the cold (天气寒冷, 注意保暖, 天气转凉).
fn without_cold(p: &str) -> String {
    let cold = |c: &str| ["寒冷", "保暖", "转凉"].iter().any(|w| c.contains(w));
    let mut out = String::new();
    for sentence in p.split_inclusive('。') {
        let clauses: Vec<&str> = sentence.split_inclusive('，').filter(|c| !cold(c)).collect();
        out.push_str(&clauses.concat());
    }
    out
}

/// Each sentence once: one written in the office's text and again in a
/// personal line (or twice in the text) is kept where it first stands.
fn each_sentence_once(paragraphs: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    paragraphs
        .into_iter()
        .map(|p| p.split_inclusive('。').filter(|s| seen.insert(s.trim().to_string())).collect::<String>())
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// Where a posted letter goes: the destination while away, else home.
pub fn postal_address(f: &MemberFacts) -> (String, String) {
    let m = f.member;
    if let Some(d) = far_departure(f)
        && let Some(addr) = &d.destination.address
    {
        let full = join_nonempty(&[d.destination.region(), super::on_paper(&addr.value)], "");
        return (full, text(&d.destination.postcode));
    }
    (super::on_paper(&m.address.value), text(&m.postcode))
}

pub fn envelope(office: &Office, f: &MemberFacts) -> Envelope {
    let m = f.member;
    let (address, postcode) = postal_address(f);
    let o = &office.org.office;
    Envelope {
        postcode: postcode.chars().filter(char::is_ascii_digit).map(|c| c.to_string()).collect(),
        address,
        name: m.name.value.clone(),
        sender_address: text(&o.address),
        sender_name: join_nonempty(&[office.org.enterprise.value.clone(), text(&o.name)], ""),
        sender_postcode: text(&o.postcode),
    }
}

/// The numbers a member is called on: the phone taken away first (as on
/// the visit plan), then the mobile and the home phone, each once.
pub fn phones_to_call(f: &MemberFacts) -> Vec<String> {
    let m = f.member;
    let away = far_departure(f).map(|d| text(&d.phone_away)).unwrap_or_default();
    phone_numbers(&[away, text(&m.mobile), text(&m.home_phone)])
}

fn phone_row(office: &Office, f: &MemberFacts) -> PhoneRow {
    let m = f.member;
    let branch = office.branch(&m.branch.value);
    let group = office.group_of(m);
    let here = far_departure(f);
    let caller = liaison(&office.org, m);
    PhoneRow {
        seq: 0,
        name: m.name.value.clone(),
        branch: branch.map(|b| b.name.value.clone()).unwrap_or_default(),
        group: group.map(|g| g.name.value.clone()).unwrap_or_default(),
        whereabouts: match here {
            Some(d) => format!("外出：{}", d.destination.region()),
            None if !m.in_city => format!("市外：{}", super::on_paper(&m.address.value)),
            None => "在家".into(),
        },
        phones: phones_to_call(f),
        family: family_entries(m),
        caller,
    }
}

/// Letters (per member and one print file), envelopes by postcode, phone list.
/// `dated`: the day the letters are dated (see [`letter_date`]).
pub fn plan<'f>(
    facts: &'f Facts<'f>,
    holiday: &Holiday,
    year: i32,
    text_: &LetterText,
    dated: NaiveDate,
) -> Vec<Output<'f>> {
    let (office, as_of) = (facts.office, facts.as_of);
    let members: Vec<&MemberFacts> = facts.in_print_order().into_iter().filter(|f| gets_a_letter(office, f)).collect();
    if members.is_empty() {
        return Vec::new();
    }
    let key = format!("{year}-{}", holiday.name);
    // Besides the member's file and what all share: the text, the festival and the date.
    let extra = Digest::default().update(format!("{text_:?}{holiday:?}{year}{dated}").as_bytes()).hex();
    let single = |f: &MemberFacts| {
        let id = &f.member.id.value;
        Some((format!("{}/{key}/{id}.pdf", KIND.folder), format!("letter-{key}-{id}")))
    };
    let item = |own: &Own, (text_, year, dated): &(LetterText, i32, NaiveDate)| build(own, text_, *year, *dated);
    let sheet = |letters: &[GreetingLetter]| crate::outputs::to_json(&Letters { letters });
    let stem = format!("{}/{key}", KIND.folder);
    let context = ((text_.clone(), year, dated), extra);
    let mut out = member_print_file(&KIND, facts, &members, &stem, context, single, item, sheet);

    let mut posted: Vec<&MemberFacts> = members.iter().copied().filter(|f| delivery(f) == Delivery::Post).collect();
    posted.sort_by_key(|f| (postal_address(f).1, f.member.id.value.clone()));
    let envelopes: Vec<Envelope> = posted.iter().map(|f| envelope(office, f)).collect();
    // In parts, as every print file: one typst document of a large office's
    // 1,200 envelopes was the largest layout of a build.
    let stem = format!("{}/{key}-envelopes", ENVELOPES.folder);
    out.extend(print_file(&ENVELOPES, &envelopes, 4 * PRINT_PART, &stem, |envelopes| Envelopes { envelopes }));
    // How each letter goes, on a list for whoever sorts them — never on
    // the member's own letter.
    let rows = super::notice::delivery_rows(office, &members);
    let title = format!("{year}年{}慰问信送达登记表", holiday.full_name);
    let stem = format!("{}/{key}-delivery", KIND.folder);
    out.extend(print_file(&super::notice::DELIVERY, &rows, 4 * PRINT_PART, &stem, |part| {
        super::notice::DeliveryList {
            title: title.clone(),
            date: zh_date(dated),
            total: rows.len(),
            rows: part,
            gift: office.org.rules.gift_column,
        }
    }));
    let rows: Vec<PhoneRow> = members
        .iter()
        .filter(|f| !f.member.in_city || far_from_home(f))
        .enumerate()
        .map(|(i, f)| PhoneRow { seq: i + 1, ..phone_row(office, f) })
        .collect();
    let title = format!("{year}年{}电话慰问名单", holiday.full_name);
    let stem = format!("{}/{key}-phone-list", PHONE_LIST.folder);
    out.extend(print_file(&PHONE_LIST, &rows, 4 * PRINT_PART, &stem, |part| PhoneList {
        title: title.clone(),
        as_of: zh_date(as_of),
        total: rows.len(),
        rows: part,
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_cold_weather_to_the_south_and_no_sentence_twice() {
        assert_eq!(
            without_cold("春节期间天气寒冷，请您注意保暖，出行注意安全。无论您在家还是在外，都请与支部保持联系。"),
            "出行注意安全。无论您在家还是在外，都请与支部保持联系。"
        );
        assert!(warm_in_winter("海南省三亚市") && !warm_in_winter("黑龙江省哈尔滨市"));
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            each_sentence_once(p(&["祝您健康。请保重身体。", "请保重身体。", "再见。"])),
            p(&["祝您健康。请保重身体。", "再见。"])
        );
    }

    #[test]
    fn letters_are_dated_for_their_festival() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // Printed 72 days early: dated three days before the festival.
        assert_eq!(letter_date(d("2027-01-01"), 3, d("2026-10-21")), d("2026-12-29"));
        // Printed in the last days: dated the day it is printed.
        assert_eq!(letter_date(d("2027-01-01"), 3, d("2026-12-31")), d("2026-12-31"));
        assert_eq!(letter_date(d("2027-01-01"), 0, d("2026-12-31")), d("2027-01-01"));
        // A festival already past (a reprint): still dated before it.
        assert_eq!(letter_date(d("2026-10-29"), 3, d("2026-11-26")), d("2026-10-26"));
    }
}
