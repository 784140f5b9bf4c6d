//! The commands, one file each. A command that makes files returns its
//! plan; `build` is the union of the plans; [`run`] dispatches one line per
//! command and writes the plan. The pipeline (as in the crate's own
//! description): load → office → facts → check, and documents and register
//! → batch (render) → output (write).

mod build;
mod check;
mod clean;
mod departures;
mod export;
mod holidays;
mod import;
mod letters;
mod notice;
mod register;
mod report;
mod templates;

use crate::batch::settle::documents as settled;
use std::path::Path;

use chrono::NaiveDate;

use crate::assets::Templates;
use crate::batch::{Options, Plan, produce};
use crate::cli::{Cli, Command};
use crate::diag::{Diagnostics, did_you_mean};
use crate::documents::{Selection, info_card};
use crate::error::Error;
use crate::facts::Facts;
use crate::fonts::FontSet;
use crate::office::Office;
use crate::render::typst::Engine;

/// The name `build` and `export` give the Excel register in out/.
/// Marked internal in its name too: it holds every full ID number.
pub const XLSX_NAME: &str = "台帐（内部资料）.xlsx";

/// The fonts built into the binary.
fn fonts() -> Result<FontSet, Error> {
    FontSet::builtin().map_err(Error::Failed)
}

pub fn run(cli: Cli) -> Result<(), Error> {
    crate::timing::begin();
    let as_of = cli.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    // The templates: built in, each overridable by the office's own file.
    let assets = Templates::for_data(&cli.data);
    if let Some(done) = without_the_data(&cli, as_of)? {
        return done;
    }
    if let Command::Import { .. } = &cli.command {
        return import::run(&cli, &fonts()?, as_of);
    }
    let fonts = fonts()?;
    for stray in assets.unknown() {
        eprintln!("警告: {stray} 不是内置模板的名字，不会被使用（`tuiguan templates` 列出全部模板）");
    }
    // Every file of the data folder is read and digested first: when out/
    // holds what a run reading exactly these made, nothing is parsed.
    let files = crate::load::Files::read(&cli.data);
    let read = files.digests();
    let inputs = run_digest(&cli, as_of, &assets, &fonts, &read);
    crate::timing::mark("read and digest the data");
    if writes_out(&cli.command)
        && !cli.force
        && let Some(warnings) = unchanged(&cli, &inputs)?
    {
        if warnings > 0 {
            eprintln!("提示: 数据仍有 {warnings} 个警告，与上次生成时相同；运行 tuiguan check 查看全部。");
        }
        if !cli.quiet {
            eprintln!("没有改动，无需重新生成 → {}", cli.out.display());
        }
        return Ok(());
    }
    let (loaded, load_diags) = crate::load::load_files(&cli.data, files);
    crate::timing::mark("load");
    let (facts, warnings) = checked(loaded.as_ref(), load_diags, &fonts, as_of, Shown::of(&cli.command))?;
    crate::timing::mark("facts and check");
    let run = crate::manifest::Run { inputs, warnings };
    let Some(plan) = plan(&cli, &facts, &read, &assets)? else { return Ok(()) };
    crate::timing::mark("plan (every view)");
    // Rendering needs only the plan: the office and its facts (60 MB of
    // heap at 10,000 members) are freed before the layouts take their room.
    drop(facts);
    drop(loaded);
    drop(read);
    write(plan, &cli, &assets, &fonts, as_of, run)
}

