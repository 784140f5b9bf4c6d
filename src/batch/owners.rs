//! Who each file in out/ belongs to, and so what a run may remove.
//!
//! The standing plan (`build`, and the commands that make a whole kind of
//! document: `cards`, `departures`, `visits`, `register`…) makes what the
//! data and the date call for; its files go when they are no longer called
//! for (a member who left, last quarter's report). Papers printed on
//! purpose by an explicit command — a festival's letters, a notice, one
//! member's departure papers, a period's report — belong to that occasion
//! (its label, as "2027年春节慰问信"), and only a later run for the same
//! occasion, or `tuiguan clean`, removes them. A file both made is kept
//! while either still wants it; a run always replaces what it writes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::manifest::{self, Manifest, Owners, STANDING};
use crate::output::MARKER;

/// An occasion's label as the manifest keeps it: one line, no `|`.
pub fn occasion(label: &str) -> String {
    label.chars().map(|c| if c.is_control() || c == '|' { '_' } else { c }).collect()
}

/// What a run does with out/'s files.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Fate {
    /// tuiguan's files that no one wants any more: removed.
    pub removed: HashSet<String>,
    /// Files tuiguan did not make (not in the manifest): kept, and named.
    pub foreign: Vec<String>,
    /// The owners of every file out/ will hold that is not the standing
    /// plan's alone.
    pub owners: Owners,
}

/// Whether `path` is one of out/'s own bookkeeping files.
fn internal(path: &str) -> bool {
    path == MARKER || path == manifest::FILE
}

/// Whether `path` is a print-file part's piece (kept beside its part, not
/// in the manifest; see `output::Staging::join`).
fn piece(path: &str) -> bool {
    path.starts_with(crate::documents::PARTS_DIR) && path.ends_with(".piece")
}

/// `owners` with `run` added, sorted, each once.
fn with(mut owners: Vec<String>, run: &str) -> Vec<String> {
    if !owners.iter().any(|o| o == run) {
        owners.push(run.to_string());
        owners.sort();
    }
    owners
}

fn record(owners: &mut Owners, path: &str, of: Vec<String>) {
    if of != [STANDING] {
        owners.insert(path.to_string(), of);
    }
}

/// The fate of `present` (out/'s files, relative with `/`) after a run
/// for `run` (an occasion's label, or [`STANDING`]) that makes `wanted`.
/// `scope`: the parts of out/ a standing run looks after (None: all of
/// it); a file outside them is not its to remove. `old`: the manifest out/
/// holds (read even under `--force`: it says what tuiguan made).
pub fn decide(
    old: &Manifest,
    run: &str,
    scope: Option<&[PathBuf]>,
    wanted: &HashSet<&str>,
    present: &[String],
) -> Fate {
    let mut fate = Fate::default();
    // The owners of what the run makes: its own, added to those before.
    if run == STANDING {
        for (path, of) in old.2.iter().filter(|(p, _)| wanted.contains(p.as_str())) {
            record(&mut fate.owners, path, with(of.clone(), run));
        }
    } else {
        for path in wanted {
            let before = if old.0.contains_key(*path) { old.owners_of(path) } else { Vec::new() };
            record(&mut fate.owners, path, with(before, run));
        }
    }
    // The part of out/ the run looks after: where it names files it did
    // not make, and where a standing run removes what it no longer makes.
    let watched = |path: &str| match scope {
        None => true,
        Some(prefixes) => prefixes.iter().any(|pre| path.starts_with(&*pre.to_string_lossy().replace('\\', "/"))),
    };
    let mut pieces = Vec::new();
    for path in present {
        if internal(path) || wanted.contains(path.as_str()) {
            continue;
        }
        if !old.0.contains_key(path) {
            if piece(path) {
                pieces.push(path);
            } else if watched(path) {
                fate.foreign.push(path.clone());
            }
            continue;
        }
        let mut of = old.owners_of(path);
        if run != STANDING || watched(path) {
            of.retain(|o| o != run);
        }
        if of.is_empty() {
            fate.removed.insert(path.clone());
        } else {
            record(&mut fate.owners, path, of);
        }
    }
    // A piece goes with its part.
    for path in pieces {
        let part = Path::new(path).with_extension("pdf").to_string_lossy().replace('\\', "/");
        if !old.0.contains_key(&part) || fate.removed.contains(&part) {
            fate.removed.insert(path.clone());
        }
    }
    fate
}

