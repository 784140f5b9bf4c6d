//! What the engine is given and gives back: a document's job (its
//! template and view), a print-file part's singles, and the PDF made.

use typst::syntax::FileId;

use super::typst::file_id;
use crate::deflated::Deflated;

/// One document to render: a template and its data.
pub struct Job {
    /// Template path among the typst templates, e.g. `info-card.typ`.
    pub template: String,
    /// The document's view, serialised to JSON (held deflated).
    pub data: Deflated,
    /// A stable identifier written into the PDF (keeps output deterministic).
    pub ident: String,
    /// A part of a print file: laid out once, written untagged (it is joined
    /// into the print file, where tags are not kept), and the single
    /// documents among its items cut out of its PDF.
    pub part: Option<Part>,
    /// The views of the document's further parts (a long filing report):
    /// each laid out after the one before, on an emptied memo cache, its
    /// page numbers going on (`first_page` in its view), then all joined.
    pub sequel: Vec<Deflated>,
    /// Its pages say how many there are in all: the parts of its sequel
    /// are laid out once to count them (`total_pages` in each view).
    pub count_pages: bool,
}

impl Job {
    /// A whole document of `template` (not a part) from its views as JSON:
    /// the first, then each of its sequel's.
    pub fn of_views(template: &str, ident: &str, first: Vec<u8>, sequel: impl IntoIterator<Item = Vec<u8>>) -> Self {
        Self {
            template: template.to_string(),
            data: Deflated::new(&first),
            ident: ident.to_string(),
            part: None,
            sequel: sequel.into_iter().map(|v| Deflated::new(&v)).collect(),
            count_pages: false,
        }
    }

    /// Its template's file.
    pub(super) fn main(&self) -> Result<FileId, String> {
        file_id(&format!("/{}", self.template)).ok_or_else(|| format!("模板路径无效：{}", self.template))
    }

    /// The bytes of its views: the schedule renders the largest last.
    pub fn size(&self) -> usize {
        self.data.len() + self.sequel.iter().map(Deflated::len).sum::<usize>()
    }
}

/// What a print-file part also yields: one single document per listed item.
pub struct Part {
    /// How many items the part holds, one or more pages each.
    pub items: usize,
    pub singles: Vec<Single>,
}

/// A single document that is also item `item` of a part, `ident` written
/// into its PDF. When every item of the part came out as exactly one page
/// it is that page, cut out of the part's PDF (see `pdf_cut`); otherwise
/// (an item ran over and its template cannot scale it) it is rendered alone
/// from the part's view holding only its item (see [`super::typst::item_view`]). It has
/// no view of its own: 20,000 cards and letters held theirs beside their
/// parts' to the end of the run.
pub struct Single {
    pub item: usize,
    pub ident: String,
}

/// A rendered PDF.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// For a part: its singles, in the order asked for.
    pub singles: Vec<Result<Rendered, String>>,
}
