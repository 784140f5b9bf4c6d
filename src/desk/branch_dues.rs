//! 交党费（支部）: one month for a whole branch, as the branch's collector
//! takes it — every member on the books with the month's amount computed
//! by the rules and whether it is paid already; the clerk ticks who paid,
//! and one save writes a payment into each of their files (all or none,
//! one entry of the 操作记录, taken back as one).

use serde::Serialize;

use super::Desk;
use super::edit::{Value, add_item_at};
use super::forms::Filled;
use super::http::Answer;
use crate::office::Month;
use crate::rules::dues::MonthMark;

/// One member's line of the sheet.
#[derive(Serialize)]
pub struct Line {
    pub id: String,
    pub name: String,
    /// "24.90", or "" when the rules cannot say (no base).
    pub amount: String,
    /// 已交, 免交…; "" when it is still to pay.
    pub state: String,
}

fn month_of(text: &str) -> Option<Month> {
    crate::office::parse_months(text).filter(|(a, b)| a == b).map(|(a, _)| a)
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// The sheet's lines for `branch` and `month`.
fn lines(desk: &Desk, branch: &str, month: Month) -> Option<(String, Vec<Line>)> {
    let office = desk.pages.office(desk)?;
    let b = office.branch(branch)?;
    let facts = crate::facts::Facts::derive(&office, desk.today());
    let lines = facts
        .in_print_order()
        .into_iter()
        .filter(|f| f.member.branch.value == branch)
        .map(|f| {
            let state = match f.dues.mark(month) {
                MonthMark::Paid(_) => "已交",
                MonthMark::Waived => "免交",
                MonthMark::TransferredOut => "已转出，交在接收地",
                MonthMark::OffBooks => "不在册",
                _ => "",
            };
            Line {
                id: f.member.id.value.clone(),
                name: f.member.name.value.clone(),
                amount: f.dues.amount(month.0).monthly.map(yuan).unwrap_or_default(),
                state: state.to_string(),
            }
        })
        .collect();
    Some((b.name.value.clone(), lines))
}

pub fn page(desk: &Desk, branch: &str, month: Option<&str>, saved: Option<&str>) -> Answer {
    let today = desk.today();
    let month_text = month.map(str::to_string).unwrap_or_else(|| today.format("%Y-%m").to_string());
    let Some(month) = month_of(&month_text) else {
        return desk.pages.message(desk, 422, "月份不对", &format!("“{month_text}”不是月份；写成 2026-12"));
    };
    match lines(desk, branch, month) {
        Some((name, lines)) => {
            desk.pages.branch_dues(desk, branch, &name, &format!("{}-{:02}", month.0, month.1), &lines, saved)
        }
        None => desk.pages.not_found(desk),
    }
}

/// Save: a payment of the month into the file of each member ticked.
pub fn save(desk: &Desk, branch: &str, form: &Filled, ticked: &[String]) -> Answer {
    let month_text = form.get("month").cloned().unwrap_or_default();
    let Some(month) = month_of(&month_text) else {
        return desk.pages.message(desk, 422, "月份不对", &format!("“{month_text}”不是月份；写成 2026-12"));
    };
    let paid = match form.get("paid").and_then(|d| super::forms::typed_date(d)) {
        Some(d) if d <= desk.today() => d,
        _ => return desk.pages.message(desk, 422, "交纳日期不对", "交纳日期写成 年-月-日，不能晚于今天"),
    };
    let Some((name, lines)) = lines(desk, branch, month) else { return desk.pages.not_found(desk) };
    let Some(office) = desk.pages.office(desk) else { return desk.pages.not_found(desk) };
    let months = format!("{}-{:02}", month.0, month.1);
    let mut files = Vec::new();
    let mut names = Vec::new();
    for line in lines.iter().filter(|l| ticked.contains(&l.id)) {
        if !line.state.is_empty() {
            return desk.pages.message(
                desk,
                409,
                "没有保存",
                &format!("{} {}的党费{}，不用再登记", line.name, months, line.state),
            );
        }
        if line.amount.is_empty() {
            return desk.pages.message(
                desk,
                422,
                "没有保存",
                &format!("算不出{}的党费（没有党费基数）；请在他的页面上填写金额后登记", line.name),
            );
        }
        let Some(m) = office.members.iter().find(|m| m.id.value == line.id) else { continue };
        let Ok(text) = std::fs::read_to_string(&m.file) else {
            return desk.pages.message(desk, 500, "没有保存", &format!("读不到 {}", m.file.display()));
        };
        let item = [
            ("months", Value::from(months.as_str())),
            ("amount", Value::from(line.amount.as_str())),
            ("paid", Value::from(paid.to_string())),
        ];
        match add_item_at(&m.file, &text, &["dues", "payments"], &item) {
            Ok(new) => files.push((m.file.clone(), text, new)),
            Err(e) => return desk.pages.message(desk, 422, "没有保存", &format!("{}：{e}", m.file.display())),
        }
        names.push(format!("{} {}", line.name, line.amount));
    }
    if files.is_empty() {
        return desk.pages.message(desk, 422, "没有保存", "没有勾选交了党费的党员");
    }
    let what = format!("交党费（{name} {months}，{paid} 交）：{}", names.join("、"));
    match desk.log.change_all(&files, (branch, &name), &what) {
        Ok(n) => {
            for (file, _, _) in &files {
                desk.wrote(file);
            }
            super::http::see(format!("/dues/{branch}?month={months}&saved={n}"))
        }
        Err(e) => desk.pages.message(desk, 409, "没有保存", &e),
    }
}
