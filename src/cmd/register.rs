//! `register`: the intranet register, `out/register/`.

use crate::assets::Templates;
use crate::batch::{Known, OtherFile, Plan};
use crate::error::Error;
use crate::facts::Facts;

pub fn plan(facts: &Facts, assets: &Templates, known: &Known) -> Result<Plan, Error> {
    Ok(Plan {
        outputs: Vec::new(),
        files: files(facts, assets, known)?,
        owned: Some(vec!["register".into()]),
        ..Default::default()
    })
}

/// The register's files, those `known` holds unchanged not made again.
pub fn files(facts: &Facts, assets: &Templates, known: &Known) -> Result<Vec<OtherFile>, Error> {
    let pages = crate::register::build(facts, assets).map_err(Error::Failed)?;
    crate::batch::settle::pages(pages, Some(known)).map_err(Error::Failed)
}
