//! A member's papers: made by this very program into out/, and served
//! from there by a path made from the member's id or their departures
//! (never taken from the request).

use std::path::PathBuf;

use super::Answer;
use crate::desk::Desk;

/// A member's papers made as `<command> --member ID` makes them, by this
/// very program, into out/: None when done, else the page that says why not.
pub(super) fn print(desk: &Desk, id: &str, command: &str) -> Option<Answer> {
    if desk.pages.find(desk, id).is_none() {
        return Some(desk.pages.not_found(desk));
    }
    crate::desk::print::run(desk, &[command.into(), "--member".into(), id.into()])
        .err()
        .map(|e| desk.pages.message(desk, 500, "没有生成", &e))
}

/// A member's departure papers that out/ holds: (label, name in the
/// desk's address, file), found from the member's own departures.
pub fn departure_papers(desk: &Desk, id: &str) -> Vec<(String, String, PathBuf)> {
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
pub(super) fn member_pdf(desk: &Desk, id: &str, path: Option<PathBuf>, button: &str) -> Answer {
    let (Some(_), Some(path)) = (desk.pages.find(desk, id), path) else { return desk.pages.not_found(desk) };
    match std::fs::read(&path) {
        Ok(bytes) => Answer { status: 200, kind: "application/pdf", body: bytes, location: None },
        Err(_) => desk.pages.message(desk, 404, "还没有打印过", &format!("请先在党员页面点“{button}”。")),
    }
}

/// A paper the print panel made, by its place in the list of those made
/// last.
pub(super) fn printed_file(desk: &Desk, n: &str) -> Answer {
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
