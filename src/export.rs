//! `tuiguan export --xlsx`: the full internal register as an Excel workbook
//! — one row per member with their current departure and last visit, header
//! frozen, auto-filter, widths that fit Chinese text, real Excel dates, ID
//! numbers and phones as text — then every departure and every visit, one
//! row each, and the open follow-ups. The columns carry the headers
//! `tuiguan import` reads, so an exported register imports back unchanged.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::facts::{Facts, MemberFacts};
use crate::import::columns::{EXPORTED_DERIVED as DERIVED, Field, header_of};
use crate::import::dues_sheets;
use crate::import::history::{self, Column, Kind};
use crate::office::Member;
use crate::office::Word;
use crate::office::{Departure, Visit};
use crate::rules::record::Handling;
use crate::rules::visits::VisitState;

/// One cell of the register.
enum Value {
    Text(String),
    Date(NaiveDate),
    Number(f64),
}

fn text(v: &Option<crate::yaml::Located<String>>) -> Value {
    Value::Text(v.as_ref().map(|x| x.value.clone()).unwrap_or_default())
}

fn date(v: Option<NaiveDate>) -> Value {
    v.map_or(Value::Text(String::new()), Value::Date)
}

fn yes_no(b: bool) -> Value {
    Value::Text(if b { "是" } else { "否" }.into())
}

/// The member columns, in the order `import` knows them.
const MEMBER_FIELDS: &[Field] = &[
    Field::Id,
    Field::Name,
    Field::Sex,
    Field::Ethnicity,
    Field::IdNumber,
    Field::BirthDate,
    Field::NativePlace,
    Field::Address,
    Field::Postcode,
    Field::InCity,
    Field::HomePhone,
    Field::Mobile,
    Field::Family,
    Field::Education,
    Field::JoinedParty,
    Field::FullMember,
    Field::Retired,
    Field::FormerUnit,
    Field::Branch,
    Field::Group,
    Field::Living,
    Field::HealthStatus,
    Field::HealthNotes,
    Field::HealthSince,
    Field::Hardship,
    Field::HardshipNotes,
    Field::HardshipSince,
    Field::Pension,
    Field::ReceiveMail,
    Field::Notes,
];

/// `names`: the member's branch and group names, looked up once per member.
fn member_value(m: &Member, f: Field, names: &(String, String)) -> Value {
    match f {
        Field::Id => Value::Text(m.id.value.clone()),
        Field::Name => Value::Text(m.name.value.clone()),
        Field::Sex => Value::Text(m.sex.value.zh().into()),
        Field::Ethnicity => Value::Text(m.ethnicity.value.clone()),
        Field::IdNumber => Value::Text(m.id_number.value.clone()),
        Field::BirthDate => date(m.birth_date.as_ref().map(|d| d.value)),
        Field::NativePlace => Value::Text(m.native_place.value.clone()),
        Field::Address => Value::Text(m.address.value.clone()),
        Field::Postcode => text(&m.postcode),
        Field::InCity => yes_no(m.in_city),
        Field::HomePhone => text(&m.home_phone),
        Field::Mobile => text(&m.mobile),
        Field::Family => Value::Text(
            m.family_contacts
                .iter()
                .map(|c| {
                    let rel = c.relation.as_ref().map(|r| format!("（{}）", r.value)).unwrap_or_default();
                    let phone = c.phone.as_ref().map(|p| p.value.clone()).unwrap_or_default();
                    format!("{}{rel}{phone}", c.name.value)
                })
                .collect::<Vec<_>>()
                .join("；"),
        ),
        Field::Education => text(&m.education),
        Field::JoinedParty => m.joined_party.as_ref().map_or(Value::Text(String::new()), |d| Value::Date(d.value)),
        Field::FullMember => date(m.full_member.as_ref().map(|d| d.value)),
        Field::Retired => date(m.retired.as_ref().map(|d| d.value)),
        Field::FormerUnit => text(&m.former_unit),
        Field::Branch => Value::Text(names.0.clone()),
        Field::Group => Value::Text(names.1.clone()),
        Field::Living => text(&m.living),
        Field::HealthStatus => {
            m.health.as_ref().map_or(Value::Text(String::new()), |h| Value::Text(crate::documents::word(&h.status)))
        }
        Field::HealthNotes => m.health.as_ref().map_or(Value::Text(String::new()), |h| text(&h.notes)),
        Field::HealthSince => date(m.health.as_ref().and_then(|h| h.since.as_ref()).map(|d| d.value)),
        Field::Hardship => {
            m.hardship.as_ref().map_or(Value::Text(String::new()), |h| Value::Text(crate::documents::word(&h.level)))
        }
        Field::HardshipNotes => m.hardship.as_ref().map_or(Value::Text(String::new()), |h| text(&h.notes)),
        Field::HardshipSince => date(m.hardship.as_ref().and_then(|h| h.since.as_ref()).map(|d| d.value)),
        Field::Pension => m.pension.as_ref().map_or(Value::Text(String::new()), |p| Value::Number(p.value)),
        Field::ReceiveMail => yes_no(m.receive_mail),
        Field::Notes => text(&m.notes),
        _ => Value::Text(String::new()),
    }
}

