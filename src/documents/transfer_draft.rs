//! 组织关系介绍信 worksheet (R6, docs/domain.md §2.4): the three parts — stub,
//! letter, receipt — pre-filled for a departure that transfers, the dues
//! month and validity in capital numerals. A draft for the official form,
//! and marked so.

use chrono::NaiveDate;
use serde::Serialize;

use super::{DocumentKind, Selection, join_nonempty, text, zh_date};
use crate::facts::{DepartureFacts, Facts, MemberFacts};
use crate::office::Office;
use crate::office::Word;
use crate::outputs::{Output, json};
use crate::rules::departure::Decision;
use crate::rules::membership::member_standing_on;
use crate::rules::numerals;
use crate::rules::record::Handling;

pub const KIND: DocumentKind = DocumentKind {
    template: "transfer-draft.typ",
    zh: "组织关系介绍信草稿",
    folder: "departures",
    one_page: true,
    example: None,
};

#[derive(Debug, Serialize)]
pub struct TransferDraft {
    pub departure_id: String,
    pub kind: String,
    pub name: String,
    pub sex: String,
    pub age: String,
    pub ethnicity: String,
    pub member_status: String,
    pub id_number: String,
    pub from_org: String,
    pub to_org: String,
    pub from_place: String,
    pub to_place: String,
    pub dues_paid: String,
    pub dues_paid_plain: String,
    pub validity: String,
    pub validity_days: u32,
    pub member_contact: String,
    pub sender_address: String,
    pub sender_phone: String,
    pub sender_postcode: String,
    pub date: String,
}

pub fn build(office: &Office, f: &MemberFacts, d: &DepartureFacts, kind: &str, as_of: NaiveDate) -> TransferDraft {
    let (m, d) = (f.member, d.departure);
    let org = &office.org;
    let rules = &org.rules;
    let style = rules.capital_numerals;
    let branch = office.branch(&m.branch.value);
    let on = d.transfer_date.as_ref().map_or(as_of, |t| t.value);
    let (dues_paid, dues_paid_plain) = match crate::rules::dues::paid_to_for(m, d, on, rules) {
        Some((y, mo)) => (numerals::year_month(y, mo, style), crate::rules::dues::month_zh((y, mo))),
        None => (String::new(), String::new()),
    };
    TransferDraft {
        departure_id: d.id.value.clone(),
        kind: kind.to_string(),
        name: m.name.value.clone(),
        sex: m.sex.value.zh().into(),
        age: f.age.map(|a| a.to_string()).unwrap_or_default(),
        ethnicity: m.ethnicity.value.clone(),
        member_status: member_standing_on(m, as_of).zh().into(),
        id_number: m.id_number_printed(),
        from_org: join_nonempty(
            &[text(&org.party_committee.name), branch.map(|b| b.name.value.clone()).unwrap_or_default()],
            "",
        ),
        to_org: text(&d.receiving_org),
        from_place: org.enterprise.value.clone(),
        // A place, not a street address: the province, city and county.
        to_place: d.destination.region(),
        dues_paid,
        dues_paid_plain,
        validity: numerals::number(rules.transfer_letter_days, style),
        validity_days: rules.transfer_letter_days,
        // The same number written as the phone away and the mobile is printed once.
        member_contact: {
            let (away, mobile) = (text(&d.phone_away), text(&m.mobile));
            let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
            if digits(&away) == digits(&mobile) { away } else { join_nonempty(&[away, mobile], "，") }
        },
        sender_address: text(&org.party_committee.address),
        sender_phone: text(&org.party_committee.phone),
        sender_postcode: text(&org.party_committee.postcode),
        // The transfer's own date once recorded, else the day it is drafted.
        date: zh_date(on),
    }
}

/// The kind of transfer to prepare for `d`, if one is to be prepared: the
/// member has not come back and the transfer is recorded as decided but not
/// done, or the rule asks for one that is not done (a card issued meanwhile
/// does not stop it; `check` reports that disagreement).
fn transfer_to_prepare(d: &DepartureFacts) -> Option<crate::office::TransferKind> {
    if d.returned.is_some() {
        return None;
    }
    match (&d.handling, d.rule.decision) {
        (Handling::TransferPending { kind }, _) => Some(*kind),
        (Handling::Unrecorded | Handling::Card { .. }, Decision::Transfer(kind)) => Some(kind),
        _ => None,
    }
}

pub fn plan<'f>(facts: &'f Facts<'f>, only: &Selection) -> Vec<Output<'f>> {
    let (office, as_of) = (facts.office, facts.as_of);
    let mut out = Vec::new();
    for f in facts.in_print_order().into_iter().filter(|f| only.wants(&f.member.id.value)) {
        let m = f.member;
        for df in &f.departures {
            let d = df.departure;
            if let Some(kind) = transfer_to_prepare(df) {
                let view = build(office, f, df, kind.zh(), as_of);
                out.push(
                    Output::new(
                        &KIND,
                        format!("{}/{}-transfer.pdf", KIND.folder, d.id.value),
                        format!("transfer-{}", d.id.value),
                        json(&view),
                    )
                    .from_member(&m.file),
                );
            }
        }
    }
    out
}
