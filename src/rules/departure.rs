//! The departure decision (R5–R7): no card for a temporary trip near home;
//! transfer the organisational relationship for a long stay with a fixed
//! location; otherwise issue a contact card (联系卡).

use chrono::{Months, NaiveDate};

use crate::office::Word;
use crate::office::{Departure, RuleSettings, TransferKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// 临时性、间断性外出且离家较近: no card, keeps attending the home branch.
    NoCard,
    /// 转出组织关系.
    Transfer(TransferKind),
    /// 发放离退休流动党员联系卡.
    ContactCard,
}

impl Decision {
    pub fn zh(self) -> String {
        match self {
            Decision::NoCard => "不发联系卡（照常参加支部活动）".to_string(),
            Decision::Transfer(k) => format!("转出{}组织关系", k.zh()),
            Decision::ContactCard => "发放联系卡".to_string(),
        }
    }
}

/// The decision and the reason, in words for the forms and `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ruling {
    pub decision: Decision,
    pub reason: String,
}

/// Whether a stay from `start` to `end` is "long": `months` or more
/// (exactly `months` counts as long when `exact_is_long`).
pub fn is_long_stay(start: NaiveDate, end: NaiveDate, months: u32, exact_is_long: bool) -> bool {
    let Some(boundary) = start.checked_add_months(Months::new(months)) else { return false };
    if exact_is_long { end >= boundary } else { end > boundary }
}

pub fn decide(d: &Departure, rules: &RuleSettings) -> Ruling {
    let months = rules.long_stay_months;
    if d.near_home.as_ref().is_some_and(|v| v.value) {
        return Ruling {
            decision: Decision::NoCard,
            reason: "临时性、间断性外出且离家较近，不发联系卡，照常参加本支部组织生活".into(),
        };
    }
    let Some(end) = &d.planned_end else {
        return Ruling {
            decision: Decision::ContactCard,
            reason: "未填写预计返回日期，外出时间不明，先发放联系卡".into(),
        };
    };
    let long = is_long_stay(d.start.value, end.value, months, rules.exact_boundary_is_long);
    let fixed = d.fixed_location.as_ref().is_some_and(|v| v.value);
    let can_transfer = d.can_transfer.as_ref().is_none_or(|v| v.value);
    let span = if long { format!("外出{months}个月以上") } else { format!("外出不足{months}个月") };
    match (long, fixed, can_transfer) {
        (true, true, true) => Ruling {
            decision: Decision::Transfer(rules.transfer_kind),
            reason: format!("{span}且地点相对固定，应转出{}组织关系", rules.transfer_kind.zh()),
        },
        (true, true, false) => Ruling {
            decision: Decision::ContactCard,
            reason: format!("{span}且地点固定，但暂不能转出组织关系，发放联系卡"),
        },
        (true, false, _) => {
            Ruling { decision: Decision::ContactCard, reason: format!("{span}但地点不固定，发放联系卡") }
        }
        (false, _, _) => Ruling { decision: Decision::ContactCard, reason: format!("{span}，发放联系卡") },
    }
}

