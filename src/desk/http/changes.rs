//! What a record changes in a member file besides an item added to a
//! list: a departure's arrival and return, a payment with its amount
//! computed, the 信息核对 date and the 党籍.

use std::path::Path;
use std::sync::Arc;

use crate::desk::Desk;
use crate::desk::forms::{self, Record};
use crate::office::Office;

/// The office the desk holds, and the place of member `id` among its members.
fn loaded_member(desk: &Desk, id: &str) -> Result<(Arc<Office>, usize), String> {
    let office = desk.pages.office(desk).ok_or("数据读不出来")?;
    let at = office.members.iter().position(|m| m.id.value == id).ok_or("没有这位党员")?;
    Ok((office, at))
}

/// 登记到达 / 登记返回: dates (and the report) set in one of the member's
/// departures, checked against it (a return before the start, a card
/// returned that was never issued).
pub(super) fn away(
    desk: &Desk,
    id: &str,
    record: Record,
    file: &Path,
    text: &str,
    item: &forms::Item,
) -> Result<String, String> {
    let (office, at) = loaded_member(desk, id)?;
    let m = &office.members[at];
    let get = |k: &str| forms::scalar_of(item, k);
    let which = get("departure").unwrap_or_default();
    let Some(d) = m.departures.iter().find(|d| d.id.value == which) else {
        let ids: Vec<&str> = m.departures.iter().map(|d| d.id.value.as_str()).collect();
        return Err(if ids.is_empty() {
            "这位党员没有外出记录；请先登记外出".into()
        } else {
            format!("没有编号为 {which} 的外出；这位党员的外出编号：{}", ids.join("、"))
        });
    };
    let date = |k: &str| get(k).and_then(|v| forms::typed_date(&v));
    for k in ["arrived", "returned"] {
        if let Some(day) = date(k)
            && day < d.start.value
        {
            return Err(format!(
                "{}早于外出日期 {}",
                if k == "arrived" { "到达日期" } else { "返回日期" },
                d.start.value
            ));
        }
    }
    if record == Record::Arrive && get("card_handed").is_some() && d.card_number.is_none() {
        return Err(format!("{which} 没有发过联系卡，不用登记交卡"));
    }
    if record == Record::Return && get("card_returned").is_some() && d.card_number.is_none() {
        return Err(format!("{which} 没有发过联系卡，不用登记交回"));
    }
    crate::desk::edit::set_in_item(file, text, "departures", &which, &forms::scalars(item, &["departure"]))
}

/// 交党费: the payment into `dues.payments`; a blank amount computed as
/// the ledger computes a month's dues (the year's base and the rules).
pub(super) fn dues(
    desk: &Desk,
    id: &str,
    file: &Path,
    text: &str,
    mut item: forms::Item,
    words: &str,
) -> Result<(String, String), String> {
    use crate::desk::edit::Value;
    use crate::rules::dues::{DuesFacts, index, month_of};
    let mut words = words.to_string();
    let (office, at) = loaded_member(desk, id)?;
    let m = &office.members[at];
    // This member's ledger alone (not the whole office's facts).
    let ledger = DuesFacts::derive(m, desk.today(), &office.org.rules);
    let months = match item.iter().find(|(k, _)| *k == "months") {
        Some((_, Value::Scalar(s))) => crate::office::parse_months(s).ok_or("月份不对")?,
        _ => return Err("月份不对".into()),
    };
    refuse_settled(&ledger, months)?;
    if !item.iter().any(|(k, _)| *k == "amount") {
        let mut fen = 0i64;
        for month in (index(months.0)..=index(months.1)).map(month_of) {
            fen += ledger
                .amount(month.0)
                .monthly
                .ok_or_else(|| format!("算不出 {} 年的党费（没有党费基数或离退休费）；请填写金额", month.0))?;
        }
        let yuan = format!("{}.{:02}", fen / 100, fen % 100);
        words.push_str(&format!("；金额（按规定算）：{yuan} 元"));
        let at = item.iter().position(|(k, _)| *k == "months").map_or(0, |i| i + 1);
        item.insert(at, ("amount", yuan.into()));
    }
    // `how:` only when not 本人 (the file's default).
    item.retain(|(k, v)| !(*k == "how" && *v == Value::from("本人")));
    let new = crate::desk::edit::add_item_at(file, text, &["dues", "payments"], &item)?;
    Ok((new, format!("交党费：{words}")))
}

/// A payment for months already paid, waived or not due is refused, each named.
fn refuse_settled(ledger: &crate::rules::dues::DuesFacts, months: ((i32, u32), (i32, u32))) -> Result<(), String> {
    use crate::rules::dues::{MonthMark, index, month_of, month_zh};
    let mut said = Vec::new();
    for i in index(months.0)..=index(months.1) {
        let m = month_of(i);
        let why = match ledger.mark(m) {
            MonthMark::Paid(_) => "已交过",
            MonthMark::Waived => "已免交",
            MonthMark::TransferredOut => "组织关系已转出，交在接收地",
            MonthMark::OffBooks => "已不在册",
            MonthMark::Suspended => "已停止党籍，不收党费",
            _ => continue,
        };
        said.push(format!("{}{why}", month_zh(m)));
    }
    if said.is_empty() { Ok(()) } else { Err(format!("{}；请改所交月份", said.join("，"))) }
}

/// 信息核对 and 党籍变动: a top-level key of the member file set (or, for
/// 恢复联系, removed: only from a member out of contact or suspended).
pub(super) fn set(
    desk: &Desk,
    id: &str,
    record: Record,
    file: &Path,
    text: &str,
    item: &forms::Item,
) -> Result<String, String> {
    use crate::desk::edit::{Set, set_key};
    let scalar = |k: &str| forms::scalar_of(item, k);
    match record {
        Record::Confirm => set_key(file, text, "confirmed", Set::Scalar(scalar("date").unwrap_or_default())),
        _ if scalar("kind").as_deref() == Some(forms::BACK_IN_CONTACT) => {
            let (office, at) = loaded_member(desk, id)?;
            let m = &office.members[at];
            match m.status.as_ref().map(|s| s.kind.value) {
                Some(crate::office::StatusKind::LostContact | crate::office::StatusKind::Suspended) => {
                    set_key(file, text, "status", Set::Remove)
                }
                _ => Err("“恢复联系”只用于失联或停止党籍的党员".into()),
            }
        }
        _ => set_key(file, text, "status", Set::Map(&forms::scalars(item, &[]))),
    }
}
