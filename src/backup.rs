//! `backup` and `restore`: the whole record lives in one data folder on one
//! office PC. `backup` writes it as one dated zip archive with a list of
//! every file's digest (备份清单.txt), reads the archive back and compares
//! each file with the folder before it says done; `restore` unpacks one
//! only into an empty folder, checking every file against the list, and
//! moves it in only when all are right. `check` reminds when the last
//! backup (recorded in `<data>/.tuiguan-backup`) is older than
//! `rules.backup_days`.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::manifest::Digest;

/// The list of the archive's files: its first entry.
pub const LIST: &str = "备份清单.txt";
/// In the data folder: the date and place of the last backup.
pub const RECORD: &str = ".tuiguan-backup";
/// The most one restored file, and all of them together, may hold: a data
/// folder is a few MB; a damaged or hostile archive may claim GBs.
const FILE_CAP: u64 = 256 << 20;
const TOTAL_CAP: u64 = 2 << 30;

/// The data folder's files to back up, relative with `/`, in order:
/// everything but tuiguan's own lock, journal and backup record.
fn data_files(data: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut v = Vec::new();
    for e in crate::load::walk_data(data) {
        let e = e.map_err(|e| format!("无法读取数据文件夹 {}：{e}", data.display()))?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e.path().strip_prefix(data).unwrap_or(e.path());
        let parts: Option<Vec<&str>> = rel.iter().map(|c| c.to_str()).collect();
        let rel = parts.ok_or_else(|| format!("{} 的文件名不是有效的文字，无法备份", e.path().display()))?.join("/");
        v.push((rel, e.into_path()));
    }
    Ok(v)
}

fn digest(bytes: &[u8]) -> String {
    Digest::default().update(bytes).hex()
}

/// The list's text: a heading, then `digest<TAB>size<TAB>path` per file.
fn list_text(data: &Path, date: NaiveDate, files: &BTreeMap<String, (String, usize)>) -> String {
    let mut s =
        format!("# tuiguan 数据备份：{}，{date}，{} 个文件。每行：摘要、字节数、文件。\n", data.display(), files.len());
    for (path, (d, len)) in files {
        s.push_str(&format!("{d}\t{len}\t{path}\n"));
    }
    s
}

/// The list read back: path → (digest, size).
fn parse_list(text: &str) -> Result<BTreeMap<String, (String, u64)>, String> {
    let mut files = BTreeMap::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.is_empty()) {
        let mut it = line.splitn(3, '\t');
        let (Some(d), Some(len), Some(path)) = (it.next(), it.next(), it.next()) else {
            return Err(format!("{LIST} 第 {} 行格式不对", i + 1));
        };
        let len = len.parse().map_err(|_| format!("{LIST} 第 {} 行的字节数不对", i + 1))?;
        files.insert(path.to_string(), (d.to_string(), len));
    }
    Ok(files)
}

/// A fixed time for every entry (the backup's date at noon): the same
/// folder backed up on the same date gives the same archive.
fn entry_options(date: NaiveDate) -> zip::write::SimpleFileOptions {
    use chrono::Datelike;
    let time = zip::DateTime::from_date_and_time(
        date.year().clamp(1980, 2107) as u16,
        date.month() as u8,
        date.day() as u8,
        12,
        0,
        0,
    )
    .unwrap_or_default();
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644)
}

