//! What the register shows of each member, computed once under the
//! office's field policy: the templates get only what may be published.

use serde::Serialize;

use super::search::{search_keys, sort_key};
use crate::facts::MemberFacts;
use crate::office::Departure;
use crate::office::Office;
use crate::office::id_number::normalized_or_raw;
use crate::office::phone::mask_phone;
use crate::office::register_policy::{Level, RegisterPolicy};
use crate::rules::departure::Decision;
use crate::rules::places::{address_area, destination_at, province_of};
use crate::rules::record::Handling;
use crate::rules::status::{Situation, Whereabouts};
use crate::rules::visits::VisitState;

/// Age bands of the register's filter and statistics.
/// (key in the URL, label, from, to).
pub const AGE_BANDS: &[(&str, &str, u32, u32)] = &[
    ("u60", "60 岁以下", 0, 59),
    ("60-69", "60–69 岁", 60, 69),
    ("70-79", "70–79 岁", 70, 79),
    ("80-89", "80–89 岁", 80, 89),
    ("90+", "90 岁以上", 90, u32::MAX),
];

/// The key of the band `age` falls in.
pub fn age_band(age: u32) -> &'static str {
    AGE_BANDS.iter().find(|(_, _, lo, hi)| (*lo..=*hi).contains(&age)).map_or("", |(k, _, _, _)| *k)
}

/// Filter order of the status, visit and card keys.
pub const TAG_ORDER: &[&str] = &[
    "home",
    "away",
    "out",
    "lost",
    "suspended",
    "offbooks",
    "overdue",
    "due",
    "remote",
    "done",
    "held",
    "missing",
    "unreturned",
    "returned",
    "transfer",
    "transferred",
    "none",
];

/// A value shown in a table cell, with the key the filter and the sort use.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Tag {
    pub key: &'static str,
    pub zh: &'static str,
}

pub fn status_tag(s: Situation) -> Tag {
    let key = match s {
        Situation::Here(Whereabouts::AtHome) => "home",
        Situation::Here(Whereabouts::Away) => "away",
        Situation::Here(Whereabouts::TransferredOut) => "out",
        Situation::LostContact => "lost",
        Situation::Suspended => "suspended",
        Situation::OffBooks(_) => "offbooks",
    };
    Tag { key, zh: s.zh() }
}

/// Where a member's contact card stands on `as_of`, by the record; where
/// nothing is recorded yet, what the rule asks.
pub fn card_tag(f: &MemberFacts) -> Tag {
    let t = |key, zh| Tag { key, zh };
    if let Some(d) = f.current() {
        return match (&d.handling, d.rule.decision) {
            (Handling::Card { .. }, _) => t("held", "持卡外出"),
            (Handling::Transferred { .. }, _) => t("transferred", "已转组织关系"),
            (Handling::NearHome, _) | (_, Decision::NoCard) => t("none", "无需发卡"),
            (_, Decision::Transfer(_)) => t("transfer", "待转组织关系"),
            (_, Decision::ContactCard) => t("missing", "应发未发"),
        };
    }
    match f.latest() {
        Some(d) if d.card_unreturned() => t("unreturned", "未交回"),
        Some(d) if matches!(d.handling, Handling::Card { .. }) => t("returned", "已交回"),
        _ => t("", "—"),
    }
}

