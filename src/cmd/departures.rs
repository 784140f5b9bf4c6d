//! `departures [--member …]`: departure forms, contact cards, transfer drafts.

use crate::batch::Planned;
use crate::batch::settle::documents as settled;
use crate::batch::{Known, Plan};
use crate::documents::{Selection, contact_card, departure_form, transfer_draft};
use crate::error::Error;
use crate::facts::Facts;

pub fn plan(facts: &Facts, members: &[String], known: &Known) -> Result<Plan, Error> {
    super::known_members(facts.office, members)?;
    let only = Selection(members);
    let owned = if only.all() {
        vec![departure_form::KIND.folder.into(), contact_card::KIND.folder.into()]
    } else {
        Vec::new()
    };
    // One member's papers, printed on purpose, are theirs: a later build
    // keeps them.
    let owner = if only.all() {
        String::new()
    } else {
        crate::batch::owners::occasion(&format!("{}的外出文书", members.join("、")))
    };
    let outputs = outputs(facts, &only, known);
    if !only.all() {
        say_where(facts, members, &outputs);
    }
    Ok(Plan { outputs, owned: Some(owned), owner, ..Default::default() })
}

/// One member's papers: where each will be, and a card the rule asks for
/// that nobody has issued yet (no number: no card is printed).
fn say_where(facts: &Facts, members: &[String], outputs: &[Planned]) {
    let mut papers: Vec<String> = outputs
        .iter()
        .filter_map(|p| match &p.join {
            Some((target, _)) => Some(target.clone()),
            None => {
                (!p.path.starts_with(crate::documents::PARTS_DIR)).then(|| p.path.to_string_lossy().replace('\\', "/"))
            }
        })
        .collect();
    papers.sort();
    papers.dedup();
    if !papers.is_empty() {
        eprintln!("外出文书：{}（在输出文件夹里）", papers.join("、"));
    }
    let year = chrono::Datelike::year(&facts.as_of);
    for f in facts.in_print_order().into_iter().filter(|f| members.contains(&f.member.id.value)) {
        for d in f.departures.iter().filter(|d| d.returned.is_none()) {
            if d.rule.decision == crate::rules::departure::Decision::ContactCard && d.departure.card_number.is_none() {
                eprintln!(
                    "提示: {} {}按规定应发放联系卡，但还没有登记卡号，所以没有印联系卡。加 --issue-card 自动编号发卡（或在工作台 tuiguan serve 登记外出时发卡）；也可以在这次外出里写上\n        card:\n          number: {}\n          issued: {}",
                    d.departure.id.value,
                    f.member.name.value,
                    crate::desk::departure::next_card_number(facts.office, year),
                    facts.as_of
                );
            }
        }
    }
}

/// `--issue-card`: each unreturned departure of the members that the rule
/// gives a contact card and that has none gets the next number, issued
/// today, written into its member file (`card:` under the departure) as
/// the desk writes it, all files or none, holding the data folder.
pub fn issue_cards(data: &std::path::Path, members: &[String], as_of: chrono::NaiveDate) -> Result<(), Error> {
    use crate::import::outcome::Outcome;
    let _lock =
        crate::lock::Lock::acquire(&data.join(".tuiguan-lock"), &format!("给 {} 发放联系卡", members.join("、")))
            .map_err(Error::Failed)?;
    let (office, diags) = crate::load::load(data);
    let Some(office) = office.filter(|_| !diags.has_errors()) else {
        return Err(Error::Failed("数据有错误，没有发放联系卡；请先运行 tuiguan check 改正".into()));
    };
    super::known_members(&office, members)?;
    let facts = Facts::derive(&office, as_of);
    let mut taken: std::collections::HashSet<String> = office
        .members
        .iter()
        .flat_map(|m| m.departures.iter().filter_map(|d| d.card_number.as_ref().map(|c| c.value.clone())))
        .collect();
    let mut writes: Vec<(u32, Outcome)> = Vec::new();
    let mut said = Vec::new();
    for f in facts.in_print_order().into_iter().filter(|f| members.contains(&f.member.id.value)) {
        let m = f.member;
        let original =
            std::fs::read_to_string(&m.file).map_err(|e| Error::Failed(format!("读不到 {}：{e}", m.file.display())))?;
        let mut text = original.clone();
        for d in f.departures.iter().filter(|d| d.returned.is_none()) {
            if d.rule.decision != crate::rules::departure::Decision::ContactCard || d.departure.card_number.is_some() {
                continue;
            }
            let year = chrono::Datelike::year(&as_of);
            let number = crate::office::departure::first_free_number(&format!("LK{year}-"), 3, &taken);
            taken.insert(number.clone());
            let id = d.departure.id.value.as_str();
            let index = m.departures.iter().position(|x| x.id.value == id).expect("the member's own departure");
            let fields = [("card.number", number.clone()), ("card.issued", as_of.to_string())];
            text = crate::desk::item_fields::set_fields(&m.file, &text, &["departures"], index, &fields)
                .map_err(|e| Error::Failed(format!("{} 无法精确修改：{e}；请手工写上卡号", m.file.display())))?;
            said.push(format!("{id} {}：联系卡 {number}，{} 发", m.name.value, crate::documents::zh_date(as_of)));
        }
        if text != original {
            writes.push((
                0,
                Outcome::Existing {
                    member_id: m.id.value.clone(),
                    name: m.name.value.clone(),
                    path: m.file.clone(),
                    changes: Vec::new(),
                    text: Some(text),
                    original,
                },
            ));
        }
    }
    if said.is_empty() {
        eprintln!("没有要发的联系卡：这些党员没有按规定应发卡而还没有卡号的外出。");
        return Ok(());
    }
    crate::import::write::write_all(data, &writes).map_err(Error::Failed)?;
    for s in &said {
        eprintln!("已发放 {s}（写进了成员文件）");
    }
    Ok(())
}

/// The departure documents of the selected members.
pub fn outputs(facts: &Facts, only: &Selection, known: &Known) -> Vec<Planned> {
    let mut v = departure_form::plan(facts, only);
    v.extend(contact_card::plan(facts, only));
    v.extend(transfer_draft::plan(facts, only));
    settled(v, Some(known))
}
