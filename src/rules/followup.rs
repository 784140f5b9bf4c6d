//! Follow-up findings on departures (R9, R10, §1.2): what the branch must
//! chase. Reported by `check` as warnings and listed in the filing report.

use chrono::{Datelike, Months, NaiveDate};

use crate::diag::Pos;
use crate::office::{Departure, Member, RuleSettings};
use crate::zh::zh_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FindingKind {
    /// Past the planned end, no return recorded.
    Overdue,
    /// Returned, contact card not handed back (R10).
    CardNotReturned,
    /// Returned, no report on the time away (R10).
    NoReport,
    /// No contact for `contact_months` or more (R8: keep in touch).
    NoRecentContact,
    /// No contact for `out_of_contact_months` or more (失联).
    OutOfContact,
    /// R9: `arrival_days` after the start, no arrival recorded.
    NotArrived,
    /// R9: arrived `arrival_days` ago, the card not handed to the receiving organisation.
    CardNotHanded,
    /// §1.2: the card's yearly check (年审) with the 民主评议 is due.
    CardReviewDue,
    /// Away over a year without a report within the year.
    NoYearlyReport,
    /// R7: a card is due and none is recorded.
    CardDue,
    /// R6: a transfer is due (also a short plan that has lasted) and none is recorded.
    TransferDue,
    /// R6: a card was issued for a stay whose relationship should be transferred.
    CardInsteadOfTransfer,
    /// R6/R7: a transfer is recorded for a stay the rule gives a card.
    TransferOnShortStay,
    /// R5: a card is recorded for a near-home trip.
    CardOnNearTrip,
    /// R5: a near-home trip whose destination is another city.
    NearHomeFarAway,
    /// R4: not filed with the higher organisation.
    NotFiled,
}

impl FindingKind {
    /// What the clerk records once it is followed up.
    pub fn hint(self) -> &'static str {
        match self {
            FindingKind::Overdue => "联系本人核实：已返回的补记 `returned:` 返回日期；延期的改 `planned_end:`",
            FindingKind::CardNotReturned => "收回联系卡后写 `card_returned:` 日期",
            FindingKind::NoReport => "听取汇报后写 `report:` 汇报内容",
            FindingKind::NoRecentContact => {
                "联系后在 `contacts:` 加一项（date 日期、channel 电话/微信/书信/上门/其他、by 联系人、summary 情况）"
            }
            FindingKind::OutOfContact => {
                "联系上后在 `contacts:` 记一笔；多方寻找仍联系不上的，写 `status:`（kind: 失联、date: 失联日期），满 6 个月按规定停止党籍"
            }
            FindingKind::NotArrived => "问清到达日期后写 `arrived:`",
            FindingKind::CardNotHanded => "联系卡交给接收地党组织后写 `card_handed:` 日期",
            FindingKind::CardReviewDue => {
                "年审（查验）和民主评议后写 `card_reviewed:` 日期；`tuiguan reviews` 生成各支部年审名单"
            }
            FindingKind::NoYearlyReport => "收到汇报后写 `last_report:` 日期",
            FindingKind::CardDue => "发卡后在这次外出下写 `card:`（number 卡号、issued 发卡日期）",
            FindingKind::TransferDue | FindingKind::CardInsteadOfTransfer => {
                "转出后写 `transfer:`（kind 临时/正式、date 转出日期）；暂不能转出的写 `can_transfer: false`"
            }
            FindingKind::TransferOnShortStay => "核对 `planned_end`、`fixed_location`；确未转出的删去 `transfer:`",
            FindingKind::CardOnNearTrip => "核对 `near_home`，或删除 `card:`",
            FindingKind::NearHomeFarAway => "去外地的不是就近外出：改为 `near_home: false`，按规定发卡或转出",
            FindingKind::NotFiled => "备案后写 `filed:` 备案日期；`tuiguan report` 生成备案报告",
        }
    }

    /// The rule of docs/domain.md the finding follows.
    pub fn rule(self) -> &'static str {
        match self {
            FindingKind::Overdue => "R9",
            FindingKind::CardNotReturned | FindingKind::NoReport => "R10",
            FindingKind::OutOfContact | FindingKind::NoYearlyReport | FindingKind::NoRecentContact => "R8",
            FindingKind::NotArrived | FindingKind::CardNotHanded => "R9",
            FindingKind::CardReviewDue => "§1.2",
            FindingKind::CardDue | FindingKind::TransferOnShortStay => "R7",
            FindingKind::TransferDue | FindingKind::CardInsteadOfTransfer => "R6",
            FindingKind::CardOnNearTrip | FindingKind::NearHomeFarAway => "R5",
            FindingKind::NotFiled => "R4",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            FindingKind::Overdue => "逾期未归",
            FindingKind::CardNotReturned => "联系卡未交回",
            FindingKind::NoReport => "未作外出汇报",
            FindingKind::NoRecentContact => "久未联系",
            FindingKind::OutOfContact => "失去联系",
            FindingKind::NotArrived => "未登记到达",
            FindingKind::CardNotHanded => "联系卡未交接收地",
            FindingKind::CardReviewDue => "联系卡年审到期",
            FindingKind::NoYearlyReport => "未作年度汇报",
            FindingKind::CardDue => "应发联系卡未发",
            FindingKind::TransferDue => "应转组织关系未转",
            FindingKind::CardInsteadOfTransfer => "应转组织关系而发放联系卡",
            FindingKind::TransferOnShortStay => "不需转出而登记转出",
            FindingKind::CardOnNearTrip => "就近外出而发放联系卡",
            FindingKind::NearHomeFarAway => "登记为就近外出但去往外地",
            FindingKind::NotFiled => "未备案",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Finding<'a> {
    pub member: &'a Member,
    pub departure: &'a Departure,
    pub kind: FindingKind,
    /// What is wrong, in words.
    pub text: String,
    /// Where in the member file to look.
    pub pos: Pos,
}

