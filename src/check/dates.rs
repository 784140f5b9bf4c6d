//! Dates must be real and in order: birth < joining the Party ≤ full
//! membership ≤ today; retirement, visits and departures not in the future.

use chrono::{Months, NaiveDate};

use crate::diag::{Diagnostic, Diagnostics};
use crate::office::Member;
use crate::rules::age::{age_on, birth_date};
use crate::rules::membership::{Standing, admitted_without_probation, member_standing_on, probation_end_at_earliest};

pub fn check_member_dates(m: &Member, as_of: NaiveDate, d: &mut Diagnostics) {
    let f = &m.file;
    check_record_dates(m, as_of, d);
    let Some(joined) = &m.joined_party else { return };
    if joined.value > as_of {
        d.push(
            Diagnostic::error(f, Some(joined.pos), format!("入党日期 {} 晚于今天（{as_of}）", joined.value))
                .hint("核对入党日期"),
        );
    }
    if let Some(birth) = birth_date(m) {
        if joined.value <= birth {
            d.push(
                Diagnostic::error(f, Some(joined.pos), format!("入党日期 {} 早于出生日期 {birth}", joined.value))
                    .hint("核对入党日期和出生日期"),
            );
        } else if age_on(birth, joined.value) < 18 {
            d.push(
                Diagnostic::warning(
                    f,
                    Some(joined.pos),
                    format!("入党时未满 18 周岁（入党 {}，出生 {birth}）", joined.value),
                )
                .hint("核对入党日期；年满十八岁方可入党"),
            );
        }
        let age = age_on(birth, as_of);
        if !(45..=115).contains(&age) {
            let pos = m.birth_date.as_ref().map(|b| b.pos).unwrap_or(m.id_number.pos);
            d.push(
                Diagnostic::warning(f, Some(pos), format!("年龄 {age} 岁，不像离退休党员"))
                    .hint("核对出生日期和公民身份号码"),
            );
        }
        if let Some(r) = &m.retired
            && r.value <= birth
        {
            d.push(
                Diagnostic::error(f, Some(r.pos), format!("退休日期 {} 早于出生日期 {birth}", r.value))
                    .hint("核对退休日期"),
            );
        }
    }
    if let Some(full) = &m.full_member {
        if full.value < joined.value {
            d.push(
                Diagnostic::error(f, Some(full.pos), format!("转正日期 {} 早于入党日期 {}", full.value, joined.value))
                    .hint("转正日期不能早于入党日期，一般在入党一年后"),
            );
        } else if full.value > as_of {
            d.push(
                Diagnostic::error(f, Some(full.pos), format!("转正日期 {} 晚于今天（{as_of}）", full.value))
                    .hint("核对转正日期"),
            );
        } else {
            let one_year = probation_end_at_earliest(joined.value);
            let limit = joined.value.checked_add_months(Months::new(24)).unwrap_or(joined.value);
            let early =
                full.value < one_year && !(full.value == joined.value && admitted_without_probation(joined.value));
            if admitted_without_probation(joined.value) && full.value != joined.value {
                d.push(
                    Diagnostic::warning(
                        f,
                        Some(full.pos),
                        format!(
                            "{} 入党在 1969年4月1日至1977年8月11日之间，当时没有预备期，转正日期应同入党日期（现写 {}，党龄因此少算，光荣在党纪念也会推迟）",
                            joined.value, full.value
                        ),
                    )
                    .hint(format!("核对入党材料；确无预备期的，写 `full_member: {}`", joined.value)),
                );
            } else if early || full.value > limit {
                d.push(
                    Diagnostic::warning(f, Some(full.pos), format!("转正日期 {} 与入党日期 {} 相隔不是 1–2 年", full.value, joined.value))
                        .hint("预备期一般为一年，延长不超过一年；1969-04-01 至 1977-08-11 入党者无预备期（转正日期同入党日期）"),
                );
            }
        }
    } else if joined.value <= as_of && member_standing_on(m, as_of) == Standing::Unknown {
        d.push(
            Diagnostic::warning(
                f,
                Some(joined.pos),
                {
                    let overdue = joined.value.checked_add_months(Months::new(24)).is_some_and(|end| as_of > end);
                    format!(
                        "缺少转正日期（{}）：{} 入党，不在 1969-04-01 至 1977-08-11 无预备期的范围内，无法确定是正式党员还是预备党员{}",
                        m.name.value,
                        joined.value,
                        if overdue {
                            "；入党已超过两年，预备期（一年，延长不超过一年）早已届满，应已转正：请查档案补写转正日期，在此之前党龄暂不印"
                        } else {
                            "；党龄暂不印"
                        }
                    )
                },
            )
            .hint("在 `joined_party` 下一行补写 `full_member: YYYY-MM-DD`（转正日期，一般在入党一年后）"),
        );
    }
}

