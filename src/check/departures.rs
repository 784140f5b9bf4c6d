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
    transfer_kind_asked(facts, d);
    photos_for_cards(facts, d);
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

/// A stay that calls for transferring the relationship, and org.yaml does
/// not say which transfer the office makes: asked, not assumed.
fn transfer_kind_asked(facts: &Facts, d: &mut Diagnostics) {
    let rules = &facts.office.org.rules;
    if rules.transfer_kind_written {
        return;
    }
    let due = facts
        .members()
        .flat_map(|f| f.departures.iter())
        .filter(|x| x.away && matches!(x.rule.decision, crate::rules::departure::Decision::Transfer(_)))
        .count();
    if due > 0 {
        d.push(
            Diagnostic::warning(
                &facts.office.org_file,
                None,
                format!("有 {due} 次外出按规定应转出组织关系，但 org.yaml 没有写转出类型（临时还是正式），介绍信暂按临时转出印"),
            )
            .hint("在 org.yaml 的 rules: 下写 `transfer_kind: 临时` 或 `transfer_kind: 正式`：条例和流动党员活动证的通知说的是正式组织关系，本单位按哪种办由党委定"),
        );
    }
}

/// How long after its issue a card is still being made and handed over:
/// a card issued before that is with its member, photo glued or not.
const CARD_BEING_MADE_DAYS: i64 = 30;

/// A contact card printed now for a member without a photo in
/// `photos/` is said, so the photo can be added before it is printed (the
/// card then has a box to glue one in). Members whose card is not due
/// are not asked for a photo.
fn photos_for_cards(facts: &Facts, d: &mut Diagnostics) {
    for f in facts.members() {
        let m = f.member;
        if facts.office.photos.contains_key(&m.id.value) {
            continue;
        }
        for df in f.departures.iter().filter(|df| crate::documents::contact_card::prints_card(df)) {
            let dep = df.departure;
            let recent =
                dep.card_issued.as_ref().is_none_or(|i| (facts.as_of - i.value).num_days() <= CARD_BEING_MADE_DAYS);
            if !recent {
                continue;
            }
            let card = dep.card_number.as_ref().map_or_else(|| dep.id.value.clone(), |c| c.value.clone());
            d.push(
                Diagnostic::warning(
                    &m.file,
                    None,
                    format!("{}的联系卡 {card} 还没有照片：卡上留了贴一寸照片的框", m.name.value),
                )
                .hint(format!(
                    "把一寸照片存为 {}/{}.jpg（或 .png）后重新生成；也可以打印后贴上照片",
                    crate::office::photo::FOLDER,
                    m.id.value
                )),
            );
        }
    }
}
