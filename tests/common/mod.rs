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

/// Run `tuiguan` with `args` in `cwd` (templates and fonts are built in).
pub fn tuiguan(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tuiguan")).args(args).current_dir(cwd).output().expect("run tuiguan");
    Run { code: out.status.code().unwrap_or(-1), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

/// [`tuiguan`] with `TUIGUAN_TIMINGS=1`: the phases, and what each made, on stderr.
pub fn tuiguan_timed(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_tuiguan"))
        .args(args)
        .env("TUIGUAN_TIMINGS", "1")
        .current_dir(cwd)
        .output()
        .expect("run tuiguan");
    Run { code: out.status.code().unwrap_or(-1), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

/// A copy of the sample office in `dir/data`.
pub fn sample_office(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&repo().join("data"), &data);
    data
}

/// Run `tuiguan` in `dir` on `data` into `out` as of [`AS_OF`].
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--data", "data", "--out", "out", "--as-of", AS_OF];
    all.extend_from_slice(args);
    tuiguan(dir, &all)
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

pub fn tool(name: &str, args: &[&str]) -> String {
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

/// Names that would run as code if a page took them for markup.
pub const HOSTILE_NAMES: [&str; 2] = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>"];

/// A copy of the sample office in `dir/data` with two more members in
/// branch b1 whose names, native place, destination and visit answers are
/// markup and script.
pub fn hostile_office(dir: &Path) -> PathBuf {
    let data = dir.join("data");
    copy_dir(&repo().join("data"), &data);
    for (i, name) in HOSTILE_NAMES.iter().enumerate() {
        let first17 = format!("33010619480{}0512{}", i + 1, 3 + 2 * i);
        let id_number = format!("{first17}{}", tuiguan::office::id_number::check_digit(&first17));
        let yaml = format!(
            r#"id: b1-x{i}
name: '{name}'
sex: 男
ethnicity: 汉族
id_number: "{id_number}"
native_place: '浙江<b>杭州</b>'
address: '杭州市西湖区<script>alert(2)</script>路 1 号'
mobile: "13900001234"
joined_party: 1970-07-01
branch: b1
group: b1-g1
departures:
  - id: W2026-X{i}
    start: 2026-09-01
    planned_end: 2027-01-31
    fixed_location: true
    destination:
      province: 广东省
      city: '深圳市"><svg onload=alert(3)>'
    card:
      number: LK-X{i}
      issued: 2026-08-30
    filed: 2026-09-02
visits:
  - date: 2026-08-20
    kind: 电话
    by: '</td><script>alert(4)</script>'
    difficulties: '{name}'
    suggestions: "javascript:alert(5)"
    plans: "{{{{ 7*7 }}}}"
"#
        );
        std::fs::write(data.join(format!("members/b1/b1-x{i}.yaml")), yaml).unwrap();
    }
    data
}

/// Build the intranet register of `data` into `out` (as of [`AS_OF`]); it must succeed.
pub fn build_register(data: &Path, out: &Path) -> Run {
    let run = tuiguan(
        data.parent().unwrap(),
        &["--data", data.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", AS_OF, "register"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// Whether a member file's member is on the books (not died, left or removed).
pub fn on_books(member_file_text: &str) -> bool {
    let Some((_, after)) = member_file_text.split_once("\nstatus:\n") else { return true };
    let kind = after.lines().find_map(|l| l.trim().strip_prefix("kind: ")).unwrap_or("");
    matches!(kind, "失联" | "停止党籍")
}

/// A line of text on a page as poppler's `pdftotext -bbox-layout` boxes it,
/// in millimetres from the page's top left corner.
#[derive(Debug, Clone)]
pub struct BoxLine {
    pub page: usize,
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl BoxLine {
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }
    pub fn centre_x(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
    pub fn centre_y(&self) -> f64 {
        (self.y0 + self.y1) / 2.0
    }
}

/// Every line of every page of a PDF with its box (mm), words joined
/// without the spaces poppler puts between them; and the page count.
pub fn pdf_lines(pdf: &Path) -> (usize, Vec<BoxLine>) {
    let (pages, lines, _) = pdf_boxes(pdf);
    (pages, lines)
}

/// Every word of a PDF with its box (mm).
pub fn pdf_words(pdf: &Path) -> Vec<BoxLine> {
    pdf_boxes(pdf).2
}

fn pdf_boxes(pdf: &Path) -> (usize, Vec<BoxLine>, Vec<BoxLine>) {
    let html = tool("pdftotext", &["-bbox-layout", pdf.to_str().unwrap(), "-"]);
    let attr = |tag: &str, name: &str| -> f64 {
        let k = format!("{name}=\"");
        let i = tag.find(&k).unwrap_or_else(|| panic!("no {name} in {tag}")) + k.len();
        tag[i..tag[i..].find('"').unwrap() + i].parse::<f64>().unwrap() * 25.4 / 72.0
    };
    let (mut pages, mut lines, mut words) = (0, Vec::new(), Vec::new());
    let mut current: Option<BoxLine> = None;
    for raw in html.lines() {
        let l = raw.trim();
        if l.starts_with("<page ") {
            pages += 1;
        } else if l.starts_with("<line ") {
            current = Some(BoxLine {
                page: pages,
                text: String::new(),
                x0: attr(l, "xMin"),
                y0: attr(l, "yMin"),
                x1: attr(l, "xMax"),
                y1: attr(l, "yMax"),
            });
        } else if l.starts_with("<word ") {
            let text = &l[l.find('>').unwrap() + 1..l.rfind("</word>").unwrap()];
            let text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
            current.as_mut().expect("a word inside a line").text.push_str(&text);
            words.push(BoxLine {
                page: pages,
                text,
                x0: attr(l, "xMin"),
                y0: attr(l, "yMin"),
                x1: attr(l, "xMax"),
                y1: attr(l, "yMax"),
            });
        } else if l.starts_with("</line>") {
            lines.extend(current.take());
        }
    }
    (pages, lines, words)
}
