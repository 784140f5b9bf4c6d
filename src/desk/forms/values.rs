//! One field's value as the clerk typed it, checked as `check` checks it
//! and written as the member file writes it: a date, months, an amount, a
//! phone number, a postcode, or text on one line.

use chrono::NaiveDate;

use super::FieldSpec;
use crate::desk::edit::Value;
use crate::import::member_yaml::{quoted, scalar};

/// The answers a yes-or-no field takes, and what the file says for each.
const YES_NO: &[(&str, &str)] = &[("是", "true"), ("否", "false")];

/// The keys that take a phone number.
const PHONES: &[&str] = &["phone_away", "phone", "mobile", "home_phone", "receiving_org.phone"];

/// A value read: as the file writes it, and as the change says it in words.
type Read = Result<(Value, String), String>;

/// A date as a clerk types it: 2026-12-07, 2026/12/7, 2026.12.7,
/// 2026年12月7日, in full-width digits too.
pub fn typed_date(s: &str) -> Option<NaiveDate> {
    let ascii: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '/' | '.' | '年' | '月' | '－' | '／' | '．' => '-',
            c => c,
        })
        .filter(|c| *c != '日' && *c != '号' && !c.is_whitespace())
        .collect();
    crate::yaml::parse_date(&ascii)
}

/// Field `f`'s value (typed, trimmed, not empty) read: as written in the
/// file and in words, or what is wrong with it.
pub(super) fn read_value(f: &FieldSpec, value: &str, today: NaiveDate) -> Read {
    if let Some(c) = value.chars().find(|c| c.is_control() && *c != '\n' && *c != '\t') {
        return Err(format!("{}里有看不见的控制字符 {}，请删去", f.label, c.escape_unicode()));
    }
    if value.chars().count() > crate::yaml::TEXT_MAX {
        return Err(format!("{}太长了，最多 {} 字", f.label, crate::yaml::TEXT_MAX));
    }
    if f.date {
        return date(f, value, today);
    }
    if !f.choices.is_empty() && !f.choices.iter().any(|c| c == value) {
        return Err(format!("{}只能是：{}", f.label, f.choices.join("、")));
    }
    if let Some((_, yes_no)) = YES_NO.iter().find(|(w, _)| *w == value).filter(|_| f.choices == ["是", "否"]) {
        return Ok(((*yes_no).into(), format!("{}：{value}", f.label)));
    }
    match f.key {
        "months" => months(f, value),
        "postcode" => postcode(f, value),
        "address" if value.chars().count() > crate::check::people::ADDRESS_MAX => Err(format!(
            "住址最多 {} 个字（信息卡和信封上印得下的）；其余写在备注里",
            crate::check::people::ADDRESS_MAX
        )),
        "pension" => pension(f, value),
        "amount" => amount(f, value),
        key if PHONES.contains(&key) => phone(f, value),
        _ => text(f, value),
    }
}

/// A date, not after today unless the field may lie ahead.
fn date(f: &FieldSpec, value: &str, today: NaiveDate) -> Read {
    match typed_date(value) {
        None => Err(format!("“{value}”不是有效日期；{}", f.hint)),
        Some(d) if d > today && !f.ahead => Err(format!("{}不能晚于今天（{today}）", f.label)),
        Some(d) => Ok((d.to_string().into(), format!("{}{}", f.label, crate::documents::zh_date(d)))),
    }
}

/// The months a payment is for: `2026-12`, or `2026-10..2026-12`.
fn months(f: &FieldSpec, value: &str) -> Read {
    let Some((a, b)) = crate::office::parse_months(value) else {
        return Err(format!("“{value}”不是有效的月份；{}", f.hint));
    };
    let text = if a == b { format!("{}-{:02}", a.0, a.1) } else { format!("{}-{:02}..{}-{:02}", a.0, a.1, b.0, b.1) };
    Ok((text.clone().into(), format!("{}：{text}", f.label)))
}

/// Six digits, quoted (a leading 0 kept).
fn postcode(f: &FieldSpec, value: &str) -> Read {
    if !(value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("邮政编码“{value}”应为 6 位数字"));
    }
    Ok((quoted(value).into(), format!("{}：{value}", f.label)))
}

/// A month's pension in yuan: whole yuan as such, else to the fen.
fn pension(f: &FieldSpec, value: &str) -> Read {
    match value.replace(',', "").parse::<f64>() {
        Ok(v) if (0.0..100_000.0).contains(&v) => {
            let text = if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.2}") };
            Ok((text.clone().into(), format!("{}：{text}", f.label)))
        }
        _ => Err(format!("“{value}”不是每月的金额；写数字，例如 4800")),
    }
}

/// An amount of money, to the fen.
fn amount(f: &FieldSpec, value: &str) -> Read {
    match value.replace(',', "").parse::<f64>() {
        Ok(v) if (0.0..1_000_000.0).contains(&v) => Ok((format!("{v:.2}").into(), format!("{}：{v:.2}", f.label))),
        _ => Err(format!("“{value}”不是金额；写数字，例如 24.90")),
    }
}

/// A phone number, quoted.
fn phone(f: &FieldSpec, value: &str) -> Read {
    // As the papers print it: no spaces typed between the digits.
    let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if crate::office::phone::classify_phone(&value).is_none() {
        return Err(format!("“{value}”不是有效的电话号码；{}", f.hint));
    }
    Ok((quoted(&value).into(), format!("{}：{value}", f.label)))
}

/// Free text. Several lines: one line in the file (the papers print it as one).
fn text(f: &FieldSpec, value: &str) -> Read {
    let one_line = value.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    Ok((scalar(&one_line).into(), format!("{}：{one_line}", f.label)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_read_as_a_clerk_types_it() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 7);
        for typed in ["2026-12-07", "2026/12/7", "2026.12.7", "2026年12月7日", "２０２６年１２月７日", " 2026-12-7 "]
        {
            assert_eq!(typed_date(typed), d, "{typed}");
        }
        assert_eq!(typed_date("2026-13-01"), None);
        assert_eq!(typed_date("十二月七日"), None);
    }
}
