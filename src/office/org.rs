//! `org.yaml`: the enterprise, its retiree office, the Party committee, the
//! higher organisation that receives filings, the branches and their groups.

use super::register_policy::{REGISTER_KEYS, RegisterPolicy, read_register_policy};
use super::rule_settings::{RULE_KEYS, RuleSettings, read_rule_settings};
use crate::rules::holidays::{Holiday, Rule};
use crate::yaml::{Fields, Located};

#[derive(Debug, Clone, Default)]
pub struct PartyUnit {
    pub name: Option<Located<String>>,
    pub address: Option<Located<String>>,
    pub postcode: Option<Located<String>>,
    pub phone: Option<Located<String>>,
    pub contact: Option<Located<String>>,
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
];
const HOLIDAY_KEYS: &[(&str, &str)] =
    &[("name", "名称"), ("date", "公历日期（月-日）"), ("lunar", "农历日期（月-日）")];
const UNIT_KEYS: &[(&str, &str)] =
    &[("name", "名称"), ("address", "地址"), ("postcode", "邮编"), ("phone", "电话"), ("contact", "联系人")];
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
    f.finish();
    Org { enterprise, office, party_committee, filing_org, branches, rules, register, extra_holidays }
}

/// `- name: 端午` with `lunar: 5-5` or `date: 8-1`.
fn read_holiday(h: Fields) -> Option<Holiday> {
    let name = h.req_text("name", "端午");
    let month_day = |key: &str| -> Option<(u32, u32)> {
        let t = h.text(key)?;
        let parsed = t.value.split_once('-').and_then(|(m, d)| Some((m.trim().parse().ok()?, d.trim().parse().ok()?)));
        match parsed {
            Some((m, d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => Some((m, d)),
            _ => {
                h.error(
                    t.pos,
                    format!("节日日期“{}”应写成 月-日", t.value),
                    "例如 `lunar: 5-5`（农历五月初五）或 `date: 8-1`",
                );
                None
            }
        }
    };
    let rule = match (month_day("date"), month_day("lunar")) {
        (Some((month, day)), None) => Some(Rule::Solar { month, day }),
        (None, Some((m, d))) if d <= 30 => Some(Rule::Lunar { month: m as u8, day: d as u8 }),
        (Some(_), Some(_)) => {
            h.error(h.pos, "节日只能写 `date`（公历）或 `lunar`（农历）中的一个", "删掉其中一个");
            None
        }
        _ => {
            if h.node("date").is_none() && h.node("lunar").is_none() {
                h.error(h.pos, "节日缺少日期", "加上 `date: 8-1`（公历）或 `lunar: 5-5`（农历）");
            }
            None
        }
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
