//! Departures: ids and card numbers unique, dates in order, at most one open
//! departure per member, the record agrees with the rule's decision, and the
//! follow-up findings (as warnings).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::refs::is_valid_id;
use crate::diag::{Diagnostic, Diagnostics};
use crate::office::Office;
use crate::rules::departure::{Decision, decide};
use crate::rules::followup::findings;

pub fn check_departures(office: &Office, as_of: NaiveDate, d: &mut Diagnostics) {
    let rules = &office.org.rules;
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
            check_against_decision(f, dep, decide(dep, rules).decision, as_of, d);
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
        for finding in findings(m, as_of, rules) {
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

/// The record should match what the rule decided.
fn check_against_decision(
    f: &Path,
    dep: &crate::office::Departure,
    decision: Decision,
    as_of: NaiveDate,
    d: &mut Diagnostics,
) {
    let started = dep.start.value <= as_of;
    match decision {
        Decision::NoCard => {
            if let Some(c) = &dep.card_number {
                d.push(
                    Diagnostic::warning(f, Some(c.pos), "临时近距离外出按规定不发联系卡，但登记了卡号")
                        .hint("核对 `near_home`，或删除 `card:`"),
                );
            }
        }
        Decision::ContactCard => {
            if dep.card_number.is_none() && dep.returned.is_none() && dep.transfer.is_none() {
                d.push(
                    Diagnostic::warning(
                        f,
                        Some(dep.id.pos),
                        format!("外出 {} 按规定应发联系卡，尚未登记卡号", dep.id.value),
                    )
                    .hint("发卡后在这次外出下写 `card:`（number 卡号、issued 发卡日期）"),
                );
            }
        }
        Decision::Transfer(_) => {
            if dep.transfer.is_none() && dep.returned.is_none() && started {
                d.push(
                    Diagnostic::warning(
                        f,
                        Some(dep.id.pos),
                        format!("外出 {} 按规定应转出组织关系，尚未登记转出", dep.id.value),
                    )
                    .hint(
                        "转出后写 `transfer:`（kind 临时/正式、date 转出日期）；暂不能转出的写 `can_transfer: false`",
                    ),
                );
            }
        }
    }
    if decision != Decision::NoCard && dep.filed.is_none() && started {
        d.push(
            Diagnostic::warning(f, Some(dep.id.pos), format!("外出 {} 尚未报上级党组织备案", dep.id.value))
                .hint("备案后写 `filed:` 备案日期；`tuiguan report` 生成备案报告"),
        );
    }
}
