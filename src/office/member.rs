//! One member file (`data/members/**.yaml`): a retired Party member, their
//! contacts, their living situation, their departures and the visits made.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::TransferKind;
use crate::yaml::{Fields, Located};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FamilyContact {
    pub name: Located<String>,
    pub relation: Option<Located<String>>,
    pub phone: Option<Located<String>>,
}

/// 健康状况. `status` is one of [`Health::STATUSES`].
#[derive(Debug, Clone)]
pub struct Health {
    /// Where the `health:` key is written.
    pub pos: crate::diag::Pos,
    pub status: Option<Located<String>>,
    pub since: Option<Located<NaiveDate>>,
    pub notes: Option<Located<String>>,
}

impl Health {
    pub const STATUSES: &[&str] = &["良好", "一般", "慢性病", "重病"];
    pub fn is_serious(&self) -> bool {
        self.status.as_ref().is_some_and(|s| s.value == "重病")
    }
}

/// 生活困难. `level` is one of [`Hardship::LEVELS`].
#[derive(Debug, Clone)]
pub struct Hardship {
    /// Where the `hardship:` key is written.
    pub pos: crate::diag::Pos,
    pub level: Option<Located<String>>,
    pub since: Option<Located<NaiveDate>>,
    pub notes: Option<Located<String>>,
}

impl Hardship {
    pub const LEVELS: &[&str] = &["低保", "特困", "一般困难"];
}

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
}

impl Departure {
    pub const TRANSFER_KINDS: &[&str] = &["临时", "正式"];
}

/// 走访记录 with the three questions (三问).
#[derive(Debug, Clone)]
pub struct Visit {
    pub date: Located<NaiveDate>,
    pub kind: Located<String>,
    pub by: Option<Located<String>>,
    pub difficulties: Option<Located<String>>,
    pub suggestions: Option<Located<String>>,
    pub plans: Option<Located<String>>,
    pub follow_up: Option<Located<String>>,
}

impl Visit {
    pub const KINDS: &[&str] = &["上门", "电话", "书信"];
}

#[derive(Debug, Clone)]
pub struct Member {
    pub file: PathBuf,
    pub id: Located<String>,
    pub name: Located<String>,
    pub sex: Located<Sex>,
    pub ethnicity: Located<String>,
    pub id_number: Located<String>,
    pub birth_date: Option<Located<NaiveDate>>,
    pub native_place: Located<String>,
    pub address: Located<String>,
    pub postcode: Option<Located<String>>,
    pub in_city: bool,
    pub home_phone: Option<Located<String>>,
    pub mobile: Option<Located<String>>,
    pub family_contacts: Vec<FamilyContact>,
    pub education: Option<Located<String>>,
    pub joined_party: Located<NaiveDate>,
    pub full_member: Option<Located<NaiveDate>>,
    pub retired: Option<Located<NaiveDate>>,
    pub former_unit: Option<Located<String>>,
    pub branch: Located<String>,
    pub group: Option<Located<String>>,
    pub living: Option<Located<String>>,
    pub health: Option<Health>,
    pub hardship: Option<Hardship>,
    pub pension: Option<Located<f64>>,
    pub notes: Option<Located<String>>,
    pub departures: Vec<Departure>,
    pub visits: Vec<Visit>,
    /// Greeting letters go by post even when the member is at home.
    pub receive_mail: bool,
    /// Required keys that were missing or invalid (already reported). Their
    /// fields hold placeholders, so checks skip them; such a member never
    /// reaches a document because the run stops on the error.
    pub unreadable: Vec<&'static str>,
}

impl Member {
    /// Whether required field `key` was read; checks skip unreadable ones.
    pub fn readable(&self, key: &str) -> bool {
        !self.unreadable.contains(&key)
    }
}

pub const MEMBER_KEYS: &[(&str, &str)] = &[
    ("id", "编号"),
    ("name", "姓名"),
    ("sex", "性别"),
    ("ethnicity", "民族"),
    ("id_number", "公民身份号码"),
    ("birth_date", "出生日期"),
    ("native_place", "籍贯"),
    ("address", "家庭住址"),
    ("postcode", "邮政编码"),
    ("in_city", "是否居住在市内"),
    ("home_phone", "住宅电话"),
    ("mobile", "手机"),
    ("family_contacts", "家属联系人"),
    ("education", "学历"),
    ("joined_party", "入党日期"),
    ("full_member", "转正日期"),
    ("retired", "退休日期"),
    ("former_unit", "原工作单位"),
    ("branch", "所在党支部"),
    ("group", "所在党小组"),
    ("living", "生活状况"),
    ("health", "健康状况"),
    ("hardship", "生活困难"),
    ("pension", "月基本养老金"),
    ("notes", "备注"),
    ("departures", "外出登记"),
    ("visits", "走访记录"),
    ("receive_mail", "节日慰问信邮寄"),
];
const FAMILY_KEYS: &[(&str, &str)] = &[("name", "姓名"), ("relation", "关系"), ("phone", "电话")];
const HEALTH_KEYS: &[(&str, &str)] = &[("status", "状况"), ("since", "起始日期"), ("notes", "说明")];
const HARDSHIP_KEYS: &[(&str, &str)] = &[("level", "困难程度"), ("since", "登记日期"), ("notes", "说明")];
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
];
pub const VISIT_KEYS: &[(&str, &str)] = &[
    ("date", "日期"),
    ("kind", "方式"),
    ("by", "走访人"),
    ("difficulties", "困难"),
    ("suggestions", "建议"),
    ("plans", "打算"),
    ("follow_up", "后续跟进"),
];

