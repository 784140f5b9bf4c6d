//! Cell values as the data format writes them: dates from Excel dates,
//! numbers or the many ways people type them; ID numbers and phones that
//! Excel turned into numbers; 男/女, 是/否.

use chrono::NaiveDate;

use super::table::{Cell, excel_date};

/// A value read, possibly with a warning about how it was read.
pub type Read = Result<(String, Option<String>), String>;

fn ok(s: impl Into<String>) -> Read {
    Ok((s.into(), None))
}

/// A name: one line of text, no control characters (a line break typed
/// into the cell would split the name on every paper).
pub fn name(c: &Cell) -> Read {
    let t = c.text();
    if t.chars().any(char::is_control) {
        return Err(format!("姓名“{}”里有换行或控制字符；请在表格里把这一格改成一行", t.escape_debug()));
    }
    ok(t)
}

/// An ID number. Excel keeps 15 significant digits: an 18-digit number
/// typed into a number cell has lost its last digits and cannot be repaired.
pub fn id_number(c: &Cell) -> Read {
    match c {
        Cell::Number(n) => {
            let digits = c.text();
            if *n >= 1e15 {
                let digits = excel_digits(*n);
                Err(format!(
                    "身份证号被 Excel 存成了数字（读到 {digits}），Excel 只保留 15 位有效数字，后几位已经丢失，无法还原"
                ))
            } else if digits.len() == 15 {
                ok(digits)
            } else {
                Err(format!("身份证号“{digits}”位数不对（{} 位）", digits.len()))
            }
        }
        _ => {
            let t = c.text();
            if is_scientific(&t) {
                return Err(format!(
                    "身份证号写成了科学计数法“{t}”（Excel 把它当成数字后另存为 CSV 时就会这样），后几位已经丢失，无法还原"
                ));
            }
            ok(t.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase())
        }
    }
}

/// "3.30106E+17": what Excel writes to a CSV for a long number.
fn is_scientific(t: &str) -> bool {
    let t = t.trim().to_ascii_uppercase();
    let Some((mantissa, exp)) = t.split_once("E+") else { return false };
    !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !exp.is_empty()
        && exp.chars().all(|c| c.is_ascii_digit())
}

