//! Render a plan and write it: skip what has not changed since the last run
//! (the manifest), render the rest on all cores with progress, and swap the
//! result in for out/ only when everything succeeded.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::deflated::Deflated;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::manifest::{self, Manifest};
use crate::output::{Staging, piece_path};
use crate::render::typst::Engine;

mod carry;
mod digests;
mod finish;
mod known;
pub mod owners;
mod planned;
mod progress;
mod rendering;
mod schedule;
pub mod settle;
mod todo;

pub use known::Known;
pub use planned::Planned;

use digests::{Digests, rel};
use schedule::schedule;

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
    pub fn made_from(path: impl Into<String>, inputs: &str, bytes: Deflated) -> Self {
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

/// What every document reads: the shared templates of lib/, the logos
/// and the fonts.
fn shared_inputs(o: &Options, fonts: &FontSet) -> String {
    let logo = crate::assets::LOGOS.iter().map(|l| o.templates.digest_of(l)).collect::<Vec<_>>().join(",");
    format!("{}:{}:{logo}", o.templates.digest_under("typst/lib/"), fonts.digest)
}

/// Every path the plan will have in out/: its outputs, each print-file
/// part's piece kept beside it (see `Staging::join`), its other files and
/// its print files.
fn wanted<'a>(plan: &'a Plan, d: &'a Digests) -> (HashSet<&'a str>, Vec<String>) {
    let pieces: Vec<String> = d.joins.values().flatten().map(|(_, p, _)| rel(&piece_path(p))).collect();
    let wanted = d
        .planned
        .iter()
        .map(|(p, _)| p.as_str())
        .chain(plan.files.iter().map(|f| f.path.as_str()))
        .chain(d.joins.keys().map(String::as_str))
        .collect();
    (wanted, pieces)
}

/// Who owns what out/ will hold, and what goes (see [`owners`]).
fn ownership(made_before: &Manifest, plan: &Plan, d: &Digests, present: &[String]) -> owners::Fate {
    let (mut wanted, pieces) = wanted(plan, d);
    wanted.extend(pieces.iter().map(String::as_str));
    owners::decide(made_before, &plan.owner, plan.owned.as_deref(), &wanted, present)
}

/// Write `plan` into `o.out`, rendering only what changed, in stages:
/// digests → ownership → carry-over → render → record → join → commit.
/// `Err` when it failed; out/ is then as it was.
pub fn produce(engine: &Engine, fonts: &FontSet, plan: Plan, o: &Options) -> Result<(), Error> {
    let started = Instant::now();
    // A run killed earlier may have left a staging folder, or out/ half swapped.
    crate::output::recover(o.out).map_err(|e| Error::Failed(format!("无法清理上次中断留下的临时文件夹：{e}")))?;
    // What tuiguan made, and for whom: read even under --force, which
    // renders everything again but must still know its own files.
    let made_before = Manifest::read(o.out);
    let nothing = Manifest::default();
    let old = if o.force { &nothing } else { &made_before };
    let mut d = digests::of(&plan.outputs, &shared_inputs(o, fonts), |t| o.templates.digest_of(&format!("typst/{t}")));
    let present = files_under(o.out);
    let fate = ownership(&made_before, &plan, &d, &present);
    let keep = |path: &str| !fate.removed.contains(path);
    if !fate.foreign.is_empty() {
        warn_foreign(o.out, &fate.foreign);
    }
    crate::timing::mark("digests and ownership");
    if carry::up_to_date(old, &d, &present, &keep) && carry::files_hold(o.out, old, &plan.files) {
        return nothing_to_make(&made_before, old, &d, &plan, &fate.owners, o, started);
    }
    let staging = Staging::begin(o.out, Some(&present))
        .map_err(|e| Error::Failed(format!("无法在 {} 旁建立临时输出文件夹：{e}", o.out.display())))?;
    let removed = staging.retain(&keep).map_err(|e| Error::Failed(format!("无法清理旧文件：{e}")))?;
    crate::timing::mark("staging: removed what is not wanted");
    let files = plan.files.len();
    let (mut manifest, schedule, files_written) =
        carry_over(plan, &made_before, old, &mut d, &staging, fate.owners, o)?;
    let skipped = schedule.skipped;
    let (todo, joined) = render_and_join(engine, schedule, &staging, &mut manifest, &d, old, o)?;
    finish::commit(staging, manifest, o.out)?;
    crate::timing::mark("committed");
    if !o.quiet {
        let (parts, shown): (Vec<&String>, Vec<&String>) =
            removed.iter().partition(|p| p.starts_with(crate::documents::PARTS_DIR));
        let summary = finish::Summary {
            written: todo.iter().filter(|p| !p.part).count() + joined + files_written,
            skipped: skipped + d.joins.len() - joined + (files - files_written),
            removed: shown.len(),
            seconds: started.elapsed().as_secs_f64(),
            rendered: todo.len(),
        };
        say_removed(&shown, parts.len());
        eprintln!("{}", summary.line(o.out));
    }
    Ok(())
}

