//! Write an import: new files only where none exists, updates replaced in
//! one step each (a temporary file beside the old one, renamed over it).

use super::Outcome;

/// Write every new file (never over an existing one) and every update.
pub(super) fn write_all(outcomes: &[(u32, Outcome)]) -> Result<(usize, usize), String> {
    use std::io::Write;
    let (mut created, mut updated) = (0, 0);
    for (_, o) in outcomes {
        match o {
            Outcome::New { path, text, .. } => {
                let dir = path.parent().expect("member files are in a folder");
                std::fs::create_dir_all(dir).map_err(|e| format!("无法建立 {}：{e}", dir.display()))?;
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)
                    .map_err(|e| format!("无法新建 {}（不会覆盖已有文件）：{e}", path.display()))?;
                f.write_all(text.as_bytes()).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
                created += 1;
            }
            Outcome::Existing { path, text: Some(text), .. } => {
                let dir = path.parent().expect("member files are in a folder");
                let mut tmp =
                    tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("无法写入 {}：{e}", dir.display()))?;
                tmp.write_all(text.as_bytes()).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
                if let Ok(meta) = std::fs::metadata(path) {
                    let _ = tmp.as_file().set_permissions(meta.permissions());
                }
                tmp.persist(path).map_err(|e| format!("无法更新 {}：{e}", path.display()))?;
                updated += 1;
            }
            _ => {}
        }
    }
    Ok((created, updated))
}