/// Read one member file. A member is returned even when required fields are
/// missing or invalid (listed in `unreadable`), so that the rest of the file
/// is still checked in the same run.
pub fn read_member(f: Fields, file: PathBuf) -> Member {
    let mut unreadable = Vec::new();
    let here = f.pos;
    let mut need = |key: &'static str, v: Option<Located<String>>| {
        v.unwrap_or_else(|| {
            unreadable.push(key);
            Located::new(String::new(), here)
        })
    };
    let id = need("id", f.req_text("id", "a001"));
    let name = need("name", f.req_text("name", "张三"));
    let sex_text = match f.node("sex") {
        Some(_) => f.choice("sex", &["男", "女"]),
        None => f.req_text("sex", "男"),
    };
    let sex_text = need("sex", sex_text);
    let sex = Located::new(if sex_text.value == "女" { Sex::Female } else { Sex::Male }, sex_text.pos);
    let ethnicity = need("ethnicity", f.req_text("ethnicity", "汉族"));
    let id_number = need("id_number", f.req_text("id_number", "\"11010519491231002X\""));
    let birth_date = f.date("birth_date");
    let native_place = need("native_place", f.req_text("native_place", "浙江宁波"));
    let address = need("address", f.req_text("address", "杭州市上城区清波街道某某路 12 号 3 幢 201 室"));
    let postcode = f.text("postcode");
    let in_city = f.flag("in_city").map(|b| b.value).unwrap_or(true);
    let home_phone = f.text("home_phone");
    let mobile = f.text("mobile");
    let family_contacts = f
        .map_list("family_contacts", FAMILY_KEYS)
        .into_iter()
        .filter_map(|c| {
            let (name, relation, phone) = (c.req_text("name", "张小明"), c.text("relation"), c.text("phone"));
            c.finish();
            Some(FamilyContact { name: name?, relation, phone })
        })
        .collect();
    let education = f.text("education");
    let joined_party = f.req_date("joined_party");
    let full_member = f.date("full_member");
    let retired = f.date("retired");
    let former_unit = f.text("former_unit");
    let branch = need("branch", f.req_text("branch", "b1"));
    let group = f.text("group");
    let living = f.text("living");
    let health = f.map("health", HEALTH_KEYS).map(|h| {
        let pos = f.key_pos("health").unwrap_or(h.pos);
        let v = Health {
            pos,
            status: h.choice("status", Health::STATUSES),
            since: h.date("since"),
            notes: h.text("notes"),
        };
        h.finish();
        v
    });
    let hardship = f.map("hardship", HARDSHIP_KEYS).map(|h| {
        let pos = f.key_pos("hardship").unwrap_or(h.pos);
        let v = Hardship {
            pos,
            level: h.choice("level", Hardship::LEVELS),
            since: h.date("since"),
            notes: h.text("notes"),
        };
        h.finish();
        v
    });
    let pension = f.amount("pension");
    let notes = f.text("notes");
    let departures = f.map_list("departures", DEPARTURE_KEYS).into_iter().filter_map(read_departure).collect();
    let visits = f.map_list("visits", VISIT_KEYS).into_iter().filter_map(read_visit).collect();
    let receive_mail = f.flag("receive_mail").is_some_and(|b| b.value);
    f.finish();
    let joined_party = joined_party.unwrap_or_else(|| {
        unreadable.push("joined_party");
        Located::new(NaiveDate::MIN, here)
    });
    Member {
        file,
        id,
        name,
        sex,
        ethnicity,
        id_number,
        birth_date,
        native_place,
        address,
        postcode,
        in_city,
        home_phone,
        mobile,
        family_contacts,
        education,
        joined_party,
        full_member,
        retired,
        former_unit,
        branch,
        group,
        living,
        health,
        hardship,
        pension,
        notes,
        departures,
        visits,
        receive_mail,
        unreadable,
    }
}

fn read_departure(d: Fields) -> Option<Departure> {
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
        let kind = x.choice("kind", Departure::TRANSFER_KINDS).map(|k| k.map(|zh| TransferKind::from_zh(&zh)));
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
    })
}

fn read_visit(v: Fields) -> Option<Visit> {
    let date = v.req_date("date");
    let kind = v.choice("kind", Visit::KINDS);
    if v.node("kind").is_none() {
        v.req_text("kind", "上门");
    }
    let visit =
        (date, kind, v.text("by"), v.text("difficulties"), v.text("suggestions"), v.text("plans"), v.text("follow_up"));
    v.finish();
    let (date, kind, by, difficulties, suggestions, plans, follow_up) = visit;
    Some(Visit { date: date?, kind: kind?, by, difficulties, suggestions, plans, follow_up })
}