/// Stage three: the manifest of what out/ holds of the last run's, with
/// this run's record; the other files written (those unchanged carried
/// over); and the documents to render. Also how many other files it wrote.
fn carry_over(
    plan: Plan,
    made_before: &Manifest,
    old: &Manifest,
    d: &mut Digests,
    staging: &Staging,
    owners: manifest::Owners,
    o: &Options,
) -> Result<(Manifest, schedule::Schedule, usize), Error> {
    let mut manifest = Manifest(
        made_before.0.iter().filter(|(p, _)| staging.has(p)).map(|(a, b)| (a.clone(), b.clone())).collect(),
        Some(o.run.clone()),
        owners,
    );
    let files_written = carry::write_files(plan.files, staging, old, o.out, o.force, &mut manifest)?;
    let stale = carry::stale(&plan.outputs, d, old, staging, o.out)?;
    carry::record_inputs(&mut manifest.0, &d.planned, &d.recorded);
    // Handed on, not copied: the digests of 46,000 outputs at 20,000
    // members need not be held twice while the documents render.
    let recorded = std::mem::take(&mut d.recorded);
    let planned: Vec<(String, String)> =
        std::mem::take(&mut d.planned).into_iter().zip(recorded).map(|((p, _), r)| (p, r)).collect();
    let schedule = schedule(plan.outputs, planned, &stale, std::mem::take(&mut d.cuts));
    crate::timing::mark("carried over");
    Ok((manifest, schedule, files_written))
}

/// Stages four to six: render what is stale into the staging folder,
/// record each output written in `manifest`, join the print files. Err
/// with every problem when any document failed; what was written, and how
/// many print files were joined, when none did.
fn render_and_join(
    engine: &Engine,
    schedule: schedule::Schedule,
    staging: &Staging,
    manifest: &mut Manifest,
    d: &Digests,
    old: &Manifest,
    o: &Options,
) -> Result<(Vec<todo::ToWrite>, usize), Error> {
    say_rendering(&schedule.todo, o.quiet);
    let (todo, mut outcome) = rendering::render(engine, schedule, staging, o.quiet);
    crate::timing::mark("rendered");
    let mut problems = std::mem::take(&mut outcome.problems);
    problems.extend(rendering::record(&todo, outcome.take_written(), staging, manifest));
    let joined = if problems.is_empty() {
        let (joined, failed) = finish::join(d, old, staging, manifest);
        problems.extend(failed);
        joined
    } else {
        0
    };
    crate::timing::mark("print files joined");
    outcome.warnings.print();
    if !problems.is_empty() {
        return Err(Error::Problems(problems, format!("生成失败：{} 保持原样，未作任何改动。", o.out.display())));
    }
    Ok((todo, joined))
}

/// out/ already holds what the plan would make: the manifest updated with
/// this run's record when it says anything new, and nothing else touched.
fn nothing_to_make(
    made_before: &Manifest,
    old: &Manifest,
    d: &Digests,
    plan: &Plan,
    owners: &manifest::Owners,
    o: &Options,
    started: Instant,
) -> Result<(), Error> {
    if let Some(m) = carry::manifest_of_unchanged(made_before, old, d, &plan.files, &o.run, owners) {
        m.replace_in(o.out).map_err(|e| Error::Failed(format!("无法更新 {} 里的生成记录：{e}", o.out.display())))?;
    }
    if !o.quiet {
        eprintln!("没有改动，无需重新生成（{:.1} 秒）→ {}", started.elapsed().as_secs_f64(), o.out.display());
    }
    Ok(())
}

/// Say what is about to be rendered, kind by kind.
fn say_rendering(todo: &[todo::ToWrite], quiet: bool) {
    if quiet {
        return;
    }
    if todo.is_empty() {
        eprintln!("没有文书需要重新渲染。");
    } else {
        let list: Vec<String> = rendering::kinds(todo).iter().map(|(k, n)| format!("{k} {n} 份")).collect();
        eprintln!("正在生成：{}……", list.join("，"));
    }
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
