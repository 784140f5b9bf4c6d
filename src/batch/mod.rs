//! Render a plan and write it: skip what has not changed since the last run
//! (the manifest), render the rest on all cores with progress, and swap the
//! result in for out/ only when everything succeeded.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use crate::deflated::Deflated;
use crate::diag::{Diagnostic, Diagnostics};
use crate::documents::Planned;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::manifest::{self, Digest, Manifest};
use crate::output::{CommitError, Staging, piece_path};
use crate::render::typst::{Engine, Rendered};

mod known;
pub mod owners;
mod progress;
mod schedule;
mod todo;

pub use known::Known;

use progress::Progress;
use schedule::{Schedule, schedule};

/// What a command will write: the PDFs, other files (the .ics calendar),
/// which parts of out/ it looks after — file-name prefixes whose old files
/// of its owner it removes unless it writes them again (`owned: None`: all
/// of out/, as build) — and who its files belong to (see [`owners`]).
#[derive(Default)]
pub struct Plan {
    pub outputs: Vec<Planned>,
    pub files: Vec<OtherFile>,
    pub owned: Option<Vec<PathBuf>>,
    /// The occasion the files are printed for ("2027年春节慰问信"), or
    /// [`manifest::STANDING`] (empty) for the standing plan.
    pub owner: String,
}

/// A file made without typst: a register page, the workbook, the calendar.
pub struct OtherFile {
    /// Relative to out/.
    pub path: String,
    /// What the manifest records for it (see [`manifest::entry`] and
    /// [`manifest::entry_from`]).
    pub entry: String,
    /// None: out/ holds it, made from the same inputs (see [`Known`]).
    pub bytes: Option<Deflated>,
}

impl OtherFile {
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        Self::held(path, Deflated::new(&bytes))
    }

    /// A file as held (see [`crate::deflated::Deflating`] for one never
    /// held whole). The manifest's entry comes from the digest taken as
    /// the bytes were deflated, so each page is read through once.
    pub fn held(path: impl Into<String>, bytes: Deflated) -> Self {
        Self { path: path.into(), entry: manifest::entry("file", bytes.digest()), bytes: Some(bytes) }
    }

    /// A file made from inputs of digest `inputs`, known before it is made.
    pub fn made_from(path: impl Into<String>, inputs: &str, bytes: Vec<u8>) -> Self {
        let bytes = Deflated::new(&bytes);
        let entry = manifest::entry_from(inputs, bytes.len(), bytes.digest());
        Self { path: path.into(), entry, bytes: Some(bytes) }
    }
}

pub struct Options<'a> {
    pub out: &'a Path,
    pub force: bool,
    pub quiet: bool,
    pub templates: &'a crate::assets::Templates,
    /// The digest of everything this run reads (its command and options,
    /// the `--as-of` date, every file of the data folder, the templates,
    /// fonts and build), and the data's warnings: recorded with the
    /// outputs; see [`unchanged`].
    pub run: crate::manifest::Run,
}

/// Whether out/ already holds what a run reading exactly these inputs would
/// make: the last run's inputs had the digest `inputs`, and every file it
/// made is still there. Then nothing need be loaded or planned at all.
/// Some(how many warnings that run's data had) when so.
pub fn unchanged(out: &Path, inputs: &str) -> Option<usize> {
    let old = Manifest::read(out);
    let run = old.1.filter(|run| run.inputs == inputs)?;
    old.0.keys().all(|p| out.join(p).is_file()).then_some(run.warnings)
}

fn digest_of(p: &Planned, assets: &str) -> String {
    let mut d = Digest::default();
    d.update(crate::assets::BUILD.as_bytes()).update(assets.as_bytes());
    d.update(p.job.template.as_bytes()).update(p.job.ident.as_bytes()).update(&p.job.data.digest().to_le_bytes());
    for part in &p.job.sequel {
        d.update(&part.digest().to_le_bytes());
    }
    d.hex()
}

fn rel(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Every file under `out`, relative, with `/`, in order.
pub fn files_under(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| rel(e.path().strip_prefix(out).unwrap_or(e.path())))
        .collect();
    v.sort();
    v
}

/// Say, file by file (at most 20), which files in out/ tuiguan keeps
/// because it did not make them.
fn warn_foreign(out: &Path, files: &[String]) {
    eprintln!(
        "警告: 输出文件夹 {} 里有 {} 个不是 tuiguan 生成的文件，已原样保留、不会删除：",
        out.display(),
        files.len()
    );
    for f in files.iter().take(20) {
        eprintln!("    {f}");
    }
    if files.len() > 20 {
        eprintln!("    ……另有 {} 个", files.len() - 20);
    }
    eprintln!("    提示: 输出文件夹每次生成都会更新，请把自己的文件移到别处保存");
}

