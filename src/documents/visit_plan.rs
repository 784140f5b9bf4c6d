//! 走访计划 (R14–R18): per branch, who is due or overdue this period and
//! why, most urgent first; a pre-filled "three questions" record sheet per
//! member to visit; and an .ics calendar of the visits for phones.

use chrono::NaiveDate;
use serde::Serialize;

use super::{
    DocumentKind, LIST_PIECE, Long, PRINT_PART, Piece, family_entries, join_nonempty, joined_in_pieces, phone_numbers,
    pieces, print_file, text, zh_date,
};
use crate::facts::{Facts, MemberFacts};
use crate::office::{Member, Office};
use crate::outputs::Output;
use crate::rules::visits::{Assessment, VisitState};

pub const PLAN: DocumentKind =
    DocumentKind { template: "visit-plan.typ", zh: "走访计划", folder: "visits", one_page: false, example: None };
pub const SHEETS: DocumentKind =
    DocumentKind {
        template: "visit-sheets.typ", zh: "走访记录表", folder: "visits", one_page: false, example: None
    };

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub member_id: String,
    pub name: String,
    pub age: String,
    pub state: String,
    pub urgent: bool,
    pub why: String,
    pub last_visit: String,
    pub deadline: String,
    pub address: String,
    pub phones: Vec<String>,
    pub family: Vec<String>,
    pub branch: String,
    pub group: String,
    /// The serious-illness subsidy applied for, if any (R18).
    pub subsidy: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BranchPlan {
    pub name: String,
    pub secretary: String,
    pub due: Vec<Row>,
    pub remote: Vec<Row>,
    /// In a piece of a long plan (see [`super::pieces`]): the number, from
    /// 0, of the first row of each list here.
    pub due_from: usize,
    pub remote_from: usize,
    /// The rows of `due` in the whole plan.
    #[serde(skip)]
    pub due_total: usize,
}

#[derive(Debug, Serialize)]
pub struct VisitPlan {
    pub piece: Piece,
    pub title: String,
    pub as_of: String,
    pub enterprise: String,
    pub branches: Vec<BranchPlan>,
    pub overdue: usize,
    pub due: usize,
    pub remote: usize,
}

/// A plan of one branch, its rows due first, then those kept in touch
/// with by phone or letter.
impl Long for VisitPlan {
    type Row = (bool, Row);
    fn take_rows(&mut self) -> Vec<(bool, Row)> {
        let b = &mut self.branches[0];
        let due = std::mem::take(&mut b.due).into_iter().map(|r| (false, r));
        due.chain(std::mem::take(&mut b.remote).into_iter().map(|r| (true, r))).collect()
    }
    fn piece(&self, rows: Vec<(bool, Row)>, piece: Piece, from: usize) -> Self {
        let b = &self.branches[0];
        let (remote, due): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(remote, _)| *remote);
        let branch = BranchPlan {
            name: b.name.clone(),
            secretary: b.secretary.clone(),
            due_from: from,
            remote_from: (from + due.len()).saturating_sub(b.due_total),
            due: due.into_iter().map(|(_, r)| r).collect(),
            remote: remote.into_iter().map(|(_, r)| r).collect(),
            due_total: b.due_total,
        };
        Self {
            piece,
            title: self.title.clone(),
            as_of: self.as_of.clone(),
            enterprise: self.enterprise.clone(),
            branches: vec![branch],
            overdue: self.overdue,
            due: self.due,
            remote: self.remote,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct VisitSheets<'a> {
    pub as_of: String,
    pub rows: &'a [&'a Row],
    /// A 慰问金/品 line to fill in (org.yaml `rules: gift_column`).
    pub gift: bool,
    /// Whether a record may run on to a further page (see
    /// `render::typst`: a part is laid out first as if none did).
    pub runs_on: bool,
}

