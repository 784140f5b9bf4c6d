//! 备案报告: the report to the higher Party organisation for a period —
//! new departures, returns, open follow-ups and counts — laid out after
//! GB/T 9704-2012 (domain.md §3).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{Planned, join_nonempty, text, zh_date};
use crate::office::Office;
use crate::rules::departure::{Decision, decide};
use crate::rules::followup::findings;
use crate::rules::period::Period;

pub const TEMPLATE: &str = "filing-report.typ";

#[derive(Debug, Serialize)]
pub struct DepartureRow {
    pub name: String,
    pub branch: String,
    pub destination: String,
    pub start: String,
    pub planned_end: String,
    pub decision: String,
    pub card: String,
}

#[derive(Debug, Serialize)]
pub struct ReturnRow {
    pub name: String,
    pub branch: String,
    pub returned: String,
    pub card: String,
    pub report: String,
}

#[derive(Debug, Serialize)]
pub struct FollowUpRow {
    pub name: String,
    pub branch: String,
    pub departure: String,
    pub kind: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct FilingReport {
    pub issuer: String,
    pub doc_number: String,
    pub title: String,
    pub recipient: String,
    pub paragraphs: Vec<String>,
    pub departures: Vec<DepartureRow>,
    pub returns: Vec<ReturnRow>,
    pub follow_ups: Vec<FollowUpRow>,
    pub signature: String,
    pub date: String,
    pub printed_by: String,
}

/// "〔2026〕4号": the serial is the quarter, the month, or 1 for a year.
fn doc_number(period: &Period) -> String {
    let serial = match period.key.split_once('-') {
        Some((_, q)) if q.starts_with('Q') => q[1..].to_string(),
        Some((_, m)) if m.len() == 2 => m.trim_start_matches('0').to_string(),
        _ => "1".to_string(),
    };
    format!("退管备〔{}〕{serial}号", period.from.year())
}

pub fn build(office: &Office, as_of: NaiveDate, period: &Period) -> FilingReport {
    let org = &office.org;
    let rules = &org.rules;
    let branch_name = |id: &str| office.branch(id).map(|b| b.name.value.clone()).unwrap_or_default();
    let (mut departures, mut returns, mut follow_ups) = (Vec::new(), Vec::new(), Vec::new());
    let (mut cards, mut transfers, mut near, mut away_now) = (0, 0, 0, 0);
    for m in office.members_in_print_order() {
        for d in &m.departures {
            let decision = decide(d, rules).decision;
            if period.contains(d.start.value) {
                match decision {
                    Decision::ContactCard => cards += 1,
                    Decision::Transfer(_) => transfers += 1,
                    Decision::NoCard => near += 1,
                }
                departures.push(DepartureRow {
                    name: m.name.value.clone(),
                    branch: branch_name(&m.branch.value),
                    destination: join_nonempty(&[d.destination.region()], ""),
                    start: zh_date(d.start.value),
                    planned_end: d.planned_end.as_ref().map_or_else(|| "未定".into(), |e| zh_date(e.value)),
                    decision: decision.zh(),
                    card: text(&d.card_number),
                });
            }
            if let Some(r) = &d.returned
                && period.contains(r.value)
            {
                returns.push(ReturnRow {
                    name: m.name.value.clone(),
                    branch: branch_name(&m.branch.value),
                    returned: zh_date(r.value),
                    card: match (&d.card_number, &d.card_returned) {
                        (None, _) => "未发卡".into(),
                        (Some(_), Some(c)) => format!("{}交回", zh_date(c.value)),
                        (Some(_), None) => "未交回".into(),
                    },
                    report: if d.report.is_some() { "已汇报" } else { "未汇报" }.into(),
                });
            }
            if d.start.value <= as_of
                && d.returned.as_ref().is_none_or(|r| r.value > as_of)
                && decision != Decision::NoCard
            {
                away_now += 1;
            }
        }
        for f in findings(m, as_of, rules) {
            follow_ups.push(FollowUpRow {
                name: m.name.value.clone(),
                branch: branch_name(&m.branch.value),
                departure: f.departure.id.value.clone(),
                kind: f.kind.zh().into(),
                text: f.text,
            });
        }
    }
    let issuer = text(&org.party_committee.name);
    let mut paragraphs = vec![format!(
        "根据流动党员管理的有关规定，现将{}{}离退休党员外出登记情况报告如下。",
        org.enterprise.value, period.label
    )];
    paragraphs.push(format!(
        "一、本期新登记外出党员{}人次，其中发放离退休流动党员联系卡{}人次，转出组织关系{}人次，临时就近外出（不发卡、照常参加支部活动）{}人次。",
        departures.len(),
        cards,
        transfers,
        near
    ));
    paragraphs.push(format!(
        "二、本期返回{}人次，联系卡已交回{}张，已汇报外出期间情况{}人次。",
        returns.len(),
        returns.iter().filter(|r| r.card.ends_with("交回") && r.card != "未交回").count(),
        returns.iter().filter(|r| r.report == "已汇报").count()
    ));
    paragraphs.push(format!(
        "三、截至{}，在外流动党员（持联系卡或待转出组织关系）{}人，需跟进事项{}项，各支部已逐一落实专人联系。具体情况见附表。",
        zh_date(as_of),
        away_now,
        follow_ups.len()
    ));
    paragraphs.push("特此报告。".into());
    FilingReport {
        issuer: issuer.clone(),
        doc_number: doc_number(period),
        title: format!("关于{}离退休流动党员外出登记情况的备案报告", period.label),
        recipient: text(&org.filing_org.name),
        paragraphs,
        departures,
        returns,
        follow_ups,
        signature: issuer,
        date: zh_date(as_of),
        printed_by: text(&org.office.name),
    }
}

pub fn plan(office: &Office, as_of: NaiveDate, period: &Period) -> Vec<Planned> {
    let view = build(office, as_of, period);
    vec![Planned::new(format!("reports/filing-{}.pdf", period.key), TEMPLATE, format!("filing-{}", period.key), &view)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::period::parse_period;

    #[test]
    fn document_numbers() {
        assert_eq!(doc_number(&parse_period("2026-Q4").unwrap()), "退管备〔2026〕4号");
        assert_eq!(doc_number(&parse_period("2026-03").unwrap()), "退管备〔2026〕3号");
        assert_eq!(doc_number(&parse_period("2026").unwrap()), "退管备〔2026〕1号");
    }
}
