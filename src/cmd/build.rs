//! `build`: the union of every command's plan — information cards,
//! departure documents, this quarter's filing report, the next festival's
//! letters, the visit plan, this year's dues papers, the register and the
//! Excel register.

use super::XLSX_NAME;
use crate::assets::Templates;
use crate::batch::{Known, Later, Plan};
use crate::cli::Cli;
use crate::documents::{Planned, Selection, dues_papers, filing_report, info_card};
use crate::error::Error;
use crate::facts::Facts;
use crate::office::Office;
use crate::rules::period::Period;

/// The plan; the Excel register is made on a thread of its own, which
/// keeps `office` until it is done, and waited for once the documents have
/// rendered (see [`crate::batch::Later`]).
pub fn plan(
    facts: &Facts,
    office: std::sync::Arc<Office>,
    cli: &Cli,
    assets: &Templates,
    known: &Known,
) -> Result<Plan, Error> {
    let (sender, made) = std::sync::mpsc::channel();
    let as_of = facts.as_of;
    std::thread::spawn(move || {
        // Its own facts (the same: derived from the same office and date),
        // so that the run's are freed once the plan is made.
        let bytes = crate::export::workbook(&Facts::derive(&office, as_of)).map_err(Error::Failed);
        crate::timing::mark("plan: workbook");
        // The run may have stopped, and the receiver gone, meanwhile.
        let _ = sender.send(bytes);
    });
    // The register needs no document: it is made on a core of its own
    // while the documents' views are built.
    let (documents, register) = std::thread::scope(|s| {
        let register = s.spawn(|| {
            let files = super::register::files(facts, assets, known);
            crate::timing::mark("plan: register");
            files
        });
        let documents = documents(facts, cli, known);
        crate::timing::mark("plan: document views");
        (documents, register.join().expect("the register thread panicked"))
    });
    let mut plan = documents?;
    plan.files.extend(register?);
    plan.later.push(Later { path: XLSX_NAME.into(), made });
    Ok(plan)
}

/// Every document's view, and the visit calendar; all of out/ is owned.
/// The information cards and letters (half the work) are made on a thread
/// of their own beside the other kinds.
pub(super) fn documents(facts: &Facts, cli: &Cli, known: &Known) -> Result<Plan, Error> {
    let all = Selection(&[]);
    let (cards_and_letters, rest) = std::thread::scope(|s| {
        let cards_and_letters = s.spawn(|| -> Result<Vec<Planned>, Error> {
            let mut outputs = info_card::plan(facts, &all, known);
            crate::timing::mark("plan: information cards");
            outputs.extend(super::letters::plan(facts, &cli.data, None, None, None, cli.quiet, known)?.outputs);
            crate::timing::mark("plan: letters");
            Ok(outputs)
        });
        let mut outputs = super::departures::outputs(facts, &all, known);
        crate::timing::mark("plan: departure documents");
        outputs.extend(filing_report::plan(facts, &Period::quarter_of(facts.as_of)));
        crate::timing::mark("plan: filing report");
        let Plan { outputs: visits, files, .. } = super::visits(facts);
        outputs.extend(visits);
        crate::timing::mark("plan: visits");
        outputs.extend(dues_papers::plan(facts, chrono::Datelike::year(&facts.as_of)));
        crate::timing::mark("plan: dues papers");
        (cards_and_letters.join().expect("the cards' thread panicked"), (outputs, files))
    });
    let (rest, files) = rest;
    let mut outputs = cards_and_letters?;
    outputs.extend(rest);
    Ok(Plan { outputs, files, owned: None, ..Default::default() })
}
