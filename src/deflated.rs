//! Bytes held deflated from the moment they are planned until they are
//! used: the documents' views (JSON, until each renders) and the files made
//! without typst (the register's pages, until written). A build holds all
//! of them at once (each information card and letter once, in its
//! print-file part: a single has no view of its own). Deflated against
//! plain, on a 20,000-member build with every card and letter held twice:
//! the heap when rendering begins 97 MB against 215 MB, the planning's
//! peak 268 MB against 460 MB (resident 375 MB against 550 MB). What it
//! costs: see `LEVEL`.
//!
//! Once a run has said where (see [`spill_into`]), the deflated bytes wait
//! in a temporary file, not in memory: what a run holds then does not grow
//! with the office (20,000 members: some 45 MB of views, register pages
//! and workbook at the planning's peak).

use std::cell::RefCell;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use serde::Serialize;

use crate::manifest::Digest;

/// Bytes, deflated, with their length and digest.
#[derive(Clone, Default)]
pub struct Deflated {
    kept: Kept,
    len: usize,
    digest: u128,
    /// Held as they are (see [`Deflated::as_is`]).
    as_is: bool,
}

/// Where the deflated bytes are.
#[derive(Clone)]
enum Kept {
    Here(Vec<u8>),
    /// In the run's spill file: from `at`, `len` bytes.
    Spilled {
        at: u64,
        len: usize,
    },
}

impl Default for Kept {
    fn default() -> Self {
        Kept::Here(Vec::new())
    }
}

/// The run's spill file and where its next bytes go.
struct Spill {
    file: File,
    end: u64,
}

static SPILL: OnceLock<Mutex<Spill>> = OnceLock::new();
/// The folder the spill file is in, when it is not the system's temporary folder.
static SPILL_DIR: OnceLock<std::path::PathBuf> = OnceLock::new();

/// From now on, keep deflated bytes in a temporary file in `dir` (the
/// folder out/ is in, beside the staging folder) or, failing that, in the
/// system's temporary folder. The file has no name: the system deletes it
/// when the run ends, however it ends. If neither can be made, the bytes
/// stay in memory, as they do when this is not called (tests, examples).
pub fn spill_into(dir: &Path) {
    if SPILL.get().is_some() {
        return;
    }
    let file = match tempfile::tempfile_in(dir) {
        Ok(file) => {
            let _ = SPILL_DIR.set(dir.to_path_buf());
            Ok(file)
        }
        Err(_) => tempfile::tempfile(),
    };
    if let Ok(file) = file {
        let _ = SPILL.set(Mutex::new(Spill { file, end: 0 }));
    }
}

/// An unnamed temporary file beside the spill file, for bytes a writer
/// makes (see [`Deflated::as_is_from`]); deleted when closed.
pub fn scratch() -> std::io::Result<File> {
    match SPILL_DIR.get() {
        Some(dir) => tempfile::tempfile_in(dir).or_else(|_| tempfile::tempfile()),
        None => tempfile::tempfile(),
    }
}

/// Keep `bytes`: in the spill file if there is one and the write succeeds,
/// otherwise in memory.
fn keep(bytes: Vec<u8>) -> Kept {
    if let Some(spill) = SPILL.get()
        && !bytes.is_empty()
        && let Ok(kept) = append(spill, |file| file.write_all(&bytes).map(|()| bytes.len()))
    {
        return kept;
    }
    Kept::Here(bytes)
}

/// What `write` writes at the end of the spill file (it says how many
/// bytes), kept there.
fn append(spill: &Mutex<Spill>, write: impl FnOnce(&mut File) -> std::io::Result<usize>) -> std::io::Result<Kept> {
    let mut s = spill.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let at = s.end;
    s.file.seek(SeekFrom::Start(at))?;
    let len = write(&mut s.file)?;
    s.end += len as u64;
    Ok(Kept::Spilled { at, len })
}

impl Kept {
    fn read(&self) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            Kept::Here(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            Kept::Spilled { at, len } => {
                let spill = SPILL.get().ok_or_else(|| std::io::Error::other("no spill file"))?;
                let mut s = spill.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let mut bytes = vec![0; *len];
                s.file.seek(SeekFrom::Start(*at))?;
                s.file.read_exact(&mut bytes)?;
                Ok(std::borrow::Cow::Owned(bytes))
            }
        }
    }
}

impl Deflated {
    /// A view, as JSON.
    pub fn json(view: &impl Serialize) -> Self {
        Self::new(&serde_json::to_vec(view).expect("views serialise"))
    }

