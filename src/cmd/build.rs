//! `build`: the union of every command's plan — information cards,
//! departure documents, this quarter's filing report, the next festival's
//! letters, the visit plan, this year's dues papers, the register and the
//! Excel register.

use super::XLSX_NAME;
use crate::assets::Templates;
use crate::batch::settle::documents as settled;
use crate::batch::{Known, OtherFile, Plan};
use crate::cli::Cli;
use crate::deflated::Deflated;
use crate::documents::{Selection, dues_papers, filing_report, info_card};
use crate::error::Error;
use crate::facts::Facts;
use crate::rules::period::Period;

/// The plan: every document's view, the register's pages and the Excel
/// register.
pub fn plan(facts: &Facts, cli: &Cli, assets: &Templates, known: &Known) -> Result<Plan, Error> {
    // One step after another, each freeing what it needed but did not
    // keep before the next begins: what a step needs while it runs comes
    // on top of what the steps before it hold. The workbook (its rows made as they are
    // written) is made on a thread of its own beside the documents' views:
    // the other core is idle while they are planned (a 10,000-member run
    // with one member changed spends 0.37 s on the workbook alone). It is
    // waited for before the register's pages, where the planning peaks.
    let (workbook, documents) = std::thread::scope(|s| {
        let workbook = s.spawn(|| {
            let workbook = workbook(facts);
            crate::timing::mark("plan: workbook");
            workbook
        });
        let documents = documents(facts, cli, known);
        crate::timing::mark("plan: document views");
        (workbook.join().expect("the workbook's thread ends"), documents)
    });
    let register = super::register::files(facts, assets, known);
    crate::timing::mark("plan: register");
    let mut plan = documents?;
    plan.files.extend(register?);
    plan.files.push(workbook?);
    Ok(plan)
}

/// The workbook, a zip held as it is made.
fn workbook(facts: &Facts) -> Result<OtherFile, Error> {
    let bytes = crate::export::workbook(facts).map_err(Error::Failed)?;
    Ok(OtherFile::held(XLSX_NAME, Deflated::as_is(bytes)))
}

/// Every document's view, and the visit calendar; all of out/ is owned.
pub(super) fn documents(facts: &Facts, cli: &Cli, known: &Known) -> Result<Plan, Error> {
    let all = Selection(&[]);
    let mut steps = vec![settled(info_card::plan(facts, &all), Some(known))];
    crate::timing::mark("plan: information cards");
    steps.push(super::letters::plan(facts, &cli.data, None, None, None, cli.quiet, known)?.outputs);
    crate::timing::mark("plan: letters");
    steps.push(super::departures::outputs(facts, &all, known));
    crate::timing::mark("plan: departure documents");
    steps.push(settled(filing_report::plan(facts, &Period::quarter_of(facts.as_of)), None));
    crate::timing::mark("plan: filing report");
    let Plan { outputs: visits, files, .. } = super::visits(facts);
    steps.push(visits);
    crate::timing::mark("plan: visits");
    steps.push(settled(dues_papers::plan(facts, chrono::Datelike::year(&facts.as_of)), None));
    crate::timing::mark("plan: dues papers");
    // One list at its length. Grown step by step, the 46,000 outputs of
    // 20,000 members took room for 65,536 (24 MB for 17), held while the
    // register's pages are made; the allocator does not shrink it after.
    let mut outputs = Vec::with_capacity(steps.iter().map(Vec::len).sum());
    for step in steps {
        outputs.extend(step);
    }
    Ok(Plan { outputs, files, owned: None, ..Default::default() })
}
