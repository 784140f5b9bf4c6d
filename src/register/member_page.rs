//! A member's page: the fields the policy lets the intranet see, the
//! departure history and the visit log with the three questions' summary.

use chrono::NaiveDate;
use minijinja::context;
use serde::Serialize;

use super::pages::ser;
use super::view::{Row, destination_shown, id_number_shown, phone_at, summary};
use crate::documents::text;
use crate::facts::MemberFacts;
use crate::office::Office;
use crate::office::Word;
use crate::office::register_policy::{Level, RegisterPolicy};
use crate::rules::record::Handling;

#[derive(Serialize)]
struct Field {
    label: &'static str,
    value: String,
}

#[derive(Serialize)]
struct DepartureView {
    start: String,
    end: String,
    destination: String,
    decision: String,
    card: String,
    filed: String,
    /// 外出理由 and 外出情况汇报: only when the policy shows them.
    reason: String,
    report: String,
}

#[derive(Serialize)]
struct VisitView {
    date: String,
    kind: String,
    by: String,
    difficulties: String,
    suggestions: String,
    plans: String,
}

/// What a member page shows, field by field as the policy allows.
pub(super) fn member_context(f: &MemberFacts, r: &Row, office: &Office, as_of: NaiveDate) -> minijinja::Value {
    let policy = &office.org.register;
    let notes = policy.level("visit_notes");
    let departure_notes = policy.shows("departure_notes");
    let needs: Vec<_> =
        r.needs.iter().map(|(state, why)| context! { state => state.zh(), why => why.clone() }).collect();
    context! {
        member => ser(r), fields => ser(&fields(f, r, policy)),
        departures => ser(&departures(f, policy, as_of)), visits => ser(&visits(f.member, notes, as_of)),
        needs, attention => attention(f, policy, as_of),
        notes_shown => notes > Level::Hidden, notes_summary => notes == Level::Partial, departure_notes
    }
}

/// The member's fields: who, where, how to reach them, how they live.
fn fields(f: &MemberFacts, r: &Row, policy: &RegisterPolicy) -> Vec<Field> {
    let m = f.member;
    let mut fields = vec![Field { label: "性别", value: m.sex.value.zh().into() }];
    if let Some(age) = r.age {
        fields.push(Field { label: "年龄", value: format!("{age} 岁") });
    }
    fields.push(Field { label: "所在党支部", value: r.branch.clone() });
    fields.push(Field { label: "所在党小组", value: r.group.clone() });
    if policy.shows("native_place") {
        fields.push(Field { label: "籍贯", value: r.native_place.clone() });
    }
    match policy.level("address") {
        Level::Hidden => {}
        Level::Full => fields.push(Field { label: "家庭住址", value: m.address.value.clone() }),
        _ => fields.push(Field { label: "住址区域", value: r.area.clone() }),
    }
    fields.push(Field { label: "状态", value: r.status.zh.into() });
    let home_phone = phone_at(policy.level("home_phone"), &m.home_phone);
    let id = id_number_shown(policy, &m.id_number.value);
    for (label, value) in
        [("去向", r.whereabouts.clone()), ("手机", r.mobile.clone()), ("住宅电话", home_phone), ("公民身份号码", id)]
    {
        if !value.is_empty() {
            fields.push(Field { label, value });
        }
    }
    fields.extend(how_they_live(m, policy));
    fields.push(Field { label: "联系卡", value: r.card.zh.into() });
    fields.push(Field { label: "走访", value: r.visit.zh.into() });
    if policy.shows("dues_arrears") && f.dues.in_arrears() {
        fields.push(Field { label: "党费", value: "党费欠交".into() });
    }
    if policy.shows("notes")
        && let Some(n) = &m.notes
    {
        fields.push(Field { label: "备注", value: n.value.clone() });
    }
    fields
}