    pub fn new(bytes: &[u8]) -> Self {
        let digest = Digest::default().update(bytes).value();
        Self { kept: keep(deflate(bytes)), len: bytes.len(), digest, as_is: false }
    }

    /// Bytes held as they are: already compressed (a zip). See
    /// [`Deflated::as_is_from`] for bytes a writer makes.
    #[cfg(test)]
    pub fn as_is(bytes: Vec<u8>) -> Self {
        Self { digest: Digest::default().update(&bytes).value(), len: bytes.len(), kept: keep(bytes), as_is: true }
    }

    /// Bytes already compressed, as `file` holds them from its start (the
    /// workbook, written into a [`scratch`] file as it is made): copied
    /// into the spill file a piece at a time when the run spills, never
    /// held whole (at 20,000 members the workbook's 7.3 MB would take 12 MB
    /// while a buffer grew). Err: the file could not be read, or the spill
    /// file written.
    pub fn as_is_from(file: &mut File) -> std::io::Result<Self> {
        file.seek(SeekFrom::Start(0))?;
        let (mut digest, mut len) = (Digest::default(), 0);
        let kept = match SPILL.get() {
            Some(spill) => append(spill, |out| {
                let mut piece = vec![0; 64 * 1024];
                loop {
                    let n = file.read(&mut piece)?;
                    if n == 0 {
                        return Ok(len);
                    }
                    digest.update_part(&piece[..n]);
                    out.write_all(&piece[..n])?;
                    len += n;
                }
            })?,
            None => {
                let mut bytes = Vec::new();
                len = file.read_to_end(&mut bytes)?;
                digest.update_part(&bytes);
                Kept::Here(bytes)
            }
        };
        Ok(Self { kept, len, digest: digest.end_field(len as u64).value(), as_is: true })
    }

    /// The bytes, inflated again. Err only if the spill file cannot be
    /// read back.
    pub fn inflate(&self) -> std::io::Result<Vec<u8>> {
        // (No bytes deflate to a few: they are not what went in.)
        if self.len == 0 {
            return Ok(Vec::new());
        }
        let deflated = self.kept.read()?;
        if self.as_is {
            return Ok(deflated.into_owned());
        }
        let mut bytes = Vec::with_capacity(self.len);
        let status = Decompress::new(false).decompress_vec(&deflated, &mut bytes, FlushDecompress::Finish);
        assert!(matches!(status, Ok(Status::StreamEnd)) && bytes.len() == self.len, "inflating what was deflated here");
        Ok(bytes)
    }

    /// The bytes' length.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes' digest (a view's: what the manifest records a document
    /// was made from).
    pub fn digest(&self) -> u128 {
        self.digest
    }

    /// Bytes held in memory.
    #[cfg(test)]
    fn held(&self) -> usize {
        match &self.kept {
            Kept::Here(bytes) => bytes.capacity(),
            Kept::Spilled { .. } => 0,
        }
    }
}

/// Bytes deflated as they are written, never held whole: what
/// [`Deflated::new`] makes of all of them. The register's index is its
/// page with its data (5 MB at 20,000 members) serialised straight in; held
/// whole, the data, the page made of it and the deflated bytes would be
/// three copies at once.
pub struct Deflating {
    encoder: flate2::write::DeflateEncoder<Vec<u8>>,
    digest: Digest,
    len: usize,
}

impl Default for Deflating {
    fn default() -> Self {
        Self {
            encoder: flate2::write::DeflateEncoder::new(Vec::new(), Compression::new(LEVEL)),
            digest: Digest::default(),
            len: 0,
        }
    }
}

impl Deflating {
    pub fn finish(mut self) -> Deflated {
        let mut deflated = self.encoder.finish().expect("deflating into memory");
        deflated.shrink_to_fit();
        let digest = self.digest.end_field(self.len as u64).value();
        Deflated { kept: keep(deflated), len: self.len, digest, as_is: false }
    }
}

