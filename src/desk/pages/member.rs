//! A member's page: the whole record, and a form for each record the
//! desk makes (the one being filled open, with what is wrong at its fields).

use std::collections::BTreeMap;

use minijinja::context;

use super::{Answer, Form, FormField, Pages, ser, to_fix};
use crate::desk::Desk;
use crate::desk::forms::{Filled, Record};
use crate::desk::member_form::basic_values;
use crate::facts::MemberFacts;
use crate::office::{Member, Word};

/// What a member's page shows besides the record: a form being filled
/// (its values, errors at fields, a problem above it) and what was saved.
#[derive(Default)]
pub struct MemberPage {
    pub record: Option<Record>,
    pub filled: Filled,
    pub errors: BTreeMap<String, String>,
    pub problem: Option<String>,
    pub saved: Option<String>,
}

/// The records a member's page offers, in the page's order.
const RECORDS: [Record; 11] = [
    Record::Visit,
    Record::Contact,
    Record::Departure,
    Record::Arrive,
    Record::Return,
    Record::Dues,
    Record::Subsidy,
    Record::Family,
    Record::Basic,
    Record::Confirm,
    Record::Status,
];

impl Pages {
    pub fn member(&self, desk: &Desk, id: &str, page: MemberPage) -> Answer {
        self.member_with(desk, id, page, 200)
    }

    pub fn member_with(&self, desk: &Desk, id: &str, page: MemberPage, status: u16) -> Answer {
        let (office, _) = self.load(desk);
        let Some(office) = office else { return self.not_found(desk) };
        let Some(m) = office.members.iter().find(|m| m.id.value == id) else { return self.not_found(desk) };
        let facts = crate::facts::Facts::derive(&office, desk.today());
        let f = facts.of(m);
        let forms: Vec<Form> = RECORDS
            .into_iter()
            // Off the books: only the 党籍 itself can change (a mistake corrected).
            .filter(|r| !f.standing.off_books() || *r == Record::Status)
            .map(|r| record_form(desk, m, f, r, &page))
            .collect();
        let (branch, group) = office.branch_and_group_names(m);
        self.render(
            "member.html",
            status,
            context! {
                site => self.site(desk, Some(&office)),
                m => member_view(m),
                branch, group,
                age => f.age.map(|a| a.to_string()).unwrap_or_default(),
                dues => match (f.dues.paid_to, f.dues.owed.len()) {
                    (_, n) if n > 0 => format!("欠交{n}个月（{}）", crate::rules::dues::months_zh(&f.dues.owed)),
                    (Some(to), _) => format!("交至{}", crate::rules::dues::month_zh(to)),
                    (None, _) => String::new(),
                },
                whereabouts => f.situation.zh(),
                to_fix => ser(&to_fix(&forms)),
                forms => ser(&forms),
                problem => page.problem,
                saved => page.saved,
            },
        )
    }
}

/// Record `r`'s form on the member's page: the one being filled open, with
/// what was typed and what is wrong; the others with what they start from
/// (today, the departure under way, the month, the file's basic values).
fn record_form(desk: &Desk, m: &Member, f: &MemberFacts, r: Record, page: &MemberPage) -> Form {
    let open = page.record == Some(r);
    let mut values = if open { page.filled.clone() } else { Filled::new() };
    if r == Record::Basic && !open {
        let text = std::fs::read_to_string(&m.file).unwrap_or_default();
        values = basic_values(&m.file, &text);
    }
    if !matches!(r, Record::Departure | Record::Status | Record::Family | Record::Basic) {
        values.entry("date".into()).or_insert_with(|| desk.today().to_string());
    }
    if matches!(r, Record::Arrive | Record::Return) {
        // The departure under way, else the latest.
        let current = f.departures.iter().filter(|d| d.away).map(|d| d.departure).next_back().or(m.departures.last());
        if let Some(d) = current {
            values.entry("departure".into()).or_insert_with(|| d.id.value.clone());
        }
    }
    if r == Record::Dues {
        values.entry("paid".into()).or_insert_with(|| desk.today().to_string());
        let month = desk.today();
        values
            .entry("months".into())
            .or_insert_with(|| format!("{}-{:02}", chrono::Datelike::year(&month), chrono::Datelike::month(&month)));
    }
    let fields = r
        .fields()
        .into_iter()
        .map(|spec| FormField {
            value: values.get(spec.key).cloned().unwrap_or_default(),
            error: if open { page.errors.get(spec.key).cloned().unwrap_or_default() } else { String::new() },
            spec,
        })
        .collect();
    let title = r.title();
    Form { path: r.path(), title, fields, open }
}