/// The commands that do not start from a checked data folder, run: Some
/// with how it went. None for the others (a killed run's data files put
/// back first; `departures --issue-card` numbers its cards first).
fn without_the_data(cli: &Cli, as_of: NaiveDate) -> Result<Option<Result<(), Error>>, Error> {
    let done = match &cli.command {
        Command::Init { dir } => init(dir),
        Command::Clean { what, dry_run } => clean::run(&cli.data, &cli.out, what, *dry_run),
        Command::Backup { to } => backup(&cli.data, to.as_deref(), as_of),
        Command::Serve { port, no_open } => {
            recover_data(&cli.data)?;
            crate::desk::serve(&cli.data, &cli.out, *port, !*no_open, cli.as_of)
        }
        Command::Restore { archive, into } => {
            let n = crate::backup::restore(archive, into).map_err(Error::Failed)?;
            eprintln!("已恢复 {n} 个文件，逐一按清单核对无误 → {}", into.display());
            eprintln!("    提示: 确认无误后，可用 --data {} 指定这个文件夹运行 tuiguan", into.display());
            Ok(())
        }
        Command::Templates { names } if names.is_empty() => templates::run(&cli.data, names, &Plan::default()),
        Command::Import { into, .. } => return recover_data(into.as_deref().unwrap_or(&cli.data)).map(|()| None),
        Command::Departures { members, issue_card: true } => {
            recover_data(&cli.data)?;
            departures::issue_cards(&cli.data, members, as_of)?;
            return Ok(None);
        }
        _ => return recover_data(&cli.data).map(|()| None),
    };
    Ok(Some(done))
}

/// What the command writes, planned from the facts; None for a command
/// that reports rather than writes (`check`, `holidays`, `templates`), or
/// has nothing to write.
fn plan(cli: &Cli, facts: &Facts, read: &crate::load::Read, assets: &Templates) -> Result<Option<Plan>, Error> {
    let known = || known(cli, read, facts, assets);
    Ok(Some(match &cli.command {
        Command::Check => return check::run(facts, &cli.data).map(|()| None),
        Command::Holidays { year } => return holidays::run(facts, *year).map(|()| None),
        Command::Cards { members } => cards(facts, members, &known())?,
        Command::Departures { members, .. } => departures::plan(facts, members, &known())?,
        Command::Report { period, from, to } => report::plan(facts, period.clone(), *from, *to)?,
        Command::Letters { holiday, year, date } => {
            letters::plan(facts, &cli.data, holiday.as_deref(), *year, *date, cli.quiet, &known())?
        }
        Command::Visits => visits(facts),
        Command::Dues { year } => dues(facts, *year),
        Command::ConfirmSheets { branches, members, due, full_id } => {
            confirm_sheets(facts, branches, members, *due, *full_id)?
        }
        Command::Reviews => Plan {
            outputs: settled(crate::documents::branch_lists::reviews(facts), None),
            owned: Some(Vec::new()),
            owner: "联系卡年审名单".into(),
            ..Default::default()
        },
        Command::Birthdays { month } => birthdays(facts, *month),
        Command::Subsidies { year } => {
            let year = year.unwrap_or_else(|| chrono::Datelike::year(&facts.as_of));
            Plan {
                outputs: settled(crate::documents::branch_lists::subsidies(facts, year), None),
                owned: Some(Vec::new()),
                owner: format!("{year}年重病补助申请名单"),
                ..Default::default()
            }
        }
        Command::Notice { file, branches, members, date } => notice::plan(facts, file, branches, members, *date)?,
        Command::Register => register::plan(facts, assets, &known())?,
        Command::Export { xlsx } => match export::plan(facts, &cli.data, &cli.out, xlsx.as_deref())? {
            Some(plan) => plan,
            None => return Ok(None),
        },
        Command::Build => build::plan(facts, cli, assets, &known())?,
        Command::Templates { names } => {
            // The documents' views alone tell which templates are in use.
            let known = crate::batch::Known::nothing(read);
            let mut plan = build::documents(facts, cli, &known)?;
            plan.outputs.extend(settled(crate::documents::examples(facts), None));
            return templates::run(&cli.data, names, &plan).map(|()| None);
        }
        Command::Init { .. }
        | Command::Import { .. }
        | Command::Clean { .. }
        | Command::Backup { .. }
        | Command::Serve { .. }
        | Command::Restore { .. } => unreachable!("handled before the data is read"),
    }))
}

