//! Where a member is on a given day: at home, away (流动), or with the
//! organisational relationship transferred out.

use chrono::NaiveDate;

use crate::office::{Departure, Member};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whereabouts {
    AtHome,
    Away,
    TransferredOut,
}

impl Whereabouts {
    pub fn zh(self) -> &'static str {
        match self {
            Whereabouts::AtHome => "在家",
            Whereabouts::Away => "外出",
            Whereabouts::TransferredOut => "已转出",
        }
    }
}

/// The departure in progress on `as_of`: started, not yet returned. The latest
/// start wins if the data has more than one.
pub fn current_departure(m: &Member, as_of: NaiveDate) -> Option<&Departure> {
    m.departures
        .iter()
        .filter(|d| d.start.value <= as_of && d.returned.as_ref().is_none_or(|r| r.value > as_of))
        .max_by_key(|d| d.start.value)
}

pub fn whereabouts(m: &Member, as_of: NaiveDate) -> Whereabouts {
    match current_departure(m, as_of) {
        None => Whereabouts::AtHome,
        Some(d) if d.transfer_date.as_ref().is_some_and(|t| t.value <= as_of) => Whereabouts::TransferredOut,
        Some(_) => Whereabouts::Away,
    }
}
