//! 备案报告: the report to the higher Party organisation for a period —
//! new departures, returns, open follow-ups and counts — laid out after
//! GB/T 9704-2012 (domain.md §3).

use chrono::Datelike;
use serde::Serialize;

use super::gongwen::{self, GridParagraph};
use super::{DocumentKind, Planned, join_nonempty, liaison, text, zh_date};
use crate::facts::Facts;
use crate::rules::lifecycle::LifeIssue;
use crate::rules::period::Period;
use crate::rules::record::Handling;

pub const KIND: DocumentKind =
    DocumentKind { template: "filing-report.typ", zh: "备案报告", folder: "reports", one_page: false };

#[derive(Debug, Serialize)]
pub struct DepartureRow {
    pub name: String,
    pub branch: String,
    pub reason: String,
    pub destination: String,
    /// 外出时间 in two lines that never break: "2026年10月15日至",
    /// "2027年3月31日" (or "返回日期未定").
    pub time: [String; 2],
    /// 处理方式 as recorded: what was done, then the card number and the
    /// date it was done ("2026年10月12日发"), each a line of its own.
    pub handling: String,
    pub handling_details: Vec<String>,
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
    /// 签发人: the committee's signer when org.yaml names one; blank to
    /// write by hand otherwise.
    pub signer: String,
    /// The title in its lines, each phrase whole, the shorter first.
    pub title_lines: Vec<String>,
    /// 主送机关 with its colon, on the grid.
    pub recipient: GridParagraph,
    /// The body on the 28-character grid; the last paragraph ("特此报告。")
    /// prints with the signature.
    pub body: Vec<GridParagraph>,
    /// 附件说明: the attachments' names, numbered in the template.
    pub attachments: Vec<&'static str>,
    pub departures: Vec<DepartureRow>,
    pub returns: Vec<ReturnRow>,
    pub follow_ups: Vec<FollowUpRow>,
    pub signature: String,
    pub date: String,
    pub printed_by: String,
}

/// The three attachments, in the order the template prints them.
const ATTACHMENTS: [&str; 3] = ["本期外出党员登记情况", "本期返回党员情况", "需跟进事项"];

/// "〔2026〕4号": the serial is the quarter, the month, or 1 for a year.
fn doc_number(period: &Period) -> String {
    let serial = match period.key.split_once('-') {
        Some((_, q)) if q.starts_with('Q') => q[1..].to_string(),
        Some((_, m)) if m.len() == 2 => m.trim_start_matches('0').to_string(),
        _ => "1".to_string(),
    };
    format!("退管备〔{}〕{serial}号", period.from.year())
}

/// The period's departures counted by the handling recorded for them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub departures: usize,
    pub cards: usize,
    pub transferred: usize,
    pub transfer_pending: usize,
    pub near_home: usize,
    pub unrecorded: usize,
}

impl Counts {
    fn add(&mut self, h: &Handling) {
        self.departures += 1;
        match h {
            Handling::Card { .. } => self.cards += 1,
            Handling::Transferred { .. } => self.transferred += 1,
            Handling::TransferPending { .. } => self.transfer_pending += 1,
            Handling::NearHome => self.near_home += 1,
            Handling::Unrecorded => self.unrecorded += 1,
        }
    }

    /// 一、: the sentence on the period's departures; only what the rows say.
    fn sentence(&self) -> String {
        let mut parts = Vec::new();
        if self.cards > 0 {
            parts.push(format!("发放离退休流动党员联系卡{}人次", self.cards));
        }
        if self.transferred > 0 {
            parts.push(format!("转出组织关系{}人次", self.transferred));
        }
        if self.transfer_pending > 0 {
            parts.push(format!("拟转出组织关系、尚未办理{}人次", self.transfer_pending));
        }
        if self.near_home > 0 {
            parts.push(format!("临时就近外出（不发卡、照常参加支部活动）{}人次", self.near_home));
        }
        if self.unrecorded > 0 {
            parts.push(format!("尚未登记处理方式{}人次", self.unrecorded));
        }
        if parts.is_empty() {
            return "一、本期没有新登记外出的党员。".to_string();
        }
        format!("一、本期新登记外出党员{}人次，其中{}。", self.departures, parts.join("，"))
    }
}

