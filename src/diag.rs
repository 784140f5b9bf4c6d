//! Diagnostics: every problem found in one run, each with where it is,
//! what is wrong and what would be right — printed in Chinese for the clerk.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a data file (1-based line and column, in characters).
/// Every value read from a file keeps one, so they are kept small: 20,000
/// members hold about 1.4 million (a file of more than four billion lines
/// or columns is not a member file; such a position saturates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Self {
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self { line: small(line), column: small(column) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: PathBuf,
    pub pos: Option<Pos>,
    /// What is wrong (Chinese).
    pub message: String,
    /// What would be right (Chinese); may be empty.
    pub hint: String,
}

impl Diagnostic {
    pub fn error(file: &Path, pos: Option<Pos>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, file: file.to_path_buf(), pos, message: message.into(), hint: String::new() }
    }

    pub fn warning(file: &Path, pos: Option<Pos>, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(file, pos, message) }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    /// What kind of problem this is: the words before the first "：", without
    /// what is in parentheses (whose record it is), ids and numbers
    /// ("走访逾期", "外出按规定应转出组织关系，尚未登记转出"). A `key` in
    /// backticks is kept whole: "`last_contact`已由联系记录代替，…".
    pub fn kind(&self) -> String {
        let (mut depth, mut quoted, mut kind) = (0usize, false, String::new());
        for c in self.message.chars() {
            match c {
                '`' if depth == 0 => {
                    quoted = !quoted;
                    kind.push(c);
                }
                _ if quoted => kind.push(c),
                '：' if depth == 0 => break,
                '（' => depth += 1,
                '）' => depth = depth.saturating_sub(1),
                _ if depth > 0 || c.is_ascii_alphanumeric() || " -_“”".contains(c) => {}
                _ => kind.push(c),
            }
        }
        kind
    }

    /// `file:line:column` as editors understand it.
    pub fn location(&self) -> String {
        match self.pos {
            Some(p) => format!("{}:{}:{}", self.file.display(), p.line, p.column),
            None => self.file.display().to_string(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        write!(f, "{}: {label}: {}", self.location(), self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n    提示: {}", self.hint)?;
        }
        Ok(())
    }
}

/// All diagnostics of one run.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Keep only the diagnostics `keep` accepts.
    pub fn retain(&mut self, keep: impl Fn(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Sorted by file, then position, so the report reads top to bottom.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| (&a.file, a.pos, a.severity).cmp(&(&b.file, b.pos, b.severity)));
        v
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Print every diagnostic to stderr, followed by a one-line summary.
    pub fn print(&self) {
        self.print_limited(None);
    }

    /// Print the errors only (for commands whose output is not about the data).
    pub fn print_errors(&self) {
        for d in self.sorted().into_iter().filter(|d| d.severity == Severity::Error) {
            eprintln!("{d}");
        }
    }

    /// Print errors in full, but at most `per_kind` warnings of each kind
    /// (the words before the first "（" or "："), then how many more there
    /// are: a large office's build is not buried under thousands of lines.
    pub fn print_limited(&self, per_kind: Option<usize>) {
        let mut shown: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        let (e, w) = (self.count(Severity::Error), self.count(Severity::Warning));
        // The errors first, counted: one error is not lost under many warnings.
        if e > 0 {
            let also = if w > 0 { format!("，另有 {w} 个警告列在后面") } else { String::new() };
            eprintln!("数据有 {e} 个错误，改正后才能生成文书{also}：");
        }
        let mut sorted = self.sorted();
        sorted.sort_by_key(|d| d.severity != Severity::Error);
        for d in sorted {
            if let (Severity::Warning, Some(limit)) = (d.severity, per_kind) {
                let n = shown.entry(d.kind()).or_default();
                *n += 1;
                if *n > limit {
                    continue;
                }
            }
            eprintln!("{d}");
        }
        if let Some(limit) = per_kind {
            for (kind, n) in shown.iter().filter(|(_, n)| **n > limit) {
                eprintln!("……另有 {} 条“{kind}”警告未列出，运行 tuiguan check 查看全部。", n - limit);
            }
        }
        if e + w > 0 {
            eprintln!("共 {e} 个错误，{w} 个警告。");
        }
    }
}

/// The closest candidate to `word` by edit distance, if it is close enough
/// to be a likely typo ("did you mean").
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1) + usize::from(word.chars().count() > 6);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance over characters where swapping two neighbours counts as
/// one edit (optimal string alignment), so "nmae" is one step from "name".
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_key() {
        let keys = ["name", "native_place", "mobile", "home_phone"];
        assert_eq!(did_you_mean("nmae", keys), Some("name"));
        assert_eq!(did_you_mean("moblie", keys), Some("mobile"));
        assert_eq!(did_you_mean("homephone", keys), Some("home_phone"));
        assert_eq!(did_you_mean("xyzzy", keys), None);
    }

    #[test]
    fn kinds_ignore_ids_and_details() {
        let d = |m: &str| Diagnostic::warning(Path::new("a"), None, m).kind();
        assert_eq!(
            d("外出 W001406 按规定应转出组织关系，尚未登记转出"),
            d("外出 W2 按规定应转出组织关系，尚未登记转出")
        );
        assert_eq!(d("走访逾期（王喆）：80 岁以上"), "走访逾期");
        // A message that starts with a key: the key is the kind's first word, not dropped as an id.
        assert_eq!(
            d("`last_contact`（傅桂兰，W000110）已由联系记录代替，这一行仍然有效"),
            "`last_contact`已由联系记录代替，这一行仍然有效"
        );
        assert_eq!(d("应转组织关系而发放联系卡（宋巧云，W000119）：登记的是发放联系卡"), "应转组织关系而发放联系卡");
    }

    #[test]
    fn prints_location_message_and_hint() {
        let d = Diagnostic::error(Path::new("data/members/a.yaml"), Some(Pos::new(3, 5)), "出错了").hint("应当这样");
        assert_eq!(d.to_string(), "data/members/a.yaml:3:5: 错误: 出错了\n    提示: 应当这样");
    }
}