impl Write for Deflating {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.encoder.write_all(buf)?;
        self.digest.update_part(buf);
        self.len += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// zlib-rs on views (the `templates` examples of every kind, 738 MB):
/// level 1 325 MB/s and 2.7× smaller, level 2 160 MB/s and 3.7×, level 6
/// 73 MB/s and 4.0×. At 20,000 members level 1 leaves the planning's peak
/// at 390 MB. Deflating at level 2 costs a 10,000-member run with one
/// member changed about 0.1 s (the planning's median 0.60 s against 0.46 s
/// with views held plain): the office-wide views made on every run (visit
/// plan, dues papers, the letters' lists, the register's index), some
/// 20 MB, are deflated though most are then found unchanged.
const LEVEL: u32 = 2;

thread_local! {
    /// One compressor per thread, reset each time: a new one allocates and
    /// clears some 300 KB, many times the size of most views.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(LEVEL), false));
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    DEFLATE.with_borrow_mut(|compress| {
        compress.reset();
        // Room for deflate's worst case (stored blocks), so one call does it.
        let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 64 + 64);
        let status = compress.compress_vec(bytes, &mut out, FlushCompress::Finish);
        assert!(matches!(status, Ok(Status::StreamEnd)), "deflating into memory");
        out.shrink_to_fit();
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cards() -> Vec<u8> {
        let cards: Vec<_> = (0..25)
            .map(|i| serde_json::json!({"name": format!("张{i}"), "branch": "第一离退休党支部", "phone": format!("1380000{i:04}")}))
            .collect();
        serde_json::to_vec(&serde_json::json!({ "cards": cards })).unwrap()
    }

    #[test]
    fn bytes_come_back_as_they_went_in_and_smaller() {
        let json = cards();
        let view = Deflated::new(&json);
        assert_eq!(view.inflate().unwrap(), json);
        assert_eq!(view.len(), json.len());
        assert!(deflate(&json).len() * 3 < json.len(), "{} of {}", deflate(&json).len(), json.len());
        assert_eq!(view.digest(), Digest::default().update(&json).value());
        assert_ne!(view.digest(), Deflated::json(&serde_json::json!({ "cards": [] })).digest());
        assert!(Deflated::default().inflate().unwrap().is_empty());
        // Written in pieces, the same bytes and digest as the whole.
        let mut deflating = Deflating::default();
        let (a, b) = json.split_at(json.len() / 3);
        for piece in [a, b"", b] {
            deflating.write_all(piece).unwrap();
        }
        let joined = deflating.finish();
        assert_eq!(
            (joined.inflate().unwrap(), joined.digest(), joined.len()),
            (json.clone(), view.digest(), json.len())
        );
        assert_eq!(Deflating::default().finish().digest(), Deflated::new(b"").digest());
        // No bytes come back as none.
        assert!(Deflated::new(b"").inflate().unwrap().is_empty());
        assert!(Deflating::default().finish().inflate().unwrap().is_empty());
        let zip = b"PK\x03\x04 already compressed".to_vec();
        let kept = Deflated::as_is(zip.clone());
        assert_eq!((kept.inflate().unwrap(), kept.digest()), (zip.clone(), Digest::default().update(&zip).value()));
        // From a file, the same (read past its first 64 KB piece).
        let mut file = scratch().unwrap();
        let long: Vec<u8> = zip.iter().copied().cycle().take(150_000).collect();
        file.write_all(&long).unwrap();
        let from = Deflated::as_is_from(&mut file).unwrap();
        assert_eq!(
            (from.inflate().unwrap(), from.digest(), from.len()),
            (long.clone(), Deflated::as_is(long.clone()).digest(), long.len())
        );
        // Incompressible bytes fit too.
        let noise: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert_eq!(Deflated::new(&noise).inflate().unwrap(), noise);
    }

    /// (The spill file is the test process's from then on: the other
    /// tests' bytes go there too, and come back the same.)
    #[test]
    fn once_spilled_bytes_wait_in_a_file_without_a_name() {
        let dir = tempfile::tempdir().unwrap();
        spill_into(dir.path());
        let json = cards();
        let views: Vec<Vec<u8>> = (0..200).map(|i| [&json[..], format!("{i}").as_bytes()].concat()).collect();
        // Kept from several threads at once, each comes back whole.
        let kept: Vec<Deflated> = std::thread::scope(|s| {
            let handles: Vec<_> = views
                .chunks(50)
                .map(|c| s.spawn(move || c.iter().map(|v| Deflated::new(v)).collect::<Vec<_>>()))
                .collect();
            handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        for (view, kept) in views.iter().zip(&kept) {
            assert_eq!(kept.held(), 0, "in memory");
            assert_eq!(&kept.inflate().unwrap(), view);
            assert_eq!(kept.clone().inflate().unwrap(), *view);
        }
        let zip = b"PK\x03\x04".to_vec();
        assert_eq!(
            (Deflated::as_is(zip.clone()).held(), Deflated::as_is(zip.clone()).inflate().unwrap()),
            (0, zip.clone())
        );
        // Copied from a scratch file, into the spill file, not memory.
        let mut file = scratch().unwrap();
        file.write_all(&zip).unwrap();
        let from = Deflated::as_is_from(&mut file).unwrap();
        assert_eq!((from.held(), from.inflate().unwrap()), (0, zip));
        drop(file);
        // Nothing is left behind in the folder, however the run ends.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
