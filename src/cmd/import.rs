//! `import FILE --into DIR [--sheet] [--write] [--update]`: an office's own
//! Excel or CSV register into member files (a dry run unless `--write`).

use chrono::NaiveDate;

use crate::cli::{Cli, Command};
use crate::error::Error;
use crate::fonts::FontSet;

pub fn run(cli: &Cli, fonts: &FontSet, as_of: NaiveDate) -> Result<(), Error> {
    let Command::Import { file, into, sheet, write, update, rename } = &cli.command else {
        unreachable!("called for import only")
    };
    let req = crate::import::Request {
        file,
        sheet: sheet.as_deref(),
        into: into.as_deref().unwrap_or(&cli.data),
        write: *write,
        update: *update,
        rename: *rename,
        as_of,
    };
    crate::import::run(&req, fonts)
}
