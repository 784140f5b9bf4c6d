//! Render the register's pages with minijinja and list the site's files:
//! the index with its filters, the branch pages, every member page (see
//! [`super::member_page`]), the statistics (see [`super::stats`]) and assets.

use std::io::Write;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value, context};
use serde::Serialize;

use super::data::{COLUMNS, register_data, shown_by_default};
use super::member_page::member_context;
use super::stats::charts;
use super::totals::{totals, totals_of};
use super::view::{AGE_BANDS, Row, TAG_ORDER, phone_at, row};
use crate::assets::Templates;
use crate::batch::{Known, OtherFile};
use crate::deflated::Deflating;
use crate::facts::Facts;

const TEMPLATES: &[&str] = &[
    "base.html",
    "macros.html",
    "index.html",
    "branches.html",
    "branch.html",
    "member.html",
    "stats.html",
    "away.html",
    "archive.html",
];
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

/// A column of the member table.
#[derive(Serialize)]
struct Column {
    key: &'static str,
    label: &'static str,
    /// Shown until the reader chooses otherwise.
    shown: bool,
    sortable: bool,
}

/// The index page lists at most this many rows in its HTML, for a browser
/// without the script; the script draws every row from the page's data,
/// and each branch page lists all of its members.
const STATIC_ROWS: usize = 300;

