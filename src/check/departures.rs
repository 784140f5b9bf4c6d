//! Departures: ids and card numbers unique, dates in order, at most one open
//! departure per member; then, as warnings, every finding the facts layer
//! derived: the record against the rule (R4–R7) and the follow-ups (R8–R10).

use std::collections::HashMap;
use std::path::Path;

use super::refs::is_valid_id;
use crate::diag::{Diagnostic, Diagnostics};
use crate::facts::Facts;

pub fn check_departures(facts: &Facts, d: &mut Diagnostics) {
    let office = facts.office;
    let mut ids: HashMap<&str, &Path> = HashMap::new();
    let mut cards: HashMap<&str, &Path> = HashMap::new();
    for m in &office.members {
        let f = &m.file;
        let mut open = Vec::new();
        for dep in &m.departures {
            let id = &dep.id;
            if !is_valid_id(&id.value) {
                d.push(
                    Diagnostic::error(f, Some(id.pos), format!("外出编号“{}”只能用英文字母、数字、- 和 _", id.value))
                        .hint("例如 W2026-01；编号也是输出文件名"),
                );
            }
            if let Some(first) = ids.insert(&id.value, f) {
                d.push(
                    Diagnostic::error(f, Some(id.pos), format!("外出编号“{}”与 {} 重复", id.value, first.display()))
                        .hint("每次外出的编号必须全单位唯一"),
                );
            }
            if let Some(card) = &dep.card_number
                && let Some(first) = cards.insert(&card.value, f)
            {
                d.push(
                    Diagnostic::error(
                        f,
                        Some(card.pos),
                        format!("联系卡号“{}”与 {} 重复", card.value, first.display()),
                    )
                    .hint("每张联系卡的卡号必须不同"),
                );
            }
            if let Some(a) = &dep.applied
                && a.value > dep.start.value
            {
                d.push(
                    Diagnostic::error(f, Some(a.pos), format!("申请日期 {} 晚于外出日期 {}", a.value, dep.start.value))
                        .hint("外出前应先向支部申请"),
                );
            }
            if let (Some(r), Some(c)) = (&dep.returned, &dep.card_returned)
                && c.value < r.value
            {
                d.push(
                    Diagnostic::error(f, Some(c.pos), format!("交回联系卡日期 {} 早于返回日期 {}", c.value, r.value))
                        .hint("返回后才交回联系卡"),
                );
            }
            if dep.returned.is_none() {
                open.push(dep);
            }
        }
        if open.len() > 1 {
            let second = open[1];
            d.push(
                Diagnostic::error(
                    f,
                    Some(second.id.pos),
                    format!(
                        "同时有 {} 次外出尚未登记返回（{}）",
                        open.len(),
                        open.iter().map(|x| x.id.value.as_str()).collect::<Vec<_>>().join("、")
                    ),
                )
                .hint("一个人同一时间只能有一次外出：给上一次外出补上 `returned:` 返回日期"),
            );
        }
        for finding in &facts.of(m).findings {
            d.push(
                Diagnostic::warning(
                    f,
                    Some(finding.pos),
                    format!(
                        "{}（{}，{}）：{}",
                        finding.kind.zh(),
                        m.name.value,
                        finding.departure.id.value,
                        finding.text
                    ),
                )
                .hint(finding.kind.hint()),
            );
        }
    }
}
