//! Documents: each printed document builds a plain, already-computed view
//! (serialisable) from the model and the rules. No layout here.

pub mod birthday_list;
pub mod branch_lists;
pub mod confirm_sheet;
pub mod contact_card;
pub mod contact_qr;
pub mod departure_form;
pub mod dues_papers;
pub mod filing_report;
pub mod gongwen;
pub mod greeting_letter;
pub mod info_card;
pub mod letter_text;
pub mod notice;
mod own;
pub mod transfer_draft;
pub mod visit_plan;

use chrono::NaiveDate;
use serde::Serialize;

pub use self::own::Own;
use crate::facts::{Facts, MemberFacts};
use crate::outputs::{self as output, Output, Reads, Shape, View};
pub use crate::zh::{weekday, zh_date};

/// One kind of printed document, declared once beside its view: the
/// template that lays it out, its Chinese name (progress, summary and
/// messages), the folder of out/ its files go to, whether each single
/// file must be exactly one page, and, for a kind `build` does not make,
/// how `tuiguan templates` shows its template the data it gets. Adding a
/// kind: a view module with its `KIND`, a template, a line in [`KINDS`],
/// and the command that plans it (README, "Adding a document kind").
#[derive(Debug)]
pub struct DocumentKind {
    pub template: &'static str,
    pub zh: &'static str,
    pub folder: &'static str,
    pub one_page: bool,
    /// This office's documents of the kind, planned as an example of the
    /// data its template receives; None: `build` makes the kind (or, for
    /// the notice's delivery list, the notice's example does).
    pub example: Option<for<'f> fn(&'f Facts<'f>) -> Vec<Output<'f>>>,
}

/// Every kind of printed document.
pub const KINDS: &[&DocumentKind] = &[
    &info_card::KIND,
    &departure_form::KIND,
    &contact_card::KIND,
    &transfer_draft::KIND,
    &filing_report::KIND,
    &greeting_letter::KIND,
    &greeting_letter::ENVELOPES,
    &greeting_letter::PHONE_LIST,
    &visit_plan::PLAN,
    &visit_plan::SHEETS,
    &dues_papers::LEDGER,
    &dues_papers::BASES,
    &notice::KIND,
    &notice::DELIVERY,
    &confirm_sheet::KIND,
    &branch_lists::REVIEWS,
    &branch_lists::SUBSIDIES,
    &birthday_list::KIND,
];

/// The examples of the kinds `build` does not make (see [`DocumentKind::example`]).
pub fn examples<'f>(facts: &'f Facts<'f>) -> Vec<Output<'f>> {
    KINDS.iter().filter_map(|k| k.example).flat_map(|example| example(facts)).collect()
}

/// A print file is rendered as parts of at most this many items, so that
/// no single typst document grows with the office (memory stays flat and the
/// parts render in parallel), then joined into one file.
pub const PRINT_PART: usize = 25;

/// Where the rendered parts of print files are kept between runs, so that a
/// change to one member re-renders one part.
pub const PARTS_DIR: &str = ".print-parts";

/// The parts of print file `stem.pdf`: (part path, item slice), in order.
pub fn print_parts<'a, T>(items: &'a [T], per: usize, stem: &str) -> Vec<(String, &'a [T])> {
    items.chunks(per).enumerate().map(|(i, chunk)| (format!("{PARTS_DIR}/{stem}/{:04}.pdf", i + 1), chunk)).collect()
}

/// Print file `stem.pdf` in parts, each rendered from `view(items)`.
pub fn print_file<'a, 'f, T, V: Serialize>(
    kind: &'static DocumentKind,
    items: &'a [T],
    per: usize,
    stem: &str,
    view: impl Fn(&'a [T]) -> V,
) -> Vec<Output<'f>> {
    print_parts(items, per, stem)
        .into_iter()
        .enumerate()
        .map(|(i, (path, part))| {
            Output::new(kind, path, part_ident(stem, i), output::json(&view(part))).as_part(stem, i, part.len())
        })
        .collect()
}

/// What part `index` of print file `stem.pdf` is called in messages.
pub fn part_ident(stem: &str, index: usize) -> String {
    format!("{}-{:04}", stem.replace('/', "-"), index + 1)
}

