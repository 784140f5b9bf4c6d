//! The desk's pages: minijinja templates (auto-escaped) over views made
//! here from the data folder as it is at each request.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, context};
use serde::Serialize;

use super::Desk;
use super::forms::{FieldSpec, Filled, Record};
use super::http::Answer;
use crate::office::{Member, Office, Word};

const TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "member.html",
    "preview.html",
    "new.html",
    "fields.html",
    "log.html",
    "message.html",
    "backup.html",
    "papers.html",
    "print.html",
    "branch_dues.html",
];

/// The most members the list shows before a search narrows it.
const LIST_MAX: usize = 300;

pub struct Pages {
    env: Environment<'static>,
    pub css: Vec<u8>,
}

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

#[derive(Serialize)]
struct Row {
    id: String,
    name: String,
    branch: String,
    group: String,
    age: String,
    whereabouts: &'static str,
}

#[derive(Serialize)]
struct Form {
    path: &'static str,
    title: String,
    fields: Vec<FormField>,
    open: bool,
}

/// A field as the page shows it: what it is, what was typed, what is wrong.
#[derive(Serialize)]
struct FormField {
    #[serde(flatten)]
    spec: FieldSpec,
    value: String,
    error: String,
}

#[derive(Serialize)]
struct DiffLine {
    sign: &'static str,
    number: usize,
    text: String,
}

impl Pages {
    pub fn new() -> Result<Self, String> {
        let templates = crate::assets::Templates::builtin_only();
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        for name in TEMPLATES {
            let bytes = templates.read(&format!("html/desk/{name}"))?;
            let source = String::from_utf8(bytes.into_owned()).map_err(|_| format!("模板 {name} 不是 UTF-8"))?;
            env.add_template_owned(*name, source).map_err(|e| format!("模板 {name}：{e}"))?;
        }
        let css = templates.read("html/desk/desk.css")?.into_owned();
        Ok(Self { env, css })
    }

    fn render(&self, name: &str, status: u16, ctx: minijinja::Value) -> Answer {
        match self.env.get_template(name).and_then(|t| t.render(ctx)) {
            Ok(html) => Answer::html(status, html),
            Err(e) => Answer::html(
                500,
                format!("<!DOCTYPE html><meta charset=utf-8><p>页面出错：{}</p>", escape(&e.to_string())),
            ),
        }
    }

    fn load(&self, desk: &Desk) -> (Option<Arc<Office>>, usize) {
        desk.loaded()
    }

    fn site(&self, desk: &Desk, office: Option<&Office>) -> minijinja::Value {
        let enterprise = match office {
            Some(o) => o.org.enterprise.value.clone(),
            None => self.office(desk).map(|o| o.org.enterprise.value.clone()).unwrap_or_default(),
        };
        context! {
            enterprise,
            token => desk.token.clone(),
            today => crate::documents::zh_date(desk.today()),
            data => desk.data.display().to_string(),
        }
    }

    /// The office as the data folder holds it now.
    pub fn office(&self, desk: &Desk) -> Option<Arc<Office>> {
        self.load(desk).0
    }

    /// A member by id among those loaded: their name and file.
    pub fn find(&self, desk: &Desk, id: &str) -> Option<(String, PathBuf)> {
        let (office, _) = self.load(desk);
        office?.members.iter().find(|m| m.id.value == id).map(|m| (m.name.value.clone(), m.file.clone()))
    }

    pub fn index(&self, desk: &Desk, q: &str) -> Answer {
        let (office, errors) = self.load(desk);
        let Some(office) = office else {
            return self.message(desk, 500, "数据读不出来", "org.yaml 有错误；请运行 tuiguan check 查看并改正。");
        };
        let facts = crate::facts::Facts::derive(&office, desk.today());
        let q = q.trim();
        // A search finds those off the books too (a death recorded by mistake is corrected there).
        let people = if q.is_empty() { facts.in_print_order() } else { facts.everyone_in_print_order() };
        let matching: Vec<Row> = people
            .into_iter()
            .filter(|f| q.is_empty() || f.member.name.value.contains(q) || f.member.id.value == q)
            .map(|f| {
                let (branch, group) = office.branch_and_group_names(f.member);
                Row {
                    id: f.member.id.value.clone(),
                    name: f.member.name.value.clone(),
                    branch,
                    group,
                    age: f.age.map(|a| a.to_string()).unwrap_or_default(),
                    whereabouts: f.situation.zh(),
                }
            })
            .collect();
        let total = matching.len();
        let rows: Vec<Row> = matching.into_iter().take(LIST_MAX).collect();
        self.render(
            "index.html",
            200,
            context! { site => self.site(desk, Some(&office)), rows => ser(&rows), total, q, errors, list_max => LIST_MAX },
        )
    }

