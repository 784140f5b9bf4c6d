//! `org.yaml`: the enterprise, its retiree office, the Party committee, the
//! higher organisation that receives filings, the branches and their groups.

use chrono::NaiveDate;

use super::holiday::{Holiday, Rule};
use super::lunar_text::{self, LunarTextError};
use super::register_policy::{REGISTER_KEYS, RegisterPolicy, read_register_policy};
use super::rule_settings::{RULE_KEYS, RuleSettings, read_rule_settings};
use crate::yaml::{Fields, Located};

#[derive(Debug, Clone, Default)]
pub struct PartyUnit {
    pub name: Option<Located<String>>,
    pub address: Option<Located<String>>,
    pub postcode: Option<Located<String>>,
    pub phone: Option<Located<String>>,
    pub contact: Option<Located<String>>,
    /// 签发人 of the committee's reports (上行文).
    pub signer: Option<Located<String>>,
}

#[derive(Debug, Clone)]
pub struct CommitteeMember {
    pub name: Located<String>,
    pub role: Located<String>,
    pub mobile: Option<Located<String>>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: Located<String>,
    pub name: Located<String>,
    pub leader: Option<Located<String>>,
    pub mobile: Option<Located<String>>,
}

#[derive(Debug, Clone)]
pub struct Branch {
    pub id: Located<String>,
    pub name: Located<String>,
    pub phone: Option<Located<String>>,
    pub committee: Vec<CommitteeMember>,
    pub groups: Vec<Group>,
}

impl Branch {
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id.value == id)
    }

    /// The committee member whose role is 书记, if any.
    pub fn secretary(&self) -> Option<&CommitteeMember> {
        self.committee.iter().find(|c| c.role.value.contains("书记") && !c.role.value.contains("副"))
    }
}

#[derive(Debug, Clone)]
pub struct Org {
    pub enterprise: Located<String>,
    pub office: PartyUnit,
    pub party_committee: PartyUnit,
    pub filing_org: PartyUnit,
    pub branches: Vec<Branch>,
    pub rules: RuleSettings,
    /// What the intranet register shows.
    pub register: RegisterPolicy,
    /// Festivals the office adds to the built-in list.
    pub extra_holidays: Vec<Holiday>,
    /// The office's own wording for fixed passages of the papers.
    pub texts: Texts,
}

impl Org {
    pub fn branch(&self, id: &str) -> Option<&Branch> {
        self.branches.iter().find(|b| b.id.value == id)
    }

    /// The Party group a member belongs to.
    pub fn group_of(&self, m: &super::Member) -> Option<&Group> {
        self.branch(&m.branch.value)?.group(&m.group.as_ref()?.value)
    }

    /// Names of the member's branch and group as printed ("" when unknown).
    pub fn branch_and_group_names(&self, m: &super::Member) -> (String, String) {
        let branch = self.branch(&m.branch.value).map(|b| b.name.value.clone()).unwrap_or_default();
        let group = self.group_of(m).map(|g| g.name.value.clone()).unwrap_or_default();
        (branch, group)
    }
}

/// `texts:` in org.yaml: the office's own wording, where it has one.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    /// The filing report's first sentence; `{单位}` and `{报告期}` are filled in.
    pub report_opening: Option<Located<String>>,
    /// The note at the foot of the contact card's front.
    pub contact_card_note: Option<Located<String>>,
}

/// The built-in wording of the passages `texts:` can replace.
pub const REPORT_OPENING: &str = "根据流动党员管理的有关规定，现将{单位}{报告期}离退休党员外出登记情况报告如下。";
pub const CONTACT_CARD_NOTE: &str =
    "到达后按时参加所在党组织的组织生活、交纳党费；地址和联系方式有变化，请及时告知支部。";

impl Texts {
    /// The report's opening sentence for `enterprise` and `period`.
    pub fn report_opening(&self, enterprise: &str, period: &str) -> String {
        let t = self.report_opening.as_ref().map_or(REPORT_OPENING, |t| t.value.as_str());
        t.replace("{单位}", enterprise).replace("{报告期}", period)
    }

    pub fn contact_card_note(&self) -> &str {
        self.contact_card_note.as_ref().map_or(CONTACT_CARD_NOTE, |t| t.value.as_str())
    }
}