/// Dates that do not depend on the Party dates: retirement, visits, departures.
fn check_record_dates(m: &Member, as_of: NaiveDate, d: &mut Diagnostics) {
    let f = &m.file;
    if let Some(r) = &m.retired
        && r.value > as_of
    {
        d.push(
            Diagnostic::error(f, Some(r.pos), format!("退休日期 {} 晚于今天（{as_of}）", r.value)).hint("核对退休日期"),
        );
    }
    for v in &m.visits {
        if v.date.value > as_of {
            d.push(
                Diagnostic::error(f, Some(v.date.pos), format!("走访日期 {} 晚于今天（{as_of}）", v.date.value))
                    .hint("只登记已经完成的走访"),
            );
        }
    }
    for dep in &m.departures {
        let start = &dep.start;
        let later =
            [(&dep.planned_end, "预计返回日期"), (&dep.returned, "返回日期"), (&dep.card_returned, "交回联系卡日期")];
        for (date, label) in later {
            if let Some(x) = date
                && x.value < start.value
            {
                d.push(
                    Diagnostic::error(f, Some(x.pos), format!("{label} {} 早于外出日期 {}", x.value, start.value))
                        .hint("核对外出登记中的日期"),
                );
            }
        }
        if let Some(r) = &dep.returned
            && r.value > as_of
        {
            d.push(
                Diagnostic::error(f, Some(r.pos), format!("返回日期 {} 晚于今天（{as_of}）", r.value))
                    .hint("尚未返回的，不要填 `returned`"),
            );
        }
        if let Some(a) = &dep.arrived
            && a.value > as_of
        {
            d.push(
                Diagnostic::warning(f, Some(a.pos), format!("到达日期 {} 晚于今天（{as_of}）", a.value))
                    .hint("只登记已经到达的；还没到的先不写 `arrived`"),
            );
        }
    }
    for c in &m.contacts {
        if c.date.value > as_of {
            d.push(
                Diagnostic::warning(f, Some(c.date.pos), format!("联系日期 {} 晚于今天（{as_of}）", c.date.value))
                    .hint("只登记已经联系过的"),
            );
        }
    }
    // Two stays at once cannot be: each ends (returned, else planned, else
    // still under way) before the next begins.
    let mut stays: Vec<&crate::office::Departure> = m.departures.iter().collect();
    stays.sort_by_key(|x| x.start.value);
    for pair in stays.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let end = a.returned.as_ref().map(|r| r.value);
        if end.is_some_and(|e| e > b.start.value) {
            d.push(
                Diagnostic::error(
                    f,
                    Some(b.start.pos),
                    format!(
                        "外出 {} 从 {} 开始，而上一次外出 {} 到 {} 才返回：两次外出的时间重叠",
                        b.id.value,
                        b.start.value,
                        a.id.value,
                        end.expect("checked")
                    ),
                )
                .hint("核对两次外出的外出日期和返回日期"),
            );
        }
    }
    if let Some(p) = &m.pension
        && !(PENSION_SANE.0..=PENSION_SANE.1).contains(&p.value)
    {
        d.push(
            Diagnostic::error(f, Some(p.pos), format!("月基本养老金 {} 元不像真实数额", p.value))
                .hint(format!("写每月的基本养老金（元），在 {} 到 {} 之间，例如 4800", PENSION_SANE.0, PENSION_SANE.1)),
        );
    }
}

