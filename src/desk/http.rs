//! The desk's requests: who may ask (Host, Origin, token), which page
//! answers, and the headers every answer carries.

use std::io::Read;

use tiny_http::{Header, Method, Request, Response};

use super::Desk;
use super::forms::{self, Filled, Record};
use super::pages::MemberPage;
use crate::manifest::Digest;

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
        let ticked: Vec<String> = form_urlencoded::parse(body.as_bytes())
            .filter(|(k, _)| k == "paid_by")
            .map(|(_, v)| v.into_owned())
            .collect();
        if form.get("token").map(String::as_str) != Some(desk.token.as_str()) {
            return stale(desk, &parts, &form);
        }
        return post(desk, &parts, form, &ticked);
    }
    if method != Method::Get && method != Method::Head {
        return Answer::plain(405, "不支持这种请求。");
    }
    match parts.as_slice() {
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
        ["print", "file", n] => {
            let file = n.parse::<usize>().ok().and_then(|n| desk.printed.lock().unwrap().get(n).cloned());
            match file.and_then(|(_, p)| std::fs::read(&p).ok().map(|b| (p, b))) {
                Some((p, bytes)) => {
                    let kind = if p.extension().is_some_and(|e| e == "ics") {
                        "text/calendar; charset=utf-8"
                    } else {
                        "application/pdf"
                    };
                    Answer { status: 200, kind, body: bytes, location: None }
                }
                None => desk.pages.message(desk, 404, "没有这份文书", "请在“打印”页重新生成。"),
            }
        }
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

fn digest(text: &str) -> String {
    Digest::default().update(text.as_bytes()).hex()
}

/// 登记走访 / 登记联系: `step=preview` shows the change; `step=save`
/// writes it if the file is still as it was shown.
fn record_form(desk: &Desk, id: &str, record: Record, form: Filled) -> Answer {
    let Some((member, file)) = desk.pages.find(desk, id) else { return desk.pages.not_found(desk) };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => return desk.pages.message(desk, 500, "读不到成员文件", &format!("{}：{e}", file.display())),
    };
    let again = |status, page: MemberPage| desk.pages.member_with(desk, id, page, status);
    let filled = typed(&form);
    let page = |errors, problem: Option<String>| MemberPage {
        record: Some(record),
        filled: filled.clone(),
        errors,
        problem,
        ..MemberPage::default()
    };
    if form.get("step").map(String::as_str) == Some("save") && form.get("shown") != Some(&digest(&text)) {
        return again(
            409,
            page(
                Default::default(),
                Some(format!(
                    "{member} 的文件在您看过改动之后又被改过（可能在另一个窗口或用记事本保存过），这次没有保存。下面是现在的记录，请核对后再提交一次。"
                )),
            ),
        );
    }
    let (item, words) = match forms::read(record, &filled, desk.today()) {
        Ok(x) => x,
        Err(errors) => return again(422, page(errors, None)),
    };
    // Off the books (died, transferred away…): only the 党籍 itself changes.
    if record != Record::Status
        && let Some(office) = desk.pages.office(desk)
        && let Some(m) = office.members.iter().find(|m| m.id.value == id)
        && let crate::rules::lifecycle::Standing::OffBooks { kind, date } =
            crate::rules::lifecycle::Standing::on(m, desk.today())
    {
        return again(
            422,
            page(
                Default::default(),
                Some(format!(
                    "{member} 已于{}{}，不再登记{}；党籍记错了的，用“党籍变动”更正",
                    crate::documents::zh_date(date),
                    crate::office::Word::zh(kind),
                    record.zh()
                )),
            ),
        );
    }
    let made =
        match record {
            Record::Departure => match desk.pages.office(desk) {
                Some(office) => super::departure::propose(&office, &file, &text, &item, &words, desk.today())
                    .map(|p| (p.text, p.what)),
                None => Err("数据读不出来（org.yaml 有错误）".into()),
            },
            Record::Dues => dues(desk, id, &file, &text, item, &words),
            Record::Arrive | Record::Return => {
                away(desk, id, record, &file, &text, &item).map(|t| (t, format!("登记{}：{words}", record.zh())))
            }
            Record::Confirm | Record::Status => {
                // 党籍变动's words begin with its label (党籍变动：去世…).
                let what = if record == Record::Status { words.clone() } else { format!("{}：{words}", record.zh()) };
                set(desk, id, record, &file, &text, &item).map(|t| (t, what))
            }
            Record::Basic => super::member_form::basic(&file, &text, &filled, &item),
            Record::Family => super::edit::add_item(&file, &text, record.list(), &item)
                .map(|t| (t, format!("添加家属联系人：{words}"))),
            _ => super::edit::add_item(&file, &text, record.list(), &item)
                .map(|t| (t, format!("登记{}：{words}", record.zh()))),
        };
    let (new, what) = match made {
        Ok(x) => x,
        Err(e) => return again(422, page(Default::default(), Some(format!("没有保存：{e}")))),
    };
    let office = desk.pages.office(desk);
    if let Err(e) = super::verify::no_new_errors(office.as_deref(), &file, Some(text.as_str()), &new, desk.today()) {
        return again(422, page(Default::default(), Some(e)));
    }
    match form.get("step").map(String::as_str) {
        Some("back") => again(200, page(Default::default(), None)),
        Some("save") => match desk.log.change(&file, (id, &member), &what, &text, &new) {
            Ok(n) => {
                desk.wrote(&file);
                Answer::see(format!("/m/{id}?saved={n}#top"))
            }
            Err(e) => again(409, page(Default::default(), Some(e))),
        },
        _ => desk.pages.preview(desk, id, &member, record, &filled, &what, &text, &new, &digest(&text)),
    }
}

