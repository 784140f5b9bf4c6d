//! 党费 (§2.5, R9): arrears, back pay further than allowed, amounts that are
//! not what their months are due, months paid twice, unapproved reductions.

use crate::diag::{Diagnostic, Diagnostics};
use crate::facts::Facts;

pub fn check_dues(facts: &Facts, d: &mut Diagnostics) {
    for f in facts.members() {
        let m = f.member;
        for finding in &f.dues.findings {
            d.push(
                Diagnostic::warning(
                    &m.file,
                    Some(finding.pos),
                    format!("{}（{}）：{}", finding.issue.zh(), m.name.value, finding.text),
                )
                .hint(finding.issue.hint()),
            );
        }
    }
}
