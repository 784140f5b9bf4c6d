//! 外出登记: one outing of a member, as read from the member file's
//! `departures:` list.

use chrono::NaiveDate;

use super::TransferKind;
use super::words::read_word;
use crate::yaml::{Fields, Located};

#[derive(Debug, Clone, Default)]
pub struct Destination {
    pub province: Option<Located<String>>,
    pub city: Option<Located<String>>,
    pub county: Option<Located<String>>,
    pub address: Option<Located<String>>,
    pub postcode: Option<Located<String>>,
}

impl Destination {
    /// "省市县" as one string, skipping what is missing; a municipality
    /// (上海市 上海市) is written once.
    pub fn region(&self) -> String {
        self.region_to(3)
    }

    /// The region down to `levels` of province, city and county (1: the
    /// province only, 2: to the city), a municipality written once.
    pub fn region_to(&self, levels: usize) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for s in [&self.province, &self.city, &self.county].into_iter().take(levels).flatten() {
            if parts.last() != Some(&s.value.as_str()) {
                parts.push(&s.value);
            }
        }
        parts.concat()
    }
}

/// 外出登记: one outing. The full workflow (decision, cards, filing) reads
/// these fields; the foundation only reads, checks and shows them.
#[derive(Debug, Clone)]
pub struct Departure {
    pub pos: crate::diag::Pos,
    pub id: Located<String>,
    pub applied: Option<Located<NaiveDate>>,
    pub reason: Option<Located<String>>,
    pub destination: Destination,
    pub receiving_org: Option<Located<String>>,
    pub receiving_contact: Option<Located<String>>,
    pub receiving_phone: Option<Located<String>>,
    pub start: Located<NaiveDate>,
    pub planned_end: Option<Located<NaiveDate>>,
    pub fixed_location: Option<Located<bool>>,
    pub near_home: Option<Located<bool>>,
    pub phone_away: Option<Located<String>>,
    pub card_number: Option<Located<String>>,
    pub card_issued: Option<Located<NaiveDate>>,
    pub transfer: Option<Located<TransferKind>>,
    pub transfer_date: Option<Located<NaiveDate>>,
    pub filed: Option<Located<NaiveDate>>,
    pub returned: Option<Located<NaiveDate>>,
    pub card_returned: Option<Located<NaiveDate>>,
    pub report: Option<Located<String>>,
    pub dues_paid_to: Option<Located<(i32, u32)>>,
    pub last_contact: Option<Located<NaiveDate>>,
    /// When the member last reported on their time away (at least yearly).
    pub last_report: Option<Located<NaiveDate>>,
    /// false: a long stay whose relationship cannot be transferred yet (R7).
    pub can_transfer: Option<Located<bool>>,
    /// Arrived at the destination (R9).
    pub arrived: Option<Located<NaiveDate>>,
    /// The contact card handed to the receiving organisation (R9).
    pub card_handed: Option<Located<NaiveDate>>,
    /// The card's last yearly check (年审), with the 民主评议.
    pub card_reviewed: Option<Located<NaiveDate>>,
}

const DESTINATION_KEYS: &[(&str, &str)] =
    &[("province", "省"), ("city", "市"), ("county", "县（区）"), ("address", "详细地址"), ("postcode", "邮政编码")];
const RECEIVING_KEYS: &[(&str, &str)] = &[("name", "名称"), ("contact", "联系人"), ("phone", "电话")];
const CARD_KEYS: &[(&str, &str)] = &[("number", "卡号"), ("issued", "发卡日期")];
const TRANSFER_KEYS: &[(&str, &str)] = &[("kind", "类型"), ("date", "转出日期")];
pub const DEPARTURE_KEYS: &[(&str, &str)] = &[
    ("id", "外出编号"),
    ("applied", "申请日期"),
    ("reason", "外出理由"),
    ("destination", "去向"),
    ("receiving_org", "接收党组织"),
    ("start", "外出日期"),
    ("planned_end", "预计返回日期"),
    ("fixed_location", "地点是否固定"),
    ("near_home", "是否临时近距离外出"),
    ("phone_away", "外出期间联系电话"),
    ("card", "联系卡"),
    ("transfer", "组织关系转出"),
    ("filed", "备案日期"),
    ("returned", "返回日期"),
    ("card_returned", "交回联系卡日期"),
    ("report", "外出情况汇报"),
    ("dues_paid_to", "党费交至"),
    ("last_contact", "最近联系日期"),
    ("last_report", "最近一次汇报日期"),
    ("can_transfer", "能否转出组织关系"),
    ("arrived", "到达日期"),
    ("card_handed", "联系卡交接收地党组织日期"),
    ("card_reviewed", "联系卡年审日期"),
];

pub(super) fn read_departure(d: Fields) -> Option<Departure> {
    let destination = d.map("destination", DESTINATION_KEYS).map(|x| {
        let v = Destination {
            province: x.text("province"),
            city: x.text("city"),
            county: x.text("county"),
            address: x.text("address"),
            postcode: x.text("postcode"),
        };
        x.finish();
        v
    });
    let receiving = d.map("receiving_org", RECEIVING_KEYS).map(|x| {
        let v = (x.text("name"), x.text("contact"), x.text("phone"));
        x.finish();
        v
    });
    let card = d.map("card", CARD_KEYS).map(|x| {
        let v = (x.text("number"), x.date("issued"));
        x.finish();
        v
    });
    let transfer = d.map("transfer", TRANSFER_KEYS).map(|x| {
        let kind: Option<Located<TransferKind>> = read_word(&x, "kind");
        let v = (kind, x.date("date"));
        x.finish();
        v
    });
    let (receiving_org, receiving_contact, receiving_phone) = receiving.unwrap_or_default();
    let (card_number, card_issued) = card.unwrap_or_default();
    let (transfer, transfer_date) = transfer.unwrap_or_default();
    let pos = d.pos;
    let id = d.req_text("id", "W2026-01");
    let start = d.req_date("start");
    let (applied, reason, planned_end) = (d.date("applied"), d.text("reason"), d.date("planned_end"));
    let (fixed_location, near_home, phone_away) = (d.flag("fixed_location"), d.flag("near_home"), d.text("phone_away"));
    let (filed, returned, card_returned) = (d.date("filed"), d.date("returned"), d.date("card_returned"));
    let (report, dues_paid_to, last_contact) = (d.text("report"), d.month("dues_paid_to"), d.date("last_contact"));
    let (last_report, can_transfer) = (d.date("last_report"), d.flag("can_transfer"));
    let (arrived, card_handed, card_reviewed) = (d.date("arrived"), d.date("card_handed"), d.date("card_reviewed"));
    d.finish();
    Some(Departure {
        pos,
        id: id?,
        applied,
        reason,
        destination: destination.unwrap_or_default(),
        receiving_org,
        receiving_contact,
        receiving_phone,
        start: start?,
        planned_end,
        fixed_location,
        near_home,
        phone_away,
        card_number,
        card_issued,
        transfer,
        transfer_date,
        filed,
        returned,
        card_returned,
        report,
        dues_paid_to,
        last_contact,
        last_report,
        can_transfer,
        arrived,
        card_handed,
        card_reviewed,
    })
}

/// The first `{prefix}{n}` (n from 1, at least `width` digits) not in
/// `taken`: a departure's W2026-07, a card's LK2026-012.
pub fn first_free_number(prefix: &str, width: usize, taken: &std::collections::HashSet<String>) -> String {
    (1..).map(|n| format!("{prefix}{n:0width$}")).find(|id| !taken.contains(id)).expect("an unbounded range finds one")
}
