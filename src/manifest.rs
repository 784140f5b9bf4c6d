//! Incremental builds: `out/.tuiguan-manifest` records, for each output
//! file, a digest of everything it was made from — its data (the document's
//! view, which already holds every derived fact and the `--as-of` date where
//! it matters), the templates, the fonts and the tuiguan version. A rebuild
//! renders only outputs whose digest changed. The manifest is written into
//! the staging folder with the outputs and moved into out/ last, so it
//! never claims a file that out/ does not have (a move cut short by a kill
//! is finished by the next run before the manifest is read).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// SipHash-1-3, 128 bit (the `siphasher` crate, already in the tree
/// through typst): stable by definition (unlike std's hasher), and fast
/// enough to digest every PDF a run writes and every part it reuses (a
/// byte-at-a-time FNV-1a takes a second to read the print files' parts of
/// a 10,000-member office).
#[derive(Clone, Default)]
pub struct Digest(siphasher::sip128::SipHasher13);

impl Digest {
    /// One field.
    pub fn update(&mut self, bytes: &[u8]) -> &mut Self {
        self.update_part(bytes).end_field(bytes.len() as u64)
    }
    /// Bytes of a field given piece by piece as they are made: once
    /// [`end_field`](Self::end_field) has its length, the same as
    /// [`update`](Self::update) of all of them.
    pub fn update_part(&mut self, bytes: &[u8]) -> &mut Self {
        use std::hash::Hasher;
        self.0.write(bytes);
        self
    }
    /// The end of a field `len` bytes long. Separate fields so that ("ab",
    /// "c") and ("a", "bc") differ.
    pub fn end_field(&mut self, len: u64) -> &mut Self {
        use std::hash::Hasher;
        self.0.write_u64(len);
        self
    }
    pub fn hex(&self) -> String {
        hex(self.value())
    }
    pub fn value(&self) -> u128 {
        use siphasher::sip128::Hasher128;
        self.0.finish128().as_u128()
    }
}

/// A digest's value as the manifest writes it.
pub fn hex(value: u128) -> String {
    format!("{value:032x}")
}

pub const FILE: &str = ".tuiguan-manifest";
/// A manifest being written in place (see [`Manifest::replace_in`]); one a
/// killed run left is removed by `output::recover`.
pub const NEW: &str = ".tuiguan-manifest.new";

/// output path (relative to out/) → "input digest:content digest" (the
/// content digest is what the file held when written, so a part that was
/// replaced or damaged since is noticed before it is joined).
/// The second field is what the last run read and found (see
/// `batch::Options::run`): when it read the same again, nothing is planned.
/// The third is who each file belongs to, where that is not the standing
/// plan alone (see [`crate::batch::owners`]).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest(pub BTreeMap<String, String>, pub Option<Run>, pub Owners);

/// output path → the owners of a file that is not the standing plan's
/// alone, each an occasion's label ("2027年春节慰问信"), [`STANDING`] for
/// the standing plan; sorted, each once. A path not here is the standing
/// plan's.
pub type Owners = BTreeMap<String, Vec<String>>;

/// The standing plan's owner label: what `build` makes from the data and
/// the date alone.
pub const STANDING: &str = "";

/// A run that made out/: the digest of everything it read, and how many
/// warnings the data had. A later run that reads the same stops before
/// load and says how many warnings there still are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub inputs: String,
    pub warnings: usize,
}

impl Run {
    fn to_text(&self) -> String {
        format!("{} {}", self.inputs, self.warnings)
    }

    fn from_text(text: &str) -> Option<Self> {
        let (inputs, warnings) = text.split_once(' ')?;
        Some(Self { inputs: inputs.to_string(), warnings: warnings.parse().ok()? })
    }
}

const RUN: &str = "# run: ";
/// A line `# owners<TAB>label|label<TAB>path`.
const OWNERS: &str = "# owners\t";
/// Between the labels of one file's owners.
const OWNER_SEP: char = '|';
/// The last line: the digest of all before it.
const CHECK: &str = "# check: ";

