//! The desk's records as forms: each field read and checked as `check`
//! checks it, an error at the field in Chinese, and the item a member file
//! gets, in the keys and words of docs/data-format.md.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::import::member_yaml::scalar;
use crate::office::{Channel, VisitKind, Word};

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

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

pub(super) fn field(key: &'static str, label: &'static str, required: bool, hint: &'static str) -> FieldSpec {
    FieldSpec { key, label, required, choices: Vec::new(), date: false, ahead: false, long: false, hint }
}

/// The answers a yes-or-no field takes, and what the file says for each.
const YES_NO: &[(&str, &str)] = &[("是", "true"), ("否", "false")];

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

    pub fn fields(self) -> Vec<FieldSpec> {
        let date =
            |label| FieldSpec { date: true, ..field("date", label, true, "写成 年-月-日，例如 2026-12-07") };
        let long = |key, label, hint| FieldSpec { long: true, ..field(key, label, true, hint) };
        match self {
            Record::Visit => vec![
                date("走访日期"),
                FieldSpec {
                    choices: VisitKind::WORDS.iter().map(|(_, w)| w.to_string()).collect(),
                    ..field("kind", "方式", true, "上门、电话或书信")
                },
                field("by", "走访人", true, "谁去走访的，例如 何秀珍"),
                long("difficulties", "问困难", "有什么困难；没有就写“无”"),
                long("suggestions", "问意见建议", "对支部、对单位的意见建议；没有就写“无”"),
                long("plans", "问打算", "今后有什么打算；没有就写“无”"),
                FieldSpec {
                    long: true,
                    ..field("follow_up", "需跟进的事", false, "要支部帮着办的事，例如 请社区帮忙修电暖器")
                },
            ],
            Record::Contact => vec![
                date("联系日期"),
                FieldSpec {
                    choices: Channel::WORDS.iter().map(|(_, w)| w.to_string()).collect(),
                    ..field("channel", "方式", true, "电话、微信、书信等")
                },
                field("by", "联系人", true, "支部里谁联系的"),
                FieldSpec {
                    long: true, ..field("summary", "情况", true, "身体、生活、何时回来、转达了什么")
                },
            ],
            Record::Departure => {
                let ahead = |key, label, required, hint| FieldSpec {
                    date: true,
                    ahead: true,
                    ..field(key, label, required, hint)
                };
                let yes_no =
                    |key, label, hint| FieldSpec { choices: words(&["是", "否"]), ..field(key, label, true, hint) };
                vec![
                    ahead("start", "外出日期", true, "哪天走（可以是以后的日子），写成 年-月-日"),
                    ahead("planned_end", "预计返回", false, "不知道就空着（按规定先发联系卡）"),
                    field("province", "去向省份", true, "例如 海南省"),
                    field("city", "去向城市", true, "例如 三亚市"),
                    field("county", "县（区）", false, "例如 吉阳区"),
                    field("address", "详细地址", false, "街道、小区、门牌"),
                    yes_no("fixed_location", "地点固定", "住在一个地方选“是”，走动较多选“否”"),
                    yes_no("near_home", "就近外出", "本市附近、临时来回的选“是”（不发联系卡）"),
                    FieldSpec {
                        choices: words(&["是", "否"]),
                        ..field("can_transfer", "能转出组织关系", false, "长期外出而暂不能转出的选“否”（改发联系卡）")
                    },
                    field("reason", "外出原因", false, "例如 随子女居住、异地养老、外出过冬"),
                    field(
                        "receiving_org.name",
                        "接收党组织",
                        false,
                        "到达地的党组织，例如 三亚市吉阳区某某社区党委；不知道先空着",
                    ),
                    field("receiving_org.contact", "接收党组织联系人", false, "例如 林主任"),
                    field("receiving_org.phone", "接收党组织电话", false, "带区号"),
                    field("phone_away", "外出期间电话", false, "11 位手机或区号-号码"),
                ]
            }
            Record::Arrive => vec![
                field("departure", "外出编号", true, "哪一次外出，例如 W2026-01"),
                FieldSpec { date: true, ..field("arrived", "到达日期", true, "到了目的地的日子") },
                FieldSpec {
                    date: true,
                    ..field("card_handed", "联系卡交接收地党组织", false, "把联系卡交给当地党组织的日子")
                },
            ],
            Record::Return => vec![
                field("departure", "外出编号", true, "哪一次外出，例如 W2026-01"),
                FieldSpec { date: true, ..field("returned", "返回日期", true, "回到家的日子") },
                FieldSpec {
                    date: true, ..field("card_returned", "交回联系卡", false, "发过联系卡的：交回支部的日子")
                },
                FieldSpec {
                    long: true, ..field("report", "外出情况汇报", false, "在外参加组织生活、交党费等情况")
                },
            ],
            Record::Dues => vec![
                field("months", "所交月份", true, "一个月写 2026-12；几个月写 2026-10..2026-12"),
                field("amount", "金额（元）", false, "空着就按党费基数和规定算出来"),
                FieldSpec { date: true, ..field("paid", "交纳日期", true, "写成 年-月-日") },
                FieldSpec {
                    choices: crate::office::PaymentWay::WORDS.iter().map(|(_, w)| w.to_string()).collect(),
                    ..field("how", "交纳方式", false, "本人交、家属代交，或在外地党组织交")
                },
                field("by", "代交人", false, "代交的：谁代交的"),
                field("at", "交在哪个党组织", false, "异地交纳的：接收党费的党组织"),
            ],
            Record::Subsidy => vec![
                FieldSpec { date: true, ..field("applied", "申请日期", true, "提出重病补助申请的日子") },
                FieldSpec {
                    choices: crate::office::SubsidyDecision::words().iter().map(|w| w.to_string()).collect(),
                    ..field("decision", "审批结果", true, "还没批下来的选“审核中”")
                },
                FieldSpec { date: true, ..field("decided", "审批日期", false, "批准或不批准的日子") },
                field("amount", "金额（元）", false, "批准的补助金额，例如 2000"),
                FieldSpec { long: true, ..field("notes", "说明", false, "病情、材料、发放方式等") },
            ],
            Record::Family => vec![
                field("name", "姓名", true, "家属的姓名"),
                field("relation", "关系", false, "例如 儿子、女儿、配偶、侄女"),
                field("phone", "电话", true, "11 位手机或区号-号码"),
            ],
            Record::Basic => basic_fields(),
            Record::Confirm => vec![FieldSpec {
                date: true,
                ..field("date", "核对日期", true, "本人或家属看过信息核对表、签字的日子")
            }],
            Record::Status => vec![
                FieldSpec {
                    choices: crate::office::StatusKind::WORDS
                        .iter()
                        .map(|(_, w)| w.to_string())
                        .chain(std::iter::once(BACK_IN_CONTACT.to_string()))
                        .collect(),
                    ..field("kind", "党籍变动", true, "失联、停止党籍、去世、转出……；失联的人联系上了选“恢复联系”")
                },
                FieldSpec {
                    date: true, ..field("date", "日期", true, "去世、转出、失联起、停止党籍的日子")
                },
                FieldSpec {
                    date: true, ..field("lost_since", "失联起", false, "停止党籍的：从哪天起联系不上")
                },
                field("to", "转往党组织", false, "转出的：转到哪个党组织"),
                field("reason", "原因", false, "例如 病故、随子女迁居外地"),
                field("document", "决定文号", false, "停止党籍、除名等的决定文号"),
            ],
        }
    }
}

