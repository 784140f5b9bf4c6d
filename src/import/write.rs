//! Write an import all or nothing, even if the process is killed:
//!
//! 1. every file's text goes to a temporary file beside where it belongs
//!    (`.tuiguan-import-*.tmp`, synced to disk);
//! 2. every file to be updated must still hold what was read (a clerk's
//!    edit made meanwhile is never overwritten), and no new file may exist;
//! 3. a journal listing every temporary file and its target is written
//!    (`.tuiguan-import-journal` in the data folder) — from here on the
//!    import is decided;
//! 4. the files are put in place: a new one by a hard link, which never
//!    replaces anything; an update by first moving the file as it is at
//!    that instant aside (one atomic rename), comparing what was moved
//!    with what was read, and only then linking the new text in, again
//!    without replacing anything. An edit saved at any moment — before the
//!    move, or between the move and the link — is found: the file as the
//!    clerk left it is put back, every file already written is restored
//!    from what was read, and the import is rolled back. Then the journal
//!    is removed.
//!
//! A run killed before step 3 leaves only temporary files, which the next
//! run removes; one killed during step 4 leaves the journal, and the next
//! run completes it ([`recover`]), writing no file that was changed since
//! it was read. Either way the data folder ends as before the import or as
//! after it, never half, and no edit of the clerk's is lost.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::Outcome;

pub const JOURNAL: &str = ".tuiguan-import-journal";
const TEMP_PREFIX: &str = ".tuiguan-import-";

/// A file staged: its temporary file beside it, where it goes, and what
/// that file held when read (None: a new file).
type Staged<'a> = (tempfile::TempPath, &'a PathBuf, Option<&'a str>);

/// Write every new file (never over an existing one) and every update:
/// each staged beside its place, nothing changed since it was read, the
/// journal written (it decides the import: a killed run's successor
/// finishes it), then each put in place and the journal closed.
pub(crate) fn write_all(into: &Path, outcomes: &[(u32, Outcome)]) -> Result<(usize, usize), String> {
    let staged = stage(outcomes)?;
    unchanged_since_read(&staged)?;
    let journal_path = journal(into, &staged)?;
    // From here on the temporary files belong to the journal.
    let staged: Vec<(PathBuf, &PathBuf, Option<&str>)> = staged
        .into_iter()
        .map(|(tmp, path, original)| (tmp.keep().expect("a temporary file kept"), path, original))
        .collect();
    let abort_after = std::env::var("TUIGUAN_TEST_ABORT_AFTER").ok().and_then(|n| n.parse::<usize>().ok());
    let (mut created, mut updated) = (0, 0);
    for (i, (tmp, path, original)) in staged.iter().enumerate() {
        if abort_after == Some(i) {
            // Fault injection for the tests: die here as `kill -9` would.
            std::process::abort();
        }
        pause_for_tests(i);
        let put = match original {
            Some(original) => replace_if_unchanged(tmp, path, original),
            None => put_in_place(tmp, path, true).map_err(|e| Refused::Failed(e.to_string())),
        };
        if let Err(why) = put {
            return Err(undo(&staged, i, &journal_path, why));
        }
        if original.is_none() { created += 1 } else { updated += 1 }
    }
    fs::remove_file(&journal_path).map_err(|e| format!("无法删除导入记录 {}：{e}", journal_path.display()))?;
    Ok((created, updated))
}

/// Everything to temporary files beside their places (removed again on any
/// error), with the permissions of the file they replace.
fn stage(outcomes: &[(u32, Outcome)]) -> Result<Vec<Staged<'_>>, String> {
    let mut staged = Vec::new();
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
    Ok(staged)
}

