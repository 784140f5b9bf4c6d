//! A form as filled, read: every field alone (see [`super::values`]) and
//! what two fields say together; every field wrong told at once.

use chrono::NaiveDate;

use super::values::{read_value, typed_date};
use super::{FieldErrors, FieldSpec, Filled, Item, Record};

/// The form read: the item for the member file (key, scalar as written)
/// and its description in words, or an error per field key.
pub fn read(record: Record, filled: &Filled, today: NaiveDate) -> Result<(Item, String), FieldErrors> {
    let mut errors = between_fields(record, filled);
    match read_fields(record.fields(), filled, today) {
        Ok(read) if errors.is_empty() => Ok(read),
        Ok(_) => Err(errors),
        Err(at_fields) => {
            errors.extend(at_fields);
            Err(errors)
        }
    }
}

/// Each field of `specs` read alone: the item (key, scalar as written)
/// and its words, or an error per field key.
pub fn read_fields(specs: Vec<FieldSpec>, filled: &Filled, today: NaiveDate) -> Result<(Item, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut item = Vec::new();
    let mut words = Vec::new();
    for f in specs {
        let value = filled.get(f.key).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            if f.required {
                let ask = if f.choices.is_empty() { "请填写" } else { "请选择" };
                errors.insert(f.key.to_string(), format!("{ask}{}：{}", f.label, f.hint));
            }
            continue;
        }
        match read_value(&f, value, today) {
            Ok((written, said)) => {
                item.push((f.key, written));
                words.push(said);
            }
            Err(wrong) => {
                errors.insert(f.key.to_string(), wrong);
            }
        }
    }
    if errors.is_empty() { Ok((item, words.join("；"))) } else { Err(errors) }
}

/// What two fields of a record say together (a return before its start).
fn between_fields(record: Record, filled: &Filled) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if record == Record::Dues
        && filled.get("how").map(String::as_str) == Some("异地交纳")
        && filled.get("at").is_none_or(|t| t.trim().is_empty())
    {
        errors.insert("at".into(), "异地交纳的请写明交在哪个党组织".into());
    }
    if record == Record::Status
        && filled.get("kind").map(String::as_str) == Some("转出")
        && filled.get("to").is_none_or(|t| t.trim().is_empty())
    {
        errors.insert("to".into(), "转出的请写明转往哪个党组织".into());
    }
    if record == Record::Subsidy
        && let (Some(applied), Some(decided)) =
            (filled.get("applied").and_then(|v| typed_date(v)), filled.get("decided").and_then(|v| typed_date(v)))
        && decided < applied
    {
        errors.insert("decided".into(), "审批日期不能早于申请日期".into());
    }
    // A return before the start cannot be.
    let date_of = |key: &str| filled.get(key).and_then(|v| typed_date(v));
    if let (Some(start), Some(end)) = (date_of("start"), date_of("planned_end"))
        && end < start
    {
        errors.insert("planned_end".into(), "预计返回不能早于外出日期".into());
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(pairs: &[(&str, &str)]) -> Filled {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_visit_reads_into_the_files_keys_and_words() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let f = filled(&[
            ("date", "2026-12-07"),
            ("kind", "上门"),
            ("by", "何秀珍"),
            ("difficulties", "老伴住院: 需要人陪护"),
            ("suggestions", "无"),
            ("plans", "回家过年"),
        ]);
        let (item, words) = read(Record::Visit, &f, today).unwrap();
        assert_eq!(item[0], ("date", "2026-12-07".into()));
        assert_eq!(
            item[3],
            ("difficulties", "\"老伴住院: 需要人陪护\"".into()),
            "quoted where plain would not read back"
        );
        assert!(words.starts_with("走访日期2026年12月7日；方式：上门"), "{words}");
    }

    #[test]
    fn every_wrong_field_is_told_at_once() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let f = filled(&[("date", "2026-12-08"), ("kind", "视频"), ("by", "")]);
        let e = read(Record::Visit, &f, today).unwrap_err();
        assert!(e["date"].contains("不能晚于今天"), "{e:?}");
        assert!(e["kind"].contains("上门、电话、书信"), "{e:?}");
        assert!(e["by"].contains("请填写走访人"), "{e:?}");
        assert!(e["difficulties"].contains("没有就写“无”"), "{e:?}");
        assert!(!e.contains_key("follow_up"));
    }
}
