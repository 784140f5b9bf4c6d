use super::*;

/// Every row of `rows`, for [`write_sheet`].
fn each(rows: &[Vec<Value>]) -> impl Fn(RowSink) -> Result<(), XlsxError> + '_ {
    move |f| rows.iter().try_for_each(|row| f(row))
}

#[test]
fn a_column_takes_its_format_only_when_every_value_is_of_one_kind() {
    let d = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let t = |s: &str| Value::Text(s.to_string());
    let rows = vec![
        vec![t("13906512871"), Value::Date(d), t(""), t("a"), Value::Number(1.0)],
        vec![t(""), Value::Date(d), t(""), Value::Date(d), t("")],
    ];
    use ColumnKind::*;
    let mut kinds = Kinds::new(6);
    each(&rows)(&mut |row| {
        kinds.add(row);
        Ok(())
    })
    .unwrap();
    assert_eq!(kinds.kinds(), [Text, Date, Text, Mixed, Mixed, Text]);
}

#[test]
fn chinese_counts_double() {
    assert_eq!(width_of("张三"), 4);
    assert_eq!(width_of("b1-001"), 6);
}

#[test]
fn every_member_column_is_importable() {
    for f in MEMBER_FIELDS {
        assert_eq!(crate::import::columns::field_of(header_of(*f)), Some(*f));
    }
    // Derived columns are not read back; those named like a register's
    // mobile-member columns are set aside because the workbook carries
    // the departures whole on their own sheet (import sees it there).
    for h in DERIVED {
        let f = crate::import::columns::field_of(h);
        assert!(f == Some(Field::Derived) || f.is_some_and(Field::is_away), "{h}: {f:?}");
    }
}