/// 新增党员: `step=preview` shows the new file; `step=save` writes it
/// (never over a file there) and opens the member's page.
fn new_member(desk: &Desk, form: Filled) -> Answer {
    let Some(office) = desk.pages.office(desk) else {
        return desk.pages.message(desk, 500, "数据读不出来", "org.yaml 有错误；请运行 tuiguan check 查看并改正。");
    };
    let filled = typed(&form);
    let specs = super::member_form::new_member_fields(&office);
    let again = |status, errors: &forms::FieldErrors, problem: Option<String>| {
        desk.pages.new_member(desk, &filled, errors, problem, status)
    };
    // Every field told at once: each alone, and against the office.
    let read = forms::read_fields(specs, &filled, desk.today());
    let item = read.as_ref().map(|(item, _)| item.clone()).unwrap_or_default();
    let made = super::member_form::new_member(&desk.data, &office, &filled, &item, desk.today());
    let new = match (read, made) {
        (Ok(_), Ok(n)) => n,
        (read, made) => {
            let mut errors = made.err().unwrap_or_default();
            errors.extend(read.err().unwrap_or_default());
            return again(422, &errors, None);
        }
    };
    if let Err(e) = super::verify::no_new_errors(Some(&*office), &new.file, None, &new.text, desk.today()) {
        return again(422, &Default::default(), Some(e));
    }
    match form.get("step").map(String::as_str) {
        Some("back") => again(200, &Default::default(), None),
        Some("save") => match desk.log.change(&new.file, (&new.id, &new.name), &new.what, "", &new.text) {
            Ok(n) => Answer::see(format!("/m/{}?saved={n}#top", new.id)),
            Err(e) => again(409, &Default::default(), Some(e)),
        },
        _ => desk.pages.new_member_preview(desk, &new, &filled),
    }
}

/// 登记到达 / 登记返回: dates (and the report) set in one of the member's
/// departures, checked against it (a return before the start, a card
/// returned that was never issued).
fn away(
    desk: &Desk,
    id: &str,
    record: Record,
    file: &std::path::Path,
    text: &str,
    item: &forms::Item,
) -> Result<String, String> {
    let office = desk.pages.office(desk).ok_or("数据读不出来")?;
    let m = office.members.iter().find(|m| m.id.value == id).ok_or("没有这位党员")?;
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
    super::edit::set_in_item(file, text, "departures", &which, &forms::scalars(item, &["departure"]))
}

