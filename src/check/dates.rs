//! Dates must be real and in order: birth < joining the Party ≤ full
//! membership ≤ today; retirement, visits and departures not in the future.

use chrono::{Months, NaiveDate};

use crate::diag::{Diagnostic, Diagnostics};
use crate::office::Member;
use crate::rules::age::{age_on, birth_date};

/// Admissions in this window had no probation: 入党 = 转正 is valid.
fn no_probation(joined: NaiveDate) -> bool {
    let from = NaiveDate::from_ymd_opt(1969, 4, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(1977, 8, 11).unwrap();
    (from..=to).contains(&joined)
}

pub fn check_member_dates(m: &Member, as_of: NaiveDate, d: &mut Diagnostics) {
    let f = &m.file;
    check_record_dates(m, as_of, d);
    if !m.readable("joined_party") {
        return;
    }
    let joined = &m.joined_party;
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
            let one_year = joined.value.checked_add_months(Months::new(12)).unwrap_or(joined.value);
            let limit = joined.value.checked_add_months(Months::new(24)).unwrap_or(joined.value);
            let early = full.value < one_year && !(full.value == joined.value && no_probation(joined.value));
            if early || full.value > limit {
                d.push(
                    Diagnostic::warning(f, Some(full.pos), format!("转正日期 {} 与入党日期 {} 相隔不是 1–2 年", full.value, joined.value))
                        .hint("预备期一般为一年，延长不超过一年；1969-04-01 至 1977-08-11 入党者无预备期（转正日期同入党日期）"),
                );
            }
        }
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probation_window_is_inclusive() {
        assert!(no_probation(NaiveDate::from_ymd_opt(1969, 4, 1).unwrap()));
        assert!(no_probation(NaiveDate::from_ymd_opt(1977, 8, 11).unwrap()));
        assert!(!no_probation(NaiveDate::from_ymd_opt(1977, 8, 12).unwrap()));
        assert!(!no_probation(NaiveDate::from_ymd_opt(1969, 3, 31).unwrap()));
    }
}