/// Whether out/ already holds exactly this plan's documents — every one with
/// the same digest — and nothing to remove.
fn up_to_date(
    old: &Manifest,
    planned: &[(String, String)],
    joins: &BTreeMap<String, String>,
    present: &[String],
    keep: &dyn Fn(&str) -> bool,
) -> bool {
    let there = |path: &str| present.binary_search_by(|p| p.as_str().cmp(path)).is_ok();
    let same = |path: &str, digest: &str| old.view(path) == Some(digest) && there(path);
    planned.iter().all(|(p, d)| same(p, d)) && joins.iter().all(|(p, d)| same(p, d)) && present.iter().all(|p| keep(p))
}

/// Record each planned output's inputs (`recorded`: view digest, then
/// `+inputs` when known) in the entries it has, content kept; whether any changed.
fn record_inputs(entries: &mut BTreeMap<String, String>, planned: &[(String, String)], recorded: &[String]) -> bool {
    let mut changed = false;
    for ((path, _), rec) in planned.iter().zip(recorded) {
        if let Some(entry) = entries.get_mut(path)
            && let Some((input, content)) = entry.split_once(':')
            && input != rec
        {
            *entry = format!("{rec}:{content}");
            changed = true;
        }
    }
    changed
}

/// Whether out/ holds the other files (register, workbook) as planned.
fn files_hold(out: &Path, old: &Manifest, files: &[OtherFile]) -> bool {
    let since = Manifest::written(out);
    files.iter().all(|f| match &f.bytes {
        None => old.0.get(&f.path) == Some(&f.entry),
        Some(bytes) => {
            old.holds(&f.path, &f.entry, &out.join(&f.path), bytes.len(), since)
                || std::fs::read(out.join(&f.path)).is_ok_and(|b| bytes.inflate().is_ok_and(|mine| b == mine))
        }
    })
}

/// An output once written: its content's digest (its bytes: 17 bytes in
/// all, not the 32 of a u128 beside a bool), and whether the staging
/// folder is still to note it.
type Written = Option<([u8; 16], bool)>;

