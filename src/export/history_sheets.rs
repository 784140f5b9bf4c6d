//! The workbook's history sheets: every departure, visit, family contact,
//! subsidy, status change, dues payment and setting, one row each, keyed by
//! member; and the open follow-ups.

use chrono::NaiveDate;

use super::{Value, yes_no};
use crate::facts::MemberFacts;
use crate::import::history::{self, Column, Kind};
use crate::office::Word;
use crate::office::{Departure, Member, Visit};
use crate::rules::visits::VisitState;

/// A member's open follow-ups: departures (R9, R10, contact), dues and
/// visits owed.
pub(super) fn follow_ups(mf: &MemberFacts, office: &crate::office::Office) -> Vec<Vec<Value>> {
    let m = mf.member;
    let (branch, _) = office.branch_and_group_names(m);
    // (事项, 说明, 处理办法)
    let mut items: Vec<(String, String, String)> = Vec::new();
    items.extend(mf.findings.iter().map(|f| (f.kind.zh().into(), f.text.clone(), f.kind.hint().into())));
    items.extend(mf.dues.findings.iter().map(|f| (f.issue.zh().into(), f.text.clone(), f.issue.hint().into())));
    if let Some(a) = &mf.visits {
        for n in a.needs.iter().filter(|n| matches!(n.state, VisitState::Overdue | VisitState::Due)) {
            items.push((
                if n.state == VisitState::Overdue { "走访逾期" } else { "待走访" }.into(),
                format!("{}，期限 {}", n.why, n.deadline),
                "上门走访后在 visits: 中登记".into(),
            ));
        }
    }
    items
        .into_iter()
        .map(|(kind, text, hint)| {
            vec![
                Value::Text(m.id.value.clone()),
                Value::Text(m.name.value.clone()),
                Value::Text(branch.clone()),
                Value::Text(kind),
                Value::Text(text),
                Value::Text(hint),
            ]
        })
        .collect()
}

pub(super) fn history_headers(columns: &[Column]) -> Vec<String> {
    history::KEY_HEADERS.iter().copied().chain(columns.iter().map(|c| c.0)).map(String::from).collect()
}

pub(super) fn typed(kind: Kind, text: Option<String>, date: Option<NaiveDate>, flag: Option<bool>) -> Value {
    match (kind, date, flag) {
        (_, Some(d), _) => Value::Date(d),
        (_, _, Some(b)) => yes_no(b),
        _ => Value::Text(text.unwrap_or_default()),
    }
}

/// A departure's value for the history column at `path`.
pub(super) fn departure_cell(d: &Departure, path: &str, kind: Kind) -> Value {
    let t = |v: &Option<crate::yaml::Located<String>>| v.as_ref().map(|x| x.value.clone());
    let dt = |v: &Option<crate::yaml::Located<NaiveDate>>| v.as_ref().map(|x| x.value);
    let fl = |v: &Option<crate::yaml::Located<bool>>| v.as_ref().map(|x| x.value);
    let (text, date, flag) = match path {
        "id" => (Some(d.id.value.clone()), None, None),
        "applied" => (None, dt(&d.applied), None),
        "reason" => (t(&d.reason), None, None),
        "destination.province" => (t(&d.destination.province), None, None),
        "destination.city" => (t(&d.destination.city), None, None),
        "destination.county" => (t(&d.destination.county), None, None),
        "destination.address" => (t(&d.destination.address), None, None),
        "destination.postcode" => (t(&d.destination.postcode), None, None),
        "receiving_org.name" => (t(&d.receiving_org), None, None),
        "receiving_org.contact" => (t(&d.receiving_contact), None, None),
        "receiving_org.phone" => (t(&d.receiving_phone), None, None),
        "start" => (None, Some(d.start.value), None),
        "planned_end" => (None, dt(&d.planned_end), None),
        "fixed_location" => (None, None, fl(&d.fixed_location)),
        "near_home" => (None, None, fl(&d.near_home)),
        "phone_away" => (t(&d.phone_away), None, None),
        "card.number" => (t(&d.card_number), None, None),
        "card.issued" => (None, dt(&d.card_issued), None),
        "transfer.kind" => (d.transfer.as_ref().map(|k| k.value.zh().to_string()), None, None),
        "transfer.date" => (None, dt(&d.transfer_date), None),
        "filed" => (None, dt(&d.filed), None),
        "returned" => (None, dt(&d.returned), None),
        "card_returned" => (None, dt(&d.card_returned), None),
        "report" => (t(&d.report), None, None),
        "dues_paid_to" => (d.dues_paid_to.as_ref().map(|m| format!("{}-{:02}", m.value.0, m.value.1)), None, None),
        "last_contact" => (None, dt(&d.last_contact), None),
        "last_report" => (None, dt(&d.last_report), None),
        "can_transfer" => (None, None, fl(&d.can_transfer)),
        "arrived" => (None, dt(&d.arrived), None),
        "card_handed" => (None, dt(&d.card_handed), None),
        "card_reviewed" => (None, dt(&d.card_reviewed), None),
        other => unreachable!("departure column {other} without a value"),
    };
    typed(kind, text, date, flag)
}

