//! A document to render, as batch keeps it: its render job, where it goes,
//! and what it was made from.

use std::path::PathBuf;

use crate::deflated::Deflated;
use crate::documents::DocumentKind;
use crate::render::typst::{Job, Part};

/// One PDF to make: where it goes, how to render it, and where its data
/// came from (for messages).
pub struct Planned {
    pub kind: &'static DocumentKind,
    /// Relative to `--out`.
    pub path: PathBuf,
    pub job: Job,
    /// The member file it was made from, if one.
    pub source: Option<PathBuf>,
    /// Pages it must have, if fixed (a one-page form), with what it is called.
    pub one_page: Option<&'static str>,
    /// A part of a print file: the file it joins into, and its place there.
    pub join: Option<(String, usize)>,
    /// A single document that is also one item of a print-file part: the
    /// part's path and the item's place in it. It is cut from the part's
    /// layout rather than laid out again.
    pub item_of: Option<(PathBuf, usize)>,
    /// The digest of the inputs it is made from, when known before its view
    /// is built (see [`super::Known`]): recorded, so the next run can tell.
    pub inputs: Option<String>,
    /// The digest of its view, known without building it: out/ holds it
    /// made from the same inputs. Its job has no data and is not rendered.
    pub known: Option<String>,
}

impl Planned {
    /// A single document of `kind` (one page if the kind says so) from its
    /// view, as JSON.
    pub fn new(kind: &'static DocumentKind, path: impl Into<PathBuf>, ident: impl Into<String>, view: &[u8]) -> Self {
        let mut p = Self::without_view(kind, path, ident);
        p.job.data = Deflated::new(view);
        p
    }

    /// A document of `kind` whose view is not held: known unchanged, or
    /// cut from its part.
    fn without_view(kind: &'static DocumentKind, path: impl Into<PathBuf>, ident: impl Into<String>) -> Self {
        Self {
            kind,
            path: path.into(),
            job: Job {
                template: kind.template.to_string(),
                data: Deflated::default(),
                ident: ident.into(),
                part: None,
                sequel: Vec::new(),
                count_pages: false,
            },
            source: None,
            one_page: kind.one_page.then_some(kind.zh),
            join: None,
            item_of: None,
            inputs: None,
            known: None,
        }
    }

    /// A document out/ holds made from `inputs`, its view's digest `view`:
    /// planned without building the view.
    pub fn known(kind: &'static DocumentKind, path: impl Into<PathBuf>, inputs: String, view: String) -> Self {
        let path = path.into();
        let mut p = Self::without_view(kind, path.clone(), path.to_string_lossy());
        (p.inputs, p.known) = (Some(inputs), Some(view));
        p
    }

    /// The single document of item `at` of print-file part `part`: cut
    /// from the part's layout, it has no view of its own (see
    /// [`crate::render::typst::Single`]).
    pub fn item(
        kind: &'static DocumentKind,
        path: impl Into<PathBuf>,
        ident: impl Into<String>,
        part: impl Into<PathBuf>,
        at: usize,
    ) -> Self {
        let mut p = Self::without_view(kind, path, ident);
        p.item_of = Some((part.into(), at));
        p
    }

    /// This document as part `index`, of `items` items, of print file `file`.
    pub fn as_part(mut self, file: &str, index: usize, items: usize) -> Self {
        // A part of a print file has as many pages as it has items.
        self.one_page = None;
        self.join = Some((file.to_string(), index));
        self.job.part = Some(Part { items, singles: Vec::new() });
        self
    }
}