/// `Err` when it failed (documents' own errors are listed as they come);
/// out/ is then as it was.
pub fn produce(engine: &Engine, fonts: &FontSet, plan: Plan, o: &Options) -> Result<(), Error> {
    let started = Instant::now();
    // A run killed earlier may have left a staging folder, or out/ half swapped.
    crate::output::recover(o.out).map_err(|e| Error::Failed(format!("无法清理上次中断留下的临时文件夹：{e}")))?;
    // What tuiguan made, and for whom: read even under --force, which
    // renders everything again but must still know its own files.
    let made_before = Manifest::read(o.out);
    let nothing = Manifest::default();
    let old = if o.force { &nothing } else { &made_before };
    // What this run will hold: every planned path, with its input digest.
    // A document depends on its own template, the shared ones in lib/, and the fonts.
    let logo = crate::assets::LOGOS.iter().map(|l| o.templates.digest_of(l)).collect::<Vec<_>>().join(",");
    let shared = format!("{}:{}:{logo}", o.templates.digest_under("typst/lib/"), fonts.digest);
    let mut per_template: BTreeMap<&str, String> = BTreeMap::new();
    for p in &plan.outputs {
        per_template
            .entry(p.job.template.as_str())
            .or_insert_with(|| format!("{shared}:{}", o.templates.digest_of(&format!("typst/{}", p.job.template))));
    }
    // A view known without being built (see `Known`) brings its digest.
    let mut planned: Vec<(String, String)> = plan
        .outputs
        .iter()
        .map(|p| {
            let digest = p.known.clone().unwrap_or_else(|| digest_of(p, &per_template[p.job.template.as_str()]));
            (rel(&p.path), digest)
        })
        .collect();
    // A single cut from a part is its page of the part's PDF: it is what
    // its part, its place there and its ident make (a known view's digest
    // already says so).
    let cuts = schedule::cuts(&plan.outputs);
    for (i, (p, cut)) in plan.outputs.iter().zip(&cuts).enumerate() {
        if let (None, Some((at, item))) = (&p.known, cut) {
            let item = item.to_string();
            planned[i].1 = crate::manifest::digest_all([planned[*at].1.as_str(), p.job.ident.as_str(), item.as_str()]);
        }
    }
    // What the manifest records: the view's digest and, when known, the
    // digest of the inputs it was made from.
    let recorded: Vec<String> = plan
        .outputs
        .iter()
        .zip(&planned)
        .map(|(p, (_, view))| match &p.inputs {
            Some(inputs) => format!("{view}+{inputs}"),
            None => view.clone(),
        })
        .collect();
    // Print files joined from parts: target → part paths in order, and its digest.
    let mut joins: BTreeMap<String, Vec<(usize, String, String)>> = BTreeMap::new();
    for (p, (path, digest)) in plan.outputs.iter().zip(&planned) {
        if let Some((target, index)) = &p.join {
            joins.entry(target.clone()).or_default().push((*index, path.clone(), digest.clone()));
        }
    }
    let join_digests: BTreeMap<String, String> = joins
        .iter_mut()
        .map(|(target, parts)| {
            parts.sort();
            let mut d = Digest::default();
            for (_, _, digest) in parts.iter() {
                d.update(digest.as_bytes());
            }
            (target.clone(), d.hex())
        })
        .collect();
    // Each part's piece is kept beside it (see `Staging::join`).
    let pieces: Vec<String> = joins.values().flatten().map(|(_, p, _)| rel(&piece_path(p))).collect();
    let wanted: HashSet<&str> = planned
        .iter()
        .map(|(p, _)| p.as_str())
        .chain(pieces.iter().map(String::as_str))
        .chain(plan.files.iter().map(|f| f.path.as_str()))
        .chain(joins.keys().map(String::as_str))
        .collect();
    let present = files_under(o.out);
    let fate = owners::decide(&made_before, &plan.owner, plan.owned.as_deref(), &wanted, &present);
    let keep = |path: &str| !fate.removed.contains(path);
    if !fate.foreign.is_empty() {
        warn_foreign(o.out, &fate.foreign);
    }
    crate::timing::mark("manifest, wanted, foreign files");
    if up_to_date(old, &planned, &join_digests, &present, &keep) && files_hold(o.out, old, &plan.files) {
        let mut entries = old.0.clone();
        let mut inputs_changed = record_inputs(&mut entries, &planned, &recorded);
        // A page made again with the same bytes from other inputs (a member
        // file's comment): recorded with them, so the next run need not make it.
        for f in plan.files.iter().filter(|f| old.0.get(&f.path) != Some(&f.entry)) {
            entries.insert(f.path.clone(), f.entry.clone());
            inputs_changed = true;
        }
        if old.1.as_ref() != Some(&o.run) || inputs_changed || made_before.2 != fate.owners {
            Manifest(entries, Some(o.run.clone()), fate.owners.clone())
                .replace_in(o.out)
                .map_err(|e| Error::Failed(format!("无法更新 {} 里的生成记录：{e}", o.out.display())))?;
        }
        if !o.quiet {
            eprintln!("没有改动，无需重新生成（{:.1} 秒）→ {}", started.elapsed().as_secs_f64(), o.out.display());
        }
        return Ok(());
    }
    let staging = Staging::begin(o.out, Some(&present))
        .map_err(|e| Error::Failed(format!("无法在 {} 旁建立临时输出文件夹：{e}", o.out.display())))?;
    crate::timing::mark("staging begun");
    let removed = staging.retain(&keep).map_err(|e| Error::Failed(format!("无法清理旧文件：{e}")))?;

    crate::timing::mark("staging: removed what is not wanted");
    // Render only what changed.
    let mut new_manifest = Manifest(
        made_before.0.iter().filter(|(p, _)| staging.has(p)).map(|(a, b)| (a.clone(), b.clone())).collect(),
        Some(o.run.clone()),
        fate.owners,
    );
    // The other files (register, calendar) first: written, their bytes
    // need not be held while documents render.
    let files = plan.files.len();
    let mut files_written = 0;
    let since = Manifest::written(o.out);
    let mut write_file = |OtherFile { path, entry, bytes }: OtherFile, new_manifest: &mut Manifest| {
        let Some(bytes) = bytes else {
            // Not made: out/ held it, made from the same inputs, when the
            // run planned. Under out/'s lock it still must.
            if old.0.get(&path) == Some(&entry) && staging.has(&path) {
                new_manifest.0.insert(path, entry);
                return Ok(());
            }
            return Err(Error::Failed(format!(
                "{path} 在生成过程中被改动（另一次运行？），{} 保持原样；请重新运行。",
                o.out.display()
            )));
        };
        // Most of the register's 10,000 pages are as the last run left them:
        // known so by the manifest and one stat, not by reading them.
        let kept = staging.has(&path) && old.holds(&path, &entry, &o.out.join(&path), bytes.len(), since);
        match if kept { Ok(false) } else { bytes.inflate().and_then(|b| staging.write(Path::new(&path), &b)) } {
            Ok(changed) => {
                files_written += usize::from(changed || o.force);
                new_manifest.0.insert(path, entry);
                Ok(())
            }
            Err(e) => {
                eprintln!("错误: 无法写入 {path}：{e}");
                Err(Error::Reported(format!("生成失败：{} 保持原样，未作任何改动。", o.out.display())))
            }
        }
    };
    // Not needed while the documents render.
    drop(wanted);
    drop(pieces);
    for file in plan.files {
        write_file(file, &mut new_manifest)?;
    }
    let stale: Vec<bool> = plan
        .outputs
        .iter()
        .zip(&planned)
        .map(|(p, (path, digest))| {
            // A part of a print file is reused only if it still holds what
            // was written (read only when it would be reused).
            let reused = old.view(path) == Some(digest.as_str()) && staging.has(path);
            !(reused && (p.join.is_none() || old.content_matches(path, &o.out.join(path))))
        })
        .collect();
    // A view known unchanged when the run planned was not built: out/ must
    // still hold it (under out/'s lock, it does unless another run came between).
    if let Some((path, _)) =
        planned.iter().zip(&stale).zip(&plan.outputs).find(|((_, s), p)| **s && p.known.is_some()).map(|(x, _)| x.0)
    {
        return Err(Error::Failed(format!(
            "{path} 在生成过程中被改动（另一次运行？），{} 保持原样；请重新运行。",
            o.out.display()
        )));
    }
    // Outputs carried over are recorded with the inputs of this run.
    record_inputs(&mut new_manifest.0, &planned, &recorded);
    let planned: Vec<(String, String)> = planned.into_iter().zip(recorded).map(|((path, _), r)| (path, r)).collect();
    let Schedule { todo, jobs, job_todo, skipped } = schedule(plan.outputs, planned, &stale, cuts);
    // What the manifest will record besides the documents to render waits
    // on disk while they render (see `crate::deflated`): at 20,000 members
    // the register's pages' entries took 4 MB.
    let recorded_aside = Deflated::new(new_manifest.to_text().as_bytes());
    drop(new_manifest);
    // This thread waits while the others render: what it freed is given
    // back now, or it would be held to the end of the run.
    crate::memory::give_back();
    crate::timing::mark("stale: other files compared, parts checked");
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    for t in todo.iter() {
        *kinds.entry(t.kind).or_default() += 1;
    }
    if !o.quiet {
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n} 份")).collect();
        if todo.is_empty() {
            eprintln!("没有文书需要重新渲染。");
        } else {
            eprintln!("正在生成：{}……", list.join("，"));
        }
    }
    let progress = Progress::new(&kinds, o.quiet);
    // Each PDF goes to the staging folder as soon as it is rendered.
    let outcome: Mutex<(Diagnostics, Vec<String>)> = Mutex::default();
    // Per output, once written: its content's digest, and whether the
    // staging folder is still to note it. Both are noted (and print-file
    // parts sealed) here on this thread once the documents have rendered:
    // held in memory to the end of the run, the notes would otherwise be
    // allocated among each layout's on the rendering threads and keep those
    // pages from being given back (20,000 members: 319 → 312 MB).
    let written: Mutex<Vec<Written>> = Mutex::new(vec![None; todo.len()]);
    // One rendered document: check its pages, write it, note it in the manifest.
    let take = |t: usize, result: Result<Rendered, String>| {
        // The tests' way to a panic mid-run (tests/faults.rs), in debug builds only.
        #[cfg(debug_assertions)]
        if std::env::var_os("TUIGUAN_TEST_PANIC").is_some() {
            panic!("TUIGUAN_TEST_PANIC");
        }
        let p = todo.get(t);
        let path = p.path;
        let problem = match result {
            Ok(r) => {
                if let (Some(what), Some(f)) = (p.one_page, p.source)
                    && r.pages != 1
                {
                    outcome.lock().unwrap().0.push(
                        Diagnostic::warning(f, None, format!("{what}排成了 {} 页（应为 1 页）", r.pages))
                            .hint("备注、地址等内容过长，请精简"),
                    );
                }
                let content = Digest::default().update(&r.pdf).value();
                match staging.write_unnoted(Path::new(path), &r.pdf) {
                    Ok(note) => {
                        written.lock().unwrap()[t] = Some((content.to_le_bytes(), note));
                        None
                    }
                    Err(e) => Some(format!("错误: 无法写入 {path}：{e}")),
                }
            }
            Err(e) => Some(e),
        };
        if let Some(e) = problem {
            outcome.lock().unwrap().1.push(e);
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
                    progress.done(todo.get(s).kind);
                }
                take(*t, Err(e));
            }
        }
    });
    crate::timing::mark("rendered");
    if let Some((multi, _)) = &progress.bars {
        let _ = multi.clear();
    }
    let (diags, errors) = outcome.into_inner().unwrap();
    let mut failed = !errors.is_empty();
    for e in &errors {
        eprintln!("{e}");
    }
    let reread =
        |e: std::io::Error| Error::Failed(format!("无法读回生成记录的临时文件：{e}；{} 保持原样。", o.out.display()));
    let mut new_manifest = Manifest::parse(&String::from_utf8_lossy(&recorded_aside.inflate().map_err(reread)?));
    let digests = todo.digests().map_err(reread)?;
    // (A document that failed is not recorded: the run fails.)
    for ((p, digest), slot) in todo.iter().zip(&digests).zip(written.into_inner().unwrap()) {
        let path = p.path;
        if let Some((content, note)) = slot {
            let content = u128::from_le_bytes(content);
            if note {
                staging.note_written(Path::new(path));
            }
            // A part is sealed, so that the next run knows it unchanged
            // without reading it (see `manifest::seal`).
            if p.part
                && let Err(e) = staging.seal(Path::new(path), &manifest::hex(content))
            {
                eprintln!("错误: 无法写入 {path}：{e}");
                failed = true;
            }
            new_manifest.0.insert(path.to_string(), manifest::entry(digest, content));
        }
    }
    // Join the print files whose parts changed.
    let mut joined = 0;
    if !failed {
        for (target, parts) in &joins {
            let digest = &join_digests[target];
            if old.input(target) == Some(digest.as_str()) && staging.has(target) {
                continue;
            }
            let parts: Vec<(String, String)> = parts
                .iter()
                .map(|(_, p, _)| {
                    let content = new_manifest.0.get(p).and_then(|e| e.split_once(':')).map_or("", |(_, c)| c);
                    (p.clone(), content.to_string())
                })
                .collect();
            if let Err(e) = staging.join(target, &parts) {
                eprintln!("错误: 无法合并 {target}：{e}");
                failed = true;
            }
            new_manifest.0.insert(target.clone(), digest.to_string());
            joined += 1;
        }
    }
    crate::timing::mark("print files joined");
    diags.print();
    if failed {
        return Err(Error::Reported(format!("生成失败：{} 保持原样，未作任何改动。", o.out.display())));
    }
    let out = o.out.display();
    // Owners of what out/ holds only (a document that rendered nothing).
    let entries = &new_manifest.0;
    new_manifest.2.retain(|p, _| entries.contains_key(p));
    if let Err(e) = staging.write(Path::new(manifest::FILE), new_manifest.to_text().as_bytes()) {
        return Err(Error::Failed(format!("无法写入生成记录：{e}；{out} 保持原样。")));
    }
    match staging.commit() {
        Err(CommitError::Untouched(e)) => {
            return Err(Error::Failed(format!("无法把结果移入 {out}：{e}；{out} 保持原样。")));
        }
        Err(e) => return Err(Error::Failed(format!("无法把结果移入 {out}：{e}"))),
        Ok(()) => {}
    }
    crate::timing::mark("committed");
    let secs = started.elapsed().as_secs_f64();
    let written = todo.iter().filter(|p| !p.part).count() + joined + files_written;
    let skipped = skipped + joins.len() - joined + (files - files_written);
    let mut line = format!("完成：写入 {written} 份，跳过 {skipped} 份未改动");
    let (parts, shown): (Vec<&String>, Vec<&String>) =
        removed.iter().partition(|p| p.starts_with(crate::documents::PARTS_DIR));
    if !shown.is_empty() {
        line.push_str(&format!("，删除 {} 份过时文件（见上）", shown.len()));
    }
    line.push_str(&format!("，用时 {secs:.1} 秒"));
    if !todo.is_empty() {
        line.push_str(&format!("（每秒渲染 {:.0} 份）", todo.len() as f64 / secs.max(0.001)));
    }
    line.push_str(&format!(" → {}", o.out.display()));
    if !o.quiet {
        say_removed(&shown, parts.len());
        eprintln!("{line}");
    }
    Ok(())
}

/// Name every file a run removed from out/ (a print file's parts, kept
/// out of sight, are counted).
pub fn say_removed(shown: &[&String], parts: usize) {
    if !shown.is_empty() {
        eprintln!("删除了这些不再需要的文件：");
        for path in shown {
            eprintln!("    {path}");
        }
    }
    if parts > 0 {
        eprintln!("（另清理了 {parts} 个过时的内部分片，在 {} 里）", crate::documents::PARTS_DIR);
    }
}