/// A date as a clerk types it: 2026-12-07, 2026/12/7, 2026.12.7,
/// 2026年12月7日, in full-width digits too.
pub fn typed_date(s: &str) -> Option<NaiveDate> {
    let ascii: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '/' | '.' | '年' | '月' | '－' | '／' | '．' => '-',
            c => c,
        })
        .filter(|c| *c != '日' && *c != '号' && !c.is_whitespace())
        .collect();
    crate::yaml::parse_date(&ascii)
}

/// 修改基本情况: what may change about a member without touching who
/// they are. A nested key is written `health.status` (the file's
/// `health:` mapping, `status:` under it).
fn basic_fields() -> Vec<FieldSpec> {
    use crate::office::{HardshipLevel, HealthStatus};
    let opt = |key, label, hint| field(key, label, false, hint);
    let choice = |key, label, choices: Vec<String>, hint| FieldSpec { choices, ..field(key, label, false, hint) };
    let date = |key, label, hint| FieldSpec { date: true, ..field(key, label, false, hint) };
    let yes_no = words(&["是", "否"]);
    vec![
        opt("native_place", "籍贯", "例如 浙江宁波"),
        opt("address", "家庭住址", "写到门牌号，最多 100 字"),
        opt("postcode", "邮政编码", "6 位数字"),
        opt("home_phone", "住宅电话", "带区号，例如 0571-85259273"),
        opt("mobile", "手机", "11 位手机号"),
        choice("in_city", "居住在市内", yes_no.clone(), "住在外市的选“否”（走访规则按此区分）"),
        opt("living", "生活状况", "例如 与配偶同住、独居、入住养老机构"),
        choice(
            "health.status",
            "健康状况",
            HealthStatus::words().iter().map(|w| w.to_string()).collect(),
            "重病的请填起始日期",
        ),
        date("health.since", "患病起始日期", "重病从哪天起（走访期限据此计算）"),
        FieldSpec { long: true, ..opt("health.notes", "健康说明", "例如 腿脚不便，行走需拐杖") },
        choice(
            "hardship.level",
            "生活困难",
            HardshipLevel::words().iter().map(|w| w.to_string()).collect(),
            "没有困难的不用选",
        ),
        date("hardship.since", "困难登记日期", "低保、特困请填"),
        FieldSpec {
            long: true, ..opt("hardship.notes", "困难说明", "例如 老伴长期住院，医药费负担重")
        },
        opt("pension", "月基本养老金（元）", "党费计算基数（不含津补贴），例如 4800"),
        opt("education", "学历", "例如 高中"),
        opt("former_unit", "原工作单位", "例如 铸锻分厂"),
        choice("receive_mail", "在家也邮寄慰问信", yes_no, "在家也要邮寄的选“是”"),
        FieldSpec { long: true, ..opt("notes", "备注", "其他需要记下的情况") },
    ]
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

/// The form read: the item for the member file (key, scalar as written)
/// and its description in words, or an error per field key.
pub fn read(record: Record, filled: &Filled, today: NaiveDate) -> Result<(Item, String), FieldErrors> {
    let mut errors = between_fields(record, filled);
    match read_fields(record.fields(), filled, today) {
        Ok(read) if errors.is_empty() => Ok(read),
        Ok(_) => Err(errors),
        Err(at_fields) => {
            errors.extend(at_fields);
            Err(errors)
        }
    }
}

/// Each field of `specs` read alone: the item (key, scalar as written)
/// and its words, or an error per field key.
pub fn read_fields(specs: Vec<FieldSpec>, filled: &Filled, today: NaiveDate) -> Result<(Item, String), FieldErrors> {
    let mut errors = BTreeMap::new();
    let mut item = Vec::new();
    let mut words = Vec::new();
    for f in specs {
        let value = filled.get(f.key).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            if f.required {
                let ask = if f.choices.is_empty() { "请填写" } else { "请选择" };
                errors.insert(f.key.to_string(), format!("{ask}{}：{}", f.label, f.hint));
            }
            continue;
        }
        if let Some(c) = value.chars().find(|c| c.is_control() && *c != '\n' && *c != '\t') {
            errors.insert(f.key.to_string(), format!("{}里有看不见的控制字符 {}，请删去", f.label, c.escape_unicode()));
            continue;
        }
        if value.chars().count() > crate::yaml::TEXT_MAX {
            errors.insert(f.key.to_string(), format!("{}太长了，最多 {} 字", f.label, crate::yaml::TEXT_MAX));
            continue;
        }
        if f.date {
            match typed_date(value) {
                None => {
                    errors.insert(f.key.to_string(), format!("“{value}”不是有效日期；{}", f.hint));
                    continue;
                }
                Some(d) if d > today && !f.ahead => {
                    errors.insert(f.key.to_string(), format!("{}不能晚于今天（{today}）", f.label));
                    continue;
                }
                Some(d) => {
                    item.push((f.key, d.to_string().into()));
                    words.push(format!("{}{}", f.label, crate::documents::zh_date(d)));
                    continue;
                }
            }
        }
        if !f.choices.is_empty() && !f.choices.iter().any(|c| c == value) {
            errors.insert(f.key.to_string(), format!("{}只能是：{}", f.label, f.choices.join("、")));
            continue;
        }
        if let Some((_, yes_no)) = YES_NO.iter().find(|(w, _)| *w == value).filter(|_| f.choices == ["是", "否"]) {
            item.push((f.key, (*yes_no).into()));
            words.push(format!("{}：{value}", f.label));
            continue;
        }
        if f.key == "months" {
            match crate::office::parse_months(value) {
                Some((a, b)) => {
                    let text = if a == b {
                        format!("{}-{:02}", a.0, a.1)
                    } else {
                        format!("{}-{:02}..{}-{:02}", a.0, a.1, b.0, b.1)
                    };
                    item.push((f.key, text.clone().into()));
                    words.push(format!("{}：{text}", f.label));
                }
                None => {
                    errors.insert(f.key.to_string(), format!("“{value}”不是有效的月份；{}", f.hint));
                }
            }
            continue;
        }
        if f.key == "postcode" && !(value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit())) {
            errors.insert(f.key.to_string(), format!("邮政编码“{value}”应为 6 位数字"));
            continue;
        }
        if f.key == "postcode" {
            item.push((f.key, crate::import::member_yaml::quoted(value).into()));
            words.push(format!("{}：{value}", f.label));
            continue;
        }
        if f.key == "address" && value.chars().count() > crate::check::people::ADDRESS_MAX {
            errors.insert(
                f.key.to_string(),
                format!(
                    "住址最多 {} 个字（信息卡和信封上印得下的）；其余写在备注里",
                    crate::check::people::ADDRESS_MAX
                ),
            );
            continue;
        }
        if f.key == "pension" {
            match value.replace(',', "").parse::<f64>() {
                Ok(v) if (0.0..100_000.0).contains(&v) => {
                    let text = if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.2}") };
                    item.push((f.key, text.clone().into()));
                    words.push(format!("{}：{text}", f.label));
                }
                _ => {
                    errors.insert(f.key.to_string(), format!("“{value}”不是每月的金额；写数字，例如 4800"));
                }
            }
            continue;
        }
        if f.key == "amount" {
            match value.replace(',', "").parse::<f64>() {
                Ok(v) if (0.0..1_000_000.0).contains(&v) => {
                    item.push((f.key, format!("{v:.2}").into()));
                    words.push(format!("{}：{v:.2}", f.label));
                }
                _ => {
                    errors.insert(f.key.to_string(), format!("“{value}”不是金额；写数字，例如 24.90"));
                }
            }
            continue;
        }
        if matches!(f.key, "phone_away" | "phone" | "mobile" | "home_phone" | "receiving_org.phone") {
            // As the papers print it: no spaces typed between the digits.
            let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            let value = value.as_str();
            if crate::office::phone::classify_phone(value).is_none() {
                errors.insert(f.key.to_string(), format!("“{value}”不是有效的电话号码；{}", f.hint));
            } else {
                item.push((f.key, crate::import::member_yaml::quoted(value).into()));
                words.push(format!("{}：{value}", f.label));
            }
            continue;
        }
        // Several lines: one line in the file (the papers print it as one).
        let one_line = value.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
        item.push((f.key, scalar(&one_line).into()));
        words.push(format!("{}：{one_line}", f.label));
    }
    if errors.is_empty() { Ok((item, words.join("；"))) } else { Err(errors) }
}

