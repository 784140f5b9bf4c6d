//! The validated model of one retiree office: its organisation and members.
//! Built once by [`crate::load`], read by the checks, the rules and the documents.

mod member;
mod org;
mod rule_settings;

pub use member::{
    Departure, Destination, FamilyContact, Hardship, Health, MEMBER_KEYS, Member, Sex, Visit, read_member,
};
pub use org::{Branch, CommitteeMember, Group, ORG_KEYS, Org, PartyUnit, read_branch, read_org};
pub use rule_settings::{RuleSettings, TransferKind};

use std::path::PathBuf;

/// Everything read from a data folder.
#[derive(Debug)]
pub struct Office {
    pub org: Org,
    pub org_file: PathBuf,
    pub members: Vec<Member>,
}

impl Office {
    /// The built-in festivals and the office's own, an office entry of the
    /// same name replacing the built-in one.
    pub fn holidays(&self) -> Vec<crate::rules::holidays::Holiday> {
        let mut list: Vec<_> = crate::rules::holidays::builtin()
            .into_iter()
            .filter(|h| !self.org.extra_holidays.iter().any(|x| x.name == h.name))
            .collect();
        list.extend(self.org.extra_holidays.iter().cloned());
        list
    }

    pub fn branch(&self, id: &str) -> Option<&Branch> {
        self.org.branches.iter().find(|b| b.id.value == id)
    }

    /// The Party group a member belongs to.
    pub fn group_of(&self, m: &Member) -> Option<&Group> {
        self.branch(&m.branch.value)?.group(&m.group.as_ref()?.value)
    }

    /// Names of the member's branch and group as printed ("" when unknown).
    pub fn branch_and_group_names(&self, m: &Member) -> (String, String) {
        let branch = self.branch(&m.branch.value).map(|b| b.name.value.clone()).unwrap_or_default();
        let group = self.group_of(m).map(|g| g.name.value.clone()).unwrap_or_default();
        (branch, group)
    }

    /// Members in print order: by branch (as listed in org.yaml), then group
    /// (as listed in its branch), then member id.
    pub fn members_in_print_order(&self) -> Vec<&Member> {
        let rank = |m: &Member| {
            let b = self.org.branches.iter().position(|b| b.id.value == m.branch.value).unwrap_or(usize::MAX);
            let g = self
                .branch(&m.branch.value)
                .and_then(|b| b.groups.iter().position(|g| Some(&g.id.value) == m.group.as_ref().map(|g| &g.value)))
                .unwrap_or(usize::MAX);
            (b, g)
        };
        let mut v: Vec<&Member> = self.members.iter().collect();
        v.sort_by(|a, b| (rank(a), &a.id.value).cmp(&(rank(b), &b.id.value)));
        v
    }
}
