//! Load: walk the data folder, parse every YAML file with positions and read
//! it into the model, collecting every problem on the way.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::office::{Office, Org};
use crate::yaml::{Fields, Node, parse};

/// Read `data_dir`. Returns the office (None when org.yaml is unusable) and
/// all diagnostics. Member files that cannot be read are left out of the
/// office; their problems are in the diagnostics.
pub fn load(data_dir: &Path) -> (Option<Office>, Diagnostics) {
    load_files(data_dir, Files::default())
}

/// The digest of each file of the data folder: the run's input digest, and
/// the inputs each document was made from, are taken from these.
pub type Read = BTreeMap<PathBuf, String>;

/// Every entry of a data folder, links followed, in name order, leaving
/// out tuiguan's own files and folders (lock, journals, backup record, the
/// desk's record): what `load`, `backup` and the desk see as the data.
pub fn walk_data(data_dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    WalkDir::new(data_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with(".tuiguan"))
}

/// Every file of a data folder (links followed; tuiguan's own lock and
/// journal files left out), read once, by path. A run digests them to know
/// whether out/ is up to date before parsing any, and load then parses
/// them from memory instead of reading them again: what was digested is
/// what was loaded, even if a file changes meanwhile.
#[derive(Default)]
pub struct Files(BTreeMap<PathBuf, std::io::Result<Vec<u8>>>);

impl Files {
    /// Read every file under `data_dir`, on several threads: a folder not
    /// in the page cache is read at the disk's pace, not one file's wait
    /// after another.
    pub fn read(data_dir: &Path) -> Self {
        let entries = walk_data(data_dir).filter_map(Result::ok);
        let paths: Vec<PathBuf> = entries.filter(|e| e.file_type().is_file()).map(|e| e.into_path()).collect();
        let chunk = paths.len().div_ceil(READERS).max(1);
        std::thread::scope(|s| {
            let readers: Vec<_> = paths
                .chunks(chunk)
                .map(|paths| s.spawn(move || paths.iter().map(|p| (p.clone(), std::fs::read(p))).collect::<Vec<_>>()))
                .collect();
            Self(readers.into_iter().flat_map(|r| r.join().expect("a reader thread panicked")).collect())
        })
    }

    /// Each file's path (in walk order: components compare as names sort)
    /// and the digest of its bytes; a file that could not be read counts
    /// as empty.
    pub fn digests(&self) -> Read {
        self.0
            .iter()
            .map(|(path, bytes)| {
                let bytes = bytes.as_deref().unwrap_or_default();
                (path.clone(), crate::manifest::Digest::default().update(bytes).hex())
            })
            .collect()
    }

    /// The bytes of `path`, taken out: from memory if read, else from disk.
    fn take(&mut self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.0.remove(path).unwrap_or_else(|| std::fs::read(path))
    }
}

/// [`load`] from files already read (any other is read from disk).
pub fn load_files(data_dir: &Path, mut files: Files) -> (Option<Office>, Diagnostics) {
    let diags = RefCell::new(Diagnostics::default());
    if !data_dir.is_dir() {
        diags.borrow_mut().push(
            Diagnostic::error(data_dir, None, "找不到数据文件夹")
                .hint("用 --data 指定数据文件夹，或在含有 data/ 的目录中运行；新建单位可参考 docs/data-format.md"),
        );
        return (None, diags.into_inner());
    }
    let org_file = data_dir.join("org.yaml");
    let org = read_file(&org_file, files.take(&org_file), &diags).and_then(|node| {
        let f = Fields::new(&org_file, &node, crate::office::ORG_KEYS, "", &diags)?;
        Some(crate::office::read_org(f))
    });

    // Member files are independent: parse them on all cores, in contiguous
    // chunks so that the order (and so the output) stays the same.
    let paths = member_files(data_dir, &diags);
    let count = paths.len();
    let mut rest: Vec<_> = paths.into_iter().map(|path| (files.take(&path), path)).collect();
    drop(files);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, count.max(1));
    let mut chunks = Vec::with_capacity(workers);
    while !rest.is_empty() {
        let tail = rest.split_off(count.div_ceil(workers).min(rest.len()));
        chunks.push(std::mem::replace(&mut rest, tail));
    }
    let parts: Vec<(Vec<crate::office::Member>, Diagnostics)> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    let diags = RefCell::new(Diagnostics::default());
                    let mut members = Vec::with_capacity(chunk.len());
                    for (bytes, path) in chunk {
                        if let Some(node) = read_file(&path, bytes, &diags)
                            && let Some(f) = Fields::new(&path, &node, crate::office::MEMBER_KEYS, "", &diags)
                        {
                            members.push(crate::office::read_member(f, path.clone()));
                        }
                    }
                    (members, diags.into_inner())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a loader thread panicked")).collect()
    });
    let mut members = Vec::with_capacity(count);
    for (m, d) in parts {
        members.extend(m);
        diags.borrow_mut().extend(d);
    }
    let ids: Vec<&str> = members.iter().map(|m| m.id.value.as_str()).collect();
    let (photos, photo_diags) = crate::office::photo::read_photos(data_dir, &ids);
    let mut diags = diags.into_inner();
    diags.extend(photo_diags);
    let office = org.map(|org: Org| Office { org, org_file, members, photos });
    (office, diags)
}

