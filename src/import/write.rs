//! Write an import all or nothing, even if the process is killed:
//!
//! 1. every file's text goes to a temporary file beside where it belongs
//!    (`.tuiguan-import-*.tmp`, synced to disk);
//! 2. every file to be updated must still hold what was read (a clerk's
//!    edit made meanwhile is never overwritten), and no new file may exist;
//! 3. a journal listing every temporary file and its target is written
//!    (`.tuiguan-import-journal` in the data folder) — from here on the
//!    import is decided;
//! 4. the files are put in place (a new one by a hard link, which never
//!    replaces anything; an update by a rename over the old), then the
//!    journal is removed.
//!
//! A run killed before step 3 leaves only temporary files, which the next
//! run removes; one killed during step 4 leaves the journal, and the next
//! run completes it ([`recover`]). Either way the data folder ends as
//! before the import or as after it, never half.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Outcome;

pub const JOURNAL: &str = ".tuiguan-import-journal";
const TEMP_PREFIX: &str = ".tuiguan-import-";

/// Write every new file (never over an existing one) and every update.
pub(super) fn write_all(into: &Path, outcomes: &[(u32, Outcome)]) -> Result<(usize, usize), String> {
    // Step 1: everything to temporary files (removed again on any error).
    let mut staged: Vec<(tempfile::TempPath, &PathBuf, Option<&str>)> = Vec::new();
    for (_, o) in outcomes {
        let (path, text, original) = match o {
            Outcome::New { path, text, .. } => (path, text, None),
            Outcome::Existing { path, text: Some(text), original, .. } => (path, text, Some(original.as_str())),
            _ => continue,
        };
        let dir = path.parent().expect("member files are in a folder");
        fs::create_dir_all(dir).map_err(|e| format!("无法建立 {}：{e}", dir.display()))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| format!("无法在 {} 中写入：{e}", dir.display()))?;
        tmp.write_all(text.as_bytes()).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        if let Some(mode) = fs::metadata(path).ok().map(|m| m.permissions()).or_else(default_permissions) {
            tmp.as_file().set_permissions(mode).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        }
        tmp.as_file().sync_all().map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        staged.push((tmp.into_temp_path(), path, original));
    }
    // Step 2: nothing appeared or changed since the files were read.
    for (_, path, original) in &staged {
        match original {
            // symlink_metadata: a dangling link by that name counts as existing too.
            None if fs::symlink_metadata(path).is_ok() => {
                return Err(format!("{} 已存在，不会覆盖；没有写入任何文件", path.display()));
            }
            Some(text) if fs::read_to_string(path).ok().as_deref() != Some(text) => {
                return Err(format!(
                    "{} 在导入期间被改动过，为不丢掉这次改动，没有写入任何文件；请重新运行导入",
                    path.display()
                ));
            }
            _ => {}
        }
    }
    // Step 3: the journal decides the import.
    let rel = |p: &Path| p.strip_prefix(into).unwrap_or(p).to_string_lossy().into_owned();
    let journal: String = staged
        .iter()
        .map(|(tmp, path, original)| {
            format!("{}\t{}\t{}\n", if original.is_none() { "new" } else { "update" }, rel(tmp), rel(path))
        })
        .collect();
    let journal_path = into.join(JOURNAL);
    let mut j = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(into)
        .map_err(|e| format!("无法在 {} 中写入：{e}", into.display()))?;
    j.write_all(journal.as_bytes())
        .and_then(|_| j.as_file().sync_all())
        .map_err(|e| format!("无法写入导入记录：{e}"))?;
    j.persist(&journal_path).map_err(|e| format!("无法写入导入记录：{}", e.error))?;
    // From here on the temporary files belong to the journal.
    let staged: Vec<(PathBuf, &PathBuf, bool)> = staged
        .into_iter()
        .map(|(tmp, path, original)| (tmp.keep().expect("a temporary file kept"), path, original.is_none()))
        .collect();
    // Step 4: put them in place, then close the journal.
    let abort_after = std::env::var("TUIGUAN_TEST_ABORT_AFTER").ok().and_then(|n| n.parse::<usize>().ok());
    let (mut created, mut updated) = (0, 0);
    for (i, (tmp, path, new)) in staged.iter().enumerate() {
        if abort_after == Some(i) {
            // Fault injection for the tests: die here as `kill -9` would.
            std::process::abort();
        }
        put_in_place(tmp, path, *new).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        if *new { created += 1 } else { updated += 1 }
    }
    fs::remove_file(&journal_path).map_err(|e| format!("无法删除导入记录 {}：{e}", journal_path.display()))?;
    Ok((created, updated))
}

