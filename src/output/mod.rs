//! Write: everything a run makes goes into a staging folder next to `--out`
//! and is moved into place only when the whole run succeeded, so a failed
//! run leaves `out/` as it was. A run that keeps `out/` and changes some of
//! it moves in only what changed, by way of a journal written first: killed
//! while moving, the next run (any command that writes to `out/`) finishes
//! the move before it does anything else.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tempfile::TempDir;

mod journal;

/// Every output folder carries this file; a folder without it is not ours
/// and is never replaced.
pub const MARKER: &str = ".tuiguan-output";
const MARKER_TEXT: &str = "此文件夹由 tuiguan 生成，每次生成都会更新其中的文件；请不要在这里存放其他文件。\n";

/// Refuse an `--out` that would put data at risk: the data folder itself,
/// a folder that contains it or lies inside it, or an existing non-empty
/// folder that tuiguan did not make. Returns a Chinese explanation.
pub fn check_out_dir(data: &Path, out: &Path) -> Result<(), String> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
        // Resolve what exists (symlinks, ..), keep the rest as written.
        let mut existing = p.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut resolved = existing.canonicalize().unwrap_or(existing);
        resolved.extend(rest.iter().rev());
        resolved
    };
    let (data_abs, out_abs) = (abs(data), abs(out));
    if data_abs.starts_with(&out_abs) || out_abs.starts_with(&data_abs) {
        return Err(format!(
            "输出文件夹 {} 与数据文件夹 {} 重叠；生成时会改写、删除输出文件夹里的文件，可能毁掉数据",
            out.display(),
            data.display()
        ));
    }
    if let Ok(meta) = fs::symlink_metadata(out)
        && meta.file_type().is_symlink()
    {
        let target = fs::read_link(out).map(|t| t.display().to_string()).unwrap_or_default();
        return Err(format!(
            "输出文件夹 {} 是一个链接（指向 {target}）；生成时会改写输出文件夹，不能通过链接改写。请直接写 --out {target}",
            out.display()
        ));
    }
    if out.is_file() {
        return Err(format!("{} 是一个文件，不能作为输出文件夹", out.display()));
    }
    if out.is_dir() && !out.join(MARKER).exists() && fs::read_dir(out).map(|mut d| d.next().is_some()).unwrap_or(true) {
        return Err(format!(
            "输出文件夹 {} 里已有不是 tuiguan 生成的文件；为防止误删，不会替换它。请换一个 --out，或先把它清空",
            out.display()
        ));
    }
    Ok(())
}

/// Clean up after a run that was killed: a staging folder whose journal
/// was written (the run had finished and was moving its files into out/)
/// is moved in the rest of the way; any other is removed, as is an old
/// out/ a killed full swap left (put back if out/ is missing).
pub fn recover(out: &Path) -> io::Result<()> {
    let parent = parent_of(out);
    if !parent.is_dir() {
        return Ok(());
    }
    // A manifest a killed run was writing in place.
    match fs::remove_file(out.join(crate::manifest::NEW)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let (staging, old) = (format!(".{name}.staging-"), format!(".{name}.old-"));
    for e in fs::read_dir(&parent)?.filter_map(Result::ok) {
        let file_name = e.file_name().to_string_lossy().to_string();
        if file_name.starts_with(&old) {
            let previous = e.path().join("out");
            if !out.exists() && previous.is_dir() {
                fs::rename(&previous, out)?;
            }
            fs::remove_dir_all(e.path())?;
        } else if file_name.starts_with(&staging) {
            if journal::written(&e.path()) && out.is_dir() {
                journal::apply(&e.path(), out)?;
            }
            fs::remove_dir_all(e.path())?;
        }
    }
    Ok(())
}

/// Why a commit failed, and whether out/ was touched.
#[derive(Debug)]
pub enum CommitError {
    /// Nothing was moved: out/ is as it was.
    Untouched(io::Error),
    /// The journal was written and moving began: the next run finishes it.
    Pending(io::Error),
}

impl std::fmt::Display for CommitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Untouched(e) => write!(f, "{e}"),
            Self::Pending(e) => write!(f, "{e}（已移入一部分；下次运行会先把其余的移入）"),
        }
    }
}

/// A run's outputs, written aside until the whole run has succeeded. With
/// carry-over, out/ is read through where the run wrote nothing, and the
/// commit moves in only what the run changed (a journal makes that step
/// finish even if the run is killed during it); without, out/ is replaced
/// as a whole.
pub struct Staging {
    out: PathBuf,
    dir: TempDir,
    /// Whether out/ is carried over (the run asked).
    base: bool,
    files: Mutex<Files>,
}

