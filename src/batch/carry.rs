//! Carrying over what has not changed: the whole of out/ when every
//! planned output is there with the same digest (the run then only
//! updates the manifest), the other files (register pages, workbook,
//! calendar) written or kept, and which documents are stale.

use std::collections::BTreeMap;
use std::path::Path;

use super::OtherFile;
use super::digests::Digests;
use crate::error::Error;
use crate::manifest::{Manifest, Run};
use crate::output::Staging;

/// Whether out/ already holds exactly this plan's documents — every one
/// with the same digest — and nothing to remove.
pub fn up_to_date(old: &Manifest, d: &Digests, present: &[String], keep: &dyn Fn(&str) -> bool) -> bool {
    let there = |path: &str| present.binary_search_by(|p| p.as_str().cmp(path)).is_ok();
    let same = |path: &str, digest: &str| old.view(path) == Some(digest) && there(path);
    d.planned.iter().all(|(p, digest)| same(p, digest))
        && d.join_digests.iter().all(|(p, digest)| same(p, digest))
        && present.iter().all(|p| keep(p))
}

/// Record each planned output's inputs (`recorded`) in the entries it has,
/// content kept; whether any changed.
pub fn record_inputs(
    entries: &mut BTreeMap<String, String>,
    planned: &[(String, String)],
    recorded: &[String],
) -> bool {
    let mut changed = false;
    for ((path, _), rec) in planned.iter().zip(recorded) {
        if let Some(entry) = entries.get_mut(path)
            && let e = crate::manifest::Entry::parse(entry)
            && !e.content.is_empty()
            && e.made != rec
        {
            *entry = crate::manifest::entry_of(rec, e.content);
            changed = true;
        }
    }
    changed
}

/// Whether out/ holds the other files as planned.
pub fn files_hold(out: &Path, old: &Manifest, files: &[OtherFile]) -> bool {
    let since = Manifest::written(out);
    files.iter().all(|f| match &f.bytes {
        None => old.0.get(&f.path) == Some(&f.entry),
        Some(bytes) => {
            old.holds(&f.path, &f.entry, &out.join(&f.path), bytes.len(), since)
                || std::fs::read(out.join(&f.path)).is_ok_and(|b| bytes.inflate().is_ok_and(|mine| b == mine))
        }
    })
}

/// The manifest once out/ is known to hold everything: the last run's
/// entries with this run's inputs, its record and owners; None when it
/// would say what the last one says.
pub fn manifest_of_unchanged(
    before: &Manifest,
    old: &Manifest,
    d: &Digests,
    files: &[OtherFile],
    run: &Run,
    owners: &crate::manifest::Owners,
) -> Option<Manifest> {
    let mut entries = old.0.clone();
    let mut inputs_changed = record_inputs(&mut entries, &d.planned, &d.recorded);
    // A page made again with the same bytes from other inputs (a member
    // file's comment): recorded with them, so the next run need not make it.
    for f in files.iter().filter(|f| old.0.get(&f.path) != Some(&f.entry)) {
        entries.insert(f.path.clone(), f.entry.clone());
        inputs_changed = true;
    }
    (old.1.as_ref() != Some(run) || inputs_changed || before.2 != *owners)
        .then(|| Manifest(entries, Some(run.clone()), owners.clone()))
}

