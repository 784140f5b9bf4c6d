//! The sheet's rows, one at a time: its cells read into a draft member
//! file, its phones, family and departure placed, its branch and group
//! found, and the person matched against the members already there — a
//! member already in the data is updated, never created twice; anyone
//! else becomes a new file.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::away::{self, AwayCells, AwayRead};
use super::columns::Field;
use super::history::Histories;
use super::member_yaml::{Draft, render};
use super::names::{branch_of, match_name, next_id};
use super::table::Cell;
use super::{Outcome, Problem, Request, Sheet, phones, update, values};
use crate::diag::Severity;
use crate::office::id_number::{mask_id_number, normalized_or_raw};
use crate::office::{Branch, Member, Office};

/// What the rows came to, and what is known of the data while they are read.
pub(super) struct Rows<'a> {
    req: &'a Request<'a>,
    office: &'a Office,
    sheet: &'a Sheet<'a>,
    file_name: &'a str,
    by_id_number: HashMap<String, &'a Member>,
    /// ID numbers met so far: (row, name).
    seen: HashMap<String, (u32, String)>,
    next_number: HashMap<String, u32>,
    taken_ids: HashSet<String>,
    area_code: Option<String>,
    pub departure_ids: HashSet<String>,
    pub missing_branches: BTreeMap<String, usize>,
    pub missing_groups: BTreeMap<(String, String), usize>,
    pub outcomes: Vec<(u32, Outcome)>,
    pub problems: Vec<Problem>,
    /// Rows with a cell that could not be read: `check` would also call
    /// that field missing, which says the same thing twice.
    pub unreadable: Vec<u32>,
    pub blank: usize,
    pub data_rows: usize,
}

/// One row's cells, as read.
#[derive(Default)]
struct Cells<'c> {
    draft: Draft,
    group: Option<(usize, String)>,
    member_id: Option<(usize, String)>,
    branch: Option<(usize, String)>,
    phones: Vec<(usize, Field, String)>,
    away: AwayCells<'c>,
    birth: Option<(usize, &'c Cell)>,
}

impl<'a> Rows<'a> {
    pub fn new(
        req: &'a Request<'a>,
        office: &'a Office,
        sheet: &'a Sheet<'a>,
        file_name: &'a str,
        problems: Vec<Problem>,
    ) -> Self {
        Self {
            req,
            office,
            sheet,
            file_name,
            by_id_number: office.members.iter().map(|m| (m.id_number_printed(), m)).collect(),
            seen: HashMap::new(),
            next_number: HashMap::new(),
            taken_ids: office.members.iter().map(|m| m.id.value.clone()).collect(),
            area_code: phones::area_code(&office.org),
            departure_ids: office
                .members
                .iter()
                .flat_map(|m| m.departures.iter().map(|d| d.id.value.clone()))
                .collect(),
            missing_branches: BTreeMap::new(),
            missing_groups: BTreeMap::new(),
            outcomes: Vec::new(),
            problems,
            unreadable: Vec::new(),
            blank: 0,
            data_rows: 0,
        }
    }

    /// Read every row below the header (`skip` rows of the table).
    pub fn read_all(&mut self, skip: usize, history: &mut Histories) {
        let table = self.sheet.table;
        for (i, cells) in table.rows.iter().enumerate().skip(skip) {
            let row = table.first_row + i as u32;
            if cells.iter().all(Cell::is_empty) {
                self.blank += 1;
                continue;
            }
            self.data_rows += 1;
            self.row(row, cells, history);
        }
    }

    fn problem(&mut self, row: u32, col: Option<usize>, severity: Severity, text: String) {
        self.problems.push(Problem { place: None, row, col, severity, text });
    }

    fn row(&mut self, row: u32, cells: &[Cell], history: &mut Histories) {
        let mut c = self.cells(row, cells);
        self.birth_and_sex(row, &mut c);
        let away = self.phones_family_away(row, &mut c);
        let name = c.draft.get(Field::Name).unwrap_or("").to_string();
        let branch = self.branch(row, &c.branch);
        let group = self.group(row, &c.group, branch);
        if let Some(outcome) = self.already_there(row, &c, &name, branch) {
            self.outcomes.push((row, outcome));
            return;
        }
        let Some(branch) = branch else {
            if c.branch.is_none() {
                self.problem(row, None, Severity::Error, "没有填所在党支部".into());
            }
            self.outcomes.push((row, Outcome::Skipped));
            return;
        };
        if let Some(outcome) = self.new_member(row, c, name, branch, group, &away, history) {
            self.outcomes.push((row, outcome));
        }
    }

