//! 党费 (§2.5, R9): arrears, back pay further than allowed, amounts that are
//! not what their months are due, months paid twice, unapproved reductions.

use crate::diag::Diagnostics;
use crate::facts::Facts;

pub fn check_dues(facts: &Facts, d: &mut Diagnostics) {
    // Everyone: a member off the books may have paid ahead beyond it.
    for f in facts.everyone_in_print_order() {
        let m = f.member;
        for finding in &f.dues.findings {
            d.push(super::member_warning(m, finding.pos, finding.issue.zh(), &finding.text, finding.issue.hint()));
        }
    }
}
