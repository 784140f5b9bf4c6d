//! Reporting periods: `2026-Q4`, `2026-11`, `2026`, or an explicit range.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// "2026年第四季度", "2026年11月", "2026年", "2026年3月1日至2026年5月31日"
    pub label: String,
    /// For file names: "2026-Q4".
    pub key: String,
}

impl Period {
    pub fn contains(&self, d: NaiveDate) -> bool {
        (self.from..=self.to).contains(&d)
    }

    /// The calendar quarter that contains `d`.
    pub fn quarter_of(d: NaiveDate) -> Self {
        parse_period(&format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1)).expect("valid quarter")
    }

    pub fn range(from: NaiveDate, to: NaiveDate) -> Self {
        Self {
            from,
            to,
            label: format!("{}至{}", crate::zh::zh_date(from), crate::zh::zh_date(to)),
            key: format!("{from}_{to}"),
        }
    }
}

fn last_day(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// Parse `2026-Q4` / `2026-11` / `2026`.
pub fn parse_period(s: &str) -> Option<Period> {
    const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];
    let s = s.trim();
    if let Some((y, q)) = s.split_once(['-', ' ']).filter(|(_, q)| q.starts_with(['Q', 'q'])) {
        let (y, q): (i32, u32) = (y.parse().ok()?, q[1..].parse().ok()?);
        if !(1..=4).contains(&q) {
            return None;
        }
        let from = NaiveDate::from_ymd_opt(y, q * 3 - 2, 1)?;
        return Some(Period {
            from,
            to: last_day(y, q * 3)?,
            label: format!("{y}年第{}季度", QUARTERS[q as usize - 1]),
            key: format!("{y}-Q{q}"),
        });
    }
    if let Some((y, m)) = s.split_once('-') {
        let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
        return Some(Period {
            from: NaiveDate::from_ymd_opt(y, m, 1)?,
            to: last_day(y, m)?,
            label: format!("{y}年{m}月"),
            key: format!("{y}-{m:02}"),
        });
    }
    let y: i32 = s.parse().ok().filter(|y| (1900..=2200).contains(y))?;
    Some(Period {
        from: NaiveDate::from_ymd_opt(y, 1, 1)?,
        to: NaiveDate::from_ymd_opt(y, 12, 31)?,
        label: format!("{y}年"),
        key: y.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_months_years() {
        let q = parse_period("2026-Q4").unwrap();
        assert_eq!(
            (q.from.to_string(), q.to.to_string(), q.label.as_str()),
            ("2026-10-01".into(), "2026-12-31".into(), "2026年第四季度")
        );
        let m = parse_period("2028-02").unwrap();
        assert_eq!(m.to.to_string(), "2028-02-29");
        assert_eq!(parse_period("2026").unwrap().key, "2026");
        assert!(parse_period("2026-Q5").is_none());
        assert!(parse_period("2026-13").is_none());
        assert_eq!(Period::quarter_of(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()).key, "2026-Q4");
    }
}
