//! Rendering what is stale, with progress, each PDF written into the
//! staging folder as soon as it is made; then recording what was written
//! in the manifest, print-file parts sealed.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use super::progress::Progress;
use super::schedule::Schedule;
use super::todo::ToWrite;
use crate::diag::{Diagnostic, Diagnostics};
use crate::manifest::{self, Digest, Manifest};
use crate::output::Staging;
use crate::render::typst::{Engine, Rendered};

/// An output once written: its content's digest, and whether the staging
/// folder is still to note it.
type Written = Option<(u128, bool)>;

/// What rendering left: the documents' warnings (a one-page form that ran
/// over), the problems that fail the run, and per output what was written.
pub struct Outcome {
    pub warnings: Diagnostics,
    pub problems: Vec<String>,
    written: Vec<Written>,
}

/// How many outputs of each kind are to be made ("个人信息卡" → 3).
pub fn kinds(todo: &[ToWrite]) -> BTreeMap<&'static str, usize> {
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    for t in todo.iter() {
        *kinds.entry(t.kind).or_default() += 1;
    }
    kinds
}

/// Render the schedule's jobs on all cores; each output is written to
/// `staging` as it comes, not yet noted there (see [`record`]).
pub fn render(engine: &Engine, s: Schedule, staging: &Staging, quiet: bool) -> (Vec<ToWrite>, Outcome) {
    let Schedule { todo, jobs, job_todo, .. } = s;
    let progress = Progress::new(&kinds(&todo), quiet);
    let outcome =
        Mutex::new(Outcome { warnings: Diagnostics::default(), problems: Vec::new(), written: vec![None; todo.len()] });
    // One rendered document: check its pages, write it.
    let take = |t: usize, result: Result<Rendered, String>| {
        // The tests' way to a panic mid-run (tests/faults.rs), in debug builds only.
        #[cfg(debug_assertions)]
        if std::env::var_os("TUIGUAN_TEST_PANIC").is_some() {
            panic!("TUIGUAN_TEST_PANIC");
        }
        let p = &todo[t];
        let problem = match result {
            Ok(r) => {
                if let (Some(what), Some(f)) = (p.one_page, &p.source)
                    && r.pages != 1
                {
                    outcome.lock().unwrap().warnings.push(
                        Diagnostic::warning(f, None, format!("{what}排成了 {} 页（应为 1 页）", r.pages))
                            .hint("备注、地址等内容过长，请精简"),
                    );
                }
                let content = Digest::default().update(&r.pdf).value();
                match staging.write_unnoted(Path::new(&p.path), &r.pdf) {
                    Ok(note) => {
                        outcome.lock().unwrap().written[t] = Some((content, note));
                        None
                    }
                    Err(e) => Some(format!("错误: 无法写入 {}：{e}", p.path)),
                }
            }
            Err(e) => Some(e),
        };
        if let Some(e) = problem {
            outcome.lock().unwrap().problems.push(e);
        }
        progress.done(p.kind);
    };
    let (jobs_done, job_count) = (std::sync::atomic::AtomicUsize::new(0), jobs.len());
    engine.render_each(jobs, &|j, result| {
        let done = jobs_done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if done % 100 == 0 {
            crate::timing::mark(&format!("rendered {done} of {job_count} jobs"));
        }
        let (t, singles) = &job_todo[j];
        match result {
            Ok(mut r) => {
                for (&s, single) in singles.iter().zip(std::mem::take(&mut r.singles)) {
                    take(s, single);
                }
                take(*t, Ok(r));
            }
            Err(e) => {
                // The part's error is reported once; its singles are not made.
                for &s in singles {
                    progress.done(todo[s].kind);
                }
                take(*t, Err(e));
            }
        }
    });
    if let Some((multi, _)) = &progress.bars {
        let _ = multi.clear();
    }
    (todo, outcome.into_inner().unwrap())
}

/// Note in the staging folder and record in `manifest` each output
/// written, with the digest it was made from; seal each print-file part,
/// so the next run knows it unchanged without reading it (see
/// [`manifest::seal`]). A document that failed is not recorded.
pub fn record(todo: &[ToWrite], written: Vec<Written>, staging: &Staging, manifest: &mut Manifest) -> Vec<String> {
    let mut problems = Vec::new();
    for (p, slot) in todo.iter().zip(written) {
        let Some((content, note)) = slot else { continue };
        let path = Path::new(&p.path);
        if note {
            staging.note_written(path);
        }
        if p.part
            && let Err(e) = staging.seal(path, &manifest::hex(content))
        {
            problems.push(format!("错误: 无法写入 {}：{e}", p.path));
        }
        manifest.0.insert(p.path.clone(), manifest::entry(&p.digest, content));
    }
    problems
}

impl Outcome {
    /// Take what was written, leaving the warnings and problems.
    pub fn take_written(&mut self) -> Vec<Written> {
        std::mem::take(&mut self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_was_written_is_recorded_with_its_digest_parts_sealed_and_a_failure_left_out() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let staging = Staging::begin(&out, None).unwrap();
        let todo: Vec<ToWrite> =
            [("a.pdf", "da", false), (".print-parts/x/0001.pdf", "dp", true), ("b.pdf", "db", false)]
                .map(|(path, digest, part)| ToWrite {
                    path: path.into(),
                    digest: digest.into(),
                    source: None,
                    one_page: None,
                    kind: "个人信息卡",
                    part,
                })
                .into();
        let mut written = Vec::new();
        for (path, bytes) in [("a.pdf", &b"A"[..]), (".print-parts/x/0001.pdf", b"P")] {
            let note = staging.write_unnoted(Path::new(path), bytes).unwrap();
            written.push(Some((Digest::default().update(bytes).value(), note)));
        }
        written.push(None); // b.pdf failed to render
        let mut manifest = Manifest::default();
        let problems = record(&todo, written, &staging, &mut manifest);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(manifest.0["a.pdf"], manifest::entry("da", Digest::default().update(b"A").value()));
        assert!(manifest.0.contains_key(".print-parts/x/0001.pdf"));
        assert!(!manifest.0.contains_key("b.pdf"), "a document that failed is not recorded");
        assert!(staging.has("a.pdf"), "noted in the staging folder");
        let sealed = Digest::default().update(b"P").hex();
        assert!(
            manifest.content_matches(".print-parts/x/0001.pdf", &staging_path(&staging, ".print-parts/x/0001.pdf"))
        );
        assert!(manifest.0[".print-parts/x/0001.pdf"].ends_with(&sealed));
    }

    fn staging_path(staging: &Staging, rel: &str) -> std::path::PathBuf {
        staging.path_of(rel).expect("written")
    }
}