/// What `clean` removes: every file of out/ printed on purpose whose every
/// owner is an occasion that `chosen` accepts; with the occasions' labels
/// and their files, in order.
pub fn occasions(old: &Manifest, chosen: &dyn Fn(&str) -> bool) -> Vec<(String, Vec<String>)> {
    let mut by: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (path, of) in &old.2 {
        if old.0.contains_key(path) && !of.iter().any(|o| o == STANDING) && of.iter().all(|o| chosen(o)) {
            by.entry(of.join("、")).or_default().push(path.clone());
        }
    }
    by.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(entries: &[(&str, &[&str])]) -> Manifest {
        let mut m = Manifest::default();
        for (path, of) in entries {
            m.0.insert(path.to_string(), "d:c".into());
            let of: Vec<String> = of.iter().map(|s| s.to_string()).collect();
            record(&mut m.2, path, of);
        }
        m
    }

    fn paths(v: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    }

    const FESTIVAL: &str = "2027年春节慰问信";

    #[test]
    fn a_plain_build_keeps_what_an_occasion_printed() {
        let old = manifest(&[
            ("letters/2027-春节-慰问信.pdf", &[FESTIVAL]),
            ("letters/2026-重阳-慰问信.pdf", &[STANDING]),
            ("info-cards/b1-009.pdf", &[STANDING]),
        ]);
        let present = paths(&["letters/2027-春节-慰问信.pdf", "letters/2026-重阳-慰问信.pdf", "info-cards/b1-009.pdf"]);
        // The next festival is now 元旦: build wants neither letter.
        let wanted: HashSet<&str> = ["info-cards/b1-009.pdf"].into();
        let fate = decide(&old, STANDING, None, &wanted, &present);
        assert_eq!(fate.removed, ["letters/2026-重阳-慰问信.pdf".to_string()].into());
        assert_eq!(fate.owners.get("letters/2027-春节-慰问信.pdf"), Some(&vec![FESTIVAL.to_string()]));
        assert!(fate.foreign.is_empty());
    }

    #[test]
    fn an_occasion_removes_only_its_own_and_shares_what_build_also_makes() {
        let old = manifest(&[
            ("letters/2027-春节/b1-001.pdf", &[FESTIVAL]),
            ("letters/2027-春节/b1-002.pdf", &[FESTIVAL, STANDING]),
            ("letters/2027-春节/b1-003.pdf", &[STANDING]),
            ("notices/民主评议.pdf", &["通知 民主评议"]),
        ]);
        let present = paths(&[
            "letters/2027-春节/b1-001.pdf",
            "letters/2027-春节/b1-002.pdf",
            "letters/2027-春节/b1-003.pdf",
            "notices/民主评议.pdf",
            "mine.docx",
        ]);
        // b1-001 and b1-002 died: the festival's run wants b1-003 only.
        let wanted: HashSet<&str> = ["letters/2027-春节/b1-003.pdf"].into();
        let fate = decide(&old, FESTIVAL, Some(&[]), &wanted, &present);
        assert_eq!(fate.removed, ["letters/2027-春节/b1-001.pdf".to_string()].into());
        // Build still wants b1-002 until it plans again; b1-003 is now both's.
        assert_eq!(fate.owners.get("letters/2027-春节/b1-002.pdf"), None);
        let both = vec![STANDING.to_string(), FESTIVAL.to_string()];
        assert_eq!(fate.owners.get("letters/2027-春节/b1-003.pdf"), Some(&both));
        assert_eq!(fate.owners.get("notices/民主评议.pdf"), Some(&vec!["通知 民主评议".to_string()]));
        // An occasion looks after its own files only: nothing else is named.
        assert!(fate.foreign.is_empty());
        let fate = decide(&old, STANDING, None, &wanted, &present);
        assert_eq!(fate.foreign, vec!["mine.docx".to_string()]);
    }

    #[test]
    fn a_standing_run_removes_only_within_its_scope_and_pieces_follow_their_parts() {
        let old = manifest(&[
            (".print-parts/info-cards/b1/0002.pdf", &[STANDING]),
            ("visits/走访计划.pdf", &[STANDING]),
            ("info-cards/b1-077.pdf", &[STANDING]),
        ]);
        let present = paths(&[
            ".print-parts/info-cards/b1/0002.pdf",
            ".print-parts/info-cards/b1/0002.piece",
            ".print-parts/visits/0001.piece",
            "visits/走访计划.pdf",
            "info-cards/b1-077.pdf",
        ]);
        let scope = [PathBuf::from("info-cards"), PathBuf::from(".print-parts/info-cards")];
        let fate = decide(&old, STANDING, Some(&scope), &HashSet::new(), &present);
        // The piece of a part no longer recorded goes too.
        assert_eq!(
            fate.removed,
            [
                ".print-parts/info-cards/b1/0002.pdf",
                ".print-parts/info-cards/b1/0002.piece",
                ".print-parts/visits/0001.piece",
                "info-cards/b1-077.pdf"
            ]
            .map(String::from)
            .into()
        );
    }

    #[test]
    fn clean_takes_what_only_occasions_hold() {
        let old = manifest(&[
            ("a.pdf", &[FESTIVAL]),
            ("b.pdf", &[FESTIVAL, STANDING]),
            ("c.pdf", &["2026-Q3备案报告"]),
            ("d.pdf", &[STANDING]),
        ]);
        let all = occasions(&old, &|_| true);
        assert_eq!(
            all,
            vec![
                ("2026-Q3备案报告".to_string(), vec!["c.pdf".to_string()]),
                (FESTIVAL.to_string(), vec!["a.pdf".to_string()])
            ]
        );
        assert_eq!(occasions(&old, &|o| o.contains("春节")).len(), 1);
    }
}
