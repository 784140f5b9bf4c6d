//! `register`: the intranet register, `out/register/`.

use crate::assets::Templates;
use crate::batch::Plan;
use crate::error::Error;
use crate::facts::Facts;

pub fn plan(facts: &Facts, assets: &Templates) -> Result<Plan, Error> {
    Ok(Plan { outputs: Vec::new(), files: files(facts, assets)?, owned: Some(vec!["register".into()]) })
}

/// The register's files (out/-relative paths and bytes).
pub fn files(facts: &Facts, assets: &Templates) -> Result<Vec<(String, Vec<u8>)>, Error> {
    crate::register::build(facts, assets).map_err(Error::Failed)
}
