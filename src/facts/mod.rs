//! Derived facts, computed once per run from the office and the `--as-of`
//! date, read by `check`, every document, the register and the Excel
//! export. The rules themselves are pure functions in [`crate::rules`];
//! this layer applies them once and keeps the results side by side.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::office::{Departure, Member, Office};
use crate::rules::age::{age_on, birth_date};
use crate::rules::departure::{Decision, Ruling, decide_on};
use crate::rules::dues::DuesFacts;
use crate::rules::followup::{Finding, FindingKind, findings};
use crate::rules::lifecycle::{LifeFinding, Standing, life_findings};
use crate::rules::record::{Handling, disagreements};
use crate::rules::status::{Situation, Whereabouts};
use crate::rules::visits::{Assessment, assess};

/// One departure: what was recorded and what the rule asks, on `as_of`.
#[derive(Debug, Clone)]
pub struct DepartureFacts<'a> {
    pub departure: &'a Departure,
    /// Started on or before `as_of`.
    pub started: bool,
    /// Started and not back on `as_of`.
    pub away: bool,
    /// The return date, when on or before `as_of`.
    pub returned: Option<NaiveDate>,
    /// 处理方式 as recorded.
    pub handling: Handling,
    /// The card handed back, on or before `as_of`.
    pub card_back: Option<NaiveDate>,
    /// What the rule asks on `as_of`, with the reason (a short plan that
    /// has lasted is already reclassified, R6).
    pub rule: Ruling,
}

impl DepartureFacts<'_> {
    /// A trip near home (R5): no card, the member keeps attending the branch.
    pub fn near_home(&self) -> bool {
        self.rule.decision == Decision::NoCard
    }

    /// The member holds a contact card for this trip on `as_of`: recorded,
    /// away, and the relationship not transferred.
    pub fn holds_card(&self) -> bool {
        self.away && matches!(self.handling, Handling::Card { .. })
    }

    /// Returned with a card that has not been handed back (R10).
    pub fn card_unreturned(&self) -> bool {
        self.returned.is_some() && matches!(self.handling, Handling::Card { .. }) && self.card_back.is_none()
    }
}

/// What needs attention about a member away (the register's away list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Attention {
    /// 逾期未归: past the planned return.
    Overdue,
    /// 失联: no contact for the configured months.
    OutOfContact,
    /// 党费欠交: dues unpaid for the configured months.
    DuesOwed,
    /// 待转组织关系: the rule asks for a transfer that is not done.
    TransferDue,
}

impl Attention {
    pub fn zh(self) -> &'static str {
        match self {
            Attention::Overdue => "逾期未归",
            Attention::OutOfContact => "失联",
            Attention::DuesOwed => "党费欠交",
            Attention::TransferDue => "待转组织关系",
        }
    }

    /// The attention a finding calls for, if it is one of these.
    pub fn of(kind: FindingKind) -> Option<Self> {
        match kind {
            FindingKind::Overdue => Some(Attention::Overdue),
            FindingKind::OutOfContact => Some(Attention::OutOfContact),
            FindingKind::TransferDue | FindingKind::CardInsteadOfTransfer => Some(Attention::TransferDue),
            _ => None,
        }
    }
}

/// One member's facts on `as_of`.
#[derive(Debug, Clone)]
pub struct MemberFacts<'a> {
    pub member: &'a Member,
    pub birth: Option<NaiveDate>,
    /// Completed years on `as_of`.
    pub age: Option<u32>,
    pub whereabouts: Whereabouts,
    /// Where the member is in one word, the 党籍 first (see [`Situation`]).
    pub situation: Situation,
    /// In the member file's order.
    pub departures: Vec<DepartureFacts<'a>>,
    current: Option<usize>,
    /// What the visit schedule asks (None: no rule applies).
    pub visits: Option<Assessment<'a>>,
    /// Follow-ups and record-versus-rule disagreements, departure by departure.
    pub findings: Vec<Finding<'a>>,
    /// 党费: the ledger on `as_of`.
    pub dues: DuesFacts<'a>,
    /// On the books, out of contact, suspended, or off the books.
    pub standing: Standing,
    /// The membership's clocks and the record's confirmation.
    pub life: Vec<LifeFinding>,
}