fn row(office: &Office, f: &MemberFacts, a: &Assessment, as_of: NaiveDate) -> Row {
    let m: &Member = a.member;
    // Away: where they are now and the phone they took, first.
    let away = f.current().map(|d| d.departure).filter(|_| a.state() == VisitState::Remote);
    let (branch_name, group_name) = office.branch_and_group_names(m);
    let open: Vec<_> = a.needs.iter().filter(|n| n.state != VisitState::Done).collect();
    Row {
        member_id: m.id.value.clone(),
        name: m.name.value.clone(),
        age: a.age.map(|x| format!("{x}")).unwrap_or_default(),
        state: a.state().zh().into(),
        urgent: a.urgent(),
        why: open.iter().map(|n| n.why.clone()).collect::<Vec<_>>().join("；"),
        last_visit: a
            .last_home_visit
            .map_or_else(|| "无记录".into(), |d| format!("{}（{}天前）", zh_date(d), (as_of - d).num_days())),
        deadline: a.deadline().map(zh_date).unwrap_or_default(),
        address: match away {
            Some(d) => format!("外出：{}{}", d.destination.region(), text(&d.destination.address)),
            None => super::on_paper(&m.address.value),
        },
        phones: phone_numbers(&[
            away.map(|d| text(&d.phone_away)).unwrap_or_default(),
            text(&m.mobile),
            text(&m.home_phone),
        ]),
        family: family_entries(m),
        branch: branch_name,
        group: group_name,
        subsidy: super::subsidy_line(m),
    }
}

pub fn build(facts: &Facts) -> VisitPlan {
    let (office, as_of) = (facts.office, facts.as_of);
    let mut branches = Vec::new();
    let (mut overdue, mut due, mut remote) = (0, 0, 0);
    for b in &office.org.branches {
        let mut assessed: Vec<(&MemberFacts, &Assessment)> = facts
            .members()
            .filter(|f| f.member.branch.value == b.id.value)
            .filter_map(|f| f.visits.as_ref().map(|a| (f, a)))
            .filter(|(_, a)| a.state() != VisitState::Done)
            .collect();
        assessed.sort_by(|(_, x), (_, y)| {
            x.urgency().cmp(&y.urgency()).then_with(|| x.member.id.value.cmp(&y.member.id.value))
        });
        let (r, d): (Vec<_>, Vec<_>) = assessed.iter().copied().partition(|(_, a)| a.state() == VisitState::Remote);
        overdue += d.iter().filter(|(_, a)| a.state() == VisitState::Overdue).count();
        due += d.iter().filter(|(_, a)| a.state() == VisitState::Due).count();
        remote += r.len();
        branches.push(BranchPlan {
            name: b.name.value.clone(),
            secretary: b
                .secretary()
                .map(|s| join_nonempty(&[s.name.value.clone(), text(&s.mobile)], " "))
                .unwrap_or_default(),
            due: d.iter().map(|(f, a)| row(office, f, a, as_of)).collect(),
            remote: r.iter().map(|(f, a)| row(office, f, a, as_of)).collect(),
            due_from: 0,
            remote_from: 0,
            due_total: d.len(),
        });
    }
    VisitPlan {
        piece: Piece::WHOLE,
        title: "离退休党员走访计划".into(),
        as_of: zh_date(as_of),
        enterprise: office.org.enterprise.value.clone(),
        branches,
        overdue,
        due,
        remote,
    }
}

/// Escape a text value for iCalendar (RFC 5545 §3.3.11).
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
}

/// Fold a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        if len + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += c.len_utf8();
    }
    out + "\r\n"
}

/// The visits to make as all-day events on their deadline (today when already past).
pub fn ics(plan: &VisitPlan, as_of: NaiveDate) -> String {
    let stamp = as_of.format("%Y%m%dT000000Z");
    let mut s =
        String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tuiguan//visit plan//ZH\r\nCALSCALE:GREGORIAN\r\n");
    s.push_str(&fold(&format!("X-WR-CALNAME:{}", ics_text(&format!("{}走访计划", plan.enterprise)))));
    for b in &plan.branches {
        for r in &b.due {
            let deadline = NaiveDate::parse_from_str(&r.deadline, "%Y年%m月%d日").unwrap_or(as_of).max(as_of);
            s.push_str("BEGIN:VEVENT\r\n");
            s.push_str(&format!("UID:{}-{}@tuiguan\r\n", r.member_id, as_of.format("%Y%m%d")));
            s.push_str(&format!("DTSTAMP:{stamp}\r\n"));
            s.push_str(&format!("DTSTART;VALUE=DATE:{}\r\n", deadline.format("%Y%m%d")));
            s.push_str(&format!("DTEND;VALUE=DATE:{}\r\n", deadline.succ_opt().unwrap_or(deadline).format("%Y%m%d")));
            s.push_str(&fold(&format!("SUMMARY:{}", ics_text(&format!("走访{}（{}）", r.name, r.state)))));
            s.push_str(&fold(&format!("LOCATION:{}", ics_text(&r.address))));
            s.push_str(&fold(&format!(
                "DESCRIPTION:{}",
                ics_text(&format!("{}\n电话：{}\n{}", r.why, r.phones.join(" / "), b.name))
            )));
            s.push_str("END:VEVENT\r\n");
        }
    }
    s + "END:VCALENDAR\r\n"
}

