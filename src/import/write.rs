//! Write an import in two steps, so that a failure (a full disk, a file
//! that appeared meanwhile) leaves the data folder as it was: first every
//! file's text goes to a temporary file beside where it belongs; only when
//! all are written are they put in place — a new file by a hard link that
//! fails rather than replace anything, an update by a rename over the old.

use std::io::Write;
use std::path::PathBuf;

use tempfile::NamedTempFile;

use super::Outcome;

/// Write every new file (never over an existing one) and every update.
pub(super) fn write_all(outcomes: &[(u32, Outcome)]) -> Result<(usize, usize), String> {
    // Step 1: everything to temporary files (removed again on any error).
    let mut staged: Vec<(NamedTempFile, &PathBuf, bool)> = Vec::new();
    for (_, o) in outcomes {
        let (path, text, new) = match o {
            Outcome::New { path, text, .. } => (path, text, true),
            Outcome::Existing { path, text: Some(text), .. } => (path, text, false),
            _ => continue,
        };
        let dir = path.parent().expect("member files are in a folder");
        std::fs::create_dir_all(dir).map_err(|e| format!("无法建立 {}：{e}", dir.display()))?;
        let mut tmp = NamedTempFile::new_in(dir).map_err(|e| format!("无法在 {} 中写入：{e}", dir.display()))?;
        tmp.write_all(text.as_bytes()).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        if let Some(mode) = std::fs::metadata(path).ok().map(|m| m.permissions()).or_else(default_permissions) {
            tmp.as_file().set_permissions(mode).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        }
        staged.push((tmp, path, new));
    }
    // A file that appeared since the dry run's check stops everything.
    if let Some((_, path, _)) = staged.iter().find(|(_, p, new)| *new && p.exists()) {
        return Err(format!("{} 已存在，不会覆盖；没有写入任何文件", path.display()));
    }
    // Step 2: put them in place.
    let (mut created, mut updated) = (0, 0);
    for (tmp, path, new) in staged {
        if new {
            std::fs::hard_link(tmp.path(), path).map_err(|e| format!("无法新建 {}：{e}", path.display()))?;
            created += 1;
        } else {
            tmp.persist(path).map_err(|e| format!("无法更新 {}：{e}", path.display()))?;
            updated += 1;
        }
    }
    Ok((created, updated))
}

/// rw-r--r-- for a new member file, like any file the clerk makes (the
/// temporary file is private to its owner).
#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}
