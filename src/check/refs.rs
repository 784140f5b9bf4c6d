//! References and uniqueness: branch and group ids in org.yaml, the branch
//! and group each member names, member ids and ID numbers across files.

use std::collections::HashMap;

use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::office::Office;
use crate::office::phone::{PhoneKind, classify_phone};
use crate::yaml::Located;

/// Ids become file names (`out/info-cards/<id>.pdf`): letters, digits, `-`, `_`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub fn check_org(office: &Office, d: &mut Diagnostics) {
    let f = &office.org_file;
    let mut branch_ids: HashMap<&str, &Located<String>> = HashMap::new();
    let mut group_ids: HashMap<&str, &Located<String>> = HashMap::new();
    for b in &office.org.branches {
        if !is_valid_id(&b.id.value) {
            d.push(
                Diagnostic::error(f, Some(b.id.pos), format!("支部编号“{}”只能用英文字母、数字、- 和 _", b.id.value))
                    .hint("例如 b1、dongqu"),
            );
        }
        if let Some(first) = branch_ids.insert(&b.id.value, &b.id) {
            d.push(
                Diagnostic::error(
                    f,
                    Some(b.id.pos),
                    format!("支部编号“{}”重复（第 {} 行已用过）", b.id.value, first.pos.line),
                )
                .hint("每个支部的 `id` 必须不同"),
            );
        }
        let phones = b
            .phone
            .iter()
            .map(|p| (p, false))
            .chain(b.committee.iter().filter_map(|c| c.mobile.as_ref()).map(|p| (p, true)));
        for (p, mobile) in phones.chain(b.groups.iter().filter_map(|g| g.mobile.as_ref()).map(|p| (p, true))) {
            match classify_phone(&p.value) {
                Some(PhoneKind::Mobile) => {}
                Some(_) if !mobile => {}
                _ => d.push(
                    Diagnostic::error(
                        f,
                        Some(p.pos),
                        format!("“{}”不是有效的{}", p.value, if mobile { "手机号码" } else { "电话号码" }),
                    )
                    .hint("手机写 11 位，如 13800138000；办公电话写区号-号码，如 0571-88886666"),
                ),
            }
        }
        check_card_qr(office, b, d);
        if b.phone.is_none() {
            d.push(
                Diagnostic::warning(f, Some(b.name.pos), format!("{} 没有办公电话（phone）", b.name.value))
                    .hint("流动党员须掌握支部办公电话，联系卡上要印"),
            );
        }
        for g in &b.groups {
            if !is_valid_id(&g.id.value) {
                d.push(
                    Diagnostic::error(
                        f,
                        Some(g.id.pos),
                        format!("党小组编号“{}”只能用英文字母、数字、- 和 _", g.id.value),
                    )
                    .hint("例如 b1-g1"),
                );
            }
            if let Some(first) = group_ids.insert(&g.id.value, &g.id) {
                d.push(
                    Diagnostic::error(
                        f,
                        Some(g.id.pos),
                        format!("党小组编号“{}”重复（第 {} 行已用过）", g.id.value, first.pos.line),
                    )
                    .hint("所有党小组的 `id` 必须互不相同，例如 b1-g1、b2-g1"),
                );
            }
        }
    }
}

