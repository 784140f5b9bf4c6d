//! `letters [--holiday --year]`: greeting letters, envelopes, phone list.

use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::batch::{Known, Plan};
use crate::diag::Diagnostics;
use crate::documents::{greeting_letter, letter_text};
use crate::error::Error;
use crate::facts::Facts;
use crate::rules::holidays::{find, next_after};

/// The letters for `--holiday`/`--year`, or for the next festival after `as_of`.
/// `dated` overrides the day the letters are dated.
pub fn plan(
    facts: &Facts,
    data: &Path,
    holiday: Option<&str>,
    year: Option<i32>,
    dated: Option<NaiveDate>,
    quiet: bool,
    known: &Known,
) -> Result<Plan, Error> {
    let (office, as_of) = (facts.office, facts.as_of);
    let list = office.holidays();
    let (h, date) = match holiday {
        None => next_after(&list, as_of).expect("a festival every year"),
        Some(name) => {
            let Some(h) = find(&list, name) else {
                let names: Vec<&str> = list.iter().map(|h| h.name.as_str()).collect();
                return Err(Error::Usage(format!("没有名为“{name}”的节日。可选：{}", names.join("、"))));
            };
            let date = match year {
                Some(year) => h.date_in(year, as_of).map_err(|e| e.message(h)),
                None => h.next_from(as_of).ok_or_else(|| format!("无法计算{}的日期", h.full_name)),
            };
            (h.clone(), date.map_err(Error::Usage)?)
        }
    };
    let year = date.year();
    let file = data.join("letters").join(format!("{year}-{}.yaml", h.name));
    let mut diags = Diagnostics::default();
    let text = letter_text::read(&file, &mut diags);
    diags.print();
    if diags.has_errors() {
        return Err(Error::Reported("慰问信文本有错误，未生成任何文件。".into()));
    }
    let text = text.unwrap_or_else(|| letter_text::builtin(&h.name, &h.full_name, year, Vec::new()));
    let dated = dated.unwrap_or_else(|| greeting_letter::letter_date(date, office.org.rules.letter_days_before, as_of));
    if !quiet {
        eprintln!(
            "{year}年{}（{}）慰问信，落款日期 {}，正文来自：{}",
            h.full_name,
            crate::documents::zh_date(date),
            crate::documents::zh_date(dated),
            text.source
        );
    }
    // Who is away, and where, as on the festival's day (a stay that
    // begins before it counts, one that ends before it does not).
    let on_the_day = Facts::derive(office, date);
    let outputs =
        crate::batch::settle::documents(greeting_letter::plan(&on_the_day, &h, year, &text, dated), Some(known));
    let apart = greeting_letter::listed_apart(&on_the_day);
    if !apart.is_empty() {
        let names: Vec<String> = apart.iter().map(|(f, why)| format!("{}（{why}）", f.member.name.value)).collect();
        eprintln!(
            "提示: 这 {} 人没有印慰问信，请支部研究如何送达（失联的不寄往旧地址；停止党籍的要寄，在 org.yaml 的 rules: 写 `letters_to_suspended: true`）：{}",
            apart.len(),
            names.join("、")
        );
    }
    let owner = crate::batch::owners::occasion(&format!("{year}年{}慰问信", h.full_name));
    Ok(Plan { outputs, owned: Some(Vec::new()), owner, ..Default::default() })
}