/// The member table's columns the policy allows; `blank` adds the blank
/// column for signatures (the register's own list, not the branch pages).
fn columns(cols: &Columns, blank: bool) -> Vec<Column> {
    COLUMNS
        .iter()
        .filter(|(key, _)| match *key {
            "age" => cols.age,
            "whereabouts" => cols.whereabouts,
            "mobile" => cols.mobile,
            "native" => cols.native_place,
            "area" => cols.area,
            "sign" => blank,
            _ => true,
        })
        .map(|(key, label)| Column { key, label, shown: shown_by_default(key), sortable: *key != "sign" })
        .collect()
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

/// The register's files, relative to out/: `register/index.html` and the
/// rest. Err: a template could not be read or rendered (the message says
/// which, where, and what is wrong).
/// A member's page is made only when `known` does not hold it made from the
/// same inputs.
pub fn build(facts: &Facts, templates: &Templates, known: &Known) -> Result<Vec<OtherFile>, String> {
    let (office, as_of) = (facts.office, facts.as_of);
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for name in TEMPLATES {
        let path = format!("html/{name}");
        let bytes = templates.read(&path)?;
        let source = String::from_utf8(bytes.into_owned())
            .map_err(|_| format!("模板 {} 不是 UTF-8 编码的文本", templates.origin(&path)))?;
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
    let index_columns = columns(&site.cols, true);
    // A branch page is the branch's own: no branch column.
    let branch_columns: Vec<Column> = columns(&site.cols, false).into_iter().filter(|c| c.key != "branch").collect();
    let branch_columns = ser(&branch_columns);
    let site = ser(&site);
    let members = facts.in_print_order();
    let rows: Vec<Row> = members.iter().map(|f| row(f, office)).collect();
    let render = |name: &str, ctx: minijinja::Value| -> Result<Vec<u8>, String> {
        let t = env.get_template(name).map_err(|e| template_error(templates, &e))?;
        t.render(ctx).map(String::into_bytes).map_err(|e| template_error(templates, &e))
    };
    // Made at its length: grown by doubling, 20,000 members' pages held
    // room for 32,768 files, and both lists at once while it grew.
    let mut files = Vec::with_capacity(rows.len() + office.org.branches.len() + TEMPLATES.len() + ASSETS.len());

    // The register itself.
    let mut groups = Vec::new();
    for b in &office.org.branches {
        for g in &b.groups {
            let key = format!("{}/{}", b.id.value, g.id.value);
            let count = rows.iter().filter(|r| r.group_key == key).count();
            // Group names repeat across branches ("第1党小组"): the option names both.
            let label = format!("{}·{}", b.name.value, g.name.value);
            groups.push(Choice { value: key, label, count, branch: b.id.value.clone() });
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
    let mut totals = totals(&rows);
    let archive = archive_rows(facts);
    totals.archived = archive.len();
    totals.archive_page = policy.shows("archive") && !archive.is_empty();
    let totals = ser(&totals);
    // The page is made with a mark where its data goes, and deflated as
    // its pieces and the data between them are written: at 20,000 members
    // the data is 5 MB, and passed to the template, then in the page made
    // of it, then deflated, it would be three copies at once (23 MB of the
    // planning's peak); held whole beside its pieces, 7 MB.
    let page = render(
        "index.html",
        context! {
            site => site.clone(), root => "", section => "register",
            rows => ser(&&rows[..rows.len().min(STATIC_ROWS)]),
            columns => ser(&index_columns),
            data => DATA_MARK,
            filters, totals => totals.clone(),
        },
    )?;
    let keys: Vec<&str> = index_columns.iter().map(|c| c.key).collect();
    let mut index = Deflating::default();
    for (i, piece) in around(&page, DATA_MARK.as_bytes()).into_iter().enumerate() {
        if i > 0 {
            register_data(&rows, &keys, as_of, &mut index);
        }
        index.write_all(piece).expect("deflating into memory");
    }
    files.push(OtherFile::held("register/index.html", index.finish()));
    drop(page);

    // Branches.
    let (mut branch_list, mut branches_made) = (Vec::new(), 0);
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
        // Made from its members' files and what all pages share.
        let path = format!("register/branches/{}.html", b.id.value);
        let own_members = members.iter().zip(&rows).filter(|(_, r)| r.branch_id == b.id.value).map(|(f, _)| f.member);
        let inputs = known.inputs_of_all(own_members, "").map(|(_, page)| page);
        if let Some(kept) = inputs.as_deref().and_then(|i| known.kept(&path, i)) {
            files.push(kept);
            continue;
        }
        let bytes = render(
            "branch.html",
            context! {
                site => site.clone(), root => "../", section => "branches",
                branch => context! { id => b.id.value.clone(), name => b.name.value.clone(),
                    phone => b.phone.as_ref().map(|p| p.value.clone()).unwrap_or_default() },
                committee, groups, rows => ser(&own), totals => t, columns => branch_columns.clone(),
            },
        )?;
        branches_made += 1;
        files.push(match inputs {
            Some(inputs) => OtherFile::made_from(path, &inputs, bytes),
            None => OtherFile::new(path, bytes),
        });
    }
    files.push(OtherFile::new(
        "register/branches.html",
        render(
            "branches.html",
            context! { site => site.clone(), root => "", section => "branches", branches => branch_list },
        )?,
    ));

    // Statistics.
    let charts = charts(office, &members, &rows);
    files.push(OtherFile::new(
        "register/stats.html",
        render(
            "stats.html",
            context! { site => site.clone(), root => "", section => "stats", charts => ser(&charts), totals },
        )?,
    ));

    // Members who died or left: apart from every list, on a page of their own.
    if policy.shows("archive") && !archive.is_empty() {
        files.push(OtherFile::new(
            "register/archive.html",
            render(
                "archive.html",
                context! { site => site.clone(), root => "", section => "archive", rows => ser(&archive) },
            )?,
        ));
    }

    // Members away now.
    files.push(OtherFile::new(
        "register/away.html",
        render(
            "away.html",
            context! { site => site.clone(), root => "", section => "away", away => ser(&super::away::away_list(facts)) },
        )?,
    ));

    // Members: each page from the member's own file and what all share.
    // The rows are made again one at a time: held for every member while
    // their pages are made, at 20,000 members they would be about 15 MB of
    // the planning's peak.
    drop(rows);
    let mut made = 0;
    for f in &members {
        let path = format!("register/members/{}.html", f.member.id.value);
        let inputs = known.inputs_of(f.member);
        if let Some(kept) = inputs.as_deref().and_then(|i| known.kept(&path, i)) {
            files.push(kept);
            continue;
        }
        let ctx = member_context(f, &row(f, office), office, as_of);
        let bytes =
            render("member.html", context! { site => site.clone(), root => "../", section => "register", ..ctx })?;
        made += 1;
        files.push(match inputs {
            Some(inputs) => OtherFile::made_from(path, &inputs, bytes),
            None => OtherFile::new(path, bytes),
        });
    }
    let branches = office.org.branches.len();
    crate::timing::mark(&format!(
        "register: {made} of {} member pages made, {branches_made} of {branches} branch pages",
        members.len()
    ));

    for name in ASSETS {
        let bytes = templates.read(&format!("html/{name}"))?;
        files.push(OtherFile::new(format!("register/assets/{name}"), bytes.into_owned()));
    }
    Ok(files)
}

/// Where the index page's data goes: written by the template unescaped
/// (`{{ data | safe }}`), and never in member text, whose `<` the page
/// escapes, nor in the data, which escapes it too.
const DATA_MARK: &str = "<!--tuiguan:register-data-->";

/// The pieces of `page` around each `mark`: the fill goes between them.
fn around<'a>(page: &'a [u8], mark: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.windows(mark.len()).position(|w| w == mark) {
        pieces.push(&rest[..at]);
        rest = &rest[at + mark.len()..];
    }
    pieces.push(rest);
    pieces
}

pub(super) fn ser<T: Serialize>(v: &T) -> Value {
    Value::from(minijinja::value::Serde(v))
}

fn template_error(templates: &Templates, e: &minijinja::Error) -> String {
    let place = match (e.name(), e.line()) {
        (Some(n), Some(l)) => format!("{}:{l}", templates.origin(&format!("html/{n}"))),
        (Some(n), None) => templates.origin(&format!("html/{n}")),
        _ => "台帐模板".to_string(),
    };
    format!("台帐模板出错（{place}）：{}", e.detail().unwrap_or(&e.to_string()))
}

/// One member off the books, as the archive shows them: no more than who,
/// which branch, what and when (and where a relationship went).
#[derive(Serialize)]
struct ArchiveRow {
    name: String,
    branch: String,
    what: &'static str,
    date: String,
    to: String,
}

fn archive_rows(facts: &Facts) -> Vec<ArchiveRow> {
    facts
        .archive()
        .into_iter()
        .map(|f| {
            let m = f.member;
            let status = m.status.as_ref();
            ArchiveRow {
                name: m.name.value.clone(),
                branch: facts.office.branch_and_group_names(m).0,
                what: f.standing.zh(),
                date: status.map(|s| crate::documents::zh_date(s.date.value)).unwrap_or_default(),
                to: status.and_then(|s| s.to.as_ref()).map(|t| t.value.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_goes_wherever_the_template_put_its_mark() {
        let joined = |page: &str| around(page.as_bytes(), DATA_MARK.as_bytes()).join(&b"{}"[..]);
        let page = format!("<script>{DATA_MARK}</script>");
        assert_eq!(joined(&page), b"<script>{}</script>");
        assert_eq!(joined(&format!("{DATA_MARK}{DATA_MARK}")), b"{}{}");
        assert_eq!(joined("<p>no data</p>"), b"<p>no data</p>");
        // Escaped, member text cannot be the mark.
        assert_eq!(joined("&lt;!--tuiguan:register-data--&gt;"), b"&lt;!--tuiguan:register-data--&gt;");
    }
}
