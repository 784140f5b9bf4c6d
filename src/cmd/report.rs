//! `report [--period … | --from … --to …]`: the filing report.

use chrono::NaiveDate;

use crate::batch::Plan;
use crate::documents::filing_report;
use crate::error::Error;
use crate::facts::Facts;
use crate::rules::period::Period;

pub fn plan(
    facts: &Facts,
    period: Option<Period>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Plan, Error> {
    let period = match (period, from, to) {
        (Some(p), _, _) => p,
        (None, Some(f), Some(t)) if f <= t => Period::range(f, t),
        (None, Some(_), Some(_)) => return Err(Error::Usage("--from 不能晚于 --to".into())),
        _ => Period::quarter_of(facts.as_of),
    };
    let owner = crate::batch::owners::occasion(&format!("{}备案报告", period.label));
    Ok(Plan {
        outputs: crate::batch::settle::documents(filing_report::plan(facts, &period), None),
        owned: Some(Vec::new()),
        owner,
        ..Default::default()
    })
}