fn derived(f: &MemberFacts, as_of: NaiveDate) -> Vec<Value> {
    let m = f.member;
    let current = f.current();
    let d = current.map(|c| c.departure);
    let last_visit = m.visits.iter().filter(|v| v.date.value <= as_of).max_by_key(|v| v.date.value);
    let visit = f.visits.as_ref().map_or("无定期要求", |a| a.state().zh());
    vec![
        f.age.map_or(Value::Text(String::new()), |a| Value::Number(f64::from(a))),
        Value::Text(f.situation.zh().into()),
        Value::Text(d.map(|d| d.destination.region()).unwrap_or_default()),
        date(d.map(|d| d.start.value)),
        date(d.and_then(|d| d.planned_end.as_ref()).map(|e| e.value)),
        Value::Text(current.map(|c| c.handling.zh()).unwrap_or_default()),
        Value::Text(match current.map(|c| &c.handling) {
            Some(Handling::Card { number, issued }) => crate::documents::join_nonempty(
                &[number.clone().unwrap_or_default(), issued.map(|i| format!("{i} 发")).unwrap_or_default()],
                " ",
            ),
            _ => String::new(),
        }),
        Value::Number(m.departures.len() as f64),
        date(last_visit.map(|v| v.date.value)),
        Value::Text(last_visit.map(|v| v.kind.value.zh().to_string()).unwrap_or_default()),
        Value::Text(visit.into()),
        f.dues.amount(as_of.year()).monthly.map_or(Value::Text(String::new()), |x| Value::Number(x as f64 / 100.0)),
        Value::Text(f.dues.paid_to.map(|(y, m)| format!("{y}-{m:02}")).unwrap_or_default()),
        if f.dues.start.is_some() { Value::Number(f.dues.owed.len() as f64) } else { Value::Text(String::new()) },
    ]
}

/// Display width of text in Excel's character units: a Chinese character counts two.
fn width_of(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Write a header and rows; freeze the header, filter, fit the widths.
///
/// A column whose cells are all text (or all dates) carries the text (or
/// date) format itself, and its cells are written without one: the format
/// is looked up once per column, not hashed again for each of 300,000
/// cells, and a value typed into the column later is text too.
///
/// `rows` hands each row in turn to the function it is given; it is called
/// twice (the columns' kinds, then the cells), so that a sheet need not
/// hold all its rows at once: at 20,000 members the register's rows held
/// together would take some 45 MB.
fn write_sheet(
    ws: &mut Worksheet,
    headers: &[String],
    rows: &dyn Fn(RowSink) -> Result<(), XlsxError>,
) -> Result<(), XlsxError> {
    let head = Format::new()
        .set_bold()
        .set_background_color("#E8EDF2")
        .set_align(FormatAlign::Center)
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let text_format = Format::new().set_num_format("@");
    // Every sheet says what it holds: its first line, and the top of
    // every printed page. The import passes over that line (see
    // `import::table`).
    ws.set_header(format!("&C{INTERNAL}"));
    ws.write_string_with_format(0, 0, INTERNAL, &Format::new().set_bold().set_font_color("#B00000"))?;
    let mut widths: Vec<usize> = headers.iter().map(|h| width_of(h) + 2).collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, h, &head)?;
    }
    let mut seen = Kinds::new(headers.len());
    rows(&mut |row| {
        seen.add(row);
        Ok(())
    })?;
    let kinds = seen.kinds();
    for (c, kind) in kinds.iter().enumerate() {
        match kind {
            ColumnKind::Text => ws.set_column_format(c as u16, &text_format)?,
            ColumnKind::Date => ws.set_column_format(c as u16, &date_format)?,
            ColumnKind::Mixed => ws,
        };
    }
    let mut r = HEADER_ROW;
    rows(&mut |row| {
        r += 1;
        for (c, v) in row.iter().enumerate() {
            let col = c as u16;
            let own = kinds.get(c) == Some(&ColumnKind::Mixed);
            let w = match v {
                Value::Text(t) if t.is_empty() => 0,
                Value::Text(t) => {
                    if own {
                        ws.write_string_with_format(r, col, t, &text_format)?;
                    } else {
                        ws.write_string(r, col, t)?;
                    }
                    width_of(t)
                }
                Value::Date(d) => {
                    let x = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    if own {
                        ws.write_datetime_with_format(r, col, &x, &date_format)?;
                    } else {
                        ws.write_datetime(r, col, &x)?;
                    }
                    10
                }
                Value::Number(n) => {
                    ws.write_number(r, col, *n)?;
                    n.to_string().len()
                }
            };
            widths[c] = widths[c].max(w + 2);
        }
        Ok(())
    })?;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).min(60) as f64)?;
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    ws.autofilter(HEADER_ROW, 0, r, headers.len().saturating_sub(1) as u16)?;
    Ok(())
}

