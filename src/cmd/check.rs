//! `check`: the data's problems (already printed), then what is recorded
//! and what the rule asks for every departure not yet over.

use crate::error::Error;
use crate::facts::Facts;
use crate::rules::record::Handling;

pub fn run(facts: &Facts, data: &std::path::Path) -> Result<(), Error> {
    let mut lines = Vec::new();
    for f in facts.in_print_order() {
        let m = f.member;
        for df in f.departures.iter().filter(|d| d.returned.is_none()) {
            let d = df.departure;
            let rule = &df.rule;
            let recorded = match &df.handling {
                Handling::Unrecorded => "尚未办理".to_string(),
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
    let office = facts.office;
    let archived = facts.archive().len();
    let apart =
        if archived > 0 { format!("，另有已故、已转出等不在册的 {archived} 人") } else { String::new() };
    eprintln!(
        "检查通过：{} 个支部，在册党员 {} 位{apart}（以 {} 为准）。",
        office.org.branches.len(),
        office.members.len() - archived,
        facts.as_of
    );
    remind_backup(facts, data);
    Ok(())
}

/// The whole record lives on one PC: say when it was last backed up, if
/// longer ago than `rules.backup_days` (or never).
fn remind_backup(facts: &Facts, data: &std::path::Path) {
    let days = facts.office.org.rules.backup_days;
    match crate::backup::last_backup(data) {
        Some(last) if (facts.as_of - last).num_days() <= i64::from(days) => {}
        Some(last) => {
            eprintln!("提示: 数据最近一次备份是 {last}，已超过 {days} 天；请运行 tuiguan backup --to U盘上的文件夹")
        }
        None => {
            eprintln!("提示: 这个数据文件夹还没有用 tuiguan backup 备份过；请运行 tuiguan backup --to U盘上的文件夹")
        }
    }
}