const TEXT_KEYS: &[(&str, &str)] =
    &[("report_opening", "备案报告的开头一句"), ("contact_card_note", "联系卡正面下方的提示")];

fn read_texts(f: Option<Fields>) -> Texts {
    let Some(f) = f else { return Texts::default() };
    let texts = Texts { report_opening: f.text("report_opening"), contact_card_note: f.text("contact_card_note") };
    if let Some(t) = &texts.report_opening
        && !(t.value.contains("{单位}") && t.value.contains("{报告期}"))
    {
        f.warning(
            t.pos,
            "`texts.report_opening` 里没有 {单位} 或 {报告期}",
            format!("这两处会换成企业名称和报告期，例如：{REPORT_OPENING}"),
        );
    }
    f.finish();
    texts
}

pub const ORG_KEYS: &[(&str, &str)] = &[
    ("enterprise", "企业名称"),
    ("office", "退管办"),
    ("party_committee", "基层党委"),
    ("filing_org", "备案上级党组织"),
    ("branches", "党支部"),
    ("rules", "规则参数"),
    ("holidays", "增加的节日"),
    ("register", "内网台帐显示范围"),
    ("texts", "本单位的措辞"),
];
const HOLIDAY_KEYS: &[(&str, &str)] =
    &[("name", "名称"), ("date", "公历日期（月-日）"), ("lunar", "农历日期（月-日，或 除夕）")];
const UNIT_KEYS: &[(&str, &str)] = &[
    ("name", "名称"),
    ("address", "地址"),
    ("postcode", "邮编"),
    ("phone", "电话"),
    ("contact", "联系人"),
    ("signer", "签发人"),
];
const BRANCH_KEYS: &[(&str, &str)] =
    &[("id", "编号"), ("name", "名称"), ("phone", "办公电话"), ("committee", "支委"), ("groups", "党小组")];
const COMMITTEE_KEYS: &[(&str, &str)] = &[("name", "姓名"), ("role", "职务"), ("mobile", "手机")];
const GROUP_KEYS: &[(&str, &str)] = &[("id", "编号"), ("name", "名称"), ("leader", "组长"), ("mobile", "组长手机")];

fn unit(f: &Fields, key: &str, require_name: bool) -> PartyUnit {
    let Some(u) = f.map(key, UNIT_KEYS) else {
        if require_name && f.node(key).is_none() {
            f.error(f.pos, format!("缺少必填项 `{key}`"), format!("加上 `{key}:` 及其下的 `name:`"));
        }
        return PartyUnit::default();
    };
    let unit = PartyUnit {
        name: if require_name { u.req_text("name", "离退休管理办公室") } else { u.text("name") },
        address: u.text("address"),
        postcode: u.text("postcode"),
        phone: u.text("phone"),
        contact: u.text("contact"),
        signer: u.text("signer"),
    };
    u.finish();
    unit
}

/// Read `org.yaml`'s top-level mapping. Missing pieces are reported and
/// left empty so that member files can still be checked in the same run.
pub fn read_org(f: Fields) -> Org {
    let enterprise = f.req_text("enterprise", "某某集团有限公司").unwrap_or_else(|| Located::new(String::new(), f.pos));
    let office = unit(&f, "office", true);
    let party_committee = unit(&f, "party_committee", true);
    let filing_org = unit(&f, "filing_org", true);
    let branch_fields = f.map_list("branches", BRANCH_KEYS);
    if branch_fields.is_empty() && f.node("branches").is_none() {
        f.error(
            f.pos,
            "缺少必填项 `branches`（党支部）",
            "至少列出一个支部：`branches:` 下写 `- id: b1` 和 `name: ...`",
        );
    }
    let branches = branch_fields.into_iter().filter_map(read_branch).collect();
    let rules = read_rule_settings(f.map("rules", RULE_KEYS));
    let extra_holidays = f.map_list("holidays", HOLIDAY_KEYS).into_iter().filter_map(read_holiday).collect();
    let register = read_register_policy(f.map("register", REGISTER_KEYS));
    let texts = read_texts(f.map("texts", TEXT_KEYS));
    f.finish();
    Org { enterprise, office, party_committee, filing_org, branches, rules, register, extra_holidays, texts }
}