/// What out/ holds that this run need not make again (see [`crate::batch::Known`]).
fn known<'a>(cli: &Cli, read: &'a crate::load::Read, facts: &Facts, assets: &Templates) -> crate::batch::Known<'a> {
    crate::batch::Known::new(&cli.out, cli.force, read, facts.office, facts.as_of, assets)
}

/// Whether out/ already holds what this run would make (see
/// [`crate::batch::unchanged`]), looked at under out/'s lock once a run
/// killed earlier has been cleaned up after.
fn unchanged(cli: &Cli, inputs: &str) -> Result<Option<usize>, Error> {
    crate::output::check_out_dir(&cli.data, &cli.out).map_err(Error::Usage)?;
    let _lock =
        crate::lock::Lock::acquire(&crate::lock::out_lock_path(&cli.out), &format!("生成到 {}", cli.out.display()))
            .map_err(Error::Failed)?;
    crate::output::recover(&cli.out).map_err(|e| Error::Failed(format!("无法清理上次中断留下的临时文件夹：{e}")))?;
    Ok(crate::batch::unchanged(&cli.out, inputs))
}

/// Whether the command writes into out/ through a plan.
fn writes_out(command: &Command) -> bool {
    !matches!(command, Command::Check | Command::Holidays { .. } | Command::Templates { .. } | Command::Export { .. })
}

/// Digest of everything a run reads: the command with its options, the
/// `--as-of` date, every file of the data folder (path and bytes), the
/// templates as this office sees them, the fonts and this build of tuiguan
/// ([`crate::assets::BUILD`]). Any fact derived from the date is covered by
/// the date itself. The data folder's files are taken by their digests
/// (`read`, see [`crate::load::Files`]).
fn run_digest(cli: &Cli, as_of: NaiveDate, assets: &Templates, fonts: &FontSet, read: &crate::load::Read) -> String {
    use crate::manifest::Digest;
    let mut d = Digest::default();
    d.update(crate::assets::BUILD.as_bytes()).update(format!("{:?}", cli.command).as_bytes());
    d.update(as_of.to_string().as_bytes()).update(assets.digest_under("").as_bytes()).update(fonts.digest.as_bytes());
    for (path, digest) in read {
        let rel = path.strip_prefix(&cli.data).unwrap_or(path);
        d.update(rel.to_string_lossy().as_bytes()).update(digest.as_bytes());
    }
    // A notice's text may live outside the data folder.
    if let Command::Notice { file, .. } = &cli.command {
        d.update(&std::fs::read(file).unwrap_or_default());
    }
    d.hex()
}

/// Finish or clean up after an import that was killed while writing
/// (under the data folder's lock), before anything reads the data.
fn recover_data(data: &Path) -> Result<(), Error> {
    let pending = data.join(crate::import::write::JOURNAL).exists()
        || walkdir::WalkDir::new(data)
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().starts_with(".tuiguan-import-"));
    if !pending {
        return Ok(());
    }
    let _lock = crate::lock::Lock::acquire(&data.join(".tuiguan-lock"), &format!("导入到 {}", data.display()))
        .map_err(Error::Failed)?;
    if let Some(said) = crate::import::write::recover(data).map_err(Error::Failed)? {
        eprintln!("提示: {said}。");
    }
    Ok(())
}

/// `backup [--to DIR]`, under the data folder's lock (no import writes meanwhile).
fn backup(data: &Path, to: Option<&Path>, date: NaiveDate) -> Result<(), Error> {
    let _lock = crate::lock::Lock::acquire(&data.join(".tuiguan-lock"), &format!("备份 {}", data.display()))
        .map_err(Error::Failed)?;
    let archive = crate::backup::backup(data, to, date).map_err(Error::Failed)?;
    eprintln!("备份完成，已读回逐一核对 → {}", archive.display());
    eprintln!(
        "    提示: 请把它再复制一份到 U 盘或另一台电脑；恢复用 tuiguan restore {} --into 新文件夹",
        archive.display()
    );
    Ok(())
}

