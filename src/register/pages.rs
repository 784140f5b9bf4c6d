//! Render the register's pages with minijinja and list the site's files:
//! the index with its filters, the branch pages, every member page (see
//! [`super::member_page`]), the statistics (see [`super::stats`]) and assets.

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value, context};
use serde::Serialize;

use super::data::{COLUMNS, register_data, shown_by_default};
use super::member_page::member_context;
use super::stats::charts;
use super::totals::{totals, totals_of};
use super::view::{AGE_BANDS, Row, TAG_ORDER, phone_at, row};
use std::rc::Rc;

use crate::assets::Templates;
use crate::facts::{Facts, MemberFacts};
use crate::outputs::{Page, Reads};

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

/// The register's templates, ready to render; errors say which template,
/// where, and what is wrong.
struct Html<'f> {
    env: Environment<'static>,
    templates: &'f Templates,
}

impl<'f> Html<'f> {
    fn new(templates: &'f Templates) -> Result<Self, String> {
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
        Ok(Self { env, templates })
    }

    fn render(&self, name: &str, ctx: Value) -> Result<Vec<u8>, String> {
        let t = self.env.get_template(name).map_err(|e| template_error(self.templates, &e))?;
        t.render(ctx).map(String::into_bytes).map_err(|e| template_error(self.templates, &e))
    }

    /// A page of template `name`, rendered when it is written.
    fn page(
        self: &Rc<Self>,
        path: impl Into<String>,
        name: &'static str,
        ctx: impl FnOnce() -> Value + 'f,
    ) -> Page<'f> {
        let html = self.clone();
        Page::new(path, Box::new(move |w| w.write_all(&html.render(name, ctx())?).map_err(|e| e.to_string())))
    }
}

/// What every page shows of the site, as the templates get it.
fn site(facts: &Facts) -> Site {
    let (office, as_of) = (facts.office, facts.as_of);
    let policy = &office.org.register;
    Site {
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
    }
}

/// The register's files, relative to out/: `register/index.html` and the
/// rest, each made when it is written. A member's page reads that member's
/// file alone, a branch's page its members'. Err: a template could not be
/// read (the message says which and why).
pub fn build<'f>(facts: &'f Facts<'f>, templates: &'f Templates) -> Result<Vec<Page<'f>>, String> {
    let office = facts.office;
    let html = Rc::new(Html::new(templates)?);
    let site = site(facts);
    let index_columns = columns(&site.cols, true);
    // A branch page is the branch's own: no branch column.
    let branch_columns: Vec<Column> = columns(&site.cols, false).into_iter().filter(|c| c.key != "branch").collect();
    let (branch_columns, site) = (ser(&branch_columns), ser(&site));
    let members = facts.in_print_order();
    let rows: Rc<Vec<Row>> = Rc::new(members.iter().map(|f| row(f, office)).collect());
    let mut pages = Vec::with_capacity(rows.len() + office.org.branches.len() + TEMPLATES.len() + ASSETS.len());
    let archived = facts.archive().len();
    let archive_page = office.org.register.shows("archive") && archived > 0;
    let totals = {
        let mut totals = totals(&rows);
        (totals.archived, totals.archive_page) = (archived, archive_page);
        ser(&totals)
    };
    pages.push(index(&html, facts, &rows, index_columns, site.clone(), totals.clone()));
    pages.extend(branches(&html, facts, &members, &rows, &site, &branch_columns));
    let charts = ser(&charts(office, &members, &rows));
    drop(rows);
    let ctx = context! { site => site.clone(), root => "", section => "stats", charts, totals };
    pages.push(html.page("register/stats.html", "stats.html", move || ctx));
    // Members who died or left: apart from every list, on a page of their own.
    if archive_page {
        let site = site.clone();
        pages.push(html.page("register/archive.html", "archive.html", move || {
            context! { site, root => "", section => "archive", rows => ser(&archive_rows(facts)) }
        }));
    }
    let away_site = site.clone();
    pages.push(html.page("register/away.html", "away.html", move || {
        context! { site => away_site, root => "", section => "away", away => ser(&super::away::away_list(facts)) }
    }));
    // Members: each page from the member's own file and what all share,
    // its row made again when it is: held for every member while their
    // pages are made, at 20,000 members the rows would be about 15 MB.
    for f in members {
        let site = site.clone();
        let mut page = html.page(format!("register/members/{}.html", f.member.id.value), "member.html", move || {
            let ctx = member_context(f, &row(f, office), office, facts.as_of);
            context! { site, root => "../", section => "register", ..ctx }
        });
        page.reads = Reads::Member(f.member);
        pages.push(page);
    }
    for name in ASSETS {
        pages.push(Page::bytes(
            format!("register/assets/{name}"),
            templates.read(&format!("html/{name}"))?.into_owned(),
        ));
    }
    Ok(pages)
}

