//! The commands: each runs the pipeline load → check → derive → render →
//! write as far as it needs, and turns the outcome into an exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};

use crate::batch::{Options, Plan, produce};
use crate::cli::{Cli, Command};
use crate::diag::{Diagnostics, did_you_mean};
use crate::documents::{
    Planned, Selection, contact_card, departure_form, filing_report, greeting_letter, info_card, letter_text,
    transfer_draft, visit_plan,
};
use crate::facts::Facts;
use crate::fonts::FontSet;
use crate::office::Office;
use crate::render::typst::Engine;
use crate::rules::period::Period;

const DATA_ERRORS: u8 = 1;
const USAGE_ERRORS: u8 = 2;

/// Where the templates and fonts are: `$TUIGUAN_HOME`, else the current
/// folder if it has them, else the source checkout this binary was built from.
struct Assets {
    templates: PathBuf,
    html: PathBuf,
    fonts: PathBuf,
}

impl Assets {
    fn locate() -> Self {
        let candidates = std::env::var_os("TUIGUAN_HOME")
            .map(PathBuf::from)
            .into_iter()
            .chain([PathBuf::from("."), PathBuf::from(env!("CARGO_MANIFEST_DIR"))]);
        let home = candidates
            .into_iter()
            .find(|h| h.join("templates/typst").is_dir() && h.join("fonts").is_dir())
            .unwrap_or_else(|| PathBuf::from("."));
        Self { templates: home.join("templates/typst"), html: home.join("templates/html"), fonts: home.join("fonts") }
    }
}

/// The name `build` and `export` give the Excel register in out/.
pub const XLSX_NAME: &str = "台帐.xlsx";

