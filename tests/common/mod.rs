//! Helpers shared by the integration tests: run the real binary on a data
//! folder in a temporary directory, read PDFs with poppler's tools.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub const AS_OF: &str = "2026-11-26";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Run {
    pub code: i32,
    pub stderr: String,
}

/// Run `tuiguan` with `args` in `cwd`, templates and fonts from `home`.
pub fn tuiguan_in(cwd: &Path, home: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tuiguan"))
        .args(args)
        .current_dir(cwd)
        .env("TUIGUAN_HOME", home)
        .output()
        .expect("run tuiguan");
    Run { code: out.status.code().unwrap_or(-1), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

pub fn tuiguan(cwd: &Path, args: &[&str]) -> Run {
    tuiguan_in(cwd, &repo(), args)
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dst = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dst);
        } else {
            std::fs::copy(e.path(), dst).unwrap();
        }
    }
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed by the tests (apt-get install poppler-utils): {e}"));
    assert!(out.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The text of a PDF (or one page of it), as poppler extracts it.
pub fn pdf_text(pdf: &Path, page: Option<usize>) -> String {
    let p = pdf.to_str().unwrap();
    match page {
        Some(n) => {
            let n = n.to_string();
            tool("pdftotext", &["-f", &n, "-l", &n, "-layout", p, "-"])
        }
        None => tool("pdftotext", &["-layout", p, "-"]),
    }
}

/// (pages, width pt, height pt) of a PDF's first page.
pub fn pdf_info(pdf: &Path) -> (usize, f64, f64) {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let field =
        |k: &str| info.lines().find(|l| l.starts_with(k)).unwrap_or_else(|| panic!("no {k} in {info}")).to_string();
    let pages = field("Pages:").split_whitespace().nth(1).unwrap().parse().unwrap();
    let size = field("Page size:");
    let nums: Vec<f64> = size.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    (pages, nums[0], nums[1])
}

pub fn is_a4(w: f64, h: f64) -> bool {
    (w - 595.28).abs() < 1.0 && (h - 841.89).abs() < 1.0
}
