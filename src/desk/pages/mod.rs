//! The desk's pages: minijinja templates (auto-escaped) over views made
//! here from the data folder as it is at each request.
//!
//! The member's page and its forms: [`member`]; 新增党员: [`new_member`];
//! a change shown before it is made (a new member's file too):
//! [`preview`]; the office's own pages (log, printing, the branches' dues,
//! backup): [`office`].

mod member;
mod new_member;
mod office;
mod preview;

use std::path::PathBuf;
use std::sync::Arc;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, context};
use serde::Serialize;

use super::Desk;
use super::forms::FieldSpec;
use super::http::Answer;
use crate::office::Office;

pub use member::MemberPage;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_template_renders() {
        Pages::new().unwrap();
    }
}
