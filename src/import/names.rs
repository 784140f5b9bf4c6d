//! Matching a sheet's branch and group names to org.yaml's, loosely but
//! uniquely, and numbering new members after those of their branch.

use std::collections::{HashMap, HashSet};

use super::columns;
use crate::office::Branch;

/// Simplified branch or group names: "中共…第一离退休党支部（机关）" → "第一".
fn bare_name(s: &str) -> String {
    let mut t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    for w in ["中共", "中国共产党", "离退休", "退休", "党支部", "支部", "党小组", "小组"] {
        t = t.replace(w, "");
    }
    columns::without_brackets(&t)
}

/// The one candidate whose id or name is `v`, exactly or once simplified.
pub(super) fn match_name<'a, T>(
    v: &str,
    items: &'a [T],
    id: impl Fn(&T) -> &str,
    name: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    if let Some(x) = items.iter().find(|x| id(x) == v || name(x) == v) {
        return Some(x);
    }
    let b = bare_name(v);
    let hits: Vec<&T> = items.iter().filter(|x| !b.is_empty() && bare_name(name(x)) == b).collect();
    (hits.len() == 1).then(|| hits[0])
}

pub(super) fn branch_of<'a>(v: &str, branches: &'a [Branch]) -> Option<&'a Branch> {
    match_name(v, branches, |b| b.id.value.as_str(), |b| b.name.value.as_str())
}

/// `<branch>-NNN`, after the highest number already used in the branch.
pub(crate) fn next_id(branch: &str, taken: &HashSet<String>, next: &mut HashMap<String, u32>) -> String {
    let n = next.entry(branch.to_string()).or_insert_with(|| {
        taken.iter().filter_map(|id| id.strip_prefix(branch)?.strip_prefix('-')?.parse::<u32>().ok()).max().unwrap_or(0)
    });
    loop {
        *n += 1;
        let id = format!("{branch}-{:03}", *n);
        if !taken.contains(&id) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_names_match_loosely_but_uniquely() {
        assert_eq!(bare_name("第一离退休党支部（集团机关）"), "第一");
        assert_eq!(bare_name("第一支部"), "第一");
        assert_eq!(bare_name("中共某某第二党支部"), "某某第二");
    }

    #[test]
    fn new_ids_continue_the_branch() {
        let taken: HashSet<String> = ["b1-001", "b1-019", "b2-003"].map(String::from).into();
        let mut next = HashMap::new();
        assert_eq!(next_id("b1", &taken, &mut next), "b1-020");
        assert_eq!(next_id("b1", &taken, &mut next), "b1-021");
        assert_eq!(next_id("b3", &taken, &mut next), "b3-001");
    }
}