/// The register's own page: every member, with the filters. The page is
/// rendered with a mark where its data goes, and the data written between
/// its pieces as they go out: at 20,000 members the data is 5 MB, and
/// passed to the template, then in the page made of it, it would be held
/// twice more.
fn index<'f>(
    html: &Rc<Html<'f>>,
    facts: &'f Facts<'f>,
    rows: &Rc<Vec<Row>>,
    columns: Vec<Column>,
    site: Value,
    totals: Value,
) -> Page<'f> {
    let (html, rows) = (html.clone(), rows.clone());
    Page::new(
        "register/index.html",
        Box::new(move |w| {
            let page = html.render(
                "index.html",
                context! {
                    site, root => "", section => "register",
                    rows => ser(&&rows[..rows.len().min(STATIC_ROWS)]),
                    columns => ser(&columns),
                    data => DATA_MARK,
                    filters => filters(facts, &rows), totals,
                },
            )?;
            let keys: Vec<&str> = columns.iter().map(|c| c.key).collect();
            for (i, piece) in around(&page, DATA_MARK.as_bytes()).into_iter().enumerate() {
                if i > 0 {
                    register_data(&rows, &keys, facts.as_of, &mut &mut *w);
                }
                w.write_all(piece).map_err(|e| e.to_string())?;
            }
            Ok(())
        }),
    )
}

/// The index's filter choices, each with how many members it selects.
fn filters(facts: &Facts, rows: &[Row]) -> Value {
    let mut groups = Vec::new();
    for b in &facts.office.org.branches {
        for g in &b.groups {
            let key = format!("{}/{}", b.id.value, g.id.value);
            let count = rows.iter().filter(|r| r.group_key == key).count();
            // Group names repeat across branches ("第1党小组"): the option names both.
            let label = format!("{}·{}", b.name.value, g.name.value);
            groups.push(Choice { value: key, label, count, branch: b.id.value.clone() });
        }
    }
    context! {
        branches => ser(&choices(rows, |r| (r.branch_id.as_str(), r.branch.as_str()), Order::AsMet)),
        groups => ser(&groups),
        statuses => ser(&choices(rows, |r| (r.status.key, r.status.zh), Order::Fixed)),
        ages => ser(&AGE_BANDS.iter().filter_map(|(key, label, _, _)| {
            let count = rows.iter().filter(|r| r.age_band == *key).count();
            (count > 0).then(|| Choice { value: key.to_string(), label: label.to_string(), count, branch: String::new() })
        }).collect::<Vec<_>>()),
        natives => ser(&choices(rows, |r| (r.native_province.as_str(), r.native_province.as_str()), Order::ByCount)),
        areas => ser(&choices(rows, |r| (r.area.as_str(), r.area.as_str()), Order::ByCount)),
        visits => ser(&choices(rows, |r| (r.visit.key, r.visit.zh), Order::Fixed)),
        cards => ser(&choices(rows, |r| (r.card.key, r.card.zh), Order::Fixed)),
    }
}

/// Each branch's page (made from its members' files and what all share),
/// and the list of branches.
fn branches<'f>(
    html: &Rc<Html<'f>>,
    facts: &'f Facts<'f>,
    members: &[&'f MemberFacts<'f>],
    rows: &Rc<Vec<Row>>,
    site: &Value,
    columns: &Value,
) -> Vec<Page<'f>> {
    let policy = &facts.office.org.register;
    let mut pages = Vec::new();
    let mut list = Vec::new();
    for b in &facts.office.org.branches {
        let own = || rows.iter().filter(|r| r.branch_id == b.id.value);
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
                    count => own().filter(|r| r.group_key == key).count(),
                    key,
                }
            })
            .collect();
        let secretary = b.secretary().map(|s| s.name.value.clone()).unwrap_or_default();
        let totals = ser(&totals_of(&own().collect::<Vec<_>>()));
        let phone = b.phone.as_ref().map(|p| p.value.clone()).unwrap_or_default();
        list.push(context! {
            id => b.id.value.clone(), name => b.name.value.clone(), secretary, phone => phone.clone(),
            groups => b.groups.len(), totals => totals.clone(),
        });
        let (rows, site, columns) = (rows.clone(), site.clone(), columns.clone());
        let mut page = html.page(format!("register/branches/{}.html", b.id.value), "branch.html", move || {
            let own: Vec<&Row> = rows.iter().filter(|r| r.branch_id == b.id.value).collect();
            context! {
                site, root => "../", section => "branches",
                branch => context! { id => b.id.value.clone(), name => b.name.value.clone(), phone },
                committee, groups, rows => ser(&own), totals, columns,
            }
        });
        page.reads = Reads::Members(
            members.iter().filter(|f| f.member.branch.value == b.id.value).map(|f| f.member).collect(),
            String::new(),
        );
        pages.push(page);
    }
    let site = site.clone();
    pages.push(html.page("register/branches.html", "branches.html", move || {
        context! { site, root => "", section => "branches", branches => list }
    }));
    pages
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
