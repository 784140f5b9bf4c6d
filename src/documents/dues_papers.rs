//! 党费 papers for a year, per branch (docs/domain.md §2.5): the 党费收缴登记表
//! (members × 12 months, what each month's mark is on the day, totals,
//! signatures) and the 党费基数核定表 (base, rate, monthly amount) the branch
//! approves at the start of the year.

use serde::Serialize;

use super::{DocumentKind, LIST_PIECE, Long, Piece, join_nonempty, joined_in_pieces, pieces, text, zh_date};
use crate::facts::{Facts, MemberFacts};
use crate::office::{PaymentWay, Word};
use crate::outputs::Output;
use crate::rules::dues::{Basis, MonthMark, YearAmount, month_zh, yuan};
use crate::rules::lifecycle::Standing;

pub const LEDGER: DocumentKind =
    DocumentKind {
        template: "dues-ledger.typ", zh: "党费收缴登记表", folder: "dues", one_page: false, example: None
    };
pub const BASES: DocumentKind =
    DocumentKind {
        template: "dues-bases.typ", zh: "党费基数核定表", folder: "dues", one_page: false, example: None
    };

#[derive(Debug, Clone, Serialize)]
pub struct LedgerRow {
    pub seq: usize,
    pub name: String,
    pub group: String,
    /// "24.00"; "" when no amount can be fixed.
    pub monthly: String,
    /// Twelve marks: √ 代 异 免 转 欠, "" open, "—" before the ledger.
    pub marks: Vec<&'static str>,
    pub due: String,
    pub paid: String,
    pub note: String,
    #[serde(skip)]
    due_fen: i64,
    #[serde(skip)]
    paid_fen: i64,
    /// What each month was paid (分).
    #[serde(skip)]
    month_fen: [i64; 12],
}

#[derive(Debug, Clone, Serialize)]
pub struct Ledger {
    pub year: i32,
    pub enterprise: String,
    pub branch: String,
    pub secretary: String,
    pub as_of: String,
    pub rows: Vec<LedgerRow>,
    pub due: String,
    pub paid: String,
    /// Members with months owed on the day.
    pub in_arrears: usize,
    /// Each month's money collected (its rows' paid months), "" for none.
    pub month_paid: Vec<String>,
    /// The collector signs for each month (12) or each quarter (4).
    pub signs: usize,
    /// The branch's members (the rows of every piece).
    pub members: usize,
    pub piece: Piece,
}

#[derive(Debug, Clone, Serialize)]
pub struct BaseRow {
    pub seq: usize,
    pub name: String,
    pub group: String,
    pub base: String,
    pub basis: String,
    pub rate: String,
    pub monthly: String,
    pub yearly: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bases {
    pub year: i32,
    pub enterprise: String,
    pub branch: String,
    pub secretary: String,
    pub as_of: String,
    pub rows: Vec<BaseRow>,
    pub yearly: String,
    /// Members whose amount is reduced or waived: the higher committee signs too.
    pub reductions: usize,
    /// The branch's members (the rows of every piece).
    pub members: usize,
    pub piece: Piece,
}

impl Long for Ledger {
    type Row = LedgerRow;
    fn take_rows(&mut self) -> Vec<LedgerRow> {
        std::mem::take(&mut self.rows)
    }
    fn piece(&self, rows: Vec<LedgerRow>, piece: Piece, _: usize) -> Self {
        Self { rows, piece, ..self.clone() }
    }
}

impl Long for Bases {
    type Row = BaseRow;
    fn take_rows(&mut self) -> Vec<BaseRow> {
        std::mem::take(&mut self.rows)
    }
    fn piece(&self, rows: Vec<BaseRow>, piece: Piece, _: usize) -> Self {
        Self { rows, piece, ..self.clone() }
    }
}

fn mark(m: MonthMark) -> &'static str {
    match m {
        MonthMark::Untracked => "—",
        MonthMark::Paid(None | Some(PaymentWay::InPerson)) => "√",
        MonthMark::Paid(Some(PaymentWay::ByProxy)) => "代",
        MonthMark::Paid(Some(PaymentWay::Elsewhere)) => "异",
        MonthMark::Waived => "免",
        MonthMark::TransferredOut => "转",
        MonthMark::Owed => "欠",
        MonthMark::Open => "",
        MonthMark::OffBooks => "—",
        MonthMark::Suspended => "停",
    }
}

/// What the amount rests on, in words.
fn basis_words(a: &YearAmount) -> String {
    match &a.basis {
        Basis::Base { .. } => "基本养老金".into(),
        Basis::Fixed(c) => c.zh().into(),
        Basis::Reduced if a.waived() => "经批准免交".into(),
        Basis::Reduced => "经批准减交".into(),
        Basis::Unknown => "未登记".into(),
    }
}