/// A monthly pension (元) a retiree can have: none below nothing, none above
/// a hundred thousand (党费 would be computed from any number given).
const PENSION_SANE: (f64, f64) = (0.0, 100_000.0);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::member_joined;

    fn warnings(joined: &str, extra: &str, as_of: &str) -> Vec<String> {
        let m = member_joined("1950-03-05", joined, extra);
        let mut d = Diagnostics::default();
        check_member_dates(&m, NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap(), &mut d);
        d.iter().map(|x| format!("{}: {} / {}", x.location(), x.message, x.hint)).collect()
    }

    #[test]
    fn records_that_contradict_each_other_or_the_day_are_told() {
        let two = "departures:\n  - id: W1\n    start: 2026-03-01\n    returned: 2026-06-01\n  - id: W2\n    start: 2026-05-01\n    returned: 2026-07-01\n";
        let w = warnings("1975-07-01", two, "2026-11-26");
        assert!(
            w.iter().any(|x| x.contains("外出 W2 从 2026-05-01 开始，而上一次外出 W1 到 2026-06-01 才返回")),
            "{w:?}"
        );
        let apart = two.replace("start: 2026-05-01", "start: 2026-06-01");
        assert!(!warnings("1975-07-01", &apart, "2026-11-26").iter().any(|x| x.contains("重叠")));
        let later = "contacts:\n  - date: 2026-12-01\n    channel: 电话\n";
        assert!(warnings("1975-07-01", later, "2026-11-26").iter().any(|x| x.contains("联系日期 2026-12-01 晚于今天")));
        for pension in ["1e308", "250000"] {
            let w = warnings("1975-07-01", &format!("pension: {pension}\n"), "2026-11-26");
            assert!(w.iter().any(|x| x.contains("不像真实数额")), "{pension}: {w:?}");
        }
        assert!(!warnings("1975-07-01", "pension: 4800\n", "2026-11-26").iter().any(|x| x.contains("不像真实数额")));
    }

    #[test]
    fn a_probation_recorded_for_a_1969_to_1977_admission_is_told_with_the_rule() {
        let m = crate::rules::testing::member_joined("1950-03-05", "1976-03-01", "full_member: 1977-03-01\n");
        let mut d = Diagnostics::default();
        check_member_dates(&m, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(), &mut d);
        let said: Vec<String> = d.iter().map(|x| format!("{} {}", x.message, x.hint)).collect();
        assert!(
            said.iter()
                .any(|s| s.contains("当时没有预备期，转正日期应同入党日期") && s.contains("full_member: 1976-03-01")),
            "{said:?}"
        );
        // More than two years after admission without 转正: the probation has long run out.
        let m = crate::rules::testing::member_joined("1960-03-05", "2023-06-01", "");
        let mut d = Diagnostics::default();
        check_member_dates(&m, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(), &mut d);
        assert!(
            d.iter().any(|x| x.message.contains("预备期（一年，延长不超过一年）早已届满")),
            "{:?}",
            d.iter().map(|x| &x.message).collect::<Vec<_>>()
        );
    }

    #[test]
    fn missing_full_member_outside_the_no_probation_window_is_asked_for() {
        let w = warnings("1985-07-01", "", "2026-11-26");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("t.yaml:9:15: 缺少转正日期（张三）：1985-07-01 入党"), "{}", w[0]);
        assert!(w[0].contains("`full_member: YYYY-MM-DD`"), "{}", w[0]);
        // Either side of the window, too.
        assert_eq!(warnings("1969-03-31", "", "2026-11-26").len(), 1);
        assert_eq!(warnings("1977-08-12", "", "2026-11-26").len(), 1);
    }

    #[test]
    fn no_warning_inside_the_window_with_a_date_or_during_the_first_year() {
        assert!(warnings("1969-04-01", "", "2026-11-26").is_empty());
        assert!(warnings("1977-08-11", "", "2026-11-26").is_empty());
        assert!(warnings("1985-07-01", "full_member: 1986-07-01\n", "2026-11-26").is_empty());
        // Admitted less than a year ago: still probationary, nothing is missing.
        assert!(warnings("2026-03-01", "", "2027-02-28").is_empty());
        assert_eq!(warnings("2026-03-01", "", "2027-03-01").len(), 1);
    }
}
