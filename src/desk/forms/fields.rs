//! The fields each record's form asks for, in the order the form shows
//! them, with the words a choice takes and a hint in the clerk's words.

use super::{BACK_IN_CONTACT, FieldSpec, Record, field};
use crate::office::{Channel, VisitKind, Word};

impl Record {
    pub fn fields(self) -> Vec<FieldSpec> {
        match self {
            Record::Visit => visit(),
            Record::Contact => contact(),
            Record::Departure => departure(),
            Record::Arrive => arrive(),
            Record::Return => back_home(),
            Record::Dues => dues(),
            Record::Subsidy => subsidy(),
            Record::Family => family(),
            Record::Basic => basic(),
            Record::Confirm => vec![FieldSpec {
                date: true,
                ..field("date", "核对日期", true, "本人或家属看过信息核对表、签字的日子")
            }],
            Record::Status => status(),
        }
    }
}

/// The record's own date (`date:`), required, not after today.
fn date(label: &'static str) -> FieldSpec {
    FieldSpec { date: true, ..field("date", label, true, "写成 年-月-日，例如 2026-12-07") }
}

/// A required field of several lines.
fn long(key: &'static str, label: &'static str, hint: &'static str) -> FieldSpec {
    FieldSpec { long: true, ..field(key, label, true, hint) }
}

/// A date that is not the record's own (`arrived:`, `decided:`).
fn dated(key: &'static str, label: &'static str, required: bool, hint: &'static str) -> FieldSpec {
    FieldSpec { date: true, ..field(key, label, required, hint) }
}

