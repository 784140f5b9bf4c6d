//! Months as the ledger counts them: (year, month), numbered so that they
//! subtract, and said in Chinese ("2026年5月至10月").

use chrono::{Datelike, NaiveDate};

use crate::office::Month;

/// Months since year 0, so that months subtract.
pub fn index(m: Month) -> i32 {
    m.0 * 12 + m.1 as i32 - 1
}

pub fn month_of(i: i32) -> Month {
    (i.div_euclid(12), i.rem_euclid(12) as u32 + 1)
}

pub fn month_of_date(d: NaiveDate) -> Month {
    (d.year(), d.month())
}

/// "2026年3月".
pub fn month_zh(m: Month) -> String {
    format!("{}年{}月", m.0, m.1)
}

/// Months of a span, in order.
pub(super) fn months_in((from, to): (Month, Month)) -> impl Iterator<Item = Month> {
    (index(from)..=index(to)).map(month_of)
}

/// "2026年5月至10月" for consecutive months, else listed.
pub fn months_zh(months: &[Month]) -> String {
    let mut runs: Vec<(Month, Month)> = Vec::new();
    for &m in months {
        match runs.last_mut() {
            Some((_, to)) if index(*to) + 1 == index(m) => *to = m,
            _ => runs.push((m, m)),
        }
    }
    runs.iter()
        .map(|&(a, b)| match (a == b, a.0 == b.0) {
            (true, _) => month_zh(a),
            (false, true) => format!("{}至{}月", month_zh(a), b.1),
            (false, false) => format!("{}至{}", month_zh(a), month_zh(b)),
        })
        .collect::<Vec<_>>()
        .join("、")
}
