//! The import report: who would be created, who is already there and what
//! changed, branches org.yaml lacks, and every problem at its cell.

use std::collections::BTreeMap;

use super::columns::Field;
use super::history::Histories;
use super::table::{Table, column_name};
use super::{Outcome, Problem, Sheet, columns, history};
use crate::diag::Severity;
use crate::office::Office;

/// The dry run lists this many new members by name; the rest are counted.
const LIST_AT_MOST: usize = 50;

pub(super) fn list_new(new: &[&(u32, Outcome)]) {
    if new.is_empty() {
        return;
    }
    eprintln!("将新建：");
    for (row, o) in new.iter().take(LIST_AT_MOST) {
        if let Outcome::New { path, name, .. } = o {
            eprintln!("  第 {row} 行 {name} → {}", path.display());
        }
    }
    if new.len() > LIST_AT_MOST {
        let mut per_branch: BTreeMap<String, usize> = BTreeMap::new();
        for (_, o) in new {
            if let Outcome::New { path, .. } = o {
                let b = path.parent().and_then(|p| p.file_name()).map(|b| b.to_string_lossy().into_owned());
                *per_branch.entry(b.unwrap_or_default()).or_default() += 1;
            }
        }
        let list: Vec<String> = per_branch.iter().map(|(b, n)| format!("{b} {n} 人")).collect();
        eprintln!("  ……以下从略，共 {} 人（按支部：{}）", new.len(), list.join("，"));
    }
}

pub(super) fn list_existing(old: &[&(u32, Outcome)], update: bool) {
    if old.is_empty() {
        return;
    }
    eprintln!("已在数据中（按身份证号）：");
    for (row, o) in old {
        // A member with no row of the main sheet, only event rows (told above).
        if *row == 0 && matches!(o, Outcome::Existing { changes, .. } if changes.is_empty()) {
            continue;
        }
        if let Outcome::Existing { member_id, name, changes, path, .. } = o {
            let what = if changes.is_empty() {
                "没有改动".to_string()
            } else {
                let list: Vec<String> =
                    changes.iter().map(|(f, a, b)| format!("{}：{a} → {b}", columns::header_of(*f))).collect();
                let lead = if update { "将更新 " } else { "有改动（加 --update 才会更新）：" };
                format!("{lead}{}", list.join("；"))
            };
            eprintln!("  第 {row} 行 {name} = {member_id}（{}）：{what}", path.display());
        }
    }
}

pub(super) fn list_missing_branches(missing: &BTreeMap<String, usize>, office: &Office) {
    if missing.is_empty() {
        return;
    }
    let list: Vec<String> = missing.iter().map(|(b, n)| format!("“{b}”（{n} 行）")).collect();
    let known: Vec<&str> = office.org.branches.iter().map(|b| b.name.value.as_str()).collect();
    eprintln!(
        "org.yaml 里没有这些支部：{}。现有支部：{}。是表格写错了就改正表格；是新支部就在 org.yaml 的 branches: 下加上这几行（编号可改），再导入：",
        list.join("、"),
        known.join("、")
    );
    let mut n = office.org.branches.len();
    for b in missing.keys() {
        n += 1;
        let mut id = format!("b{n}");
        while office.org.branches.iter().any(|x| x.id.value == id) {
            n += 1;
            id = format!("b{n}");
        }
        eprintln!("  - id: {id}\n    name: {}", super::member_yaml::scalar(b));
    }
}

