//! Before a save: the member file as it will be read as `load` and
//! `check` read it. A save that would bring an error the file did not
//! have is refused, with the error in the clerk's words.

use std::path::Path;

use chrono::NaiveDate;

use crate::diag::Severity;
use crate::office::Office;

/// The errors of `text` as a member file, each in words (where it is
/// left out: the lines move with the change).
fn errors(office: Option<&Office>, file: &Path, text: &str, today: NaiveDate) -> Result<Vec<String>, String> {
    let (member, mut diags) = crate::load::read_member_text(file, text, today)?;
    if let Some(office) = office {
        diags.extend(crate::check::check_member_records(office, member, today));
    }
    Ok(diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| if d.hint.is_empty() { d.message.clone() } else { format!("{}（{}）", d.message, d.hint) })
        .collect())
}

/// Ok when `after` has no error that `before` (the file as it is; None
/// for a file not there yet) had not. With the office, its records are
/// checked too (the member alone in the office's organisation).
pub fn no_new_errors(
    office: Option<&Office>,
    file: &Path,
    before: Option<&str>,
    after: &str,
    today: NaiveDate,
) -> Result<(), String> {
    let had = before.and_then(|b| errors(office, file, b, today).ok()).unwrap_or_default();
    let new: Vec<String> = errors(office, file, after, today)
        .map_err(|e| format!("保存后的文件{e}"))?
        .into_iter()
        .filter(|e| !had.contains(e))
        .collect();
    if new.is_empty() {
        Ok(())
    } else {
        Err(format!("这样保存后记录里会有错误，没有保存：{}", new.join("；")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "id: a\nname: 张三\nsex: 男\nethnicity: 汉族\nid_number: \"330105195003051214\"\nnative_place: 浙江\naddress: 杭州市上城区\njoined_party: 1975-07-01\nbranch: b1\n";

    #[test]
    fn an_error_the_change_brings_is_refused_and_an_old_one_is_not_blamed_on_it() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let f = Path::new("members/b1/a.yaml");
        assert!(no_new_errors(None, f, Some(BASE), &format!("{BASE}mobile: \"13812345678\"\n"), day).is_ok());
        let e = no_new_errors(None, f, Some(BASE), &format!("{BASE}postcode: \"3100\"\n"), day).unwrap_err();
        assert!(e.contains("邮政编码“3100”应为 6 位数字"), "{e}");
        // An error the file had already is not the change's.
        let broken = format!("{BASE}postcode: \"3100\"\n");
        assert!(no_new_errors(None, f, Some(&broken), &format!("{broken}mobile: \"13812345678\"\n"), day).is_ok());
        // A new file is checked whole.
        let e = no_new_errors(None, f, None, &BASE.replace("1214", "1215"), day).unwrap_err();
        assert!(e.contains("校验位错误"), "{e}");
    }
}
