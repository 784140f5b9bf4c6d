//! The scale benchmark: writes a synthetic office of N members (default
//! 10,000) and times the real `tuiguan` binary on it, phase by phase.
//!
//!     cargo build --bins --examples && cargo run --example bench -- [N] [quick] [branches=B]
//!
//! Prints: load + validate, information cards per second, full build,
//! no-change rebuild, one-member-changed rebuild, peak RSS of any run.

#[path = "support/binary.rs"]
mod binary;

use binary::tuiguan;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Run tuiguan in `dir` with `args`; return wall seconds.
fn run(dir: &Path, args: &[&str]) -> f64 {
    run_traced(dir, args, false).0
}

/// Run tuiguan; its time, its own peak resident set (MB), and with `phases`
/// the phase timings it prints under `TUIGUAN_TIMINGS`.
fn run_traced(dir: &Path, args: &[&str], phases: bool) -> (f64, f64, String) {
    let started = Instant::now();
    let mut command = Command::new(tuiguan());
    command.args(["--as-of", "2026-11-26", "-q"]).args(args).current_dir(dir);
    if phases {
        command.env("TUIGUAN_TIMINGS", "1").stderr(std::process::Stdio::piped());
    } else {
        command.stderr(std::process::Stdio::null());
    }
    // Reaped by wait4 below, which also gives this run's own peak memory.
    #[allow(clippy::zombie_processes)]
    let mut child = command.spawn().expect("run tuiguan");
    let stderr = child.stderr.take().map(|mut e| {
        std::thread::spawn(move || {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut e, &mut s).ok();
            s
        })
    });
    let (mut status, mut usage): (libc::c_int, libc::rusage) = (0, unsafe { std::mem::zeroed() });
    // SAFETY: waits for our own child; wait4 fills the status and usage we pass.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let secs = started.elapsed().as_secs_f64();
    assert!(pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "tuiguan {args:?} failed");
    let text = stderr.map(|h| h.join().unwrap_or_default()).unwrap_or_default();
    let timings = text.lines().filter(|l| l.starts_with("[timing]")).map(|l| format!("    {l}\n")).collect();
    (secs, usage.ru_maxrss as f64 / 1024.0, timings)
}

/// Largest resident set of any finished child so far, in MB.
fn peak_rss_mb() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct we pass; RUSAGE_CHILDREN is valid.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

fn count_pdfs(dir: &Path) -> usize {
    walk(dir)
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "pdf") && !p.to_string_lossy().contains(".print-parts"))
        .count()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() { v.extend(walk(&p)) } else { v.push(p) }
    }
    v
}

/// The typst binding from PyPI used for the side-by-side: the same typst
/// version as ours.
const TYPST_PY: &str = "0.15.0";

