//! Render the register's pages with minijinja and list the site's files.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value, context};
use serde::Serialize;

use super::charts::{Chart, bar_chart};
use super::places::province_of;
use super::view::{
    AGE_BANDS, Row, TAG_ORDER, destination_shown, id_number_shown, phone_at, row, summary, visible_needs,
};
use crate::office::register_policy::Level;
use crate::office::{Member, Office};
use crate::rules::departure::decide;
use crate::rules::status::{Whereabouts, current_departure, whereabouts};

const TEMPLATES: &[&str] =
    &["base.html", "macros.html", "index.html", "branches.html", "branch.html", "member.html", "stats.html"];
const ASSETS: &[&str] = &["register.css", "register.js"];

/// Site-wide facts every page shows.
#[derive(Serialize)]
struct Site {
    enterprise: String,
    office: String,
    as_of: String,
    as_of_zh: String,
    /// Which optional columns the policy lets the register show.
    cols: Columns,
}

#[derive(Serialize)]
struct Columns {
    age: bool,
    whereabouts: bool,
    mobile: bool,
    native_place: bool,
    area: bool,
}

/// A filter choice with how many members it selects.
#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    count: usize,
    /// The branch a group belongs to (groups only).
    branch: String,
}

#[derive(Clone, Copy)]
enum Order {
    /// As first met in the register's order (branches).
    AsMet,
    /// Most members first (籍贯, areas).
    ByCount,
    /// The fixed order of status, visit and card keys.
    Fixed,
}

fn choices<'a>(rows: &'a [Row], key: impl Fn(&'a Row) -> (&'a str, &'a str), order: Order) -> Vec<Choice> {
    let mut seen: Vec<Choice> = Vec::new();
    for r in rows {
        let (value, label) = key(r);
        if value.is_empty() {
            continue;
        }
        match seen.iter_mut().find(|c| c.value == value) {
            Some(c) => c.count += 1,
            None => seen.push(Choice { value: value.into(), label: label.into(), count: 1, branch: String::new() }),
        }
    }
    match order {
        Order::AsMet => {}
        Order::ByCount => seen.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value))),
        Order::Fixed => seen.sort_by_key(|c| TAG_ORDER.iter().position(|k| *k == c.value)),
    }
    seen
}

#[derive(Serialize)]
struct Field {
    label: &'static str,
    value: String,
}

#[derive(Serialize)]
struct DepartureView {
    start: String,
    end: String,
    destination: String,
    decision: String,
    card: String,
    filed: String,
}

#[derive(Serialize)]
struct VisitView {
    date: String,
    kind: String,
    by: String,
    difficulties: String,
    suggestions: String,
    plans: String,
}

