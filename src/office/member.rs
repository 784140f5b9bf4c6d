//! One member file (`data/members/**.yaml`): a retired Party member, their
//! contacts, their living situation, their departures and the visits made.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::departure::{DEPARTURE_KEYS, Departure, read_departure};
use super::dues::{DUES_KEYS, Dues, read_dues};
use super::id_number::{IdError, IdNumber, parse_id_number};
use super::member_status::{
    CONTACT_KEYS, Contact, MemberStatus, STATUS_KEYS, SUBSIDY_KEYS, Subsidy, read_contact, read_status, read_subsidy,
};
use super::words::{HardshipLevel, HealthStatus, VisitKind, read_word};
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

/// 健康状况.
#[derive(Debug, Clone)]
pub struct Health {
    /// Where the `health:` key is written.
    pub pos: crate::diag::Pos,
    pub status: Option<Located<HealthStatus>>,
    pub since: Option<Located<NaiveDate>>,
    pub notes: Option<Located<String>>,
}

impl Health {
    pub fn is_serious(&self) -> bool {
        self.status.as_ref().is_some_and(|s| s.value == HealthStatus::Serious)
    }
}

/// 生活困难.
#[derive(Debug, Clone)]
pub struct Hardship {
    /// Where the `hardship:` key is written.
    pub pos: crate::diag::Pos,
    pub level: Option<Located<HardshipLevel>>,
    pub since: Option<Located<NaiveDate>>,
    pub notes: Option<Located<String>>,
}

/// 走访记录 with the three questions (三问).
#[derive(Debug, Clone)]
pub struct Visit {
    pub date: Located<NaiveDate>,
    pub kind: Located<VisitKind>,
    pub by: Option<Located<String>>,
    pub difficulties: Option<Located<String>>,
    pub suggestions: Option<Located<String>>,
    pub plans: Option<Located<String>>,
    pub follow_up: Option<Located<String>>,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub file: PathBuf,
    pub id: Located<String>,
    pub name: Located<String>,
    pub sex: Located<Sex>,
    pub ethnicity: Located<String>,
    /// As written (for messages and for the import's comparisons).
    pub id_number: Located<String>,
    /// The same, parsed once when the file is read (`check` reports the error).
    pub id_parsed: Result<IdNumber, IdError>,
    pub birth_date: Option<Located<NaiveDate>>,
    pub native_place: Located<String>,
    pub address: Located<String>,
    pub postcode: Option<Located<String>>,
    pub in_city: bool,
    pub home_phone: Option<Located<String>>,
    pub mobile: Option<Located<String>>,
    pub family_contacts: Vec<FamilyContact>,
    pub education: Option<Located<String>>,
    /// None when unreadable, or left blank to complete (`to_complete`).
    pub joined_party: Option<Located<NaiveDate>>,
    pub full_member: Option<Located<NaiveDate>>,
    pub retired: Option<Located<NaiveDate>>,
    pub former_unit: Option<Located<String>>,
    pub branch: Located<String>,
    pub group: Option<Located<String>>,
    pub living: Option<Located<String>>,
    pub health: Option<Health>,
    pub hardship: Option<Hardship>,
    pub pension: Option<Located<f64>>,
    /// 党费: category, yearly bases, reductions, payments.
    pub dues: Dues,
    pub notes: Option<Located<String>>,
    pub departures: Vec<Departure>,
    pub visits: Vec<Visit>,
    /// 党籍状态: None while simply on the books (boxed: few members have
    /// one, and unboxed it would take 208 bytes in every member).
    pub status: Option<Box<MemberStatus>>,
    /// 联系记录 (R8): every contact with the member, any channel.
    pub contacts: Vec<Contact>,
    /// When the member or the family last checked the record (R2).
    pub confirmed: Option<Located<NaiveDate>>,
    /// 重病补助 applications (R18).
    pub subsidies: Vec<Subsidy>,
    /// Greeting letters go by post even when the member is at home.
    pub receive_mail: bool,
    /// Required keys that were missing or invalid (already reported). Their
    /// fields hold placeholders, so checks skip them; such a member never
    /// reaches a document because the run stops on the error.
    pub unreadable: Vec<&'static str>,
    /// Keys written blank on purpose (`native_place:`), as an import writes
    /// what the office's register did not have: printed blank, to be filled
    /// in by hand; `check` reminds. Text fields hold "", `joined_party` None.
    pub to_complete: Vec<(&'static str, crate::diag::Pos)>,
}

impl Member {
    /// Whether required field `key` was read; checks skip unreadable ones.
    pub fn readable(&self, key: &str) -> bool {
        !self.unreadable.contains(&key) && !self.is_to_complete(key)
    }

