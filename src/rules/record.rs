//! What the office recorded for a departure, and where it disagrees with
//! the rule (R4–R7). Documents print the record; `check` and the filing
//! report list every disagreement, naming the rule.

use chrono::NaiveDate;

use super::departure::{Decision, Ruling};
use super::followup::{Finding, FindingKind};
use super::places::home_city;
use crate::office::Word;
use crate::office::{Departure, Member, RuleSettings, TransferKind};

/// 处理方式 as recorded in the member file on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handling {
    /// `transfer:` with a date on or before the day: the relationship has moved.
    Transferred { kind: TransferKind, date: NaiveDate },
    /// `transfer:` without a date (or with a later one): decided, not done yet.
    TransferPending { kind: TransferKind },
    /// `card:` recorded (number, issue date, either or both).
    Card { number: Option<String>, issued: Option<NaiveDate> },
    /// `near_home: true` and nothing else recorded: no card (R5).
    NearHome,
    /// Nothing recorded yet.
    Unrecorded,
}

impl Handling {
    /// The handling recorded for `d` on `as_of`. A recorded transfer wins
    /// over a card issued earlier on the same trip.
    pub fn of(d: &Departure, as_of: NaiveDate) -> Self {
        if let Some(kind) = &d.transfer {
            return match &d.transfer_date {
                Some(t) if t.value <= as_of => Handling::Transferred { kind: kind.value, date: t.value },
                _ => Handling::TransferPending { kind: kind.value },
            };
        }
        if d.card_number.is_some() || d.card_issued.is_some() {
            return Handling::Card {
                number: d.card_number.as_ref().map(|c| c.value.clone()),
                issued: d.card_issued.as_ref().map(|c| c.value),
            };
        }
        if d.near_home.as_ref().is_some_and(|n| n.value) {
            return Handling::NearHome;
        }
        Handling::Unrecorded
    }

    /// What was done, without number or date: "发放联系卡", "转出正式组织关系".
    pub fn label(&self) -> String {
        match self {
            Handling::Transferred { kind, .. } => format!("转出{}组织关系", kind.zh()),
            Handling::TransferPending { kind } => format!("拟转出{}组织关系，尚未办理", kind.zh()),
            Handling::Card { .. } => "发放联系卡".into(),
            Handling::NearHome => "临时就近外出，不发联系卡".into(),
            Handling::Unrecorded => "尚未登记处理方式".into(),
        }
    }

    /// The card number, if one is recorded.
    pub fn number(&self) -> Option<&str> {
        match self {
            Handling::Card { number, .. } => number.as_deref(),
            _ => None,
        }
    }

    /// The date it was done (card issued, relationship transferred) and the
    /// word that follows it ("发" for a card; none for a transfer, whose
    /// label already says it).
    pub fn dated(&self) -> Option<(NaiveDate, &'static str)> {
        match self {
            Handling::Card { issued: Some(i), .. } => Some((*i, "发")),
            Handling::Transferred { date, .. } => Some((*date, "")),
            _ => None,
        }
    }

    /// "发放联系卡（LK-2026-003，2026年10月12日发）", for forms and messages.
    pub fn zh(&self) -> String {
        let mut parts: Vec<String> = self.number().map(str::to_string).into_iter().collect();
        match self.dated() {
            Some((d, "发")) => parts.push(format!("{}发", crate::zh::zh_date(d))),
            Some((d, _)) => parts.push(crate::zh::zh_date(d)),
            None => {}
        }
        if parts.is_empty() { self.label() } else { format!("{}（{}）", self.label(), parts.join("，")) }
    }
}