/// The digest of digests `parts`, in order (a print-file part's inputs
/// from its members').
pub fn digest_all<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut d = Digest::default();
    parts.into_iter().for_each(|p| _ = d.update(p.as_bytes()));
    d.hex()
}

/// One entry of the manifest, `made:content`, taken apart: built by
/// [`entry`], [`entry_from`] and [`made_of`], read only through here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// What the output was made from, as the run digests it: a document's
    /// view digest, or `file` for a file made without typst; then, after a
    /// `+`, the digest of its inputs when they were known before it was
    /// made; for such a file, after another `+`, its length.
    pub made: &'a str,
    /// The digest of its bytes.
    pub content: &'a str,
}

impl<'a> Entry<'a> {
    /// An entry without a `:` is all `made`, with no content digest (a
    /// print file's, which records the digest of its parts).
    pub fn parse(entry: &'a str) -> Self {
        let (made, content) = entry.split_once(':').unwrap_or((entry, ""));
        Self { made, content }
    }

    /// The view digest, or `file`.
    pub fn view(&self) -> &'a str {
        self.made.split('+').next().unwrap_or(self.made)
    }

    /// The digest of the inputs, when it was known before the output was made.
    pub fn inputs(&self) -> Option<&'a str> {
        self.made.split('+').nth(1)
    }

    /// The length of a file made without typst from known inputs.
    pub fn file_len(&self) -> Option<u64> {
        self.made.split('+').nth(2)?.parse().ok()
    }
}

/// What an output was made from: its view's digest and, when known before
/// it was made, its inputs' (see [`Entry::made`]).
pub fn made_of(view: &str, inputs: Option<&str>) -> String {
    match inputs {
        Some(inputs) => format!("{view}+{inputs}"),
        None => view.to_string(),
    }
}

/// The value a manifest records for an output made from `made` (see
/// [`Entry::made`]) whose content has the digest `content`
/// (`Digest::value`, taken once where the bytes are made).
pub fn entry(made: &str, content: u128) -> String {
    entry_of(made, &hex(content))
}

/// The entry of an output made from `made` whose content's digest is the
/// hex `content`.
pub fn entry_of(made: &str, content: &str) -> String {
    format!("{made}:{content}")
}

/// The value a manifest records for a file made from inputs known by
/// digest before it is made (see `batch::Known`): the inputs and the
/// length `len`, then the content's digest.
pub fn entry_from(inputs: &str, len: usize, content: u128) -> String {
    entry(&format!("file+{inputs}+{len}"), content)
}

/// The modification time a print-file part is given once written: drawn
/// from its content digest (between 2001 and 2033, to the nanosecond). An
/// unchanged part is then known by one `stat` instead of reading it, and
/// nothing that varies from run to run goes into the manifest. Anything
/// that writes the file — cut short, copied over — gives it the current
/// time; a file system that keeps coarser times never matches, and its
/// parts are read in full.
pub fn seal_time(content: &str) -> SystemTime {
    let n = u128::from_str_radix(content, 16).unwrap_or(0);
    let secs = 1_000_000_000 + (n % 1_000_000_000) as u64;
    UNIX_EPOCH + Duration::new(secs, ((n >> 64) % 1_000_000_000) as u32)
}

/// Give `file` the modification time of content digest `content`.
pub fn seal(file: &Path, content: &str) -> std::io::Result<()> {
    std::fs::File::options().write(true).open(file)?.set_modified(seal_time(content))
}

/// Whether `file` is as the run that wrote the manifest at `since` left it,
/// whose entry for it is `entry`: of length `len`, and modified before the
/// manifest was written. A file modified in the same tick of the system's
/// clock as the manifest (a few milliseconds) may have been changed just
/// after it: its content says.
fn as_left(entry: &str, file: &Path, len: u64, since: Option<SystemTime>) -> bool {
    let Ok(meta) = std::fs::metadata(file) else { return false };
    match meta.modified().ok().zip(since) {
        _ if meta.len() != len => false,
        Some((t, since)) if t < since => true,
        Some((t, since)) if t == since => {
            std::fs::read(file).is_ok_and(|b| Digest::default().update(&b).hex() == Entry::parse(entry).content)
        }
        _ => false,
    }
}