/// The member's whole record as their own page shows it (full ID number
/// and phones: this page is the office's own, on the clerk's PC).
fn member_view(m: &Member) -> minijinja::Value {
    let t = |v: &Option<crate::yaml::Located<String>>| v.as_ref().map(|x| x.value.clone()).unwrap_or_default();
    let mut visits: Vec<&crate::office::Visit> = m.visits.iter().collect();
    visits.sort_by_key(|v| std::cmp::Reverse(v.date.value));
    let visits: Vec<_> = visits
        .into_iter()
        .map(|v| {
            context! {
                date => v.date.value.to_string(), kind => v.kind.value.zh(), by => t(&v.by),
                difficulties => t(&v.difficulties), suggestions => t(&v.suggestions), plans => t(&v.plans),
            }
        })
        .collect();
    let mut contacts: Vec<&crate::office::Contact> = m.contacts.iter().collect();
    contacts.sort_by_key(|c| std::cmp::Reverse(c.date.value));
    let contacts: Vec<_> = contacts
        .into_iter()
        .map(|c| context! { date => c.date.value.to_string(), channel => c.channel.value.zh(), by => t(&c.by), summary => t(&c.summary) })
        .collect();
    let departures: Vec<_> = m
        .departures
        .iter()
        .map(|d| {
            context! {
                id => d.id.value.clone(),
                destination => d.destination.region(),
                start => d.start.value.to_string(),
                planned_end => d.planned_end.as_ref().map(|e| e.value.to_string()).unwrap_or_default(),
                returned => d.returned.as_ref().map(|e| e.value.to_string()).unwrap_or_default(),
                card => d.card_number.as_ref().map(|c| c.value.clone()).unwrap_or_default(),
            }
        })
        .collect();
    context! {
        id => m.id.value.clone(),
        name => m.name.value.clone(),
        sex => m.sex.value.zh(),
        id_number => m.id_number_printed(),
        address => m.address.value.clone(),
        mobile => t(&m.mobile),
        home_phone => t(&m.home_phone),
        family => ser(&crate::documents::family_entries(m)),
        subsidies => m.subsidies.iter().map(|x| {
            let mut t = format!("{} 申请，{}", x.applied.value, x.state().zh());
            if let Some(a) = &x.amount { t.push_str(&format!(" {:.2} 元", a.value)); }
            t
        }).collect::<Vec<_>>(),
        confirmed => m.confirmed.as_ref().map(|d| d.value.to_string()).unwrap_or_default(),
        joined => m.joined_party.as_ref().map(|d| d.value.to_string()).unwrap_or_default(),
        health => m.health.as_ref().map(|h| {
            let mut t = h.status.as_ref().map(|s| s.value.zh().to_string()).unwrap_or_default();
            if let Some(n) = &h.notes { t = format!("{t} {}", n.value); }
            t.trim().to_string()
        }).unwrap_or_default(),
        hardship => m.hardship.as_ref().map(|h| {
            let mut t = h.level.as_ref().map(|s| s.value.zh().to_string()).unwrap_or_default();
            if let Some(n) = &h.notes { t = format!("{t} {}", n.value); }
            t.trim().to_string()
        }).unwrap_or_default(),
        notes => t(&m.notes),
        follow_ups => m.visits.iter().filter_map(|v| Some(format!("{}：{}", v.date.value, v.follow_up.as_ref()?.value))).collect::<Vec<_>>(),
        status => m.status.as_ref().map(|s| format!("{} {}", s.kind.value.zh(), s.date.value)).unwrap_or_else(|| "正常".into()),
        visits, contacts, departures,
    }
}