/// Write the other files into the staging folder — those out/ holds as
/// made from the same inputs are kept without reading them — and record
/// each in `manifest`; how many were written.
pub fn write_files(
    files: Vec<OtherFile>,
    staging: &Staging,
    old: &Manifest,
    out: &Path,
    force: bool,
    manifest: &mut Manifest,
) -> Result<usize, Error> {
    let since = Manifest::written(out);
    let mut written = 0;
    for OtherFile { path, entry, bytes } in files {
        let Some(bytes) = bytes else {
            // Not made: out/ held it, made from the same inputs, when the
            // run planned. Under out/'s lock it still must.
            if old.0.get(&path) == Some(&entry) && staging.has(&path) {
                manifest.0.insert(path, entry);
                continue;
            }
            return Err(changed_meanwhile(&path, out));
        };
        // Most register pages are as the last run left them: known so by
        // the manifest and one stat, not by reading them.
        let kept = staging.has(&path) && old.holds(&path, &entry, &out.join(&path), bytes.len(), since);
        let changed = if kept { Ok(false) } else { bytes.inflate().and_then(|b| staging.write(Path::new(&path), &b)) };
        let changed =
            changed.map_err(|e| Error::Failed(format!("无法写入 {path}：{e}；{} 保持原样。", out.display())))?;
        written += usize::from(changed || force);
        manifest.0.insert(path, entry);
    }
    Ok(written)
}

/// Per planned output, whether it must be made again: not in out/ with the
/// same digest, or (a print-file part) no longer holding what was written.
/// A view known unchanged when the run planned was not built: out/ must
/// still hold it.
pub fn stale(
    outputs: &[super::Planned],
    d: &Digests,
    old: &Manifest,
    staging: &Staging,
    out: &Path,
) -> Result<Vec<bool>, Error> {
    let stale: Vec<bool> = outputs
        .iter()
        .zip(&d.planned)
        .map(|(p, (path, digest))| {
            // A part is read only when it would be reused.
            let reused = old.view(path) == Some(digest.as_str()) && staging.has(path);
            !(reused && (p.join.is_none() || old.content_matches(path, &out.join(path))))
        })
        .collect();
    match outputs.iter().zip(&stale).zip(&d.planned).find(|((p, s), _)| **s && p.known.is_some()) {
        Some((_, (path, _))) => Err(changed_meanwhile(path, out)),
        None => Ok(stale),
    }
}

fn changed_meanwhile(path: &str, out: &Path) -> Error {
    Error::Failed(format!("{path} 在生成过程中被改动（另一次运行？），{} 保持原样；请重新运行。", out.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digests(planned: &[(&str, &str)]) -> Digests {
        Digests {
            planned: planned.iter().map(|(p, d)| (p.to_string(), d.to_string())).collect(),
            recorded: planned.iter().map(|(_, d)| format!("{d}+in")).collect(),
            cuts: vec![None; planned.len()],
            joins: BTreeMap::new(),
            join_digests: BTreeMap::new(),
        }
    }

    #[test]
    fn out_is_up_to_date_only_with_every_output_there_at_its_digest_and_nothing_to_remove() {
        let entries = [("a.pdf", "d1:c1"), ("b.pdf", "d2:c2")].map(|(p, e)| (p.to_string(), e.to_string()));
        let old = Manifest(entries.into(), None, Default::default());
        let d = digests(&[("a.pdf", "d1"), ("b.pdf", "d2")]);
        let present = vec!["a.pdf".to_string(), "b.pdf".to_string()];
        let keep = |_: &str| true;
        assert!(up_to_date(&old, &d, &present, &keep));
        assert!(!up_to_date(&old, &digests(&[("a.pdf", "d1"), ("b.pdf", "d3")]), &present, &keep));
        assert!(!up_to_date(&old, &d, &present[..1], &keep), "b.pdf gone from out/");
        assert!(!up_to_date(&old, &d, &present, &|p| p != "b.pdf"), "a file to remove");
    }

    #[test]
    fn inputs_are_recorded_with_the_content_kept() {
        let mut entries: BTreeMap<String, String> = [("a.pdf".to_string(), "d1:c1".to_string())].into();
        let d = digests(&[("a.pdf", "d1"), ("new.pdf", "d9")]);
        assert!(record_inputs(&mut entries, &d.planned, &d.recorded));
        assert_eq!(entries["a.pdf"], "d1+in:c1");
        assert!(!entries.contains_key("new.pdf"), "only outputs the manifest has");
        assert!(!record_inputs(&mut entries, &d.planned, &d.recorded), "the second time nothing changes");
    }
}
