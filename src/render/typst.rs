//! The typst engine: one World for the whole batch (library, fonts and
//! templates loaded once); each document only swaps in its own data file,
//! `/data.json`, which the template reads with `json("/data.json")`.
//! Member text therefore never becomes markup.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Datelike, NaiveDate};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, Duration, Smart, Value};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::assets::Templates;
use crate::deflated::Deflated;
use crate::fonts::FontSet;
use crate::render::{pdf_cut, pdf_join};

/// The one virtual path every document's data is read from.
pub const DATA_PATH: &str = "/data.json";

/// A view this large lays out large: a branch's dues papers (57 KB), a
/// part of 25 visit sheets (100 KB) or of 24 contact cards (144 KB).
/// Two such side by side set a run's peak, so no two render at once (see
/// [`Engine::render_each`]). Below it, as every part of information
/// cards (10–35 KB), they render side by side.
const LARGE: usize = 40_000;

pub use super::job::{Job, Part, Rendered, Single};

pub struct Engine<'f> {
    library: LazyHash<Library>,
    fonts: &'f FontSet,
    templates: Templates,
    today: Datetime,
    data_id: FileId,
    /// Templates read once (the office's override or the built-in file)
    /// and shared by every document.
    sources: Mutex<HashMap<FileId, FileResult<Source>>>,
    files: Mutex<HashMap<FileId, FileResult<Bytes>>>,
}

pub(super) fn file_id(path: &str) -> Option<FileId> {
    Some(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).ok()?).intern())
}

impl<'f> Engine<'f> {
    /// `today` is the `--as-of` date.
    pub fn new(templates: &Templates, fonts: &'f FontSet, today: NaiveDate) -> Self {
        let today = Datetime::from_ymd(today.year(), today.month() as u8, today.day() as u8).expect("valid date");
        // What templates may ask of the run: `sys.inputs.logo`, the office's logo file.
        let mut inputs = Dict::new();
        if let Some(logo) = templates.logo() {
            inputs.insert("logo".into(), Value::Str(logo.into()));
        }
        Self {
            library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
            fonts,
            templates: templates.clone(),
            today,
            data_id: file_id(DATA_PATH).expect("valid path"),
            sources: Mutex::default(),
            files: Mutex::default(),
        }
    }

    fn read(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(r) = self.files.lock().unwrap().get(&id) {
            return r.clone();
        }
        let path = format!("typst/{}", id.vpath().get_without_slash());
        let photo =
            id.vpath().get_without_slash().strip_prefix(crate::office::photo::FOLDER).and_then(|p| p.strip_prefix('/'));
        let not_found = || FileError::NotFound(PathBuf::from(id.vpath().get_without_slash()));
        // A member's photo, by the name the view gives it: read for each
        // document, never held for the run (thousands of them).
        if let Some(name) = photo {
            return self.templates.photo(name).map(Bytes::new).map_err(|_| not_found());
        }
        let result = {
            match self.templates.link_on_the_way(&path) {
                Some(link) => Err(FileError::Other(Some(
                    format!(
                        "{} 是链接（快捷方式），tuiguan 不读链接指向的文件；请把文件本身复制到这里",
                        link.display()
                    )
                    .into(),
                ))),
                None => self.templates.read(&path).map(Bytes::new).map_err(|_| not_found()),
            }
        };
        self.files.lock().unwrap().insert(id, result.clone());
        result
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(r) = self.sources.lock().unwrap().get(&id) {
            return r.clone();
        }
        let result = self.read(id).and_then(|b| {
            let text = std::str::from_utf8(&b).map_err(|_| FileError::InvalidUtf8)?;
            Ok(Source::new(id, text.to_string()))
        });
        self.sources.lock().unwrap().insert(id, result.clone());
        result
    }

    /// Compile one document to PDF: tagged for accessibility, except what
    /// is printed from a print file's parts (their tags would not survive
    /// the join, so a single cut from a part is untagged however it is made).
    pub fn render(&self, job: &Job) -> Result<Rendered, String> {
        self.render_as(job, job.part.is_none())
    }