/// Print file `stem.pdf` of one item per member, and the single documents
/// of the members `single` names (path and ident), each the same page as
/// in the print file (cut from its part). An item is made by `item` from
/// its own member and what all share, and from `context`, which every item
/// reads and `context_digest` stands for (a letter's text): `item` is a
/// plain function, so it cannot reach another member, and a part is made
/// again only when one of its own members changes. `sheet` makes a part's
/// view of its items.
#[allow(clippy::too_many_arguments)]
pub fn member_print_file<'f, C: 'f, T: 'f>(
    kind: &'static DocumentKind,
    facts: &'f Facts<'f>,
    members: &[&'f MemberFacts<'f>],
    stem: &str,
    context: (C, String),
    single: impl Fn(&MemberFacts) -> Option<(String, String)>,
    item: fn(&Own, &C) -> T,
    sheet: fn(&[T]) -> Vec<u8>,
) -> Vec<Output<'f>> {
    let (context, context_digest) = (std::rc::Rc::new(context.0), context.1);
    let (mut singles, mut parts) = (Vec::new(), Vec::new());
    for (i, (part_path, ident, chunk)) in branch_parts(members, stem).into_iter().enumerate() {
        for (at, f) in chunk.iter().enumerate() {
            if let Some((path, ident)) = single(f) {
                singles.push(Output::item(kind, path, ident, f.member, &part_path, at));
            }
        }
        let members = chunk.iter().map(|f| f.member).collect();
        let (chunk, context) = (chunk.to_vec(), context.clone());
        let items = chunk.len();
        let view: View<'f> = Box::new(move || {
            let items: Vec<T> = chunk.iter().map(|f| item(&Own::of(facts, f), &context)).collect();
            sheet(&items)
        });
        let mut part = Output::new(kind, part_path, ident, view).as_part(stem, i, items);
        part.reads = Reads::Members(members, context_digest.clone());
        parts.push(part);
    }
    singles.extend(parts);
    singles
}

/// The parts of print file `stem.pdf` of one item per member: (part path,
/// ident, members), in order. A part holds members of one branch only, and
/// is named by its branch and its place there, so that a member joining or
/// leaving shifts the parts of their branch, not of every branch after it
/// (the parts, and the singles cut from them, are made again).
fn branch_parts<'a, 'f>(
    members: &'a [&'f MemberFacts<'f>],
    stem: &str,
) -> Vec<(String, String, &'a [&'f MemberFacts<'f>])> {
    members
        .chunk_by(|a, b| a.member.branch.value == b.member.branch.value)
        .flat_map(|branch| {
            let stem = format!("{stem}/{}", branch[0].member.branch.value);
            let parts = print_parts(branch, PRINT_PART, &stem);
            parts.into_iter().enumerate().map(move |(k, (path, chunk))| (path, part_ident(&stem, k), chunk))
        })
        .collect()
}

/// Print file `<folder>/<stem>.pdf` joined from one part per view (a
/// branch's page or pages each), in order.
pub fn joined<'f, V: Serialize>(
    kind: &'static DocumentKind,
    stem: &str,
    views: impl IntoIterator<Item = V>,
) -> Vec<Output<'f>> {
    views.into_iter().enumerate().map(|(i, v)| joined_part(kind, stem, i, output::json(&v))).collect()
}

/// Part `i` of print file `<folder>/<stem>.pdf`, of view `view`.
fn joined_part<'f>(kind: &'static DocumentKind, stem: &str, i: usize, view: View<'f>) -> Output<'f> {
    let path = format!("{PARTS_DIR}/{}/{stem}/{:04}.pdf", kind.folder, i + 1);
    let mut o = Output::new(kind, path, format!("{stem}-{:04}", i + 1), view);
    o.one_page = None;
    o.shape = Shape::Part { file: format!("{}/{stem}.pdf", kind.folder), index: i, items: 1 };
    o
}

/// How many rows of a long list (a branch's dues ledger) one typst
/// document lays out: a 党总支 of 3,333 members kept as one branch would
/// otherwise lay out its ledger's 63,000 cells at once (783 MB).
pub const LIST_PIECE: usize = 400;

