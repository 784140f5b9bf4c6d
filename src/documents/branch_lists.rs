//! Per-branch lists printed once a year: the contact cards in use with their
//! yearly check (年审, with the 民主评议, docs/domain.md §1.2.3), and the
//! serious-illness subsidy applications of the year (R18).

use serde::Serialize;

use super::{DocumentKind, join_nonempty, joined, text, zh_date};
use crate::facts::{Facts, MemberFacts};
use crate::office::{SubsidyDecision, Word};
use crate::outputs::Output;
use crate::rules::dues::yuan;
use crate::rules::followup::card_review_due;

pub const REVIEWS: DocumentKind = DocumentKind {
    template: "branch-list.typ",
    zh: "联系卡年审名单",
    folder: "lists",
    one_page: false,
    example: Some(reviews),
};
pub const SUBSIDIES: DocumentKind = DocumentKind {
    template: "branch-list.typ",
    zh: "重病补助名单",
    folder: "lists",
    one_page: false,
    example: Some(this_year),
};

/// One branch's list: a title, column heads and rows of cells, the last
/// columns left blank for hand.
#[derive(Debug, Serialize)]
pub struct BranchList {
    pub title: String,
    pub branch: String,
    pub as_of: String,
    pub heads: Vec<&'static str>,
    /// Relative widths of the columns.
    pub widths: Vec<f32>,
    pub rows: Vec<Vec<String>>,
    pub empty: String,
    pub note: String,
}

/// One list per branch (an empty branch says so), joined into one print
/// file: `list` makes a branch's list from its name and its members.
pub fn per_branch<'f>(
    facts: &'f Facts<'f>,
    kind: &'static DocumentKind,
    stem: &str,
    list: impl Fn(&str, Vec<&MemberFacts>) -> BranchList,
) -> Vec<Output<'f>> {
    let all = facts.in_print_order();
    let views: Vec<BranchList> = facts
        .office
        .org
        .branches
        .iter()
        .map(|b| list(&b.name.value, all.iter().copied().filter(|f| f.member.branch.value == b.id.value).collect()))
        .collect();
    joined(kind, stem, &views)
}

/// 联系卡年审名单: every card in use, its due date, room to sign.
pub fn reviews<'f>(facts: &'f Facts<'f>) -> Vec<Output<'f>> {
    let as_of = facts.as_of;
    let year = chrono::Datelike::year(&as_of);
    per_branch(facts, &REVIEWS, &format!("{year}-card-reviews"), |branch, members| {
        let mut rows = Vec::new();
        for f in members {
            for d in f.departures.iter().filter(|d| d.holds_card()) {
                let dep = d.departure;
                let due = card_review_due(dep);
                rows.push(vec![
                    (rows.len() + 1).to_string(),
                    f.member.name.value.clone(),
                    text(&dep.card_number),
                    dep.card_issued.as_ref().map(|c| zh_date(c.value)).unwrap_or_default(),
                    dep.destination.region(),
                    dep.card_reviewed.as_ref().map_or_else(|| "（未年审过）".into(), |r| zh_date(r.value)),
                    if due <= as_of { format!("{}（已到期）", zh_date(due)) } else { zh_date(due) },
                    String::new(),
                    String::new(),
                ]);
            }
        }
        BranchList {
            title: format!("{year}年联系卡年审（查验）名单"),
            branch: branch.into(),
            as_of: zh_date(as_of),
            heads: vec![
                "序号",
                "姓名",
                "卡号",
                "发卡日期",
                "现在何处",
                "上次年审",
                "应年审日期",
                "年审日期",
                "民主评议情况",
            ],
            // The name's column holds eleven characters at 8 pt; a date's, a
            // date whole at 10 pt.
            widths: vec![0.5, 1.5, 1.1, 1.4, 1.6, 1.4, 1.7, 1.2, 1.7],
            rows,
            empty: "本支部目前没有在用的联系卡。".into(),
            note: "联系卡每年年审（查验）一次，与年度民主评议一并进行；年审后请把日期交退管办登记。".into(),
        }
    })
}

/// 重病补助名单: the year's applications and decisions.
pub fn subsidies<'f>(facts: &'f Facts<'f>, year: i32) -> Vec<Output<'f>> {
    per_branch(facts, &SUBSIDIES, &format!("{year}-subsidies"), |branch, members| {
        let mut rows = Vec::new();
        for f in members {
            let m = f.member;
            for s in m.subsidies.iter().filter(|s| chrono::Datelike::year(&s.applied.value) == year) {
                let health = m
                    .health
                    .as_ref()
                    .map(|h| join_nonempty(&[super::word(&h.status), text(&h.notes)], "；"))
                    .unwrap_or_default();
                rows.push(vec![
                    (rows.len() + 1).to_string(),
                    m.name.value.clone(),
                    f.age.map(|a| format!("{a}")).unwrap_or_default(),
                    health,
                    zh_date(s.applied.value),
                    s.state().zh().to_string(),
                    s.decided.as_ref().map(|d| zh_date(d.value)).unwrap_or_default(),
                    match (s.state(), &s.amount) {
                        (SubsidyDecision::Granted, Some(a)) => yuan(crate::rules::dues::fen(a.value)),
                        _ => String::new(),
                    },
                    text(&s.notes),
                ]);
            }
        }
        BranchList {
            title: format!("{year}年重病补助申请名单"),
            branch: branch.into(),
            as_of: zh_date(facts.as_of),
            heads: vec!["序号", "姓名", "年龄", "病情", "申请日期", "审批结果", "审批日期", "补助金额（元）", "说明"],
            widths: vec![0.5, 1.5, 0.6, 2.2, 1.4, 1.0, 1.4, 1.2, 2.0],
            rows,
            empty: format!("本支部{year}年没有重病补助申请。"),
            note: "重病补助按本单位规定办理；本名单只供支部和退管办内部使用。".into(),
        }
    })
}

/// This year's subsidy list (the example `tuiguan templates` gives).
fn this_year<'f>(facts: &'f Facts<'f>) -> Vec<Output<'f>> {
    subsidies(facts, chrono::Datelike::year(&facts.as_of))
}