/// What a column holds, empty cells aside.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ColumnKind {
    Text,
    Date,
    /// Numbers, or more than one kind: each cell carries its own format.
    Mixed,
}

/// The kinds of a sheet's columns, row by row: per column, the kind of its
/// first filled cell, or Mixed once another kind is seen.
struct Kinds(Vec<Option<ColumnKind>>);

impl Kinds {
    fn new(columns: usize) -> Self {
        Self(vec![None; columns])
    }

    fn add(&mut self, row: &[Value]) {
        for (seen, v) in self.0.iter_mut().zip(row) {
            let kind = match v {
                Value::Text(t) if t.is_empty() => continue,
                Value::Text(_) => ColumnKind::Text,
                Value::Date(_) => ColumnKind::Date,
                Value::Number(_) => ColumnKind::Mixed,
            };
            match seen {
                None => *seen = Some(kind),
                Some(k) if *k != kind => *k = ColumnKind::Mixed,
                Some(_) => {}
            }
        }
    }

    fn kinds(self) -> Vec<ColumnKind> {
        self.0.into_iter().map(|k| k.unwrap_or(ColumnKind::Text)).collect()
    }
}

/// What takes a sheet's rows one by one (see [`write_sheet`]).
type RowSink<'a> = &'a mut dyn FnMut(&[Value]) -> Result<(), XlsxError>;

/// The workbook's bytes; the same office and date give the same bytes.
pub fn workbook(facts: &Facts) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    workbook_into(facts, &mut bytes)?;
    Ok(bytes)
}

/// The workbook, written into `out` as it is made (see [`workbook`]).
/// What the workbook says it is, in its name, title and properties, and
/// on the first line of every sheet.
pub const INTERNAL: &str = "内部资料，含身份证号，注意保密";

/// Each sheet's header row, under the line that marks it internal.
const HEADER_ROW: u32 = 1;

pub fn workbook_into(facts: &Facts, out: &mut (impl std::io::Write + Send)) -> Result<(), String> {
    build(facts, out).map_err(|e| format!("无法生成 Excel 文件：{e}"))
}

