//! The away list (外出党员): every member away on `as_of`, with where (as
//! the policy allows), since when, the planned return (marked when past),
//! when last heard from, the card, and what needs attention — all read
//! from the facts, so its counts are `check`'s and the filing report's.

use serde::Serialize;

use super::view::{Tag, card_tag, destination_shown};
use crate::facts::{Attention, Facts, MemberFacts};
use crate::rules::status::Whereabouts;

#[derive(Debug, Serialize)]
pub struct AwayRow {
    pub id: String,
    pub name: String,
    pub branch: String,
    pub destination: String,
    pub start: String,
    pub planned_end: String,
    /// Days past the planned return; 0 when not past.
    pub overdue_days: i64,
    pub last_heard: String,
    pub near_home: bool,
    pub card: Tag,
    pub attention: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct AwayList {
    pub rows: Vec<AwayRow>,
    /// Members away who are not near home: the filing report's 在外流动党员.
    pub mobile: usize,
    pub near_home: usize,
    /// (what, how many members) for each kind of attention.
    pub counts: Vec<(&'static str, usize)>,
    /// "逾期未归 1 人，失联 1 人" (kinds with nobody left out).
    pub summary: String,
    /// Away with the organisational relationship transferred out: not listed.
    pub transferred: usize,
}

fn row(f: &MemberFacts, facts: &Facts) -> Option<AwayRow> {
    let office = facts.office;
    let d = f.current().filter(|_| f.whereabouts == Whereabouts::Away)?;
    let dep = d.departure;
    let overdue_days = dep.planned_end.as_ref().map_or(0, |e| (facts.as_of - e.value).num_days().max(0));
    Some(AwayRow {
        id: f.member.id.value.clone(),
        name: f.member.name.value.clone(),
        branch: office.branch_and_group_names(f.member).0,
        destination: destination_shown(&office.org.register, dep),
        start: dep.start.value.to_string(),
        planned_end: dep.planned_end.as_ref().map_or_else(|| "未定".into(), |e| e.value.to_string()),
        overdue_days,
        last_heard: f.last_heard().map_or_else(|| "无记录".into(), |d| d.to_string()),
        near_home: d.near_home(),
        card: card_tag(f),
        attention: f
            .attention()
            .into_iter()
            .filter(|a| *a != Attention::DuesOwed || office.org.register.shows("dues_arrears"))
            .map(Attention::zh)
            .collect(),
    })
}

/// Members away, those needing the most attention first, then by start.
pub fn away_list(facts: &Facts) -> AwayList {
    let mut rows: Vec<AwayRow> = facts.in_print_order().into_iter().filter_map(|f| row(f, facts)).collect();
    rows.sort_by(|a, b| b.attention.len().cmp(&a.attention.len()).then_with(|| a.start.cmp(&b.start)));
    let counts: Vec<(&'static str, usize)> =
        [Attention::Overdue, Attention::OutOfContact, Attention::DuesOwed, Attention::TransferDue]
            .into_iter()
            .map(|a| (a.zh(), rows.iter().filter(|r| r.attention.contains(&a.zh())).count()))
            .collect();
    let summary =
        counts.iter().filter(|(_, n)| *n > 0).map(|(what, n)| format!("{what} {n} 人")).collect::<Vec<_>>().join("，");
    let near_home = rows.iter().filter(|r| r.near_home).count();
    // Away with the relationship moved (`check` counts them among those away):
    // said, not listed — their branch is elsewhere for now.
    let transferred =
        facts.in_print_order().into_iter().filter(|f| f.whereabouts == Whereabouts::TransferredOut).count();
    AwayList { mobile: rows.len() - near_home, near_home, counts, summary, rows, transferred }
}