/// What the run's out/ holds, by relative path (with `/`), known without
/// asking the file system again.
#[derive(Default)]
struct Files {
    /// out/'s files that stay unless written again.
    kept: BTreeSet<String>,
    /// Files written into the staging folder.
    staged: BTreeSet<String>,
    /// out/'s files this run removes.
    removed: BTreeSet<String>,
}

/// The folder out/ is in ("." for a bare name): where the staging folder
/// is made.
pub fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn key(rel: &Path) -> String {
    rel.to_string_lossy().replace('\\', "/")
}

/// Where the piece of print-file part `part` is kept.
pub fn piece_path(part: &str) -> PathBuf {
    Path::new(part).with_extension("piece")
}

impl Staging {
    /// Start a staging folder for `out`. With `carry_over` (out/'s files,
    /// relative with `/`), those stay and the run replaces only what it
    /// writes or removes; without, out/ is replaced as a whole.
    pub fn begin(out: &Path, carry_over: Option<&[String]>) -> io::Result<Self> {
        let parent = parent_of(out);
        fs::create_dir_all(&parent)?;
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        let dir = tempfile::Builder::new().prefix(&format!(".{name}.staging-")).tempdir_in(&parent)?;
        let files = Files { kept: carry_over.unwrap_or_default().iter().cloned().collect(), ..Files::default() };
        let staging = Self { out: out.to_path_buf(), dir, base: carry_over.is_some(), files: Mutex::new(files) };
        staging.write(Path::new(MARKER), MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// The file `rel` holds for this run: the one written here, else out/'s
    /// (when carried over and not removed).
    fn current(&self, rel: &Path) -> Option<PathBuf> {
        let (files, rel) = (self.files.lock().unwrap(), key(rel));
        if files.staged.contains(&rel) {
            Some(self.dir.path().join(rel))
        } else {
            files.kept.contains(&rel).then(|| self.out.join(rel))
        }
    }

    /// Where this run's file `rel` is (see [`Staging::current`]).
    pub fn path_of(&self, rel: &str) -> Option<PathBuf> {
        self.current(Path::new(rel))
    }

    /// Note `rel` as written into the staging folder.
    fn staged(&self, rel: &Path) {
        let mut files = self.files.lock().unwrap();
        let rel = key(rel);
        files.kept.remove(&rel);
        files.removed.remove(&rel);
        files.staged.insert(rel);
    }

    /// Write `bytes` to `rel`; Ok(false) when the file already held them.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<bool> {
        let written = self.write_unnoted(rel, bytes)?;
        if written {
            self.staged(rel);
        }
        Ok(written)
    }

    /// Write `bytes` to `rel` as [`Staging::write`] does, without noting
    /// it: Ok(true) when it was written, and must be noted with
    /// [`Staging::note_written`] before the run reads it or commits.
    pub fn write_unnoted(&self, rel: &Path, bytes: &[u8]) -> io::Result<bool> {
        if let Some(current) = self.current(rel)
            && fs::metadata(&current).is_ok_and(|m| m.len() == bytes.len() as u64)
            && fs::read(&current)? == bytes
        {
            return Ok(false);
        }
        let path = self.dir.path().join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(&path, bytes)?;
        Ok(true)
    }

    /// Note `rel` as written by [`Staging::write_unnoted`].
    pub fn note_written(&self, rel: &Path) {
        self.staged(rel);
    }

    /// Keep only the files `keep` says to (relative paths with `/`),
    /// removing the rest: outputs of members who are gone, of a kind no
    /// longer made.
    /// Which of out/'s files it removes, in order.
    pub fn retain(&self, keep: &dyn Fn(&str) -> bool) -> io::Result<Vec<String>> {
        let mut files = self.files.lock().unwrap();
        let Files { kept, staged, removed } = &mut *files;
        let mut gone = Vec::new();
        for rel in staged.iter().filter(|r| !keep(r)) {
            fs::remove_file(self.dir.path().join(rel))?;
            gone.push(rel.clone());
        }
        staged.retain(|r| keep(r));
        for rel in kept.iter().filter(|r| !keep(r)) {
            removed.insert(rel.clone());
            gone.push(rel.clone());
        }
        kept.retain(|r| keep(r));
        gone.sort();
        Ok(gone)
    }

    /// Join the PDFs at `parts` (relative paths, in order, each with the
    /// digest of its content) into `target`. Each part's piece — its objects
    /// numbered for its place in the print file — is kept beside it and
    /// reused while the part and its place are the same, so only changed
    /// parts are parsed again.
    pub fn join(&self, target: &str, parts: &[(String, String)]) -> io::Result<()> {
        use crate::render::pdf_join::{self, Head, Piece};
        let missing = |rel: &Path| io::Error::new(io::ErrorKind::NotFound, format!("缺少 {}", rel.display()));
        let read = |rel: &Path| self.current(rel).ok_or_else(|| missing(rel)).and_then(fs::read);
        // The ids each part needs: from its kept piece if that was made from
        // this very part, else by reading the part.
        let mut heads = Vec::with_capacity(parts.len());
        let mut counts = Vec::with_capacity(parts.len());
        for (part, digest) in parts {
            let head =
                self.current(&piece_path(part)).and_then(|p| Head::read(&p).ok()).filter(|h| &h.source == digest);
            counts.push(match &head {
                Some(h) => h.count,
                None => pdf_join::object_count(&read(Path::new(part))?)?,
            });
            heads.push(head);
        }
        let stride = pdf_join::stride(counts.iter().copied().max().unwrap_or(0));
        let path = self.dir.path().join(target);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        let mut joiner = pdf_join::PdfJoiner::new(io::BufWriter::new(fs::File::create(&path)?))?;
        for (k, ((part, digest), head)) in parts.iter().zip(heads).enumerate() {
            let base = pdf_join::base(k, stride);
            let piece_at = piece_path(part);
            let kept = match head {
                Some(h) if h.base == base => Piece::from_bytes(read(&piece_at)?).ok(),
                _ => None,
            };
            let piece = match kept {
                Some(piece) => piece,
                None => {
                    let piece = Piece::of(&read(Path::new(part))?, digest, base)?;
                    self.write(&piece_at, &piece.to_bytes())?;
                    piece
                }
            };
            joiner.append(&piece)?;
        }
        joiner.finish()?.flush()?;
        self.staged(Path::new(target));
        Ok(())
    }

    /// Give the file `rel` holds for this run the modification time of
    /// content digest `content` (see [`crate::manifest::seal`]).
    pub fn seal(&self, rel: &Path, content: &str) -> io::Result<()> {
        self.current(rel).map_or(Ok(()), |p| crate::manifest::seal(&p, content))
    }

    /// Whether this run's out/ has this file (written, or carried over).
    pub fn has(&self, rel: &str) -> bool {
        self.current(Path::new(rel)).is_some()
    }

    /// Put the run's outputs in place of out/: with carry-over, move in what
    /// changed by way of a journal; else swap the staging folder in whole.
    pub fn commit(self) -> Result<(), CommitError> {
        if self.base {
            return self.commit_changes();
        }
        let staged = self.dir.keep();
        let result = (|| {
            if self.out.exists() {
                let old = tempfile::Builder::new()
                    .prefix(&format!(".{}.old-", self.out.file_name().and_then(|n| n.to_str()).unwrap_or("out")))
                    .tempdir_in(parent_of(&self.out))?
                    .keep();
                let old_out = old.join("out");
                fs::rename(&self.out, &old_out)?;
                if let Err(e) = fs::rename(&staged, &self.out) {
                    fs::rename(&old_out, &self.out)?;
                    return Err(e);
                }
                fs::remove_dir_all(&old)?;
            } else {
                fs::rename(&staged, &self.out)?;
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = fs::remove_dir_all(&staged);
        }
        result.map_err(CommitError::Untouched)
    }

    /// Write the journal, then carry it out.
    fn commit_changes(self) -> Result<(), CommitError> {
        self.write_journal().map_err(CommitError::Untouched)?;
        let staged = self.dir.keep();
        journal::apply(&staged, &self.out).and_then(|_| fs::remove_dir_all(&staged)).map_err(CommitError::Pending)
    }

    /// The journal of this run's changes (see [`journal::write`]).
    fn write_journal(&self) -> io::Result<()> {
        let files = self.files.lock().unwrap();
        journal::write(self.dir.path(), &files.removed, &files.staged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_must_not_overlap_data_or_be_someone_elses_folder() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        fs::create_dir_all(data.join("members")).unwrap();
        assert!(check_out_dir(&data, &data).is_err());
        assert!(check_out_dir(&data, root.path()).is_err());
        assert!(check_out_dir(&data, &data.join("out")).is_err());
        assert!(check_out_dir(&data, &root.path().join("out")).is_ok());
        let foreign = root.path().join("docs");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("letter.docx"), "x").unwrap();
        assert!(check_out_dir(&data, &foreign).unwrap_err().contains("不是 tuiguan 生成的"));
        fs::write(foreign.join(MARKER), "").unwrap();
        assert!(check_out_dir(&data, &foreign).is_ok());
    }

    #[test]
    fn commit_replaces_out_and_abandon_leaves_it() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/old.txt"), "old").unwrap();

        // Abandoned run: out/ untouched, no staging left behind.
        {
            let s = Staging::begin(&out, Some(&["a/old.txt".to_string()])).unwrap();
            s.write(Path::new("a/old.txt"), b"new").unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("a/old.txt")).unwrap(), "old");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);

        // Committed run with carry-over: replaced file is new, old one not written through.
        let s = Staging::begin(&out, Some(&["a/old.txt".to_string()])).unwrap();
        s.write(Path::new("b.txt"), b"b").unwrap();
        s.write(Path::new("a/old.txt"), b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a/old.txt")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join("b.txt")).unwrap(), "b");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }

    fn inode(p: &Path) -> u64 {
        std::os::unix::fs::MetadataExt::ino(&fs::metadata(p).unwrap())
    }

    /// out/ with a/keep.txt, a/old.txt and gone/x.txt; a run that keeps
    /// a/keep.txt as it is, rewrites a/old.txt, adds b/new.txt and drops gone/.
    fn a_run(out: &Path) -> Staging {
        fs::create_dir_all(out.join("a")).unwrap();
        fs::create_dir_all(out.join("gone")).unwrap();
        for (f, t) in [("a/keep.txt", "keep"), ("a/old.txt", "old"), ("gone/x.txt", "x"), (MARKER, MARKER_TEXT)] {
            fs::write(out.join(f), t).unwrap();
        }
        let present: Vec<String> = ["a/keep.txt", "a/old.txt", "gone/x.txt", MARKER].map(String::from).to_vec();
        let s = Staging::begin(out, Some(&present)).unwrap();
        assert_eq!(s.retain(&|p: &str| !p.starts_with("gone/")).unwrap().len(), 1);
        assert!(!s.has("gone/x.txt") && s.has("a/keep.txt"));
        assert!(!s.write(Path::new("a/keep.txt"), b"keep").unwrap(), "same bytes: nothing to write");
        assert!(s.write(Path::new("a/old.txt"), b"new").unwrap());
        assert!(s.write(Path::new("b/new.txt"), b"b").unwrap());
        s
    }

    fn assert_after_the_run(root: &Path, out: &Path) {
        assert_eq!(fs::read_to_string(out.join("a/keep.txt")).unwrap(), "keep");
        assert_eq!(fs::read_to_string(out.join("a/old.txt")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join("b/new.txt")).unwrap(), "b");
        assert!(!out.join("gone").exists(), "a folder left empty goes too");
        assert_eq!(fs::read_dir(root).unwrap().count(), 1, "no staging folder left");
    }

    /// A file written unnoted is the run's only once it is noted: before,
    /// the run still sees out/'s, and a commit would not move it in.
    #[test]
    fn a_file_written_unnoted_counts_once_noted() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("same.txt"), "same").unwrap();
        let s = Staging::begin(&out, Some(&["same.txt".to_string()])).unwrap();
        assert!(!s.write_unnoted(Path::new("same.txt"), b"same").unwrap(), "out/ holds these bytes");
        assert!(s.write_unnoted(Path::new("new.txt"), b"new").unwrap());
        assert!(!s.has("new.txt"));
        s.note_written(Path::new("new.txt"));
        assert!(s.has("new.txt"));
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("new.txt")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join("same.txt")).unwrap(), "same");
    }

    #[test]
    fn a_carried_over_commit_moves_in_only_what_changed() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        let s = a_run(&out);
        let kept = inode(&out.join("a/keep.txt"));
        s.commit().unwrap();
        assert_after_the_run(root.path(), &out);
        assert_eq!(inode(&out.join("a/keep.txt")), kept, "an unchanged file is not touched");
    }

    #[test]
    fn a_commit_killed_while_moving_is_finished_by_the_next_run() {
        // The journal: remove gone/x.txt, move a/old.txt and b/new.txt.
        for steps_before_the_kill in 0..3 {
            let root = tempfile::tempdir().unwrap();
            let out = root.path().join("out");
            let s = a_run(&out);
            s.write_journal().unwrap();
            let staged = s.dir.keep();
            assert!(!journal::apply_steps(&staged, &out, Some(steps_before_the_kill)).unwrap());
            recover(&out).unwrap();
            assert_after_the_run(root.path(), &out);
        }
    }

    #[test]
    fn a_staging_folder_without_a_journal_is_dropped() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        let _ = a_run(&out).dir.keep();
        recover(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/old.txt")).unwrap(), "old");
        assert!(out.join("gone/x.txt").is_file());
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