pub fn run(cli: Cli) -> ExitCode {
    let as_of = cli.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let assets = Assets::locate();
    // Commands that do not start from a checked data folder.
    match &cli.command {
        Command::Init { dir } => {
            return match crate::init::run(dir) {
                Ok(()) => {
                    eprintln!("{}", crate::init::next_steps(dir));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("错误: {e}");
                    ExitCode::from(USAGE_ERRORS)
                }
            };
        }
        Command::Import { file, into, sheet, write, update } => {
            let fonts = match FontSet::load(&assets.fonts) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("错误: {e}");
                    return ExitCode::from(DATA_ERRORS);
                }
            };
            let req = crate::import::Request {
                file,
                sheet: sheet.as_deref(),
                into: into.as_deref().unwrap_or(&cli.data),
                write: *write,
                update: *update,
                as_of,
            };
            return ExitCode::from(crate::import::run(&req, &fonts));
        }
        _ => {}
    }
    let fonts = match load_fonts(&assets) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (loaded, load_diags) = crate::load::load(&cli.data);
    let shown = match cli.command {
        Command::Check => Shown::All,
        Command::Holidays { .. } => Shown::Errors,
        _ => Shown::Limited,
    };
    let facts = match checked(loaded.as_ref(), load_diags, &fonts, as_of, shown) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let office = facts.office;
    let plan = match &cli.command {
        Command::Check => {
            print_departure_rulings(&facts);
            eprintln!(
                "检查通过：{} 个支部，{} 位党员（以 {as_of} 为准）。",
                office.org.branches.len(),
                office.members.len()
            );
            return ExitCode::SUCCESS;
        }
        Command::Cards { members } | Command::Departures { members } => {
            if let Some(code) = unknown_members(office, members) {
                return code;
            }
            let only = Selection(members);
            let (outputs, owned) = if matches!(cli.command, Command::Cards { .. }) {
                (info_card::plan(&facts, &only), vec![info_card::KIND.folder.into()])
            } else {
                let owned = vec![departure_form::KIND.folder.into(), contact_card::KIND.folder.into()];
                (departure_plan(&facts, &only), owned)
            };
            Plan { outputs, files: Vec::new(), owned: Some(if only.all() { owned } else { Vec::new() }) }
        }
        Command::Report { period, from, to } => {
            let period = match (period, from, to) {
                (Some(p), _, _) => p.clone(),
                (None, Some(f), Some(t)) if f <= t => Period::range(*f, *t),
                (None, Some(_), Some(_)) => {
                    eprintln!("错误: --from 不能晚于 --to");
                    return ExitCode::from(USAGE_ERRORS);
                }
                _ => Period::quarter_of(as_of),
            };
            Plan { outputs: filing_report::plan(&facts, &period), files: Vec::new(), owned: Some(Vec::new()) }
        }
        Command::Holidays { year } => {
            print_holidays(office, year.unwrap_or(as_of.year()));
            return ExitCode::SUCCESS;
        }
        Command::Letters { holiday, year } => {
            let outputs = match letters_plan(&facts, &cli.data, holiday.as_deref(), *year, cli.quiet) {
                Ok(o) => o,
                Err(code) => return code,
            };
            Plan { outputs, files: Vec::new(), owned: Some(Vec::new()) }
        }
        Command::Visits => {
            let (outputs, files) = visit_plan::plan(&facts);
            Plan { outputs, files, owned: Some(vec![visit_plan::PLAN.folder.into()]) }
        }
        Command::Init { .. } | Command::Import { .. } => unreachable!("handled above"),
        Command::Export { xlsx } => {
            let bytes = match crate::export::workbook(&facts) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("错误: {e}");
                    return ExitCode::from(DATA_ERRORS);
                }
            };
            let target = xlsx.clone().unwrap_or_else(|| cli.out.join(XLSX_NAME));
            // Inside out/ it goes through the staging folder like every output;
            // elsewhere it replaces the file in one step.
            match target.strip_prefix(&cli.out) {
                Ok(rel) if !rel.as_os_str().is_empty() => {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    Plan { outputs: Vec::new(), files: vec![(rel.clone(), bytes)], owned: Some(vec![rel.into()]) }
                }
                _ => {
                    return match write_file(&target, &bytes) {
                        Ok(()) => {
                            eprintln!("已导出 {} 位党员 → {}", office.members.len(), target.display());
                            ExitCode::SUCCESS
                        }
                        Err(e) => {
                            eprintln!("错误: 无法写入 {}：{e}", target.display());
                            ExitCode::from(DATA_ERRORS)
                        }
                    };
                }
            }
        }
        Command::Register => {
            let files = match register_files(&facts, &assets) {
                Ok(f) => f,
                Err(code) => return code,
            };
            Plan { outputs: Vec::new(), files, owned: Some(vec!["register".into()]) }
        }
        Command::Build => {
            let all = Selection(&[]);
            let mut outputs = info_card::plan(&facts, &all);
            outputs.extend(departure_plan(&facts, &all));
            outputs.extend(filing_report::plan(&facts, &Period::quarter_of(as_of)));
            match letters_plan(&facts, &cli.data, None, None, cli.quiet) {
                Ok(o) => outputs.extend(o),
                Err(code) => return code,
            }
            let (visits, mut files) = visit_plan::plan(&facts);
            outputs.extend(visits);
            match register_files(&facts, &assets) {
                Ok(f) => files.extend(f),
                Err(code) => return code,
            }
            match crate::export::workbook(&facts) {
                Ok(b) => files.push((XLSX_NAME.to_string(), b)),
                Err(e) => {
                    eprintln!("错误: {e}");
                    return ExitCode::from(DATA_ERRORS);
                }
            }
            Plan { outputs, files, owned: None }
        }
    };
    if let Err(e) = crate::output::check_out_dir(&cli.data, &cli.out) {
        eprintln!("错误: {e}");
        return ExitCode::from(USAGE_ERRORS);
    }
    if plan.outputs.is_empty() && plan.files.is_empty() {
        eprintln!("提示: 没有需要生成的文书（{} 里没有相应的成员或外出登记）。", cli.data.display());
        return ExitCode::SUCCESS;
    }
    let engine = Engine::new(&assets.templates, &fonts, as_of);
    let options = Options { out: &cli.out, force: cli.force, quiet: cli.quiet, templates: &assets.templates };
    match produce(&engine, &fonts, plan, &options) {
        Ok(()) => {
            if !cli.quiet {
                print_where_to_look(&cli);
            }
            ExitCode::SUCCESS
        }
        Err(()) => ExitCode::from(DATA_ERRORS),
    }
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

/// The intranet register's files; says at build time which fields the
/// office chose to show more of than the default (see `org.yaml register:`).
fn register_files(facts: &Facts, assets: &Assets) -> Result<Vec<(String, Vec<u8>)>, ExitCode> {
    crate::register::build(facts, &assets.html).map_err(|e| {
        eprintln!("错误: {e}");
        ExitCode::from(DATA_ERRORS)
    })
}

/// Replace `path` with `bytes` in one step (a temporary file beside it, renamed).
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    // A new file gets the usual permissions, not the temporary file's 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn departure_plan(facts: &Facts, only: &Selection) -> Vec<Planned> {
    let mut v = departure_form::plan(facts, only);
    v.extend(contact_card::plan(facts, only));
    v.extend(transfer_draft::plan(facts, only));
    v
}

fn print_holidays(office: &Office, year: i32) {
    println!("{year}年节日：");
    let list = office.holidays();
    for (h, date) in crate::rules::holidays::in_year(&list, year) {
        println!("  {date}  {}  {}{}", crate::documents::weekday(date), h.full_name, h.calendar_note(date));
    }
    for (h, absent) in crate::rules::holidays::absent_in_year(&list, year) {
        println!("  （{}）", absent.message(h));
    }
}