/// The reduction's decision and approval, for the note column.
fn reduction_note(a: &YearAmount) -> String {
    let Some(r) = a.reduction else { return String::new() };
    join_nonempty(
        &[
            text(&r.reason),
            r.decided.as_ref().map(|d| format!("支部{}决定", zh_date(d.value))).unwrap_or_default(),
            r.approved
                .as_ref()
                .map(|d| format!("{}批准{}", zh_date(d.value), r.document.as_ref().map_or("", |x| x.value.as_str())))
                .unwrap_or_default(),
        ],
        "，",
    )
}

fn ledger_row(seq: usize, f: &MemberFacts, year: i32, group: String) -> LedgerRow {
    let d = &f.dues;
    let a = d.amount(year);
    let marks: Vec<MonthMark> = (1..=12).map(|mo| d.mark((year, mo))).collect();
    // Each month's money: a paid month what it was paid (never repriced),
    // an unpaid one the year's amount; a month paid by an older "党费交至"
    // record carries the year's amount, or none if that is unknown.
    let mut due: Option<i64> = Some(0);
    let mut paid: Option<i64> = Some(0);
    let mut month_fen = [0i64; 12];
    let mut by_record = Vec::new();
    let mut unpriced = Vec::new();
    for (k, m) in marks.iter().enumerate() {
        let month = (year, k as u32 + 1);
        match m {
            MonthMark::Paid(_) => {
                if d.paid_by_record(month) {
                    by_record.push(month);
                }
                match d.paid_amount(month) {
                    Some(x) => {
                        due = due.map(|t| t + x);
                        paid = paid.map(|t| t + x);
                        month_fen[k] = x;
                    }
                    None => unpriced.push(month),
                }
            }
            MonthMark::Owed | MonthMark::Open => due = due.zip(a.monthly).map(|(t, x)| t + x),
            _ => {}
        }
    }
    let transferred = marks.iter().position(|m| *m == MonthMark::TransferredOut);
    let suspended = marks.iter().position(|m| *m == MonthMark::Suspended);
    let prepaid = d.findings.iter().find(|f| f.issue == crate::rules::dues::DuesIssue::PaidAfterLeaving);
    let note = join_nonempty(
        &[
            match &a.basis {
                Basis::Fixed(_) | Basis::Reduced => basis_words(&a),
                _ => String::new(),
            },
            transferred.map(|i| format!("{}起组织关系在外", month_zh((year, i as u32 + 1)))).unwrap_or_default(),
            suspended.map(|i| format!("{}起停止党籍，不收党费", month_zh((year, i as u32 + 1)))).unwrap_or_default(),
            if by_record.is_empty() {
                String::new()
            } else if unpriced.is_empty() {
                format!("{}按外出登记的“党费交至”计", crate::rules::dues::months_zh(&by_record))
            } else {
                format!("{}按外出登记的“党费交至”记为已交，金额未登记", crate::rules::dues::months_zh(&unpriced))
            },
            prepaid.map(|f| f.text.clone()).unwrap_or_default(),
            match f.standing {
                Standing::OffBooks { kind, date } => format!("{}{}", zh_date(date), kind.zh()),
                _ => String::new(),
            },
        ],
        "；",
    );
    LedgerRow {
        seq,
        name: f.member.name.value.clone(),
        group,
        monthly: match (a.monthly, a.waived()) {
            (_, true) => "免交".into(),
            (Some(x), _) => yuan(x),
            (None, _) => String::new(),
        },
        marks: marks.into_iter().map(mark).collect(),
        due: due.map(yuan).unwrap_or_default(),
        paid: paid.map(yuan).unwrap_or_default(),
        note,
        due_fen: due.unwrap_or(0),
        paid_fen: paid.unwrap_or(0),
        month_fen,
    }
}

fn base_row(seq: usize, f: &MemberFacts, year: i32, group: String) -> BaseRow {
    let a = f.dues.amount(year);
    let (base, rate, note) = match &a.basis {
        Basis::Base { base, permille, from_pension } => (
            yuan(*base),
            format!("{}%", if *permille == 5 { "0.5" } else { "1" }),
            // A base fixed apart from the pension now recorded says so.
            match f.member.pension.as_ref().map(|p| crate::rules::dues::fen(p.value)) {
                Some(now) if !from_pension && now != *base => format!("年初核定；现月基本养老金{}元", yuan(now)),
                _ => String::new(),
            },
        ),
        _ => (
            f.member.pension.as_ref().map(|p| yuan(crate::rules::dues::fen(p.value))).unwrap_or_default(),
            "—".into(),
            reduction_note(&a),
        ),
    };
    BaseRow {
        seq,
        name: f.member.name.value.clone(),
        group,
        base,
        basis: basis_words(&a),
        rate,
        monthly: a.monthly.map(yuan).unwrap_or_default(),
        yearly: a.monthly.map(|x| yuan(x * 12)).unwrap_or_default(),
        note,
    }
}

