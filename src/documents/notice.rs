//! 通知 to members away (R8: pass on important Party news): a notice written
//! as Markdown or plain text becomes one letter per member, their envelopes
//! and a delivery list. Nothing is recorded: the clerk writes the contact
//! into `contacts:` once the letters are out.

use chrono::NaiveDate;
use serde::Serialize;

use super::greeting_letter::{
    Delivery, ENVELOPES, Envelope, Envelopes, GreetingLetter, Letters, delivery, envelope, postal_address,
};
use super::{DocumentKind, PRINT_PART, print_file, zh_date};
use crate::facts::{Facts, MemberFacts};
use crate::office::Office;
use crate::outputs::Output;

pub const KIND: DocumentKind =
    DocumentKind { template: "notice.typ", zh: "通知", folder: "notices", one_page: false, example: Some(example) };
pub const DELIVERY: DocumentKind = DocumentKind {
    template: "notice-delivery.typ",
    zh: "通知送达登记表",
    folder: "notices",
    one_page: false,
    example: None,
};

/// A notice as written: a title and paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub paragraphs: Vec<String>,
}

/// Read a notice: the first `# ` heading (or, in plain text, the first
/// line) is the title; blank lines separate paragraphs; lines within a
/// paragraph are joined; Markdown emphasis and list marks are dropped.
/// A short first line that greets ("各位老同志：").
fn is_salutation(p: &str) -> bool {
    (p.ends_with('：') || p.ends_with(':')) && p.chars().count() <= 20 && p.contains("同志")
}

pub fn parse(source: &str) -> Result<Notice, String> {
    let source = source.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let mut lines = source.lines().peekable();
    while lines.peek().is_some_and(|l| l.trim().is_empty()) {
        lines.next();
    }
    let first = lines.next().ok_or("通知是空的：第一行写标题，空一行后写正文")?;
    let title = first.trim().trim_start_matches('#').trim().to_string();
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in lines {
        let l = line.trim();
        let item = l.strip_prefix("- ").or_else(|| l.strip_prefix("* "));
        // A blank line, a list item or a heading starts a new paragraph.
        if (l.is_empty() || item.is_some() || l.starts_with('#')) && !current.is_empty() {
            paragraphs.push(std::mem::take(&mut current));
        }
        if l.is_empty() {
            continue;
        }
        let l = item.map_or(l.trim_start_matches('#').trim(), |i| i.trim());
        current.push_str(&l.replace("**", "").replace("__", ""));
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    // "各位在外地的老同志：": each letter greets its member by name instead.
    if paragraphs.first().is_some_and(|p| is_salutation(p)) {
        paragraphs.remove(0);
    }
    if title.is_empty() || paragraphs.is_empty() {
        return Err("通知要有标题和正文：第一行写标题（可以写成 `# 标题`），空一行后写正文".into());
    }
    Ok(Notice { title, paragraphs })
}

#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRow {
    pub seq: usize,
    pub name: String,
    pub branch: String,
    pub group: String,
    pub how: String,
    /// Where it goes: the postal address, or the home a letter is taken to.
    pub address: String,
    pub postcode: String,
    /// The phone to ring first: the one taken away, else the mobile.
    pub phone: String,
}

#[derive(Debug, Serialize)]
pub struct DeliveryList<'a> {
    pub title: String,
    pub date: String,
    pub total: usize,
    pub rows: &'a [DeliveryRow],
    /// A 慰问金/品 column (the festival letters', when org.yaml asks for it).
    pub gift: bool,
}