/// Where a piece of a long list stands in it: the first prints the
/// heading, the last the totals and signatures; the pages are numbered on
/// through all of them.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Piece {
    pub first: bool,
    pub last: bool,
}

impl Piece {
    pub const WHOLE: Piece = Piece { first: true, last: true };
}

/// A view of one long list, cut into pieces of rows.
pub trait Long: Sized {
    type Row;
    /// Its rows, taken out.
    fn take_rows(&mut self) -> Vec<Self::Row>;
    /// The same view (rows taken) with `rows`, as piece `piece`, whose
    /// first row is row `from` (from 0) of the whole.
    fn piece(&self, rows: Vec<Self::Row>, piece: Piece, from: usize) -> Self;
}

/// `view` in pieces of at most `per` rows (one, whole, when it is short).
pub fn pieces<L: Long>(mut view: L, per: usize) -> Vec<L> {
    let mut rows = view.take_rows().into_iter().peekable();
    let mut out = Vec::new();
    loop {
        let chunk: Vec<L::Row> = rows.by_ref().take(per).collect();
        let last = rows.peek().is_none();
        out.push(view.piece(chunk, Piece { first: out.is_empty(), last }, out.len() * per));
        if last {
            return out;
        }
    }
}

/// Print file `<folder>/<stem>.pdf` joined from one part per branch, each
/// laid out in pieces (see [`pieces`]) whose pages are numbered on, and
/// counted, through the branch's.
pub fn joined_in_pieces<'f, V: Serialize>(
    kind: &'static DocumentKind,
    stem: &str,
    branches: impl IntoIterator<Item = Vec<V>>,
) -> Vec<Output<'f>> {
    branches
        .into_iter()
        .enumerate()
        .filter_map(|(i, pieces)| {
            let mut pieces = pieces.iter();
            let mut o = joined_part(kind, stem, i, output::json(pieces.next()?));
            o.sequel = pieces.map(output::json).collect();
            o.counts_pages = !o.sequel.is_empty();
            Some(o)
        })
        .collect()
}

/// Which members a command is about (`--member`); empty means everyone.
pub struct Selection<'a>(pub &'a [String]);

impl Selection<'_> {
    pub fn all(&self) -> bool {
        self.0.is_empty()
    }
    pub fn wants(&self, member_id: &str) -> bool {
        self.all() || self.0.iter().any(|m| m == member_id)
    }
}

/// Text of an optional located value, or "".
pub fn text(v: &Option<crate::yaml::Located<String>>) -> String {
    v.as_ref().map(|s| on_paper(&s.value)).unwrap_or_default()
}

