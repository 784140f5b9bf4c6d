//! What a document made from one member may read.

use chrono::NaiveDate;

use crate::facts::{Facts, MemberFacts};
use crate::office::{Branch, Group, Member, Org, Photo};

/// One member (their facts and photo) and what every member's documents
/// share: org.yaml and the day the run stands on. Not the office: no
/// other member is in reach, so a document made from an `Own` changes only
/// when its member's file, its photo or what all share changes — which is
/// what lets a run leave it alone otherwise (see [`crate::outputs::Reads`]).
#[derive(Clone, Copy)]
pub struct Own<'f> {
    pub org: &'f Org,
    pub as_of: NaiveDate,
    pub facts: &'f MemberFacts<'f>,
    pub photo: Option<&'f Photo>,
}

impl<'f> Own<'f> {
    pub fn of(facts: &'f Facts<'_>, f: &'f MemberFacts<'f>) -> Self {
        let photo = facts.office.photos.get(&f.member.id.value);
        Self { org: &facts.office.org, as_of: facts.as_of, facts: f, photo }
    }

    pub fn member(&self) -> &'f Member {
        self.facts.member
    }

    pub fn branch(&self) -> Option<&'f Branch> {
        self.org.branch(&self.facts.member.branch.value)
    }

    pub fn group(&self) -> Option<&'f Group> {
        self.org.group_of(self.facts.member)
    }

    /// Names of the member's branch and group as printed ("" when unknown).
    pub fn branch_and_group_names(&self) -> (String, String) {
        self.org.branch_and_group_names(self.facts.member)
    }

    /// The photo as the templates read it ("/photos/b1-001.jpg"), or "".
    pub fn photo_path(&self) -> String {
        self.photo.map(Photo::typst_path).unwrap_or_default()
    }
}