    pub fn member(&self, desk: &Desk, id: &str, page: MemberPage) -> Answer {
        self.member_with(desk, id, page, 200)
    }

    pub fn member_with(&self, desk: &Desk, id: &str, page: MemberPage, status: u16) -> Answer {
        let (office, _) = self.load(desk);
        let Some(office) = office else { return self.not_found(desk) };
        let Some(m) = office.members.iter().find(|m| m.id.value == id) else { return self.not_found(desk) };
        let facts = crate::facts::Facts::derive(&office, desk.today());
        let f = facts.of(m);
        let forms: Vec<Form> = [
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
        ]
        .into_iter()
        // Off the books: only the 党籍 itself can change (a mistake corrected).
        .filter(|r| !f.standing.off_books() || *r == Record::Status)
        .map(|r| {
            let open = page.record == Some(r);
            let mut values = if open { page.filled.clone() } else { Filled::new() };
            if r == Record::Basic && !open {
                let text = std::fs::read_to_string(&m.file).unwrap_or_default();
                values = super::member_form::basic_values(&m.file, &text);
            }
            if !matches!(r, Record::Departure | Record::Status | Record::Family | Record::Basic) {
                values.entry("date".into()).or_insert_with(|| desk.today().to_string());
            }
            if matches!(r, Record::Arrive | Record::Return) {
                // The departure under way, else the latest.
                let current =
                    f.departures.iter().filter(|d| d.away).map(|d| d.departure).next_back().or(m.departures.last());
                if let Some(d) = current {
                    values.entry("departure".into()).or_insert_with(|| d.id.value.clone());
                }
            }
            if r == Record::Dues {
                values.entry("paid".into()).or_insert_with(|| desk.today().to_string());
                let month = desk.today();
                values.entry("months".into()).or_insert_with(|| {
                    format!("{}-{:02}", chrono::Datelike::year(&month), chrono::Datelike::month(&month))
                });
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
        })
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

    #[allow(clippy::too_many_arguments)]
    pub fn preview(
        &self,
        desk: &Desk,
        id: &str,
        member: &str,
        record: Record,
        filled: &Filled,
        what: &str,
        before: &str,
        after: &str,
        shown: &str,
    ) -> Answer {
        let file = self.find(desk, id).map(|(_, f)| f.strip_prefix(&desk.data).unwrap_or(&f).display().to_string());
        self.render(
            "preview.html",
            200,
            context! {
                site => self.site(desk, None),
                id, member, what,
                title => record.title(),
                action => format!("/m/{id}/{}", record.path()),
                file,
                lines => ser(&diff(before, after)),
                filled => ser(filled),
                shown,
            },
        )
    }

    /// 新增党员: the form, as filled, with what is wrong at its fields.
    pub fn new_member(
        &self,
        desk: &Desk,
        filled: &Filled,
        errors: &BTreeMap<String, String>,
        problem: Option<String>,
        status: u16,
    ) -> Answer {
        let Some(office) = self.office(desk) else { return self.not_found(desk) };
        let mut values = filled.clone();
        values.entry("ethnicity".into()).or_insert_with(|| "汉族".into());
        let fields: Vec<FormField> = super::member_form::new_member_fields(&office)
            .into_iter()
            .map(|spec| FormField {
                value: values.get(spec.key).cloned().unwrap_or_default(),
                error: errors.get(spec.key).cloned().unwrap_or_default(),
                spec,
            })
            .collect();
        let form = Form { path: "new", title: "新增党员".into(), fields, open: true };
        let to_fix = to_fix(std::slice::from_ref(&form));
        self.render(
            "new.html",
            status,
            context! { site => self.site(desk, Some(&office)), f => ser(&form), problem, to_fix => ser(&to_fix) },
        )
    }

    /// 新增党员, before saving: the file as it will be written.
    pub fn new_member_preview(&self, desk: &Desk, new: &super::member_form::NewMember, filled: &Filled) -> Answer {
        self.render(
            "preview.html",
            200,
            context! {
                site => self.site(desk, None),
                id => new.id.clone(), member => new.name.clone(), what => new.what.clone(),
                title => "新增党员",
                action => "/new",
                new => true,
                file => new.file.strip_prefix(&desk.data).unwrap_or(&new.file).display().to_string(),
                lines => ser(&diff("", &new.text)),
                filled => ser(filled),
                shown => "",
            },
        )
    }

    pub fn log(&self, desk: &Desk, undone: Option<&str>) -> Answer {
        let entries = desk.log.entries();
        let latest = entries.iter().find(|e| !e.undone).map(|e| e.number);
        // A branch's month of dues is recorded under the branch.
        let branches: Vec<String> =
            self.office(desk).map(|o| o.org.branches.iter().map(|b| b.id.value.clone()).collect()).unwrap_or_default();
        self.render(
            "log.html",
            200,
            context! { site => self.site(desk, None), entries => ser(&entries), latest, undone, branches },
        )
    }

    /// The papers just printed for a member, each a link to the browser's viewer.
    pub fn papers(&self, desk: &Desk, id: &str, papers: &[(String, String, PathBuf)]) -> Answer {
        let member = self.find(desk, id).map(|(n, _)| n).unwrap_or_default();
        let list: Vec<_> = papers
            .iter()
            .map(|(label, name, path)| {
                context! { label, name, file => path.strip_prefix(&desk.out).unwrap_or(path).display().to_string() }
            })
            .collect();
        let out = desk.out.display().to_string();
        self.render("papers.html", 200, context! { site => self.site(desk, None), id, member, papers => list, out })
    }

    /// 打印: the office's papers, each a form of its own.
    pub fn print_panel(&self, desk: &Desk) -> Answer {
        let Some(office) = self.office(desk) else { return self.not_found(desk) };
        let today = desk.today();
        let list = office.holidays();
        let next = crate::rules::holidays::next_after(&list, today);
        let holidays: Vec<_> =
            list.iter().map(|h| context! { name => h.name.clone(), full => h.full_name.clone() }).collect();
        let (next_name, next_year) =
            next.map(|(h, d)| (h.name.clone(), chrono::Datelike::year(&d))).unwrap_or_default();
        let quarter = crate::rules::period::Period::quarter_of(today).key;
        self.render(
            "print.html",
            200,
            context! { site => self.site(desk, Some(&office)), holidays, next_name, next_year, quarter, done => false },
        )
    }

    /// What a print run made, each a link to the browser's viewer.
    pub fn printed(&self, desk: &Desk, title: &str, papers: &[(usize, String, PathBuf)]) -> Answer {
        let list: Vec<_> = papers
            .iter()
            .map(|(i, label, path)| {
                context! { i, label, file => path.strip_prefix(&desk.out).unwrap_or(path).display().to_string() }
            })
            .collect();
        let out = desk.out.display().to_string();
        self.render(
            "print.html",
            200,
            context! { site => self.site(desk, None), title, papers => list, out, done => true },
        )
    }

    /// 交党费（支部）: the branches, each a link to its month's sheet.
    pub fn branches(&self, desk: &Desk) -> Answer {
        let Some(office) = self.office(desk) else { return self.not_found(desk) };
        let branches: Vec<_> = office
            .org
            .branches
            .iter()
            .map(|b| context! { id => b.id.value.clone(), name => b.name.value.clone() })
            .collect();
        let month = desk.today().format("%Y-%m").to_string();
        self.render(
            "branch_dues.html",
            200,
            context! { site => self.site(desk, Some(&office)), branches, month, sheet => false },
        )
    }

    /// One branch's month: who pays what, who has paid.
    pub fn branch_dues(
        &self,
        desk: &Desk,
        branch: &str,
        name: &str,
        month: &str,
        lines: &[super::branch_dues::Line],
        saved: Option<&str>,
    ) -> Answer {
        let paid = desk.today().to_string();
        self.render(
            "branch_dues.html",
            200,
            context! { site => self.site(desk, None), branch, name, month, lines => ser(&lines), paid, saved, sheet => true },
        )
    }

    /// 备份: when the data folder was last backed up, and a button; `made`:
    /// the archive just written.
    pub fn backup(&self, desk: &Desk, made: Option<&str>) -> Answer {
        let last = crate::backup::last_backup(&desk.data).map(crate::documents::zh_date);
        let place = crate::output::parent_of(&desk.data).join("退管数据备份").display().to_string();
        self.render("backup.html", 200, context! { site => self.site(desk, None), last, place, made })
    }

    pub fn message(&self, desk: &Desk, status: u16, title: &str, text: &str) -> Answer {
        self.render("message.html", status, context! { site => self.site(desk, None), title, text })
    }

    pub fn not_found(&self, desk: &Desk) -> Answer {
        self.message(desk, 404, "没有这个页面", "没有这个页面或这位党员；请从党员名单进入。")
    }
}

fn ser<T: Serialize>(v: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(v))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
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

/// The member file's lines around the change: two unchanged lines each
/// side, the lines removed and the lines added, numbered as in the file.
/// The fields to put right, in the forms' order: (anchor, label, what).
fn to_fix(forms: &[Form]) -> Vec<(String, &'static str, String)> {
    forms
        .iter()
        .flat_map(|f| {
            f.fields
                .iter()
                .filter(|x| !x.error.is_empty())
                .map(move |x| (format!("{}-{}", f.path, x.spec.key), x.spec.label, x.error.clone()))
        })
        .collect()
}

/// The lines that change, each with its number (in the file before for a
/// line taken out, after for one added), and two unchanged lines around
/// each change; a gap between changes is a line of "…".
fn diff(before: &str, after: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    let d = TextDiff::configure().algorithm(similar::Algorithm::Myers).diff_lines(before, after);
    let mut out = Vec::new();
    for (g, group) in d.grouped_ops(2).iter().enumerate() {
        if g > 0 {
            out.push(DiffLine { sign: " ", number: 0, text: "……".into() });
        }
        for op in group {
            for change in d.iter_changes(op) {
                let (sign, number) = match change.tag() {
                    ChangeTag::Equal => (" ", change.new_index()),
                    ChangeTag::Delete => ("-", change.old_index()),
                    ChangeTag::Insert => ("+", change.new_index()),
                };
                let text = change.value().trim_end_matches(['\n', '\r']).to_string();
                out.push(DiffLine { sign, number: number.map_or(0, |n| n + 1), text });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_diff_shows_the_added_lines_with_their_numbers_and_two_lines_around() {
        let d = diff("a\nb\nc\nd\n", "a\nb\nc\nx\ny\nd\n");
        let shown: Vec<String> = d.iter().map(|l| format!("{}{} {}", l.sign, l.number, l.text)).collect();
        assert_eq!(shown, vec![" 2 b", " 3 c", "+4 x", "+5 y", " 6 d"]);
    }

    #[test]
    fn two_changes_far_apart_are_two_small_hunks_not_the_file_between() {
        let before: String = (1..=40).map(|i| format!("line {i}\n")).collect();
        let after = before.replace("line 3\n", "line three\n").replace("line 38\n", "line thirty-eight\n");
        let d = diff(&before, &after);
        let changed: Vec<String> =
            d.iter().filter(|l| l.sign != " ").map(|l| format!("{}{} {}", l.sign, l.number, l.text)).collect();
        assert_eq!(changed, ["-3 line 3", "+3 line three", "-38 line 38", "+38 line thirty-eight"]);
        assert!(d.len() < 15, "{}", d.len());
    }

    #[test]
    fn every_page_template_renders() {
        Pages::new().unwrap();
    }
}
