//! The desk's requests: who may ask (Host, Origin, token), which page
//! answers, and the headers every answer carries.
//!
//! A record's form and 新增党员 sent: [`save`], with what a record changes
//! beyond an item added: [`changes`]; a member's papers: [`papers`].

mod changes;
mod papers;
mod save;

use std::io::Read;

use tiny_http::{Header, Method, Request, Response};

use super::Desk;
use super::forms::{Filled, Record};
use super::pages::MemberPage;

use papers::{departure_papers, member_pdf, print, printed_file};
use save::{new_member, record_form};

/// The most a form may send: a visit's 三问 are a few hundred characters.
const BODY_MAX: u64 = 1 << 20;

/// An answer: status, content type, body, and where to go next (303).
pub struct Answer {
    status: u16,
    kind: &'static str,
    body: Vec<u8>,
    location: Option<String>,
}

impl Answer {
    pub fn html(status: u16, body: String) -> Self {
        Self { status, kind: "text/html; charset=utf-8", body: body.into_bytes(), location: None }
    }

    pub(super) fn see(location: String) -> Self {
        Self { status: 303, kind: "text/plain; charset=utf-8", body: Vec::new(), location: Some(location) }
    }

    fn plain(status: u16, text: &str) -> Self {
        Self { status, kind: "text/plain; charset=utf-8", body: text.as_bytes().to_vec(), location: None }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

/// Answer one request, with the headers every answer carries.
pub fn answer(desk: &Desk, mut request: Request) {
    let a = respond(desk, &mut request);
    let mut response = Response::from_data(a.body).with_status_code(a.status);
    for (name, value) in [
        ("Content-Type", a.kind),
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cache-Control", "no-store"),
    ] {
        response.add_header(header(name, value));
    }
    if let Some(location) = &a.location {
        response.add_header(header("Location", location));
    }
    let _ = request.respond(response);
}

fn header_of<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
    request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str())
}