/// What two fields of a record say together (a return before its start).
fn between_fields(record: Record, filled: &Filled) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if record == Record::Dues
        && filled.get("how").map(String::as_str) == Some("异地交纳")
        && filled.get("at").is_none_or(|t| t.trim().is_empty())
    {
        errors.insert("at".into(), "异地交纳的请写明交在哪个党组织".into());
    }
    if record == Record::Status
        && filled.get("kind").map(String::as_str) == Some("转出")
        && filled.get("to").is_none_or(|t| t.trim().is_empty())
    {
        errors.insert("to".into(), "转出的请写明转往哪个党组织".into());
    }
    if record == Record::Subsidy
        && let (Some(applied), Some(decided)) =
            (filled.get("applied").and_then(|v| typed_date(v)), filled.get("decided").and_then(|v| typed_date(v)))
        && decided < applied
    {
        errors.insert("decided".into(), "审批日期不能早于申请日期".into());
    }
    // A return before the start cannot be.
    let date_of = |key: &str| filled.get(key).and_then(|v| typed_date(v));
    if let (Some(start), Some(end)) = (date_of("start"), date_of("planned_end"))
        && end < start
    {
        errors.insert("planned_end".into(), "预计返回不能早于外出日期".into());
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(pairs: &[(&str, &str)]) -> Filled {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_visit_reads_into_the_files_keys_and_words() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let f = filled(&[
            ("date", "2026-12-07"),
            ("kind", "上门"),
            ("by", "何秀珍"),
            ("difficulties", "老伴住院: 需要人陪护"),
            ("suggestions", "无"),
            ("plans", "回家过年"),
        ]);
        let (item, words) = read(Record::Visit, &f, today).unwrap();
        assert_eq!(item[0], ("date", "2026-12-07".into()));
        assert_eq!(
            item[3],
            ("difficulties", "\"老伴住院: 需要人陪护\"".into()),
            "quoted where plain would not read back"
        );
        assert!(words.starts_with("走访日期2026年12月7日；方式：上门"), "{words}");
    }

    #[test]
    fn a_date_is_read_as_a_clerk_types_it() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 7);
        for typed in ["2026-12-07", "2026/12/7", "2026.12.7", "2026年12月7日", "２０２６年１２月７日", " 2026-12-7 "]
        {
            assert_eq!(typed_date(typed), d, "{typed}");
        }
        assert_eq!(typed_date("2026-13-01"), None);
        assert_eq!(typed_date("十二月七日"), None);
    }

    #[test]
    fn every_wrong_field_is_told_at_once() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let f = filled(&[("date", "2026-12-08"), ("kind", "视频"), ("by", "")]);
        let e = read(Record::Visit, &f, today).unwrap_err();
        assert!(e["date"].contains("不能晚于今天"), "{e:?}");
        assert!(e["kind"].contains("上门、电话、书信"), "{e:?}");
        assert!(e["by"].contains("请填写走访人"), "{e:?}");
        assert!(e["difficulties"].contains("没有就写“无”"), "{e:?}");
        assert!(!e.contains_key("follow_up"));
    }
}
