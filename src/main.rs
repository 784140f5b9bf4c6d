/// mimalloc (v2) rather than the system's malloc: typst allocates and
/// frees millions of small blocks per print-file part, and with glibc's
/// malloc 43 % of the samples of `cards` are in malloc and the kernel's
/// page faults (figures: docs/performance.md). mimalloc returns what it
/// freed to the system on its own, after its purge delay.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};
use tuiguan::{cli, cmd};

/// Help with Chinese headings, for the command and for every subcommand.
const HELP: &str = "{about}\n\n用法: {usage}\n\n命令:\n{subcommands}\n\n选项:\n{options}\n";
const SUB_HELP: &str = "{about}\n\n用法: {usage}\n\n选项:\n{options}\n";

/// Windows consoles default to a legacy code page (GBK on Chinese
/// systems): switch this process's console output to UTF-8 so messages read.
#[cfg(windows)]
fn console_utf8() {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn SetConsoleOutputCP(code_page: u32) -> i32;
    }
    // SAFETY: a plain Win32 call with a valid code page; failure is harmless.
    unsafe {
        SetConsoleOutputCP(65001);
    }
}

#[cfg(not(windows))]
fn console_utf8() {}

fn main() -> ExitCode {
    panic_in_chinese();
    no_huge_pages();
    console_utf8();
    let command = cli::Cli::command()
        .help_template(HELP)
        .override_usage("tuiguan [选项] <命令>")
        .mut_subcommands(|s| s.help_template(SUB_HELP));
    let parsed = command.try_get_matches().and_then(|m| cli::Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => match cmd::run(cli) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                e.print();
                ExitCode::from(e.exit_code())
            }
        },
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("错误: {}", usage_error(&e));
            eprintln!("    提示: 运行 tuiguan --help 查看全部命令和选项");
            ExitCode::from(2)
        }
    }
}

/// A panic is a fault of tuiguan's own: say so in Chinese, say that out/
/// and the data are as they were (a run writes into a staging folder that
/// goes away as the panic unwinds; out/ changes only at the commit, whose
/// journal the next run finishes), and what to send the maintainers.
fn panic_in_chinese() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!();
        eprintln!("错误: tuiguan 自身出了故障（程序的缺陷，不是数据写错了），已停止。输出文件夹和数据文件都没有改动。");
        eprintln!("    请把下面这一行、所用的命令和版本（tuiguan --version 显示）发给维护 tuiguan 的同事：");
        eprintln!("    故障位置 {at}：{what}");
    }));
}

/// clap's errors in Chinese (clap itself speaks English).
fn usage_error(e: &clap::Error) -> String {
    let ctx = |k| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        _ => String::new(),
    };
    let suggestion = match ctx(ContextKind::SuggestedSubcommand) {
        s if s.is_empty() => match ctx(ContextKind::SuggestedArg) {
            s if s.is_empty() => String::new(),
            s => format!("（是不是 {s}？）"),
        },
        s => format!("（是不是 {s}？）"),
    };
    match e.kind() {
        ErrorKind::InvalidSubcommand => format!("没有“{}”这个命令{suggestion}", ctx(ContextKind::InvalidSubcommand)),
        ErrorKind::UnknownArgument => format!("不认识的选项“{}”{suggestion}", ctx(ContextKind::InvalidArg)),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令（如 check、build、serve）；运行 tuiguan --help 查看全部命令".to_string()
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的选项 {}", ctx(ContextKind::InvalidArg)),
        ErrorKind::ArgumentConflict => format!("选项 {} 不能同时使用", ctx(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            // Our own value parsers already explain in Chinese; keep their words.
            let text = e.to_string();
            let detail = text.lines().next().unwrap_or("").rsplit(": ").next().unwrap_or("").to_string();
            format!("选项 {} 的值不对：{detail}", ctx(ContextKind::InvalidArg))
        }
        _ => format!("命令写法不对（{}）", e.to_string().lines().next().unwrap_or("").trim_start_matches("error: ")),
    }
}

/// No transparent huge pages for this process. The kernel may map the
/// binary's text and data (the fonts are 36 MB of it) in 2 MB pages, each
/// then resident whole though the run reads a little of it: without them
/// 2,000 cards peak at 255 MB against 271 MB, in the same time.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