/// Cards per second when each card is its own typst process: the same
/// template, fonts and data (the first `sample` members' card views), one
/// `python3 -c "typst.compile(…)"` per card, two at a time (the machine's
/// cores, as tuiguan uses them). `None` when the binding is not installed.
fn one_process_per_record(dir: &Path, sample: usize) -> Option<f64> {
    use tuiguan::documents::{Own, info_card};
    let probe = Command::new("python3").args(["-c", "import typst"]).stderr(std::process::Stdio::null()).status();
    if !probe.is_ok_and(|s| s.success()) {
        return None;
    }
    let (office, _) = tuiguan::load::load(&dir.join("data"));
    let office = office.expect("the synthetic office loads");
    let facts = tuiguan::facts::Facts::derive(&office, chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
    // Each card's view as the print file's part holds it, one card alone.
    let cards: Vec<Vec<u8>> = facts
        .in_print_order()
        .into_iter()
        .take(sample)
        .map(|f| {
            let card = info_card::build(&Own::of(&facts, f));
            serde_json::to_vec(&info_card::InfoCards { cards: std::slice::from_ref(&card), runs_on: true })
                .expect("a view")
        })
        .collect();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workers = 2;
    let roots: Vec<PathBuf> = (0..workers)
        .map(|w| {
            let root = dir.join(format!("typst-root-{w}"));
            copy_tree(&repo.join("templates/typst"), &root);
            root
        })
        .collect();
    let script = "import sys, typst\ntypst.compile(sys.argv[1], output=sys.argv[2], root=sys.argv[3], \
                  font_paths=[sys.argv[4]], ignore_system_fonts=True)";
    let started = Instant::now();
    std::thread::scope(|s| {
        for (w, root) in roots.iter().enumerate() {
            let cards = &cards;
            s.spawn(move || {
                for data in cards.iter().skip(w).step_by(workers) {
                    std::fs::write(root.join("data.json"), data).unwrap();
                    let main = root.join("info-card.typ");
                    let out = root.join("card.pdf");
                    let fonts = repo.join("fonts");
                    let status = Command::new("python3")
                        .args(["-c", script])
                        .args([&main, &out, root, &fonts])
                        .status()
                        .expect("run python3");
                    assert!(status.success(), "typst (Python) failed on a card");
                }
            });
        }
    });
    Some(cards.len() as f64 / started.elapsed().as_secs_f64())
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_tree(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let words: Vec<String> = std::env::args().skip(2).collect();
    // `bench -- 10000 quick`: only the steps that make no PDF.
    let quick = words.iter().any(|a| a == "quick");
    // `bench -- 10000 branches=3`: the office in that many branches (a
    // 党总支 kept as one branch), not one per 300 members: the largest
    // documents are then a branch's ledger and visit plan.
    let branches = words.iter().find_map(|a| a.strip_prefix("branches=")?.parse().ok()).unwrap_or(n.div_ceil(300));
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    tuiguan::synthetic::write_office_of(&dir.join("data"), n, branches, 1, as_of).expect("write office");
    println!("合成单位：{n} 位党员，{branches} 个支部（{}）", std::env::consts::ARCH);

    let check = run(dir, &["check"]);
    println!("读取并检查            {check:>8.2} 秒");

    let register = run(dir, &["--out", "reg", "register"]);
    let pages = walk(&dir.join("reg/register")).len();
    println!("内网台帐              {register:>8.2} 秒  {pages} 个文件");

    let export = run(dir, &["export", "--xlsx", "台帐.xlsx"]);
    println!("导出 Excel            {export:>8.2} 秒");

    let into = dir.join("imported");
    std::fs::create_dir_all(into.join("members")).unwrap();
    std::fs::copy(dir.join("data/org.yaml"), into.join("org.yaml")).unwrap();
    let import = run(dir, &["import", "台帐.xlsx", "--into", "imported", "--write"]);
    println!("导入 Excel（含检查）  {import:>8.2} 秒  {} 个成员文件", walk(&into.join("members")).len());
    if quick {
        println!("峰值内存（各次运行中最大）{:>6.0} MB", peak_rss_mb());
        return;
    }

    let (cards, cards_rss, _) = run_traced(dir, &["--out", "cards", "cards"], false);
    let made = count_pdfs(&dir.join("cards"));
    let ours = made as f64 / cards;
    println!("个人信息卡            {cards:>8.2} 秒  {made} 份  每秒 {ours:.0} 份  峰值内存 {cards_rss:.0} MB");
    match one_process_per_record(dir, 200) {
        Some(theirs) => println!(
            "  对照：每张卡启动一个 typst 进程（Python 绑定 typst {}，2 个并行）每秒 {theirs:.1} 份；tuiguan 快 {:.1} 倍",
            TYPST_PY,
            ours / theirs
        ),
        None => println!("  对照：未安装 typst 的 Python 绑定（pip install typst=={TYPST_PY}），跳过"),
    }

    let (dues, dues_rss, _) = run_traced(dir, &["--out", "dues", "dues"], false);
    println!("党费收缴登记表和基数核定表 {dues:>6.2} 秒  峰值内存 {dues_rss:.0} MB");
    let (visits, visits_rss, _) = run_traced(dir, &["--out", "visits", "visits"], false);
    println!("走访计划和记录表      {visits:>8.2} 秒  峰值内存 {visits_rss:.0} MB");

    let (full, full_rss, _) = run_traced(dir, &["build"], false);
    let docs = count_pdfs(&dir.join("out"));
    println!(
        "全部生成              {full:>8.2} 秒  {docs} 份  每秒 {:.0} 份  峰值内存 {full_rss:.0} MB",
        docs as f64 / full
    );

    let (again, _, phases) = run_traced(dir, &["build"], true);
    println!("无改动重新生成        {again:>8.2} 秒");
    print!("{phases}");

    let file = walk(&dir.join("data/members")).into_iter().min().expect("a member file");
    let text = std::fs::read_to_string(&file).unwrap().replace("living: ", "living: （已更新）");
    std::fs::write(&file, text).unwrap();
    let (one, one_rss, phases) = run_traced(dir, &["build"], true);
    println!("改动一位党员后重新生成 {one:>8.2} 秒  峰值内存 {one_rss:.0} MB");
    print!("{phases}");
    let (one_card, _, phases) = run_traced(dir, &["--out", "cards", "cards"], true);
    println!("  只生成信息卡（cards）{one_card:>8.2} 秒");
    print!("{phases}");

    println!("峰值内存（各次运行中最大）{:>6.0} MB", peak_rss_mb());
}