pub(super) fn list_missing_groups(missing: &BTreeMap<(String, String), usize>, office: &Office) {
    if missing.is_empty() {
        return;
    }
    let name = |bid: &str| office.branch(bid).map_or(bid.to_string(), |b| b.name.value.clone());
    let list: Vec<String> = missing.iter().map(|((b, g), n)| format!("{}“{g}”（{n} 行）", name(b))).collect();
    eprintln!(
        "org.yaml 里没有这些党小组：{}。是表格写错了就改正表格；是新设的党小组就在 org.yaml 相应支部的 groups: 下加上这几行（编号可改），再导入：",
        list.join("、")
    );
    let mut last: Option<&str> = None;
    let mut next: BTreeMap<&str, usize> = BTreeMap::new();
    for (bid, g) in missing.keys() {
        let Some(branch) = office.branch(bid) else { continue };
        if last != Some(bid) {
            eprintln!("  # {}（{bid}）的 groups: 下", branch.name.value);
            last = Some(bid);
        }
        let n = next.entry(bid).or_insert(branch.groups.len());
        let id = loop {
            *n += 1;
            let id = format!("{bid}-g{n}");
            if !branch.groups.iter().any(|x| x.id.value == id) {
                break id;
            }
        };
        eprintln!("      - id: {id}\n        name: {}", super::member_yaml::scalar(g));
    }
}

/// Required fields the sheet has no column for: what import does instead
/// of refusing every row.
pub(super) fn missing_columns(sheet: &Sheet) -> Vec<String> {
    use super::columns::{Field, header_of};
    let mut lines = Vec::new();
    if sheet.col_of(Field::Sex).is_none() {
        lines.push("表中没有“性别”栏：按身份证号填写。".to_string());
    }
    let absent: Vec<String> = super::member_yaml::TO_COMPLETE
        .iter()
        .filter(|f| **f != Field::Sex && sheet.col_of(**f).is_none())
        .map(|f| format!("“{}”", header_of(*f)))
        .collect();
    if !absent.is_empty() {
        lines.push(format!(
            "表中没有{}栏：新建的成员文件里这几项写成空白待补充，文书上留空手工填写，`tuiguan check` 逐人提醒。",
            absent.join("")
        ));
    }
    lines
}

/// Every problem in row and column order; returns how many are errors.
pub(super) fn list_problems(file_name: &str, sheet: &Sheet, problems: &mut [Problem]) -> usize {
    // The main sheet first, then each history sheet, each by row and column.
    problems.sort_by(|a, b| {
        (&a.place.is_some(), a.row, a.col, a.severity).cmp(&(&b.place.is_some(), b.row, b.col, b.severity))
    });
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    for p in problems.iter() {
        let kind = if p.severity == Severity::Error { "错误" } else { "警告" };
        let place = p.place.clone().unwrap_or_else(|| sheet.locate(p.row, p.col));
        eprintln!("{file_name} {place}: {kind}: {}", p.text);
    }
    if !problems.is_empty() {
        eprintln!("共 {errors} 个错误，{} 个警告。", problems.len() - errors);
    }
    errors
}

/// The report's opening lines: which sheet, its encoding and header rows,
/// the workbook's other sheets, hidden sheets and hidden rows.
pub(super) fn about_the_table(file_name: &str, table: &Table, sheet: &Sheet, header_rows: usize) -> Vec<String> {
    let mut report = Vec::new();
    report.push(format!(
        "读取 {file_name} 工作表“{}”{}：表头在第 {}。",
        table.sheet,
        table.encoding.map(|e| format!("（{e} 编码）")).unwrap_or_default(),
        if header_rows == 1 {
            format!("{} 行", sheet.header_row)
        } else {
            format!("{}–{} 行", sheet.header_row, sheet.header_row + 1)
        }
    ));
    let others: Vec<&String> = table
        .other_sheets
        .iter()
        .filter(|n| {
            !history::LIST_SHEETS.iter().any(|(_, sheet, _)| sheet == n)
                && ![history::STATUS_SHEET, super::dues_sheets::PAYMENTS_SHEET, super::dues_sheets::SETTINGS_SHEET]
                    .contains(&n.as_str())
                && !history::DERIVED_SHEETS.contains(&n.as_str())
        })
        .collect();
    if !others.is_empty() {
        let names: Vec<&str> = others.iter().map(|s| s.as_str()).collect();
        report.push(format!(
            "工作簿里还有这些工作表：{}（只导入了“{}”；其他表请用 --sheet 表名 分别导入）",
            names.join("、"),
            table.sheet
        ));
    }
    if !table.hidden_sheets.is_empty() {
        report.push(format!("隐藏的工作表：{}（没有导入；确要导入请用 --sheet 表名）", table.hidden_sheets.join("、")));
    }
    if !table.hidden_rows.is_empty() {
        let rows: Vec<String> = table.hidden_rows.iter().map(u32::to_string).collect();
        report
            .push(format!("隐藏的行：第 {} 行（照常读入；如这些行不该导入，请在表格里删去后再导入）", rows.join("、")));
    }
    report
}

