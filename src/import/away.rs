//! The mobile members' columns of an office's register — 是否流动党员,
//! 流动去向 ("广东省深圳市南山区（随女儿居住）"), 外出时间, 预计返回时间, or a
//! 备注 like "2026年9月起外出，预计明年3月回" — read into a departure. What
//! cannot be read is said, and kept in the notes, never dropped.

use chrono::{Datelike, NaiveDate};

use super::columns::Field;
use super::member_yaml::{quoted, scalar};
use super::table::Cell;
use super::values;
use crate::rules::places::{PlaceParts, split_place};

/// A row's mobile-member cells: field → (column, cell).
pub type AwayCells<'a> = Vec<(Field, usize, &'a Cell)>;

/// A departure read from a row.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct AwayDraft {
    pub reason: Option<String>,
    pub place: PlaceParts,
    pub org: Option<String>,
    pub start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub phone: Option<String>,
}

/// What a row says about being away.
#[derive(Debug, Default)]
pub struct AwayRead {
    pub departure: Option<AwayDraft>,
    /// (column, message): what was guessed or could not be read.
    pub warnings: Vec<(Option<usize>, String)>,
    /// Text to keep in the member's notes when no departure could be made.
    pub keep_in_notes: Option<String>,
}

/// The first bracketed remark of `text` ("…南山区（随女儿居住）" → 随女儿居住).
fn bracketed(text: &str) -> Option<String> {
    let start = text.find(['（', '('])?;
    let inner = &text[start..];
    let inner = inner.char_indices().skip(1).take_while(|(_, c)| !matches!(c, '）' | ')')).map(|(_, c)| c);
    let s: String = inner.collect();
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// A date expression at the start of `s`: "2026年9月", "2026.9", "明年3月",
/// "3月" — (year or relative year, month, day).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Year {
    Given(i32),
    /// 今年 0, 明年 1, 后年 2; no year written: None.
    Relative(Option<i32>),
}

fn digits_at(s: &str) -> (u32, usize) {
    let n: String = s.chars().take_while(char::is_ascii_digit).collect();
    (n.parse().unwrap_or(0), n.len())
}

/// Every date in a note, with where it sits: (byte start, byte end, year, month, day).
fn dates_in(note: &str) -> Vec<(usize, usize, Year, u32, Option<u32>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < note.len() {
        let s = &note[i..];
        let (year, after) = if let Some(r) = ["今年", "明年", "后年"].iter().position(|w| s.starts_with(w)) {
            (Year::Relative(Some(r as i32)), i + "今年".len())
        } else {
            let (n, len) = digits_at(s);
            if len == 4 && (1900..2200).contains(&n) && s[4..].starts_with(['年', '.', '-', '/']) {
                (Year::Given(n as i32), i + 4 + s[4..].chars().next().map_or(0, char::len_utf8))
            } else if (1..=2).contains(&len)
                && s[len..].starts_with('月')
                && !note[..i].ends_with(|c: char| c.is_ascii_digit())
            {
                (Year::Relative(None), i)
            } else {
                i += s.chars().next().map_or(1, char::len_utf8);
                continue;
            }
        };
        let (month, mlen) = digits_at(&note[after..]);
        if !(1..=12).contains(&month) || mlen == 0 {
            i = after.max(i + 1);
            continue;
        }
        let mut end = after + mlen;
        if note[end..].starts_with('月') {
            end += '月'.len_utf8();
        }
        let (day, dlen) = digits_at(&note[end..]);
        let day = (dlen > 0 && (1..=31).contains(&day) && note[end + dlen..].starts_with(['日', '号'])).then(|| {
            end += dlen + '日'.len_utf8();
            day
        });
        out.push((i, end, year, month, day));
        i = end;
    }
    out
}

/// Start and planned return from a note: "2026年9月起外出，预计明年3月回".
/// A date before 外出/离开/起/出发 is the start; one after 预计/计划 or before
/// 回/返 the return. 明年 counts from the start's year, else from `year`.
pub fn note_dates(note: &str, year: i32) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let mut start = None;
    let mut end = None;
    let found = dates_in(note);
    let start_year = found.iter().find_map(|(_, _, y, _, _)| match y {
        Year::Given(y) => Some(*y),
        _ => None,
    });
    for (from, to, y, m, d) in found {
        let before: String = note[..from].chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        let after: String = note[to..].chars().take(4).collect();
        let y = match y {
            Year::Given(y) => y,
            Year::Relative(r) => start.map_or(start_year.unwrap_or(year), |s: NaiveDate| s.year()) + r.unwrap_or(0),
        };
        let Some(date) = NaiveDate::from_ymd_opt(y, m, d.unwrap_or(1)) else { continue };
        let returning = before.contains("预计") || before.contains("计划") || after.starts_with(['回', '返']);
        let leaving =
            ["外出", "离开", "起", "出发", "赴", "去"].iter().any(|w| after.starts_with(w) || after.contains(w));
        if returning && end.is_none() {
            end = Some(date);
        } else if leaving && start.is_none() && !returning {
            start = Some(date);
        }
    }
    (start, end)
}

