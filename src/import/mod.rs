//! `tuiguan import`: an existing Excel or CSV register → one member file per
//! person. A dry run by default: it reports what would be created, every
//! problem with its sheet, row and column, and the columns it did not use;
//! `--write` writes, and only when nothing is wrong. Existing files are never
//! overwritten; a person already in the data (same ID number) is reported,
//! and `--update` changes the fields that differ, in place. Whatever would be
//! written is first checked with the same checks as `tuiguan check`.

mod away;
pub mod columns;
pub mod dues_sheets;
mod edit;
mod events;
pub mod history;
pub mod member_yaml;
pub(crate) mod names;
pub mod outcome;
mod phones;
mod report;
pub mod table;
mod update;
mod values;
mod verify;
pub mod write;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;

use self::columns::{Field, field_of, find_header};
use self::history::read_history;
use self::member_yaml::{Draft, render};
use self::names::{branch_of, match_name, next_id};
pub(crate) use self::outcome::{Outcome, Problem};
use self::table::{Cell, Table, column_name};
use crate::diag::Severity;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::office::Member;
use crate::office::id_number::normalized_or_raw;

pub struct Request<'a> {
    pub file: &'a Path,
    pub sheet: Option<&'a str>,
    pub into: &'a Path,
    pub write: bool,
    pub update: bool,
    /// The clerk confirms that a row whose ID number is a member's under
    /// another name (or a member's name and branch under another ID
    /// number) is that member, renamed or with the number corrected.
    pub rename: bool,
    pub as_of: NaiveDate,
}

pub(crate) struct Sheet<'a> {
    table: &'a Table,
    header_row: u32,
    cols: Vec<(usize, Field)>,
    headers: HashMap<usize, String>,
}

impl Sheet<'_> {
    fn locate(&self, row: u32, col: Option<usize>) -> String {
        match col {
            Some(c) => format!(
                "{}!{}{row}（第 {row} 行 {} 列“{}”）",
                self.table.sheet,
                column_name(c),
                column_name(c),
                self.headers.get(&c).map_or("", String::as_str)
            ),
            None => format!("{}!第 {row} 行", self.table.sheet),
        }
    }

    pub(crate) fn col_of(&self, f: Field) -> Option<usize> {
        self.cols.iter().find(|(_, g)| *g == f).map(|(c, _)| *c)
    }
}

