//! The outputs a run is to write, held while everything renders.

use std::path::PathBuf;

/// One output to write.
#[derive(Debug, Clone, PartialEq)]
pub struct ToWrite {
    /// Relative to out/: what the manifest records it under.
    pub path: String,
    /// What the manifest records it was made from.
    pub digest: String,
    /// The member file it was made from, if one.
    pub source: Option<PathBuf>,
    /// Pages it must have, if fixed, with what it is called.
    pub one_page: Option<&'static str>,
    /// What kind of document it is, in Chinese.
    pub kind: &'static str,
    /// A part of a print file (joined once everything is rendered).
    pub part: bool,
}
