//! Write: everything is rendered into a staging folder next to `--out` and
//! moved into place only when the whole run succeeded, so a failed or killed
//! run never leaves a half-written `out/`.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// Every output folder carries this file; a folder without it is not ours
/// and is never replaced.
pub const MARKER: &str = ".tuiguan-output";
const MARKER_TEXT: &str = "此文件夹由 tuiguan 生成，每次生成都会整体替换；请不要在这里存放其他文件。\n";

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
            "输出文件夹 {} 与数据文件夹 {} 重叠；生成时会整体替换输出文件夹，可能毁掉数据",
            out.display(),
            data.display()
        ));
    }
    if let Ok(meta) = fs::symlink_metadata(out)
        && meta.file_type().is_symlink()
    {
        let target = fs::read_link(out).map(|t| t.display().to_string()).unwrap_or_default();
        return Err(format!(
            "输出文件夹 {} 是一个链接（指向 {target}）；生成时会整体替换输出文件夹，不能替换链接。请直接写 --out {target}",
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

/// Clean up after a run that was killed: if it died between the two renames
/// of `commit`, put the previous out/ back; then remove leftover staging and
/// old folders.
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
            fs::remove_dir_all(e.path())?;
        }
    }
    Ok(())
}

pub struct Staging {
    out: PathBuf,
    dir: TempDir,
}

fn parent_of(out: &Path) -> PathBuf {
    match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn link_tree(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type()?.is_dir() {
            link_tree(&src, &dst)?;
        } else if fs::hard_link(&src, &dst).is_err() {
            fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

/// Where the piece of print-file part `part` is kept.
pub fn piece_path(part: &str) -> PathBuf {
    Path::new(part).with_extension("piece")
}

impl Staging {
    /// Start a staging folder for `out`. With `carry_over`, the current
    /// contents of `out` are carried over (as hard links, so cheap) and the
    /// run replaces only what it writes.
    pub fn begin(out: &Path, carry_over: bool) -> io::Result<Self> {
        let parent = parent_of(out);
        fs::create_dir_all(&parent)?;
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        let dir = tempfile::Builder::new().prefix(&format!(".{name}.staging-")).tempdir_in(&parent)?;
        if carry_over && out.is_dir() {
            link_tree(out, dir.path())?;
        }
        let staging = Self { out: out.to_path_buf(), dir };
        staging.write(Path::new(MARKER), MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Write one output file (relative path). An existing file — possibly a
    /// hard link into the old `out/` — is replaced, never written through.
    /// Write `bytes` to `rel`; Ok(false) when the file already held them.
    pub fn write(&self, rel: &Path, bytes: &[u8]) -> io::Result<bool> {
        let path = self.dir.path().join(rel);
        // The same bytes as before: leave the carried-over file as it is.
        if fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64) && fs::read(&path)? == bytes {
            return Ok(false);
        }
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        fs::write(&path, bytes)?;
        Ok(true)
    }

    /// Keep only the files `keep` says to (relative paths with `/`), removing
    /// the rest: outputs of members who are gone, of a kind no longer made.
    pub fn retain(&self, keep: &dyn Fn(&str) -> bool) -> io::Result<usize> {
        let mut removed = 0;
        let root = self.dir.path();
        for e in walkdir::WalkDir::new(root).contents_first(true).into_iter().filter_map(Result::ok) {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path()).to_string_lossy().replace('\\', "/");
            if rel.is_empty() {
                continue;
            }
            if e.file_type().is_dir() {
                if fs::read_dir(e.path())?.next().is_none() {
                    fs::remove_dir(e.path())?;
                }
            } else if !keep(&rel) {
                fs::remove_file(e.path())?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Join the PDFs at `parts` (relative paths, in order, each with the
    /// digest of its content) into `target`. Each part's piece — its objects
    /// numbered for its place in the print file — is kept beside it and
    /// reused while the part and its place are the same, so only changed
    /// parts are parsed again.
    pub fn join(&self, target: &str, parts: &[(String, String)]) -> io::Result<()> {
        use crate::render::pdf_join::{self, Head, Piece};
        let root = self.dir.path();
        // The ids each part needs: from its kept piece if that was made from
        // this very part, else by reading the part.
        let mut heads = Vec::with_capacity(parts.len());
        let mut counts = Vec::with_capacity(parts.len());
        for (part, digest) in parts {
            let head = Head::read(&root.join(piece_path(part))).ok().filter(|h| &h.source == digest);
            counts.push(match &head {
                Some(h) => h.count,
                None => pdf_join::object_count(&fs::read(root.join(part))?)?,
            });
            heads.push(head);
        }
        let stride = pdf_join::stride(counts.iter().copied().max().unwrap_or(0));
        let path = root.join(target);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut joiner = pdf_join::PdfJoiner::new(io::BufWriter::new(fs::File::create(&path)?))?;
        for (k, ((part, digest), head)) in parts.iter().zip(heads).enumerate() {
            let base = pdf_join::base(k, stride);
            let piece_at = piece_path(part);
            let kept = match head {
                Some(h) if h.base == base => Piece::from_bytes(fs::read(root.join(&piece_at))?).ok(),
                _ => None,
            };
            let piece = match kept {
                Some(piece) => piece,
                None => {
                    let piece = Piece::of(&fs::read(root.join(part))?, digest, base)?;
                    self.write(&piece_at, &piece.to_bytes())?;
                    piece
                }
            };
            joiner.append(&piece)?;
        }
        joiner.finish()?.flush()
    }

    /// Whether the staging folder has this output (carried over from out/).
    pub fn has(&self, rel: &str) -> bool {
        self.dir.path().join(rel).is_file()
    }

    /// Remove a file or folder (relative path) from the staging folder, e.g.
    /// the part of out/ a command regenerates in full.
    pub fn remove(&self, rel: &Path) -> io::Result<()> {
        let path = self.dir.path().join(rel);
        let result = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        match result {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Swap the staging folder in for `out`.
    pub fn commit(self) -> io::Result<()> {
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
        result
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
            let s = Staging::begin(&out, true).unwrap();
            s.write(Path::new("a/old.txt"), b"new").unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("a/old.txt")).unwrap(), "old");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);

        // Committed run with carry-over: replaced file is new, old one not written through.
        let s = Staging::begin(&out, true).unwrap();
        s.write(Path::new("b.txt"), b"b").unwrap();
        s.write(Path::new("a/old.txt"), b"new").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a/old.txt")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join("b.txt")).unwrap(), "b");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
