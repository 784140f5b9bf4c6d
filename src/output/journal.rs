//! A staging folder's journal: the list of what its run changes in out/,
//! one line per file — `D\t<path>` to remove it, `M\t<path>` to move the
//! staged file in. Written last, under its name only once complete: its
//! presence means the run succeeded and out/ is to become what it says.
//! Carried out again from the start after a kill, it finishes the job.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

const JOURNAL: &str = ".tuiguan-journal";

/// Whether `staging` holds a complete journal.
pub fn written(staging: &Path) -> bool {
    staging.join(JOURNAL).is_file()
}

/// Write `staging`'s journal: the removals first, then the moves, the
/// manifest last (relative paths with `/`).
pub fn write(staging: &Path, removed: &BTreeSet<String>, staged: &BTreeSet<String>) -> io::Result<()> {
    let mut journal = String::new();
    for rel in removed {
        journal.push_str(&format!("D\t{rel}\n"));
    }
    let manifest = crate::manifest::FILE;
    for rel in staged.iter().filter(|r| *r != manifest).chain(staged.get(manifest)) {
        journal.push_str(&format!("M\t{rel}\n"));
    }
    let new = staging.join(format!("{JOURNAL}.new"));
    fs::write(&new, journal)?;
    fs::rename(&new, staging.join(JOURNAL))
}

/// Carry out `staging`'s journal on `out`: a file already moved is no
/// longer staged, one already removed no longer there.
pub fn apply(staging: &Path, out: &Path) -> io::Result<()> {
    // For tests: die after this many steps, as a kill would.
    let abort_after = std::env::var("TUIGUAN_TEST_ABORT_COMMIT_AFTER").ok().and_then(|n| n.parse::<usize>().ok());
    if !apply_steps(staging, out, abort_after)? {
        std::process::abort();
    }
    Ok(())
}

/// The first `limit` steps of the journal (all with `None`); whether that
/// was all of it.
pub fn apply_steps(staging: &Path, out: &Path, limit: Option<usize>) -> io::Result<bool> {
    let journal = fs::read_to_string(staging.join(JOURNAL))?;
    for (step, line) in journal.lines().enumerate() {
        if limit == Some(step) {
            return Ok(false);
        }
        let Some((op, rel)) = line.split_once('\t') else { continue };
        let (from, to) = (staging.join(rel), out.join(rel));
        match op {
            "M" if from.is_file() => {
                if let Some(p) = to.parent() {
                    fs::create_dir_all(p)?;
                }
                fs::rename(&from, &to)?;
            }
            "D" => {
                match fs::remove_file(&to) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
                // Folders the removal left empty go too.
                let mut dir = to.parent();
                while let Some(d) = dir.filter(|d| d.starts_with(out) && *d != out) {
                    if fs::remove_dir(d).is_err() {
                        break;
                    }
                    dir = d.parent();
                }
            }
            _ => {}
        }
    }
    Ok(true)
}