pub fn build(facts: &Facts, period: &Period) -> FilingReport {
    let (office, as_of) = (facts.office, facts.as_of);
    let org = &office.org;
    let branch_name = |id: &str| office.branch(id).map(|b| b.name.value.clone()).unwrap_or_default();
    let (mut departures, mut returns, mut follow_ups) = (Vec::new(), Vec::new(), Vec::new());
    let mut counts = Counts::default();
    let (mut away_now, mut without_liaison, mut cards_back, mut reported) = (0, 0, 0, 0);
    for f in facts.in_print_order() {
        let m = f.member;
        for df in &f.departures {
            let d = df.departure;
            if period.contains(d.start.value) {
                counts.add(&df.handling);
                departures.push(DepartureRow {
                    name: m.name.value.clone(),
                    branch: branch_name(&m.branch.value),
                    reason: text(&d.reason),
                    destination: join_nonempty(&[d.destination.region()], ""),
                    time: match &d.planned_end {
                        Some(e) => [format!("{}至", zh_date(d.start.value)), zh_date(e.value)],
                        None => [format!("{}起", zh_date(d.start.value)), "返回日期未定".into()],
                    },
                    handling: df.handling.label(),
                    handling_details: df
                        .handling
                        .number()
                        .map(str::to_string)
                        .into_iter()
                        .chain(df.handling.dated().map(|(d, what)| format!("{}{what}", zh_date(d))))
                        .collect(),
                });
            }
            if let Some(r) = df.returned
                && period.contains(r)
            {
                cards_back += usize::from(df.card_back.is_some() && matches!(df.handling, Handling::Card { .. }));
                reported += usize::from(!df.near_home() && d.report.is_some());
                returns.push(ReturnRow {
                    name: m.name.value.clone(),
                    branch: branch_name(&m.branch.value),
                    returned: zh_date(r),
                    card: match (&df.handling, df.card_back) {
                        (Handling::Card { .. }, Some(c)) => format!("{}交回", zh_date(c)),
                        (Handling::Card { .. }, None) => "未交回".into(),
                        _ => "未发卡".into(),
                    },
                    report: if df.near_home() {
                        "就近外出，无需汇报"
                    } else if d.report.is_some() {
                        "已汇报"
                    } else {
                        "未汇报"
                    }
                    .into(),
                });
            }
        }
        if f.away_far() {
            away_now += 1;
            if liaison(office, m).is_empty() {
                without_liaison += 1;
            }
        }
        for finding in &f.findings {
            follow_ups.push(FollowUpRow {
                name: m.name.value.clone(),
                branch: branch_name(&m.branch.value),
                departure: finding.departure.id.value.clone(),
                kind: finding.kind.zh().into(),
                text: finding.text.clone(),
            });
        }
        // Decisions on the membership that the higher committee approves,
        // and arrears, which decide whether a member is lost (§1.2).
        let decisions = f.life.iter().filter(|x| matches!(x.issue, LifeIssue::SuspensionDue | LifeIssue::LapseDue));
        let arrears = f.dues.findings.iter().filter(|x| x.issue.is_arrears());
        let member_wide = decisions.map(|x| (x.issue.zh(), &x.text)).chain(arrears.map(|x| (x.issue.zh(), &x.text)));
        for (kind, text) in member_wide {
            follow_ups.push(FollowUpRow {
                name: m.name.value.clone(),
                branch: branch_name(&m.branch.value),
                departure: f.current().map_or_else(|| "—".into(), |d| d.departure.id.value.clone()),
                kind: kind.into(),
                text: text.clone(),
            });
        }
    }
    let issuer = text(&org.party_committee.name);
    let mut paragraphs = vec![org.texts.report_opening(&org.enterprise.value, &period.label)];
    paragraphs.push(counts.sentence());
    paragraphs.push(if returns.is_empty() {
        "二、本期没有返回的外出党员。".to_string()
    } else {
        format!("二、本期返回{}人次，联系卡已交回{cards_back}张，已汇报外出期间情况{reported}人次。", returns.len())
    });
    let liaison_sentence = match (away_now, without_liaison) {
        (0, _) => String::new(),
        (_, 0) => "各支部已逐一落实专人联系。".to_string(),
        (_, n) => format!("其中{n}人所在党小组和支部尚未明确联系人，正在落实。"),
    };
    let follow_up_sentence = if follow_ups.is_empty() {
        "无需跟进事项。".to_string()
    } else {
        format!("需跟进事项{}项。", follow_ups.len())
    };
    paragraphs.push(format!(
        "三、截至{}，在外流动党员{away_now}人，{liaison_sentence}{follow_up_sentence}具体情况见附件。",
        zh_date(as_of)
    ));
    paragraphs.push("特此报告。".into());
    FilingReport {
        issuer: issuer.clone(),
        doc_number: doc_number(period),
        signer: text(&org.party_committee.signer),
        title_lines: vec![format!("关于{}", period.label), "离退休流动党员外出登记情况的备案报告".into()],
        recipient: gongwen::flush(&format!("{}：", text(&org.filing_org.name))),
        body: paragraphs.iter().map(|p| gongwen::body(p)).collect(),
        attachments: ATTACHMENTS.to_vec(),
        departures,
        returns,
        follow_ups,
        signature: issuer,
        date: zh_date(as_of),
        printed_by: text(&org.office.name),
    }
}

pub fn plan(facts: &Facts, period: &Period) -> Vec<Planned> {
    let view = build(facts, period);
    vec![Planned::new(
        &KIND,
        format!("{}/filing-{}.pdf", KIND.folder, period.key),
        format!("filing-{}", period.key),
        &view,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::period::parse_period;

    #[test]
    fn counts_say_only_what_was_recorded() {
        let mut c = Counts::default();
        c.add(&Handling::Card { number: None, issued: None });
        c.add(&Handling::TransferPending { kind: crate::office::TransferKind::Temporary });
        assert_eq!(
            c.sentence(),
            "一、本期新登记外出党员2人次，其中发放离退休流动党员联系卡1人次，拟转出组织关系、尚未办理1人次。"
        );
        assert_eq!(Counts::default().sentence(), "一、本期没有新登记外出的党员。");
    }

    #[test]
    fn document_numbers() {
        assert_eq!(doc_number(&parse_period("2026-Q4").unwrap()), "退管备〔2026〕4号");
        assert_eq!(doc_number(&parse_period("2026-03").unwrap()), "退管备〔2026〕3号");
        assert_eq!(doc_number(&parse_period("2026").unwrap()), "退管备〔2026〕1号");
    }
}
