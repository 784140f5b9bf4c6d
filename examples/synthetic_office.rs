//! Write a synthetic office for benchmarks and scale tests.
//!
//! cargo run --release --example synthetic_office -- DIR [MEMBERS] [SEED] [BRANCHES]
//! (defaults: 10000 members, seed 1, dates anchored on 2026-11-26)

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("用法: synthetic_office 目录 [成员数，默认 10000] [种子，默认 1] [支部数，默认每 300 人一个]");
        std::process::exit(2);
    };
    let members: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let branches: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(members.div_ceil(300));
    if let Err(e) = tuiguan::synthetic::write_office_of(std::path::Path::new(dir), members, branches, seed, as_of) {
        eprintln!("错误: 无法写入 {dir}：{e}");
        std::process::exit(1);
    }
    eprintln!("已写入 {members} 位党员到 {dir}（种子 {seed}）。");
}