/// Health, hardship and family, each only when the policy shows it.
fn how_they_live(m: &crate::office::Member, policy: &RegisterPolicy) -> Vec<Field> {
    use crate::documents::{join_nonempty, word};
    let mut fields = Vec::new();
    if policy.shows("health")
        && let Some(h) = &m.health
    {
        fields.push(Field { label: "健康状况", value: join_nonempty(&[word(&h.status), text(&h.notes)], "；") });
    }
    if policy.shows("hardship")
        && let Some(h) = &m.hardship
    {
        fields.push(Field { label: "生活困难", value: join_nonempty(&[word(&h.level), text(&h.notes)], "；") });
    }
    if policy.shows("family") && !m.family_contacts.is_empty() {
        let v = m
            .family_contacts
            .iter()
            .map(|c| {
                let phone = phone_at(policy.level("family"), &c.phone);
                join_nonempty(&[c.name.value.clone(), text(&c.relation), phone], " ")
            })
            .collect::<Vec<_>>()
            .join("；");
        fields.push(Field { label: "家属联系人", value: v });
    }
    fields
}

/// The departures begun by `as_of`, the latest first.
fn departures(f: &MemberFacts, policy: &RegisterPolicy, as_of: NaiveDate) -> Vec<DepartureView> {
    let departure_notes = policy.shows("departure_notes");
    let mut departures: Vec<_> = f.departures.iter().filter(|d| d.started).collect();
    departures.sort_by_key(|d| std::cmp::Reverse(d.departure.start.value));
    departures
        .into_iter()
        .map(|df| {
            let d = df.departure;
            let end = match (&d.returned, &d.planned_end) {
                (Some(r), _) if r.value <= as_of => format!("{} 返回", r.value),
                (_, Some(p)) => format!("预计 {}", p.value),
                _ => "未定".into(),
            };
            let card = match (&df.handling, df.card_back) {
                (Handling::Card { issued: Some(i), .. }, Some(r)) => format!("{i} 发，{r} 交回"),
                (Handling::Card { issued: Some(i), .. }, None) => format!("{i} 发"),
                (Handling::Card { issued: None, .. }, Some(r)) => format!("{r} 交回"),
                (Handling::Card { issued: None, .. }, None) => "已发".to_string(),
                _ => String::new(),
            };
            DepartureView {
                start: d.start.value.to_string(),
                end,
                destination: destination_shown(policy, d),
                decision: match df.handling {
                    Handling::Unrecorded => format!("尚未办理（按规定{}）", df.rule.decision.zh()),
                    Handling::NearHome => "临时就近外出，不发卡".to_string(),
                    Handling::Card { .. } => "发放联系卡".to_string(),
                    Handling::Transferred { kind, .. } => format!("已转出{}组织关系", kind.zh()),
                    Handling::TransferPending { kind } => format!("拟转出{}组织关系", kind.zh()),
                },
                card,
                filed: d.filed.as_ref().map(|f| f.value.to_string()).unwrap_or_default(),
                reason: if departure_notes { text(&d.reason) } else { String::new() },
                report: if departure_notes { text(&d.report) } else { String::new() },
            }
        })
        .collect()
}

/// The visits made by `as_of`, the latest first; the three answers as the
/// policy's level for visit notes allows.
fn visits(m: &crate::office::Member, notes: Level, as_of: NaiveDate) -> Vec<VisitView> {
    let answer = |v: &Option<crate::yaml::Located<String>>| match notes {
        Level::Hidden => String::new(),
        Level::Full => text(v),
        _ => summary(&text(v), 40),
    };
    let mut visits: Vec<_> = m.visits.iter().filter(|v| v.date.value <= as_of).collect();
    visits.sort_by_key(|v| std::cmp::Reverse(v.date.value));
    visits
        .into_iter()
        .map(|v| VisitView {
            date: v.date.value.to_string(),
            kind: v.kind.value.zh().to_string(),
            by: text(&v.by),
            difficulties: answer(&v.difficulties),
            suggestions: answer(&v.suggestions),
            plans: answer(&v.plans),
        })
        .collect()
}

/// What the away page flags for this member, said here too: the same facts.
fn attention(f: &MemberFacts, policy: &RegisterPolicy, as_of: NaiveDate) -> Vec<String> {
    let mut attention: Vec<String> = f
        .attention()
        .into_iter()
        .filter(|a| *a != crate::facts::Attention::DuesOwed || policy.shows("dues_arrears"))
        .map(|a| a.zh().to_string())
        .collect();
    if let Some(end) = f
        .current()
        .filter(|_| f.whereabouts == crate::rules::status::Whereabouts::Away)
        .and_then(|d| d.departure.planned_end.as_ref())
        .filter(|e| e.value < as_of)
    {
        attention.push(format!("已过预计返回日期 {} 天", (as_of - end.value).num_days()));
    }
    attention
}