pub(super) fn visit_cell(v: &Visit, path: &str) -> Value {
    let t =
        |x: &Option<crate::yaml::Located<String>>| Value::Text(x.as_ref().map(|x| x.value.clone()).unwrap_or_default());
    match path {
        "date" => Value::Date(v.date.value),
        "kind" => Value::Text(v.kind.value.zh().to_string()),
        "by" => t(&v.by),
        "difficulties" => t(&v.difficulties),
        "suggestions" => t(&v.suggestions),
        "plans" => t(&v.plans),
        "follow_up" => t(&v.follow_up),
        other => unreachable!("visit column {other} without a value"),
    }
}

pub(super) fn key_cells(m: &Member) -> [Value; 2] {
    [Value::Text(m.id.value.clone()), Value::Text(m.name.value.clone())]
}

/// One row per item of each member's `list`: the member's key cells, then
/// the item's own.
fn per_item<T>(members: &[&Member], list: fn(&Member) -> &[T], cells: impl Fn(&T) -> Vec<Value>) -> Vec<Vec<Value>> {
    let cells = &cells;
    members
        .iter()
        .flat_map(|m| {
            list(m).iter().map(move |item| {
                let mut row: Vec<Value> = key_cells(m).into();
                row.extend(cells(item));
                row
            })
        })
        .collect()
}

pub(super) fn departure_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    per_item(
        members,
        |m| &m.departures,
        |d| history::DEPARTURE_COLUMNS.iter().map(|(_, path, kind)| departure_cell(d, path, *kind)).collect(),
    )
}

pub(super) fn visit_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    per_item(
        members,
        |m| &m.visits,
        |v| history::VISIT_COLUMNS.iter().map(|(_, path, _)| visit_cell(v, path)).collect(),
    )
}

pub(super) fn text_of(v: &Option<crate::yaml::Located<String>>) -> Value {
    Value::Text(v.as_ref().map(|x| x.value.clone()).unwrap_or_default())
}

pub(super) fn date_of(v: &Option<crate::yaml::Located<NaiveDate>>) -> Value {
    v.as_ref().map_or(Value::Text(String::new()), |x| Value::Date(x.value))
}

pub(super) fn contact_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    per_item(
        members,
        |m| &m.contacts,
        |c| {
            vec![
                Value::Date(c.date.value),
                Value::Text(c.channel.value.zh().into()),
                text_of(&c.by),
                text_of(&c.summary),
            ]
        },
    )
}

pub(super) fn subsidy_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    per_item(
        members,
        |m| &m.subsidies,
        |s| {
            vec![
                Value::Date(s.applied.value),
                Value::Text(s.decision.as_ref().map(|d| d.value.zh().to_string()).unwrap_or_default()),
                date_of(&s.decided),
                s.amount.as_ref().map_or(Value::Text(String::new()), |a| Value::Number(a.value)),
                text_of(&s.notes),
            ]
        },
    )
}

/// One row per member with a status or a confirmation date.
pub(super) fn status_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    for m in members.iter().filter(|m| m.status.is_some() || m.confirmed.is_some()) {
        let mut row: Vec<Value> = key_cells(m).into();
        match &m.status {
            Some(s) => row.extend([
                Value::Text(s.kind.value.zh().into()),
                Value::Date(s.date.value),
                date_of(&s.lost_since),
                text_of(&s.to),
                text_of(&s.reason),
                text_of(&s.document),
            ]),
            None => row.extend((0..6).map(|_| Value::Text(String::new()))),
        }
        row.push(date_of(&m.confirmed));
        rows.push(row);
    }
    rows
}

/// One row per payment: what `dues_sheets` reads back.
pub(super) fn payment_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    let month = |(y, m): (i32, u32)| format!("{y}-{m:02}");
    per_item(
        members,
        |m| &m.dues.payments,
        |p| {
            let (from, to) = p.months.value;
            vec![
                Value::Text(if from == to { month(from) } else { format!("{}..{}", month(from), month(to)) }),
                Value::Number(p.amount.value),
                Value::Date(p.paid.value),
                Value::Text(if p.way == crate::office::PaymentWay::InPerson {
                    String::new()
                } else {
                    p.way.zh().into()
                }),
                text_of(&p.by),
                text_of(&p.at),
                text_of(&p.note),
            ]
        },
    )
}

/// The category, then each year's base, then each reduction, one row each.
pub(super) fn setting_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    let blank = || Value::Text(String::new());
    let mut rows = Vec::new();
    for m in members {
        let dues = &m.dues;
        let mut row = |cells: [Value; 8]| {
            let mut r: Vec<Value> = key_cells(m).into();
            r.extend(cells);
            rows.push(r);
        };
        if let Some(c) = &dues.category {
            row([blank(), Value::Text(c.value.zh().into()), blank(), blank(), blank(), blank(), blank(), blank()]);
        }
        for b in &dues.bases {
            let year = Value::Number(f64::from(b.year.value));
            row([year, blank(), Value::Number(b.base.value), blank(), blank(), blank(), blank(), blank()]);
        }
        for r in &dues.reductions {
            let year = Value::Number(f64::from(r.year.value));
            let monthly = Value::Number(r.monthly.value);
            row([
                year,
                blank(),
                blank(),
                monthly,
                date_of(&r.decided),
                date_of(&r.approved),
                text_of(&r.document),
                text_of(&r.reason),
            ]);
        }
    }
    rows
}