/// A new file by a hard link (never over an existing one), an update by a
/// rename; the temporary file is gone afterwards.
fn put_in_place(tmp: &Path, path: &Path, new: bool) -> io::Result<()> {
    if new {
        match fs::hard_link(tmp, path) {
            Ok(()) => {}
            // Already linked by a run that was killed right after.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && fs::read(tmp)? == fs::read(path)? => {}
            Err(e) => return Err(e),
        }
        fs::remove_file(tmp)
    } else {
        fs::rename(tmp, path)
    }
}

/// Finish what a killed import left: complete a journal (the import had been
/// decided), remove temporary files no journal names. Returns what was done,
/// in words, if anything.
pub fn recover(into: &Path) -> Result<Option<String>, String> {
    let journal_path = into.join(JOURNAL);
    let mut said = Vec::new();
    if let Ok(journal) = fs::read_to_string(&journal_path) {
        let mut done = 0;
        for line in journal.lines() {
            let mut f = line.split('\t');
            let (Some(kind), Some(tmp), Some(target)) = (f.next(), f.next(), f.next()) else { continue };
            let (tmp, target) = (into.join(tmp), into.join(target));
            if tmp.exists() {
                put_in_place(&tmp, &target, kind == "new")
                    .map_err(|e| format!("无法补完上次中断的导入（{}）：{e}", target.display()))?;
                done += 1;
            }
        }
        fs::remove_file(&journal_path).map_err(|e| format!("无法删除导入记录 {}：{e}", journal_path.display()))?;
        said.push(format!(
            "上次导入在写入途中被中断，已按导入记录补完（{done} 个文件），数据文件夹现在是导入完成后的样子"
        ));
    }
    let strays: Vec<PathBuf> = walkdir::WalkDir::new(into)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
        .map(|e| e.into_path())
        .collect();
    for s in &strays {
        fs::remove_file(s).map_err(|e| format!("无法删除上次中断留下的临时文件 {}：{e}", s.display()))?;
    }
    if !strays.is_empty() {
        said.push(format!("清除了上次导入中断时留下的 {} 个临时文件（那次导入没有写入任何内容）", strays.len()));
    }
    Ok((!said.is_empty()).then(|| said.join("；")))
}

/// rw-r--r-- for a new member file, like any file the clerk makes (the
/// temporary file is private to its owner).
#[cfg(unix)]
fn default_permissions() -> Option<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn existing(path: &Path, original: &str, text: &str) -> Outcome {
        Outcome::Existing {
            member_id: "a".into(),
            name: "张三".into(),
            path: path.to_path_buf(),
            changes: Vec::new(),
            text: Some(text.into()),
            original: original.into(),
        }
    }

    #[test]
    fn a_clerks_edit_made_during_the_import_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
        fs::write(&a, "mobile: 1\n").unwrap();
        fs::write(&b, "mobile: 2 # 文员刚改的\n").unwrap();
        let outcomes =
            [(2, existing(&a, "mobile: 1\n", "mobile: 9\n")), (3, existing(&b, "mobile: 2\n", "mobile: 8\n"))];
        let err = write_all(dir.path(), &outcomes).unwrap_err();
        assert!(err.contains("b.yaml 在导入期间被改动过"), "{err}");
        assert_eq!(fs::read_to_string(&a).unwrap(), "mobile: 1\n", "all or nothing");
        assert_eq!(fs::read_to_string(&b).unwrap(), "mobile: 2 # 文员刚改的\n");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().filter_map(Result::ok).map(|e| e.file_name()).collect();
        assert_eq!(left.len(), 2, "no temporary files left: {left:?}");
    }

    #[test]
    fn a_dangling_link_counts_as_an_existing_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new.yaml");
        #[cfg(unix)]
        std::os::unix::fs::symlink("nowhere", &target).unwrap();
        #[cfg(not(unix))]
        fs::write(&target, "").unwrap();
        let o = Outcome::New { path: target.clone(), name: "张三".into(), lines: Vec::new(), text: "id: a\n".into() };
        assert!(write_all(dir.path(), &[(2, o)]).unwrap_err().contains("已存在，不会覆盖"));
    }
}
