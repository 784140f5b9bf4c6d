//! 外出党员登记表: one A4 form per departure (R4, docs/domain.md §2.3).

use serde::Serialize;

use super::{DocumentKind, Own, Selection, date_or_blank, join_nonempty, text, zh_date};
use crate::facts::{DepartureFacts, Facts};
use crate::office::Branch;
use crate::office::Word;
use crate::outputs::{Output, View};
use crate::rules::departure::Decision;
use crate::rules::followup::months_between;
use crate::rules::record::Handling;

pub const KIND: DocumentKind = DocumentKind {
    template: "departure-form.typ",
    zh: "外出党员登记表",
    folder: "departures",
    one_page: false,
    example: None,
};

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

/// The handling as the form states it: the recorded one ticked, with the
/// rule's reason when they agree; nothing ticked and the rule's advice when
/// nothing is recorded yet; the rule beside the record when they disagree.
fn decision_box(df: &DepartureFacts, default_kind: crate::office::TransferKind) -> (Vec<Choice>, String, String) {
    let rule = &df.rule;
    let recorded = match &df.handling {
        Handling::NearHome => Some(Decision::NoCard),
        Handling::Card { .. } => Some(Decision::ContactCard),
        Handling::Transferred { kind, .. } | Handling::TransferPending { kind } => Some(Decision::Transfer(*kind)),
        Handling::Unrecorded => None,
    };
    let kind = match recorded {
        Some(Decision::Transfer(k)) => k,
        _ => match rule.decision {
            Decision::Transfer(k) => k,
            _ => default_kind,
        },
    };
    let choices = [
        (Decision::NoCard, "临时、间断、就近外出，不发联系卡".to_string()),
        (Decision::ContactCard, "发放离退休流动党员联系卡".to_string()),
        (Decision::Transfer(kind), format!("转出{}组织关系", kind.zh())),
    ]
    .into_iter()
    .map(|(dec, label)| Choice { label, ticked: Some(dec) == recorded })
    .collect();
    let (decision, basis) = match recorded {
        None => ("尚未办理".to_string(), format!("按规定应{}：{}", rule.decision.zh(), rule.reason)),
        Some(r) if r == rule.decision => (df.handling.zh(), rule.reason.clone()),
        Some(_) => {
            (df.handling.zh(), format!("与规定不一致，请核实：按规定应{}（{}）", rule.decision.zh(), rule.reason))
        }
    };
    (choices, decision, basis)
}

pub fn build(own: &Own, df: &DepartureFacts) -> DepartureForm {
    let (f, as_of) = (own.facts, own.as_of);
    let (m, d) = (f.member, df.departure);
    let (branch_name, group_name) = own.branch_and_group_names();
    let org = own.org;
    let branch = own.branch();
    let (choices, decision, reason_for_decision) = decision_box(df, org.rules.transfer_kind);
    let length = d
        .planned_end
        .as_ref()
        .map(|e| stay_length(months_between(d.start.value, e.value), (e.value - d.start.value).num_days()))
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
        age: f.age.map(|a| format!("{a}岁")).unwrap_or_default(),
        id_number: m.id_number_printed(),
        mobile: text(&m.mobile),
        home_phone: text(&m.home_phone),
        address: super::on_paper(&m.address.value),
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
        decision,
        reason_for_decision,
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
        dues_paid_to: crate::rules::dues::paid_to_for(m, d, d.start.value, &org.rules)
            .map(crate::rules::dues::month_zh)
            .unwrap_or_default(),
        branch_contacts: branch_contacts(branch),
        office: join_nonempty(&[text(&org.office.name), text(&org.office.phone), text(&org.office.address)], "  "),
    }
}

/// A form per departure, made from its member's file and what all share.
pub fn plan<'f>(facts: &'f Facts<'f>, only: &Selection) -> Vec<Output<'f>> {
    let mut out = Vec::new();
    for f in facts.in_print_order().into_iter().filter(|f| only.wants(&f.member.id.value)) {
        for df in &f.departures {
            let d = df.departure;
            let path = format!("{}/{}.pdf", KIND.folder, d.id.value);
            let view: View<'f> = Box::new(move || crate::outputs::to_json(&build(&Own::of(facts, f), df)));
            out.push(Output::new(&KIND, path, format!("departure-{}", d.id.value), view).of_member(f.member));
        }
    }
    out
}

/// How long a stay is, said once and without brackets in brackets:
/// "30天", "约4个月，130天", "约1年半", "约2年".
pub fn stay_length(months: u32, days: i64) -> String {
    match months {
        0 => format!("{days}天"),
        1..=11 => format!("约{months}个月，{days}天"),
        _ => {
            let halves = (months + 3) / 6;
            let (years, half) = (halves / 2, halves % 2 == 1);
            format!("约{years}年{}", if half { "半" } else { "" })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::stay_length;

    #[test]
    fn stay_lengths_read_as_said() {
        assert_eq!(stay_length(0, 30), "30天");
        assert_eq!(stay_length(4, 130), "约4个月，130天");
        assert_eq!(stay_length(12, 365), "约1年");
        assert_eq!(stay_length(17, 520), "约1年半");
        assert_eq!(stay_length(23, 730), "约2年");
    }
}