/// 交党费: the payment into `dues.payments`; a blank amount computed as
/// the ledger computes a month's dues (the year's base and the rules).
fn dues(
    desk: &Desk,
    id: &str,
    file: &std::path::Path,
    text: &str,
    mut item: forms::Item,
    words: &str,
) -> Result<(String, String), String> {
    use super::edit::Value;
    use crate::rules::dues::{DuesFacts, index, month_of};
    let mut words = words.to_string();
    let office = desk.pages.office(desk).ok_or("数据读不出来")?;
    let m = office.members.iter().find(|m| m.id.value == id).ok_or("没有这位党员")?;
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
    let new = super::edit::add_item_at(file, text, &["dues", "payments"], &item)?;
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
fn set(
    desk: &Desk,
    id: &str,
    record: Record,
    file: &std::path::Path,
    text: &str,
    item: &forms::Item,
) -> Result<String, String> {
    use super::edit::{Set, set_key};
    let scalar = |k: &str| forms::scalar_of(item, k);
    match record {
        Record::Confirm => set_key(file, text, "confirmed", Set::Scalar(scalar("date").unwrap_or_default())),
        _ if scalar("kind").as_deref() == Some(forms::BACK_IN_CONTACT) => {
            let office = desk.pages.office(desk).ok_or("数据读不出来")?;
            let m = office.members.iter().find(|m| m.id.value == id).ok_or("没有这位党员")?;
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

/// A member's papers made as `<command> --member ID` makes them, by this
/// very program, into out/: None when done, else the page that says why not.
fn print(desk: &Desk, id: &str, command: &str) -> Option<Answer> {
    if desk.pages.find(desk, id).is_none() {
        return Some(desk.pages.not_found(desk));
    }
    super::print::run(desk, &[command.into(), "--member".into(), id.into()])
        .err()
        .map(|e| desk.pages.message(desk, 500, "没有生成", &e))
}

/// A member's departure papers that out/ holds: (label, name in the
/// desk's address, file), found from the member's own departures.
pub fn departure_papers(desk: &Desk, id: &str) -> Vec<(String, String, std::path::PathBuf)> {
    let Some(office) = desk.pages.office(desk) else { return Vec::new() };
    let Some(m) = office.members.iter().find(|m| m.id.value == id) else { return Vec::new() };
    let mut papers = Vec::new();
    let folder = desk.out.join(crate::documents::departure_form::KIND.folder);
    for d in &m.departures {
        let did = &d.id.value;
        papers.push((format!("外出党员登记表 {did}"), did.clone(), folder.join(format!("{did}.pdf"))));
        papers.push((
            format!("组织关系介绍信 {did}"),
            format!("{did}-transfer"),
            folder.join(format!("{did}-transfer.pdf")),
        ));
    }
    papers.push((
        "联系卡".into(),
        "card".into(),
        desk.out.join(crate::documents::contact_card::KIND.folder).join(format!("{id}.pdf")),
    ));
    papers.retain(|(_, _, p)| p.is_file());
    papers
}

/// `path` as out/ holds it, for a member of the office (the path made from
/// the member's id or their own departures, never taken from the request);
/// `button`: what to press on their page to print it first.
fn member_pdf(desk: &Desk, id: &str, path: Option<std::path::PathBuf>, button: &str) -> Answer {
    let (Some(_), Some(path)) = (desk.pages.find(desk, id), path) else { return desk.pages.not_found(desk) };
    match std::fs::read(&path) {
        Ok(bytes) => Answer { status: 200, kind: "application/pdf", body: bytes, location: None },
        Err(_) => desk.pages.message(desk, 404, "还没有打印过", &format!("请先在党员页面点“{button}”。")),
    }
}