/// A large number as Excel shows it: 15 significant digits, then zeros.
fn excel_digits(n: f64) -> String {
    let sci = format!("{n:.14e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let mut digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let len = exp.parse::<usize>().unwrap_or(0) + 1;
    while digits.len() < len {
        digits.push('0');
    }
    digits.truncate(len);
    digits
}

/// A phone number; Excel drops a landline's leading 0 from a number cell.
pub fn phone(c: &Cell) -> Read {
    let t = c.text();
    if is_scientific(&t) {
        return Err(format!("电话写成了科学计数法“{t}”，号码已经不全；请在原表中把该列设为文本后重新录入"));
    }
    match c {
        Cell::Number(_) if !t.starts_with('1') && t.len() >= 9 => {
            Ok((format!("0{t}"), Some(format!("电话“{t}”存成了数字，区号前的 0 已丢失，已补为 0{t}，请核对"))))
        }
        _ => ok(t),
    }
}

pub fn postcode(c: &Cell) -> Read {
    let t = c.text();
    match c {
        Cell::Number(_) if t.len() < 6 => {
            let padded = format!("{t:0>6}");
            Ok((padded.clone(), Some(format!("邮编“{t}”存成了数字，开头的 0 已丢失，已补为 {padded}"))))
        }
        _ => ok(t),
    }
}

pub fn sex(c: &Cell) -> Read {
    match c.text().as_str() {
        "男" | "男性" | "M" | "m" => ok("男"),
        "女" | "女性" | "F" | "f" => ok("女"),
        other => Err(format!("性别“{other}”无法识别，应为 男 或 女")),
    }
}

pub fn ethnicity(c: &Cell) -> Read {
    let t = c.text();
    if t.ends_with('族') || t.chars().count() > 3 { ok(t) } else { ok(format!("{t}族")) }
}

pub fn yes_no(c: &Cell) -> Read {
    match c {
        Cell::Bool(b) => ok(if *b { "true" } else { "false" }),
        _ => match c.text().to_lowercase().as_str() {
            "是" | "y" | "yes" | "true" | "√" | "✓" | "1" => ok("true"),
            "否" | "n" | "no" | "false" | "×" | "✗" | "0" => ok("false"),
            other => Err(format!("“{other}”无法识别，应为 是 或 否")),
        },
    }
}

pub fn amount(c: &Cell) -> Read {
    let t = c.text().replace([',', '，', '元'], "");
    match t.trim().parse::<f64>() {
        Ok(v) if v >= 0.0 => ok(t.trim().to_string()),
        _ => Err(format!("金额“{}”不是数字", c.text())),
    }
}

/// A date as a register writes it: to the day, or only to the month.
#[derive(Debug, Clone, PartialEq)]
enum Day {
    Exact(NaiveDate),
    /// The month's first day, and the text as written.
    Month(NaiveDate, String),
}

/// A date from a date cell, an Excel serial number, 19750216, or text such
/// as 1975-02-16, 1975/2/16, 1975.02.16, 1975年2月16日; a month alone
/// (1975.02, 1975年2月) becomes its first day, with a warning.
pub fn date(c: &Cell) -> Read {
    match day(c)? {
        Day::Exact(d) => ok(d.to_string()),
        Day::Month(d, t) => Ok((d.to_string(), Some(format!("“{t}”只写到月，按当月 1 日（{d}）导入，请核对")))),
    }
}

/// A birth date: one written to the month only ("1950.03", "1946年8月")
/// that agrees with the ID number's year and month is confirmed by it —
/// the ID number's full date, no warning.
pub fn birth_date(c: &Cell, from_id: Option<NaiveDate>) -> Read {
    use chrono::Datelike;
    match (day(c)?, from_id) {
        (Day::Month(d, _), Some(b)) if (d.year(), d.month()) == (b.year(), b.month()) => ok(b.to_string()),
        _ => date(c),
    }
}

fn day(c: &Cell) -> Result<Day, String> {
    let exact = |d: NaiveDate| Ok(Day::Exact(d));
    match c {
        Cell::Date(d) => exact(*d),
        Cell::Number(n) => {
            let t = c.text();
            if n.fract() != 0.0 && (1900.0..2100.0).contains(n) {
                return Err(format!(
                    "日期“{t}”被 Excel 存成了小数，分不清是 {} 月还是 {}0 月；请把该列设为文本，写成 年-月-日",
                    t.split('.').nth(1).unwrap_or(""),
                    t.split('.').nth(1).unwrap_or("")
                ));
            }
            if t.len() == 8
                && let Some(d) = NaiveDate::parse_from_str(&t, "%Y%m%d").ok()
            {
                return exact(d);
            }
            if t.len() == 6
                && let Some(d) = NaiveDate::parse_from_str(&format!("{t}01"), "%Y%m%d").ok()
            {
                return Ok(Day::Month(d, t));
            }
            match excel_date(*n) {
                Some(d) if (1900..2100).contains(&chrono::Datelike::year(&d)) => exact(d),
                _ => Err(format!("“{t}”不是日期")),
            }
        }
        _ => text_date(&c.text()),
    }
}

fn text_date(t: &str) -> Result<Day, String> {
    let s = t.trim().replace(['年', '月', '/', '.'], "-").replace('日', "");
    let s = s.trim_end_matches('-');
    let parts: Vec<&str> = s.split('-').filter(|p| !p.is_empty()).collect();
    let num = |p: &str| p.trim().parse::<u32>().ok();
    match parts.as_slice() {
        [y, m, d] => {
            let (Some(y), Some(m), Some(d)) = (num(y), num(m), num(d)) else { return bad(t) };
            NaiveDate::from_ymd_opt(y as i32, m, d).map_or_else(|| bad(t), |d| Ok(Day::Exact(d)))
        }
        [y, m] => {
            let (Some(y), Some(m)) = (num(y), num(m)) else { return bad(t) };
            NaiveDate::from_ymd_opt(y as i32, m, 1).map_or_else(|| bad(t), |d| Ok(Day::Month(d, t.to_string())))
        }
        [ymd] if ymd.len() == 8 => {
            NaiveDate::parse_from_str(ymd, "%Y%m%d").map_or_else(|_| bad(t), |d| Ok(Day::Exact(d)))
        }
        _ => bad(t),
    }
}

fn bad<T>(t: &str) -> Result<T, String> {
    Err(format!("“{t}”不是日期，应写成 年-月-日，例如 1975-07-01"))
}

/// "魏小红（配偶）19032913644；孙立琳（女儿）13817500344" → (name, relation, phone) each.
pub fn family(text: &str) -> Vec<(String, String, String)> {
    text.split(['；', ';', '\n', '、', '/', '／', '，', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let mut name = String::new();
            let mut relation = String::new();
            let mut phone = String::new();
            let mut in_bracket = false;
            for c in item.chars() {
                match c {
                    '（' | '(' => in_bracket = true,
                    '）' | ')' => in_bracket = false,
                    _ if in_bracket => relation.push(c),
                    _ if c.is_ascii_digit() || (c == '-' && !phone.is_empty()) => phone.push(c),
                    _ if c.is_whitespace() || c == '：' || c == ':' => {}
                    _ if phone.is_empty() => name.push(c),
                    _ => {}
                }
            }
            (name, relation, phone)
        })
        .collect()
}

/// One family contact from separate columns, each of which may carry the
/// relation in brackets: 紧急联系人 "王小明（儿子）", 家属电话
/// "13912340078（女儿）". Several in a cell ("王小明（儿子）、李娟（女儿）")
/// pair with the phones in order. Returns the contacts and the phones no
/// name goes with.
pub fn family_columns(names: &str, relation: &str, phones: &str) -> (Vec<(String, String, String)>, Vec<String>) {
    let people = family(names);
    let numbers = family(phones);
    let mut contacts = Vec::new();
    for (i, (name, rel, phone)) in people.iter().enumerate() {
        let number = numbers.get(i);
        // The relation column speaks for one person; brackets for their own.
        let column = if people.len() == 1 { relation } else { "" };
        let relation = [column, rel.as_str(), number.map_or("", |n| n.1.as_str()), relation]
            .into_iter()
            .find(|r| !r.is_empty())
            .unwrap_or("");
        let phone = if phone.is_empty() { number.map_or("", |n| n.2.as_str()) } else { phone.as_str() };
        contacts.push((name.clone(), relation.to_string(), phone.to_string()));
    }
    let left = numbers.iter().skip(people.len()).map(|(_, _, p)| p.clone()).filter(|p| !p.is_empty()).collect();
    (contacts, left)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn dates_in_every_shape() {
        for s in ["1975-02-16", "1975/2/16", "1975.02.16", "1975年2月16日", "19750216"] {
            assert_eq!(date(&t(s)), Ok(("1975-02-16".into(), None)), "{s}");
        }
        assert_eq!(date(&Cell::Number(27441.0)).unwrap().0, "1975-02-16");
        assert_eq!(date(&Cell::Number(19750216.0)).unwrap().0, "1975-02-16");
        let (d, w) = date(&t("1975.02")).unwrap();
        assert_eq!(d, "1975-02-01");
        assert!(w.unwrap().contains("只写到月"));
        assert!(date(&Cell::Number(1975.1)).unwrap_err().contains("分不清"));
        assert!(date(&t("1975-02-30")).is_err());
        assert!(date(&t("不详")).is_err());
    }

    #[test]
    fn id_numbers_stored_as_numbers() {
        let e = id_number(&Cell::Number(330106194801051234.0)).unwrap_err();
        assert!(e.contains("15 位有效数字") && e.contains("读到 330106194801051000"), "{e}");
        assert_eq!(id_number(&Cell::Number(330102340415031.0)).unwrap().0, "330102340415031");
        assert_eq!(id_number(&t(" 11010519491231002x ")).unwrap().0, "11010519491231002X");
        assert!(id_number(&t("3.30106E+17")).unwrap_err().contains("科学计数法"));
        assert!(phone(&t("1.39057E+10")).unwrap_err().contains("科学计数法"));
        assert!(!is_scientific("330106194810011237"));
    }

    #[test]
    fn phones_and_postcodes() {
        assert_eq!(phone(&Cell::Number(13800138000.0)).unwrap(), ("13800138000".into(), None));
        let (p, w) = phone(&Cell::Number(57188886666.0)).unwrap();
        assert_eq!(p, "057188886666");
        assert!(w.is_some());
        assert_eq!(postcode(&Cell::Number(10010.0)).unwrap().0, "010010");
    }

    #[test]
    fn small_words() {
        assert_eq!(sex(&t("女性")).unwrap().0, "女");
        assert!(sex(&t("未知")).is_err());
        assert_eq!(ethnicity(&t("汉")).unwrap().0, "汉族");
        assert_eq!(ethnicity(&t("蒙古族")).unwrap().0, "蒙古族");
        assert_eq!(yes_no(&t("否")).unwrap().0, "false");
    }

    #[test]
    fn relations_in_brackets() {
        assert_eq!(
            family_columns("王小明（儿子）", "", "13912340078").0,
            vec![("王小明".into(), "儿子".into(), "13912340078".into())]
        );
        assert_eq!(
            family_columns("王小明", "", "13912340078（女儿）").0,
            vec![("王小明".into(), "女儿".into(), "13912340078".into())]
        );
        assert_eq!(
            family_columns("王小明", "长子", "139 1234 0078").0,
            vec![("王小明".into(), "长子".into(), "13912340078".into())]
        );
        let (two, left) = family_columns("王小明（儿子）、李娟（女儿）", "", "13912340078/13800001111/0571-88886666");
        assert_eq!(two[1], ("李娟".into(), "女儿".into(), "13800001111".into()));
        assert_eq!(left, vec!["0571-88886666".to_string()]);
    }

    #[test]
    fn month_only_birth_dates_confirmed_by_the_id_number() {
        let id = NaiveDate::from_ymd_opt(1950, 3, 5);
        assert_eq!(birth_date(&t("1950.03"), id), Ok(("1950-03-05".into(), None)));
        assert_eq!(birth_date(&t("1950年3月"), id), Ok(("1950-03-05".into(), None)));
        assert_eq!(birth_date(&Cell::Number(195003.0), id), Ok(("1950-03-05".into(), None)));
        // A different month is not confirmed: the check says they disagree.
        let (d, w) = birth_date(&t("1950.04"), id).unwrap();
        assert_eq!(d, "1950-04-01");
        assert!(w.is_some());
        assert_eq!(birth_date(&t("1950-03-07"), id), Ok(("1950-03-07".into(), None)));
    }

    #[test]
    fn family_lines() {
        assert_eq!(
            family("魏小红（配偶）19032913644；孙立琳(女儿) 0571-8888666"),
            vec![
                ("魏小红".into(), "配偶".into(), "19032913644".into()),
                ("孙立琳".into(), "女儿".into(), "0571-8888666".into())
            ]
        );
    }
}
