//! Overdue visits (R15–R18) as warnings, so `check` tells the office whom
//! it owes a visit before anything is printed; and serious illness or
//! hardship written without a start date, whose deadline nobody can know.

use crate::diag::{Diagnostic, Diagnostics};
use crate::facts::Facts;
use crate::office::Member;
use crate::rules::visits::{VisitState, urgent_causes};

pub fn check_visits(facts: &Facts, d: &mut Diagnostics) {
    let office = facts.office;
    for f in facts.members() {
        let m = f.member;
        check_undated_causes(m, office.org.rules.urgent_visit_days, d);
        let Some(a) = &f.visits else { continue };
        for need in a.needs.iter().filter(|n| n.state == VisitState::Overdue) {
            d.push(
                Diagnostic::warning(
                    &m.file,
                    None,
                    format!("走访逾期（{}）：{}，期限{}", m.name.value, need.why, crate::zh::zh_date(need.deadline)),
                )
                .hint("上门走访后在 `visits:` 中登记（kind: 上门），`tuiguan visits` 生成走访计划和记录表"),
            );
        }
    }
}

/// 重病 or 低保/特困 without `since`: the visit is listed as owed now, and
/// the office is asked for the date rather than given one.
fn check_undated_causes(m: &Member, days: u32, d: &mut Diagnostics) {
    for c in urgent_causes(m).into_iter().filter(|c| c.since.is_none()) {
        d.push(
            Diagnostic::warning(
                &m.file,
                Some(c.pos),
                format!(
                    "缺少{}{}（{}）：`{}:` 记有{}，但没有写 `since`，无法计算 {days} 天内上门走访的期限，走访计划暂按“应尽快上门走访”列出",
                    c.short, c.since_means, m.name.value, c.key, c.cause
                ),
            )
            .hint(format!(
                "问清{}{}后，在 `{}:` 下补写一行，例如 `since: 2026-11-08`",
                c.short, c.since_means, c.key
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::member;

    fn warnings(m: &Member) -> Vec<String> {
        let mut d = Diagnostics::default();
        check_undated_causes(m, 7, &mut d);
        d.iter().map(|x| format!("{}: {} / {}", x.location(), x.message, x.hint)).collect()
    }

    #[test]
    fn r18_serious_illness_without_since_asks_for_the_date() {
        let w = warnings(&member("1960-01-01", "health:\n  status: 重病\n"));
        assert_eq!(w.len(), 1);
        assert!(
            w[0].starts_with("t.yaml:11:1: 缺少重病起始日期（张三）：`health:` 记有身患重病，但没有写 `since`"),
            "{}",
            w[0]
        );
        assert!(w[0].contains("例如 `since: 2026-11-08`"), "{}", w[0]);
    }

    #[test]
    fn r17_hardship_without_since_asks_for_the_date() {
        let w = warnings(&member("1960-01-01", "hardship:\n  level: 低保\n"));
        assert_eq!(w.len(), 1);
        assert!(
            w[0].starts_with("t.yaml:11:1: 缺少困难登记日期（张三）：`hardship:` 记有家庭困难达到低保标准"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn dated_or_minor_causes_need_no_date_warning() {
        assert!(warnings(&member("1960-01-01", "health:\n  status: 重病\n  since: 2026-11-08\n")).is_empty());
        assert!(warnings(&member("1960-01-01", "health:\n  status: 慢性病\n")).is_empty());
        assert!(warnings(&member("1960-01-01", "hardship:\n  level: 一般困难\n")).is_empty());
    }
}