    /// Each mapped cell read as its field asks; the birth date, phones,
    /// branch, group and departure kept aside for what follows.
    fn cells<'c>(&mut self, row: u32, cells: &'c [Cell]) -> Cells<'c> {
        let mut out = Cells::default();
        for &(c, f) in &self.sheet.cols {
            let Some(cell) = cells.get(c).filter(|c| !c.is_empty()) else { continue };
            if f.is_away() {
                out.away.push((f, c, cell));
                continue;
            }
            if f == Field::BirthDate {
                // Read once the ID number is known (it may confirm a month).
                out.birth = Some((c, cell));
                continue;
            }
            let read = match f {
                Field::IdNumber => values::id_number(cell),
                Field::JoinedParty | Field::FullMember | Field::Retired | Field::HealthSince | Field::HardshipSince => {
                    values::date(cell)
                }
                Field::Mobile | Field::HomePhone | Field::Phone | Field::FamilyPhone => values::phone(cell),
                Field::Postcode => values::postcode(cell),
                Field::Sex => values::sex(cell),
                Field::Ethnicity => values::ethnicity(cell),
                Field::InCity | Field::ReceiveMail => values::yes_no(cell),
                Field::Pension => values::amount(cell),
                Field::Name => values::name(cell),
                Field::Derived => continue,
                _ => Ok((cell.text(), None)),
            };
            let (v, warning) = match read {
                Ok(read) => read,
                Err(e) => {
                    self.problem(row, Some(c), Severity::Error, e);
                    self.unreadable.push(row);
                    continue;
                }
            };
            if let Some(w) = warning {
                self.problem(row, Some(c), Severity::Warning, w);
            }
            match f {
                Field::Id => out.member_id = Some((c, v)),
                Field::Branch => out.branch = Some((c, v)),
                Field::Group => out.group = Some((c, v)),
                Field::Family => out.draft.family.extend(values::family(&v)),
                f if f.is_phone() => out.phones.push((c, f, v)),
                _ => {
                    out.draft.values.insert(f, v);
                }
            }
        }
        out
    }

    /// The birth date, checked against the ID number; the sex from the ID
    /// number when the sheet has no 性别 column.
    fn birth_and_sex(&mut self, row: u32, c: &mut Cells) {
        let from_id = c.draft.get(Field::IdNumber).and_then(|n| crate::office::id_number::parse_id_number(n).ok());
        if let Some((col, cell)) = c.birth {
            match values::birth_date(cell, from_id.as_ref().map(|v| v.birth)) {
                Ok((v, warning)) => {
                    if let Some(w) = warning {
                        self.problem(row, Some(col), Severity::Warning, w);
                    }
                    c.draft.values.insert(Field::BirthDate, v);
                }
                Err(e) => {
                    self.problem(row, Some(col), Severity::Error, e);
                    self.unreadable.push(row);
                }
            }
        }
        if c.draft.get(Field::Sex).is_none()
            && let Some(v) = &from_id
        {
            c.draft.values.insert(Field::Sex, v.sex.zh().to_string());
        }
    }

    /// Phones by what they hold, family from separate columns, the mobile
    /// members' columns; what has no field of its own kept in the notes.
    fn phones_family_away(&mut self, row: u32, c: &mut Cells) -> AwayRead {
        let mut keep: Vec<String> = Vec::new();
        let placed = phones::place(&c.phones);
        if let Some((_, m)) = placed.mobile {
            c.draft.values.insert(Field::Mobile, m);
        }
        if let Some((col, h)) = placed.home {
            let h = match phones::with_area_code(&h, self.area_code.as_deref()) {
                Some(full) => {
                    let text = format!("电话“{h}”没有区号，已按本单位电话的区号补为 {full}，请核对");
                    self.problem(row, Some(col), Severity::Warning, text);
                    full
                }
                None => h,
            };
            c.draft.values.insert(Field::HomePhone, h);
        }
        for (col, n) in &placed.extra {
            let text = format!("另有一个电话 {n}，成员文件只有手机和住宅电话各一个，已写进备注");
            self.problem(row, Some(*col), Severity::Warning, text);
            keep.push(format!("另有电话：{n}"));
        }
        // Separate family columns: the relation may be in brackets.
        let family_name = c.draft.values.remove(&Field::FamilyName);
        let r = c.draft.values.remove(&Field::FamilyRelation).unwrap_or_default();
        let p = c.draft.values.remove(&Field::FamilyPhone).unwrap_or_default();
        let (contacts, left) = values::family_columns(family_name.as_deref().unwrap_or(""), &r, &p);
        c.draft.family.extend(contacts);
        if !left.is_empty() {
            let text = format!("家属电话 {} 没有对应的家属姓名，已写进备注", left.join("、"));
            self.problem(row, self.sheet.col_of(Field::FamilyPhone), Severity::Warning, text);
            keep.push(format!("家属电话：{}", left.join("、")));
        }
        let year = chrono::Datelike::year(&self.req.as_of);
        let away = away::read(&c.away, c.draft.get(Field::Notes), year);
        for (col, w) in &away.warnings {
            self.problem(row, *col, Severity::Warning, w.clone());
        }
        keep.extend(away.keep_in_notes.clone());
        if !keep.is_empty() {
            let notes = c.draft.get(Field::Notes).map(str::to_string).into_iter().chain(keep).collect::<Vec<_>>();
            c.draft.values.insert(Field::Notes, notes.join("；"));
        }
        away
    }

    /// The row's branch: as written, the office's only one, or the one the
    /// sheet is named for. None when needed only for someone new: a sheet
    /// that completes members already in the data finds them by ID number.
    fn branch(&mut self, row: u32, written: &Option<(usize, String)>) -> Option<&'a Branch> {
        let branches = &self.office.org.branches;
        match written {
            Some((c, v)) => {
                let found = branch_of(v, branches);
                if found.is_none() {
                    *self.missing_branches.entry(v.clone()).or_default() += 1;
                    self.problem(row, Some(*c), Severity::Error, format!("org.yaml 里没有支部“{v}”"));
                }
                found
            }
            None if branches.len() == 1 => branches.first(),
            None => branch_of(&self.sheet.table.sheet, branches),
        }
    }

    /// The row's group in its branch, by name or id.
    fn group(&mut self, row: u32, written: &Option<(usize, String)>, branch: Option<&Branch>) -> Option<String> {
        let (Some((c, g)), Some(b)) = (written, branch) else { return None };
        if let Some(g) = match_name(g, &b.groups, |x| x.id.value.as_str(), |x| x.name.value.as_str()) {
            return Some(g.id.value.clone());
        }
        let known: Vec<&str> = b.groups.iter().map(|g| g.name.value.as_str()).collect();
        let text = format!("{}没有党小组“{g}”（有：{}）", b.name.value, known.join("、"));
        self.problem(row, Some(*c), Severity::Error, text);
        *self.missing_groups.entry((b.id.value.clone(), g.clone())).or_default() += 1;
        None
    }

    /// The same person twice in the sheet (skipped), or already in the data
    /// (updated): what became of the row; None for someone new. Identity is
    /// never rewritten silently: the same number under another name, or a
    /// member's name and branch under another number, is a mistake unless
    /// the clerk says it is a rename (`--rename`).
    fn already_there(&mut self, row: u32, c: &Cells, name: &str, branch: Option<&Branch>) -> Option<Outcome> {
        let idn = normalized_or_raw(c.draft.get(Field::IdNumber)?);
        let id_col = self.sheet.col_of(Field::IdNumber);
        if let Some((first, first_name)) = self.seen.get(&idn) {
            let text = format!("与第 {first} 行（{first_name}）身份证号相同，是同一人录了两次");
            self.problem(row, id_col, Severity::Error, text);
            return Some(Outcome::Skipped);
        }
        self.seen.insert(idn.clone(), (row, name.to_string()));
        let rename = self.req.rename;
        match self.by_id_number.get(&idn).copied() {
            Some(m) if !name.is_empty() && name != m.name.value && !rename => {
                let text = format!(
                    "身份证号 {} 属于 {}（{}），此行的姓名却是“{name}”：没有导入。若是 {} 改了名，请加 --rename 确认；若号码录错了，请改正表格",
                    mask_id_number(&idn),
                    m.name.value,
                    m.file.display(),
                    m.name.value
                );
                self.problem(row, self.sheet.col_of(Field::Name), Severity::Error, text);
                Some(Outcome::Skipped)
            }
            Some(m) => {
                if let Some(b) = branch.filter(|b| b.id.value != m.branch.value) {
                    let text = format!(
                        "{} 现在登记在 {}，表中为{}；支部变动不随导入改动，请手工把文件移到 members/{}/ 并改 `branch:`",
                        m.name.value, m.branch.value, b.name.value, b.id.value
                    );
                    self.problem(row, c.branch.as_ref().map(|(c, _)| *c), Severity::Warning, text);
                }
                Some(self.update(row, m, &c.draft))
            }
            None => {
                let same_name = self.office.members.iter().find(|m| {
                    !name.is_empty() && m.name.value == name && branch.is_some_and(|b| b.id.value == m.branch.value)
                })?;
                if !rename {
                    let text = format!(
                        "{}（{}）已在数据里，身份证号是 {}，此行写的是 {}：没有导入。若是更正号码，请加 --rename 确认；若是同名的另一个人，请在表格里写上不同的编号",
                        same_name.name.value,
                        same_name.file.display(),
                        mask_id_number(&same_name.id_number_printed()),
                        mask_id_number(&idn)
                    );
                    self.problem(row, id_col, Severity::Error, text);
                    return Some(Outcome::Skipped);
                }
                Some(self.update(row, same_name, &c.draft))
            }
        }
    }

    /// Member `m` as the row has them (changed with `--update`).
    fn update(&mut self, row: u32, m: &Member, draft: &Draft) -> Outcome {
        let (outcome, trouble) = update::existing(m, draft, self.req.update);
        if let Some(text) = trouble {
            self.problem(row, None, Severity::Error, text);
        }
        outcome
    }

    /// A new member's file: its id (as written, or the branch's next), its
    /// text with any departure, and the history sheets' items for it. None
    /// when the id cannot be used or the file is there already.
    #[allow(clippy::too_many_arguments)]
    fn new_member(
        &mut self,
        row: u32,
        c: Cells,
        name: String,
        branch: &Branch,
        group: Option<String>,
        away: &AwayRead,
        history: &mut Histories,
    ) -> Option<Outcome> {
        let bid = branch.id.value.clone();
        let id = match c.member_id {
            Some((col, v)) if !crate::check::refs::is_valid_id(&v) => {
                self.problem(row, Some(col), Severity::Error, format!("编号“{v}”只能含英文字母、数字、- 和 _"));
                return None;
            }
            Some((col, v)) if self.taken_ids.contains(&v) => {
                self.problem(row, Some(col), Severity::Error, format!("编号“{v}”已被其他党员使用"));
                return None;
            }
            Some((_, v)) => v,
            None => next_id(&bid, &self.taken_ids, &mut self.next_number),
        };
        self.taken_ids.insert(id.clone());
        let path = self.req.into.join("members").join(&bid).join(format!("{id}.yaml"));
        if path.exists() {
            self.problem(row, None, Severity::Error, format!("{} 已存在，不会覆盖", path.display()));
            return None;
        }
        let header = vec![
            format!("{name}（{}）", branch.name.value),
            format!("导入自 {} 工作表“{}”第 {row} 行（{}）", self.file_name, self.sheet.table.sheet, self.req.as_of),
        ];
        let (mut text, mut lines) = render(&c.draft, &id, &bid, group.as_deref(), &header);
        if let Some(d) = &away.departure {
            let year = d.start.map_or(chrono::Datelike::year(&self.req.as_of), |s| chrono::Datelike::year(&s));
            let (block, block_lines) = away::render(d, &away::next_departure_id(year, &mut self.departure_ids));
            text.push_str(&block);
            lines.extend(block_lines);
        }
        for (key, _, by_member) in &mut history.lists {
            let Some(items) = by_member.remove(&id) else { continue };
            text.push_str(&format!("{key}:\n"));
            lines.push(Field::Derived);
            for (_, item) in items {
                lines.extend(item.lines().map(|_| Field::Derived));
                text.push_str(&item);
            }
        }
        // `dues:`, `status:` and `confirmed:` come whole, with their keys.
        for (_, by_member) in &mut history.blocks {
            for (_, block) in by_member.remove(&id).unwrap_or_default() {
                lines.extend(block.lines().map(|_| Field::Derived));
                text.push_str(&block);
            }
        }
        Some(Outcome::New { path, name, lines, text })
    }
}

#[cfg(test)]
mod tests;
