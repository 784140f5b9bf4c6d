//! Check what an import would write with the same loader and checks as
//! `tuiguan check`, in a temporary copy of the data folder, and point each
//! problem found in a new or updated file back at its row and column.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::columns::Field;
use super::{Outcome, Problem, Request, Sheet};
use crate::diag::Severity;
use crate::fonts::FontSet;
use crate::office::Office;

/// Put the new and updated files beside a copy of the data in a temporary
/// folder and run the checks; problems in those files become problems of
/// their rows, at the column of the line they are on.
pub(super) fn check_result(
    req: &Request,
    office: &Office,
    sheet: &Sheet,
    outcomes: &[(u32, Outcome)],
    fonts: &FontSet,
    problems: &mut Vec<Problem>,
    unreadable: &[u32],
) {
    let Ok(tmp) = tempfile::tempdir() else { return };
    let root = tmp.path();
    let copy = |from: &Path, to: &Path| {
        if let Some(p) = to.parent() {
            let _ = std::fs::create_dir_all(p);
        }
        let _ = std::fs::copy(from, to);
    };
    copy(&office.org_file, &root.join("org.yaml"));
    let mut ours: HashMap<PathBuf, (u32, Option<&Vec<Field>>)> = HashMap::new();
    let relative = |p: &Path| root.join(p.strip_prefix(req.into).unwrap_or(p));
    for m in &office.members {
        copy(&m.file, &relative(&m.file));
    }
    for (row, o) in outcomes {
        match o {
            Outcome::New { path, text, lines, .. } => {
                let p = relative(path);
                if let Some(d) = p.parent() {
                    let _ = std::fs::create_dir_all(d);
                }
                let _ = std::fs::write(&p, text);
                ours.insert(p, (*row, Some(lines)));
            }
            Outcome::Existing { path, text: Some(text), .. } => {
                let p = relative(path);
                let _ = std::fs::write(&p, text);
                ours.insert(p, (*row, None));
            }
            _ => {}
        }
    }
    let (checked, mut diags) = crate::load::load(root);
    if let Some(o) = &checked {
        diags.extend(crate::check::check(&crate::facts::Facts::derive(o, req.as_of), fonts));
    }
    // Problems of the data itself; the visit schedule's warnings (no line:
    // visits are not imported) belong to `tuiguan visits`, not here.
    for d in diags.iter().filter(|d| d.severity == Severity::Error || d.pos.is_some()) {
        let Some((row, lines)) = ours.get(&d.file) else { continue };
        if unreadable.contains(row) && d.message.starts_with("缺少必填项") {
            continue;
        }
        let col = match (lines, d.pos) {
            (Some(lines), Some(p)) => lines.get((p.line as usize).wrapping_sub(1)).and_then(|f| sheet.col_of(*f)),
            _ => None,
        };
        let mut text = d.message.clone();
        if !d.hint.is_empty() {
            text.push_str(&format!("（{}）", d.hint));
        }
        problems.push(Problem { place: None, row: *row, col, severity: d.severity, text });
    }
}