    fn render_as(&self, job: &Job, tagged: bool) -> Result<Rendered, String> {
        if !job.sequel.is_empty() {
            return self.render_in_parts(job);
        }
        let main = job.main()?;
        let data = job.data.inflate().map_err(unreadable)?;
        let items = job.part.as_ref().map_or(1, |p| p.items);
        let (world, document) = match &job.part {
            // A part of records that may run on (its view says `runs_on`) is
            // laid out first as if none did (`runs_on: false`: no heading
            // for a record's further pages, whose query of the records
            // would cost typst a second layout pass, a sixth of a card's
            // time); again as it is only when one did. Its pages are the
            // same either way when none did.
            Some(_) if let Some(first) = without_runs_on(&data) => {
                let world = DocWorld { engine: self, main, data: Bytes::new(first) };
                let document = self.compile(&world)?;
                if document.pages().len() == items {
                    (world, document)
                } else {
                    drop(document);
                    let world = DocWorld { engine: self, main, data: Bytes::new(data) };
                    let document = self.compile(&world)?;
                    (world, document)
                }
            }
            _ => {
                let world = DocWorld { engine: self, main, data: Bytes::new(data) };
                let document = self.compile(&world)?;
                (world, document)
            }
        };
        let pages = document.pages().len();
        let starts = if pages == items { (0..pages).collect() } else { item_starts(&document) };
        let pdf = self.export(&world, &document, &job.ident, tagged)?;
        drop(document);
        let singles = match &job.part {
            None => Vec::new(),
            Some(part) if part.singles.is_empty() => Vec::new(),
            // Each single is its pages of this part, cut out of its PDF (see
            // `pdf_cut`): one page, or a record that ran on to more.
            Some(part) if starts.len() == part.items => {
                let cut = pdf_cut::Part::parse(&pdf).map_err(|e| format!("{}：{e}", job.ident))?;
                part.singles
                    .iter()
                    .map(|s| {
                        let from = starts[s.item];
                        let to = starts.get(s.item + 1).copied().unwrap_or(pages);
                        let pdf = cut.pages(from..to, &s.ident).map_err(|e| format!("{}：{e}", s.ident))?;
                        Ok(Rendered { pdf, pages: to - from, singles: Vec::new() })
                    })
                    .collect()
            }
            Some(part) => {
                let view = job.data.inflate().map_err(unreadable)?;
                part.singles
                    .iter()
                    .map(|s| {
                        let data = item_view(&view, s.item, part.items).map_err(|e| format!("{}：{e}", s.ident))?;
                        let alone = Job {
                            template: job.template.clone(),
                            data: Deflated::new(&data),
                            ident: s.ident.clone(),
                            part: None,
                            sequel: Vec::new(),
                            count_pages: false,
                        };
                        self.render_as(&alone, false)
                    })
                    .collect()
            }
        };
        Ok(Rendered { pdf, pages, singles })
    }

    /// A document in parts (see [`Job::sequel`]): each part laid out alone,
    /// its memo cache then emptied, so that only one part's layout is held;
    /// the parts' PDFs joined into one, untagged as every joined file.
    fn render_in_parts(&self, job: &Job) -> Result<Rendered, String> {
        let main = job.main()?;
        let parts = || std::iter::once(&job.data).chain(&job.sequel);
        // How many pages in all, when the pages say it: each part laid out
        // once to count its own, then forgotten.
        let mut total = None;
        if job.count_pages {
            let mut pages = 0;
            for data in parts() {
                let data = view_with(&data.inflate().map_err(unreadable)?, "first_page", (pages + 1).into())?;
                let world = DocWorld { engine: self, main, data: Bytes::new(data) };
                pages += self.compile(&world)?.pages().len();
                comemo::evict(0);
            }
            total = Some(pages);
        }
        let mut pdfs = Vec::new();
        let mut pages = 0;
        for (k, data) in parts().enumerate() {
            let mut data = view_with(&data.inflate().map_err(unreadable)?, "first_page", (pages + 1).into())?;
            if let Some(total) = total {
                data = view_with(&data, "total_pages", total.into())?;
            }
            let world = DocWorld { engine: self, main, data: Bytes::new(data) };
            let document = self.compile(&world)?;
            pages += document.pages().len();
            pdfs.push(self.export(&world, &document, &format!("{}-{k}", job.ident), false)?);
            drop(document);
            comemo::evict(0);
        }
        let pdf = pdf_join::join(&pdfs, &job.ident).map_err(|e| format!("无法合并各部分：{e}"))?;
        Ok(Rendered { pdf, pages, singles: Vec::new() })
    }