/// The members of each branch in print order, with the branch's name and
/// secretary: those on the books, and those who left the books during
/// `year` (their months before are on the year's ledger).
fn by_branch<'f, 'a>(facts: &'f Facts<'a>, year: i32) -> Vec<(String, String, Vec<&'f MemberFacts<'a>>)> {
    let office = facts.office;
    let all: Vec<_> = facts
        .everyone_in_print_order()
        .into_iter()
        .filter(|f| match f.standing {
            Standing::OffBooks { date, .. } => chrono::Datelike::year(&date) >= year,
            _ => true,
        })
        .collect();
    office
        .org
        .branches
        .iter()
        .map(|b| {
            let members = all.iter().copied().filter(|f| f.member.branch.value == b.id.value).collect();
            let secretary = b.secretary().map(|s| s.name.value.clone()).unwrap_or_default();
            (b.name.value.clone(), secretary, members)
        })
        .filter(|(_, _, m): &(String, String, Vec<_>)| !m.is_empty())
        .collect()
}

pub fn ledgers(facts: &Facts, year: i32) -> Vec<Ledger> {
    let office = facts.office;
    by_branch(facts, year)
        .into_iter()
        .map(|(branch, secretary, members)| {
            let rows: Vec<LedgerRow> = members
                .iter()
                .enumerate()
                .map(|(i, f)| ledger_row(i + 1, f, year, office.branch_and_group_names(f.member).1))
                .collect();
            Ledger {
                year,
                enterprise: office.org.enterprise.value.clone(),
                branch,
                secretary,
                as_of: zh_date(facts.as_of),
                due: yuan(rows.iter().map(|r| r.due_fen).sum()),
                paid: yuan(rows.iter().map(|r| r.paid_fen).sum()),
                in_arrears: rows.iter().filter(|r| r.marks.contains(&"欠")).count(),
                month_paid: (0..12)
                    .map(|k| rows.iter().map(|r| r.month_fen[k]).sum::<i64>())
                    // Without the thousands' comma: the month's column is narrow.
                    .map(|x| if x == 0 { String::new() } else { format!("{}.{:02}", x / 100, x % 100) })
                    .collect(),
                signs: if office.org.rules.dues_signed_monthly { 12 } else { 4 },
                members: rows.len(),
                piece: Piece::WHOLE,
                rows,
            }
        })
        .collect()
}

pub fn bases(facts: &Facts, year: i32) -> Vec<Bases> {
    let office = facts.office;
    by_branch(facts, year)
        .into_iter()
        .map(|(branch, secretary, members)| {
            let rows: Vec<BaseRow> = members
                .iter()
                .enumerate()
                .map(|(i, f)| base_row(i + 1, f, year, office.branch_and_group_names(f.member).1))
                .collect();
            let yearly = members.iter().filter_map(|f| f.dues.amount(year).monthly).map(|x| x * 12).sum();
            Bases {
                year,
                enterprise: office.org.enterprise.value.clone(),
                branch,
                secretary,
                as_of: zh_date(facts.as_of),
                reductions: members.iter().filter(|f| f.dues.amount(year).basis == Basis::Reduced).count(),
                yearly: yuan(yearly),
                members: rows.len(),
                piece: Piece::WHOLE,
                rows,
            }
        })
        .collect()
}

/// Both papers for `year`, one part per branch, each joined into one print
/// file; a large branch's laid out in pieces (see [`super::pieces`]).
pub fn plan<'f>(facts: &'f Facts<'f>, year: i32) -> Vec<Output<'f>> {
    let ledgers = ledgers(facts, year).into_iter().map(|l| pieces(l, LIST_PIECE));
    let mut out = joined_in_pieces(&LEDGER, &format!("{year}-ledger"), ledgers);
    let bases = bases(facts, year).into_iter().map(|b| pieces(b, LIST_PIECE));
    out.extend(joined_in_pieces(&BASES, &format!("{year}-bases"), bases));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_one_character() {
        for m in [
            MonthMark::Untracked,
            MonthMark::Paid(None),
            MonthMark::Paid(Some(PaymentWay::ByProxy)),
            MonthMark::Paid(Some(PaymentWay::Elsewhere)),
            MonthMark::Waived,
            MonthMark::TransferredOut,
            MonthMark::Owed,
        ] {
            assert_eq!(mark(m).chars().count(), 1, "{m:?}");
        }
    }
}
