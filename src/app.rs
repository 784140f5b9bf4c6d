//! The commands: each runs the pipeline load → check → derive → render →
//! write as far as it needs, and turns the outcome into an exit code.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;

use crate::cli::{Cli, Command};
use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::documents::info_card::{self, InfoCard, InfoCards};
use crate::fonts::FontSet;
use crate::office::Office;
use crate::output::Staging;
use crate::render::typst::{Engine, Job};

const DATA_ERRORS: u8 = 1;
const USAGE_ERRORS: u8 = 2;

/// Where the templates and fonts are: `$TUIGUAN_HOME`, else the current
/// folder if it has them, else the source checkout this binary was built from.
struct Assets {
    templates: PathBuf,
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
        Self { templates: home.join("templates/typst"), fonts: home.join("fonts") }
    }
}

/// What one run needs once the data is known to be good.
struct Ready {
    office: Office,
    fonts: FontSet,
    as_of: NaiveDate,
}

pub fn run(cli: Cli) -> ExitCode {
    let as_of = cli.as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
    let assets = Assets::locate();
    let ready = match load_and_check(&cli.data, &assets, as_of) {
        Ok(r) => r,
        Err(code) => return code,
    };
    match cli.command {
        Command::Check => {
            eprintln!(
                "检查通过：{} 个支部，{} 位党员（以 {as_of} 为准）。",
                ready.office.org.branches.len(),
                ready.office.members.len()
            );
            ExitCode::SUCCESS
        }
        Command::Cards { members } => {
            if let Some(code) = unknown_members(&ready.office, &members) {
                return code;
            }
            build(&ready, &assets, &cli.data, &cli.out, Some(&members))
        }
        Command::Build => build(&ready, &assets, &cli.data, &cli.out, None),
    }
}

fn load_and_check(data: &Path, assets: &Assets, as_of: NaiveDate) -> Result<Ready, ExitCode> {
    let fonts = FontSet::load(&assets.fonts).map_err(|e| {
        eprintln!("错误: {e}");
        eprintln!(
            "    提示: 在 tuiguan 源码目录中运行，或设置环境变量 TUIGUAN_HOME 指向含 fonts/ 和 templates/ 的目录"
        );
        ExitCode::from(DATA_ERRORS)
    })?;
    let (office, mut diags) = crate::load::load(data);
    if let Some(office) = &office {
        diags.extend(crate::check::check(office, as_of, &fonts));
    }
    diags.print();
    match office {
        Some(office) if !diags.has_errors() => Ok(Ready { office, fonts, as_of }),
        _ => {
            eprintln!("数据有错误，未生成任何文件；改正上面列出的问题后再运行。");
            Err(ExitCode::from(DATA_ERRORS))
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

/// Render everything asked for into a staging folder and swap it in.
/// `only`: `cards --member …` (keep the rest of out/ as it is).
fn build(ready: &Ready, assets: &Assets, data: &Path, out: &Path, only: Option<&[String]>) -> ExitCode {
    let started = Instant::now();
    if let Err(e) = crate::output::check_out_dir(data, out) {
        eprintln!("错误: {e}");
        return ExitCode::from(USAGE_ERRORS);
    }
    let partial = only.is_some_and(|m| !m.is_empty());
    let engine = Engine::new(&assets.templates, &ready.fonts, ready.as_of);
    let staging = match Staging::begin(out, partial) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误: 无法在 {} 旁建立临时输出文件夹：{e}", out.display());
            return ExitCode::from(DATA_ERRORS);
        }
    };

    let members = ready.office.members_in_print_order();
    if members.is_empty() {
        eprintln!("提示: 还没有任何成员文件（{}），没有可生成的文书。", data.join("members").display());
        return ExitCode::SUCCESS;
    }
    let cards: Vec<InfoCard> = members.iter().map(|m| info_card::build(&ready.office, m, ready.as_of)).collect();
    // Each job, and where it goes: the output path and the member file it came from.
    let mut jobs: Vec<Job> = Vec::new();
    let mut targets: Vec<(PathBuf, Option<&Path>)> = Vec::new();
    for (m, card) in members.iter().zip(&cards) {
        if only.is_some_and(|o| !o.is_empty() && !o.contains(&m.id.value)) {
            continue;
        }
        let data = serde_json::to_vec(&InfoCards { cards: std::slice::from_ref(card) }).expect("serialisable");
        let job = Job { template: info_card::TEMPLATE.into(), data, ident: format!("info-card-{}", m.id.value) };
        jobs.push(job);
        targets.push((PathBuf::from(format!("info-cards/{}.pdf", m.id.value)), Some(m.file.as_path())));
    }
    // The combined print file always holds every member, in delivery order.
    let data = serde_json::to_vec(&InfoCards { cards: &cards }).expect("serialisable");
    jobs.push(Job { template: info_card::TEMPLATE.into(), data, ident: "info-cards".into() });
    targets.push((PathBuf::from("info-cards.pdf"), None));

    eprintln!("正在生成个人信息卡：{} 份……", jobs.len());
    let results = engine.render_all(&jobs, &|| {});

    let mut diags = Diagnostics::default();
    let mut failed = false;
    let mut written = 0;
    for ((rel, member_file), result) in targets.iter().zip(results) {
        match result {
            Ok(r) => {
                if let Some(f) = member_file
                    && r.pages != 1
                {
                    diags.push(
                        Diagnostic::warning(f, None, format!("个人信息卡排成了 {} 页（应为 1 页）", r.pages))
                            .hint("备注或地址等内容过长，请精简"),
                    );
                }
                if let Err(e) = staging.write(rel, &r.pdf) {
                    eprintln!("错误: 无法写入 {}：{e}", rel.display());
                    failed = true;
                }
                written += 1;
            }
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    diags.print();
    if failed {
        eprintln!("生成失败：{} 保持原样，未作任何改动。", out.display());
        return ExitCode::from(DATA_ERRORS);
    }
    if let Err(e) = staging.commit() {
        eprintln!("错误: 无法把结果移入 {}：{e}；{} 保持原样。", out.display(), out.display());
        return ExitCode::from(DATA_ERRORS);
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "完成：写入 {written} 份 PDF 到 {}，用时 {secs:.1} 秒（每秒 {:.0} 份）。",
        out.display(),
        written as f64 / secs.max(0.001)
    );
    ExitCode::SUCCESS
}