fn init(dir: &Path) -> Result<(), Error> {
    crate::init::run(dir).map_err(Error::Usage)?;
    eprintln!("{}", crate::init::next_steps(dir));
    Ok(())
}

/// `cards [--member …]`: the information cards.
fn cards(facts: &Facts, members: &[String], known: &crate::batch::Known) -> Result<Plan, Error> {
    known_members(facts.office, members)?;
    let only = Selection(members);
    let owned = if only.all() { vec![info_card::KIND.folder.into()] } else { Vec::new() };
    Ok(Plan { outputs: settled(info_card::plan(facts, &only), Some(known)), owned: Some(owned), ..Default::default() })
}

/// `visits`: the visit plan, the record sheets and the calendar.
pub(super) fn visits(facts: &Facts) -> Plan {
    let (outputs, files) = crate::documents::visit_plan::plan(facts);
    let outputs = settled(outputs, None);
    let files = files.into_iter().map(|(path, bytes)| crate::batch::OtherFile::new(path, bytes)).collect();
    Plan { outputs, files, owned: Some(vec![crate::documents::visit_plan::PLAN.folder.into()]), ..Default::default() }
}

/// `birthdays`: the month's birthday list, printed on purpose (kept until
/// `clean` or the same month's list is printed again).
fn birthdays(facts: &Facts, month: Option<(Option<i32>, u32)>) -> Plan {
    use crate::documents::birthday_list::{Month, plan};
    let month = match month {
        None => Month::after(facts.as_of),
        Some((Some(year), month)) => Month { year, month },
        Some((None, month)) => Month::next(month, facts.as_of),
    };
    Plan {
        outputs: settled(plan(facts, month), None),
        owned: Some(Vec::new()),
        owner: format!("{}生日名单", month.zh()),
        ..Default::default()
    }
}

/// `confirm-sheets`: the record to check, one page per member chosen.
fn confirm_sheets(
    facts: &Facts,
    branches: &[String],
    members: &[String],
    due: bool,
    full_id: bool,
) -> Result<Plan, Error> {
    use crate::documents::confirm_sheet;
    known_members(facts.office, members)?;
    let chosen: Vec<_> = facts
        .in_print_order()
        .into_iter()
        .filter(|f| branches.is_empty() || branches.contains(&f.member.branch.value))
        .filter(|f| members.is_empty() || members.contains(&f.member.id.value))
        .filter(|f| !due || confirm_sheet::due(f))
        .collect();
    if chosen.is_empty() {
        eprintln!("提示: 没有要核对的党员。");
        return Ok(Plan { outputs: Vec::new(), owned: Some(Vec::new()), ..Default::default() });
    }
    eprintln!("信息核对表：{} 人{}。", chosen.len(), if full_id { "（印完整身份证号，请妥善保管）" } else { "" });
    Ok(Plan {
        outputs: settled(confirm_sheet::plan(facts, &chosen, full_id), None),
        owned: Some(Vec::new()),
        owner: "信息核对表".into(),
        ..Default::default()
    })
}

/// `dues [--year]`: the year's dues ledger and base sheet, per branch.
fn dues(facts: &Facts, year: Option<i32>) -> Plan {
    let year = year.unwrap_or_else(|| chrono::Datelike::year(&facts.as_of));
    let outputs = settled(crate::documents::dues_papers::plan(facts, year), None);
    // Printed on purpose: the year's papers stay until `clean` (build makes
    // this year's as its own too).
    Plan { outputs, owned: Some(Vec::new()), owner: format!("{year}年党费收缴登记表"), ..Default::default() }
}