/// Nothing appeared or changed since the files were read.
fn unchanged_since_read(staged: &[Staged]) -> Result<(), String> {
    for (_, path, original) in staged {
        match original {
            // symlink_metadata: a dangling link by that name counts as existing too.
            None if fs::symlink_metadata(path).is_ok() => {
                return Err(format!("{} 已存在，不会覆盖；没有写入任何文件", path.display()));
            }
            Some(text) if fs::read_to_string(path).ok().as_deref() != Some(*text) => {
                return Err(format!(
                    "{} 在导入期间被改动过，为不丢掉这次改动，没有写入任何文件；请重新运行导入",
                    path.display()
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The journal, written whole: from now on it decides the import.
fn journal(into: &Path, staged: &[Staged]) -> Result<PathBuf, String> {
    let rel = |p: &Path| p.strip_prefix(into).unwrap_or(p).to_string_lossy().into_owned();
    let journal: String = staged
        .iter()
        .map(|(tmp, path, original)| {
            let kind = if original.is_none() { "new" } else { "update" };
            // What the file held when read: recovery writes over nothing else.
            let read =
                original.map(|t| crate::manifest::Digest::default().update(t.as_bytes()).hex()).unwrap_or_default();
            format!("{kind}\t{}\t{}\t{read}\n", rel(tmp), rel(path))
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
    Ok(journal_path)
}

/// File `at` could not be put in place: those written before it back as
/// they were read, the rest and the journal removed; what to tell the clerk.
fn undo(staged: &[(PathBuf, &PathBuf, Option<&str>)], at: usize, journal_path: &Path, why: Refused) -> String {
    let done: Vec<(&PathBuf, Option<&str>)> = staged[..at].iter().map(|(_, p, o)| (*p, *o)).collect();
    let undone = roll_back(&done);
    for (tmp, _, _) in &staged[at..] {
        let _ = fs::remove_file(tmp);
    }
    let _ = fs::remove_file(journal_path);
    let path = staged[at].1;
    let what = match why {
        Refused::Changed => format!("{} 在导入写入时被改动过，已保留这次改动", path.display()),
        Refused::Failed(e) => format!("无法写入 {}：{e}", path.display()),
    };
    match undone {
        Ok(()) => format!("{what}；已写入的文件都已复原，这次导入没有改动任何文件。请重新运行导入"),
        Err(e) => format!("{what}；复原已写入的文件时出错（{e}），请检查数据文件夹"),
    }
}

/// Why a file was not put in place.
enum Refused {
    /// It no longer holds what was read: a clerk's edit, kept.
    Changed,
    Failed(String),
}

/// Replace `path` with `tmp` only if it still holds `original`, with no
/// moment at which an edit saved to it could be overwritten: the file is
/// moved aside in one step and what was moved is compared; the new text is
/// then linked in, which fails if anything was saved there meanwhile.
/// Read back after: `path` holds the new text (or a later edit, kept).
fn replace_if_unchanged(tmp: &Path, path: &Path, original: &str) -> Result<(), Refused> {
    let failed = |e: io::Error| Refused::Failed(e.to_string());
    let aside = path.with_file_name(format!(
        "{TEMP_PREFIX}{}.prev",
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    fs::rename(path, &aside).map_err(failed)?;
    if fs::read_to_string(&aside).ok().as_deref() != Some(original) {
        // Put the clerk's file back where it was (unless a newer one is there already).
        if fs::hard_link(&aside, path).is_ok() || fs::symlink_metadata(path).is_ok() {
            let _ = fs::remove_file(&aside);
        }
        return Err(Refused::Changed);
    }
    if let Err(e) = fs::hard_link(tmp, path) {
        // Saved in the instant between: that file stays; the read one goes back aside.
        let _ = fs::remove_file(&aside);
        return Err(if e.kind() == io::ErrorKind::AlreadyExists { Refused::Changed } else { failed(e) });
    }
    fs::remove_file(tmp).and_then(|_| fs::remove_file(&aside)).map_err(failed)
}

/// Put `done` (files written, with what each held before, None: new) back
/// as they were read; a file changed again since is left as it is.
fn roll_back(done: &[(&PathBuf, Option<&str>)]) -> io::Result<()> {
    for (path, original) in done {
        match original {
            None => fs::remove_file(path)?,
            Some(text) => {
                let dir = path.parent().unwrap_or(Path::new("."));
                let mut tmp = tempfile::Builder::new().prefix(TEMP_PREFIX).suffix(".tmp").tempfile_in(dir)?;
                tmp.write_all(text.as_bytes())?;
                tmp.as_file().sync_all()?;
                tmp.persist(path).map_err(|e| e.error)?;
            }
        }
    }
    Ok(())
}

/// The tests' way into the moment before a file is put in place
/// (`TUIGUAN_TEST_PAUSE_AT=i:flag`): file `flag.ready` is made, and the
/// import waits for `flag.go` (at most 60 s). Debug builds only.
fn pause_for_tests(i: usize) {
    #[cfg(debug_assertions)]
    if let Some((at, flag)) = std::env::var("TUIGUAN_TEST_PAUSE_AT").ok().as_deref().and_then(|v| v.split_once(':'))
        && at.parse() == Ok(i)
    {
        let _ = fs::write(format!("{flag}.ready"), "");
        let start = std::time::Instant::now();
        while !Path::new(&format!("{flag}.go")).exists() && start.elapsed().as_secs() < 60 {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = i;
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
        let mut kept = Vec::new();
        for line in journal.lines() {
            let mut f = line.split('\t');
            let (Some(kind), Some(tmp), Some(target)) = (f.next(), f.next(), f.next()) else { continue };
            let read = f.next().unwrap_or("");
            let (tmp, target) = (into.join(tmp), into.join(target));
            if !tmp.exists() {
                continue;
            }
            // An update whose file was changed since it was read (an edit
            // saved after the kill) keeps the edit.
            let changed = kind == "update"
                && !read.is_empty()
                && fs::read(&target).is_ok_and(|b| crate::manifest::Digest::default().update(&b).hex() != read);
            if changed {
                fs::remove_file(&tmp).map_err(|e| format!("无法删除临时文件 {}：{e}", tmp.display()))?;
                kept.push(target.display().to_string());
                continue;
            }
            put_in_place(&tmp, &target, kind == "new")
                .map_err(|e| format!("无法补完上次中断的导入（{}）：{e}", target.display()))?;
            done += 1;
        }
        if !kept.is_empty() {
            said.push(format!("这些文件在中断后被改动过，保留了改动、没有写入导入的内容：{}", kept.join("、")));
        }
        fs::remove_file(&journal_path).map_err(|e| format!("无法删除导入记录 {}：{e}", journal_path.display()))?;
        said.push(format!(
            "上次导入（或工作台的保存）在写入途中被中断，已按记录补完（{done} 个文件），数据文件夹现在是写完后的样子"
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
    fn an_edit_saved_at_the_commit_point_is_kept_and_the_import_rolled_back() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.yaml"), dir.path().join("b.yaml"));
        fs::write(&a, "mobile: 1\n").unwrap();
        fs::write(&b, "mobile: 2\n").unwrap();
        let new = dir.path().join("c.yaml");
        let outcomes = [
            (2, existing(&a, "mobile: 1\n", "mobile: 9\n")),
            (3, Outcome::New { path: new.clone(), name: "李四".into(), lines: Vec::new(), text: "id: c\n".into() }),
            (4, existing(&b, "mobile: 2\n", "mobile: 8\n")),
        ];
        // A clerk saves b.yaml while a.yaml and c.yaml are already written.
        let flag = dir.path().join("flag").to_string_lossy().into_owned();
        let (f2, b2) = (flag.clone(), b.clone());
        let clerk = std::thread::spawn(move || {
            while !Path::new(&format!("{f2}.ready")).exists() {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            fs::write(&b2, "mobile: 2 # 文员刚改的\n").unwrap();
            fs::write(format!("{f2}.go"), "").unwrap();
        });
        // SAFETY: this test alone sets the variable, before the import reads it.
        unsafe { std::env::set_var("TUIGUAN_TEST_PAUSE_AT", format!("2:{flag}")) };
        let err = write_all(dir.path(), &outcomes).unwrap_err();
        unsafe { std::env::remove_var("TUIGUAN_TEST_PAUSE_AT") };
        clerk.join().unwrap();
        assert!(err.contains("b.yaml 在导入写入时被改动过，已保留这次改动"), "{err}");
        assert!(err.contains("已写入的文件都已复原"), "{err}");
        assert_eq!(fs::read_to_string(&b).unwrap(), "mobile: 2 # 文员刚改的\n");
        assert_eq!(fs::read_to_string(&a).unwrap(), "mobile: 1\n", "rolled back");
        assert!(!new.exists(), "the new file is taken back");
        assert!(!dir.path().join(JOURNAL).exists());
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(TEMP_PREFIX))
            .collect();
        assert!(left.is_empty(), "{left:?}");
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
