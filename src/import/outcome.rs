//! What becomes of each row of the sheet, and the problems found on the way.

use std::path::PathBuf;

use super::columns::Field;
use crate::diag::Severity;

/// A problem in the sheet, at a row and (when known) a column.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// Where, when not on the main sheet (a history sheet's "外出记录!第 3 行").
    pub(super) place: Option<String>,
    pub(super) row: u32,
    pub(super) col: Option<usize>,
    pub(super) severity: Severity,
    pub(super) text: String,
}

/// What becomes of one data row.
#[derive(Debug)]
pub(crate) enum Outcome {
    New {
        path: PathBuf,
        name: String,
        lines: Vec<Field>,
        text: String,
    },
    /// Already in the data; with --update, the fields that changed.
    Existing {
        member_id: String,
        name: String,
        path: PathBuf,
        changes: Vec<(Field, String, String)>,
        text: Option<String>,
        /// The file as it was read: written over only if it is still so.
        original: String,
    },
    Skipped,
}