/// Completed calendar months from `from` to `to` (0 if `to` is earlier).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut n = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if from.checked_add_months(Months::new(n.max(0) as u32)).is_some_and(|d| d > to) {
        n -= 1;
    }
    n.max(0) as u32
}

/// The day a card's next yearly check (年审) is due: a year after the
/// last one, or after it was issued.
pub fn card_review_due(d: &Departure) -> NaiveDate {
    let from = d.card_reviewed.as_ref().or(d.card_issued.as_ref()).map_or(d.start.value, |x| x.value);
    from.checked_add_months(Months::new(12)).unwrap_or(from)
}

pub fn findings<'a>(m: &'a Member, as_of: NaiveDate, rules: &RuleSettings) -> Vec<Finding<'a>> {
    let mut out = Vec::new();
    for d in &m.departures {
        let mut add = |kind, text: String, pos| out.push(Finding { member: m, departure: d, kind, text, pos });
        if d.start.value > as_of {
            continue;
        }
        if let Some(r) = &d.returned
            && r.value <= as_of
        {
            if d.card_number.is_some() && d.card_returned.is_none() {
                add(
                    FindingKind::CardNotReturned,
                    format!("已于{}返回，联系卡尚未交回支部查验", zh_date(r.value)),
                    r.pos,
                );
            }
            if d.report.is_none() && !d.near_home.as_ref().is_some_and(|n| n.value) {
                add(
                    FindingKind::NoReport,
                    format!("已于{}返回，尚未如实汇报外出期间的思想和活动情况", zh_date(r.value)),
                    r.pos,
                );
            }
            continue;
        }
        // Away on `as_of`. A transferred relationship is looked after by the receiving organisation.
        if d.transfer_date.as_ref().is_some_and(|t| t.value <= as_of) {
            continue;
        }
        if let Some(end) = &d.planned_end
            && end.value < as_of
        {
            let days = (as_of - end.value).num_days();
            add(FindingKind::Overdue, format!("预计{}返回，已超过{days}天，仍未登记返回", zh_date(end.value)), end.pos);
        }
        // Heard from: the contact log since the start, or the older keys on the departure.
        let logged = m.contacts.iter().filter(|c| c.date.value >= d.start.value && c.date.value <= as_of);
        let last = [d.last_contact.as_ref(), d.last_report.as_ref()]
            .into_iter()
            .flatten()
            .map(|x| x.value)
            .chain(logged.map(|c| c.date.value))
            .max();
        let since = last.unwrap_or(d.start.value);
        let silent = months_between(since, as_of);
        let near = d.near_home.as_ref().is_some_and(|n| n.value);
        let pos = d.last_contact.as_ref().map_or(d.start.pos, |c| c.pos);
        if silent >= rules.out_of_contact_months {
            add(FindingKind::OutOfContact, format!("自{}起已{silent}个月没有联系上", zh_date(since)), pos);
        } else if silent >= rules.contact_months && !near {
            add(
                FindingKind::NoRecentContact,
                format!("自{}起已{silent}个月没有联系，应定期了解思想和生活情况、传达党的重要精神", zh_date(since)),
                pos,
            );
        }
        let days = (as_of - d.start.value).num_days();
        if !near && d.arrived.is_none() && days >= i64::from(rules.arrival_days) {
            add(FindingKind::NotArrived, format!("外出已{days}天，尚未登记到达日期"), d.start.pos);
        }
        if let Some(issued) = &d.card_issued {
            let from = d.arrived.as_ref().map_or(d.start.value, |a| a.value);
            let days = (as_of - from).num_days();
            if d.card_handed.is_none() && days >= i64::from(rules.arrival_days) {
                let since = if d.arrived.is_some() { "到达" } else { "外出" };
                add(
                    FindingKind::CardNotHanded,
                    format!("{since}已{days}天，尚未登记联系卡交给接收地党组织的日期"),
                    d.arrived.as_ref().map_or(issued.pos, |a| a.pos),
                );
            }
            let due = card_review_due(d);
            if due <= as_of {
                let pos = d.card_reviewed.as_ref().map_or(issued.pos, |r| r.pos);
                add(FindingKind::CardReviewDue, format!("联系卡应于{}前年审（查验）并参加民主评议", zh_date(due)), pos);
            }
        }
        let year = rules.yearly_report_months;
        if months_between(d.start.value, as_of) >= year
            && d.last_report.as_ref().is_none_or(|r| months_between(r.value, as_of) >= year)
        {
            let pos = d.last_report.as_ref().map_or(d.start.pos, |r| r.pos);
            add(FindingKind::NoYearlyReport, format!("外出已满{year}个月，{year}个月内没有向支部汇报"), pos);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::Member;
    use crate::rules::testing::{at, date, departure, member_away as member_with};

    /// The findings on `as_of` of a departure that arrived the day after it started.
    fn kinds(mut d: Departure, as_of: &str) -> Vec<FindingKind> {
        d.arrived = Some(at(d.start.value.succ_opt().unwrap()));
        let m = member_with(d);
        findings(&m, date(as_of), &RuleSettings::default()).iter().map(|f| f.kind).collect()
    }

    fn recent(mut d: Departure, on: &str) -> Departure {
        d.last_contact = Some(at(date(on)));
        d.last_report = Some(at(date(on)));
        d
    }

    #[test]
    fn overdue_from_the_day_after_the_planned_end() {
        let d = recent(departure("2026-06-01", Some("2026-11-25"), true, false), "2026-11-01");
        assert_eq!(kinds(d.clone(), "2026-11-25"), []);
        assert_eq!(kinds(d, "2026-11-26"), [FindingKind::Overdue]);
    }

    #[test]
    fn returned_without_card_or_report() {
        let mut d = departure("2026-05-01", Some("2026-09-30"), true, false);
        d.card_number = Some(at("LK1".into()));
        d.returned = Some(at(date("2026-09-20")));
        assert_eq!(kinds(d.clone(), "2026-11-26"), [FindingKind::CardNotReturned, FindingKind::NoReport]);
        d.card_returned = Some(at(date("2026-09-25")));
        d.report = Some(at("汇报".into()));
        assert_eq!(kinds(d, "2026-11-26"), []);
    }

    #[test]
    fn r10_a_near_home_trip_is_not_asked_for_a_report() {
        let mut d = departure("2026-05-01", Some("2026-05-20"), false, true);
        d.returned = Some(at(date("2026-05-20")));
        assert_eq!(kinds(d, "2026-11-26"), []);
    }

    #[test]
    fn out_of_contact_after_six_months() {
        let mut d = departure("2026-01-10", Some("2027-06-01"), false, false);
        d.last_contact = Some(at(date("2026-05-27")));
        d.last_report = Some(at(date("2026-05-27")));
        // Five months: a reminder to keep in touch (R8), not yet 失联.
        assert_eq!(kinds(d.clone(), "2026-11-26"), [FindingKind::NoRecentContact]);
        d.last_contact = Some(at(date("2026-05-26")));
        d.last_report = Some(at(date("2026-05-26")));
        assert_eq!(kinds(d, "2026-11-26"), [FindingKind::OutOfContact]);
    }

    #[test]
    fn yearly_report_needed_after_a_year_away() {
        let mut d = departure("2025-11-26", Some("2027-06-01"), false, false);
        d.last_contact = Some(at(date("2026-11-20")));
        assert_eq!(kinds(d.clone(), "2026-11-25"), []);
        assert_eq!(kinds(d.clone(), "2026-11-26"), [FindingKind::NoYearlyReport]);
        d.last_report = Some(at(date("2026-03-01")));
        assert_eq!(kinds(d, "2026-11-26"), []);
    }

    #[test]
    fn r8_contact_every_three_months_from_the_log_too() {
        let mut d = departure("2026-06-01", Some("2027-06-01"), false, false);
        d.last_contact = Some(at(date("2026-08-27")));
        assert_eq!(kinds(d.clone(), "2026-11-26"), []);
        assert_eq!(kinds(d.clone(), "2026-11-27"), [FindingKind::NoRecentContact]);
        // A contact in the member's log counts.
        let mut m = member_with(d.clone());
        m.departures[0].arrived = Some(at(date("2026-06-02")));
        m.contacts.push(crate::office::Contact {
            date: at(date("2026-11-01")),
            channel: at(crate::office::Channel::WeChat),
            by: None,
            summary: None,
        });
        assert!(findings(&m, date("2026-11-27"), &RuleSettings::default()).is_empty());
        // Near home: no reminder.
        d.near_home = Some(at(true));
        assert_eq!(kinds(d, "2026-11-27"), []);
    }

    #[test]
    fn r9_arrival_and_the_card_handed_over_within_thirty_days() {
        let mut d = departure("2026-10-27", Some("2027-03-01"), false, false);
        d.last_contact = Some(at(date("2026-11-20")));
        d.card_number = Some(at("LK1".into()));
        d.card_issued = Some(at(date("2026-10-25")));
        let m = member_with(d.clone());
        let on = |m: &Member, s: &str| -> Vec<FindingKind> {
            findings(m, date(s), &RuleSettings::default()).iter().map(|f| f.kind).collect()
        };
        assert_eq!(on(&m, "2026-11-25"), []);
        assert_eq!(on(&m, "2026-11-26"), [FindingKind::NotArrived, FindingKind::CardNotHanded]);
        let mut m = member_with(d);
        m.departures[0].arrived = Some(at(date("2026-10-29")));
        assert_eq!(on(&m, "2026-11-27"), []);
        assert_eq!(on(&m, "2026-11-28"), [FindingKind::CardNotHanded]);
        m.departures[0].card_handed = Some(at(date("2026-11-02")));
        assert_eq!(on(&m, "2026-11-28"), []);
        // The yearly check: a year after issue, then a year after the last one.
        let review = |m: &Member, s: &str| on(m, s).contains(&FindingKind::CardReviewDue);
        assert!(!review(&m, "2027-10-24"));
        assert!(review(&m, "2027-10-25"));
        m.departures[0].card_reviewed = Some(at(date("2027-10-20")));
        assert!(!review(&m, "2028-10-19"));
        assert!(review(&m, "2028-10-20"));
    }

    #[test]
    fn transferred_relationship_is_not_chased() {
        let mut d = departure("2025-01-01", Some("2026-01-01"), true, false);
        d.transfer_date = Some(at(date("2025-01-10")));
        assert_eq!(kinds(d, "2026-11-26"), []);
    }

    #[test]
    fn month_arithmetic() {
        assert_eq!(months_between(date("2026-05-26"), date("2026-11-26")), 6);
        assert_eq!(months_between(date("2026-05-27"), date("2026-11-26")), 5);
        assert_eq!(months_between(date("2026-08-31"), date("2027-02-28")), 6);
    }
}