/// The register's files, relative to out/: `register/index.html` and the
/// rest. Err: a template could not be read or rendered (the message says
/// which, where, and what is wrong).
pub fn build(office: &Office, as_of: NaiveDate, templates: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for name in TEMPLATES {
        let path = templates.join(name);
        let source = std::fs::read_to_string(&path).map_err(|e| format!("无法读取模板 {}：{e}", path.display()))?;
        env.add_template_owned(*name, source).map_err(|e| template_error(templates, &e))?;
    }
    let policy = &office.org.register;
    let site = Site {
        enterprise: office.org.enterprise.value.clone(),
        office: office.org.office.name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
        as_of: as_of.to_string(),
        as_of_zh: crate::documents::zh_date(as_of),
        cols: Columns {
            age: policy.shows("age"),
            whereabouts: policy.shows("whereabouts"),
            mobile: policy.shows("mobile"),
            native_place: policy.shows("native_place"),
            area: policy.shows("address"),
        },
    };
    let site = ser(&site);
    let members = office.members_in_print_order();
    let rows: Vec<Row> = members.iter().map(|m| row(m, office, as_of)).collect();
    let render = |name: &str, ctx: minijinja::Value| -> Result<Vec<u8>, String> {
        let t = env.get_template(name).map_err(|e| template_error(templates, &e))?;
        t.render(ctx).map(String::into_bytes).map_err(|e| template_error(templates, &e))
    };
    let mut files = Vec::new();

    // The register itself.
    let mut groups = Vec::new();
    for b in &office.org.branches {
        for g in &b.groups {
            let key = format!("{}/{}", b.id.value, g.id.value);
            let count = rows.iter().filter(|r| r.group_key == key).count();
            groups.push(Choice { value: key, label: g.name.value.clone(), count, branch: b.id.value.clone() });
        }
    }
    let filters = context! {
        branches => ser(&choices(&rows, |r| (r.branch_id.as_str(), r.branch.as_str()), Order::AsMet)),
        groups => ser(&groups),
        statuses => ser(&choices(&rows, |r| (r.status.key, r.status.zh), Order::Fixed)),
        ages => ser(&AGE_BANDS.iter().filter_map(|(key, label, _, _)| {
            let count = rows.iter().filter(|r| r.age_band == *key).count();
            (count > 0).then(|| Choice { value: key.to_string(), label: label.to_string(), count, branch: String::new() })
        }).collect::<Vec<_>>()),
        natives => ser(&choices(&rows, |r| (r.native_province.as_str(), r.native_province.as_str()), Order::ByCount)),
        areas => ser(&choices(&rows, |r| (r.area.as_str(), r.area.as_str()), Order::ByCount)),
        visits => ser(&choices(&rows, |r| (r.visit.key, r.visit.zh), Order::Fixed)),
        cards => ser(&choices(&rows, |r| (r.card.key, r.card.zh), Order::Fixed)),
    };
    let totals = ser(&totals(&rows));
    files.push((
        "register/index.html".to_string(),
        render("index.html", context! { site => site.clone(), root => "", section => "register", rows => ser(&rows), filters, totals => totals.clone() })?,
    ));

    // Branches.
    let mut branch_list = Vec::new();
    for b in &office.org.branches {
        let own: Vec<&Row> = rows.iter().filter(|r| r.branch_id == b.id.value).collect();
        let committee: Vec<_> = b
            .committee
            .iter()
            .map(|c| {
                context! { name => c.name.value.clone(), role => c.role.value.clone(),
                mobile => phone_at(policy.level("committee_mobile"), &c.mobile) }
            })
            .collect();
        let groups: Vec<_> = b
            .groups
            .iter()
            .map(|g| {
                let key = format!("{}/{}", b.id.value, g.id.value);
                context! {
                    name => g.name.value.clone(),
                    leader => g.leader.as_ref().map(|l| l.value.clone()).unwrap_or_default(),
                    mobile => phone_at(policy.level("committee_mobile"), &g.mobile),
                    count => own.iter().filter(|r| r.group_key == key).count(),
                    key,
                }
            })
            .collect();
        let secretary = b.secretary().map(|s| s.name.value.clone()).unwrap_or_default();
        let t = ser(&totals_of(&own));
        branch_list.push(context! {
            id => b.id.value.clone(), name => b.name.value.clone(), secretary,
            phone => b.phone.as_ref().map(|p| p.value.clone()).unwrap_or_default(),
            groups => b.groups.len(), totals => t.clone(),
        });
        files.push((
            format!("register/branches/{}.html", b.id.value),
            render(
                "branch.html",
                context! {
                    site => site.clone(), root => "../", section => "branches",
                    branch => context! { id => b.id.value.clone(), name => b.name.value.clone(),
                        phone => b.phone.as_ref().map(|p| p.value.clone()).unwrap_or_default() },
                    committee, groups, rows => ser(&own), totals => t,
                },
            )?,
        ));
    }
    files.push((
        "register/branches.html".to_string(),
        render(
            "branches.html",
            context! { site => site.clone(), root => "", section => "branches", branches => branch_list },
        )?,
    ));

    // Members.
    for (m, r) in members.iter().zip(&rows) {
        let ctx = member_context(m, r, office, as_of);
        files.push((
            format!("register/members/{}.html", r.id),
            render("member.html", context! { site => site.clone(), root => "../", section => "register", ..ctx })?,
        ));
    }

    // Statistics.
    let charts = charts(office, &members, &rows, as_of);
    files.push((
        "register/stats.html".to_string(),
        render("stats.html", context! { site, root => "", section => "stats", charts => ser(&charts), totals })?,
    ));

    for name in ASSETS {
        let path = templates.join(name);
        let bytes = std::fs::read(&path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
        files.push((format!("register/assets/{name}"), bytes));
    }
    Ok(files)
}

fn ser<T: Serialize>(v: &T) -> Value {
    Value::from(minijinja::value::Serde(v))
}

fn template_error(dir: &Path, e: &minijinja::Error) -> String {
    let place = match (e.name(), e.line()) {
        (Some(n), Some(l)) => format!("{}:{l}", dir.join(n).display()),
        (Some(n), None) => dir.join(n).display().to_string(),
        _ => dir.display().to_string(),
    };
    format!("台帐模板出错（{place}）：{}", e.detail().unwrap_or(&e.to_string()))
}

#[derive(Serialize, Clone, Copy, Default)]
struct Totals {
    all: usize,
    home: usize,
    away: usize,
    out: usize,
    visits_owed: usize,
    visits_done: usize,
    visits_late: usize,
}

fn totals_of(rows: &[&Row]) -> Totals {
    let mut t = Totals { all: rows.len(), ..Totals::default() };
    for r in rows {
        match r.status.key {
            "home" => t.home += 1,
            "away" => t.away += 1,
            _ => t.out += 1,
        }
        match r.visit.key {
            "done" => t.visits_done += 1,
            "due" => t.visits_owed += 1,
            "overdue" => t.visits_late += 1,
            _ => {}
        }
    }
    t
}

fn totals(rows: &[Row]) -> Totals {
    totals_of(&rows.iter().collect::<Vec<_>>())
}

fn text(v: &Option<crate::yaml::Located<String>>) -> String {
    v.as_ref().map(|t| t.value.clone()).unwrap_or_default()
}

/// What a member page shows, field by field as the policy allows.
fn member_context(m: &Member, r: &Row, office: &Office, as_of: NaiveDate) -> minijinja::Value {
    let policy = &office.org.register;
    let mut fields = vec![Field { label: "性别", value: m.sex.value.zh().into() }];
    if let Some(age) = r.age {
        fields.push(Field { label: "年龄", value: format!("{age} 岁") });
    }
    fields.push(Field { label: "所在党支部", value: r.branch.clone() });
    fields.push(Field { label: "所在党小组", value: r.group.clone() });
    if policy.shows("native_place") {
        fields.push(Field { label: "籍贯", value: r.native_place.clone() });
    }
    match policy.level("address") {
        Level::Hidden => {}
        Level::Full => fields.push(Field { label: "家庭住址", value: m.address.value.clone() }),
        _ => fields.push(Field { label: "住址区域", value: r.area.clone() }),
    }
    fields.push(Field { label: "状态", value: r.status.zh.into() });
    if !r.whereabouts.is_empty() {
        fields.push(Field { label: "去向", value: r.whereabouts.clone() });
    }
    if !r.mobile.is_empty() {
        fields.push(Field { label: "手机", value: r.mobile.clone() });
    }
    let home_phone = phone_at(policy.level("home_phone"), &m.home_phone);
    if !home_phone.is_empty() {
        fields.push(Field { label: "住宅电话", value: home_phone });
    }
    let id = id_number_shown(policy, &m.id_number.value);
    if !id.is_empty() {
        fields.push(Field { label: "公民身份号码", value: id });
    }
    if policy.shows("health")
        && let Some(h) = &m.health
    {
        let v = crate::documents::join_nonempty(&[text(&h.status), text(&h.notes)], "；");
        fields.push(Field { label: "健康状况", value: v });
    }
    if policy.shows("hardship")
        && let Some(h) = &m.hardship
    {
        let v = crate::documents::join_nonempty(&[text(&h.level), text(&h.notes)], "；");
        fields.push(Field { label: "生活困难", value: v });
    }
    if policy.shows("family") && !m.family_contacts.is_empty() {
        let v = m
            .family_contacts
            .iter()
            .map(|c| {
                let phone = phone_at(policy.level("family"), &c.phone);
                crate::documents::join_nonempty(&[c.name.value.clone(), text(&c.relation), phone], " ")
            })
            .collect::<Vec<_>>()
            .join("；");
        fields.push(Field { label: "家属联系人", value: v });
    }
    fields.push(Field { label: "联系卡", value: r.card.zh.into() });
    fields.push(Field { label: "走访", value: r.visit.zh.into() });

    let mut departures: Vec<_> = m.departures.iter().filter(|d| d.start.value <= as_of).collect();
    departures.sort_by_key(|d| std::cmp::Reverse(d.start.value));
    let departures: Vec<DepartureView> = departures
        .into_iter()
        .map(|d| {
            let end = match (&d.returned, &d.planned_end) {
                (Some(r), _) if r.value <= as_of => format!("{} 返回", r.value),
                (_, Some(p)) => format!("预计 {}", p.value),
                _ => "未定".into(),
            };
            let card = match (&d.card_issued, &d.card_returned) {
                (Some(i), Some(r)) if r.value <= as_of => format!("{} 发，{} 交回", i.value, r.value),
                (Some(i), _) => format!("{} 发", i.value),
                _ => String::new(),
            };
            DepartureView {
                start: d.start.value.to_string(),
                end,
                destination: destination_shown(policy, d),
                decision: decide(d, &office.org.rules).decision.zh(),
                card,
                filed: d.filed.as_ref().map(|f| f.value.to_string()).unwrap_or_default(),
            }
        })
        .collect();

    let notes = policy.level("visit_notes");
    let answer = |v: &Option<crate::yaml::Located<String>>| match notes {
        Level::Hidden => String::new(),
        Level::Full => text(v),
        _ => summary(&text(v), 40),
    };
    let mut visits: Vec<_> = m.visits.iter().filter(|v| v.date.value <= as_of).collect();
    visits.sort_by_key(|v| std::cmp::Reverse(v.date.value));
    let visits: Vec<VisitView> = visits
        .into_iter()
        .map(|v| VisitView {
            date: v.date.value.to_string(),
            kind: v.kind.value.clone(),
            by: text(&v.by),
            difficulties: answer(&v.difficulties),
            suggestions: answer(&v.suggestions),
            plans: answer(&v.plans),
        })
        .collect();
    let needs: Vec<_> =
        visible_needs(m, as_of, office).into_iter().map(|(state, why)| context! { state => state.zh(), why }).collect();
    context! { member => ser(r), fields => ser(&fields), departures => ser(&departures), visits => ser(&visits), needs, notes_shown => notes > Level::Hidden, notes_summary => notes == Level::Partial }
}

/// The statistics page's charts.
fn charts(office: &Office, members: &[&Member], rows: &[Row], as_of: NaiveDate) -> Vec<Chart> {
    let people = &[("n", "人数")];
    let mut charts = Vec::new();
    let by_branch = office
        .org
        .branches
        .iter()
        .map(|b| (b.name.value.clone(), vec![rows.iter().filter(|r| r.branch_id == b.id.value).count() as u32]))
        .collect();
    charts.push(bar_chart("branches", "各支部党员人数", people, by_branch));
    if office.org.register.shows("age") {
        let ages = AGE_BANDS
            .iter()
            .map(|(k, label, _, _)| (label.to_string(), vec![rows.iter().filter(|r| r.age_band == *k).count() as u32]))
            .collect();
        charts.push(bar_chart("ages", "年龄分布", people, ages));
    }
    let statuses = [Whereabouts::AtHome, Whereabouts::Away, Whereabouts::TransferredOut]
        .iter()
        .map(|w| (w.zh().to_string(), vec![members.iter().filter(|m| whereabouts(m, as_of) == *w).count() as u32]))
        .collect();
    charts.push(bar_chart("statuses", "在家与外出", people, statuses));
    if office.org.register.shows("whereabouts") {
        let mut provinces: BTreeMap<String, u32> = BTreeMap::new();
        for m in members {
            if whereabouts(m, as_of) == Whereabouts::AtHome {
                continue;
            }
            if let Some(d) = current_departure(m, as_of) {
                let p = d.destination.province.as_ref().map(|p| p.value.clone()).unwrap_or_default();
                let p = province_of(&p).map_or(p.clone(), |_| p);
                *provinces.entry(if p.is_empty() { "未填写".into() } else { p }).or_default() += 1;
            }
        }
        let mut v: Vec<(String, Vec<u32>)> = provinces.into_iter().map(|(p, n)| (p, vec![n])).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        charts.push(bar_chart("provinces", "外出党员去向（按省份）", people, v));
    }
    let states = [("done", "已完成"), ("due", "待走访"), ("overdue", "逾期"), ("remote", "电话书信联系")];
    let visits = office
        .org
        .branches
        .iter()
        .map(|b| {
            let own: Vec<&Row> = rows.iter().filter(|r| r.branch_id == b.id.value).collect();
            (
                b.name.value.clone(),
                states.iter().map(|(k, _)| own.iter().filter(|r| r.visit.key == *k).count() as u32).collect(),
            )
        })
        .collect();
    charts.push(bar_chart("visits", "本期走访完成情况（按支部）", &states, visits));
    charts
}
