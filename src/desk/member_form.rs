//! The member's own record at the desk: 修改基本情况 (what may change
//! without touching who they are) and 新增党员 (a new member file, written
//! as the import writes one).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::edit::{Set, Value, set_key};
use super::forms::{FieldErrors, FieldSpec, Filled, Item, Record};
use crate::import::columns::Field;
use crate::import::member_yaml::{Draft, render};
use crate::office::{Branch, Office};
use crate::yaml::{Node, NodeKind, parse};

/// The yes-or-no keys, shown as 是/否.
const YES_NO_KEYS: &[&str] = &["in_city", "receive_mail"];

/// Keys a member file must keep even when not known yet (`key:` left
/// blank means 待补充; a key gone is an error).
const KEEP_BLANK: &[&str] = &["native_place", "address"];

fn node<'n>(root: &'n Node, key: &str) -> Option<&'n Node> {
    let NodeKind::Map(entries) = &root.kind else { return None };
    entries.iter().find(|(k, _)| k.scalar() == Some(key)).map(|(_, v)| v)
}

/// The basic information as the file holds it, as the form shows it
/// (`true` as 是): what the form starts from, and what a save compares with.
pub fn basic_values(file: &Path, text: &str) -> Filled {
    let Ok(Some(root)) = parse(file, text) else { return Filled::new() };
    let mut values = Filled::new();
    for spec in Record::Basic.fields() {
        let found = match spec.key.split_once('.') {
            Some((outer, inner)) => node(&root, outer).and_then(|n| node(n, inner)),
            None => node(&root, spec.key),
        };
        let Some(v) = found.and_then(Node::scalar).filter(|v| !v.trim().is_empty()) else { continue };
        let shown = match (YES_NO_KEYS.contains(&spec.key), v) {
            (true, "true") => "是".to_string(),
            (true, "false") => "否".to_string(),
            _ => v.to_string(),
        };
        values.insert(spec.key.to_string(), shown);
    }
    values
}

/// 修改基本情况: each field that differs from the file set in it (a field
/// emptied taken out), `health:` and `hardship:` rewritten whole when any
/// of theirs changed. The new text and the change in words.
pub fn basic(file: &Path, text: &str, filled: &Filled, item: &Item) -> Result<(String, String), String> {
    let now = basic_values(file, text);
    let specs = Record::Basic.fields();
    let typed = |key: &str| filled.get(key).map(|v| v.trim()).unwrap_or("");
    let changed: Vec<&FieldSpec> =
        specs.iter().filter(|s| typed(s.key) != now.get(s.key).map(String::as_str).unwrap_or("")).collect();
    if changed.is_empty() {
        return Err("没有改动任何一项".into());
    }
    let written = |key: &str| match item.iter().find(|(k, _)| *k == key) {
        Some((_, Value::Scalar(s))) => Some(s.clone()),
        _ => None,
    };
    let mut out = text.to_string();
    let mut words = Vec::new();
    let mut done_maps: Vec<&str> = Vec::new();
    for spec in &changed {
        let was = now.get(spec.key).map(String::as_str).unwrap_or("（空）");
        let becomes = if typed(spec.key).is_empty() { "（空）" } else { typed(spec.key) };
        words.push(format!("{}：{was} → {becomes}", spec.label));
        let set = match spec.key.split_once('.') {
            Some((outer, _)) if done_maps.contains(&outer) => continue,
            Some((outer, _)) => {
                done_maps.push(outer);
                let inner: Vec<(&str, String)> = specs
                    .iter()
                    .filter_map(|s| {
                        let (o, i) = s.key.split_once('.')?;
                        Some((i, written(s.key).filter(|_| o == outer)?))
                    })
                    .collect();
                let had = now.keys().any(|k| k.starts_with(&format!("{outer}.")));
                match (inner.is_empty(), had) {
                    (false, _) => (outer, Some(inner)),
                    (true, true) => (outer, None),
                    (true, false) => continue,
                }
            }
            None => (spec.key, written(spec.key).map(|v| vec![("", v)])),
        };
        out = match set {
            (key, Some(fields)) if fields.len() == 1 && fields[0].0.is_empty() => {
                set_key(file, &out, key, Set::Scalar(fields[0].1.clone()))?
            }
            (key, Some(fields)) => set_key(file, &out, key, Set::Map(&fields))?,
            (key, None) if KEEP_BLANK.contains(&key) => set_key(file, &out, key, Set::Scalar(String::new()))?,
            (key, None) => set_key(file, &out, key, Set::Remove)?,
        };
    }
    Ok((out, format!("修改基本情况：{}", words.join("；"))))
}