/// `backup [--to DIR]`: Ok(the archive's path).
pub fn backup(data: &Path, to: Option<&Path>, date: NaiveDate) -> Result<PathBuf, String> {
    if !data.join("org.yaml").is_file() {
        return Err(format!("{} 不是数据文件夹（里面没有 org.yaml）", data.display()));
    }
    let name = std::fs::canonicalize(data)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "data".into());
    let dir = match to {
        Some(d) => d.to_path_buf(),
        None => crate::output::parent_of(data).join("退管数据备份"),
    };
    let existed = dir.exists();
    std::fs::create_dir_all(&dir).map_err(|e| format!("无法建立备份文件夹 {}：{e}", dir.display()))?;
    if let (Ok(d), Ok(t)) = (std::fs::canonicalize(data), std::fs::canonicalize(&dir))
        && t.starts_with(&d)
    {
        if !existed {
            let _ = std::fs::remove_dir(&dir);
        }
        return Err(format!("备份不能放在数据文件夹 {} 里面；请换一个位置（最好是 U 盘或另一台电脑）", data.display()));
    }
    let mut target = dir.join(format!("{name}-备份-{date}.zip"));
    for n in 2.. {
        if !target.exists() {
            break;
        }
        target = dir.join(format!("{name}-备份-{date}-{n}.zip"));
    }
    let files = data_files(data)?;
    let mut read: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut scratch = tempfile::Builder::new()
        .prefix(".tuiguan-backup-")
        .tempfile_in(&dir)
        .map_err(|e| format!("无法写入 {}：{e}", dir.display()))?;
    {
        let failed = |e: &dyn std::fmt::Display| format!("无法写入备份 {}：{e}", target.display());
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(scratch.as_file_mut()));
        let mut contents = Vec::with_capacity(files.len());
        for (rel, path) in &files {
            let bytes = std::fs::read(path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
            read.insert(rel.clone(), (digest(&bytes), bytes.len()));
            contents.push((rel, bytes));
        }
        let options = entry_options(date);
        zip.start_file(LIST, options).map_err(|e| failed(&e))?;
        zip.write_all(list_text(data, date, &read).as_bytes()).map_err(|e| failed(&e))?;
        for (rel, bytes) in contents {
            zip.start_file(rel.as_str(), options).map_err(|e| failed(&e))?;
            zip.write_all(&bytes).map_err(|e| failed(&e))?;
        }
        let mut w = zip.finish().map_err(|e| failed(&e))?;
        w.flush().map_err(|e| failed(&e))?;
    }
    scratch.as_file().sync_all().map_err(|e| format!("无法写入备份 {}：{e}", target.display()))?;
    // Read back: every file of the list, as it is in the folder.
    let back = unpack(scratch.path(), &mut |_, _| Ok(()))?;
    for (rel, (d, len)) in &read {
        match back.get(rel) {
            Some((bd, blen)) if bd == d && *blen == *len as u64 => {}
            _ => return Err(format!("备份读回时 {rel} 不一致；备份没有完成，请重试（可换一个位置）")),
        }
    }
    if back.len() != read.len() {
        return Err("备份读回时文件数不一致；备份没有完成，请重试".into());
    }
    scratch.persist_noclobber(&target).map_err(|e| format!("无法写入备份 {}：{}", target.display(), e.error))?;
    // The record is tuiguan's own file: no data file is touched.
    let _ = std::fs::write(data.join(RECORD), format!("{date}\t{}\n", target.display()));
    Ok(target)
}

/// What is done with each file found right: written out, or nothing.
type Each<'a> = &'a mut dyn FnMut(&str, &[u8]) -> Result<(), String>;

/// Read `archive`, checking every file against its list; `each(path,
/// bytes)` is given each file once it is found right. Ok(the list).
fn unpack(archive: &Path, each: Each) -> Result<BTreeMap<String, (String, u64)>, String> {
    let damaged = |why: String| format!("{} 不是完好的 tuiguan 备份：{why}", archive.display());
    let file = std::fs::File::open(archive).map_err(|e| format!("无法打开 {}：{e}", archive.display()))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| damaged(format!("无法作为 zip 读取（{e}）")))?;
    let read_entry = |zip: &mut zip::ZipArchive<_>, i: usize| -> Result<(String, Vec<u8>), String> {
        let entry = zip.by_index(i).map_err(|e| damaged(format!("第 {} 个文件读不出（{e}）", i + 1)))?;
        let name = entry.enclosed_name().ok_or_else(|| damaged(format!("第 {} 个文件的路径不安全", i + 1)))?;
        let name = name.to_string_lossy().replace('\\', "/");
        if entry.is_symlink() || entry.is_dir() {
            return Ok((name, Vec::new()));
        }
        let mut bytes = Vec::new();
        entry.take(FILE_CAP + 1).read_to_end(&mut bytes).map_err(|e| damaged(format!("{name} 解压出错（{e}）")))?;
        if bytes.len() as u64 > FILE_CAP {
            return Err(damaged(format!("{name} 超过 {} MB", FILE_CAP >> 20)));
        }
        Ok((name, bytes))
    };
    if zip.is_empty() {
        return Err(damaged("是空的".into()));
    }
    let (first, list) = read_entry(&mut zip, 0)?;
    if first != LIST {
        return Err(damaged(format!("第一个文件应是 {LIST}")));
    }
    let list = parse_list(&String::from_utf8_lossy(&list)).map_err(damaged)?;
    let mut seen = 0;
    let mut total = 0u64;
    for i in 1..zip.len() {
        let (name, bytes) = read_entry(&mut zip, i)?;
        let Some((d, len)) = list.get(&name) else {
            return Err(damaged(format!("{name} 不在 {LIST} 里")));
        };
        total += bytes.len() as u64;
        if total > TOTAL_CAP {
            return Err(damaged(format!("解压后超过 {} GB", TOTAL_CAP >> 30)));
        }
        if bytes.len() as u64 != *len || &digest(&bytes) != d {
            return Err(damaged(format!("{name} 与清单不符（已损坏或被改动）")));
        }
        each(&name, &bytes)?;
        seen += 1;
    }
    if seen != list.len() {
        return Err(damaged(format!("清单有 {} 个文件，备份里只有 {seen} 个", list.len())));
    }
    Ok(list)
}

