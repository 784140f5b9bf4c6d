//! 备案报告: the report to the higher Party organisation for a period —
//! new departures, returns, open follow-ups and counts — laid out after
//! GB/T 9704-2012 (docs/domain.md §3).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::gongwen::{self, GridParagraph};
use super::{DocumentKind, join_nonempty, liaison, text, zh_date};
use crate::facts::{DepartureFacts, Facts};
use crate::outputs::{Output, json};
use crate::rules::period::Period;
use crate::rules::record::Handling;

pub const KIND: DocumentKind =
    DocumentKind {
        template: "filing-report.typ", zh: "备案报告", folder: "reports", one_page: false, example: None
    };

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct ReturnRow {
    pub name: String,
    pub branch: String,
    pub returned: String,
    pub card: String,
    pub report: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FollowUpRow {
    pub name: String,
    pub branch: String,
    pub departure: String,
    pub kind: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
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
    /// Sealed (GB/T 9704 7.3.5.1: the signature centred over the date, room
    /// for the seal) or not (7.3.5.2: the signature 2 characters in from the
    /// right, the date under it 2 characters further in).
    pub sealed: bool,
    pub date: String,
    pub printed_by: String,
    /// Which part of the report this view lays out: the whole, or one of
    /// the parts of a long one (see [`parts`]).
    pub part: PartOf,
}

/// What one part of the report holds. A report is laid out whole unless
/// its attachments are long; then in parts, one after another, each on a
/// fresh memory, and joined (typst holds a document's whole layout until
/// it is done: 122 pages took 110 MB more than the rest of a build).
#[derive(Debug, Clone, Serialize)]
pub struct PartOf {
    /// The letter itself: the first part.
    pub front: bool,
    /// The 版记: the last part.
    pub back: bool,
    /// Per attachment, in order.
    pub sections: [Section; 3],
}

/// One attachment in a part.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Section {
    /// The part has this attachment's title or some of its rows.
    pub shown: bool,
    /// The attachment begins in this part (its title, or 本期无。).
    pub titled: bool,
    /// The number of its first row here, less one: rows are numbered on.
    pub first: usize,
}

impl PartOf {
    fn whole() -> Self {
        Self { front: true, back: true, sections: [Section { shown: true, titled: true, first: 0 }; 3] }
    }
}

/// Rows an attachment's part holds before it is cut where the next branch
/// begins (about 17 pages); a branch longer than twice this is cut within.
pub const PART_ROWS: usize = 250;

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

/// The rows of one departure that began in the period.
fn departure_row(df: &DepartureFacts, name: &str, branch: String) -> DepartureRow {
    let d = df.departure;
    DepartureRow {
        name: name.to_string(),
        branch,
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
    }
}

/// The row of one return in the period: the card taken back, the report made.
fn return_row(df: &DepartureFacts, returned: NaiveDate, name: &str, branch: String) -> ReturnRow {
    ReturnRow {
        name: name.to_string(),
        branch,
        returned: zh_date(returned),
        card: match (&df.handling, df.card_back) {
            (Handling::Card { .. }, Some(c)) => format!("{}交回", zh_date(c)),
            (Handling::Card { .. }, None) => "未交回".into(),
            _ => "未发卡".into(),
        },
        report: if df.near_home() {
            "就近外出，无需汇报"
        } else if df.departure.report.is_some() {
            "已汇报"
        } else {
            "未汇报"
        }
        .into(),
    }
}

/// What the report counts besides its rows.
#[derive(Default)]
struct Tallies {
    counts: Counts,
    away_now: usize,
    without_liaison: usize,
    cards_back: usize,
    reported: usize,
}

pub fn build(facts: &Facts, period: &Period) -> FilingReport {
    let (office, as_of) = (facts.office, facts.as_of);
    let org = &office.org;
    let branch_name = |id: &str| office.branch(id).map(|b| b.name.value.clone()).unwrap_or_default();
    let (mut departures, mut returns, mut follow_ups) = (Vec::new(), Vec::new(), Vec::new());
    let mut t = Tallies::default();
    for f in facts.in_print_order() {
        let m = f.member;
        for df in &f.departures {
            if period.contains(df.departure.start.value) {
                t.counts.add(&df.handling);
                departures.push(departure_row(df, &m.name.value, branch_name(&m.branch.value)));
            }
            if let Some(r) = df.returned
                && period.contains(r)
            {
                t.cards_back += usize::from(df.card_back.is_some() && matches!(df.handling, Handling::Card { .. }));
                t.reported += usize::from(!df.near_home() && df.departure.report.is_some());
                returns.push(return_row(df, r, &m.name.value, branch_name(&m.branch.value)));
            }
        }
        if f.away_far() {
            t.away_now += 1;
            t.without_liaison += usize::from(liaison(org, m).is_empty());
        }
        follow_ups.extend(f.findings.iter().map(|finding| FollowUpRow {
            name: m.name.value.clone(),
            branch: branch_name(&m.branch.value),
            departure: finding.departure.id.value.clone(),
            kind: finding.kind.zh().into(),
            text: finding.text.clone(),
        }));
    }
    let issuer = text(&org.party_committee.name);
    let paragraphs = paragraphs(facts, period, &t, returns.len(), follow_ups.len());
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
        sealed: org.rules.report_sealed,
        date: zh_date(as_of),
        printed_by: text(&org.office.name),
        part: PartOf::whole(),
    }
}

