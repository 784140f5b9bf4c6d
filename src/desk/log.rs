//! 操作记录: every change the desk made, with the member file's bytes
//! before and after, so that the latest ones can be taken back exactly.
//! Kept in `<data>/.tuiguan-desk/` (tuiguan's own folder: never read as
//! data): `log.tsv`, one line per change or take-back, and `N-K.before` /
//! `N-K.after` for file K of change N (a branch's month of dues changes
//! every member who paid, in one change).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::import::outcome::Outcome;

pub const DIR: &str = ".tuiguan-desk";
const LOG: &str = "log.tsv";

/// One change, as the 操作记录 page lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entry {
    pub number: usize,
    pub when: String,
    pub user: String,
    pub member_id: String,
    pub member: String,
    pub what: String,
    /// The member files, relative to the data folder, `|` between them.
    pub file: String,
    /// Taken back (by a later line).
    pub undone: bool,
}

pub struct Log {
    data: PathBuf,
}

fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The computer's user name, for the record of who changed what.
pub fn user() -> String {
    std::env::var("USERNAME").or_else(|_| std::env::var("USER")).unwrap_or_else(|_| "（未知）".into())
}

impl Log {
    pub fn new(data: &Path) -> Self {
        Self { data: data.to_path_buf() }
    }

    fn dir(&self) -> PathBuf {
        self.data.join(DIR)
    }

    /// Every change, newest first.
    pub fn entries(&self) -> Vec<Entry> {
        let text = std::fs::read_to_string(self.dir().join(LOG)).unwrap_or_default();
        let mut entries: Vec<Entry> = Vec::new();
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                ["undo", n, ..] => {
                    if let Some(e) = entries.iter_mut().find(|e| n.parse() == Ok(e.number)) {
                        e.undone = true;
                    }
                }
                [n, when, user, member_id, member, what, file] => entries.push(Entry {
                    number: n.parse().unwrap_or(0),
                    when: when.to_string(),
                    user: user.to_string(),
                    member_id: member_id.to_string(),
                    member: member.to_string(),
                    what: what.to_string(),
                    file: file.to_string(),
                    undone: false,
                }),
                _ => {}
            }
        }
        entries.reverse();
        entries
    }

    fn append(&self, line: &str) -> std::io::Result<()> {
        use std::io::Write;
        std::fs::create_dir_all(self.dir())?;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(self.dir().join(LOG))?;
        f.write_all(format!("{line}\n").as_bytes())?;
        f.sync_all()
    }

    /// Write `new` over the member file `file` (which must still hold
    /// `before`) through the import's exact writer, and record it.
    pub fn change(
        &self,
        file: &Path,
        member: (&str, &str),
        what: &str,
        before: &str,
        new: &str,
    ) -> Result<usize, String> {
        self.change_all(&[(file.to_path_buf(), before.to_string(), new.to_string())], member, what)
    }

    /// [`Log::change`] of several files at once, all or none (one change
    /// in the record, taken back as one).
    pub fn change_all(
        &self,
        files: &[(PathBuf, String, String)],
        member: (&str, &str),
        what: &str,
    ) -> Result<usize, String> {
        let number = self.entries().iter().map(|e| e.number).max().unwrap_or(0) + 1;
        let dir = self.dir();
        let failed = |e: std::io::Error| format!("无法写入操作记录 {}：{e}", dir.display());
        std::fs::create_dir_all(&dir).map_err(failed)?;
        for (k, (file, before, new)) in files.iter().enumerate() {
            // A file not there before has no `.before`: taken back, it goes.
            if !is_new(file, before) {
                std::fs::write(dir.join(format!("{number}-{k}.before")), before).map_err(failed)?;
            }
            std::fs::write(dir.join(format!("{number}-{k}.after")), new).map_err(failed)?;
        }
        write(&self.data, files, member)?;
        let rel = files
            .iter()
            .map(|(file, _, _)| file.strip_prefix(&self.data).unwrap_or(file).to_string_lossy().replace('\\', "/"))
            .collect::<Vec<_>>()
            .join("|");
        let when = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
        let line =
            [number.to_string(), when.to_string(), clean(&user()), clean(member.0), clean(member.1), clean(what), rel]
                .join("\t");
        self.append(&line).map_err(failed)?;
        Ok(number)
    }

    /// Take back change `number`: only the latest change not yet taken
    /// back, and only while its file still holds what the change wrote.
    pub fn undo(&self, number: usize) -> Result<Entry, String> {
        let entries = self.entries();
        let Some(latest) = entries.iter().find(|e| !e.undone) else { return Err("没有可以撤销的操作".into()) };
        if latest.number != number {
            return Err(format!("只能从最近的一次开始撤销（第 {} 号）", latest.number));
        }
        let dir = self.dir();
        let read =
            |name: String| std::fs::read_to_string(dir.join(&name)).map_err(|e| format!("读不到操作记录 {name}：{e}"));
        let mut back = Vec::new();
        let mut gone = Vec::new();
        for (k, rel) in latest.file.split('|').enumerate() {
            let after = read(format!("{number}-{k}.after"))?;
            let file = self.data.join(rel);
            let now = std::fs::read_to_string(&file).unwrap_or_default();
            if now != after {
                return Err(format!("{} 在这次操作之后又被改动过，不能直接撤销；请打开文件手工改回", file.display()));
            }
            match dir.join(format!("{number}-{k}.before")).exists() {
                true => back.push((file, after, read(format!("{number}-{k}.before"))?)),
                false => gone.push(file),
            }
        }
        write(&self.data, &back, (&latest.member_id, &latest.member))?;
        for file in gone {
            std::fs::remove_file(&file).map_err(|e| format!("无法删除 {}：{e}", file.display()))?;
        }
        self.append(&format!("undo\t{number}")).map_err(|e| format!("无法写入操作记录：{e}"))?;
        Ok(latest.clone())
    }
}