/// Each person on the contact card's back has a QR code of their name,
/// phone and role: one too long for the card's code is said here, and the
/// card prints that person's phone in words only.
fn check_card_qr(office: &Office, b: &crate::office::Branch, d: &mut Diagnostics) {
    use crate::documents::contact_card::CONTACTS_ON_CARD;
    use crate::documents::contact_qr::contact_qr;
    let contacts = crate::documents::departure_form::branch_contacts(Some(b));
    if contacts.len() > CONTACTS_ON_CARD {
        let on_card: Vec<String> = contacts
            .iter()
            .take(CONTACTS_ON_CARD)
            .map(|c| if c.name.is_empty() { c.role.clone() } else { format!("{} {}", c.role, c.name) })
            .collect();
        let pos = b.committee.first().map_or(b.name.pos, |c| c.name.pos);
        d.push(
            Diagnostic::warning(
                &office.org_file,
                Some(pos),
                format!(
                    "{} 写了 {} 个联系电话，联系卡背面只印得下 {CONTACTS_ON_CARD} 个（{}），其余的不印",
                    b.name.value,
                    contacts.len(),
                    on_card.join("、")
                ),
            )
            .hint("把外出党员最该联系的委员排在 committee 的前面；登记表上仍印出全部委员"),
        );
    }
    for c in contacts.into_iter().take(CONTACTS_ON_CARD) {
        let Err(too_long) = contact_qr(&b.name.value, &c) else { continue };
        let pos = b.committee.iter().find(|m| m.name.value == c.name).map_or(b.name.pos, |m| m.name.pos);
        d.push(
            Diagnostic::warning(
                &office.org_file,
                Some(pos),
                format!(
                    "{}（{}）的联系方式共 {} 字节，联系卡上的二维码最多装 {} 字节；联系卡照常印出电话，但不印这个人的二维码",
                    if c.name.is_empty() { &b.name.value } else { &c.name },
                    c.role,
                    too_long.len,
                    too_long.max
                ),
            )
            .hint("缩短姓名或电话（一个人写一个号码）"),
        );
    }
}

pub fn check_members(office: &Office, d: &mut Diagnostics) {
    let branch_ids: Vec<&str> = office.org.branches.iter().map(|b| b.id.value.as_str()).collect();
    let mut ids: HashMap<&str, &std::path::Path> = HashMap::new();
    let mut numbers: HashMap<String, (&std::path::Path, &str)> = HashMap::new();
    for m in &office.members {
        let f = &m.file;
        if m.readable("id") && !is_valid_id(&m.id.value) {
            d.push(
                Diagnostic::error(f, Some(m.id.pos), format!("成员编号“{}”只能用英文字母、数字、- 和 _", m.id.value))
                    .hint("例如 a001；编号也是输出文件名"),
            );
        }
        if m.readable("id")
            && let Some(first) = ids.insert(&m.id.value, f)
        {
            d.push(
                Diagnostic::error(f, Some(m.id.pos), format!("成员编号“{}”与 {} 重复", m.id.value, first.display()))
                    .hint("每位党员的 `id` 必须不同"),
            );
        }
        if let Ok(v) = &m.id_parsed
            && let Some((first, name)) = numbers.insert(v.normalized.clone(), (f, &m.name.value))
        {
            d.push(
                Diagnostic::error(
                    f,
                    Some(m.id_number.pos),
                    format!("公民身份号码与 {}（{name}）重复", first.display()),
                )
                .hint("同一人只能有一个成员文件；若是两个人，请核对号码"),
            );
        }
        match office.branch(&m.branch.value) {
            None if !m.readable("branch") => {}
            None => {
                let hint = match did_you_mean(&m.branch.value, branch_ids.iter().copied()) {
                    Some(s) => format!("是不是 `{s}`？org.yaml 中的支部编号：{}", branch_ids.join(", ")),
                    None => format!("org.yaml 中的支部编号：{}", branch_ids.join(", ")),
                };
                d.push(
                    Diagnostic::error(f, Some(m.branch.pos), format!("支部“{}”在 org.yaml 中不存在", m.branch.value))
                        .hint(hint),
                );
            }
            Some(b) => match &m.group {
                Some(g) if b.group(&g.value).is_none() => {
                    let group_ids: Vec<&str> = b.groups.iter().map(|g| g.id.value.as_str()).collect();
                    let hint = match did_you_mean(&g.value, group_ids.iter().copied()) {
                        Some(s) => format!("是不是 `{s}`？{} 的党小组：{}", b.name.value, group_ids.join(", ")),
                        None => format!("{} 的党小组：{}", b.name.value, group_ids.join(", ")),
                    };
                    d.push(
                        Diagnostic::error(f, Some(g.pos), format!("党小组“{}”不属于{}", g.value, b.name.value))
                            .hint(hint),
                    );
                }
                None if !b.groups.is_empty() => d.push(
                    Diagnostic::warning(f, None, format!("{} 没有填所在党小组（group）", m.name.value)).hint(format!(
                        "{} 的党小组：{}",
                        b.name.value,
                        b.groups.iter().map(|g| g.id.value.as_str()).collect::<Vec<_>>().join(", ")
                    )),
                ),
                _ => {}
            },
        }
    }
}