fn text_of<'a>(cells: &AwayCells<'a>, f: Field) -> Option<(usize, &'a Cell)> {
    cells.iter().find(|(g, _, c)| *g == f && !c.is_empty()).map(|(_, col, c)| (*col, *c))
}

/// Read a row's mobile-member cells (and its 备注) into a departure.
/// `year` is the year a relative date ("明年3月") counts from when the note
/// gives no other.
pub fn read(cells: &AwayCells, notes: Option<&str>, year: i32) -> AwayRead {
    let mut read = AwayRead::default();
    let is_away = text_of(cells, Field::IsAway).map(|(c, cell)| (c, values::yes_no(cell)));
    let place = text_of(cells, Field::AwayPlace).map(|(c, cell)| (c, cell.text()));
    // A note alone makes a departure only when it says when they left.
    let note_says_away = notes.is_some_and(|n| note_dates(n, year).0.is_some());
    match &is_away {
        Some((_, Ok((v, _)))) if v == "false" => {
            // 否 with a place: the place is kept, no departure made.
            if let Some((c, p)) = &place {
                read.warnings.push((Some(*c), format!("标为不是流动党员，去向“{p}”没有建外出登记，已写进备注")));
                read.keep_in_notes = Some(format!("流动去向：{p}"));
            }
            return read;
        }
        Some((c, Err(e))) => read.warnings.push((Some(*c), e.clone())),
        _ => {}
    }
    let marked = matches!(&is_away, Some((_, Ok((v, _)))) if v == "true");
    let start_cell = text_of(cells, Field::AwayStart);
    if !marked && place.is_none() && start_cell.is_none() && !note_says_away {
        return read;
    }
    let mut d = AwayDraft::default();
    if let Some((c, p)) = &place {
        d.reason = bracketed(p);
        d.place = split_place(&super::columns::without_brackets(p));
        if d.place.province.is_empty() && d.place.city.is_empty() {
            read.warnings.push((Some(*c), format!("去向“{p}”分不出省、市、县（区），整句写进了详细地址，请核对")));
        }
    }
    if let Some((_, r)) = text_of(cells, Field::AwayReason) {
        d.reason = Some(r.text());
    }
    if let Some((_, o)) = text_of(cells, Field::AwayOrg) {
        d.org = Some(o.text());
    }
    if let Some((c, p)) = text_of(cells, Field::AwayPhone) {
        match values::phone(p) {
            Ok((v, w)) => {
                d.phone = Some(v);
                read.warnings.extend(w.map(|w| (Some(c), w)));
            }
            Err(e) => read.warnings.push((Some(c), e)),
        }
    }
    let mut date_of = |f: Field| {
        let (c, cell) = text_of(cells, f)?;
        match values::date(cell) {
            Ok((v, w)) => {
                read.warnings.extend(w.map(|w| (Some(c), w)));
                v.parse::<NaiveDate>().ok()
            }
            Err(e) => {
                read.warnings.push((Some(c), e));
                None
            }
        }
    };
    d.start = date_of(Field::AwayStart);
    d.planned_end = date_of(Field::AwayEnd);
    if let Some(n) = notes {
        let (start, end) = note_dates(n, d.start.map_or(year, |s| s.year()));
        d.start = d.start.or(start);
        d.planned_end = d.planned_end.or(end);
        if d.reason.is_none() && place.is_none() {
            d.reason = bracketed(n);
        }
    }
    if d.start.is_none() {
        let what = place.as_ref().map(|(_, p)| format!("去向“{p}”")).unwrap_or_else(|| "外出".into());
        read.warnings.push((
            place.as_ref().map(|(c, _)| *c),
            format!("是流动党员，但表中读不出外出时间，没有建外出登记（{what}已写进备注）；请查明外出日期后用 `departures:` 登记"),
        ));
        if let Some((_, p)) = &place {
            read.keep_in_notes = Some(format!("流动去向：{p}"));
        }
        return read;
    }
    read.departure = Some(d);
    read
}