/// The decision on `as_of` (R6): as [`decide`] on the plan, except that a
/// member still away at a fixed location whose stay has already become long
/// — a short plan that has lasted — is now due to transfer the relationship.
pub fn decide_on(d: &Departure, rules: &RuleSettings, as_of: NaiveDate) -> Ruling {
    let planned = decide(d, rules);
    let away = d.start.value <= as_of && d.returned.as_ref().is_none_or(|r| r.value > as_of);
    let fixed = d.fixed_location.as_ref().is_some_and(|v| v.value);
    let can_transfer = d.can_transfer.as_ref().is_none_or(|v| v.value);
    let near = d.near_home.as_ref().is_some_and(|v| v.value);
    let months = rules.long_stay_months;
    if planned.decision == Decision::ContactCard
        && away
        && fixed
        && can_transfer
        && !near
        && is_long_stay(d.start.value, as_of, months, rules.exact_boundary_is_long)
    {
        let kind = rules.transfer_kind.zh();
        let plan = match &d.planned_end {
            Some(e) => format!("原计划{}返回", crate::zh::zh_date(e.value)),
            None => "原未定返回日期".to_string(),
        };
        return Ruling {
            decision: Decision::Transfer(rules.transfer_kind),
            reason: format!("{plan}，现已在外{months}个月以上且地点固定，应转出{kind}组织关系"),
        };
    }
    planned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{at, date, departure};

    fn decision(d: &Departure) -> Decision {
        decide(d, &RuleSettings::default()).decision
    }

    #[test]
    fn exactly_six_months_with_fixed_location_transfers() {
        let d = departure("2026-03-10", Some("2026-09-10"), true, false);
        assert_eq!(decision(&d), Decision::Transfer(TransferKind::Temporary));
        let day_less = departure("2026-03-10", Some("2026-09-09"), true, false);
        assert_eq!(decision(&day_less), Decision::ContactCard);
    }

    #[test]
    fn exact_boundary_can_be_configured_as_short() {
        let rules = RuleSettings { exact_boundary_is_long: false, ..RuleSettings::default() };
        let d = departure("2026-03-10", Some("2026-09-10"), true, false);
        assert_eq!(decide(&d, &rules).decision, Decision::ContactCard);
        let day_more = departure("2026-03-10", Some("2026-09-11"), true, false);
        assert_eq!(decide(&day_more, &rules).decision, Decision::Transfer(TransferKind::Temporary));
    }

    #[test]
    fn month_end_start_uses_calendar_months() {
        // 31 August + 6 months = 28 February (no 31 February).
        let d = departure("2026-08-31", Some("2027-02-28"), true, false);
        assert_eq!(decision(&d), Decision::Transfer(TransferKind::Temporary));
    }

    #[test]
    fn long_stay_without_fixed_location_gets_a_card() {
        let d = departure("2026-01-01", Some("2027-01-01"), false, false);
        assert_eq!(decision(&d), Decision::ContactCard);
        assert!(decide(&d, &RuleSettings::default()).reason.contains("地点不固定"));
    }

    #[test]
    fn long_stay_that_cannot_transfer_yet_gets_a_card() {
        let mut d = departure("2026-01-01", Some("2027-01-01"), true, false);
        d.can_transfer = Some(at(false));
        assert_eq!(decision(&d), Decision::ContactCard);
    }

    #[test]
    fn near_home_trip_gets_no_card_whatever_its_length() {
        let d = departure("2026-01-01", Some("2027-01-01"), true, true);
        assert_eq!(decision(&d), Decision::NoCard);
    }

    #[test]
    fn formal_transfer_is_configurable() {
        let rules = RuleSettings { transfer_kind: TransferKind::Formal, ..RuleSettings::default() };
        let d = departure("2026-01-01", Some("2027-01-01"), true, false);
        assert_eq!(decide(&d, &rules).decision, Decision::Transfer(TransferKind::Formal));
        assert_eq!(Decision::Transfer(TransferKind::Formal).zh(), "转出正式组织关系");
    }

    #[test]
    fn r6_a_short_plan_that_has_lasted_long_at_a_fixed_place_is_due_to_transfer() {
        let rules = RuleSettings::default();
        let d = departure("2026-02-20", Some("2026-05-20"), true, false);
        assert_eq!(decide(&d, &rules).decision, Decision::ContactCard);
        // The day before six months: still a card; from six months on: transfer.
        assert_eq!(decide_on(&d, &rules, date("2026-08-19")).decision, Decision::ContactCard);
        let now = decide_on(&d, &rules, date("2026-08-20"));
        assert_eq!(now.decision, Decision::Transfer(TransferKind::Temporary));
        assert!(now.reason.contains("原计划2026年5月20日返回"), "{}", now.reason);
        // Back home, or not at a fixed place, or near home: the plan stands.
        let mut back = d.clone();
        back.returned = Some(at(date("2026-11-01")));
        assert_eq!(decide_on(&back, &rules, date("2026-11-26")).decision, Decision::ContactCard);
        let roaming = departure("2026-02-20", Some("2026-05-20"), false, false);
        assert_eq!(decide_on(&roaming, &rules, date("2026-11-26")).decision, Decision::ContactCard);
        let near = departure("2026-02-20", Some("2026-05-20"), true, true);
        assert_eq!(decide_on(&near, &rules, date("2026-11-26")).decision, Decision::NoCard);
    }

    #[test]
    fn unknown_end_gets_a_card() {
        let d = departure("2026-01-01", None, true, false);
        assert_eq!(decision(&d), Decision::ContactCard);
    }
}