/// The visit needs the register shows: every one `check` counts, so that
/// its 逾期 and 待走访 are check's. Serious illness and hardship are
/// sensitive (PIPL art. 28): unless the policy shows them, such a need is
/// shown by its state and deadline only, never its cause.
fn visible_needs(f: &MemberFacts, policy: &RegisterPolicy) -> Vec<(VisitState, String)> {
    let sensitive_shown = policy.shows("health") && policy.shows("hardship");
    f.visits
        .as_ref()
        .map(|a| {
            a.needs
                .iter()
                .map(|n| {
                    let why = if n.urgent && !sensitive_shown {
                        format!("按规定应及时上门走访（原因不在内网显示），期限{}", crate::zh::zh_date(n.deadline))
                    } else {
                        n.why.clone()
                    };
                    (n.state, why)
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn visit_tag(needs: &[(VisitState, String)]) -> Tag {
    let t = |key, zh| Tag { key, zh };
    match needs.iter().map(|(s, _)| *s).min() {
        None => t("none", "无定期要求"),
        Some(VisitState::Overdue) => t("overdue", "逾期"),
        Some(VisitState::Due) => t("due", "待走访"),
        Some(VisitState::Remote) => t("remote", "电话书信联系"),
        Some(VisitState::Done) => t("done", "已完成"),
    }
}

/// Sort rank of a status, visit or card key: in [`TAG_ORDER`] (overdue visits first).
fn tag_rank(key: &str) -> u8 {
    TAG_ORDER.iter().position(|k| *k == key).unwrap_or(TAG_ORDER.len()) as u8
}

pub fn phone_at(level: Level, raw: &Option<crate::yaml::Located<String>>) -> String {
    match (level, raw) {
        (Level::Hidden, _) | (_, None) => String::new(),
        (Level::Full, Some(p)) => p.value.clone(),
        (_, Some(p)) => mask_phone(&p.value),
    }
}

/// A departure's destination as far as the policy allows.
pub fn destination_shown(policy: &RegisterPolicy, d: &Departure) -> String {
    match policy.level("whereabouts") {
        Level::Hidden => String::new(),
        Level::Partial => destination_at(&d.destination, 1),
        Level::City => destination_at(&d.destination, 2),
        Level::Full => destination_at(&d.destination, 4),
    }
}

/// One row of the register.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub name_sort: String,
    pub search: String,
    pub branch_id: String,
    pub branch: String,
    /// "b1/g2", unique across branches; "" when the member has no group.
    pub group_key: String,
    pub group: String,
    pub age: Option<u32>,
    pub age_band: &'static str,
    pub status: Tag,
    pub whereabouts: String,
    pub mobile: String,
    pub card: Tag,
    pub visit: Tag,
    pub visit_rank: u8,
    /// Sort keys: branch and group in org.yaml's order, status and card in [`TAG_ORDER`].
    pub branch_rank: usize,
    pub group_rank: usize,
    pub status_rank: u8,
    pub card_rank: u8,
    pub native_place: String,
    pub native_province: String,
    pub area: String,
    /// The visit needs the register may show (state, why), for the member page.
    #[serde(skip)]
    pub needs: Vec<(VisitState, String)>,
}

pub fn row(f: &MemberFacts, office: &Office) -> Row {
    let m = f.member;
    let policy = &office.org.register;
    let (branch, group) = office.branch_and_group_names(m);
    let age = f.age.filter(|_| policy.shows("age"));
    let w = f.whereabouts;
    let whereabouts = match (w, f.current()) {
        (Whereabouts::AtHome, _) | (_, None) => String::new(),
        (_, Some(d)) => destination_shown(policy, d.departure),
    };
    let native_shown = policy.shows("native_place");
    let area = if policy.shows("address") { address_area(&m.address.value) } else { String::new() };
    let needs = visible_needs(f, policy);
    let visit = visit_tag(&needs);
    let branch_rank =
        office.org.branches.iter().position(|b| b.id.value == m.branch.value).unwrap_or(office.org.branches.len());
    let group_rank = office
        .branch(&m.branch.value)
        .zip(m.group.as_ref())
        .and_then(|(b, g)| b.groups.iter().position(|x| x.id.value == g.value))
        .map_or(branch_rank * 1000 + 999, |g| branch_rank * 1000 + g);
    let status = status_tag(f.situation);
    let card = card_tag(f);
    Row {
        id: m.id.value.clone(),
        name: m.name.value.clone(),
        name_sort: sort_key(&m.name.value),
        search: search_keys(&m.name.value),
        branch_id: m.branch.value.clone(),
        branch,
        group_key: m.group.as_ref().map(|g| format!("{}/{}", m.branch.value, g.value)).unwrap_or_default(),
        group,
        age,
        age_band: age.map_or("", age_band),
        status_rank: tag_rank(status.key),
        status,
        whereabouts,
        mobile: phone_at(policy.level("mobile"), &m.mobile),
        card_rank: tag_rank(card.key),
        card,
        branch_rank,
        group_rank,
        visit_rank: tag_rank(visit.key),
        visit,
        native_place: if native_shown { m.native_place.value.clone() } else { String::new() },
        native_province: if native_shown {
            province_of(&m.native_place.value).map_or_else(|| m.native_place.value.clone(), str::to_string)
        } else {
            String::new()
        },
        area,
        needs,
    }
}

/// A member's ID number as the policy allows: hidden, `1***************2X`, or whole.
pub fn id_number_shown(policy: &RegisterPolicy, raw: &str) -> String {
    let id = normalized_or_raw(raw);
    match policy.level("id_number") {
        Level::Hidden => String::new(),
        Level::Full => id,
        _ => {
            let chars: Vec<char> = id.chars().collect();
            let n = chars.len();
            if n < 4 {
                return "*".repeat(n);
            }
            std::iter::once(chars[0])
                .chain(std::iter::repeat_n('*', n - 3))
                .chain(chars[n - 2..].iter().copied())
                .collect()
        }
    }
}

/// Free text shortened to `max` characters for a summary.
pub fn summary(text: &str, max: usize) -> String {
    let t: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= max { t } else { t.chars().take(max).chain(std::iter::once('…')).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands() {
        assert_eq!(age_band(59), "u60");
        assert_eq!(age_band(60), "60-69");
        assert_eq!(age_band(89), "80-89");
        assert_eq!(age_band(90), "90+");
    }

    #[test]
    fn summaries() {
        assert_eq!(summary("腿脚不便，\n  上下楼难", 20), "腿脚不便， 上下楼难");
        assert_eq!(summary("一二三四五六", 4), "一二三四…");
    }

    #[test]
    fn id_masks() {
        let mut p = RegisterPolicy::default();
        assert_eq!(id_number_shown(&p, "11010519491231002X"), "");
        p.set("id_number", Level::Partial);
        assert_eq!(id_number_shown(&p, "11010519491231002x"), "1***************2X");
    }
}
