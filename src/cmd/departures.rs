//! `departures [--member …]`: departure forms, contact cards, transfer drafts.

use crate::batch::{Known, Plan};
use crate::documents::{Planned, Selection, contact_card, departure_form, transfer_draft};
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
                    "提示: {} {}按规定应发放联系卡，但还没有登记卡号，所以没有印联系卡。在工作台（tuiguan serve）登记外出时会自动编号发卡；或在这次外出里写上\n        card:\n          number: {}\n          issued: {}",
                    d.departure.id.value,
                    f.member.name.value,
                    crate::desk::departure::next_card_number(facts.office, year),
                    facts.as_of
                );
            }
        }
    }
}

/// The departure documents of the selected members.
pub fn outputs(facts: &Facts, only: &Selection, known: &Known) -> Vec<Planned> {
    let mut v = departure_form::plan(facts, only, known);
    v.extend(contact_card::plan(facts, only, known));
    v.extend(transfer_draft::plan(facts, only));
    v
}