/// `%xx` and `+` decoded pairs of a query or a form body.
fn pairs(text: &str) -> Filled {
    form_urlencoded::parse(text.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn respond(desk: &Desk, request: &mut Request) -> Answer {
    // Only a page of this desk's own address: not a name some other site
    // made point here (DNS rebinding).
    let host = header_of(request, "Host").unwrap_or("");
    let ours = [format!("127.0.0.1:{}", desk.port), format!("localhost:{}", desk.port)];
    if !ours.iter().any(|h| h == host) {
        return Answer::plain(421, "只接受本机地址 127.0.0.1 的访问。");
    }
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let query = pairs(query);
    let parts: Vec<&str> = path.trim_matches('/').split('/').filter(|p| !p.is_empty()).collect();
    let method = request.method().clone();
    if method == Method::Post {
        return posted(desk, request, &ours, &parts);
    }
    if method != Method::Get && method != Method::Head {
        return Answer::plain(405, "不支持这种请求。");
    }
    get(desk, &parts, &query)
}

/// A POST: from this desk's own page (its origin, this process's token),
/// its form read.
fn posted(desk: &Desk, request: &mut Request, ours: &[String], parts: &[&str]) -> Answer {
    // A form of another site's page, even on this PC, carries neither
    // this origin nor this process's token.
    if let Some(origin) = header_of(request, "Origin")
        && !ours.iter().any(|h| origin == format!("http://{h}"))
    {
        return Answer::plain(403, "拒绝：请求不是从工作台自己的页面发出的，没有改动任何文件。");
    }
    let mut body = String::new();
    if request.as_reader().take(BODY_MAX).read_to_string(&mut body).is_err() {
        return Answer::plain(400, "表单内容读不出来（不是 UTF-8 文字？）。");
    }
    let form = pairs(&body);
    // Ticked boxes share one name (`paid_by`): every value kept.
    let ticked: Vec<String> =
        form_urlencoded::parse(body.as_bytes()).filter(|(k, _)| k == "paid_by").map(|(_, v)| v.into_owned()).collect();
    if form.get("token").map(String::as_str) != Some(desk.token.as_str()) {
        return stale(desk, parts, &form);
    }
    post(desk, parts, form, &ticked)
}

/// A GET (or HEAD): the page at `parts`.
fn get(desk: &Desk, parts: &[&str], query: &Filled) -> Answer {
    match parts {
        [] => desk.pages.index(desk, query.get("q").map(String::as_str).unwrap_or("")),
        ["desk.css"] => {
            Answer { status: 200, kind: "text/css; charset=utf-8", body: desk.pages.css.clone(), location: None }
        }
        // The browser asks for it by itself; the desk has none.
        ["favicon.ico"] => Answer { status: 204, kind: "image/x-icon", body: Vec::new(), location: None },
        ["log"] => desk.pages.log(desk, query.get("undone").map(String::as_str)),
        ["backup"] => desk.pages.backup(desk, None),
        ["print"] => desk.pages.print_panel(desk),
        ["dues"] => desk.pages.branches(desk),
        ["dues", branch] => super::branch_dues::page(
            desk,
            branch,
            query.get("month").map(String::as_str),
            query.get("saved").map(String::as_str),
        ),
        ["print", "file", n] => printed_file(desk, n),
        ["new"] => desk.pages.new_member(desk, &Filled::new(), &Default::default(), None, 200),
        ["m", id] => {
            desk.pages.member(desk, id, MemberPage { saved: query.get("saved").cloned(), ..MemberPage::default() })
        }
        ["m", id, "card.pdf"] => {
            let path = desk.out.join(crate::documents::info_card::KIND.folder).join(format!("{id}.pdf"));
            member_pdf(desk, id, Some(path), "打印信息卡")
        }
        // The sheet `confirm-sheets --member ID` made last (one file for the run).
        ["m", id, "confirm.pdf"] => {
            let path = desk.out.join(crate::documents::confirm_sheet::KIND.folder).join("confirm-sheets.pdf");
            member_pdf(desk, id, Some(path), "打印信息核对表")
        }
        ["m", id, "paper", name] => {
            let path = departure_papers(desk, id).into_iter().find(|(_, n, _)| n == name).map(|(_, _, p)| p);
            member_pdf(desk, id, path, "打印外出文书")
        }
        _ => desk.pages.not_found(desk),
    }
}

fn post(desk: &Desk, parts: &[&str], form: Filled, ticked: &[String]) -> Answer {
    match parts {
        ["m", id, "print", "card"] => {
            print(desk, id, "cards").unwrap_or_else(|| Answer::see(format!("/m/{id}/card.pdf")))
        }
        ["m", id, "print", "confirm"] => {
            print(desk, id, "confirm-sheets").unwrap_or_else(|| Answer::see(format!("/m/{id}/confirm.pdf")))
        }
        ["m", id, "print", "departures"] => {
            print(desk, id, "departures").unwrap_or_else(|| desk.pages.papers(desk, id, &departure_papers(desk, id)))
        }
        ["m", id, word] => match Record::from_path(word) {
            Some(record) => record_form(desk, id, record, form),
            None => desk.pages.not_found(desk),
        },
        // To the default place beside the data folder only: no path is
        // taken from a request (the command line's --to is for a USB stick).
        ["new"] => new_member(desk, form),
        ["backup"] => match crate::backup::backup(&desk.data, None, desk.today()) {
            Ok(archive) => desk.pages.backup(desk, Some(&archive.display().to_string())),
            Err(e) => desk.pages.message(desk, 500, "备份没有完成", &e),
        },
        ["print", what] => super::print::print(desk, what, &form),
        ["dues", branch] => super::branch_dues::save(desk, branch, &form, ticked),
        ["log", "undo"] => {
            let number = form.get("number").and_then(|n| n.parse().ok()).unwrap_or(0);
            match desk.log.undo(number) {
                Ok(e) => {
                    for file in e.file.split('|') {
                        desk.wrote(&desk.data.join(file));
                    }
                    Answer::see(format!("/log?undone={}", e.number))
                }
                Err(e) => desk.pages.message(desk, 409, "没有撤销", &e),
            }
        }
        _ => desk.pages.not_found(desk),
    }
}

/// What the clerk typed into a form: its fields without the desk's own
/// (the token, the step, the digest of the file as shown).
fn typed(form: &Filled) -> Filled {
    form.iter()
        .filter(|(k, _)| !matches!(k.as_str(), "token" | "step" | "shown"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A form without this desk's token (opened before the desk restarted, or
/// sent from elsewhere): 403, nothing written; a record's form shown again
/// with what was typed, under the new token, to check and send again.
fn stale(desk: &Desk, parts: &[&str], form: &Filled) -> Answer {
    const AGAIN: &str =
        "工作台重启过（或这个页面是别处打开的），这次没有保存。您填的内容还在下面，请核对后再点“看看要写入的内容”。";
    let filled = typed(form);
    match parts {
        ["m", id, word] if Record::from_path(word).is_some() && desk.pages.find(desk, id).is_some() => {
            let page = MemberPage {
                record: Record::from_path(word),
                filled,
                problem: Some(AGAIN.into()),
                ..MemberPage::default()
            };
            desk.pages.member_with(desk, id, page, 403)
        }
        ["new"] => desk.pages.new_member(desk, &filled, &Default::default(), Some(AGAIN.into()), 403),
        _ => desk.pages.message(
            desk,
            403,
            "没有保存",
            "这个页面是工作台重启前打开的（或是从别处发来的），没有改动任何文件。请刷新页面后再做一次。",
        ),
    }
}

/// A 303 to `location`.
pub(super) fn see(location: String) -> Answer {
    Answer::see(location)
}