/// `restore ARCHIVE --into DIR`: only into a folder that does not exist
/// or is empty; the files are unpacked beside it and moved in when every
/// one is right. Ok(how many files).
pub fn restore(archive: &Path, into: &Path) -> Result<usize, String> {
    if into.exists() {
        let empty = std::fs::read_dir(into).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return Err(format!(
                "{} 不是空文件夹；恢复只写进空文件夹或新文件夹，免得覆盖现在的数据。请另写一个文件夹名",
                into.display()
            ));
        }
    }
    let parent = crate::output::parent_of(into);
    std::fs::create_dir_all(&parent).map_err(|e| format!("无法建立 {}：{e}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".tuiguan-restore-")
        .tempdir_in(&parent)
        .map_err(|e| format!("无法在 {} 里写入：{e}", parent.display()))?;
    let list = unpack(archive, &mut |name, bytes| {
        let path = name.split('/').fold(staging.path().to_path_buf(), |p, c| p.join(c));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("无法写入 {}：{e}", dir.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("无法写入 {}：{e}", path.display()))
    })?;
    if !staging.path().join("org.yaml").is_file() {
        return Err(format!("{} 里没有 org.yaml，不是数据文件夹的备份", archive.display()));
    }
    if into.exists() {
        std::fs::remove_dir(into).map_err(|e| format!("无法写入 {}：{e}", into.display()))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, into).map_err(|e| {
        let _ = std::fs::remove_dir_all(&staged);
        format!("无法把恢复的文件移入 {}：{e}", into.display())
    })?;
    Ok(list.len())
}

/// The date of the last backup recorded in the data folder, if any.
pub fn last_backup(data: &Path) -> Option<NaiveDate> {
    let text = std::fs::read_to_string(data.join(RECORD)).ok()?;
    crate::yaml::parse_date(text.split('\t').next()?.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office(dir: &Path) -> PathBuf {
        let data = dir.join("data");
        std::fs::create_dir_all(data.join("members/b1")).unwrap();
        std::fs::write(data.join("org.yaml"), "enterprise: 某厂\n").unwrap();
        std::fs::write(data.join("members/b1/b1-001.yaml"), "name: 张三\r\n# 注释\r\n").unwrap();
        std::fs::write(data.join(".tuiguan-lock"), "x").unwrap();
        data
    }

    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        data_files(dir).unwrap().into_iter().map(|(r, p)| (r, std::fs::read(p).unwrap())).collect()
    }

    #[test]
    fn backup_then_restore_gives_the_same_folder_and_a_damaged_archive_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let data = office(tmp.path());
        let date = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let zip = backup(&data, Some(&tmp.path().join("bak")), date).unwrap();
        assert!(zip.ends_with("data-备份-2026-12-07.zip"), "{}", zip.display());
        assert_eq!(last_backup(&data), Some(date));
        // A second one the same day does not replace the first.
        let again = backup(&data, Some(&tmp.path().join("bak")), date).unwrap();
        assert!(again.ends_with("data-备份-2026-12-07-2.zip"));
        assert_eq!(std::fs::read(&zip).unwrap(), std::fs::read(&again).unwrap(), "the same folder, the same bytes");
        let into = tmp.path().join("restored");
        assert_eq!(restore(&zip, &into).unwrap(), 2);
        assert_eq!(tree(&into), tree(&data));
        // Not into a folder with anything in it.
        assert!(restore(&zip, &data).unwrap_err().contains("不是空文件夹"));
        // One byte changed in the member file's data (after its local header's name).
        let mut bytes = std::fs::read(&zip).unwrap();
        let name = b"members/b1/b1-001.yaml";
        let at = bytes.windows(name.len()).position(|w| w == name).unwrap() + name.len() + 1;
        bytes[at] ^= 0x5a;
        let bad = tmp.path().join("bad.zip");
        std::fs::write(&bad, &bytes).unwrap();
        let e = restore(&bad, &tmp.path().join("r2")).unwrap_err();
        assert!(e.contains("不是完好的 tuiguan 备份"), "{e}");
        assert!(!tmp.path().join("r2").exists(), "nothing left of a refused restore");
        // Cut short.
        std::fs::write(&bad, &std::fs::read(&zip).unwrap()[..200]).unwrap();
        assert!(restore(&bad, &tmp.path().join("r3")).is_err());
        assert!(!tmp.path().join("r3").exists());
    }

    #[test]
    fn a_backup_inside_the_data_folder_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let data = office(tmp.path());
        let date = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        assert!(backup(&data, Some(&data.join("bak")), date).unwrap_err().contains("不能放在数据文件夹"));
        assert!(!data.join("bak").exists(), "the folder it made is taken back");
    }
}