fn build(facts: &Facts, out: &mut (impl std::io::Write + Send)) -> Result<(), XlsxError> {
    let (office, as_of) = (facts.office, facts.as_of);
    let mut book = Workbook::new();
    // Deflate level 3 instead of 6: 0.35–0.5 s less at 10,000 members (the
    // workbook is the last thing `build` plans), 3.2 MB instead of 2.8 MB.
    book.set_zip_compression_level(3);
    // Each sheet in constant-memory mode: its rows go to an unnamed
    // temporary file as they are written, and its strings are written in
    // place, not into a shared table. At 10,000 members the workbook then
    // takes 38 MB of memory instead of 135 MB (it is made while `build`
    // renders), and 0.1 s less; the file is 3.6 MB instead of 3.2 MB.
    let created = ExcelDateTime::from_ymd(as_of.year() as u16, as_of.month() as u8, as_of.day() as u8)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{}离退休党员台帐（{INTERNAL}）", office.org.enterprise.value))
            .set_subject(INTERNAL)
            .set_keywords("内部资料")
            .set_comment(INTERNAL)
            .set_author("tuiguan")
            .set_creation_datetime(&created),
    );
    // Everyone, those off the books too: the export is the whole register.
    let in_order = facts.everyone_in_print_order();
    let members: Vec<&Member> = in_order.iter().map(|f| f.member).collect();
    let headers: Vec<String> =
        MEMBER_FIELDS.iter().map(|f| header_of(*f).to_string()).chain(DERIVED.iter().map(|s| s.to_string())).collect();
    // Each member's row made as it is written (twice: see `write_sheet`).
    let rows = |f: RowSink| {
        in_order.iter().try_for_each(|mf| {
            let m = mf.member;
            let names = office.branch_and_group_names(m);
            let mut row: Vec<Value> = MEMBER_FIELDS.iter().map(|f| member_value(m, *f, &names)).collect();
            row.extend(derived(mf, as_of));
            f(&row)
        })
    };
    let ws = book.add_worksheet_with_constant_memory()?;
    ws.set_name("党员台帐")?;
    write_sheet(ws, &headers, &rows)?;

    // The whole history, one row per departure and per visit, so that an
    // export imports back with nothing lost.
    let sheets: [(&str, &[Column], Rows); 5] = [
        (history::DEPARTURES_SHEET, history::DEPARTURE_COLUMNS, departure_rows),
        (history::VISITS_SHEET, history::VISIT_COLUMNS, visit_rows),
        (history::CONTACTS_SHEET, history::CONTACT_COLUMNS, contact_rows),
        (history::SUBSIDIES_SHEET, history::SUBSIDY_COLUMNS, subsidy_rows),
        (history::STATUS_SHEET, history::STATUS_COLUMNS, status_rows),
    ];
    for (name, columns, rows) in sheets {
        let ws = book.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        let headers = history_headers(columns);
        write_sheet(ws, &headers, &by_member(&members, rows))?;
    }
    let ws = book.add_worksheet_with_constant_memory()?;
    ws.set_name(dues_sheets::PAYMENTS_SHEET)?;
    write_sheet(ws, &history_headers(dues_sheets::PAYMENT_COLUMNS), &by_member(&members, payment_rows))?;
    let ws = book.add_worksheet_with_constant_memory()?;
    ws.set_name(dues_sheets::SETTINGS_SHEET)?;
    let headers: Vec<String> =
        history::KEY_HEADERS.iter().chain(dues_sheets::SETTING_HEADERS.iter()).map(|s| s.to_string()).collect();
    write_sheet(ws, &headers, &by_member(&members, setting_rows))?;

    // Open follow-ups: departures (R9, R10, contact), dues and visits owed.
    let ws = book.add_worksheet_with_constant_memory()?;
    ws.set_name("待跟进事项")?;
    let headers: Vec<String> =
        ["编号", "姓名", "所在党支部", "事项", "说明", "处理办法"].iter().map(|s| s.to_string()).collect();
    let follow = |f: RowSink| in_order.iter().try_for_each(|mf| follow_ups(mf, office).iter().try_for_each(|r| f(r)));
    write_sheet(ws, &headers, &follow)?;
    book.save_to_writer(out)
}