/// The form of 新增党员: who, where in the office, how to reach them.
/// The branch and group are chosen from org.yaml's.
pub fn new_member_fields(office: &Office) -> Vec<FieldSpec> {
    let f = super::forms::field;
    let date = |key, label, required, hint| FieldSpec { date: true, ..f(key, label, required, hint) };
    let branches = office.org.branches.iter().map(|b| b.name.value.clone()).collect();
    let groups = office
        .org
        .branches
        .iter()
        .flat_map(|b| b.groups.iter().map(move |g| group_label(&b.name.value, &g.name.value)))
        .collect();
    vec![
        FieldSpec { choices: branches, ..f("branch", "所在党支部", true, "本单位的党支部") },
        FieldSpec { choices: groups, ..f("group", "所在党小组", false, "须属于上面的支部") },
        f("name", "姓名", true, "与身份证一致"),
        f("id_number", "公民身份号码", true, "18 位；出生日期和性别由号码推出"),
        f("ethnicity", "民族", true, "例如 汉族"),
        f("native_place", "籍贯", false, "例如 浙江宁波；不知道先空着（待补充）"),
        f("address", "家庭住址", false, "写到门牌号；不知道先空着（待补充）"),
        f("postcode", "邮政编码", false, "6 位数字"),
        f("mobile", "手机", false, "11 位手机号；住宅电话与手机至少填一项"),
        f("home_phone", "住宅电话", false, "带区号，例如 0571-85259273"),
        date("joined_party", "入党日期", false, "写成 年-月-日；不知道先空着（待补充）"),
        date("full_member", "转正日期", false, "一般为入党后一年"),
        date("retired", "退休日期", false, "写成 年-月-日"),
        f("former_unit", "原工作单位", false, "例如 铸锻分厂"),
        f("education", "学历", false, "例如 高中"),
        f("pension", "月基本养老金（元）", false, "党费计算基数，例如 4800"),
        f("living", "生活状况", false, "例如 与配偶同住、独居"),
        f("id", "成员编号", false, "空着就按支部排下一个号（例如 b2-060）；全单位唯一"),
    ]
}

fn group_label(branch: &str, group: &str) -> String {
    format!("{branch} · {group}")
}

/// A new member's file: where it goes, the member's id and name, its text.
pub struct NewMember {
    pub file: PathBuf,
    pub id: String,
    pub name: String,
    pub text: String,
    pub what: String,
}

/// The next free `<branch>-nnn`, as the import numbers new members.
pub fn next_member_id(office: &Office, branch: &str) -> String {
    let taken: HashSet<String> = office.members.iter().map(|m| m.id.value.clone()).collect();
    crate::import::names::next_id(branch, &taken, &mut Default::default())
}