/// How the columns were read: which field each feeds, the fields missing,
/// and the columns not imported.
pub(super) fn columns(sheet: &Sheet, unused: &super::Unused) -> Vec<String> {
    let mapped: Vec<String> = sheet
        .cols
        .iter()
        .filter(|(_, f)| *f != Field::Derived)
        .map(|(c, f)| format!("{}“{}”→ {}", column_name(*c), sheet.headers[c], super::columns::header_of(*f)))
        .collect();
    let mut lines = vec![format!("栏目对应：{}", mapped.join("，"))];
    lines.extend(missing_columns(sheet));
    if !unused.is_empty() {
        let list: Vec<String> = unused
            .iter()
            .map(|(c, t, repeated)| {
                let why = if *repeated { "（与前面的栏目重复）" } else { "" };
                format!("{}“{t}”{why}", column_name(*c))
            })
            .collect();
        lines.push(format!("未导入的栏目：{}", list.join("、")));
    }
    lines
}

/// What the history sheets bring to members already there.
pub(super) fn events(lines: &[String], same: usize, update: bool) -> Vec<String> {
    let mut out = Vec::new();
    if same > 0 {
        out.push(format!("各工作表中已有党员的 {same} 条记录与成员文件相同（已在各人的文件里）。"));
    }
    if !lines.is_empty() {
        let lead = if update { "将写入" } else { "加 --update 才会写入" };
        out.push(format!("已有党员的新记录和改动 {} 条（{lead}）：", lines.len()));
        out.extend(lines.iter().map(|l| format!("  {l}")));
    }
    out
}

/// History rows left over: of no member this import knows, not imported.
pub(super) fn left_over(history: &Histories) -> Vec<Problem> {
    let lists = history.lists.iter().map(|(_, sheet, items)| (*sheet, items));
    let left = lists.chain(history.blocks.iter().map(|(sheet, items)| (*sheet, items)));
    let mut problems = Vec::new();
    for (sheet_name, left) in left {
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
    problems
}

/// The report, then what each row came to: rows with errors are neither
/// created nor updated. True when members already there have changes
/// that need `--update`.
pub(super) fn tell(office: &Office, rows: &super::rows::Rows, mut report: Vec<String>, update: bool) -> bool {
    let bad: std::collections::BTreeSet<u32> =
        rows.problems.iter().filter(|p| p.severity == Severity::Error && p.place.is_none()).map(|p| p.row).collect();
    let fine = |row: &u32| !bad.contains(row);
    let new: Vec<&(u32, Outcome)> =
        rows.outcomes.iter().filter(|(r, o)| fine(r) && matches!(o, Outcome::New { .. })).collect();
    let old: Vec<&(u32, Outcome)> =
        rows.outcomes.iter().filter(|(r, o)| fine(r) && matches!(o, Outcome::Existing { .. })).collect();
    let mut summary = format!(
        "数据 {} 行（跳过空行 {} 行）：新建 {} 人，已在数据中 {} 人",
        rows.data_rows,
        rows.blank,
        new.len(),
        old.len()
    );
    if !bad.is_empty() {
        summary.push_str(&format!("，有错误不能导入 {} 行", bad.len()));
    }
    summary.push('。');
    report.push(summary);
    for l in &report {
        eprintln!("{l}");
    }
    list_new(&new);
    list_existing(&old, update);
    list_missing_branches(&rows.missing_branches, office);
    list_missing_groups(&rows.missing_groups, office);
    old.iter().any(|(_, o)| matches!(o, Outcome::Existing { changes, .. } if !changes.is_empty()))
}