/// Run an import: the report on stderr; Err when nothing could be or was written.
pub fn run(req: &Request, fonts: &FontSet) -> Result<(), Error> {
    let table = table::read(req.file, req.sheet).map_err(|e| Error::Failed(e.to_string()))?;
    let file_name = req.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let Some(h) = find_header(&table.rows) else {
        return Err(Error::Failed(format!(
            "{file_name} 工作表“{}”的前 30 行里找不到表头（应有“姓名”“性别”“身份证号”等栏目名的一行）",
            table.sheet
        )));
    };
    // Writing changes the data folder: one import at a time.
    let _lock = match req.write {
        true => Some(
            crate::lock::Lock::acquire(&req.into.join(".tuiguan-lock"), &format!("导入到 {}", req.into.display()))
                .map_err(Error::Failed)?,
        ),
        false => None,
    };
    // A new office: org.yaml written, members/ not yet made. The import
    // makes it (when it writes); its absence is no error here.
    let members = req.into.join("members");
    let new_office = req.into.join("org.yaml").is_file() && !members.exists();
    if new_office && req.write {
        std::fs::create_dir(&members)
            .map_err(|e| Error::Failed(format!("无法建立成员文件夹 {}：{e}", members.display())))?;
    }
    let (office, mut diags) = crate::load::load(req.into);
    if new_office {
        diags.retain(|d| d.message != crate::load::NO_MEMBERS);
    }
    let Some(office) = office else {
        diags.print();
        return Err(Error::Failed(format!(
            "{} 里没有可用的 org.yaml。新单位先运行 `tuiguan init {}`，填好支部后再导入。",
            req.into.display(),
            req.into.display()
        )));
    };
    // Import must know every member already there: a file it cannot read
    // (another encoding, a broken line) would let the same person be created twice.
    if diags.has_errors() {
        diags.print();
        return Err(Error::Reported(format!(
            "数据文件夹 {} 里有上面列出的错误，没有导入任何内容。导入前要先认出已有的党员，读不了的文件可能让同一个人再建一份；请先改正，再导入。",
            req.into.display()
        )));
    }

    // Columns.
    let mut cols = Vec::new();
    let mut headers = HashMap::new();
    let mut unmapped = Vec::new();
    let mut repeated = Vec::new();
    let (texts, header_rows) = columns::header_texts(&table.rows, h);
    for (c, text) in texts.into_iter().enumerate() {
        if text.is_empty() {
            continue;
        }
        headers.insert(c, text.clone());
        match field_of(&text) {
            Some(f) if f != Field::Derived && !f.is_phone() && cols.iter().any(|(_, g)| *g == f) => {
                repeated.push((c, text))
            }
            Some(f) => cols.push((c, f)),
            None => unmapped.push((c, text)),
        }
    }
    // A workbook `export` wrote keeps the departures whole on their own
    // sheet; its main sheet's 外出去向/外出日期 only sum them up.
    if table.other_sheets.iter().any(|s| s == history::DEPARTURES_SHEET) {
        for (_, f) in &mut cols {
            if f.is_away() {
                *f = Field::Derived;
            }
        }
    }
    let sheet = Sheet { table: &table, header_row: table.first_row + h as u32, cols, headers };
    let mut problems: Vec<Problem> = Vec::new();
    let mut report = report::about_the_table(&file_name, &table, &sheet, header_rows);
    // Cells that cannot be read literally are errors at their cell.
    for (row, col, text) in &table.bad_cells {
        problems.push(Problem {
            place: None,
            row: *row,
            col: Some(*col),
            severity: Severity::Error,
            text: text.clone(),
        });
    }
    let mut history = read_history(req, &table, &mut report, &mut problems);
    let mapped: Vec<String> = sheet
        .cols
        .iter()
        .filter(|(_, f)| *f != Field::Derived)
        .map(|(c, f)| format!("{}“{}”→ {}", column_name(*c), sheet.headers[c], columns::header_of(*f)))
        .collect();
    report.push(format!("栏目对应：{}", mapped.join("，")));
    report.extend(report::missing_columns(&sheet));
    if !unmapped.is_empty() || !repeated.is_empty() {
        let list: Vec<String> = unmapped
            .iter()
            .map(|(c, t)| format!("{}“{t}”", column_name(*c)))
            .chain(repeated.iter().map(|(c, t)| format!("{}“{t}”（与前面的栏目重复）", column_name(*c))))
            .collect();
        report.push(format!("未导入的栏目：{}", list.join("、")));
    }
    for (f, what) in [(Field::Name, "姓名"), (Field::IdNumber, "身份证号")] {
        if sheet.col_of(f).is_none() {
            return Err(Error::Failed(format!("表头里没有“{what}”栏，无法导入（表头在第 {} 行）", sheet.header_row)));
        }
    }

    // Rows.
    let by_id_number: HashMap<String, &Member> = office.members.iter().map(|m| (m.id_number_printed(), m)).collect();
    let mut seen: HashMap<String, (u32, String)> = HashMap::new();
    let mut next_number: HashMap<String, u32> = HashMap::new();
    let mut taken_ids: HashSet<String> = office.members.iter().map(|m| m.id.value.clone()).collect();
    let area_code = phones::area_code(&office.org);
    let mut departure_ids: HashSet<String> =
        office.members.iter().flat_map(|m| m.departures.iter().map(|d| d.id.value.clone())).collect();
    let mut missing_branches: BTreeMap<String, usize> = BTreeMap::new();
    let mut missing_groups: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut outcomes: Vec<(u32, Outcome)> = Vec::new();
    let mut blank = 0;
    let mut data_rows = 0;
    // Rows with a cell that could not be read: `check` would also call
    // that field missing, which says the same thing twice.
    let mut unreadable: Vec<u32> = Vec::new();
    for (i, cells) in table.rows.iter().enumerate().skip(h + header_rows) {
        let row = table.first_row + i as u32;
        if cells.iter().all(Cell::is_empty) {
            blank += 1;
            continue;
        }
        data_rows += 1;
        let mut problem = |col: Option<usize>, severity, text: String| {
            problems.push(Problem { place: None, row, col, severity, text })
        };
        let mut draft = Draft::default();
        let mut group_name = None;
        let mut member_id = None;
        let mut branch_text = None;
        let mut phone_cells = Vec::new();
        let mut away_cells: away::AwayCells = Vec::new();
        let mut birth_cell = None;
        for &(c, f) in &sheet.cols {
            let Some(cell) = cells.get(c).filter(|c| !c.is_empty()) else { continue };
            if f.is_away() {
                away_cells.push((f, c, cell));
                continue;
            }
            if f == Field::BirthDate {
                // Read once the ID number is known (it may confirm a month).
                birth_cell = Some((c, cell));
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
            match read {
                Ok((v, warning)) => {
                    if let Some(w) = warning {
                        problem(Some(c), Severity::Warning, w);
                    }
                    match f {
                        Field::Id => member_id = Some((c, v)),
                        Field::Branch => branch_text = Some((c, v)),
                        Field::Group => group_name = Some((c, v)),
                        Field::Family => draft.family.extend(values::family(&v)),
                        f if f.is_phone() => phone_cells.push((c, f, v)),
                        _ => {
                            draft.values.insert(f, v);
                        }
                    }
                }
                Err(e) => {
                    problem(Some(c), Severity::Error, e);
                    unreadable.push(row);
                }
            }
        }
        let from_id = draft.get(Field::IdNumber).and_then(|n| crate::office::id_number::parse_id_number(n).ok());
        if let Some((c, cell)) = birth_cell {
            match values::birth_date(cell, from_id.as_ref().map(|v| v.birth)) {
                Ok((v, warning)) => {
                    if let Some(w) = warning {
                        problem(Some(c), Severity::Warning, w);
                    }
                    draft.values.insert(Field::BirthDate, v);
                }
                Err(e) => {
                    problem(Some(c), Severity::Error, e);
                    unreadable.push(row);
                }
            }
        }
        // No 性别 column: the ID number says.
        if draft.get(Field::Sex).is_none()
            && let Some(v) = &from_id
        {
            draft.values.insert(Field::Sex, v.sex.zh().to_string());
        }
        // Kept in the notes: what has no field of its own.
        let mut keep: Vec<String> = Vec::new();
        // Phones by what they hold.
        let placed = phones::place(&phone_cells);
        if let Some((_, m)) = placed.mobile {
            draft.values.insert(Field::Mobile, m);
        }
        if let Some((c, h)) = placed.home {
            let h = match phones::with_area_code(&h, area_code.as_deref()) {
                Some(full) => {
                    problem(
                        Some(c),
                        Severity::Warning,
                        format!("电话“{h}”没有区号，已按本单位电话的区号补为 {full}，请核对"),
                    );
                    full
                }
                None => h,
            };
            draft.values.insert(Field::HomePhone, h);
        }
        for (c, n) in &placed.extra {
            problem(
                Some(*c),
                Severity::Warning,
                format!("另有一个电话 {n}，成员文件只有手机和住宅电话各一个，已写进备注"),
            );
            keep.push(format!("另有电话：{n}"));
        }
        // Separate family columns: the relation may be in brackets.
        let family_name = draft.values.remove(&Field::FamilyName);
        let r = draft.values.remove(&Field::FamilyRelation).unwrap_or_default();
        let p = draft.values.remove(&Field::FamilyPhone).unwrap_or_default();
        let (contacts, left) = values::family_columns(family_name.as_deref().unwrap_or(""), &r, &p);
        draft.family.extend(contacts);
        if !left.is_empty() {
            problem(
                sheet.col_of(Field::FamilyPhone),
                Severity::Warning,
                format!("家属电话 {} 没有对应的家属姓名，已写进备注", left.join("、")),
            );
            keep.push(format!("家属电话：{}", left.join("、")));
        }
        // The mobile members' columns.
        let year = chrono::Datelike::year(&req.as_of);
        let away = away::read(&away_cells, draft.get(Field::Notes), year);
        for (c, w) in &away.warnings {
            problem(*c, Severity::Warning, w.clone());
        }
        keep.extend(away.keep_in_notes.clone());
        if !keep.is_empty() {
            let notes = draft.get(Field::Notes).map(str::to_string).into_iter().chain(keep).collect::<Vec<_>>();
            draft.values.insert(Field::Notes, notes.join("；"));
        }
        let name = draft.get(Field::Name).unwrap_or("").to_string();
        // Branch and group.
        let branch = match &branch_text {
            Some((c, v)) => match branch_of(v, &office.org.branches) {
                Some(b) => Some(b),
                None => {
                    *missing_branches.entry(v.clone()).or_default() += 1;
                    problem(Some(*c), Severity::Error, format!("org.yaml 里没有支部“{v}”"));
                    None
                }
            },
            None if office.org.branches.len() == 1 => office.org.branches.first(),
            // A sheet per branch, named for it.
            None if let Some(b) = branch_of(&table.sheet, &office.org.branches) => Some(b),
            // Needed only for someone new: a sheet that completes members
            // already in the data finds them by ID number.
            None => None,
        };
        let group = match (&group_name, branch) {
            (Some((c, g)), Some(b)) => {
                match match_name(g, &b.groups, |x| x.id.value.as_str(), |x| x.name.value.as_str()) {
                    Some(g) => Some(g.id.value.clone()),
                    None => {
                        let known: Vec<&str> = b.groups.iter().map(|g| g.name.value.as_str()).collect();
                        problem(
                            Some(*c),
                            Severity::Error,
                            format!("{}没有党小组“{g}”（有：{}）", b.name.value, known.join("、")),
                        );
                        *missing_groups.entry((b.id.value.clone(), g.clone())).or_default() += 1;
                        None
                    }
                }
            }
            _ => None,
        };
        // The same person twice in the sheet, or already in the data.
        let idn = draft.get(Field::IdNumber).map(normalized_or_raw);
        if let Some(idn) = &idn {
            if let Some((first, first_name)) = seen.get(idn) {
                problem(
                    sheet.col_of(Field::IdNumber),
                    Severity::Error,
                    format!("与第 {first} 行（{first_name}）身份证号相同，是同一人录了两次"),
                );
                outcomes.push((row, Outcome::Skipped));
                continue;
            }
            seen.insert(idn.clone(), (row, name.clone()));
            // Identity is never rewritten silently: the same number under
            // another name is another person, or a mistake, unless the
            // clerk says it is a rename.
            if let Some(m) = by_id_number.get(idn)
                && !name.is_empty()
                && name != m.name.value
                && !req.rename
            {
                problem(
                    sheet.col_of(Field::Name),
                    Severity::Error,
                    format!(
                        "身份证号 {} 属于 {}（{}），此行的姓名却是“{name}”：没有导入。若是 {} 改了名，请加 --rename 确认；若号码录错了，请改正表格",
                        crate::office::id_number::mask_id_number(idn),
                        m.name.value,
                        m.file.display(),
                        m.name.value
                    ),
                );
                outcomes.push((row, Outcome::Skipped));
                continue;
            }
            let same_name = || {
                office.members.iter().find(|m| {
                    m.name.value == name
                        && branch.is_some_and(|b| b.id.value == m.branch.value)
                        && !by_id_number.contains_key(idn)
                })
            };
            if !by_id_number.contains_key(idn)
                && !name.is_empty()
                && let Some(m) = same_name()
            {
                if !req.rename {
                    problem(
                        sheet.col_of(Field::IdNumber),
                        Severity::Error,
                        format!(
                            "{}（{}）已在数据里，身份证号是 {}，此行写的是 {}：没有导入。若是更正号码，请加 --rename 确认；若是同名的另一个人，请在表格里写上不同的编号",
                            m.name.value,
                            m.file.display(),
                            crate::office::id_number::mask_id_number(&m.id_number_printed()),
                            crate::office::id_number::mask_id_number(idn)
                        ),
                    );
                    outcomes.push((row, Outcome::Skipped));
                    continue;
                }
                let (outcome, trouble) = update::existing(m, &draft, req.update);
                if let Some(text) = trouble {
                    problems.push(Problem { place: None, row, col: None, severity: Severity::Error, text });
                }
                outcomes.push((row, outcome));
                continue;
            }
            if let Some(m) = by_id_number.get(idn) {
                if let Some(b) = branch.filter(|b| b.id.value != m.branch.value) {
                    problem(
                        branch_text.as_ref().map(|(c, _)| *c),
                        Severity::Warning,
                        format!(
                            "{} 现在登记在 {}，表中为{}；支部变动不随导入改动，请手工把文件移到 members/{}/ 并改 `branch:`",
                            m.name.value, m.branch.value, b.name.value, b.id.value
                        ),
                    );
                }
                let (outcome, trouble) = update::existing(m, &draft, req.update);
                if let Some(text) = trouble {
                    problems.push(Problem { place: None, row, col: None, severity: Severity::Error, text });
                }
                outcomes.push((row, outcome));
                continue;
            }
        }
        let Some(branch) = branch else {
            if branch_text.is_none() {
                problem(None, Severity::Error, "没有填所在党支部".into());
            }
            outcomes.push((row, Outcome::Skipped));
            continue;
        };
        let bid = branch.id.value.clone();
        let id = match member_id {
            Some((c, v)) if !crate::check::refs::is_valid_id(&v) => {
                problem(Some(c), Severity::Error, format!("编号“{v}”只能含英文字母、数字、- 和 _"));
                continue;
            }
            Some((c, v)) if taken_ids.contains(&v) => {
                problem(Some(c), Severity::Error, format!("编号“{v}”已被其他党员使用"));
                continue;
            }
            Some((_, v)) => v,
            None => next_id(&bid, &taken_ids, &mut next_number),
        };
        taken_ids.insert(id.clone());
        let path = req.into.join("members").join(&bid).join(format!("{id}.yaml"));
        if path.exists() {
            problem(None, Severity::Error, format!("{} 已存在，不会覆盖", path.display()));
            continue;
        }
        let header = vec![
            format!("{name}（{}）", branch.name.value),
            format!("导入自 {file_name} 工作表“{}”第 {row} 行（{}）", table.sheet, req.as_of),
        ];
        let (mut text, mut lines) = render(&draft, &id, &bid, group.as_deref(), &header);
        if let Some(d) = &away.departure {
            let year = d.start.map_or(year, |s| chrono::Datelike::year(&s));
            let (block, block_lines) = away::render(d, &away::next_departure_id(year, &mut departure_ids));
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
        outcomes.push((row, Outcome::New { path, name, lines, text }));
    }

    // History rows of members already there: recognised in their files,
    // changed or added (written with --update); of no member: a mistake.
    let events = events::apply(
        &office,
        &mut history,
        &mut outcomes,
        req.update,
        &mut departure_ids,
        chrono::Datelike::year(&req.as_of),
        &mut problems,
    );
    if events.same > 0 {
        report.push(format!("各工作表中已有党员的 {} 条记录与成员文件相同（已在各人的文件里）。", events.same));
    }
    if !events.lines.is_empty() {
        let lead = if req.update { "将写入" } else { "加 --update 才会写入" };
        report.push(format!("已有党员的新记录和改动 {} 条（{lead}）：", events.lines.len()));
        report.extend(events.lines.iter().map(|l| format!("  {l}")));
    }
    let left_over = history
        .lists
        .iter()
        .map(|(_, sheet, items)| (*sheet, items))
        .chain(history.blocks.iter().map(|(sheet, items)| (*sheet, items)));
    for (sheet_name, left) in left_over {
        for (id, items) in left {
            for (row, _) in items {
                problems.push(Problem {
                    place: Some(format!("{sheet_name}!第 {row} 行")),
                    row: *row,
                    col: None,
                    severity: Severity::Warning,
                    text: format!("编号“{id}”不是本次导入的党员，这一条未导入"),
                });
            }
        }
    }

    // Check what would be written with the same checks as `tuiguan check`.
    verify::check_result(req, &office, &sheet, &outcomes, fonts, &mut problems, &unreadable);

    // The report: rows with errors are neither created nor updated.
    let bad: std::collections::BTreeSet<u32> =
        problems.iter().filter(|p| p.severity == Severity::Error && p.place.is_none()).map(|p| p.row).collect();
    let fine = |row: &u32| !bad.contains(row);
    let new: Vec<&(u32, Outcome)> =
        outcomes.iter().filter(|(r, o)| fine(r) && matches!(o, Outcome::New { .. })).collect();
    let old: Vec<&(u32, Outcome)> =
        outcomes.iter().filter(|(r, o)| fine(r) && matches!(o, Outcome::Existing { .. })).collect();
    let mut summary =
        format!("数据 {data_rows} 行（跳过空行 {blank} 行）：新建 {} 人，已在数据中 {} 人", new.len(), old.len());
    if !bad.is_empty() {
        summary.push_str(&format!("，有错误不能导入 {} 行", bad.len()));
    }
    summary.push('。');
    report.push(summary);
    for l in &report {
        eprintln!("{l}");
    }
    report::list_new(&new);
    report::list_existing(&old, req.update);
    report::list_missing_branches(&missing_branches, &office);
    report::list_missing_groups(&missing_groups, &office);
    let errors = report::list_problems(&file_name, &sheet, &mut problems);
    if errors > 0 {
        let what = if req.write { "未写入任何文件" } else { "这些行不能导入" };
        return Err(Error::Reported(format!("有错误，{what}。改正表格后再导入。")));
    }
    if !req.write {
        eprintln!(
            "这是预演，没有写入任何文件。确认无误后加 --write 写入{}。",
            if (old.iter().any(|(_, o)| matches!(o, Outcome::Existing { changes, .. } if !changes.is_empty()))
                || !events.lines.is_empty())
                && !req.update
            {
                "（已有党员的改动需再加 --update）"
            } else {
                ""
            }
        );
        return Ok(());
    }
    let (created, updated) = write::write_all(req.into, &outcomes).map_err(|e| Error::Failed(e.to_string()))?;
    eprintln!("已写入：新建 {created} 个成员文件，更新 {updated} 个。运行 `tuiguan check` 复核。");
    Ok(())
}