/// `- name: 端午` with `lunar: 5-5` (or `五月初五`, `除夕`) or `date: 8-1`.
/// A date that some years lack never drops out silently: a lunar day 30 is
/// the month's last day in a short month (see [`Rule::Lunar`]), `12-30` is
/// 除夕, and solar 2-29 is warned about.
fn read_holiday(h: Fields) -> Option<Holiday> {
    let name = h.req_text("name", "端午");
    let solar = h.text("date").and_then(|t| {
        let parsed = t.value.split_once('-').and_then(|(m, d)| Some((m.trim().parse().ok()?, d.trim().parse().ok()?)));
        match parsed {
            Some((2, 29)) => {
                h.warning(
                    t.pos,
                    "公历 2 月 29 日只在闰年有，其他年份没有这个节日",
                    "每年都要过的，改写 `date: 2-28` 或 `date: 3-1`",
                );
                Some(Rule::Solar { month: 2, day: 29 })
            }
            Some((month, day)) if NaiveDate::from_ymd_opt(2001, month, day).is_some() => {
                Some(Rule::Solar { month, day })
            }
            Some((month, day)) if (1..=12).contains(&month) => {
                h.error(t.pos, format!("公历 {month} 月没有 {day} 日"), "写这个月实际有的日期，例如 `date: 4-30`");
                None
            }
            _ => {
                h.error(t.pos, format!("节日日期“{}”应写成 月-日", t.value), "例如 `date: 8-1`（公历八月一日）");
                None
            }
        }
    });
    let lunar = h.text("lunar").and_then(|t| match lunar_text::parse(&t.value) {
        Ok(rule) => Some(rule),
        Err(e) => {
            let (message, hint) = match e {
                LunarTextError::Unreadable => (
                    format!("农历日期“{}”应写成 月-日", t.value),
                    "例如 `lunar: 5-5` 或 `lunar: 五月初五`；除夕写 `lunar: 除夕`".to_string(),
                ),
                LunarTextError::LeapMonth => (
                    format!("节日不按闰月算：“{}”", t.value),
                    "去掉“闰”字，例如 `lunar: 4-8`；有闰月的年份也按正常的月份过节".to_string(),
                ),
                LunarTextError::OutOfRange { month, .. } if !(1..=12).contains(&month) => (
                    format!("农历没有 {month} 月：“{}”", t.value),
                    "月份写 1 到 12（正月为 1，冬月为 11，腊月为 12），例如 `lunar: 12-8`".to_string(),
                ),
                LunarTextError::OutOfRange { day, .. } => (
                    format!("农历每月最多三十天，没有 {day} 日：“{}”", t.value),
                    "日写 1 到 30；除夕（腊月最后一天）写 `lunar: 除夕`".to_string(),
                ),
            };
            h.error(t.pos, message, hint);
            None
        }
    });
    let rule = match (h.node("date"), h.node("lunar")) {
        (Some(_), Some(_)) => {
            h.error(h.pos, "节日只能写 `date`（公历）或 `lunar`（农历）中的一个", "删掉其中一个");
            None
        }
        (None, None) => {
            h.error(h.pos, "节日缺少日期", "加上 `date: 8-1`（公历）或 `lunar: 5-5`（农历），除夕写 `lunar: 除夕`");
            None
        }
        _ => solar.or(lunar),
    };
    h.finish();
    let name = name?.value;
    Some(Holiday { full_name: name.clone(), name, rule: rule? })
}