/// A text from the data as paper prints it: the spaces typed beside
/// Chinese characters ("和睦路 88 号", a full-width space) left out —
/// Chinese is set without them — and the data kept as written. Spaces
/// between Latin words stay ("Room 301").
pub fn on_paper(s: &str) -> String {
    fn chinese(c: char) -> bool {
        matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}' | '\u{20000}'..='\u{3ffff}')
    }
    let space = |c: char| c == ' ' || c == '\u{3000}';
    let chars: Vec<char> = s.trim_matches(space).chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if space(chars[i]) {
            let start = i;
            while i < chars.len() && space(chars[i]) {
                i += 1;
            }
            let before = chars[..start].last().copied();
            let after = chars.get(i).copied();
            if !(before.is_some_and(chinese) || after.is_some_and(chinese)) {
                out.push(' ');
            }
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// The word of an optional located typed value ("重病", "低保"), or "".
pub fn word<T: crate::office::Word>(v: &Option<crate::yaml::Located<T>>) -> String {
    v.as_ref().map(|w| w.value.zh().to_string()).unwrap_or_default()
}

/// Chinese date of an optional located date, or "".
pub fn date_or_blank(v: &Option<crate::yaml::Located<NaiveDate>>) -> String {
    v.as_ref().map(|d| zh_date(d.value)).unwrap_or_default()
}

/// Each family contact as "王静燕 儿子 18413328391": a piece that lists
/// print whole, breaking only between people.
pub fn family_entries(m: &crate::office::Member) -> Vec<String> {
    m.family_contacts
        .iter()
        .map(|c| join_nonempty(&[c.name.value.clone(), text(&c.relation), text(&c.phone)], " "))
        .collect()
}

/// Phone numbers, each once, in the order given; blanks left out.
pub fn phone_numbers(numbers: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in numbers {
        if !n.is_empty() && !out.contains(n) {
            out.push(n.clone());
        }
    }
    out
}

/// Who keeps in touch with `m` (R8): the group leader, else the branch
/// secretary, with their mobile; "" when the data names neither.
pub fn liaison(org: &crate::office::Org, m: &crate::office::Member) -> String {
    let group = org.group_of(m);
    group
        .and_then(|g| g.leader.as_ref().map(|l| join_nonempty(&[l.value.clone(), text(&g.mobile)], " ")))
        .or_else(|| {
            org.branch(&m.branch.value)
                .and_then(|b| b.secretary())
                .map(|s| join_nonempty(&[s.name.value.clone(), text(&s.mobile)], " "))
        })
        .unwrap_or_default()
}

/// The latest serious-illness subsidy application (R18), for the card and
/// the visit sheet: "重病补助：2026年3月10日申请，已批准 5,000.00 元"; "" if none.
pub fn subsidy_line(m: &crate::office::Member) -> String {
    use crate::office::SubsidyDecision;
    let Some(s) = m.subsidies.iter().max_by_key(|s| s.applied.value) else { return String::new() };
    let state = match (s.state(), &s.amount) {
        (SubsidyDecision::Granted, Some(a)) => {
            format!("已批准{}元", crate::rules::dues::yuan(crate::rules::dues::fen(a.value)))
        }
        (SubsidyDecision::Granted, None) => "已批准".into(),
        (SubsidyDecision::Refused, _) => "未批准".into(),
        (SubsidyDecision::Pending, _) => "审核中".into(),
    };
    format!("重病补助：{}申请，{state}", zh_date(s.applied.value))
}

/// Join the non-empty parts.
pub fn join_nonempty(parts: &[String], sep: &str) -> String {
    parts.iter().filter(|s| !s.is_empty()).cloned().collect::<Vec<_>>().join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_beside_chinese_are_left_off_paper_and_latin_words_keep_theirs() {
        assert_eq!(on_paper("和睦路 88 号 3 栋　1806 室"), "和睦路88号3栋1806室");
        assert_eq!(on_paper(" 海岸城公寓 Room 301 "), "海岸城公寓Room 301");
        assert_eq!(on_paper("Zhang  San"), "Zhang San");
    }

    struct List(Vec<u32>, Piece, usize);

    impl Long for List {
        type Row = u32;
        fn take_rows(&mut self) -> Vec<u32> {
            std::mem::take(&mut self.0)
        }
        fn piece(&self, rows: Vec<u32>, piece: Piece, from: usize) -> Self {
            List(rows, piece, from)
        }
    }

    #[test]
    fn a_long_list_is_cut_into_pieces_the_first_and_last_marked() {
        let cut = |n: u32, per: usize| {
            pieces(List((0..n).collect(), Piece::WHOLE, 0), per)
                .into_iter()
                .map(|l| (l.0.len(), l.1.first, l.1.last, l.2))
                .collect::<Vec<_>>()
        };
        assert_eq!(cut(5, 2), [(2, true, false, 0), (2, false, false, 2), (1, false, true, 4)]);
        assert_eq!(cut(4, 2), [(2, true, false, 0), (2, false, true, 2)]);
        // Short, or empty: one piece, whole.
        assert_eq!(cut(3, 400), [(3, true, true, 0)]);
        assert_eq!(cut(0, 400), [(0, true, true, 0)]);
    }

    #[test]
    fn print_files_are_planned_in_parts() {
        let items: Vec<u32> = (0..450).collect();
        let parts = print_parts(&items, 200, "letters/2026-重阳");
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                ".print-parts/letters/2026-重阳/0001.pdf",
                ".print-parts/letters/2026-重阳/0002.pdf",
                ".print-parts/letters/2026-重阳/0003.pdf"
            ]
        );
        assert_eq!(parts[2].1.len(), 50);
    }
}