/// The delivery list's rows: how each letter goes (亲送 or 邮寄) and where.
pub fn delivery_rows(office: &Office, to: &[&MemberFacts]) -> Vec<DeliveryRow> {
    to.iter()
        .enumerate()
        .map(|(i, f)| {
            let (address, postcode) = postal_address(f);
            let (branch, group) = office.branch_and_group_names(f.member);
            let post = delivery(f) == Delivery::Post;
            DeliveryRow {
                seq: i + 1,
                name: f.member.name.value.clone(),
                branch,
                group,
                how: if post { "邮寄" } else { "亲送" }.into(),
                address,
                postcode: if post { postcode } else { String::new() },
                phone: f
                    .current()
                    .and_then(|d| d.departure.phone_away.as_ref())
                    .or(f.member.mobile.as_ref())
                    .or(f.member.home_phone.as_ref())
                    .map(|p| p.value.clone())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Who gets the notice: the members named, else the members away (far from
/// home) — of the branches named, if any.
pub fn recipients<'f, 'a>(facts: &'f Facts<'a>, branches: &[String], members: &[String]) -> Vec<&'f MemberFacts<'a>> {
    facts
        .in_print_order()
        .into_iter()
        .filter(|f| branches.is_empty() || branches.contains(&f.member.branch.value))
        .filter(|f| if members.is_empty() { f.away_far() } else { members.contains(&f.member.id.value) })
        .collect()
}

/// The letters, envelopes for those posted, and the delivery list, under
/// out/notices/<stem>…
pub fn plan<'f>(
    facts: &'f Facts<'f>,
    notice: &Notice,
    stem: &str,
    to: &[&MemberFacts],
    dated: NaiveDate,
) -> Vec<Output<'f>> {
    let office = facts.office;
    let org = &office.org;
    let sign_off: Vec<String> = [org.party_committee.name.as_ref(), org.office.name.as_ref()]
        .into_iter()
        .flatten()
        .map(|n| n.value.clone())
        .collect();
    // The same letter view as a greeting letter: title, salutation, paragraphs,
    // sign-off and date.
    let letters: Vec<GreetingLetter> = to
        .iter()
        .map(|f| GreetingLetter {
            title: notice.title.clone(),
            salutation: format!("尊敬的{}同志：", f.member.name.value),
            paragraphs: notice.paragraphs.clone(),
            sign_off: sign_off.clone(),
            date: zh_date(dated),
        })
        .collect();
    let folder = KIND.folder;
    let mut out = print_file(&KIND, &letters, PRINT_PART, &format!("{folder}/{stem}"), |letters| Letters { letters });
    let posted: Vec<&&MemberFacts> = to.iter().filter(|f| delivery(f) == Delivery::Post).collect();
    let envelopes: Vec<Envelope> = posted.iter().map(|f| envelope(office, f)).collect();
    out.extend(print_file(
        &ENVELOPES,
        &envelopes,
        4 * PRINT_PART,
        &format!("{folder}/{stem}-envelopes"),
        |envelopes| Envelopes { envelopes },
    ));
    let rows = delivery_rows(office, to);
    let title = format!("《{}》送达登记表", notice.title);
    out.extend(print_file(&DELIVERY, &rows, 4 * PRINT_PART, &format!("{folder}/{stem}-delivery"), |part| {
        DeliveryList { title: title.clone(), date: zh_date(dated), total: rows.len(), rows: part, gift: false }
    }));
    out
}

/// A notice to every member away (the delivery list's example too), as `tuiguan templates` shows the data
/// the notice's and the delivery list's templates get.
fn example<'f>(facts: &'f Facts<'f>) -> Vec<Output<'f>> {
    let notice = parse("关于开展年度民主评议的通知\n\n各位党员：\n\n请于月底前与支部联系。").expect("a notice");
    let away = recipients(facts, &[], &[]);
    let to = if away.is_empty() { facts.in_print_order().into_iter().take(1).collect() } else { away };
    plan(facts, &notice, "示例通知", &to, facts.as_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_plain_text() {
        let md = "\u{feff}# 关于学习党的二十届四中全会精神的通知\r\n\r\n各位在外的老同志：\r\n请大家**认真学习**，\r\n有困难及时联系。\r\n\r\n- 学习材料随信寄送\r\n- 有疑问请打电话\r\n";
        assert_eq!(
            parse(md).unwrap(),
            Notice {
                title: "关于学习党的二十届四中全会精神的通知".into(),
                paragraphs: vec![
                    "各位在外的老同志：请大家认真学习，有困难及时联系。".into(),
                    "学习材料随信寄送".into(),
                    "有疑问请打电话".into()
                ],
            }
        );
        assert_eq!(parse("通知\n\n正文").unwrap().title, "通知");
        assert!(parse("\n\n").is_err());
        assert!(parse("# 只有标题\n").is_err());
    }
}