impl<'a> MemberFacts<'a> {
    fn derive(m: &'a Member, office: &Office, as_of: NaiveDate) -> Self {
        let rules = &office.org.rules;
        let birth = birth_date(m);
        let departures: Vec<DepartureFacts<'a>> = m
            .departures
            .iter()
            .map(|d| {
                let started = d.start.value <= as_of;
                let returned = d.returned.as_ref().map(|r| r.value).filter(|r| *r <= as_of);
                DepartureFacts {
                    departure: d,
                    started,
                    away: started && returned.is_none(),
                    returned,
                    handling: Handling::of(d, as_of),
                    card_back: d.card_returned.as_ref().map(|c| c.value).filter(|c| *c <= as_of),
                    rule: decide_on(d, rules, as_of),
                }
            })
            .collect();
        // The departure in progress: the latest start wins if the data has more than one.
        let current = departures
            .iter()
            .enumerate()
            .filter(|(_, d)| d.away)
            .max_by_key(|(_, d)| d.departure.start.value)
            .map(|(i, _)| i);
        let whereabouts = match current.map(|i| &departures[i].handling) {
            None => Whereabouts::AtHome,
            Some(Handling::Transferred { .. }) => Whereabouts::TransferredOut,
            Some(_) => Whereabouts::Away,
        };
        let standing = Standing::on(m, as_of);
        let mut found = findings(m, as_of, rules);
        for f in &departures {
            found.extend(disagreements(m, f.departure, &f.handling, &f.rule, as_of, rules));
        }
        // Off the books: nothing more to chase or to plan; the history stays.
        if standing.off_books() {
            found.clear();
        }
        let mut dues = DuesFacts::derive(m, as_of, rules);
        // Off the books or suspended: no arrears to chase; months paid
        // ahead beyond a death are still the branch's to settle.
        if matches!(standing, Standing::OffBooks { .. } | Standing::Suspended { .. }) {
            dues.findings.retain(|f| f.issue == crate::rules::dues::DuesIssue::PaidAfterLeaving);
        }
        // Visits are for members who can be reached.
        let visits = match standing {
            Standing::OnBooks => assess(m, as_of, rules, whereabouts, birth),
            _ => None,
        };
        // Departure by departure, in the file's order, the rule's disagreements first.
        let order = |d: &Departure| m.departures.iter().position(|x| std::ptr::eq(x, d)).unwrap_or(usize::MAX);
        found.sort_by_key(|f| (order(f.departure), f.kind));
        Self {
            member: m,
            birth,
            age: birth.map(|b| age_on(b, as_of)),
            whereabouts,
            situation: Situation::of(standing, whereabouts),
            visits,
            departures,
            current,
            findings: found,
            dues,
            standing,
            life: life_findings(m, as_of, rules),
        }
    }

    /// The departure in progress on `as_of`.
    pub fn current(&self) -> Option<&DepartureFacts<'a>> {
        self.current.map(|i| &self.departures[i])
    }

    /// Away on a trip that is not near home (R5): to be phoned or written
    /// to rather than met, and listed as away.
    pub fn away_far(&self) -> bool {
        self.whereabouts == Whereabouts::Away && self.current().is_some_and(|d| !d.near_home())
    }

    /// The latest departure that has started, current or past.
    pub fn latest(&self) -> Option<&DepartureFacts<'a>> {
        self.departures.iter().filter(|d| d.started).max_by_key(|d| d.departure.start.value)
    }

    /// The facts of departure `d` of this member.
    pub fn of(&self, d: &Departure) -> &DepartureFacts<'a> {
        self.departures.iter().find(|x| std::ptr::eq(x.departure, d)).expect("a departure of this member")
    }

    /// What needs attention about the departure in progress, each once, in order.
    pub fn attention(&self) -> Vec<Attention> {
        let Some(current) = self.current() else { return Vec::new() };
        let mut v: Vec<Attention> = self
            .findings
            .iter()
            .filter(|f| std::ptr::eq(f.departure, current.departure))
            .filter_map(|f| Attention::of(f.kind))
            .collect();
        if self.dues.in_arrears() {
            v.push(Attention::DuesOwed);
        }
        v.sort();
        v.dedup();
        v
    }

    /// The last time the member away was heard from: the contact log since
    /// the departure started, or the older keys on the departure.
    pub fn last_heard(&self) -> Option<NaiveDate> {
        let d = self.current()?.departure;
        let logged = self.member.contacts.iter().map(|c| c.date.value).filter(|c| *c >= d.start.value);
        [d.last_contact.as_ref(), d.last_report.as_ref()].into_iter().flatten().map(|x| x.value).chain(logged).max()
    }

    /// The findings of one kind.
    pub fn findings_of(&self, kind: FindingKind) -> impl Iterator<Item = &Finding<'a>> {
        self.findings.iter().filter(move |f| f.kind == kind)
    }
}

/// Everything derived for one run.
#[derive(Debug)]
pub struct Facts<'a> {
    pub office: &'a Office,
    pub as_of: NaiveDate,
    members: Vec<MemberFacts<'a>>,
    /// Member address → index, so that a `&Member` finds its facts.
    index: HashMap<usize, usize>,
}

impl<'a> Facts<'a> {
    pub fn derive(office: &'a Office, as_of: NaiveDate) -> Self {
        let members: Vec<MemberFacts<'a>> =
            office.members.iter().map(|m| MemberFacts::derive(m, office, as_of)).collect();
        let index = office.members.iter().enumerate().map(|(i, m)| (m as *const Member as usize, i)).collect();
        Self { office, as_of, members, index }
    }

    /// The facts of member `m` of this office.
    pub fn of(&self, m: &Member) -> &MemberFacts<'a> {
        &self.members[self.index[&(m as *const Member as usize)]]
    }

    /// The facts of the members on the books on `as_of`, in the order of
    /// the office's members. A member who died or left is not among them:
    /// every letter, visit plan, card, list and dues line is made from
    /// these, so none can include such a member.
    pub fn members(&self) -> impl Iterator<Item = &MemberFacts<'a>> {
        self.members.iter().filter(|f| !f.standing.off_books())
    }

    /// The members on the books in print order (branch, group, id).
    pub fn in_print_order(&self) -> Vec<&MemberFacts<'a>> {
        self.everyone_in_print_order().into_iter().filter(|f| !f.standing.off_books()).collect()
    }

    /// Every member including those off the books (the register's archive,
    /// the Excel register, `check`), in print order.
    pub fn everyone_in_print_order(&self) -> Vec<&MemberFacts<'a>> {
        self.office.members_in_print_order().into_iter().map(|m| self.of(m)).collect()
    }

    /// The members off the books on `as_of`, in print order.
    pub fn archive(&self) -> Vec<&MemberFacts<'a>> {
        self.everyone_in_print_order().into_iter().filter(|f| f.standing.off_books()).collect()
    }
}