pub fn read_branch(b: Fields) -> Option<Branch> {
    let id = b.req_text("id", "b1");
    let name = b.req_text("name", "第一党支部");
    let phone = b.text("phone");
    let committee = b
        .map_list("committee", COMMITTEE_KEYS)
        .into_iter()
        .filter_map(|c| {
            let (name, role, mobile) = (c.req_text("name", "王建国"), c.req_text("role", "书记"), c.text("mobile"));
            c.finish();
            Some(CommitteeMember { name: name?, role: role?, mobile })
        })
        .collect();
    let groups = b
        .map_list("groups", GROUP_KEYS)
        .into_iter()
        .filter_map(|g| {
            let (id, name) = (g.req_text("id", "g1"), g.req_text("name", "第一党小组"));
            let (leader, mobile) = (g.text("leader"), g.text("mobile"));
            g.finish();
            Some(Group { id: id?, name: name?, leader, mobile })
        })
        .collect();
    b.finish();
    Some(Branch { id: id?, name: name?, phone, committee, groups })
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::path::Path;

    use super::*;
    use crate::diag::{Diagnostic, Diagnostics, Severity};

    /// One `holidays:` entry read from `text`, with the problems found.
    fn holiday(text: &str) -> (Option<Holiday>, Vec<Diagnostic>) {
        let file = Path::new("org.yaml");
        let node = crate::yaml::parse(file, text).unwrap().unwrap();
        let diags = RefCell::new(Diagnostics::default());
        let h = read_holiday(Fields::new(file, &node, HOLIDAY_KEYS, "", &diags).unwrap());
        (h, diags.into_inner().sorted().into_iter().cloned().collect())
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn new_years_eve_can_be_chosen_in_org_yaml() {
        for text in ["除夕", "大年三十", "腊月最后一天", "12-30", "腊月三十"] {
            let (h, d) = holiday(&format!("name: 除夕\nlunar: {text}\n"));
            assert!(d.is_empty(), "{text}: {d:?}");
            assert_eq!(h.unwrap().rule, Rule::LunarNewYearsEve, "{text}");
        }
    }

    /// 2027's 腊月 has 29 days (docs/domain.md §5.4): an office's `lunar: 12-30`
    /// is still its 除夕, not a festival that vanishes that year.
    #[test]
    fn lunar_12_30_is_new_years_eve_even_when_la_yue_has_29_days() {
        let h = holiday("name: 除夕\nlunar: 12-30\n").0.unwrap();
        assert_eq!(h.dates_in(2027), [date("2027-02-05")]);
        assert_eq!(h.dates_in(2030), [date("2030-02-02")]);
    }

    #[test]
    fn chinese_lunar_date_is_read() {
        let (h, d) = holiday("name: 腊八\nlunar: 腊月初八\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(h.unwrap().rule, Rule::Lunar { month: 12, day: 8 });
    }

    #[test]
    fn impossible_dates_are_refused_with_where_and_what_is_right() {
        let cases = [
            ("lunar: 5-31", "农历每月最多三十天，没有 31 日：“5-31”", "`lunar: 除夕`"),
            ("lunar: 闰四月初八", "节日不按闰月算：“闰四月初八”", "`lunar: 4-8`"),
            ("lunar: 13-1", "农历没有 13 月：“13-1”", "腊月为 12"),
            ("lunar: 端午", "农历日期“端午”应写成 月-日", "`lunar: 五月初五`"),
            ("date: 4-31", "公历 4 月没有 31 日", "`date: 4-30`"),
            ("date: 8.1", "节日日期“8.1”应写成 月-日", "`date: 8-1`"),
        ];
        for (line, message, hint) in cases {
            let (h, d) = holiday(&format!("name: x\n{line}\n"));
            assert!(h.is_none(), "{line}");
            assert_eq!(d.len(), 1, "{line}: {d:?}");
            assert_eq!((d[0].severity, d[0].message.as_str()), (Severity::Error, message));
            assert!(d[0].hint.contains(hint), "{line}: {}", d[0].hint);
            let column = line.find(' ').unwrap() + 2;
            assert_eq!(d[0].location(), format!("org.yaml:2:{column}"));
        }
    }

    #[test]
    fn solar_2_29_is_kept_with_a_warning() {
        let (h, d) = holiday("name: x\ndate: 2-29\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        let h = h.unwrap();
        assert_eq!(h.dates_in(2028), [date("2028-02-29")]);
        assert!(h.dates_in(2027).is_empty());
    }

    #[test]
    fn one_date_only_and_at_least_one() {
        let (h, d) = holiday("name: x\ndate: 8-1\nlunar: 5-5\n");
        assert!(h.is_none());
        assert_eq!(d[0].message, "节日只能写 `date`（公历）或 `lunar`（农历）中的一个");
        let (h, d) = holiday("name: x\n");
        assert!(h.is_none());
        assert_eq!(d[0].message, "节日缺少日期");
    }
}
