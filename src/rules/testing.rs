//! Test helpers for the rules: dates, located values, a departure, and a
//! member read from YAML the way member files are read.

use chrono::NaiveDate;

use crate::diag::Pos;
use crate::office::{Departure, Destination, Member};
use crate::yaml::Located;

/// A value at no particular place in a file.
pub fn at<T>(v: T) -> Located<T> {
    Located::new(v, Pos::default())
}

/// "2026-11-26" as a date.
pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A departure from `start` to `end`, at a fixed place or not, near home or not.
pub fn departure(start: &str, end: Option<&str>, fixed: bool, near: bool) -> Departure {
    Departure {
        pos: Pos::default(),
        id: at("W1".into()),
        applied: None,
        reason: None,
        destination: Destination::default(),
        receiving_org: None,
        receiving_contact: None,
        receiving_phone: None,
        start: at(date(start)),
        planned_end: end.map(|e| at(date(e))),
        fixed_location: Some(at(fixed)),
        near_home: Some(at(near)),
        phone_away: None,
        card_number: None,
        card_issued: None,
        transfer: None,
        transfer_date: None,
        filed: None,
        returned: None,
        card_returned: None,
        report: None,
        dues_paid_to: None,
        last_contact: None,
        last_report: None,
        can_transfer: None,
        arrived: None,
        card_handed: None,
        card_reviewed: None,
    }
}

/// A member living in 杭州市 whose only departure is `d`.
pub fn member_away(d: Departure) -> Member {
    let mut m = member("1950-03-05", "");
    m.departures = vec![d];
    m
}

/// A member with the required fields, born on `birth`, plus `extra` YAML
/// lines (which may override `joined_party`; later keys are not allowed, so
/// give the admission date through `joined`).
pub fn member_joined(birth: &str, joined: &str, extra: &str) -> Member {
    let text = format!(
        "id: a\nname: 张三\nsex: 男\nethnicity: 汉族\nid_number: \"330105195003051214\"\nbirth_date: {birth}\nnative_place: 浙江\naddress: 杭州市西湖区文三路 1 号\njoined_party: {joined}\nbranch: b1\n{extra}"
    );
    let file = std::path::Path::new("t.yaml");
    let node = crate::yaml::parse(file, &text).unwrap().unwrap();
    let diags = std::cell::RefCell::new(crate::diag::Diagnostics::default());
    let f = crate::yaml::Fields::new(file, &node, crate::office::MEMBER_KEYS, "", &diags).unwrap();
    let m = crate::office::read_member(f, file.into());
    assert!(!diags.borrow().has_errors(), "{:?}", diags.borrow().sorted());
    m
}

/// [`member_joined`], admitted on 1975-07-01 (no probation).
pub fn member(birth: &str, extra: &str) -> Member {
    member_joined(birth, "1975-07-01", extra)
}
