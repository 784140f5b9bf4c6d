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
    let (office, diags, _) = load_read(data_dir);
    (office, diags)
}

/// Each file load read, with the digest of its bytes: the run's input
/// digest takes these instead of reading the files a second time.
pub type Read = BTreeMap<PathBuf, String>;

/// [`load`], and what it read.
pub fn load_read(data_dir: &Path) -> (Option<Office>, Diagnostics, Read) {
    let diags = RefCell::new(Diagnostics::default());
    if !data_dir.is_dir() {
        diags.borrow_mut().push(
            Diagnostic::error(data_dir, None, "找不到数据文件夹")
                .hint("用 --data 指定数据文件夹，或在含有 data/ 的目录中运行；新建单位可参考 docs/data-format.md"),
        );
        return (None, diags.into_inner(), Read::new());
    }
    let read = RefCell::new(Read::new());
    let org_file = data_dir.join("org.yaml");
    let org = read_file(&org_file, &diags, &read).and_then(|node| {
        let f = Fields::new(&org_file, &node, crate::office::ORG_KEYS, "", &diags)?;
        Some(crate::office::read_org(f))
    });

    // Member files are independent: parse them on all cores, in contiguous
    // chunks so that the order (and so the output) stays the same.
    let files = member_files(data_dir, &diags);
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, files.len().max(1));
    let parts: Vec<(Vec<crate::office::Member>, Diagnostics, Read)> = std::thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(files.len().div_ceil(workers).max(1))
            .map(|chunk| {
                s.spawn(move || {
                    let diags = RefCell::new(Diagnostics::default());
                    let read = RefCell::new(Read::new());
                    let mut members = Vec::with_capacity(chunk.len());
                    for path in chunk {
                        if let Some(node) = read_file(path, &diags, &read)
                            && let Some(f) = Fields::new(path, &node, crate::office::MEMBER_KEYS, "", &diags)
                        {
                            members.push(crate::office::read_member(f, path.clone()));
                        }
                    }
                    (members, diags.into_inner(), read.into_inner())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a loader thread panicked")).collect()
    });
    let mut members = Vec::with_capacity(files.len());
    for (m, d, r) in parts {
        members.extend(m);
        diags.borrow_mut().extend(d);
        read.borrow_mut().extend(r);
    }
    let diags = diags.into_inner();
    let office = org.map(|org: Org| Office { org, org_file, members });
    (office, diags, read.into_inner())
}

/// `members/**/*.yaml` (and `.yml`), sorted by path for a stable order.
fn member_files(data_dir: &Path, diags: &RefCell<Diagnostics>) -> Vec<PathBuf> {
    let dir = data_dir.join("members");
    if !dir.is_dir() {
        diags.borrow_mut().push(
            Diagnostic::error(&dir, None, "找不到成员文件夹 members/")
                .hint("在数据文件夹里建 members/，每位党员一个 .yaml 文件"),
        );
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

/// A member file is a page of text; anything far larger is not one.
const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

fn read_file(path: &Path, diags: &RefCell<Diagnostics>, read: &RefCell<Read>) -> Option<Node> {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > MAX_FILE_BYTES
    {
        diags.borrow_mut().push(
            Diagnostic::error(path, None, format!("文件太大（{} KB），不像一份成员数据", meta.len() / 1024))
                .hint("每个文件只写一位党员；照片等其他文件不要放在 members/ 里"),
        );
        return None;
    }
    let bytes = match std::fs::read(path) {
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
    read.borrow_mut().insert(path.to_path_buf(), crate::manifest::Digest::default().update(&bytes).hex());
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