/// Render and write a plan into out/.
fn write(
    plan: Plan,
    cli: &Cli,
    assets: &Templates,
    fonts: &FontSet,
    as_of: NaiveDate,
    run: crate::manifest::Run,
) -> Result<(), Error> {
    crate::output::check_out_dir(&cli.data, &cli.out).map_err(Error::Usage)?;
    if plan.outputs.is_empty() && plan.files.is_empty() {
        eprintln!("提示: 没有需要生成的文书（{} 里没有相应的成员或外出登记）。", cli.data.display());
        return Ok(());
    }
    let _lock =
        crate::lock::Lock::acquire(&crate::lock::out_lock_path(&cli.out), &format!("生成到 {}", cli.out.display()))
            .map_err(Error::Failed)?;
    let engine = Engine::new(assets, fonts, as_of);
    let options = Options { out: &cli.out, force: cli.force, quiet: cli.quiet, templates: assets, run };
    produce(&engine, fonts, plan, &options)?;
    if !cli.quiet {
        print_where_to_look(cli);
    }
    Ok(())
}

/// After a run that made the register or the Excel register, where to find it.
fn print_where_to_look(cli: &Cli) {
    let out = cli.out.display();
    match &cli.command {
        Command::Register | Command::Build => eprintln!(
            "内网台帐：用浏览器打开 {out}/register/index.html；发布时把整个 {out}/register 文件夹复制到网站服务器即可。"
        ),
        Command::Export { xlsx } => {
            let path = xlsx.clone().unwrap_or_else(|| cli.out.join(XLSX_NAME));
            eprintln!("Excel 台帐：{}（含身份证号等全部信息，仅供退管办内部使用）", path.display());
        }
        _ => {}
    }
}

/// `check` lists every warning; the commands that make documents list at
/// most this many of each kind.
const WARNINGS_PER_KIND: usize = 20;

/// Which of the data's problems a command prints.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// `check`: every warning.
    All,
    /// Commands that make documents: at most [`WARNINGS_PER_KIND`] of each kind.
    Limited,
    /// Commands whose output is not about the members (`holidays`): errors only.
    Errors,
}

impl Shown {
    fn of(command: &Command) -> Self {
        match command {
            Command::Check => Shown::All,
            Command::Holidays { .. } | Command::Templates { .. } => Shown::Errors,
            _ => Shown::Limited,
        }
    }
}

/// The facts of a loaded office, derived once and checked, and how many
/// warnings the data has; Err when it has errors (printed with the
/// warnings, as `shown` says).
fn checked<'a>(
    office: Option<&'a Office>,
    mut diags: Diagnostics,
    fonts: &FontSet,
    as_of: NaiveDate,
    shown: Shown,
) -> Result<(Facts<'a>, usize), Error> {
    let facts = office.map(|o| Facts::derive(o, as_of));
    if let Some(facts) = &facts {
        diags.extend(crate::check::check(facts, fonts));
    }
    match shown {
        Shown::All => diags.print(),
        Shown::Limited => diags.print_limited(Some(WARNINGS_PER_KIND)),
        Shown::Errors => diags.print_errors(),
    }
    match facts {
        Some(facts) if !diags.has_errors() => Ok((facts, diags.count(crate::diag::Severity::Warning))),
        _ => Err(Error::Reported("数据有错误，未生成任何文件；改正上面列出的问题后再运行。".into())),
    }
}

/// Err naming every `--member` id the office does not have.
fn known_members(office: &Office, wanted: &[String]) -> Result<(), Error> {
    let ids: Vec<&str> = office.members.iter().map(|m| m.id.value.as_str()).collect();
    let unknown: Vec<String> = wanted
        .iter()
        .filter(|w| !ids.contains(&w.as_str()))
        .map(|w| match did_you_mean(w, ids.iter().copied()) {
            Some(s) => format!("没有编号为“{w}”的成员。是不是 {s}？"),
            None => format!("没有编号为“{w}”的成员。成员编号见各成员文件的 `id:`"),
        })
        .collect();
    if unknown.is_empty() { Ok(()) } else { Err(Error::Usage(unknown.join("\n错误: "))) }
}