/// Each (file, before, new): `new` over the file, which must hold `before`
/// right up to the moment it is replaced; all or none (see `import::write`).
fn write(data: &Path, files: &[(PathBuf, String, String)], member: (&str, &str)) -> Result<(), String> {
    let outcomes: Vec<(u32, Outcome)> = files
        .iter()
        .map(|(file, before, new)| {
            if is_new(file, before) {
                let outcome = Outcome::New {
                    path: file.clone(),
                    name: member.1.to_string(),
                    lines: Vec::new(),
                    text: new.clone(),
                };
                return (0, outcome);
            }
            let outcome = Outcome::Existing {
                member_id: member.0.to_string(),
                name: member.1.to_string(),
                path: file.clone(),
                changes: Vec::new(),
                text: Some(new.clone()),
                original: before.clone(),
            };
            (0, outcome)
        })
        .collect();
    crate::import::write::write_all(data, &outcomes).map(|_| ())
}

/// A file the change creates: nothing before, and nothing there.
fn is_new(file: &Path, before: &str) -> bool {
    before.is_empty() && std::fs::symlink_metadata(file).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_recorded_and_taken_back_to_the_exact_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("members/b1/a.yaml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        let before = "name: 张三\r\n# 注释\r\n";
        std::fs::write(&file, before).unwrap();
        let log = Log::new(dir.path());
        let n = log.change(&file, ("a", "张三"), "登记走访", before, "name: 张三\r\n# 注释\r\nvisits: []\r\n").unwrap();
        assert_eq!(n, 1);
        let e = &log.entries()[0];
        assert_eq!(
            (e.member.as_str(), e.what.as_str(), e.file.as_str(), e.undone),
            ("张三", "登记走访", "members/b1/a.yaml", false)
        );
        // Only the latest.
        assert!(log.undo(2).is_err());
        log.undo(1).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), before.as_bytes());
        assert!(log.entries()[0].undone);
        assert!(log.undo(1).unwrap_err().contains("没有可以撤销的操作"));
    }

    #[test]
    fn a_new_file_is_written_never_over_another_and_taken_back_by_removing_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("members/b2/b2-031.yaml");
        let log = Log::new(dir.path());
        log.change(&file, ("b2-031", "李四"), "新增党员", "", "id: b2-031\n").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "id: b2-031\n");
        // The same again: the file is there now, and is not written over.
        assert!(log.change(&file, ("b2-031", "李四"), "新增党员", "", "id: x\n").is_err());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "id: b2-031\n");
        log.undo(1).unwrap();
        assert!(!file.exists());
    }

    #[test]
    fn a_file_changed_since_is_not_taken_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "name: 张三\n").unwrap();
        let log = Log::new(dir.path());
        log.change(&file, ("a", "张三"), "登记联系", "name: 张三\n", "name: 张三\ncontacts: []\n").unwrap();
        std::fs::write(&file, "name: 张三\ncontacts: [] # 手改\n").unwrap();
        assert!(log.undo(1).unwrap_err().contains("又被改动过"));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "name: 张三\ncontacts: [] # 手改\n");
    }
}
