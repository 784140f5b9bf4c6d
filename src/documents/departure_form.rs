//! 外出党员登记表: one A4 form per departure (R4, domain.md §2.3).

use chrono::NaiveDate;
use serde::Serialize;

use super::{Planned, Selection, date_or_blank, join_nonempty, text, zh_date};
use crate::check::id_number::normalized_or_raw;
use crate::office::{Branch, Departure, Member, Office};
use crate::rules::age::{age_on, birth_date};
use crate::rules::departure::{Decision, decide};
use crate::rules::followup::months_between;

pub const TEMPLATE: &str = "departure-form.typ";

#[derive(Debug, Serialize)]
pub struct Contact {
    pub role: String,
    pub name: String,
    pub phone: String,
}

/// The decision boxes: each option and whether it is ticked.
#[derive(Debug, Serialize)]
pub struct Choice {
    pub label: String,
    pub ticked: bool,
}

#[derive(Debug, Serialize)]
pub struct DepartureForm {
    pub enterprise: String,
    pub party_committee: String,
    pub branch: String,
    pub group: String,
    pub departure_id: String,
    pub as_of: String,
    pub name: String,
    pub sex: String,
    pub age: String,
    pub id_number: String,
    pub mobile: String,
    pub home_phone: String,
    pub address: String,
    pub applied: String,
    pub reason: String,
    pub region: String,
    pub destination_address: String,
    pub receiving_org: String,
    pub receiving_contact: String,
    pub start: String,
    pub planned_end: String,
    pub length: String,
    pub fixed_location: String,
    pub near_home: String,
    pub phone_away: String,
    pub choices: Vec<Choice>,
    pub decision: String,
    pub reason_for_decision: String,
    pub card: String,
    pub filed: String,
    pub filing_org: String,
    pub returned: String,
    pub card_returned: String,
    pub report: String,
    pub dues_paid_to: String,
    pub branch_contacts: Vec<Contact>,
    pub office: String,
}

fn yes_no(v: &Option<crate::yaml::Located<bool>>) -> String {
    match v.as_ref().map(|b| b.value) {
        Some(true) => "是".into(),
        Some(false) => "否".into(),
        None => "".into(),
    }
}

/// The branch's office phone and every committee member's mobile (R12).
pub fn branch_contacts(branch: Option<&Branch>) -> Vec<Contact> {
    let Some(b) = branch else { return Vec::new() };
    let mut v: Vec<Contact> = b
        .phone
        .iter()
        .map(|p| Contact { role: "支部办公电话".into(), name: String::new(), phone: p.value.clone() })
        .collect();
    v.extend(b.committee.iter().map(|c| Contact {
        role: c.role.value.clone(),
        name: c.name.value.clone(),
        phone: text(&c.mobile),
    }));
    v
}

pub fn build(office: &Office, m: &Member, d: &Departure, as_of: NaiveDate) -> DepartureForm {
    let (branch_name, group_name) = office.branch_and_group_names(m);
    let org = &office.org;
    let branch = office.branch(&m.branch.value);
    let ruling = decide(d, &org.rules);
    let transfer = org.rules.transfer_kind;
    let choices = [
        (Decision::NoCard, "临时、间断、就近外出，不发联系卡"),
        (Decision::ContactCard, "发放离退休流动党员联系卡"),
        (Decision::Transfer(transfer), if transfer.zh() == "临时" { "转出临时组织关系" } else { "转出正式组织关系" }),
    ]
    .into_iter()
    .map(|(dec, label)| Choice { label: label.into(), ticked: dec == ruling.decision })
    .collect();
    let length = d
        .planned_end
        .as_ref()
        .map(|e| {
            let months = months_between(d.start.value, e.value);
            let days = (e.value - d.start.value).num_days();
            if months >= 1 { format!("约 {months} 个月（{days} 天）") } else { format!("{days} 天") }
        })
        .unwrap_or_else(|| "未定".into());
    DepartureForm {
        enterprise: org.enterprise.value.clone(),
        party_committee: text(&org.party_committee.name),
        branch: branch_name,
        group: group_name,
        departure_id: d.id.value.clone(),
        as_of: zh_date(as_of),
        name: m.name.value.clone(),
        sex: m.sex.value.zh().into(),
        age: birth_date(m).map(|b| format!("{} 岁", age_on(b, as_of))).unwrap_or_default(),
        id_number: normalized_or_raw(&m.id_number.value),
        mobile: text(&m.mobile),
        home_phone: text(&m.home_phone),
        address: m.address.value.clone(),
        applied: date_or_blank(&d.applied),
        reason: text(&d.reason),
        region: d.destination.region(),
        destination_address: text(&d.destination.address),
        receiving_org: text(&d.receiving_org),
        receiving_contact: join_nonempty(&[text(&d.receiving_contact), text(&d.receiving_phone)], " "),
        start: zh_date(d.start.value),
        planned_end: date_or_blank(&d.planned_end),
        length,
        fixed_location: yes_no(&d.fixed_location),
        near_home: yes_no(&d.near_home),
        phone_away: text(&d.phone_away),
        choices,
        decision: ruling.decision.zh(),
        reason_for_decision: ruling.reason,
        card: join_nonempty(
            &[
                text(&d.card_number),
                d.card_issued.as_ref().map(|i| format!("{}发", zh_date(i.value))).unwrap_or_default(),
            ],
            "，",
        ),
        filed: date_or_blank(&d.filed),
        filing_org: text(&org.filing_org.name),
        returned: date_or_blank(&d.returned),
        card_returned: date_or_blank(&d.card_returned),
        report: text(&d.report),
        dues_paid_to: d.dues_paid_to.as_ref().map(|p| format!("{}年{}月", p.value.0, p.value.1)).unwrap_or_default(),
        branch_contacts: branch_contacts(branch),
        office: join_nonempty(&[text(&org.office.name), text(&org.office.phone), text(&org.office.address)], "  "),
    }
}

pub fn plan(office: &Office, as_of: NaiveDate, only: &Selection) -> Vec<Planned> {
    let mut out = Vec::new();
    for m in office.members_in_print_order().into_iter().filter(|m| only.wants(&m.id.value)) {
        for d in &m.departures {
            let view = build(office, m, d, as_of);
            out.push(
                Planned::new(
                    format!("departures/{}.pdf", d.id.value),
                    TEMPLATE,
                    format!("departure-{}", d.id.value),
                    &view,
                )
                .from_member(&m.file)
                .one_page("外出党员登记表"),
            );
        }
    }
    out
}
