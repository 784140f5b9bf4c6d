//! 个人信息卡: the member information card (R1, docs/domain.md §2.1 and §2.6).

use serde::Serialize;

use super::{DocumentKind, Own, Selection, date_or_blank as date, join_nonempty, member_print_file, text, zh_date};
use crate::facts::{Facts, MemberFacts};
use crate::office::Member;
use crate::office::Word;
use crate::outputs::Output;
use crate::rules::membership::{Standing, member_standing_on};

pub const KIND: DocumentKind =
    DocumentKind {
        template: "info-card.typ", zh: "个人信息卡", folder: "info-cards", one_page: false, example: None
    };

#[derive(Debug, Serialize)]
pub struct FamilyLine {
    pub name: String,
    pub relation: String,
    pub phone: String,
}

#[derive(Debug, Serialize)]
pub struct VisitLine {
    pub date: String,
    /// "上门 · 孙建平"
    pub how: String,
    /// The three questions' answers in one line.
    pub answers: String,
}

/// How many visits the card lists (the most recent ones).
const VISITS_ON_CARD: usize = 3;

/// Everything the card prints, as finished strings.
#[derive(Debug, Serialize)]
pub struct InfoCard {
    pub member_id: String,
    /// The enterprise.
    pub org: String,
    /// The party committee the branches belong to.
    pub committee: String,
    pub org_office: String,
    pub card_no: String,
    /// The day the run stands on: for the confirmation sheet, never on the
    /// card, so a card is made again only when something on it changes (an
    /// age, a departure, a visit), not every day it is built.
    #[serde(skip)]
    pub as_of: String,
    /// 信息核对日期: when the member or family last confirmed the record.
    pub confirmed: String,
    pub name: String,
    pub sex: String,
    pub ethnicity: String,
    pub birth_date: String,
    pub age: String,
    pub education: String,
    pub id_number: String,
    pub native_place: String,
    pub joined_party: String,
    pub full_member: String,
    pub party_age: String,
    pub branch: String,
    pub group: String,
    pub retired: String,
    pub former_unit: String,
    pub address: String,
    pub postcode: String,
    pub home_phone: String,
    pub mobile: String,
    pub residence: String,
    pub family: Vec<FamilyLine>,
    pub living: String,
    pub health: String,
    pub hardship: String,
    pub pension: String,
    pub status: String,
    pub whereabouts: String,
    pub contact_card: String,
    pub departures: String,
    pub visit_heading: String,
    pub visits: Vec<VisitLine>,
    pub notes: String,
    /// The member's photo as the templates read it ("/photos/b1-001.jpg"),
    /// or "" for a box to glue one in.
    pub photo: String,
}

/// The data file of a card document: one or more cards, one page each.
#[derive(Debug, Serialize)]
pub struct InfoCards<'a> {
    pub cards: &'a [InfoCard],
    /// Whether a record may run on to a further page (see
    /// `render::typst`: a part is laid out first as if none did).
    pub runs_on: bool,
}

/// "4,800.00 元"
fn yuan(v: f64) -> String {
    format!("{}元", crate::rules::dues::yuan(crate::rules::dues::fen(v)))
}

