//! `export [--xlsx PATH]`: the whole register as an Excel workbook.

use std::path::Path;

use super::XLSX_NAME;
use crate::batch::{OtherFile, Plan};
use crate::error::Error;
use crate::facts::Facts;

/// Inside out/ the workbook goes through the staging folder like every
/// output (Some plan); elsewhere it replaces the file in one step (None:
/// nothing left to do).
pub fn plan(facts: &Facts, data: &Path, out: &Path, xlsx: Option<&Path>) -> Result<Option<Plan>, Error> {
    let target = xlsx.map_or_else(|| out.join(XLSX_NAME), Path::to_path_buf);
    if target.strip_prefix(out).is_err() {
        safe_target(data, &target).map_err(Error::Usage)?;
    }
    let bytes = crate::export::workbook(facts).map_err(Error::Failed)?;
    match target.strip_prefix(out) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            let rel = rel.to_string_lossy().replace('\\', "/");
            Ok(Some(Plan {
                outputs: Vec::new(),
                files: vec![OtherFile::new(rel.clone(), bytes)],
                owned: Some(vec![rel.into()]),
                ..Default::default()
            }))
        }
        _ => {
            write_file(&target, &bytes).map_err(|e| Error::Failed(format!("无法写入 {}：{e}", target.display())))?;
            eprintln!("已导出 {} 位党员 → {}", facts.office.members.len(), target.display());
            Ok(None)
        }
    }
}

/// Refuse a target that would overwrite what is not an export: anything in
/// the data folder, or an existing file that is not a workbook with the
/// register sheet this tool writes.
fn safe_target(data: &Path, target: &Path) -> Result<(), String> {
    let resolved = |p: &Path| {
        let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
        match (abs.parent().and_then(|d| d.canonicalize().ok()), abs.file_name()) {
            (Some(dir), Some(name)) => dir.join(name),
            _ => abs,
        }
    };
    let data_dir = data.canonicalize().unwrap_or_else(|_| data.to_path_buf());
    if resolved(target).starts_with(&data_dir) {
        return Err(format!(
            "{} 在数据文件夹 {} 里；导出的 Excel 不能写进数据文件夹（会覆盖数据）。请换一个位置，例如 --xlsx 台帐.xlsx",
            target.display(),
            data.display()
        ));
    }
    if target.is_dir() {
        return Err(format!(
            "{} 是一个文件夹；请写要生成的 Excel 文件名，例如 {}/台帐.xlsx",
            target.display(),
            target.display()
        ));
    }
    if target.exists() && !is_our_workbook(target) {
        return Err(format!(
            "{} 已存在，而且不是 tuiguan 导出的台帐（没有“党员台帐”工作表）；为防止误覆盖，不会替换它。请换一个文件名，或先把它移走",
            target.display()
        ));
    }
    Ok(())
}

/// Whether `path` is a workbook with the sheet `export` writes first.
fn is_our_workbook(path: &Path) -> bool {
    use calamine::Reader;
    calamine::open_workbook_auto(path).is_ok_and(|b| b.sheet_names().iter().any(|n| n == "党员台帐"))
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