impl Manifest {
    /// The entry recorded for `path`, taken apart.
    pub fn entry(&self, path: &str) -> Option<Entry<'_>> {
        self.0.get(path).map(|e| Entry::parse(e))
    }

    /// The input digest recorded for `path`.
    pub fn input(&self, path: &str) -> Option<&str> {
        self.entry(path).map(|e| e.made)
    }

    /// The digest of the view `path` was made from: its input digest up to
    /// a `+` (after which come the digest of the inputs, when known).
    pub fn view(&self, path: &str) -> Option<&str> {
        self.entry(path).map(|e| e.view())
    }

    /// Whether `file` still holds what was recorded for `path` (false when
    /// nothing, or no content digest, was recorded). A file sealed with that
    /// content (see [`seal`]) is known by its modification time alone; any
    /// other is read, and sealed if it matches.
    pub fn content_matches(&self, path: &str, file: &Path) -> bool {
        let Some(content) = self.entry(path).map(|e| e.content).filter(|c| !c.is_empty()) else { return false };
        if std::fs::metadata(file).and_then(|m| m.modified()).is_ok_and(|t| t == seal_time(content)) {
            return true;
        }
        let matches = std::fs::read(file).is_ok_and(|b| Digest::default().update(&b).hex() == content);
        if matches {
            let _ = seal(file, content);
        }
        matches
    }

    /// Whether `file` (out/'s `path`) holds what `entry` says, known without
    /// reading it: this manifest records the same entry for it, and the
    /// file has `len` bytes and was last modified no later than the
    /// manifest (`since`) was written. Any later change to it — an edit, a
    /// copy over it — gives it a later time.
    pub fn holds(&self, path: &str, entry: &str, file: &Path, len: usize, since: Option<SystemTime>) -> bool {
        self.0.get(path).is_some_and(|e| e == entry) && as_left(entry, file, len as u64, since)
    }

    /// The entry recorded for `path` when it was made from `inputs` (see
    /// [`entry_from`]) and `file` is as that run left it: of the recorded
    /// length, and not modified since the manifest (`since`) was written.
    pub fn made_from(&self, path: &str, inputs: &str, file: &Path, since: Option<SystemTime>) -> Option<&str> {
        let entry = self.0.get(path)?;
        let e = Entry::parse(entry);
        let (recorded, len) = (e.inputs()?, e.file_len()?);
        (recorded == inputs && as_left(entry, file, len, since)).then_some(entry.as_str())
    }

    /// Who `path` belongs to (the standing plan when none is recorded).
    pub fn owners_of(&self, path: &str) -> Vec<String> {
        self.2.get(path).cloned().unwrap_or_else(|| vec![STANDING.to_string()])
    }

    /// When `out/.tuiguan-manifest` was last written.
    pub fn written(out: &Path) -> Option<SystemTime> {
        std::fs::metadata(out.join(FILE)).and_then(|m| m.modified()).ok()
    }

    /// Read `out/.tuiguan-manifest`; a missing, unreadable or damaged one
    /// (its last line, the digest of the rest, does not match: cut short,
    /// edited) is empty, so everything renders again.
    pub fn read(out: &Path) -> Self {
        let Ok(text) = std::fs::read_to_string(out.join(FILE)) else { return Self::default() };
        Self::parse(&text)
    }

    /// A manifest from its text (see [`Manifest::to_text`]); empty when
    /// damaged, as [`Manifest::read`] says.
    pub fn parse(text: &str) -> Self {
        let body = text.strip_suffix('\n').unwrap_or(text);
        let Some((body, check)) = body.rsplit_once('\n') else { return Self::default() };
        if check.strip_prefix(CHECK) != Some(Digest::default().update(body.as_bytes()).hex().as_str()) {
            return Self::default();
        }
        Self(
            body.lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t'))
                .map(|(digest, path)| (path.to_string(), digest.to_string()))
                .collect(),
            body.lines().find_map(|l| l.strip_prefix(RUN)).and_then(Run::from_text),
            body.lines()
                .filter_map(|l| l.strip_prefix(OWNERS)?.split_once('\t'))
                .map(|(owners, path)| (path.to_string(), owners.split(OWNER_SEP).map(str::to_string).collect()))
                .collect(),
        )
    }

    /// Replace `out/.tuiguan-manifest` with this one, atomically (written
    /// beside it, then renamed over it). For a run that found out/ up to
    /// date but read other inputs than the last one (a comment added to a
    /// member file, a new `--as-of` that changed no document): recording its
    /// input digest lets the next such run stop after load and check.
    pub fn replace_in(&self, out: &Path) -> std::io::Result<()> {
        let new = out.join(NEW);
        std::fs::write(&new, self.to_text())?;
        std::fs::rename(&new, out.join(FILE))
    }

    pub fn to_text(&self) -> String {
        let mut s = String::from("# tuiguan：每个输出文件的输入摘要，用于增量生成。请勿手工修改。\n");
        if let Some(run) = &self.1 {
            s.push_str(&format!("{RUN}{}\n", run.to_text()));
        }
        for (path, digest) in &self.0 {
            s.push_str(&format!("{digest}\t{path}\n"));
        }
        for (path, owners) in &self.2 {
            s.push_str(&format!("{OWNERS}{}\t{path}\n", owners.join(&OWNER_SEP.to_string())));
        }
        let check = Digest::default().update(s.strip_suffix('\n').unwrap_or(&s).as_bytes()).hex();
        s.push_str(&format!("{CHECK}{check}\n"));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_is_stable_and_field_separated() {
        let a = Digest::default().update(b"ab").update(b"c").hex();
        let b = Digest::default().update(b"a").update(b"bc").hex();
        assert_ne!(a, b);
        assert_eq!(Digest::default().update(b"tuiguan").hex(), Digest::default().update(b"tuiguan").hex());
    }

    #[test]
    fn manifest_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::default();
        m.0.insert("info-cards/a 1.pdf".into(), "0123456789abcdef".into());
        m.1 = Some(Run { inputs: "fedcba9876543210".into(), warnings: 12 });
        m.2.insert("info-cards/a 1.pdf".into(), vec![STANDING.into(), "2027年春节慰问信".into()]);
        std::fs::write(dir.path().join(FILE), m.to_text()).unwrap();
        assert_eq!(Manifest::read(dir.path()), m);
        assert_eq!(Manifest::parse(&m.to_text()), m);
        // A run line without its warnings (an older tuiguan's) is no run.
        let old = m.to_text().replace(" 12\n", "\n");
        let body = old.rsplit_once("# check: ").unwrap().0.strip_suffix('\n').unwrap();
        let old = format!("{body}\n# check: {}\n", Digest::default().update(body.as_bytes()).hex());
        std::fs::write(dir.path().join(FILE), old).unwrap();
        assert_eq!(Manifest::read(dir.path()), Manifest(m.0.clone(), None, m.2.clone()));
    }

    #[test]
    fn a_damaged_manifest_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::default();
        for i in 0..20 {
            m.0.insert(format!("info-cards/{i}.pdf"), format!("{i:032x}"));
        }
        m.1 = Some(Run { inputs: "fedcba9876543210".into(), warnings: 0 });
        let text = m.to_text();
        let cut = &text[..text.len() / 2];
        let edited = text.replacen("info-cards/3.pdf", "info-cards/4.pdf", 1);
        for damaged in [cut.to_string(), edited, format!("{text}x\tmore.pdf\n"), String::new()] {
            std::fs::write(dir.path().join(FILE), damaged).unwrap();
            assert_eq!(Manifest::read(dir.path()), Manifest::default());
        }
    }

    #[test]
    fn a_sealed_part_is_known_by_its_time_and_any_rewrite_breaks_the_seal() {
        let dir = tempfile::tempdir().unwrap();
        let part = dir.path().join("0001.pdf");
        let content = Digest::default().update(b"part one").hex();
        let m = Manifest([("p".to_string(), format!("input:{content}"))].into(), None, Owners::new());
        // Written but not sealed: read, found right, and sealed.
        std::fs::write(&part, b"part one").unwrap();
        assert!(m.content_matches("p", &part));
        assert_eq!(std::fs::metadata(&part).unwrap().modified().unwrap(), seal_time(&content));
        // Sealed: the time alone is trusted (these bytes are not read).
        std::fs::write(&part, b"part two").unwrap();
        seal(&part, &content).unwrap();
        assert!(m.content_matches("p", &part));
        // Rewritten (cut short, copied over): a new time, read, refused.
        std::fs::write(&part, b"part").unwrap();
        assert!(!m.content_matches("p", &part));
        // Two contents, two times.
        assert_ne!(seal_time(&content), seal_time(&Digest::default().update(b"part two").hex()));
    }

    #[test]
    fn a_file_made_from_known_inputs_is_known_by_them_its_length_and_its_time() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("m.html");
        std::fs::write(&page, b"<p>page</p>").unwrap();
        let entry = entry_from("abc", 11, Digest::default().update(b"<p>page</p>").value());
        let m = Manifest([("m.html".to_string(), entry.clone())].into(), None, Owners::new());
        let later = std::time::SystemTime::now() + Duration::from_secs(60);
        assert_eq!(m.made_from("m.html", "abc", &page, Some(later)), Some(entry.as_str()));
        // Other inputs, another path, no manifest time: not known.
        assert_eq!(m.made_from("m.html", "abd", &page, Some(later)), None);
        assert_eq!(m.made_from("n.html", "abc", &page, Some(later)), None);
        assert_eq!(m.made_from("m.html", "abc", &page, None), None);
        // Written after the manifest: not known.
        let earlier = std::time::SystemTime::now() - Duration::from_secs(60);
        assert_eq!(m.made_from("m.html", "abc", &page, Some(earlier)), None);
        // Another length, even with the old time put back: not known.
        let time = std::fs::metadata(&page).unwrap().modified().unwrap();
        std::fs::write(&page, b"<p>pag</p>").unwrap();
        std::fs::File::options().write(true).open(&page).unwrap().set_modified(time).unwrap();
        assert_eq!(m.made_from("m.html", "abc", &page, Some(later)), None);
    }

    #[test]
    fn an_entry_is_taken_apart_as_it_was_made() {
        let doc = entry(&made_of("v1", Some("in1")), 7);
        let e = Entry::parse(&doc);
        assert_eq!((e.view(), e.inputs(), e.file_len(), e.content), ("v1", Some("in1"), None, hex(7).as_str()));
        let bare = entry(&made_of("v1", None), 7);
        let bare = Entry::parse(&bare);
        assert_eq!((bare.made, bare.inputs()), ("v1", None));
        let page = entry_from("in2", 11, 9);
        let e = Entry::parse(&page);
        assert_eq!((e.view(), e.inputs(), e.file_len()), ("file", Some("in2"), Some(11)));
        // A print file's: what it was made from alone.
        assert_eq!(Entry::parse("parts"), Entry { made: "parts", content: "" });
    }

    #[test]
    fn a_file_of_the_manifests_own_tick_is_known_by_its_content() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("m.html");
        std::fs::write(&page, b"<p>page</p>").unwrap();
        let entry = entry_from("abc", 11, Digest::default().update(b"<p>page</p>").value());
        let m = Manifest([("m.html".to_string(), entry.clone())].into(), None, Owners::new());
        let tick = std::fs::metadata(&page).unwrap().modified().unwrap();
        assert_eq!(m.made_from("m.html", "abc", &page, Some(tick)), Some(entry.as_str()));
        assert!(m.holds("m.html", &entry, &page, 11, Some(tick)));
        // Edited in the same tick, to the same length: read, and not known.
        std::fs::write(&page, b"<p>PAGE</p>").unwrap();
        std::fs::File::options().write(true).open(&page).unwrap().set_modified(tick).unwrap();
        assert_eq!(m.made_from("m.html", "abc", &page, Some(tick)), None);
        assert!(!m.holds("m.html", &entry, &page, 11, Some(tick)));
    }
}