    /// Whether `key` was left blank to be completed by hand.
    pub fn is_to_complete(&self, key: &str) -> bool {
        self.to_complete.iter().any(|(k, _)| *k == key)
    }

    /// The ID number as printed: normalised (18 digits, upper-case X) when
    /// valid, else as written.
    pub fn id_number_printed(&self) -> String {
        self.id_parsed.as_ref().map_or_else(|_| self.id_number.value.clone(), |v| v.normalized.clone())
    }
}

/// The Chinese name of member key `key` ("native_place" → 籍贯).
pub fn label_of(key: &str) -> &'static str {
    MEMBER_KEYS.iter().find(|(k, _)| *k == key).map_or("", |(_, zh)| zh)
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
    ("dues", "党费"),
    ("notes", "备注"),
    ("departures", "外出登记"),
    ("visits", "走访记录"),
    ("receive_mail", "节日慰问信邮寄"),
    ("status", "党籍状态"),
    ("contacts", "联系记录"),
    ("confirmed", "信息核对日期"),
    ("subsidies", "重病补助"),
];
const FAMILY_KEYS: &[(&str, &str)] = &[("name", "姓名"), ("relation", "关系"), ("phone", "电话")];
const HEALTH_KEYS: &[(&str, &str)] = &[("status", "状况"), ("since", "起始日期"), ("notes", "说明")];
const HARDSHIP_KEYS: &[(&str, &str)] = &[("level", "困难程度"), ("since", "登记日期"), ("notes", "说明")];
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
    let mut g = Gaps { here: f.pos, unreadable: Vec::new(), to_complete: Vec::new() };
    let id = g.need("id", f.req_text("id", "a001"));
    let name = g.need("name", f.req_text("name", "张三"));
    let id_number = g.need("id_number", f.req_text("id_number", "\"11010519491231002X\""));
    let id_parsed = parse_id_number(&id_number.value);
    let sex = read_sex(&f, &id_parsed, |v| g.need("sex", v));
    let ethnicity = g.text_or_blank(&f, "ethnicity", "汉族");
    let birth_date = f.date("birth_date");
    let native_place = g.text_or_blank(&f, "native_place", "浙江宁波");
    let address = g.text_or_blank(&f, "address", "杭州市上城区清波街道某某路 12 号 3 幢 201 室");
    let postcode = f.text("postcode");
    let in_city = f.flag("in_city").map(|b| b.value).unwrap_or(true);
    let home_phone = f.text("home_phone");
    let mobile = f.text("mobile");
    let family_contacts = f.read_list("family_contacts", FAMILY_KEYS, |c| {
        let (name, relation, phone) = (c.req_text("name", "张小明"), c.text("relation"), c.text("phone"));
        c.finish();
        Some(FamilyContact { name: name?, relation, phone })
    });
    let education = f.text("education");
    let joined_party = match f.blank("joined_party") {
        Some(pos) => {
            g.to_complete.push(("joined_party", pos));
            None
        }
        None => f.req_date("joined_party"),
    };
    let full_member = f.date("full_member");
    let retired = f.date("retired");
    let former_unit = f.text("former_unit");
    let branch = g.need("branch", f.req_text("branch", "b1"));
    let group = f.text("group");
    let living = f.text("living");
    let (health, hardship) = (read_health(&f), read_hardship(&f));
    let pension = f.amount("pension");
    let dues = f
        .map("dues", DUES_KEYS)
        .map(|d| {
            let pos = f.key_pos("dues").unwrap_or(d.pos);
            read_dues(d, pos)
        })
        .unwrap_or_default();
    let notes = f.text("notes");
    let departures = f.read_list("departures", DEPARTURE_KEYS, read_departure);
    let visits = f.read_list("visits", VISIT_KEYS, read_visit);
    let receive_mail = f.flag("receive_mail").is_some_and(|b| b.value);
    let status = f.map("status", STATUS_KEYS).and_then(|x| {
        let pos = f.key_pos("status").unwrap_or(x.pos);
        read_status(x, pos).map(Box::new)
    });
    let contacts = f.read_list("contacts", CONTACT_KEYS, read_contact);
    let confirmed = f.date("confirmed");
    let subsidies = f.read_list("subsidies", SUBSIDY_KEYS, read_subsidy);
    f.finish();
    if joined_party.is_none() && !g.to_complete.iter().any(|(k, _)| *k == "joined_party") {
        g.unreadable.push("joined_party");
    }
    let Gaps { unreadable, to_complete, .. } = g;
    Member {
        file,
        id,
        name,
        sex,
        ethnicity,
        id_parsed,
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
        dues,
        notes,
        departures,
        visits,
        status,
        contacts,
        confirmed,
        subsidies,
        receive_mail,
        unreadable,
        to_complete,
    }
}

