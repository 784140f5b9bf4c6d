//! The desk's records as forms: each field read and checked as `check`
//! checks it, an error at the field in Chinese, and the item a member file
//! gets, in the keys and words of docs/data-format.md.
//!
//! Which fields each record asks for: [`fields`]; one typed value read:
//! [`values`]; a whole form read: [`reading`].

mod fields;
mod reading;
mod values;

use std::collections::BTreeMap;

use serde::Serialize;

pub use reading::{read, read_fields};
pub use values::typed_date;

/// Which record a form makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// 登记走访, with the 三问.
    Visit,
    /// 登记联系: the contact log with a member away.
    Contact,
    /// 登记外出: the departure, the rule's decision, and the card it calls for.
    Departure,
    /// 信息核对: the member or family checked the record (`confirmed:`).
    Confirm,
    /// 党籍: died, transferred away, out of contact, suspended; or back in contact.
    Status,
    /// 交党费: a payment, its amount computed by the rules when left blank.
    Dues,
    /// 登记到达: arrived at the destination, the card handed over there.
    Arrive,
    /// 登记返回: back home, the card taken back, the report.
    Return,
    /// 登记补助: an application for the serious-illness subsidy, its decision.
    Subsidy,
    /// 添加家属联系人.
    Family,
    /// 修改基本情况: address, phones, health, hardship, pension… (the
    /// identity — name, ID number, branch — is not changed here).
    Basic,
}

/// The 党籍 word that takes a 失联 or 停止党籍 back (the `status:` goes).
pub const BACK_IN_CONTACT: &str = "恢复联系";

/// One field of a form: its key in the member file, its label, whether it
/// must be filled, and the words it takes (empty: free text or a date).
#[derive(Debug, Clone, Serialize)]
pub struct FieldSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub choices: Vec<String>,
    pub date: bool,
    /// A date that may lie ahead (a departure registered before leaving).
    pub ahead: bool,
    pub long: bool,
    pub hint: &'static str,
}

/// A field of free text on one line (no choices, not a date).
pub(super) fn field(key: &'static str, label: &'static str, required: bool, hint: &'static str) -> FieldSpec {
    FieldSpec { key, label, required, choices: Vec::new(), date: false, ahead: false, long: false, hint }
}

impl Record {
    /// From the path's word (`/m/<id>/visit`).
    pub fn from_path(word: &str) -> Option<Self> {
        match word {
            "visit" => Some(Record::Visit),
            "contact" => Some(Record::Contact),
            "departure" => Some(Record::Departure),
            "confirm" => Some(Record::Confirm),
            "status" => Some(Record::Status),
            "dues" => Some(Record::Dues),
            "arrive" => Some(Record::Arrive),
            "return" => Some(Record::Return),
            "subsidy" => Some(Record::Subsidy),
            "family" => Some(Record::Family),
            "basic" => Some(Record::Basic),
            _ => None,
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Record::Visit => "visit",
            Record::Contact => "contact",
            Record::Departure => "departure",
            Record::Confirm => "confirm",
            Record::Status => "status",
            Record::Dues => "dues",
            Record::Arrive => "arrive",
            Record::Return => "return",
            Record::Subsidy => "subsidy",
            Record::Family => "family",
            Record::Basic => "basic",
        }
    }

    /// The list in the member file the record goes to.
    pub fn list(self) -> &'static str {
        match self {
            Record::Visit => "visits",
            Record::Contact => "contacts",
            Record::Departure => "departures",
            Record::Confirm => "confirmed",
            Record::Status => "status",
            Record::Dues => "dues.payments",
            Record::Arrive | Record::Return => "departures",
            Record::Subsidy => "subsidies",
            Record::Family => "family_contacts",
            Record::Basic => "",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Record::Visit => "走访",
            Record::Contact => "联系",
            Record::Departure => "外出",
            Record::Confirm => "信息核对",
            Record::Status => "党籍变动",
            Record::Dues => "交党费",
            Record::Arrive => "到达",
            Record::Return => "返回",
            Record::Subsidy => "补助",
            Record::Family => "家属联系人",
            Record::Basic => "基本情况",
        }
    }

    /// The form's heading: 登记走访, 交党费, 党籍变动.
    pub fn title(self) -> String {
        match self {
            Record::Confirm | Record::Status | Record::Dues => self.zh().to_string(),
            Record::Family => "添加家属联系人".to_string(),
            Record::Basic => "修改基本情况".to_string(),
            _ => format!("登记{}", self.zh()),
        }
    }
}

/// A form as filled: every field's text (trimmed).
pub type Filled = BTreeMap<String, String>;

/// The item a member file gets: each key with its value as written.
pub type Item = Vec<(&'static str, super::edit::Value)>;

/// The scalar an item holds at `key`.
pub fn scalar_of(item: &Item, key: &str) -> Option<String> {
    item.iter().find(|(k, _)| *k == key).and_then(|(_, v)| match v {
        super::edit::Value::Scalar(s) => Some(s.clone()),
        super::edit::Value::Map(_) => None,
    })
}

/// Every scalar of an item, in order, but those of `leave_out`.
pub fn scalars<'i>(item: &'i Item, leave_out: &[&str]) -> Vec<(&'i str, String)> {
    item.iter()
        .filter(|(k, _)| !leave_out.contains(k))
        .filter_map(|(k, v)| match v {
            super::edit::Value::Scalar(s) => Some((*k, s.clone())),
            super::edit::Value::Map(_) => None,
        })
        .collect()
}

/// What is wrong, by field key.
pub type FieldErrors = BTreeMap<String, String>;