/// The plan, the record sheets and the calendar (returned separately: it is not a PDF).
pub fn plan<'f>(facts: &'f Facts<'f>) -> (Vec<Output<'f>>, Vec<(String, Vec<u8>)>) {
    let as_of = facts.as_of;
    let view = build(facts);
    let calendar = ics(&view, as_of);
    let rows: Vec<&Row> = view.branches.iter().flat_map(|b| &b.due).collect();
    let sheets = print_file(&SHEETS, &rows, PRINT_PART, &format!("{}/visit-sheets", SHEETS.folder), |rows| {
        VisitSheets { as_of: zh_date(as_of), rows, gift: facts.office.org.rules.gift_column, runs_on: true }
    });
    drop(rows);
    // One part per branch (a page or a few each), joined into one print file:
    // a large office's plan never becomes one huge typst document. Each
    // branch is moved into its part, not copied: the plan is held once.
    let VisitPlan { title, as_of: date, enterprise, branches, overdue, due, remote, .. } = view;
    let parts = branches.into_iter().map(|b| VisitPlan {
        piece: Piece::WHOLE,
        branches: vec![b],
        title: title.clone(),
        as_of: date.clone(),
        enterprise: enterprise.clone(),
        overdue,
        due,
        remote,
    });
    // A large branch's plan in pieces, as its dues ledger.
    let mut out = joined_in_pieces(&PLAN, "visit-plan", parts.map(|p| pieces(p, LIST_PIECE)));
    out.extend(sheets);
    (out, vec![("visits/visits.ics".into(), calendar.into_bytes())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_branch_plan_comes_in_pieces_whose_rows_number_on() {
        let row = |name: &str| Row {
            member_id: name.into(),
            name: name.into(),
            age: String::new(),
            state: String::new(),
            urgent: false,
            why: String::new(),
            last_visit: String::new(),
            deadline: String::new(),
            address: String::new(),
            phones: Vec::new(),
            family: Vec::new(),
            branch: String::new(),
            group: String::new(),
            subsidy: String::new(),
        };
        let names = |n: usize, p: &str| (1..=n).map(|i| row(&format!("{p}{i}"))).collect::<Vec<_>>();
        let plan = VisitPlan {
            piece: Piece::WHOLE,
            title: "走访计划".into(),
            as_of: String::new(),
            enterprise: String::new(),
            branches: vec![BranchPlan {
                name: "一支部".into(),
                secretary: String::new(),
                due: names(5, "甲"),
                remote: names(3, "乙"),
                due_from: 0,
                remote_from: 0,
                due_total: 5,
            }],
            overdue: 0,
            due: 5,
            remote: 3,
        };
        let pieces = super::super::pieces(plan, 3);
        let shape: Vec<_> = pieces
            .iter()
            .map(|p| {
                let b = &p.branches[0];
                let first = |rows: &[Row]| rows.first().map(|r| r.name.clone()).unwrap_or_default();
                (
                    p.piece.first,
                    p.piece.last,
                    b.due.len(),
                    b.due_from,
                    first(&b.due),
                    b.remote.len(),
                    b.remote_from,
                    first(&b.remote),
                )
            })
            .collect();
        let s = String::new;
        assert_eq!(
            shape,
            [
                (true, false, 3, 0, "甲1".to_string(), 0, 0, s()),
                (false, false, 2, 3, "甲4".to_string(), 1, 0, "乙1".to_string()),
                (false, true, 0, 6, s(), 2, 1, "乙2".to_string()),
            ]
        );
    }

    #[test]
    fn folding_keeps_characters_whole_and_lines_short() {
        let line = format!("DESCRIPTION:{}", "走访".repeat(40));
        let folded = fold(&line);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l}");
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(ics_text("a,b;c\nd"), "a\\,b\\;c\\nd");
    }
}
