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
    Ok(Plan { outputs: outputs(facts, &only, known), owned: Some(owned), owner, ..Default::default() })
}

/// The departure documents of the selected members.
pub fn outputs(facts: &Facts, only: &Selection, known: &Known) -> Vec<Planned> {
    let mut v = departure_form::plan(facts, only, known);
    v.extend(contact_card::plan(facts, only, known));
    v.extend(transfer_draft::plan(facts, only));
    v
}
