//! Overdue visits (R15–R18) as warnings, so `check` tells the office whom
//! it owes a visit before anything is printed.

use crate::diag::{Diagnostic, Diagnostics};
use crate::facts::Facts;
use crate::rules::visits::VisitState;

pub fn check_visits(facts: &Facts, d: &mut Diagnostics) {
    for f in facts.members() {
        let m = f.member;
        let Some(a) = &f.visits else { continue };
        for need in a.needs.iter().filter(|n| n.state == VisitState::Overdue) {
            d.push(
                Diagnostic::warning(
                    &m.file,
                    None,
                    format!("走访逾期（{}）：{}，期限 {}", m.name.value, need.why, need.deadline),
                )
                .hint("上门走访后在 `visits:` 中登记（kind: 上门），`tuiguan visits` 生成走访计划和记录表"),
            );
        }
    }
}
