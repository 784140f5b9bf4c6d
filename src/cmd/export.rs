//! `export [--xlsx PATH]`: the whole register as an Excel workbook.

use std::path::Path;

use super::XLSX_NAME;
use crate::batch::Plan;
use crate::error::Error;
use crate::facts::Facts;

/// Inside out/ the workbook goes through the staging folder like every
/// output (Some plan); elsewhere it replaces the file in one step (None:
/// nothing left to do).
pub fn plan(facts: &Facts, out: &Path, xlsx: Option<&Path>) -> Result<Option<Plan>, Error> {
    let bytes = crate::export::workbook(facts).map_err(Error::Failed)?;
    let target = xlsx.map_or_else(|| out.join(XLSX_NAME), Path::to_path_buf);
    match target.strip_prefix(out) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let rel = rel.to_string_lossy().replace('\\', "/");
            Ok(Some(Plan { outputs: Vec::new(), files: vec![(rel.clone(), bytes)], owned: Some(vec![rel.into()]) }))
        }
        _ => {
            write_file(&target, &bytes).map_err(|e| Error::Failed(format!("无法写入 {}：{e}", target.display())))?;
            eprintln!("已导出 {} 位党员 → {}", facts.office.members.len(), target.display());
            Ok(None)
        }
    }
}

/// Replace `path` with `bytes` in one step (a temporary file beside it, renamed).
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    // A new file gets the usual permissions, not the temporary file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
