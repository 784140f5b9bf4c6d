//! `clean [WHAT…] [--dry-run]`: remove papers printed on purpose (a
//! festival's letters, a notice, one member's departure papers, a period's
//! report) that no run removes by itself (see `batch::owners`). What the
//! standing plan still makes is never touched.

use std::collections::HashSet;
use std::path::Path;

use crate::batch::owners;
use crate::error::Error;
use crate::manifest::Manifest;
use crate::output::{MARKER, Staging, piece_path};

pub fn run(data: &Path, out: &Path, what: &[String], dry_run: bool) -> Result<(), Error> {
    if !out.join(MARKER).is_file() {
        eprintln!("{} 里没有 tuiguan 生成的文件，无需清理。", out.display());
        return Ok(());
    }
    crate::output::check_out_dir(data, out).map_err(Error::Usage)?;
    let _lock = crate::lock::Lock::acquire(&crate::lock::out_lock_path(out), &format!("清理 {}", out.display()))
        .map_err(Error::Failed)?;
    crate::output::recover(out).map_err(|e| Error::Failed(format!("无法清理上次中断留下的临时文件夹：{e}")))?;
    let old = Manifest::read(out);
    let chosen = |label: &str| what.is_empty() || what.iter().any(|w| label.contains(w.as_str()));
    let groups = owners::occasions(&old, &chosen);
    if groups.is_empty() {
        let all = owners::occasions(&old, &|_| true);
        if what.is_empty() || all.is_empty() {
            eprintln!("没有特意打印、可以清理的文书（日常生成的文书由 tuiguan build 自己更新）。");
        } else {
            eprintln!("没有与“{}”相符的文书。特意打印过的有：", what.join("、"));
            for (label, files) in &all {
                eprintln!("    {label}（{} 个文件）", files.len());
            }
        }
        return Ok(());
    }
    let mut gone: HashSet<String> = HashSet::new();
    for (label, files) in &groups {
        let shown: Vec<&String> = files.iter().filter(|f| !f.starts_with(crate::documents::PARTS_DIR)).collect();
        let parts = files.len() - shown.len();
        let verb = if dry_run { "将删除" } else { "删除" };
        eprintln!(
            "{verb}{label}：{} 个文件{}",
            shown.len(),
            if parts > 0 { format!("（另有内部分片 {parts} 个）") } else { String::new() }
        );
        for f in shown {
            eprintln!("    {f}");
        }
        for f in files {
            gone.insert(f.clone());
            gone.insert(piece_path(f).to_string_lossy().replace('\\', "/"));
        }
    }
    if dry_run {
        eprintln!("（预演，未删除任何文件；去掉 --dry-run 即删除上面列出的文件）");
        return Ok(());
    }
    let present = crate::batch::files_under(out);
    let failed =
        |e: std::io::Error| Error::Failed(format!("无法清理 {}：{e}；{} 保持原样。", out.display(), out.display()));
    let staging = Staging::begin(out, Some(&present)).map_err(failed)?;
    let removed = staging.retain(&|p| !gone.contains(p)).map_err(failed)?;
    // The last run's record goes: a run like it must make its files again.
    let mut manifest = Manifest(old.0, None, old.2);
    manifest.0.retain(|p, _| !gone.contains(p));
    manifest.2.retain(|p, _| !gone.contains(p));
    staging.write(Path::new(crate::manifest::FILE), manifest.to_text().as_bytes()).map_err(failed)?;
    staging.commit().map_err(|e| Error::Failed(format!("无法清理 {}：{e}", out.display())))?;
    eprintln!("已清理：删除 {} 个文件 → {}", removed.len(), out.display());
    Ok(())
}
