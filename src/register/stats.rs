//! The statistics page: members by branch, age band and status, mobile
//! members by province, and this period's visits by branch.

use std::collections::BTreeMap;

use super::charts::{Chart, bar_chart};
use super::view::{AGE_BANDS, Row};
use crate::facts::MemberFacts;
use crate::office::Office;
use crate::rules::places::province_of;
use crate::rules::status::Whereabouts;

/// The statistics page's charts.
pub(super) fn charts(office: &Office, members: &[&MemberFacts], rows: &[Row]) -> Vec<Chart> {
    let people = &[("n", "人数")];
    let mut charts = Vec::new();
    let by_branch = office
        .org
        .branches
        .iter()
        .map(|b| (b.name.value.clone(), vec![rows.iter().filter(|r| r.branch_id == b.id.value).count() as u32]))
        .collect();
    charts.push(bar_chart("branches", "各支部党员人数", people, by_branch));
    if office.org.register.shows("age") {
        let ages = AGE_BANDS
            .iter()
            .map(|(k, label, _, _)| (label.to_string(), vec![rows.iter().filter(|r| r.age_band == *k).count() as u32]))
            .collect();
        charts.push(bar_chart("ages", "年龄分布", people, ages));
    }
    let statuses = [Whereabouts::AtHome, Whereabouts::Away, Whereabouts::TransferredOut]
        .iter()
        .map(|w| (w.zh().to_string(), vec![members.iter().filter(|f| f.whereabouts == *w).count() as u32]))
        .collect();
    charts.push(bar_chart("statuses", "在家与外出", people, statuses));
    if office.org.register.shows("whereabouts") {
        let mut provinces: BTreeMap<String, u32> = BTreeMap::new();
        // Members away now: not those at home, not those whose relationship moved.
        for f in members.iter().filter(|f| f.whereabouts == Whereabouts::Away) {
            if let Some(d) = f.current().map(|d| d.departure) {
                let p = d.destination.province.as_ref().map(|p| p.value.clone()).unwrap_or_default();
                let p = province_of(&p).map_or(p.clone(), |_| p);
                *provinces.entry(if p.is_empty() { "未填写".into() } else { p }).or_default() += 1;
            }
        }
        let mut v: Vec<(String, Vec<u32>)> = provinces.into_iter().map(|(p, n)| (p, vec![n])).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        charts.push(bar_chart("provinces", "外出党员去向（按省份）", people, v));
    }
    let states = [("done", "已完成"), ("due", "待走访"), ("overdue", "逾期"), ("remote", "电话书信联系")];
    let visits = office
        .org
        .branches
        .iter()
        .map(|b| {
            let own: Vec<&Row> = rows.iter().filter(|r| r.branch_id == b.id.value).collect();
            (
                b.name.value.clone(),
                states.iter().map(|(k, _)| own.iter().filter(|r| r.visit.key == *k).count() as u32).collect(),
            )
        })
        .collect();
    charts.push(bar_chart("visits", "本期走访完成情况（按支部）", &states, visits));
    charts
}
