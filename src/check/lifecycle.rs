//! The membership's clocks (§1.2: 失联 → 停止党籍 → 自行脱党), records kept
//! after a member left the books, records not confirmed for long (R2), and
//! the old `last_contact` key that the contact log replaces (R8).

use crate::diag::{Diagnostic, Diagnostics};
use crate::facts::Facts;

pub fn check_lifecycle(facts: &Facts, d: &mut Diagnostics) {
    for f in facts.everyone_in_print_order() {
        let m = f.member;
        for finding in &f.life {
            d.push(super::member_warning(m, finding.pos, finding.issue.zh(), &finding.text, finding.issue.hint()));
        }
        for dep in &m.departures {
            if let Some(c) = &dep.last_contact {
                d.push(
                    Diagnostic::warning(
                        &m.file,
                        Some(c.pos),
                        format!("`last_contact`（{}，{}）已由联系记录代替，这一行仍然有效", m.name.value, dep.id.value),
                    )
                    .hint(format!(
                        "改为在 `contacts:` 记一笔：`- date: {}`，`channel:` 电话/微信/书信/上门/其他，`by:` 联系人，`summary:` 情况；然后删去这一行",
                        c.value
                    )),
                );
            }
        }
    }
    // An office that records confirmations: who has never confirmed, in one line.
    let members: Vec<_> = facts.members().collect();
    if members.iter().any(|f| f.member.confirmed.is_some()) {
        let never: Vec<&str> =
            members.iter().filter(|f| f.member.confirmed.is_none()).map(|f| f.member.name.value.as_str()).collect();
        if !never.is_empty() {
            let shown: Vec<&str> = never.iter().take(10).copied().collect();
            let more = if never.len() > shown.len() { format!("等 {} 人", never.len()) } else { String::new() };
            d.push(
                Diagnostic::warning(
                    &facts.office.org_file,
                    None,
                    format!("信息从未由本人或家属核对（没有 `confirmed:`）：{}{more}", shown.join("、")),
                )
                .hint("走访或节日时请本人或家属核对（`tuiguan confirm-sheets` 打印信息核对表），核对后写 `confirmed:` 日期"),
            );
        }
    }
}
