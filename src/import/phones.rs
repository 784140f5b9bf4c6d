//! Phone columns by what they hold: offices write a landline under 联系电话,
//! a mobile under 电话, both in one cell ("0571-88886666/13912345678"). Each
//! number goes where it belongs — a mobile to `mobile`, a landline to
//! `home_phone` — whatever the column is called; the column's name only
//! says which number wins when there are two of a kind.

use super::columns::Field;

/// One number read out of a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// As written, less spaces and any bracketed remark.
    pub text: String,
    pub mobile: bool,
}

/// The mainland mobile number `digits` (digits only) is, without 86.
fn mobile_of(digits: &str) -> Option<&str> {
    let d = digits.strip_prefix("86").filter(|d| d.len() == 11).unwrap_or(digits);
    (d.len() == 11 && d.starts_with('1')).then_some(d)
}

/// The numbers in a cell: split at / 、 ， ； and line breaks, bracketed
/// remarks ("（宅）", "（女儿）") dropped, "无" and the like ignored.
pub fn numbers(text: &str) -> Vec<Number> {
    let bare = super::columns::without_brackets(text);
    bare.split(['/', '／', '、', ',', '，', ';', '；', '\n', '|'])
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|p| p.chars().any(|c| c.is_ascii_digit()))
        .map(|p| {
            let p = p.trim_start_matches("+86").trim_start_matches("＋86").to_string();
            let digits: String = p.chars().filter(char::is_ascii_digit).collect();
            match mobile_of(&digits) {
                Some(m) => Number { text: m.to_string(), mobile: true },
                None => Number { text: p, mobile: false },
            }
        })
        .collect()
}

/// Where a row's phone numbers go.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Placed {
    pub mobile: Option<(usize, String)>,
    pub home: Option<(usize, String)>,
    /// Further numbers (a second mobile, a second landline), by column:
    /// kept in the notes so that nothing is lost.
    pub extra: Vec<(usize, String)>,
}

/// Place the numbers of a row's phone cells `(column, field, text)`: a
/// column named for mobiles gives the mobile first, one named for
/// landlines the landline; 联系电话 comes after both.
pub fn place(cells: &[(usize, Field, String)]) -> Placed {
    let rank = |f: Field, mobile: bool| match (f, mobile) {
        (Field::Mobile, true) | (Field::HomePhone, false) => 0,
        (Field::Phone, _) => 1,
        _ => 2,
    };
    let mut all: Vec<(u8, usize, Number)> =
        cells.iter().flat_map(|(c, f, t)| numbers(t).into_iter().map(move |n| (rank(*f, n.mobile), *c, n))).collect();
    all.sort_by_key(|(r, c, _)| (*r, *c));
    let mut placed = Placed::default();
    let mut seen: Vec<String> = Vec::new();
    for (_, c, n) in all {
        let digits: String = n.text.chars().filter(char::is_ascii_digit).collect();
        if seen.contains(&digits) {
            continue;
        }
        seen.push(digits);
        let slot = if n.mobile { &mut placed.mobile } else { &mut placed.home };
        match slot {
            None => *slot = Some((c, n.text)),
            Some(_) => placed.extra.push((c, n.text)),
        }
    }
    placed
}

/// The area code of the office's own phones ("0571-88102235" → 0571).
pub fn area_code(org: &crate::office::Org) -> Option<String> {
    let phones = [&org.office.phone, &org.party_committee.phone]
        .into_iter()
        .chain(org.branches.iter().map(|b| &b.phone))
        .filter_map(|p| p.as_ref());
    phones
        .filter_map(|p| p.value.split_once('-'))
        .map(|(a, _)| a.to_string())
        .find(|a| a.starts_with('0') && (3..=4).contains(&a.len()) && a.bytes().all(|b| b.is_ascii_digit()))
}

/// A local landline ("85251234") with the office's area code put in
/// front: registers leave it out because every number is in town.
pub fn with_area_code(number: &str, area: Option<&str>) -> Option<String> {
    let local = (7..=8).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
        && !number.starts_with(['0', '1']);
    area.filter(|_| local).map(|a| format!("{a}-{number}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_with_both() {
        let n = numbers("0571-88886666/139 0571 2345");
        assert_eq!(
            n,
            vec![
                Number { text: "0571-88886666".into(), mobile: false },
                Number { text: "13905712345".into(), mobile: true }
            ]
        );
        assert_eq!(numbers("13912340078（女儿）")[0].text, "13912340078");
        assert!(numbers("无").is_empty());
        assert!(numbers("+86 13912340078")[0].mobile);
    }

    #[test]
    fn local_landlines_take_the_office_area_code() {
        assert_eq!(with_area_code("85251234", Some("0571")).as_deref(), Some("0571-85251234"));
        assert_eq!(with_area_code("0571-85251234", Some("0571")), None);
        assert_eq!(with_area_code("85251234", None), None);
    }

    #[test]
    fn by_content_not_by_name() {
        // 联系电话 holds a landline, 手机号码 the mobile: neither is a duplicate.
        let p = place(&[(5, Field::Phone, "0571-85259273".into()), (6, Field::Mobile, "13912345678".into())]);
        assert_eq!(p.mobile, Some((6, "13912345678".into())));
        assert_eq!(p.home, Some((5, "0571-85259273".into())));
        assert!(p.extra.is_empty());
        // A mobile under 住宅电话 is still the mobile.
        let p = place(&[(3, Field::HomePhone, "13812345678".into())]);
        assert_eq!(p.mobile, Some((3, "13812345678".into())));
        assert_eq!(p.home, None);
        // Two mobiles: the mobile column's wins, the other is kept apart.
        let p = place(&[(5, Field::Phone, "13700000001".into()), (6, Field::Mobile, "13912345678".into())]);
        assert_eq!(p.mobile, Some((6, "13912345678".into())));
        assert_eq!(p.extra, vec![(5, "13700000001".into())]);
        // The same number twice is one number.
        let p = place(&[(5, Field::Phone, "139-1234-5678".into()), (6, Field::Mobile, "13912345678".into())]);
        assert!(p.extra.is_empty());
    }
}