/// A field that takes one of `choices`.
fn choice(
    key: &'static str,
    label: &'static str,
    required: bool,
    choices: Vec<String>,
    hint: &'static str,
) -> FieldSpec {
    FieldSpec { choices, ..field(key, label, required, hint) }
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

/// The file's words of a kind (`VisitKind::WORDS`) as a choice shows them.
fn zh_words<T>(list: &[(T, &str)]) -> Vec<String> {
    list.iter().map(|(_, w)| w.to_string()).collect()
}

/// 登记走访, with the 三问.
fn visit() -> Vec<FieldSpec> {
    vec![
        date("走访日期"),
        choice("kind", "方式", true, zh_words(VisitKind::WORDS), "上门、电话或书信"),
        field("by", "走访人", true, "谁去走访的，例如 何秀珍"),
        long("difficulties", "问困难", "有什么困难；没有就写“无”"),
        long("suggestions", "问意见建议", "对支部、对单位的意见建议；没有就写“无”"),
        long("plans", "问打算", "今后有什么打算；没有就写“无”"),
        FieldSpec {
            long: true,
            ..field("follow_up", "需跟进的事", false, "要支部帮着办的事，例如 请社区帮忙修电暖器")
        },
    ]
}

/// 登记联系: the contact log with a member away.
fn contact() -> Vec<FieldSpec> {
    vec![
        date("联系日期"),
        choice("channel", "方式", true, zh_words(Channel::WORDS), "电话、微信、书信等"),
        field("by", "联系人", true, "支部里谁联系的"),
        long("summary", "情况", "身体、生活、何时回来、转达了什么"),
    ]
}

/// 登记外出: where to, for how long, and what the rule asks to decide
/// whether a card is issued.
fn departure() -> Vec<FieldSpec> {
    let ahead = |key, label, required, hint| FieldSpec { ahead: true, ..dated(key, label, required, hint) };
    let yes_no = |key, label, required, hint| choice(key, label, required, words(&["是", "否"]), hint);
    vec![
        ahead("start", "外出日期", true, "哪天走（可以是以后的日子），写成 年-月-日"),
        ahead("planned_end", "预计返回", false, "不知道就空着（按规定先发联系卡）"),
        field("province", "去向省份", true, "例如 海南省"),
        field("city", "去向城市", true, "例如 三亚市"),
        field("county", "县（区）", false, "例如 吉阳区"),
        field("address", "详细地址", false, "街道、小区、门牌"),
        yes_no("fixed_location", "地点固定", true, "住在一个地方选“是”，走动较多选“否”"),
        yes_no("near_home", "就近外出", true, "本市附近、临时来回的选“是”（不发联系卡）"),
        yes_no("can_transfer", "能转出组织关系", false, "长期外出而暂不能转出的选“否”（改发联系卡）"),
        field("reason", "外出原因", false, "例如 随子女居住、异地养老、外出过冬"),
        field("receiving_org.name", "接收党组织", false, "到达地的党组织，例如 三亚市吉阳区某某社区党委；不知道先空着"),
        field("receiving_org.contact", "接收党组织联系人", false, "例如 林主任"),
        field("receiving_org.phone", "接收党组织电话", false, "带区号"),
        field("phone_away", "外出期间电话", false, "11 位手机或区号-号码"),
    ]
}

/// 登记到达: arrived at the destination, the card handed over there.
fn arrive() -> Vec<FieldSpec> {
    vec![
        field("departure", "外出编号", true, "哪一次外出，例如 W2026-01"),
        dated("arrived", "到达日期", true, "到了目的地的日子"),
        dated("card_handed", "联系卡交接收地党组织", false, "把联系卡交给当地党组织的日子"),
    ]
}

/// 登记返回: back home, the card taken back, the report.
fn back_home() -> Vec<FieldSpec> {
    vec![
        field("departure", "外出编号", true, "哪一次外出，例如 W2026-01"),
        dated("returned", "返回日期", true, "回到家的日子"),
        dated("card_returned", "交回联系卡", false, "发过联系卡的：交回支部的日子"),
        FieldSpec {
            long: true, ..field("report", "外出情况汇报", false, "在外参加组织生活、交党费等情况")
        },
    ]
}

/// 交党费: a payment, its amount computed by the rules when left blank.
fn dues() -> Vec<FieldSpec> {
    vec![
        field("months", "所交月份", true, "一个月写 2026-12；几个月写 2026-10..2026-12"),
        field("amount", "金额（元）", false, "空着就按党费基数和规定算出来"),
        dated("paid", "交纳日期", true, "写成 年-月-日"),
        choice(
            "how",
            "交纳方式",
            false,
            zh_words(crate::office::PaymentWay::WORDS),
            "本人交、家属代交，或在外地党组织交",
        ),
        field("by", "代交人", false, "代交的：谁代交的"),
        field("at", "交在哪个党组织", false, "异地交纳的：接收党费的党组织"),
    ]
}

/// 登记补助: an application for the serious-illness subsidy, its decision.
fn subsidy() -> Vec<FieldSpec> {
    vec![
        dated("applied", "申请日期", true, "提出重病补助申请的日子"),
        choice("decision", "审批结果", true, zh_words(crate::office::SubsidyDecision::WORDS), "还没批下来的选“审核中”"),
        dated("decided", "审批日期", false, "批准或不批准的日子"),
        field("amount", "金额（元）", false, "批准的补助金额，例如 2000"),
        FieldSpec { long: true, ..field("notes", "说明", false, "病情、材料、发放方式等") },
    ]
}

/// 添加家属联系人.
fn family() -> Vec<FieldSpec> {
    vec![
        field("name", "姓名", true, "家属的姓名"),
        field("relation", "关系", false, "例如 儿子、女儿、配偶、侄女"),
        field("phone", "电话", true, "11 位手机或区号-号码"),
    ]
}

/// 党籍: died, transferred away, out of contact, suspended; or back in contact.
fn status() -> Vec<FieldSpec> {
    let kinds = zh_words(crate::office::StatusKind::WORDS)
        .into_iter()
        .chain(std::iter::once(BACK_IN_CONTACT.to_string()))
        .collect();
    vec![
        choice("kind", "党籍变动", true, kinds, "失联、停止党籍、去世、转出……；失联的人联系上了选“恢复联系”"),
        dated("date", "日期", true, "去世、转出、失联起、停止党籍的日子"),
        dated("lost_since", "失联起", false, "停止党籍的：从哪天起联系不上"),
        field("to", "转往党组织", false, "转出的：转到哪个党组织"),
        field("reason", "原因", false, "例如 病故、随子女迁居外地"),
        field("document", "决定文号", false, "停止党籍、除名等的决定文号"),
    ]
}

/// 修改基本情况: what may change about a member without touching who
/// they are. A nested key is written `health.status` (the file's
/// `health:` mapping, `status:` under it).
fn basic() -> Vec<FieldSpec> {
    use crate::office::{HardshipLevel, HealthStatus};
    let opt = |key, label, hint| field(key, label, false, hint);
    let note = |key, label, hint| FieldSpec { long: true, ..opt(key, label, hint) };
    let yes_no = || words(&["是", "否"]);
    vec![
        opt("native_place", "籍贯", "例如 浙江宁波"),
        opt("address", "家庭住址", "写到门牌号，最多 100 字"),
        opt("postcode", "邮政编码", "6 位数字"),
        opt("home_phone", "住宅电话", "带区号，例如 0571-85259273"),
        opt("mobile", "手机", "11 位手机号"),
        choice("in_city", "居住在市内", false, yes_no(), "住在外市的选“否”（走访规则按此区分）"),
        opt("living", "生活状况", "例如 与配偶同住、独居、入住养老机构"),
        choice("health.status", "健康状况", false, zh_words(HealthStatus::WORDS), "重病的请填起始日期"),
        dated("health.since", "患病起始日期", false, "重病从哪天起（走访期限据此计算）"),
        note("health.notes", "健康说明", "例如 腿脚不便，行走需拐杖"),
        choice("hardship.level", "生活困难", false, zh_words(HardshipLevel::WORDS), "没有困难的不用选"),
        dated("hardship.since", "困难登记日期", false, "低保、特困请填"),
        note("hardship.notes", "困难说明", "例如 老伴长期住院，医药费负担重"),
        opt("pension", "月基本养老金（元）", "党费计算基数（不含津补贴），例如 4800"),
        opt("education", "学历", "例如 高中"),
        opt("former_unit", "原工作单位", "例如 铸锻分厂"),
        choice("receive_mail", "在家也邮寄慰问信", false, yes_no(), "在家也要邮寄的选“是”"),
        note("notes", "备注", "其他需要记下的情况"),
    ]
}