/// The report's body: who left, who came back, who is away now. The report
/// is about departures: home members' dues and the course of 失联 / 停止党籍
/// are `check`'s and the office's follow-up list (the Excel register's
/// 待跟进事项), decided by the 支部大会 and the higher committee, never
/// stated here as done.
fn paragraphs(facts: &Facts, period: &Period, t: &Tallies, returns: usize, follow_ups: usize) -> Vec<String> {
    let org = &facts.office.org;
    let mut paragraphs = vec![org.texts.report_opening(&org.enterprise.value, &period.label)];
    paragraphs.push(t.counts.sentence());
    paragraphs.push(if returns == 0 {
        "二、本期没有返回的外出党员。".to_string()
    } else {
        format!("二、本期返回{returns}人次，联系卡已交回{}张，已汇报外出期间情况{}人次。", t.cards_back, t.reported)
    });
    let liaison_sentence = match (t.away_now, t.without_liaison) {
        (0, _) => String::new(),
        (_, 0) => "各支部已逐一落实专人联系。".to_string(),
        (_, n) => format!("其中{n}人所在党小组和支部尚未明确联系人，正在落实。"),
    };
    let follow_up_sentence = if follow_ups == 0 {
        "无需跟进事项。".to_string()
    } else {
        format!("需跟进事项{follow_ups}项。")
    };
    paragraphs.push(format!(
        "三、截至{}，在外流动党员{}人，{liaison_sentence}{follow_up_sentence}具体情况见附件。",
        zh_date(facts.as_of),
        t.away_now
    ));
    paragraphs.push("特此报告。".into());
    paragraphs
}

/// Where each part begins: (attachment, row) pairs, the first (0, 0). A
/// part is cut before a row once it holds `rows` rows and that row's branch
/// is not the last row's, or once it holds twice as many.
fn cuts(branches: [Vec<&str>; 3], rows: usize) -> Vec<(usize, usize)> {
    let mut cuts = vec![(0, 0)];
    let mut held = 0;
    for (n, list) in branches.iter().enumerate() {
        for (i, b) in list.iter().enumerate() {
            let new_branch = i == 0 || list[i - 1] != *b;
            if held >= rows && (new_branch || held >= 2 * rows) {
                cuts.push((n, i));
                held = 0;
            }
            held += 1;
        }
    }
    cuts
}

/// The report in parts of about `rows` rows of attachment each (see
/// [`cuts`]); one part, the whole, when it is short.
pub fn parts(mut report: FilingReport, rows: usize) -> Vec<FilingReport> {
    let branches = [
        report.departures.iter().map(|r| r.branch.as_str()).collect(),
        report.returns.iter().map(|r| r.branch.as_str()).collect(),
        report.follow_ups.iter().map(|r| r.branch.as_str()).collect(),
    ];
    let cuts = cuts(branches, rows);
    if cuts.len() == 1 {
        return vec![report];
    }
    let lens = [report.departures.len(), report.returns.len(), report.follow_ups.len()];
    // The rows and the letter's body are dealt out; what is left, every
    // part has.
    let mut departures = std::mem::take(&mut report.departures);
    let mut returns = std::mem::take(&mut report.returns);
    let mut follow_ups = std::mem::take(&mut report.follow_ups);
    let mut body = std::mem::take(&mut report.body);
    // Taken from the end, each part's rows split off the lists.
    let mut parts = Vec::new();
    for (k, &from) in cuts.iter().enumerate().rev() {
        let to = cuts.get(k + 1).copied().unwrap_or((3, 0));
        let sections: [Section; 3] = std::array::from_fn(|m| {
            if (m, 0) >= from && (m, 0) < to {
                Section { shown: true, titled: true, first: 0 }
            } else if (m, 0) < from && from < (m, lens[m]) {
                Section { shown: true, titled: false, first: from.1 }
            } else {
                Section::default()
            }
        });
        // Attachment m's rows from `from` on (those after `to` are taken already).
        let start = |m: usize| match from.0.cmp(&m) {
            std::cmp::Ordering::Equal => from.1,
            std::cmp::Ordering::Less => 0,
            std::cmp::Ordering::Greater => lens[m],
        };
        parts.push(FilingReport {
            departures: departures.split_off(start(0).min(departures.len())),
            returns: returns.split_off(start(1).min(returns.len())),
            follow_ups: follow_ups.split_off(start(2).min(follow_ups.len())),
            body: if k == 0 { std::mem::take(&mut body) } else { Vec::new() },
            part: PartOf { front: k == 0, back: k == cuts.len() - 1, sections },
            ..report.clone()
        });
    }
    parts.reverse();
    parts
}

pub fn plan<'f>(facts: &'f Facts<'f>, period: &Period) -> Vec<Output<'f>> {
    let mut parts = parts(build(facts, period), PART_ROWS).into_iter();
    let first = parts.next().expect("a report has a first part");
    let mut planned = Output::new(
        &KIND,
        format!("{}/filing-{}.pdf", KIND.folder, period.key),
        format!("filing-{}", period.key),
        json(&first),
    );
    planned.sequel = parts.map(|p| json(&p)).collect();
    vec![planned]
}

#[cfg(test)]
mod tests;