/// The new member's file as the import would write it, or what is wrong
/// by field (checked against the office: the branch's groups, ids and ID
/// numbers already used).
pub fn new_member(
    data: &Path,
    office: &Office,
    filled: &Filled,
    item: &Item,
    today: chrono::NaiveDate,
) -> Result<NewMember, FieldErrors> {
    let mut errors = FieldErrors::new();
    let get = |k: &str| typed(filled, k);
    let branch = get("branch").and_then(|n| office.org.branches.iter().find(|b| b.name.value == n));
    let Some(branch) = branch else {
        errors.insert("branch".into(), "请选择所在党支部".into());
        return Err(errors);
    };
    let group = group_of(branch, get("group"), &mut errors);
    let id = member_id(office, branch, get("id"), &mut errors);
    let name = get("name").unwrap_or_default();
    if let Some(number) = get("id_number") {
        check_id_number(office, &number, &mut errors);
    }
    let file = data.join("members").join(&branch.id.value).join(format!("{id}.yaml"));
    if std::fs::symlink_metadata(&file).is_ok() {
        errors.insert("id".into(), format!("{} 已存在，换一个编号", file.display()));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let header = [format!("{name}（{}）", branch.name.value), format!("在办公桌新增（{today}）")];
    let (text, _) = render(&draft(filled, item), &id, &branch.id.value, group.as_deref(), &header);
    let what = format!("新增党员 {name}（{}，编号 {id}）", branch.name.value);
    Ok(NewMember { file, id, name, text, what })
}

/// A field as typed (trimmed), None when left blank.
fn typed(filled: &Filled, key: &str) -> Option<String> {
    filled.get(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The group chosen (`branch · group`), its id; one of another branch is
/// an error at the field.
fn group_of(branch: &Branch, label: Option<String>, errors: &mut FieldErrors) -> Option<String> {
    let label = label?;
    match branch.groups.iter().find(|g| group_label(&branch.name.value, &g.name.value) == label) {
        Some(g) => Some(g.id.value.clone()),
        None => {
            errors.insert("group".into(), format!("这个党小组不属于{}", branch.name.value));
            None
        }
    }
}

/// The id typed, checked (its letters, not already used), else the
/// branch's next free one.
fn member_id(office: &Office, branch: &Branch, typed: Option<String>, errors: &mut FieldErrors) -> String {
    match typed {
        Some(id) if !crate::check::refs::is_valid_id(&id) => {
            errors.insert("id".into(), format!("编号“{id}”只能含英文字母、数字、- 和 _"));
            id
        }
        Some(id) if office.members.iter().any(|m| m.id.value == id) => {
            errors.insert("id".into(), format!("编号“{id}”已被其他党员使用"));
            id
        }
        Some(id) => id,
        None => next_member_id(office, &branch.id.value),
    }
}

/// The ID number checked as `check` checks it, and not already a member's.
fn check_id_number(office: &Office, number: &str, errors: &mut FieldErrors) {
    use crate::office::id_number::{IdError, parse_id_number};
    match parse_id_number(number) {
        Err(IdError::Shape) => {
            errors.insert("id_number".into(), "应为 18 位（前 17 位数字，最后一位数字或 X），或旧式 15 位数字".into());
        }
        Err(IdError::BirthDate) => {
            errors.insert("id_number".into(), "号码中的出生日期（第 7–14 位）不是真实日期；请对照身份证核对".into());
        }
        Err(IdError::CheckDigit { expected, found }) => {
            errors.insert(
                "id_number".into(),
                format!("校验位错误：最后一位是 {found}，按前 17 位应为 {expected}；请对照身份证逐位核对"),
            );
        }
        Ok(_) => {}
    }
    let normal = number.to_uppercase();
    if let Some(m) = office.members.iter().find(|m| m.id_number.value.to_uppercase() == normal) {
        errors.insert(
            "id_number".into(),
            format!("这个号码已是 {}（{}）的；同一人不要重复登记", m.name.value, m.id.value),
        );
    }
}

/// The values for the import's writer: text as typed (it quotes what
/// must be), dates and the pension as the form read them, 性别 from the
/// ID number.
fn draft(filled: &Filled, item: &Item) -> Draft {
    let written = |key: &str| match item.iter().find(|(k, _)| *k == key) {
        Some((_, Value::Scalar(s))) => Some(s.clone()),
        _ => None,
    };
    let mut draft = Draft::default();
    for (field, key) in [
        (Field::Name, "name"),
        (Field::Ethnicity, "ethnicity"),
        (Field::IdNumber, "id_number"),
        (Field::NativePlace, "native_place"),
        (Field::Address, "address"),
        (Field::Postcode, "postcode"),
        (Field::HomePhone, "home_phone"),
        (Field::Mobile, "mobile"),
        (Field::Education, "education"),
        (Field::FormerUnit, "former_unit"),
        (Field::Living, "living"),
    ] {
        if let Some(v) = typed(filled, key) {
            draft.values.insert(field, v.lines().map(str::trim).collect::<Vec<_>>().join(" "));
        }
    }
    for (field, key) in
        [(Field::JoinedParty, "joined_party"), (Field::FullMember, "full_member"), (Field::Retired, "retired")]
    {
        if let Some(v) = written(key) {
            draft.values.insert(field, v);
        }
    }
    if let Some(v) = written("pension") {
        draft.values.insert(Field::Pension, v);
    }
    // 性别 from the ID number.
    if let Ok(v) = crate::office::id_number::parse_id_number(&typed(filled, "id_number").unwrap_or_default()) {
        draft.values.insert(Field::Sex, v.sex.zh().to_string());
    }
    draft
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "id: a\nname: 张三\nsex: 男\nethnicity: 汉族\nid_number: \"330105195003051214\"\nnative_place: 浙江 # 老家\naddress: 杭州市上城区\nmobile: \"13812345678\"\njoined_party: 1975-07-01\nbranch: b1\nhealth:\n  status: 一般\n";

    fn filled(file: &str, change: &[(&str, &str)]) -> Filled {
        let mut f = basic_values(Path::new("a.yaml"), file);
        for (k, v) in change {
            f.insert(k.to_string(), v.to_string());
        }
        f
    }

    fn change(change: &[(&str, &str)]) -> Result<(String, String), String> {
        let f = filled(FILE, change);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let (item, _) = super::super::forms::read(Record::Basic, &f, today).map_err(|e| format!("{e:?}"))?;
        basic(Path::new("a.yaml"), FILE, &f, &item)
    }

    #[test]
    fn the_form_starts_from_what_the_file_says() {
        let v = basic_values(Path::new("a.yaml"), FILE);
        assert_eq!(v["native_place"], "浙江");
        assert_eq!(v["mobile"], "13812345678");
        assert_eq!(v["health.status"], "一般");
        assert!(!v.contains_key("postcode"));
    }

    #[test]
    fn only_what_changed_is_written_every_other_line_kept() {
        let (text, words) =
            change(&[("mobile", "13900001111"), ("health.status", "重病"), ("health.since", "2026-11-30")]).unwrap();
        assert!(text.contains("mobile: \"13900001111\"\n"), "{text}");
        assert!(text.ends_with("health:\n  status: 重病\n  since: 2026-11-30\n"), "{text}");
        assert!(text.contains("native_place: 浙江 # 老家\n"), "an untouched line keeps its comment: {text}");
        assert!(words.contains("手机：13812345678 → 13900001111"), "{words}");
        assert_eq!(change(&[]).unwrap_err(), "没有改动任何一项");
    }

    #[test]
    fn an_emptied_field_goes_and_a_required_one_is_left_to_complete() {
        let (text, _) = change(&[("mobile", ""), ("address", "")]).unwrap();
        assert!(!text.contains("mobile"), "{text}");
        assert!(text.contains("address:\n"), "{text}");
        let (text, _) = change(&[("health.status", "")]).unwrap();
        assert!(!text.contains("health"), "{text}");
    }
}