    fn compile(&self, world: &DocWorld) -> Result<PagedDocument, String> {
        typst::compile::<PagedDocument>(world).output.map_err(|errors| self.describe(world, &errors))
    }

    /// Write `document` as PDF.
    fn export(&self, world: &DocWorld, document: &PagedDocument, ident: &str, tagged: bool) -> Result<Vec<u8>, String> {
        let options = PdfOptions {
            ident: Smart::Custom(ident.to_string()),
            // No creation date: a PDF holds only what its page shows, so a
            // document whose content did not change with a new `--as-of` is
            // the same file, whether it was made again or carried over.
            timestamp: None,
            tagged,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(document, &options).map_err(|errors| self.describe(world, &errors))
    }

    /// Render many documents on all cores, handing each result to `sink`
    /// (on the worker thread) as soon as it is ready, so that finished PDFs
    /// are not held in memory: memory stays flat however many there are.
    ///
    /// `jobs` come smallest first. Those of at least [`LARGE`] render one
    /// at a time, largest first, on one worker, while the others render
    /// the small ones from the start; whichever lane is done first helps
    /// the other through typst's own parallel steps, and the large lane
    /// then takes small ones too. So a run's peak is one large layout
    /// beside a small one, whatever the number of branches: at 20,000
    /// members, about 190 MB with the 99 visit-sheet parts or the 67 dues
    /// papers one at a time, against 251 MB with two side by side, in the
    /// same time. At 2,000 members the build is about 2 s slower (19.5 s
    /// against 17 s), its peak 152–153 MB against 185–221 MB. The last
    /// job, if it is not a print-file part (a long filing report), renders
    /// alone at the end on an emptied memo cache.
    pub fn render_each(&self, jobs: Vec<Job>, sink: &(dyn Fn(usize, Result<Rendered, String>) + Sync)) {
        let end = jobs.len() - usize::from(jobs.last().is_some_and(|j| j.part.is_none()));
        let large_from = jobs[..end].iter().position(|j| j.size() >= LARGE).unwrap_or(end);
        // Each worker takes its job out of its slot, so a document's data is
        // freed as soon as it is rendered.
        let jobs: Vec<Mutex<Option<Job>>> = jobs.into_iter().map(|j| Mutex::new(Some(j))).collect();
        let one = |i: usize| {
            let job = jobs[i].lock().unwrap().take().expect("each job is taken once");
            let r = self.render(&job);
            // Each document's data is new: drop memoised results that have
            // not been used recently so memory stays flat. After a
            // print-file part, drop them all: its 25 items' layouts are
            // most of the cache, and the next part shares nothing with them
            // but templates and fonts (measured at 1,000 cards: 435 MB with
            // evict(3), 263 MB with evict(0), same time).
            comemo::evict(if job.part.is_some() { 0 } else { 3 });
            drop(job);
            sink(i, r);
        };
        let next_small = AtomicUsize::new(0);
        let small = || {
            loop {
                let i = next_small.fetch_add(1, Ordering::Relaxed);
                if i >= large_from {
                    break;
                }
                one(i);
            }
        };
        let large = || {
            for i in (large_from..end).rev() {
                one(i);
            }
            small();
        };
        let workers = rayon::current_num_threads().min(end).max(1);
        // The workers are the threads of rayon's pool, which typst's own
        // parallel steps use: those then run on the worker that asked for
        // them (or the other one, when it is idle), not on two more threads
        // with heaps of their own to keep (2,000 cards: 255 MB against
        // 276–280 MB).
        rayon::scope(|s| {
            for _ in 1..workers {
                s.spawn(|_| small());
            }
            large();
        });
        for i in end..jobs.len() {
            comemo::evict(0);
            rayon::scope(|_| one(i));
        }
        // The last document's layouts are not needed while the print files
        // are joined and the manifest written: at 20,000 members the filing
        // report's, kept, would hold the run at 164 MB there and make that
        // its peak.
        comemo::evict(0);
    }

    /// Typst errors in Chinese framing, with the template's file and line.
    fn describe(&self, world: &DocWorld, errors: &[SourceDiagnostic]) -> String {
        let mut out = Vec::new();
        for e in errors.iter().filter(|e| e.severity == Severity::Error) {
            let place = e
                .span
                .id()
                .and_then(|id| {
                    let source = world.source(id).ok()?;
                    let range = typst::WorldExt::range(world, e.span)?;
                    let (line, col) = source.lines().byte_to_line_column(range.start)?;
                    let path = if id == self.data_id {
                        DATA_PATH.to_string()
                    } else {
                        self.templates.origin(&format!("typst/{}", id.vpath().get_without_slash()))
                    };
                    Some(format!("{path}:{}:{}", line + 1, col + 1))
                })
                .unwrap_or_else(|| "模板".to_string());
            let mut msg = format!("{place}: 模板错误: {}", e.message);
            for h in &e.hints {
                msg.push_str(&format!("\n    提示: {}", h.v));
            }
            out.push(msg);
        }
        out.join("\n")
    }
}

/// The page (from 0) each item of a part begins on: a template numbers
/// every item's pages from 1 (`counter(page).update(1)`), so an item that
/// runs on to a second page is seen by its page numbers. A template that
/// does not number its items so has one start.
fn item_starts(document: &PagedDocument) -> Vec<usize> {
    document.pages().iter().enumerate().filter(|(k, p)| *k == 0 || p.number == 1).map(|(k, _)| k).collect()
}

/// A view that could not be read back.
fn unreadable(e: std::io::Error) -> String {
    format!("无法读回文书数据（临时文件）：{e}")
}

/// The view `data` with `runs_on` set to false, when it has the key (its
/// records may run on); None otherwise. Read once.
fn without_runs_on(data: &[u8]) -> Option<Vec<u8>> {
    let mut view: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(data).ok()?;
    *view.get_mut("runs_on")? = false.into();
    serde_json::to_vec(&view).ok()
}

/// The view `data` with `key` set to `value`: what the run tells the
/// template beside the view (a part's `first_page`).
fn view_with(data: &[u8], key: &str, value: serde_json::Value) -> Result<Vec<u8>, String> {
    let mut view: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(data).map_err(|e| format!("文书数据无效：{e}"))?;
    view.insert(key.into(), value);
    serde_json::to_vec(&view).map_err(|e| format!("文书数据无效：{e}"))
}

/// The view of a part of `items` items (`data`) holding only item `item`:
/// its one list of `items` entries cut down to that entry, the rest as it
/// is. What the single document of that item is laid out from.
pub fn item_view(data: &[u8], item: usize, items: usize) -> Result<Vec<u8>, String> {
    let mut view: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(data).map_err(|e| format!("文书数据无效：{e}"))?;
    let mut lists = view.values_mut().filter_map(|v| v.as_array_mut()).filter(|l| l.len() == items);
    let (Some(list), None) = (lists.next(), lists.next()) else {
        return Err(format!("文书数据无效：应有且只有一个 {items} 项的列表"));
    };
    let one = list.get(item).cloned().ok_or_else(|| format!("文书数据无效：没有第 {} 项", item + 1))?;
    *list = vec![one];
    serde_json::to_vec(&view).map_err(|e| format!("文书数据无效：{e}"))
}

/// The World as one document sees it: everything shared, except the data.
struct DocWorld<'a, 'f> {
    engine: &'a Engine<'f>,
    main: FileId,
    data: Bytes,
}

impl World for DocWorld<'_, '_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.engine.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.engine.data_id {
            return Err(FileError::NotSource);
        }
        self.engine.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.engine.data_id {
            return Ok(self.data.clone());
        }
        self.engine.read(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.engine.today)
    }
}

#[cfg(test)]
mod tests {
    use super::item_view;

    #[test]
    fn an_items_view_holds_only_that_item() {
        let part = r#"{"letters":[{"name":"甲"},{"name":"乙"},{"name":"丙"}],"title":"元旦"}"#.as_bytes();
        let one: serde_json::Value = serde_json::from_slice(&item_view(part, 1, 3).unwrap()).unwrap();
        assert_eq!(one, serde_json::json!({"letters": [{"name": "乙"}], "title": "元旦"}));
        assert!(item_view(part, 3, 3).unwrap_err().contains("没有第 4 项"));
        // The list of items is the one as long as the part: none, or two, is an error.
        assert!(item_view(part, 0, 2).is_err());
        let two = br#"{"a":[1,2],"b":[3,4]}"#;
        assert!(item_view(two, 0, 2).is_err());
    }
}
