//! `notice 通知.md [--branch …] [--member …] [--date …]`: one letter per
//! member away (or per member named), envelopes and a delivery list.

use std::path::Path;

use chrono::NaiveDate;

use crate::batch::Plan;
use crate::documents::notice;
use crate::error::Error;
use crate::facts::Facts;

pub fn plan(
    facts: &Facts,
    file: &Path,
    branches: &[String],
    members: &[String],
    date: Option<NaiveDate>,
) -> Result<Plan, Error> {
    let source = std::fs::read(file).map_err(|e| Error::Usage(format!("读不到通知文件 {}：{e}", file.display())))?;
    let source = String::from_utf8(source).map_err(|_| {
        Error::Usage(format!("{} 不是 UTF-8 编码的文本；请用记事本“另存为”UTF-8 后再试", file.display()))
    })?;
    let parsed = notice::parse(&source).map_err(|e| Error::Usage(format!("{}：{e}", file.display())))?;
    for b in branches {
        if facts.office.branch(b).is_none() {
            let ids: Vec<&str> = facts.office.org.branches.iter().map(|b| b.id.value.as_str()).collect();
            return Err(Error::Usage(format!("没有编号为“{b}”的支部；支部编号：{}", ids.join("、"))));
        }
    }
    super::known_members(facts.office, members)?;
    let to = notice::recipients(facts, branches, members);
    if to.is_empty() {
        eprintln!("提示: 没有要寄送的党员（目前没有外出的党员；要发给指定的人，用 --member 编号）。");
        return Ok(Plan { outputs: Vec::new(), owned: Some(Vec::new()), ..Default::default() });
    }
    let stem = file.file_stem().map_or_else(|| "通知".into(), |s| s.to_string_lossy().to_string());
    let stem: String =
        stem.chars().map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c }).collect();
    let outputs =
        crate::batch::settle::documents(notice::plan(facts, &parsed, &stem, &to, date.unwrap_or(facts.as_of)), None);
    eprintln!(
        "通知《{}》：{} 人（{}）。",
        parsed.title,
        to.len(),
        crate::documents::join_nonempty(&to.iter().map(|f| f.member.name.value.clone()).collect::<Vec<_>>(), "、")
    );
    let owner = crate::batch::owners::occasion(&format!("通知《{}》（{stem}）", parsed.title));
    Ok(Plan { outputs, owned: Some(Vec::new()), owner, ..Default::default() })
}