/// What reading a member file found wanting: required fields missing or
/// unreadable (the member is still returned, with blanks, so that the rest
/// of the file is checked in the same run), and fields written with nothing
/// after the colon — known to be missing, printed blank for filling in by
/// hand, and reminded of by `check`.
struct Gaps {
    here: crate::diag::Pos,
    unreadable: Vec<&'static str>,
    to_complete: Vec<(&'static str, crate::diag::Pos)>,
}

impl Gaps {
    fn need(&mut self, key: &'static str, v: Option<Located<String>>) -> Located<String> {
        v.unwrap_or_else(|| {
            self.unreadable.push(key);
            Located::new(String::new(), self.here)
        })
    }

    /// A required text, or a blank to complete by hand.
    fn text_or_blank(&mut self, f: &Fields, key: &'static str, example: &str) -> Located<String> {
        match f.blank(key) {
            Some(pos) => {
                self.to_complete.push((key, pos));
                Located::new(String::new(), pos)
            }
            None => self.need(key, f.req_text(key, example)),
        }
    }
}

/// 性别: a blank one is the ID number's; without a valid ID number it is
/// missing (`need` says so and gives a blank).
fn read_sex(
    f: &Fields,
    id_parsed: &Result<IdNumber, IdError>,
    need: impl FnOnce(Option<Located<String>>) -> Located<String>,
) -> Located<Sex> {
    if let (Some(pos), Ok(v)) = (f.blank("sex"), id_parsed) {
        return Located::new(v.sex, pos);
    }
    let sex_text = match f.node("sex") {
        Some(_) => f.choice("sex", &["男", "女"]),
        None => f.req_text("sex", "男"),
    };
    let sex_text = need(sex_text);
    Located::new(if sex_text.value == "女" { Sex::Female } else { Sex::Male }, sex_text.pos)
}

fn read_health(f: &Fields) -> Option<Health> {
    f.map("health", HEALTH_KEYS).map(|h| {
        let pos = f.key_pos("health").unwrap_or(h.pos);
        let v = Health { pos, status: read_word(&h, "status"), since: h.date("since"), notes: h.text("notes") };
        h.finish();
        v
    })
}

fn read_hardship(f: &Fields) -> Option<Hardship> {
    f.map("hardship", HARDSHIP_KEYS).map(|h| {
        let pos = f.key_pos("hardship").unwrap_or(h.pos);
        let v = Hardship { pos, level: read_word(&h, "level"), since: h.date("since"), notes: h.text("notes") };
        h.finish();
        v
    })
}

fn read_visit(v: Fields) -> Option<Visit> {
    let date = v.req_date("date");
    let kind = read_word::<VisitKind>(&v, "kind");
    if v.node("kind").is_none() {
        v.req_text("kind", "上门");
    }
    let visit =
        (date, kind, v.text("by"), v.text("difficulties"), v.text("suggestions"), v.text("plans"), v.text("follow_up"));
    v.finish();
    let (date, kind, by, difficulties, suggestions, plans, follow_up) = visit;
    Some(Visit { date: date?, kind: kind?, by, difficulties, suggestions, plans, follow_up })
}
