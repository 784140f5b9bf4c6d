//! A record's form, and 新增党员, as sent: `step=preview` shows the
//! change, `step=save` writes it (a record's only if the file is still as
//! it was shown), `step=back` opens the form again as filled.

use std::path::Path;

use super::changes::{away, dues, set};
use super::{Answer, typed};
use crate::desk::Desk;
use crate::desk::forms::{self, Filled, Item, Record};
use crate::desk::pages::MemberPage;
use crate::manifest::Digest;

/// The file as shown, by its digest: a save checks it is still so.
fn digest(text: &str) -> String {
    Digest::default().update(text.as_bytes()).hex()
}

/// 登记走访 / 登记联系: `step=preview` shows the change; `step=save`
/// writes it if the file is still as it was shown.
pub(super) fn record_form(desk: &Desk, id: &str, record: Record, form: Filled) -> Answer {
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
    if let Some(problem) = off_books(desk, id, &member, record) {
        return again(422, page(Default::default(), Some(problem)));
    }
    let made = change(desk, id, record, (&file, &text), &filled, item, &words);
    let (new, what) = match made {
        Ok(x) => x,
        Err(e) => return again(422, page(Default::default(), Some(format!("没有保存：{e}")))),
    };
    let office = desk.pages.office(desk);
    if let Err(e) =
        crate::desk::verify::no_new_errors(office.as_deref(), &file, Some(text.as_str()), &new, desk.today())
    {
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

/// Off the books (died, transferred away…): only the 党籍 itself
/// changes; any other record is refused, and why.
fn off_books(desk: &Desk, id: &str, member: &str, record: Record) -> Option<String> {
    use crate::rules::lifecycle::Standing;
    if record == Record::Status {
        return None;
    }
    let office = desk.pages.office(desk)?;
    let m = office.members.iter().find(|m| m.id.value == id)?;
    let Standing::OffBooks { kind, date } = Standing::on(m, desk.today()) else { return None };
    Some(format!(
        "{member} 已于{}{}，不再登记{}；党籍记错了的，用“党籍变动”更正",
        crate::documents::zh_date(date),
        crate::office::Word::zh(kind),
        record.zh()
    ))
}

/// The member file (`file`, its `text`) as `record` changes it, and the
/// change in words for the log.
fn change(
    desk: &Desk,
    id: &str,
    record: Record,
    (file, text): (&Path, &str),
    filled: &Filled,
    item: Item,
    words: &str,
) -> Result<(String, String), String> {
    match record {
        Record::Departure => match desk.pages.office(desk) {
            Some(office) => crate::desk::departure::propose(&office, file, text, &item, words, desk.today())
                .map(|p| (p.text, p.what)),
            None => Err("数据读不出来（org.yaml 有错误）".into()),
        },
        Record::Dues => dues(desk, id, file, text, item, words),
        Record::Arrive | Record::Return => {
            away(desk, id, record, file, text, &item).map(|t| (t, format!("登记{}：{words}", record.zh())))
        }
        Record::Confirm | Record::Status => {
            // 党籍变动's words begin with its label (党籍变动：去世…).
            let what = if record == Record::Status { words.to_string() } else { format!("{}：{words}", record.zh()) };
            set(desk, id, record, file, text, &item).map(|t| (t, what))
        }
        Record::Basic => crate::desk::member_form::basic(file, text, filled, &item),
        Record::Family => crate::desk::edit::add_item(file, text, record.list(), &item)
            .map(|t| (t, format!("添加家属联系人：{words}"))),
        _ => crate::desk::edit::add_item(file, text, record.list(), &item)
            .map(|t| (t, format!("登记{}：{words}", record.zh()))),
    }
}

/// 新增党员: `step=preview` shows the new file; `step=save` writes it
/// (never over a file there) and opens the member's page.
pub(super) fn new_member(desk: &Desk, form: Filled) -> Answer {
    let Some(office) = desk.pages.office(desk) else {
        return desk.pages.message(desk, 500, "数据读不出来", "org.yaml 有错误；请运行 tuiguan check 查看并改正。");
    };
    let filled = typed(&form);
    let specs = crate::desk::member_form::new_member_fields(&office);
    let again = |status, errors: &forms::FieldErrors, problem: Option<String>| {
        desk.pages.new_member(desk, &filled, errors, problem, status)
    };
    // Every field told at once: each alone, and against the office.
    let read = forms::read_fields(specs, &filled, desk.today());
    let item = read.as_ref().map(|(item, _)| item.clone()).unwrap_or_default();
    let made = crate::desk::member_form::new_member(&desk.data, &office, &filled, &item, desk.today());
    let new = match (read, made) {
        (Ok(_), Ok(n)) => n,
        (read, made) => {
            let mut errors = made.err().unwrap_or_default();
            errors.extend(read.err().unwrap_or_default());
            return again(422, &errors, None);
        }
    };
    if let Err(e) = crate::desk::verify::no_new_errors(Some(&*office), &new.file, None, &new.text, desk.today()) {
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
