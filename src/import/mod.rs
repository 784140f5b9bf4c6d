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
mod rows;
pub mod table;
mod update;
mod values;
mod verify;
pub mod write;

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use self::columns::{Field, field_of, find_header};
use self::history::read_history;
pub(crate) use self::outcome::{Outcome, Problem};
use self::table::{Table, column_name};
use crate::diag::Severity;
use crate::error::Error;
use crate::fonts::FontSet;

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

/// Run an import: header → rows → verify → report → write. The report goes
/// to stderr; Err when nothing could be or was written.
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
    let office = office_there(req)?;
    let (sheet, header_rows, unused) = header(&table, h);
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
    report.extend(report::columns(&sheet, &unused));
    for (f, what) in [(Field::Name, "姓名"), (Field::IdNumber, "身份证号")] {
        if sheet.col_of(f).is_none() {
            return Err(Error::Failed(format!("表头里没有“{what}”栏，无法导入（表头在第 {} 行）", sheet.header_row)));
        }
    }

    let mut rows = rows::Rows::new(req, &office, &sheet, &file_name, problems);
    rows.read_all(h + header_rows, &mut history);
    // History rows of members already there: recognised in their files,
    // changed or added (written with --update); of no member: a mistake.
    let year = chrono::Datelike::year(&req.as_of);
    let events = events::apply(
        &office,
        &mut history,
        &mut rows.outcomes,
        req.update,
        &mut rows.departure_ids,
        year,
        &mut rows.problems,
    );
    report.extend(report::events(&events.lines, events.same, req.update));
    rows.problems.extend(report::left_over(&history));

    // Check what would be written with the same checks as `tuiguan check`.
    verify::check_result(req, &office, &sheet, &rows.outcomes, fonts, &mut rows.problems, &rows.unreadable);

    let pending_update = report::tell(&office, &rows, report, req.update);
    let errors = report::list_problems(&file_name, &sheet, &mut rows.problems);
    if errors > 0 {
        let what = if req.write { "未写入任何文件" } else { "这些行不能导入" };
        return Err(Error::Reported(format!("有错误，{what}。改正表格后再导入。")));
    }
    if !req.write {
        let more = if (pending_update || !events.lines.is_empty()) && !req.update {
            "（已有党员的改动需再加 --update）"
        } else {
            ""
        };
        eprintln!("这是预演，没有写入任何文件。确认无误后加 --write 写入{more}。");
        return Ok(());
    }
    let (created, updated) = write::write_all(req.into, &rows.outcomes).map_err(|e| Error::Failed(e.to_string()))?;
    eprintln!("已写入：新建 {created} 个成员文件，更新 {updated} 个。运行 `tuiguan check` 复核。");
    Ok(())
}

/// The office the import goes into, every member file read: import must
/// know every member already there, since a file it cannot read (another
/// encoding, a broken line) would let the same person be created twice.
/// A new office (org.yaml written, members/ not yet made) gets its
/// members/ folder when the import writes.
fn office_there(req: &Request) -> Result<crate::office::Office, Error> {
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
    if diags.has_errors() {
        diags.print();
        return Err(Error::Reported(format!(
            "数据文件夹 {} 里有上面列出的错误，没有导入任何内容。导入前要先认出已有的党员，读不了的文件可能让同一个人再建一份；请先改正，再导入。",
            req.into.display()
        )));
    }
    Ok(office)
}

/// Columns the import does not use: (column, header text, repeats one before).
pub(crate) type Unused = Vec<(usize, String, bool)>;

/// The header at row `h` of `table`: each column's field, the rows the
/// header takes, and the columns not used.
fn header(table: &Table, h: usize) -> (Sheet<'_>, usize, Unused) {
    let mut cols = Vec::new();
    let mut headers = HashMap::new();
    let mut unused = Vec::new();
    let (texts, header_rows) = columns::header_texts(&table.rows, h);
    for (c, text) in texts.into_iter().enumerate() {
        if text.is_empty() {
            continue;
        }
        headers.insert(c, text.clone());
        match field_of(&text) {
            Some(f) if f != Field::Derived && !f.is_phone() && cols.iter().any(|(_, g)| *g == f) => {
                unused.push((c, text, true))
            }
            Some(f) => cols.push((c, f)),
            None => unused.push((c, text, false)),
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
    (Sheet { table, header_row: table.first_row + h as u32, cols, headers }, header_rows, unused)
}
