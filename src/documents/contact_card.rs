//! 离退休流动党员联系卡 (R7, R9, R12): the enterprise's own internal card —
//! deliberately not the official 流动党员活动证 — two-sided A6, printed 4-up
//! on A4 for duplex. The front carries the member's photo (or a box to glue
//! one in) under the issuing committee's seal; the back, the branch's
//! contacts, each with a QR code that adds the person to a phone.

use std::collections::BTreeMap;

use chrono::{Datelike, Months};
use serde::Serialize;

use super::contact_qr::{Qr, contact_qr};
use super::departure_form::branch_contacts;
use super::{DocumentKind, Own, Selection, date_or_blank, join_nonempty, part_ident, print_parts, text, zh_date};
use crate::facts::MemberFacts;
use crate::facts::{DepartureFacts, Facts};
use crate::office::Departure;
use crate::office::id_number::mask_id_number;
use crate::outputs::{Output, Reads, View};
use crate::rules::record::Handling;
use std::cell::RefCell;
use std::rc::Rc;

pub const KIND: DocumentKind = DocumentKind {
    template: "contact-cards.typ",
    zh: "联系卡",
    folder: "contact-cards",
    one_page: false,
    example: None,
};
pub const RULE_TEXT: &str = "请于到达后交所在地党组织，返回后交支部查验";

#[derive(Debug, Serialize)]
pub struct ContactCard {
    pub card_no: String,
    pub enterprise: String,
    pub issuer: String,
    pub name: String,
    pub id_masked: String,
    pub branch: String,
    pub group: String,
    pub destination: String,
    pub period: String,
    pub issued: String,
    pub rule: String,
    /// The note under the rule (the office's own wording, if it has one).
    pub note: String,
    pub contacts: Vec<CardContact>,
    /// The member's photo as the templates read it ("/photos/b1-001.jpg"),
    /// or "" for a box to glue one in.
    pub photo: String,
    pub receiving_org: String,
    pub receiving_contact: String,
    /// Twelve months from the start, for the dues record: "2026.10".
    pub dues_months: Vec<String>,
    /// "2026年10月至2027年9月": the months the cells stand for.
    pub dues_span: String,
}

/// A person on the back of the card, and their QR code among the sheet's.
#[derive(Debug, Serialize)]
pub struct CardContact {
    pub role: String,
    pub name: String,
    pub phone: String,
    /// The key of the person's code in the sheet's `qr_codes`, or "" for none.
    pub qr: String,
    /// The code's width on paper, in millimetres.
    pub qr_mm: f64,
}

#[derive(Debug, Serialize)]
pub struct ContactCardSheet<'a> {
    pub cards: &'a [ContactCard],
    /// The QR codes of the sheet's cards as SVG documents (made here, shown
    /// as images), by branch and person ("b1/2"): each once, not once per card.
    pub qr_codes: BTreeMap<&'a str, &'a str>,
}

/// Whether a card is printed for this departure: a card is recorded (the
/// clerk records `card:` when issuing it), the relationship is not
/// transferred, and the member has not come back. A card the rule asks for
/// but nobody recorded is a `check` warning, not a card.
pub fn prints_card(d: &DepartureFacts) -> bool {
    matches!(d.handling, Handling::Card { .. }) && d.returned.is_none()
}

/// The most people the card's back has room for, each with a QR code: the
/// branch's office phone and the first committee members in org.yaml's
/// order (`check` says when a branch lists more).
pub const CONTACTS_ON_CARD: usize = 4;

/// The most characters of a destination the card's front prints: a longer
/// one prints its region and points to the departure form, where it is
/// written out in full.
const DESTINATION_ON_CARD: usize = 40;

fn card_destination(region: &str, address: &str) -> String {
    let full = format!("{region}{address}");
    if full.chars().count() <= DESTINATION_ON_CARD || region.is_empty() {
        full
    } else {
        format!("{region}（详细地址见外出党员登记表）")
    }
}

