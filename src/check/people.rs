//! Identity (ID number, birth date, sex) and contact details of a member.

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Diagnostics};
use crate::office::Member;
use crate::office::id_number::IdError;
use crate::office::phone::{PhoneKind, classify_phone};
use crate::yaml::Located;

pub fn check_identity(m: &Member, as_of: NaiveDate, d: &mut Diagnostics) {
    let id = &m.id_number;
    let file = &m.file;
    if !m.readable("id_number") {
        return;
    }
    match &m.id_parsed {
        Err(IdError::Shape) => d.push(
            Diagnostic::error(file, Some(id.pos), format!("公民身份号码“{}”格式不对", id.value))
                .hint("应为 18 位（前 17 位数字，最后一位数字或 X），或旧式 15 位数字"),
        ),
        Err(IdError::BirthDate) => d.push(
            Diagnostic::error(
                file,
                Some(id.pos),
                format!("公民身份号码“{}”中的出生日期（第 7–14 位）不是真实日期", id.value),
            )
            .hint("对照身份证逐位核对"),
        ),
        Err(IdError::CheckDigit { expected, found }) => d.push(
            Diagnostic::error(
                file,
                Some(id.pos),
                format!("公民身份号码“{}”校验位错误：最后一位是 {found}，按前 17 位计算应为 {expected}", id.value),
            )
            .hint("对照身份证逐位核对，前 17 位中很可能有一位抄错"),
        ),
        Ok(v) => {
            if v.from_legacy {
                let mut w = Diagnostic::warning(
                    file,
                    Some(id.pos),
                    format!("“{}”是 15 位旧身份证号码，已按 18 位 {} 处理", id.value, v.normalized),
                )
                .hint(format!("请核对后改写为 `id_number: \"{}\"`", v.normalized));
                if v.birth < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() {
                    w.hint.push_str("；1900 年前出生者的旧号码不能直接补“19”，请人工核对");
                }
                d.push(w);
            }
            if let Some(b) = &m.birth_date
                && b.value != v.birth
            {
                d.push(
                    Diagnostic::error(
                        file,
                        Some(b.pos),
                        format!("出生日期 {} 与公民身份号码中的 {} 不一致", b.value, v.birth),
                    )
                    .hint("以身份证为准改正其中一处；出生日期也可以不填，会从身份证号码推出"),
                );
            }
            if m.readable("sex") && v.sex != m.sex.value {
                d.push(
                    Diagnostic::error(
                        file,
                        Some(m.sex.pos),
                        format!("性别“{}”与公民身份号码不一致（第 17 位表示{}）", m.sex.value.zh(), v.sex.zh()),
                    )
                    .hint("第 17 位奇数为男、偶数为女；核对性别或身份证号码"),
                );
            }
            if v.birth > as_of {
                d.push(Diagnostic::error(
                    file,
                    Some(id.pos),
                    format!("公民身份号码中的出生日期 {} 晚于今天（{as_of}）", v.birth),
                ));
            }
        }
    }
}

fn check_phone(m: &Member, field: &Option<Located<String>>, label: &str, want_mobile: bool, d: &mut Diagnostics) {
    let Some(p) = field else { return };
    match classify_phone(&p.value) {
        None => d.push(
            Diagnostic::error(&m.file, Some(p.pos), format!("{label}“{}”不是有效的电话号码", p.value))
                .hint("手机写 11 位，如 13800138000；固定电话写区号-号码，如 0571-88886666"),
        ),
        Some(PhoneKind::Mobile) | Some(PhoneKind::Landline) if !want_mobile => {}
        Some(PhoneKind::Mobile) => {}
        Some(PhoneKind::Landline | PhoneKind::LocalLandline) if want_mobile => d.push(
            Diagnostic::error(&m.file, Some(p.pos), format!("{label}“{}”不是手机号码", p.value))
                .hint("固定电话请写在 `home_phone`；手机号为 1 开头的 11 位数字"),
        ),
        Some(_) => d.push(
            Diagnostic::warning(&m.file, Some(p.pos), format!("{label}“{}”没有区号", p.value))
                .hint("加上区号，例如 0571-88886666，外地打来才能接通"),
        ),
    }
}

/// The most characters of an address the papers print: the information
/// card's line and the envelope's window hold this many, and no more.
pub const ADDRESS_MAX: usize = 100;

pub fn check_contacts(m: &Member, d: &mut Diagnostics) {
    let chars = m.address.value.chars().count();
    if chars > ADDRESS_MAX {
        d.push(
            Diagnostic::error(
                &m.file,
                Some(m.address.pos),
                format!("住址（{}）有 {chars} 个字，信息卡和信封上最多印 {ADDRESS_MAX} 个字", m.name.value),
            )
            .hint("只写到门牌号；其余说明写在 notes（备注）里"),
        );
    }
    check_phone(m, &m.mobile, "手机", true, d);
    check_phone(m, &m.home_phone, "住宅电话", false, d);
    for c in &m.family_contacts {
        check_phone(m, &c.phone, "家属电话", false, d);
    }
    if !m.readable("name") {
        return;
    }
    if m.mobile.is_none() && m.home_phone.is_none() {
        d.push(
            Diagnostic::warning(&m.file, None, format!("{} 没有任何联系电话", m.name.value))
                .hint("支部应掌握每位党员的住宅电话和手机（至少填一项 `mobile` 或 `home_phone`）"),
        );
    }
    if m.family_contacts.is_empty() {
        d.push(
            Diagnostic::warning(&m.file, None, format!("{} 没有登记家属联系人", m.name.value))
                .hint("加上 `family_contacts:`，写明家属姓名、关系和电话"),
        );
    }
    if let Some(pc) = &m.postcode
        && !(pc.value.len() == 6 && pc.value.bytes().all(|b| b.is_ascii_digit()))
    {
        d.push(
            Diagnostic::error(&m.file, Some(pc.pos), format!("邮政编码“{}”应为 6 位数字", pc.value))
                .hint("例如 310002"),
        );
    }
}

/// Fields left blank to complete (an import writes what the office's
/// register did not have): one reminder per member, naming them all.
pub fn check_to_complete(m: &Member, d: &mut Diagnostics) {
    let Some((_, first)) = m.to_complete.first() else { return };
    let names: Vec<&str> = m.to_complete.iter().map(|(k, _)| crate::office::label_of(k)).collect();
    let mut hint = "查到后写在冒号后面，例如 `native_place: 浙江宁波`；在此之前文书上这几项留空，手工填写".to_string();
    if m.is_to_complete("address") {
        hint.push_str("；没有住址，慰问信和通知不能邮寄");
    }
    d.push(super::member_warning(m, *first, "待补充", &names.join("、"), &hint));
}