/// A history sheet's rows, member by member, made as they are written
/// (twice: see [`write_sheet`]). Made for all members at once, the 40,000
/// visits of 20,000 members would take 12 MB.
fn by_member<'a>(members: &'a [&'a Member], rows: Rows) -> impl Fn(RowSink) -> Result<(), XlsxError> + 'a {
    move |f| members.iter().try_for_each(|m| rows(std::slice::from_ref(m)).iter().try_for_each(|row| f(row)))
}

/// What a history sheet's rows are made by.
type Rows = fn(&[&Member]) -> Vec<Vec<Value>>;

/// A member's open follow-ups: departures (R9, R10, contact), dues and
/// visits owed.
fn follow_ups(mf: &MemberFacts, office: &crate::office::Office) -> Vec<Vec<Value>> {
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

fn history_headers(columns: &[Column]) -> Vec<String> {
    history::KEY_HEADERS.iter().copied().chain(columns.iter().map(|c| c.0)).map(String::from).collect()
}

fn typed(kind: Kind, text: Option<String>, date: Option<NaiveDate>, flag: Option<bool>) -> Value {
    match (kind, date, flag) {
        (_, Some(d), _) => Value::Date(d),
        (_, _, Some(b)) => yes_no(b),
        _ => Value::Text(text.unwrap_or_default()),
    }
}

/// A departure's value for the history column at `path`.
fn departure_cell(d: &Departure, path: &str, kind: Kind) -> Value {
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

fn visit_cell(v: &Visit, path: &str) -> Value {
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

fn key_cells(m: &Member) -> [Value; 2] {
    [Value::Text(m.id.value.clone()), Value::Text(m.name.value.clone())]
}

fn departure_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    for m in members {
        for d in &m.departures {
            let mut row: Vec<Value> = key_cells(m).into();
            row.extend(history::DEPARTURE_COLUMNS.iter().map(|(_, path, kind)| departure_cell(d, path, *kind)));
            rows.push(row);
        }
    }
    rows
}

fn visit_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    for m in members {
        for v in &m.visits {
            let mut row: Vec<Value> = key_cells(m).into();
            row.extend(history::VISIT_COLUMNS.iter().map(|(_, path, _)| visit_cell(v, path)));
            rows.push(row);
        }
    }
    rows
}

fn text_of(v: &Option<crate::yaml::Located<String>>) -> Value {
    Value::Text(v.as_ref().map(|x| x.value.clone()).unwrap_or_default())
}

fn date_of(v: &Option<crate::yaml::Located<NaiveDate>>) -> Value {
    v.as_ref().map_or(Value::Text(String::new()), |x| Value::Date(x.value))
}

fn contact_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    for m in members {
        for c in &m.contacts {
            let mut row: Vec<Value> = key_cells(m).into();
            row.extend([
                Value::Date(c.date.value),
                Value::Text(c.channel.value.zh().into()),
                text_of(&c.by),
                text_of(&c.summary),
            ]);
            rows.push(row);
        }
    }
    rows
}

fn subsidy_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    for m in members {
        for s in &m.subsidies {
            let mut row: Vec<Value> = key_cells(m).into();
            row.extend([
                Value::Date(s.applied.value),
                Value::Text(s.decision.as_ref().map(|d| d.value.zh().to_string()).unwrap_or_default()),
                date_of(&s.decided),
                s.amount.as_ref().map_or(Value::Text(String::new()), |a| Value::Number(a.value)),
                text_of(&s.notes),
            ]);
            rows.push(row);
        }
    }
    rows
}

/// One row per member with a status or a confirmation date.
fn status_rows(members: &[&Member]) -> Vec<Vec<Value>> {
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
fn payment_rows(members: &[&Member]) -> Vec<Vec<Value>> {
    let month = |(y, m): (i32, u32)| format!("{y}-{m:02}");
    let mut rows = Vec::new();
    for m in members {
        for p in &m.dues.payments {
            let (from, to) = p.months.value;
            let mut row: Vec<Value> = key_cells(m).into();
            row.extend([
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
            ]);
            rows.push(row);
        }
    }
    rows
}

/// The category, then each year's base, then each reduction, one row each.
fn setting_rows(members: &[&Member]) -> Vec<Vec<Value>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of `rows`, for [`write_sheet`].
    fn each(rows: &[Vec<Value>]) -> impl Fn(RowSink) -> Result<(), XlsxError> + '_ {
        move |f| rows.iter().try_for_each(|row| f(row))
    }

    #[test]
    fn a_column_takes_its_format_only_when_every_value_is_of_one_kind() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        let t = |s: &str| Value::Text(s.to_string());
        let rows = vec![
            vec![t("13906512871"), Value::Date(d), t(""), t("a"), Value::Number(1.0)],
            vec![t(""), Value::Date(d), t(""), Value::Date(d), t("")],
        ];
        use ColumnKind::*;
        let mut kinds = Kinds::new(6);
        each(&rows)(&mut |row| {
            kinds.add(row);
            Ok(())
        })
        .unwrap();
        assert_eq!(kinds.kinds(), [Text, Date, Text, Mixed, Mixed, Text]);
    }

    #[test]
    fn chinese_counts_double() {
        assert_eq!(width_of("张三"), 4);
        assert_eq!(width_of("b1-001"), 6);
    }

    #[test]
    fn every_member_column_is_importable() {
        for f in MEMBER_FIELDS {
            assert_eq!(crate::import::columns::field_of(header_of(*f)), Some(*f));
        }
        // Derived columns are not read back; those named like a register's
        // mobile-member columns are set aside because the workbook carries
        // the departures whole on their own sheet (import sees it there).
        for h in DERIVED {
            let f = crate::import::columns::field_of(h);
            assert!(f == Some(Field::Derived) || f.is_some_and(Field::is_away), "{h}: {f:?}");
        }
    }
}