/// What a data folder without members/ is told (`import` makes it instead).
pub const NO_MEMBERS: &str = "找不到成员文件夹 members/";

/// `members/**/*.yaml` (and `.yml`), sorted by path for a stable order.
fn member_files(data_dir: &Path, diags: &RefCell<Diagnostics>) -> Vec<PathBuf> {
    let dir = data_dir.join("members");
    if !dir.is_dir() {
        diags
            .borrow_mut()
            .push(Diagnostic::error(&dir, None, NO_MEMBERS).hint("在数据文件夹里建 members/，每位党员一个 .yaml 文件"));
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let p = e.path();
                let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
                let hidden =
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.') || n.ends_with('~'));
                if (ext == "yaml" || ext == "yml") && !hidden {
                    files.push(p.to_path_buf());
                }
            }
            Ok(_) => {}
            Err(e) => {
                let p = e.path().unwrap_or(&dir).to_path_buf();
                diags.borrow_mut().push(Diagnostic::error(&p, None, format!("无法读取：{e}")));
            }
        }
    }
    files
}

/// How many threads read the data folder's files: reading waits on the
/// disk more than it works.
const READERS: usize = 8;

/// A member file is a page of text; anything far larger is not one.
const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// Parse the file at `path`, which held `bytes` when read.
fn read_file(path: &Path, bytes: std::io::Result<Vec<u8>>, diags: &RefCell<Diagnostics>) -> Option<Node> {
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            let (msg, hint) = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    ("找不到这个文件".to_string(), "检查文件名和所在文件夹；新单位可参考 docs/data-format.md 新建")
                }
                std::io::ErrorKind::PermissionDenied => ("没有读取这个文件的权限".to_string(), "请管理员开放读取权限"),
                _ => (format!("无法读取文件（{e}）"), "检查文件是否损坏"),
            };
            diags.borrow_mut().push(Diagnostic::error(path, None, msg).hint(hint));
            return None;
        }
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        diags.borrow_mut().push(
            Diagnostic::error(path, None, format!("文件太大（{} KB），不像一份成员数据", bytes.len() / 1024))
                .hint("每个文件只写一位党员；照片等其他文件不要放在 members/ 里"),
        );
        return None;
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        diags.borrow_mut().push(
            Diagnostic::error(path, None, "文件是 UTF-16（Unicode）编码，需要 UTF-8")
                .hint("用记事本打开，“另存为”时编码选择 UTF-8"),
        );
        return None;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            diags.borrow_mut().push(
                Diagnostic::error(
                    path,
                    Some(Pos::new(line, 1)),
                    "文件不是 UTF-8 编码（这一行有无法识别的字节，多半是 GBK 编码）",
                )
                .hint("用记事本打开，“另存为”时编码选择 UTF-8；从 Excel 导出时选择“CSV UTF-8”"),
            );
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match parse(path, text) {
        Ok(Some(node)) => Some(node),
        Ok(None) => {
            diags.borrow_mut().push(Diagnostic::error(path, None, "文件是空的").hint("写入成员信息，或删除这个文件"));
            None
        }
        Err(d) => {
            diags.borrow_mut().push(d);
            None
        }
    }
}

/// One member file's text read as `load` reads it: the member and every
/// problem of its typing, plus those `check` finds in its identity and
/// contact details (ID number, phones, postcode, address). Err: the text
/// is not a member file at all. The desk checks what it is about to write
/// with this, and so does the import's editor.
pub fn read_member_text(
    file: &Path,
    text: &str,
    as_of: chrono::NaiveDate,
) -> Result<(crate::office::Member, Diagnostics), String> {
    let root = parse(file, text).map_err(|d| format!("无法解析（{}）", d.message))?.ok_or("文件是空的")?;
    let diags = RefCell::new(Diagnostics::default());
    let fields = Fields::new(file, &root, crate::office::MEMBER_KEYS, "", &diags).ok_or("读不出成员")?;
    let member = crate::office::read_member(fields, file.to_path_buf());
    let mut diags = diags.into_inner();
    crate::check::people::check_identity(&member, as_of, &mut diags);
    crate::check::people::check_contacts(&member, &mut diags);
    Ok((member, diags))
}