/// The letters for `--holiday`/`--year`, or for the next festival after `as_of`.
fn letters_plan(
    facts: &Facts,
    data: &Path,
    holiday: Option<&str>,
    year: Option<i32>,
    quiet: bool,
) -> Result<Vec<Planned>, ExitCode> {
    let (office, as_of) = (facts.office, facts.as_of);
    let list = office.holidays();
    let (h, date) = match holiday {
        None => crate::rules::holidays::next_after(&list, as_of).expect("a festival every year"),
        Some(name) => {
            let Some(h) = crate::rules::holidays::find(&list, name) else {
                let names: Vec<&str> = list.iter().map(|h| h.name.as_str()).collect();
                eprintln!("错误: 没有名为“{name}”的节日。可选：{}", names.join("、"));
                return Err(ExitCode::from(USAGE_ERRORS));
            };
            let date = match year {
                Some(year) => h.date_in(year, as_of).map_err(|e| e.message(h)),
                None => h.next_from(as_of).ok_or_else(|| format!("无法计算{}的日期", h.full_name)),
            };
            match date {
                Ok(date) => (h.clone(), date),
                Err(message) => {
                    eprintln!("错误: {message}");
                    return Err(ExitCode::from(USAGE_ERRORS));
                }
            }
        }
    };
    let year = date.year();
    let file = data.join("letters").join(format!("{year}-{}.yaml", h.name));
    let mut diags = Diagnostics::default();
    let text = letter_text::read(&file, &mut diags);
    if diags.has_errors() {
        diags.print();
        eprintln!("慰问信文本有错误，未生成任何文件。");
        return Err(ExitCode::from(DATA_ERRORS));
    }
    diags.print();
    let sign_off = Vec::new();
    let text = text.unwrap_or_else(|| letter_text::builtin(&h.name, &h.full_name, year, sign_off));
    if !quiet {
        eprintln!("{year}年{}（{}）慰问信，正文来自：{}", h.full_name, crate::documents::zh_date(date), text.source);
    }
    Ok(greeting_letter::plan(facts, &h, year, &text))
}

/// `check` lists every warning; the commands that make documents list at
/// most this many of each kind.
const WARNINGS_PER_KIND: usize = 20;

fn load_fonts(assets: &Assets) -> Result<FontSet, ExitCode> {
    FontSet::load(&assets.fonts).map_err(|e| {
        eprintln!("错误: {e}");
        eprintln!(
            "    提示: 在 tuiguan 源码目录中运行，或设置环境变量 TUIGUAN_HOME 指向含 fonts/ 和 templates/ 的目录"
        );
        ExitCode::from(DATA_ERRORS)
    })
}

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

/// The facts of a loaded office, derived once and checked; Err when the
/// data has errors (printed with the warnings, as `shown` says).
fn checked<'a>(
    office: Option<&'a Office>,
    mut diags: Diagnostics,
    fonts: &FontSet,
    as_of: NaiveDate,
    shown: Shown,
) -> Result<Facts<'a>, ExitCode> {
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
        Some(facts) if !diags.has_errors() => Ok(facts),
        _ => {
            eprintln!("数据有错误，未生成任何文件；改正上面列出的问题后再运行。");
            Err(ExitCode::from(DATA_ERRORS))
        }
    }
}

/// `check` also says what the rule decided for every departure not yet over.
fn print_departure_rulings(facts: &Facts) {
    let mut lines = Vec::new();
    for f in facts.in_print_order() {
        let m = f.member;
        for df in f.departures.iter().filter(|d| d.returned.is_none()) {
            let d = df.departure;
            let rule = &df.rule;
            let recorded = match &df.handling {
                crate::rules::record::Handling::Unrecorded => "尚未办理".to_string(),
                h => format!("登记为{}", h.zh()),
            };
            lines.push(format!(
                "  {} {}（{}）：{recorded}；按规定{}——{}",
                d.id.value,
                m.name.value,
                d.destination.region(),
                rule.decision.zh(),
                rule.reason
            ));
        }
    }
    if !lines.is_empty() {
        eprintln!("外出未归的党员（{} 人次）及处理方式：", lines.len());
        for l in lines {
            eprintln!("{l}");
        }
    }
}

fn unknown_members(office: &Office, wanted: &[String]) -> Option<ExitCode> {
    let ids: Vec<&str> = office.members.iter().map(|m| m.id.value.as_str()).collect();
    let unknown: Vec<&String> = wanted.iter().filter(|w| !ids.contains(&w.as_str())).collect();
    for w in &unknown {
        match did_you_mean(w, ids.iter().copied()) {
            Some(s) => eprintln!("错误: 没有编号为“{w}”的成员。是不是 {s}？"),
            None => eprintln!("错误: 没有编号为“{w}”的成员。成员编号见各成员文件的 `id:`"),
        }
    }
    (!unknown.is_empty()).then(|| ExitCode::from(USAGE_ERRORS))
}
