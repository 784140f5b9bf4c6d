//! `build`: the union of every command's plan — information cards,
//! departure documents, this quarter's filing report, the next festival's
//! letters, the visit plan, this year's dues papers, the register and the
//! Excel register.

use super::XLSX_NAME;
use crate::assets::Templates;
use crate::batch::{Known, OtherFile, Plan};
use crate::cli::Cli;
use crate::documents::{Selection, dues_papers, filing_report, info_card};
use crate::error::Error;
use crate::facts::Facts;
use crate::rules::period::Period;

/// The plan: every document's view, the register's pages and the Excel
/// register.
pub fn plan(facts: &Facts, cli: &Cli, assets: &Templates, known: &Known) -> Result<Plan, Error> {
    // The workbook is made on a thread of its own while the documents'
    // views are built, then the register's pages: what a step needs while
    // it runs comes on top of what the steps before it hold. All side by
    // side (the cards and letters beside the other documents, the register
    // beside them), a 20,000-member run's planning peaked at 365 MB; so, at
    // 281 MB, 0.25 s longer. (The workbook, 1.6 s there, is done before the
    // views; when one member changed, few views and pages are made, and the
    // register's are made while the workbook still is.)
    let (documents, register, workbook) = std::thread::scope(|s| {
        let workbook = s.spawn(|| {
            let bytes = crate::export::workbook(facts).map_err(Error::Failed);
            crate::timing::mark("plan: workbook");
            bytes
        });
        let documents = documents(facts, cli, known);
        crate::timing::mark("plan: document views");
        let register = super::register::files(facts, assets, known);
        crate::timing::mark("plan: register");
        (documents, register, workbook.join().expect("the workbook's thread panicked"))
    });
    let mut plan = documents?;
    plan.files.extend(register?);
    plan.files.push(OtherFile::compressed(XLSX_NAME, workbook?));
    Ok(plan)
}

/// Every document's view, and the visit calendar; all of out/ is owned.
pub(super) fn documents(facts: &Facts, cli: &Cli, known: &Known) -> Result<Plan, Error> {
    let all = Selection(&[]);
    let mut outputs = info_card::plan(facts, &all, known);
    crate::timing::mark("plan: information cards");
    outputs.extend(super::letters::plan(facts, &cli.data, None, None, None, cli.quiet, known)?.outputs);
    crate::timing::mark("plan: letters");
    outputs.extend(super::departures::outputs(facts, &all, known));
    crate::timing::mark("plan: departure documents");
    outputs.extend(filing_report::plan(facts, &Period::quarter_of(facts.as_of)));
    crate::timing::mark("plan: filing report");
    let Plan { outputs: visits, files, .. } = super::visits(facts);
    outputs.extend(visits);
    crate::timing::mark("plan: visits");
    outputs.extend(dues_papers::plan(facts, chrono::Datelike::year(&facts.as_of)));
    crate::timing::mark("plan: dues papers");
    Ok(Plan { outputs, files, owned: None })
}