/// A departure id not taken yet: W{year}-{nn}.
pub fn next_departure_id(year: i32, taken: &mut std::collections::HashSet<String>) -> String {
    let id = crate::office::departure::first_free_number(&format!("W{year}-"), 2, taken);
    taken.insert(id.clone());
    id
}

/// The `departures:` block for a member file, and the field of each line.
pub fn render(d: &AwayDraft, id: &str) -> (String, Vec<Field>) {
    let mut out = String::new();
    let mut lines = Vec::new();
    let mut line = |f: Field, text: String| {
        out.push_str(&text);
        out.push('\n');
        lines.push(f);
    };
    line(Field::IsAway, "departures:".into());
    line(Field::IsAway, "  # 由台帐里的流动党员栏目整理，请核对".into());
    line(Field::IsAway, format!("  - id: {id}"));
    if let Some(r) = &d.reason {
        line(Field::AwayPlace, format!("    reason: {}", scalar(r)));
    }
    let p = &d.place;
    if [&p.province, &p.city, &p.county, &p.address].iter().any(|s| !s.is_empty()) {
        line(Field::AwayPlace, "    destination:".into());
        for (key, v) in [("province", &p.province), ("city", &p.city), ("county", &p.county), ("address", &p.address)] {
            if !v.is_empty() {
                line(Field::AwayPlace, format!("      {key}: {}", scalar(v)));
            }
        }
    }
    if let Some(o) = &d.org {
        line(Field::AwayOrg, "    receiving_org:".into());
        line(Field::AwayOrg, format!("      name: {}", scalar(o)));
    }
    if let Some(s) = d.start {
        line(Field::AwayStart, format!("    start: {s}"));
    }
    if let Some(e) = d.planned_end {
        line(Field::AwayEnd, format!("    planned_end: {e}"));
    }
    if let Some(ph) = &d.phone {
        line(Field::AwayPhone, format!("    phone_away: {}", quoted(ph)));
    }
    (out, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_a_note() {
        assert_eq!(note_dates("2026年9月起外出，预计明年3月回", 2025), (Some(d(2026, 9, 1)), Some(d(2027, 3, 1))));
        assert_eq!(
            note_dates("随子女居住，2025.11外出，预计2026年4月返回", 2026),
            (Some(d(2025, 11, 1)), Some(d(2026, 4, 1)))
        );
        assert_eq!(note_dates("10月15日去海南过冬，预计明年4月回", 2026), (Some(d(2026, 10, 15)), Some(d(2027, 4, 1))));
        assert_eq!(note_dates("腿脚不便", 2026), (None, None));
        assert_eq!(note_dates("1950年3月出生", 2026), (None, None));
    }

    #[test]
    fn a_row_of_a_mobile_member() {
        let yes = Cell::Text("是".into());
        let place = Cell::Text("广东省深圳市南山区（随女儿居住）".into());
        let cells: AwayCells = vec![(Field::IsAway, 10, &yes), (Field::AwayPlace, 11, &place)];
        let r = read(&cells, Some("2026年9月起外出，预计明年3月回"), 2026);
        let dep = r.departure.expect("a departure");
        assert_eq!(dep.reason.as_deref(), Some("随女儿居住"));
        assert_eq!(
            (dep.place.province.as_str(), dep.place.city.as_str(), dep.place.county.as_str()),
            ("广东省", "深圳市", "南山区")
        );
        assert_eq!((dep.start, dep.planned_end), (Some(d(2026, 9, 1)), Some(d(2027, 3, 1))));
        // No date anywhere: no departure, the place kept, the clerk told.
        let r = read(&cells, None, 2026);
        assert!(r.departure.is_none());
        assert_eq!(r.keep_in_notes.as_deref(), Some("流动去向：广东省深圳市南山区（随女儿居住）"));
        assert!(r.warnings[0].1.contains("读不出外出时间"), "{:?}", r.warnings);
        // A note that only mentions going out is not a departure.
        let r = read(&vec![], Some("外出时注意安全"), 2026);
        assert!(r.departure.is_none() && r.warnings.is_empty());
        // 否: nothing is made.
        let no = Cell::Text("否".into());
        let r = read(&vec![(Field::IsAway, 10, &no)], None, 2026);
        assert!(r.departure.is_none() && r.warnings.is_empty());
    }

    #[test]
    fn ids_continue() {
        let mut taken: std::collections::HashSet<String> = ["W2026-01".to_string()].into();
        assert_eq!(next_departure_id(2026, &mut taken), "W2026-02");
        assert_eq!(next_departure_id(2026, &mut taken), "W2026-03");
    }
}
