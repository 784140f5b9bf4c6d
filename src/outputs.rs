//! What [`crate::documents`] and [`crate::register`] hand on: plain
//! outputs — where a file goes, what it is, what it reads, and its content
//! made on demand. They know nothing of how a run skips what has not
//! changed, renders, joins print files or records what it made: that is
//! [`crate::batch`]'s (as mdBook's renderers get a book and write files,
//! and know nothing of the watcher).
//!
//! What an output reads ([`Reads`]) is what lets batch leave it alone: an
//! output made from one member's file is not made again while that file,
//! and what every member's documents share, are as they were.

use std::io::Write;
use std::path::PathBuf;

use crate::documents::DocumentKind;
use crate::office::Member;

/// A document's view, serialised to JSON when batch asks for it (never,
/// when out/ holds the document made from the same inputs).
pub type View<'f> = Box<dyn FnOnce() -> Vec<u8> + 'f>;

/// A view as the JSON its template reads.
pub fn to_json(v: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(v).expect("views serialise")
}

/// The view `v`, serialised now: for a view that borrows what its maker
/// holds only while it plans (a list's rows).
pub fn json<'f>(v: &impl serde::Serialize) -> View<'f> {
    let bytes = to_json(v);
    Box::new(move || bytes)
}

/// What an output is made from, besides the templates, fonts and build.
pub enum Reads<'f> {
    /// Anything in the office (a branch's list, the filing report): made
    /// every run.
    Office,
    /// One member's file and photo, and what every member's documents
    /// share (org.yaml, `--as-of`).
    Member(&'f Member),
    /// One item per member, in order, each made from its member's file,
    /// what all share, and one more input every item reads, by its digest
    /// (a letter's text and festival; "" when none).
    Members(Vec<&'f Member>, String),
}

/// Where a document's pages go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A file of its own.
    Single,
    /// Part `index`, of `items` items (one page or more each), of print
    /// file `file` (relative to out/).
    Part { file: String, index: usize, items: usize },
    /// A single document that is item `at` of print-file part `part`: its
    /// pages are cut from the part's, not laid out again. It has no view,
    /// and reads what that item of the part reads.
    Item { part: PathBuf, at: usize },
}

/// One PDF to make.
pub struct Output<'f> {
    pub kind: &'static DocumentKind,
    /// Relative to out/.
    pub path: PathBuf,
    /// What it is called in messages.
    pub ident: String,
    /// The member file it was made from, if one (for messages).
    pub source: Option<PathBuf>,
    /// Must be one page: what it is called (a one-page form).
    pub one_page: Option<&'static str>,
    pub shape: Shape,
    pub reads: Reads<'f>,
    /// None for an [`Shape::Item`].
    pub view: Option<View<'f>>,
    /// Views laid out after the first, in the same document, each starting
    /// on a new page (the filing report's continuation sheets, the pieces
    /// of a long list).
    pub sequel: Vec<View<'f>>,
    /// Its pages say how many there are in all ("第3页　共9页"): a document
    /// in parts is laid out once to count them.
    pub counts_pages: bool,
}

impl<'f> Output<'f> {
    /// A single document of `kind` (one page if the kind says so), made
    /// from anything in the office.
    pub fn new(
        kind: &'static DocumentKind,
        path: impl Into<PathBuf>,
        ident: impl Into<String>,
        view: View<'f>,
    ) -> Self {
        Self {
            kind,
            path: path.into(),
            ident: ident.into(),
            source: None,
            one_page: kind.one_page.then_some(kind.zh),
            shape: Shape::Single,
            reads: Reads::Office,
            view: Some(view),
            sequel: Vec::new(),
            counts_pages: false,
        }
    }

    /// Made from member `m`'s file alone (and what all share).
    pub fn of_member(mut self, m: &'f Member) -> Self {
        self.reads = Reads::Member(m);
        self.from_member(&m.file)
    }

    /// Made from a member's file `file` among other things: messages name it.
    pub fn from_member(mut self, file: &std::path::Path) -> Self {
        self.source = Some(file.to_path_buf());
        self
    }

    /// Part `index`, of `items` items, of print file `stem.pdf`.
    pub fn as_part(mut self, stem: &str, index: usize, items: usize) -> Self {
        // A part has as many pages as it has items.
        self.one_page = None;
        self.shape = Shape::Part { file: format!("{stem}.pdf"), index, items };
        self
    }

    /// The single document of item `at` of print-file part `part`, member
    /// `m`'s.
    pub fn item(
        kind: &'static DocumentKind,
        path: impl Into<PathBuf>,
        ident: impl Into<String>,
        m: &'f Member,
        part: impl Into<PathBuf>,
        at: usize,
    ) -> Self {
        Self {
            kind,
            path: path.into(),
            ident: ident.into(),
            source: Some(m.file.clone()),
            one_page: kind.one_page.then_some(kind.zh),
            shape: Shape::Item { part: part.into(), at },
            reads: Reads::Member(m),
            view: None,
            sequel: Vec::new(),
            counts_pages: false,
        }
    }
}

/// A file made without typst (a register page), written into `out` when
/// batch asks for it. Err: what went wrong, in the clerk's words.
pub type Make<'f> = Box<dyn FnOnce(&mut dyn Write) -> Result<(), String> + 'f>;

/// One file made without typst.
pub struct Page<'f> {
    /// Relative to out/, with `/`.
    pub path: String,
    pub reads: Reads<'f>,
    pub make: Make<'f>,
}

impl<'f> Page<'f> {
    /// A page made from anything in the office.
    pub fn new(path: impl Into<String>, make: Make<'f>) -> Self {
        Self { path: path.into(), reads: Reads::Office, make }
    }

    /// A file of these bytes.
    pub fn bytes(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        Self::new(path, Box::new(move |w| w.write_all(&bytes).map_err(|e| e.to_string())))
    }
}