/// `codes` holds the sheet's QR codes by key, made here when first needed
/// (see [`ContactCardSheet`]).
pub fn build(own: &Own, d: &Departure, codes: &mut BTreeMap<String, Option<Qr>>) -> ContactCard {
    let m = own.member();
    let (branch_name, group_name) = own.branch_and_group_names();
    let org = own.org;
    let branch = own.branch();
    let start = d.start.value;
    // Twelve months from the month they left, each cell "10月"; the span
    // with its years is said once above the cells.
    let months: Vec<chrono::NaiveDate> =
        (0..12).filter_map(|i| start.with_day(1)?.checked_add_months(Months::new(i))).collect();
    let dues_months = months.iter().map(|x| format!("{}月", x.month())).collect();
    let dues_span = match (months.first(), months.last()) {
        (Some(a), Some(b)) => format!(
            "{}至{}",
            crate::rules::dues::month_zh((a.year(), a.month())),
            crate::rules::dues::month_zh((b.year(), b.month()))
        ),
        _ => String::new(),
    };
    let id = m.id_number_printed();
    ContactCard {
        card_no: d.card_number.as_ref().map_or_else(|| "（待编号）".into(), |c| c.value.clone()),
        enterprise: org.enterprise.value.clone(),
        issuer: text(&org.party_committee.name),
        name: m.name.value.clone(),
        id_masked: mask_id_number(&id),
        branch: branch_name.clone(),
        group: group_name,
        destination: card_destination(&d.destination.region(), &super::on_paper(&text(&d.destination.address))),
        period: format!(
            "{}至{}",
            zh_date(start),
            d.planned_end.as_ref().map_or_else(|| "返回时".to_string(), |e| zh_date(e.value))
        ),
        issued: date_or_blank(&d.card_issued),
        rule: RULE_TEXT.into(),
        note: org.texts.contact_card_note().to_string(),
        contacts: branch_contacts(branch)
            .into_iter()
            .take(CONTACTS_ON_CARD)
            .enumerate()
            .map(|(k, c)| {
                let key = format!("{}/{k}", m.branch.value);
                let code = codes.entry(key.clone()).or_insert_with(|| contact_qr(&branch_name, &c).ok());
                let qr_mm = code.as_ref().map_or(0.0, |q| q.width_mm);
                let qr = if code.is_some() && !c.phone.is_empty() { key } else { String::new() };
                CardContact { role: c.role, name: c.name, phone: c.phone, qr, qr_mm }
            })
            .collect(),
        photo: own.photo_path(),
        receiving_org: text(&d.receiving_org),
        receiving_contact: join_nonempty(&[text(&d.receiving_contact), text(&d.receiving_phone)], " "),
        dues_months,
        dues_span,
    }
}

/// One sheet file with every card to print, in delivery order, in parts
/// of 24 cards; a part is made from its members' files and what all share
/// (each card from its own member: see [`Own`]).
pub fn plan<'f>(facts: &'f Facts<'f>, only: &Selection) -> Vec<Output<'f>> {
    let items: Vec<(&MemberFacts, &Departure)> = facts
        .in_print_order()
        .into_iter()
        .filter(|f| only.wants(&f.member.id.value))
        .flat_map(|f| f.departures.iter().filter(|d| prints_card(d)).map(move |d| (f, d.departure)))
        .collect();
    if items.is_empty() {
        return Vec::new();
    }
    // Everyone's cards: contact-cards.pdf; some members' (`--member`):
    // contact-cards/<ids>.pdf, beside nothing else of the office.
    let stem = if only.all() { KIND.folder.to_string() } else { format!("{}/{}", KIND.folder, only.0.join("-")) };
    // Each person's QR code, made once, when a sheet to make needs it.
    let qr_codes: Rc<RefCell<BTreeMap<String, Option<Qr>>>> = Rc::default();
    let mut sheets = Vec::new();
    for (i, (path, chunk)) in print_parts(&items, 24, &stem).into_iter().enumerate() {
        let (chunk, qr_codes, items) = (chunk.to_vec(), qr_codes.clone(), chunk.len());
        let members = chunk.iter().map(|(f, _)| f.member).collect();
        let view: View<'f> = Box::new(move || {
            let mut codes = qr_codes.borrow_mut();
            let cards: Vec<ContactCard> = chunk.iter().map(|(f, d)| build(&Own::of(facts, f), d, &mut codes)).collect();
            let sheet = ContactCardSheet {
                cards: &cards,
                qr_codes: cards
                    .iter()
                    .flat_map(|c| &c.contacts)
                    .filter_map(|c| Some((c.qr.as_str(), codes.get(&c.qr)?.as_ref()?.svg.as_str())))
                    .collect(),
            };
            crate::outputs::to_json(&sheet)
        });
        let mut part = Output::new(&KIND, path, part_ident(&stem, i), view).as_part(&stem, i, items);
        part.reads = Reads::Members(members, String::new());
        sheets.push(part);
    }
    sheets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_destination_prints_its_region_and_points_to_the_form() {
        let short = "浙江省杭州市西湖区文三路1号";
        assert_eq!(card_destination("浙江省杭州市西湖区", "文三路1号"), short);
        let long = "爱新舍里镇乌珠牛录村二组幸福巷十八号院东侧二单元三楼（村委会向北约二百米）";
        let d = card_destination("新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县", long);
        assert_eq!(d, "新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县（详细地址见外出党员登记表）");
    }
}
