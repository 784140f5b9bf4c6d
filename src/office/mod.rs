//! The validated model of one retiree office: its organisation and members.
//! Built once by [`crate::load`], read by the checks, the rules and the documents.

pub mod departure;
mod dues;
mod holiday;
pub mod id_number;
mod lunar_text;
mod member;
mod member_status;
mod org;
pub mod phone;
pub mod photo;
pub mod register_policy;
mod rule_settings;
mod words;

pub use departure::{Departure, Destination};
pub use dues::{Dues, DuesCategory, Month, Payment, PaymentWay, Reduction, YearBase, parse_months};
pub use holiday::{Holiday, Rule, builtin_holidays};
pub use member::{FamilyContact, Hardship, Health, MEMBER_KEYS, Member, Sex, Visit, label_of, read_member};
pub use member_status::{Channel, Contact, MemberStatus, StatusKind, Subsidy, SubsidyDecision};
pub use org::{Branch, CommitteeMember, Group, ORG_KEYS, Org, PartyUnit, read_branch, read_org};
pub use photo::Photo;
pub use rule_settings::{NumeralStyle, ReductionApprover, Rounding, RuleSettings, TransferKind};
pub use words::{HardshipLevel, HealthStatus, VisitKind, Word, read_word};

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Everything read from a data folder.
#[derive(Debug, Clone)]
pub struct Office {
    pub org: Org,
    pub org_file: PathBuf,
    pub members: Vec<Member>,
    /// Members' photos, by member id (see [`photo`]).
    pub photos: BTreeMap<String, Photo>,
}

impl Office {
    /// The built-in festivals and the office's own, an office entry of the
    /// same name replacing the built-in one.
    pub fn holidays(&self) -> Vec<Holiday> {
        let mut list: Vec<_> = builtin_holidays()
            .into_iter()
            .filter(|h| !self.org.extra_holidays.iter().any(|x| x.name == h.name))
            .collect();
        list.extend(self.org.extra_holidays.iter().cloned());
        list
    }

    pub fn branch(&self, id: &str) -> Option<&Branch> {
        self.org.branch(id)
    }

    /// The Party group a member belongs to.
    pub fn group_of(&self, m: &Member) -> Option<&Group> {
        self.org.group_of(m)
    }

    /// Names of the member's branch and group as printed ("" when unknown).
    pub fn branch_and_group_names(&self, m: &Member) -> (String, String) {
        self.org.branch_and_group_names(m)
    }

    /// Members in print order: by branch (as listed in org.yaml), then group
    /// (as listed in its branch), then member id.
    pub fn members_in_print_order(&self) -> Vec<&Member> {
        let mut rank: HashMap<(&str, Option<&str>), (usize, usize)> = HashMap::new();
        for (i, b) in self.org.branches.iter().enumerate() {
            rank.insert((b.id.value.as_str(), None), (i, usize::MAX));
            for (j, g) in b.groups.iter().enumerate() {
                rank.insert((b.id.value.as_str(), Some(g.id.value.as_str())), (i, j));
            }
        }
        let key = |m: &Member| {
            let b = m.branch.value.as_str();
            let g = m.group.as_ref().map(|g| g.value.as_str());
            rank.get(&(b, g)).or_else(|| rank.get(&(b, None))).copied().unwrap_or((usize::MAX, usize::MAX))
        };
        let mut v: Vec<((usize, usize), &Member)> = self.members.iter().map(|m| (key(m), m)).collect();
        v.sort_by(|a, b| (a.0, &a.1.id.value).cmp(&(b.0, &b.1.id.value)));
        v.into_iter().map(|(_, m)| m).collect()
    }
}