/// Where the record and the rule disagree for one departure, on `as_of`.
/// `ruling` is the rule's decision on that day (a short plan that has
/// lasted is already reclassified).
pub fn disagreements<'a>(
    m: &'a Member,
    d: &'a Departure,
    handling: &Handling,
    ruling: &Ruling,
    as_of: NaiveDate,
    rules: &RuleSettings,
) -> Vec<Finding<'a>> {
    let mut out = Vec::new();
    let mut add = |kind, text: String, pos| out.push(Finding { member: m, departure: d, kind, text, pos });
    let started = d.start.value <= as_of;
    let away = started && d.returned.as_ref().is_none_or(|r| r.value > as_of);
    let card_pos = d.card_number.as_ref().map(|c| c.pos).or(d.card_issued.as_ref().map(|c| c.pos)).unwrap_or(d.pos);
    let transfer_pos = d.transfer.as_ref().map_or(d.pos, |t| t.pos);
    let why = &ruling.reason;
    match (&ruling.decision, handling) {
        (Decision::ContactCard, Handling::Unrecorded) if away => {
            add(FindingKind::CardDue, format!("按规定应发放联系卡（{why}），尚未登记卡号"), d.id.pos);
        }
        (Decision::Transfer(_), Handling::Unrecorded | Handling::TransferPending { .. }) if away => {
            add(FindingKind::TransferDue, format!("按规定应转出组织关系（{why}），尚未办理转出"), d.id.pos);
        }
        (Decision::Transfer(_), Handling::Card { .. }) if away => {
            add(
                FindingKind::CardInsteadOfTransfer,
                format!("登记的是发放联系卡，但按规定应转出组织关系（{why}）"),
                card_pos,
            );
        }
        (Decision::ContactCard | Decision::NoCard, Handling::Transferred { .. } | Handling::TransferPending { .. }) => {
            add(
                FindingKind::TransferOnShortStay,
                format!("登记了转出组织关系，但按规定不需转出（{why}）"),
                transfer_pos,
            );
        }
        (Decision::NoCard, Handling::Card { .. }) => {
            add(FindingKind::CardOnNearTrip, format!("登记了联系卡，但按规定不发卡（{why}）"), card_pos);
        }
        _ => {}
    }
    if d.near_home.as_ref().is_some_and(|n| n.value)
        && let Some(city) = &d.destination.city
        && let Some(home) = home_city(&m.address.value)
        && city.value.trim() != home
    {
        add(
            FindingKind::NearHomeFarAway,
            format!("登记为临时就近外出，去向却是{}，不在{home}", d.destination.region()),
            city.pos,
        );
    }
    let window_start = as_of - chrono::Days::new(u64::from(rules.filing_window_days));
    if started && d.filed.is_none() && *handling != Handling::NearHome && (away || d.start.value >= window_start) {
        add(FindingKind::NotFiled, "尚未报上级党组织备案".to_string(), d.id.pos);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::departure::decide_on;
    use crate::rules::testing::{at, date, departure, member_away};

    fn kinds(d: &Departure, as_of: &str) -> Vec<FindingKind> {
        let m = member_away(d.clone());
        let d = &m.departures[0];
        let rules = RuleSettings::default();
        let ruling = decide_on(d, &rules, date(as_of));
        let handling = Handling::of(d, date(as_of));
        disagreements(&m, d, &handling, &ruling, date(as_of), &rules).iter().map(|f| f.kind).collect()
    }
    fn filed(mut d: Departure) -> Departure {
        d.filed = Some(at(date("2026-01-01")));
        d
    }

    #[test]
    fn a_recorded_transfer_wins_over_an_earlier_card() {
        let mut d = departure("2026-03-01", Some("2026-06-01"), true, false);
        d.card_number = Some(at("LK-1".into()));
        d.transfer = Some(at(TransferKind::Formal));
        assert_eq!(Handling::of(&d, date("2026-11-26")), Handling::TransferPending { kind: TransferKind::Formal });
        d.transfer_date = Some(at(date("2026-04-01")));
        assert_eq!(
            Handling::of(&d, date("2026-11-26")),
            Handling::Transferred { kind: TransferKind::Formal, date: date("2026-04-01") }
        );
        // Before the transfer date it is still pending.
        assert_eq!(Handling::of(&d, date("2026-03-31")), Handling::TransferPending { kind: TransferKind::Formal });
    }

    #[test]
    fn handling_in_words() {
        let card = Handling::Card { number: Some("LK-3".into()), issued: Some(date("2026-10-12")) };
        assert_eq!(card.zh(), "发放联系卡（LK-3，2026年10月12日发）");
        let t = Handling::Transferred { kind: TransferKind::Temporary, date: date("2026-09-01") };
        assert_eq!(t.zh(), "转出临时组织关系（2026年9月1日）");
    }

    #[test]
    fn r7_transfer_recorded_for_a_three_month_trip() {
        let mut d = filed(departure("2026-09-01", Some("2026-12-01"), true, false));
        d.transfer = Some(at(TransferKind::Formal));
        d.transfer_date = Some(at(date("2026-09-05")));
        assert_eq!(kinds(&d, "2026-11-26"), [FindingKind::TransferOnShortStay]);
    }

    #[test]
    fn r6_card_issued_for_a_stay_that_should_transfer() {
        let mut d = filed(departure("2026-09-01", Some("2027-06-01"), true, false));
        d.card_number = Some(at("LK-9".into()));
        assert_eq!(kinds(&d, "2026-11-26"), [FindingKind::CardInsteadOfTransfer]);
        // A planned transfer not done yet is still due.
        d.card_number = None;
        d.transfer = Some(at(TransferKind::Temporary));
        assert_eq!(kinds(&d, "2026-11-26"), [FindingKind::TransferDue]);
    }

    #[test]
    fn r6_a_three_month_plan_that_has_lasted_nine_is_due_to_transfer() {
        let mut d = filed(departure("2026-02-20", Some("2026-05-20"), true, false));
        d.card_number = Some(at("LK-4".into()));
        assert_eq!(kinds(&d, "2026-08-19"), []);
        assert_eq!(kinds(&d, "2026-11-26"), [FindingKind::CardInsteadOfTransfer]);
    }

    #[test]
    fn r7_card_due_and_r5_near_home_checks() {
        let d = filed(departure("2026-10-01", Some("2026-12-01"), false, false));
        assert_eq!(kinds(&d, "2026-11-26"), [FindingKind::CardDue]);
        let mut near = filed(departure("2026-10-01", Some("2026-10-20"), false, true));
        near.card_number = Some(at("LK-5".into()));
        assert_eq!(kinds(&near, "2026-11-26"), [FindingKind::CardOnNearTrip]);
        near.card_number = None;
        near.destination.city = Some(at("深圳市".into()));
        assert_eq!(kinds(&near, "2026-11-26"), [FindingKind::NearHomeFarAway]);
        near.destination.city = Some(at("杭州市".into()));
        assert_eq!(kinds(&near, "2026-11-26"), []);
    }

    #[test]
    fn r4_not_filed_only_while_away_or_inside_the_filing_window() {
        let mut d = departure("2026-01-01", Some("2026-02-01"), false, false);
        d.card_number = Some(at("LK-6".into()));
        d.returned = Some(at(date("2026-02-01")));
        // Returned, started 329 days ago: outside the 90-day window.
        assert_eq!(kinds(&d, "2026-11-26"), []);
        // Started 90 days before: inside.
        assert_eq!(kinds(&d, "2026-03-31"), [FindingKind::NotFiled]);
        // Still away: always.
        d.returned = None;
        d.planned_end = Some(at(date("2027-01-01")));
        assert!(kinds(&d, "2026-11-26").contains(&FindingKind::NotFiled));
    }
}