pub fn build(own: &Own) -> InfoCard {
    let (f, as_of) = (own.facts, own.as_of);
    let m = f.member;
    let org = own.org;
    let branch = own.branch();
    let group = own.group();
    let birth = f.birth;
    let id_number = m.id_number_printed();
    // 党龄 counts from full membership (转正), not from admission.
    let party_years = crate::rules::membership::party_years_on(m, as_of);
    let here = f.current().map(|d| d.departure);
    let status = f.situation;
    let whereabouts_text = here
        .map(|d| {
            let region = d.destination.region();
            let since = format!("{}起", zh_date(d.start.value));
            let until = d.planned_end.as_ref().map(|e| format!("，预计{}返回", zh_date(e.value))).unwrap_or_default();
            let transfer = match (&d.transfer, &d.transfer_date) {
                (Some(k), Some(t)) => format!("；组织关系已{}转出（{}）", k.value.zh(), zh_date(t.value)),
                _ => String::new(),
            };
            join_nonempty(&[region, text(&d.destination.address)], "") + &format!("，{since}{until}{transfer}")
        })
        .unwrap_or_default();
    let health =
        m.health.as_ref().map(|h| join_nonempty(&[super::word(&h.status), text(&h.notes)], "；")).unwrap_or_default();
    let health = join_nonempty(&[health, super::subsidy_line(m)], "；");
    let hardship = m
        .hardship
        .as_ref()
        .map(|h| join_nonempty(&[super::word(&h.level), text(&h.notes)], "；"))
        .unwrap_or_else(|| "无".to_string());
    InfoCard {
        member_id: m.id.value.clone(),
        org: org.enterprise.value.clone(),
        committee: text(&org.party_committee.name),
        org_office: text(&org.office.name),
        card_no: m.id.value.clone(),
        as_of: zh_date(as_of),
        confirmed: m.confirmed.as_ref().map_or_else(|| "尚未核对".into(), |c| zh_date(c.value)),
        name: m.name.value.clone(),
        sex: m.sex.value.zh().to_string(),
        ethnicity: m.ethnicity.value.clone(),
        birth_date: birth.map(zh_date).unwrap_or_default(),
        age: f.age.map(|a| format!("{a}岁")).unwrap_or_default(),
        education: text(&m.education),
        id_number,
        native_place: m.native_place.value.clone(),
        joined_party: m.joined_party.as_ref().map(|d| zh_date(d.value)).unwrap_or_default(),
        // Admitted in the no-probation window: 转正 on admission.
        full_member: match member_standing_on(m, as_of) {
            Standing::Full { since } => zh_date(since),
            _ => date(&m.full_member),
        },
        party_age: party_years.map(|y| format!("{y}年")).unwrap_or_default(),
        branch: branch.map(|b| b.name.value.clone()).unwrap_or_else(|| m.branch.value.clone()),
        group: group.map(|g| g.name.value.clone()).unwrap_or_default(),
        retired: date(&m.retired),
        former_unit: text(&m.former_unit),
        address: super::on_paper(&m.address.value),
        postcode: text(&m.postcode),
        home_phone: text(&m.home_phone),
        mobile: text(&m.mobile),
        residence: if m.in_city { "市内" } else { "市外" }.to_string(),
        family: m
            .family_contacts
            .iter()
            .map(|c| FamilyLine { name: c.name.value.clone(), relation: text(&c.relation), phone: text(&c.phone) })
            .collect(),
        living: text(&m.living),
        health,
        hardship,
        pension: m.pension.as_ref().map(|p| yuan(p.value)).unwrap_or_default(),
        status: status.zh().to_string(),
        whereabouts: whereabouts_text,
        contact_card: here.map(|d| text(&d.card_number)).unwrap_or_default(),
        departures: format!("{}次", m.departures.len()),
        visit_heading: if m.visits.len() > VISITS_ON_CARD {
            format!("走访记录（共{}次，列出最近{VISITS_ON_CARD}次）", m.visits.len())
        } else {
            "走访记录".to_string()
        },
        visits: recent_visits(m),
        notes: text(&m.notes),
        photo: own.photo_path(),
    }
}

fn recent_visits(m: &Member) -> Vec<VisitLine> {
    let mut visits: Vec<_> = m.visits.iter().collect();
    visits.sort_by_key(|v| std::cmp::Reverse(v.date.value));
    visits
        .into_iter()
        .take(VISITS_ON_CARD)
        .map(|v| {
            let answers = [("困难", &v.difficulties), ("建议", &v.suggestions), ("打算", &v.plans)]
                .into_iter()
                .filter_map(|(k, a)| a.as_ref().map(|a| format!("{k}：{}", a.value)))
                .collect::<Vec<_>>()
                .join("；");
            let how = join_nonempty(&[v.kind.value.zh().to_string(), text(&v.by)], " · ");
            VisitLine { date: zh_date(v.date.value), how, answers }
        })
        .collect()
}

/// Every selected member's card, and the combined print file (always all
/// members, in delivery order, so it never goes stale; see
/// [`member_print_file`]).
pub fn plan<'f>(facts: &'f Facts<'f>, only: &Selection) -> Vec<Output<'f>> {
    let single = |f: &MemberFacts| {
        let id = &f.member.id.value;
        only.wants(id).then(|| (format!("{}/{id}.pdf", KIND.folder), format!("info-card-{id}")))
    };
    let item = |own: &Own, _: &()| build(own);
    let sheet = |cards: &[InfoCard]| crate::outputs::to_json(&InfoCards { cards, runs_on: true });
    member_print_file(&KIND, facts, &facts.in_print_order(), KIND.folder, ((), String::new()), single, item, sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_groups_thousands() {
        assert_eq!(yuan(4800.0), "4,800.00元");
        assert_eq!(yuan(12345.5), "12,345.50元");
        assert_eq!(yuan(999.0), "999.00元");
    }
}
