//! 登记外出 as one save: the departure gets the next `W<year>-nn`, the
//! rule decides (R5–R7, the same `rules::departure` that `check` and the
//! forms use) on the departure as it will read from the file, and when the
//! decision is a contact card, the card gets the next `LK<year>-nnn` and
//! today's date — recording the departure and issuing its card are one
//! change of the member file.

use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::edit::{Value, add_item};
use super::forms::Item;
use crate::office::{Member, Office};
use crate::rules::departure::{Decision, decide_on};

/// What the save will write and say.
pub struct Proposal {
    pub text: String,
    pub what: String,
}

/// The first `{prefix}{n}` (n from 1, `width` digits) no member has used.
fn next(office: &Office, prefix: &str, width: usize, used: impl Fn(&Member) -> Vec<String>) -> String {
    let taken: std::collections::HashSet<String> = office.members.iter().flat_map(used).collect();
    crate::office::departure::first_free_number(prefix, width, &taken)
}

pub fn next_departure_id(office: &Office, year: i32) -> String {
    next(office, &format!("W{year}-"), 2, |m| m.departures.iter().map(|d| d.id.value.clone()).collect())
}

pub fn next_card_number(office: &Office, year: i32) -> String {
    next(office, &format!("LK{year}-"), 3, |m| {
        m.departures.iter().filter_map(|d| d.card_number.as_ref().map(|c| c.value.clone())).collect()
    })
}

/// The member as `text` reads (the file as it will be).
pub fn read_back(file: &Path, text: &str) -> Result<Member, String> {
    crate::load::read_member_text(file, text, chrono::Local::now().date_naive())
        .map(|(m, _)| m)
        .map_err(|e| format!("改完后{e}"))
}

/// The departure item in the file's order of keys (see the sample office).
fn item(flat: &Item, id: &str, today: NaiveDate, card: Option<&str>) -> Item {
    let get = |k: &str| flat.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone());
    let scalar = |k: &str| match get(k) {
        Some(Value::Scalar(s)) => Some(s),
        _ => None,
    };
    // Applied for today, or — a stay recorded after it began — by its start.
    let start = scalar("start").and_then(|s| crate::yaml::parse_date(&s));
    let applied = start.map_or(today, |s| s.min(today));
    let mut out: Item = vec![("id", id.into()), ("applied", applied.to_string().into())];
    if let Some(v) = get("reason") {
        out.push(("reason", v));
    }
    let destination: Vec<(&'static str, String)> =
        ["province", "city", "county", "address"].into_iter().filter_map(|k| Some((k, scalar(k)?))).collect();
    out.push(("destination", Value::Map(destination)));
    let receiving: Vec<(&'static str, String)> =
        [("name", "receiving_org.name"), ("contact", "receiving_org.contact"), ("phone", "receiving_org.phone")]
            .into_iter()
            .filter_map(|(k, path)| Some((k, scalar(path)?)))
            .collect();
    if !receiving.is_empty() {
        out.push(("receiving_org", Value::Map(receiving)));
    }
    for k in ["start", "planned_end", "fixed_location", "near_home", "can_transfer", "phone_away"] {
        if let Some(v) = get(k) {
            out.push((k, v));
        }
    }
    if let Some(number) = card {
        out.push(("card", Value::Map(vec![("number", number.to_string()), ("issued", today.to_string())])));
    }
    out
}

/// The change 登记外出 makes to `text` (the member file `file`), and what
/// it says in words: the id, the stay, the rule's decision and the card.
pub fn propose(
    office: &Office,
    file: &Path,
    text: &str,
    flat: &Item,
    words: &str,
    today: NaiveDate,
) -> Result<Proposal, String> {
    let id = next_departure_id(office, today.year());
    let plain = add_item(file, text, "departures", &item(flat, &id, today, None))?;
    let member = read_back(file, &plain)?;
    let d = member.departures.iter().find(|d| d.id.value == id).ok_or("改完后读不到这次外出")?;
    let ruling = decide_on(d, &office.org.rules, today);
    let stay = match &d.planned_end {
        Some(end) => {
            let months = (end.value.year() - d.start.value.year()) * 12 + end.value.month() as i32
                - d.start.value.month() as i32;
            if months >= 1 {
                format!("外出约{months}个月")
            } else {
                format!("外出{}天", (end.value - d.start.value).num_days())
            }
        }
        None => "未定返回日期".to_string(),
    };
    let (text, card) = match ruling.decision {
        Decision::ContactCard => {
            let number = next_card_number(office, today.year());
            (add_item(file, text, "departures", &item(flat, &id, today, Some(&number)))?, Some(number))
        }
        _ => (plain, None),
    };
    // The reason without the decision it ends with ("外出不足6个月，发放联系卡").
    let reason = ruling.reason.trim_end_matches(ruling.decision.zh().as_str()).trim_end_matches('，');
    let decided = match (&ruling.decision, &card) {
        (Decision::ContactCard, Some(n)) => format!("{stay} → 发放联系卡，卡号 {n}（{reason}）"),
        (Decision::Transfer(_), _) => {
            format!("{stay} → {}（{reason}），请开组织关系介绍信", ruling.decision.zh())
        }
        _ => format!("{stay} → {}（{reason}）", ruling.decision.zh()),
    };
    Ok(Proposal { text, what: format!("登记外出 {id}：{words}。按规定：{decided}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office_of(members: &[&str]) -> Office {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("org.yaml"), "enterprise: 某厂\nbranches:\n  - id: b1\n    name: 第一支部\n")
            .unwrap();
        std::fs::create_dir_all(dir.path().join("members")).unwrap();
        for (i, m) in members.iter().enumerate() {
            std::fs::write(dir.path().join(format!("members/m{i}.yaml")), m).unwrap();
        }
        crate::load::load(dir.path()).0.unwrap()
    }

    #[test]
    fn the_next_numbers_skip_every_one_in_use() {
        let o = office_of(&[
            "id: a\nname: 甲\ndepartures:\n  - id: W2026-01\n    start: 2026-01-01\n    card:\n      number: LK2026-001\n  - id: W2026-03\n    start: 2026-02-01\n",
            "id: b\nname: 乙\ndepartures:\n  - id: W2026-02\n    start: 2026-01-01\n    card:\n      number: LK2026-002\n",
        ]);
        assert_eq!(next_departure_id(&o, 2026), "W2026-04");
        assert_eq!(next_departure_id(&o, 2027), "W2027-01");
        assert_eq!(next_card_number(&o, 2026), "LK2026-003");
    }
}
