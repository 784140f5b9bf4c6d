//! Which column holds what: Chinese headers as offices write them, mapped to
//! the data format; the header row found below any merged title rows. The
//! first name of each field is the header `tuiguan export` writes, so an
//! exported register imports back as it was.

use super::table::Cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Id,
    Name,
    Sex,
    Ethnicity,
    IdNumber,
    BirthDate,
    NativePlace,
    Address,
    Postcode,
    InCity,
    HomePhone,
    Mobile,
    /// 联系电话, 电话: a mobile or a landline, told apart by what is written.
    Phone,
    Family,
    FamilyName,
    FamilyRelation,
    FamilyPhone,
    Education,
    JoinedParty,
    FullMember,
    Retired,
    FormerUnit,
    Branch,
    Group,
    Living,
    HealthStatus,
    HealthNotes,
    HealthSince,
    Hardship,
    HardshipNotes,
    HardshipSince,
    Pension,
    ReceiveMail,
    Notes,
    /// The mobile members' columns (是否流动党员, 流动去向, 外出时间, …):
    /// read into a departure.
    IsAway,
    AwayPlace,
    AwayStart,
    AwayEnd,
    AwayReason,
    AwayPhone,
    AwayOrg,
    /// Known, deliberately not imported: row numbers, and what `export`
    /// derives (age, status, departures, visits).
    Derived,
}

/// What `export` adds after the member columns (age, status, departures,
/// visits): known to `import`, and not imported back.
pub const EXPORTED_DERIVED: &[&str] = &[
    "年龄",
    "当前状态",
    "外出去向",
    "外出日期",
    "预计返回",
    "处理方式",
    "联系卡",
    "外出次数",
    "最近走访日期",
    "最近走访方式",
    "走访状态",
    "每月党费",
    "党费交至",
    "欠交月数",
];

/// Each field's headers: the first is the one `export` writes.
pub const HEADERS: &[(Field, &[&str])] = &[
    (Field::Id, &["编号", "成员编号", "党员编号"]),
    (Field::Name, &["姓名", "党员姓名", "名字"]),
    (Field::Sex, &["性别"]),
    (Field::Ethnicity, &["民族"]),
    (Field::IdNumber, &["公民身份号码", "身份证号", "身份证号码", "身份证", "证件号码", "身份证件号码"]),
    (Field::BirthDate, &["出生日期", "出生年月", "出生年月日", "生日"]),
    (Field::NativePlace, &["籍贯"]),
    (Field::Address, &["家庭住址", "住址", "现住址", "居住地址", "家庭地址", "现居住地址", "通讯地址"]),
    (Field::Postcode, &["邮政编码", "邮编"]),
    (Field::InCity, &["是否居住在市内", "是否市内", "居住在市内"]),
    (Field::HomePhone, &["住宅电话", "家庭电话", "固定电话", "宅电", "座机"]),
    (Field::Mobile, &["手机", "手机号", "手机号码", "移动电话", "手机电话"]),
    (Field::Phone, &["联系电话", "电话", "电话号码", "本人电话", "本人联系电话"]),
    (Field::Family, &["家属联系人", "家属联系方式"]),
    (Field::FamilyName, &["家属姓名", "紧急联系人", "联系人"]),
    (Field::FamilyRelation, &["家属关系", "与本人关系", "关系"]),
    (Field::FamilyPhone, &["家属电话", "紧急联系电话", "家属联系电话", "联系人电话"]),
    (Field::Education, &["学历", "文化程度"]),
    (Field::JoinedParty, &["入党日期", "入党时间", "入党年月"]),
    (Field::FullMember, &["转正日期", "转正时间", "转正年月"]),
    (Field::Retired, &["退休日期", "退休时间", "退休年月"]),
    (Field::FormerUnit, &["原工作单位", "原单位", "退休前单位", "工作单位"]),
    (Field::Branch, &["所在党支部", "所在支部", "党支部", "支部"]),
    (Field::Group, &["所在党小组", "党小组", "小组"]),
    (Field::Living, &["生活状况", "生活情况", "居住情况"]),
    (Field::HealthStatus, &["健康状况", "身体状况"]),
    (Field::HealthNotes, &["健康说明"]),
    (Field::HealthSince, &["健康登记日期"]),
    (Field::Hardship, &["生活困难", "困难程度", "困难情况"]),
    (Field::HardshipNotes, &["困难说明"]),
    (Field::HardshipSince, &["困难登记日期"]),
    (Field::Pension, &["月基本养老金", "养老金", "退休金"]),
    (Field::ReceiveMail, &["节日慰问信邮寄", "慰问信邮寄"]),
    (Field::Notes, &["备注"]),
    (Field::IsAway, &["是否流动党员", "是否外出", "流动党员", "是否外出党员"]),
    (Field::AwayPlace, &["流动去向", "外出去向", "外出地点", "外出地址", "去向", "流入地", "外出所在地"]),
    (Field::AwayStart, &["外出时间", "外出日期", "流出时间", "离开时间", "外出起始时间"]),
    (Field::AwayEnd, &["预计返回时间", "预计返回", "预计返回日期", "预计回来时间"]),
    (Field::AwayReason, &["外出原因", "外出理由", "流动原因", "外出事由"]),
    (Field::AwayPhone, &["外出期间联系电话", "外出联系电话", "外出期间电话"]),
    (Field::AwayOrg, &["接收党组织", "流入地党组织"]),
    (Field::Derived, &["序号", "行号"]),
    (Field::Derived, EXPORTED_DERIVED),
];

impl Field {
    /// Phone columns are never duplicates of each other: what each cell
    /// holds decides where its numbers go.
    pub fn is_phone(self) -> bool {
        matches!(self, Field::Mobile | Field::HomePhone | Field::Phone)
    }

    /// The mobile members' columns.
    pub fn is_away(self) -> bool {
        matches!(
            self,
            Field::IsAway
                | Field::AwayPlace
                | Field::AwayStart
                | Field::AwayEnd
                | Field::AwayReason
                | Field::AwayPhone
                | Field::AwayOrg
        )
    }
}

/// The header `export` writes for `field`.
pub fn header_of(field: Field) -> &'static str {
    HEADERS.iter().find(|(f, _)| *f == field).map(|(_, h)| h[0]).expect("every field has headers")
}

fn normalise(h: &str) -> String {
    h.chars().filter(|c| !c.is_whitespace() && !"*＊:：".contains(*c)).collect()
}

pub(super) fn without_brackets(h: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in h.chars() {
        match c {
            '（' | '(' | '【' | '[' => depth += 1,
            '）' | ')' | '】' | ']' => depth = (depth - 1).max(0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The field a header names: exactly, without a bracketed remark
/// ("联系电话（手机）"), or the longest known header it contains ("党员姓名").
pub fn field_of(header: &str) -> Option<Field> {
    let h = normalise(header);
    if h.is_empty() {
        return None;
    }
    let exact = |h: &str| HEADERS.iter().find(|(_, names)| names.contains(&h)).map(|(f, _)| *f);
    if let Some(f) = exact(&h) {
        return Some(f);
    }
    let bare = without_brackets(&h);
    if let Some(f) = exact(&bare) {
        return Some(f);
    }
    HEADERS
        .iter()
        .flat_map(|(f, names)| names.iter().map(move |n| (*f, *n)))
        .filter(|(_, n)| n.chars().count() >= 2 && bare.contains(n))
        .max_by_key(|(_, n)| n.chars().count())
        .map(|(f, _)| f)
}

/// The header row: among the first rows, the one naming the most fields,
/// which must include the name. Returns its index in `rows`.
pub fn find_header(rows: &[Vec<Cell>]) -> Option<usize> {
    rows.iter()
        .take(30)
        .enumerate()
        .map(|(i, r)| {
            let fields: Vec<Field> = r.iter().filter_map(|c| field_of(&c.text())).collect();
            (i, fields.contains(&Field::Name), fields.iter().filter(|f| **f != Field::Derived).count())
        })
        .filter(|(_, has_name, n)| *has_name && *n >= 3)
        .max_by_key(|(i, _, n)| (*n, std::cmp::Reverse(*i)))
        .map(|(i, _, _)| i)
}

/// A second header row under `h`: offices often group columns under a
/// merged label ("联系方式" over 手机 and 住宅电话) and name them one row
/// down. Returns the header text of each column — the lower row's under a
/// group label or a merged cell — and how many rows the header takes. The
/// lower row is a header when it names a field the upper one does not.
pub fn header_texts(rows: &[Vec<Cell>], h: usize) -> (Vec<String>, usize) {
    let upper: Vec<String> = rows[h].iter().map(|c| c.text().replace('\n', "")).collect();
    let Some(lower) = rows.get(h + 1) else { return (upper, 1) };
    let name_col = upper.iter().position(|t| field_of(t) == Some(Field::Name));
    let lower_is_data = name_col.is_some_and(|c| lower.get(c).is_some_and(|x| !x.is_empty()));
    let under_a_label = |c: usize| upper.get(c).is_none_or(|u| field_of(u).is_none());
    let sub: Vec<(usize, String)> = lower
        .iter()
        .enumerate()
        .map(|(c, x)| (c, x.text().replace('\n', "")))
        .filter(|(c, t)| !t.is_empty() && under_a_label(*c))
        .collect();
    let names_a_field = sub.iter().any(|(_, t)| field_of(t).is_some_and(|f| f != Field::Derived));
    if lower_is_data || !names_a_field {
        return (upper, 1);
    }
    let mut merged = upper;
    for (c, t) in sub {
        if merged.len() <= c {
            merged.resize(c + 1, String::new());
        }
        merged[c] = t;
    }
    (merged, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messy_headers() {
        assert_eq!(field_of("姓 名"), Some(Field::Name));
        assert_eq!(field_of("*身份证号"), Some(Field::IdNumber));
        assert_eq!(field_of("联系电话（手机）"), Some(Field::Phone));
        assert_eq!(field_of("手机号码"), Some(Field::Mobile));
        assert_eq!(field_of("外出期间联系电话"), Some(Field::AwayPhone));
        assert_eq!(field_of("流动去向"), Some(Field::AwayPlace));
        assert_eq!(field_of("家庭住址\n（详细到门牌）"), Some(Field::Address));
        assert_eq!(field_of("党员姓名"), Some(Field::Name));
        assert_eq!(field_of("家属姓名"), Some(Field::FamilyName));
        assert_eq!(field_of("入党时间："), Some(Field::JoinedParty));
        assert_eq!(field_of("序号"), Some(Field::Derived));
        assert_eq!(field_of("爱好"), None);
        assert_eq!(field_of(""), None);
    }

    #[test]
    fn export_headers_map_back() {
        for (f, names) in HEADERS {
            assert_eq!(field_of(names[0]), Some(*f), "{}", names[0]);
        }
    }

    #[test]
    fn header_below_a_title() {
        let t = |s: &str| Cell::Text(s.into());
        let rows = vec![
            vec![t("某某集团离退休党员台帐"), Cell::Empty],
            vec![t("填报单位：退管办"), Cell::Empty],
            vec![t("序号"), t("姓名"), t("性别"), t("身份证号")],
            vec![Cell::Number(1.0), t("张三"), t("男"), t("x")],
        ];
        assert_eq!(find_header(&rows), Some(2));
        assert_eq!(find_header(&rows[..2]), None);
        // A one-row header stays one row.
        assert_eq!(header_texts(&rows, 2).1, 1);
    }

    #[test]
    fn a_two_row_header() {
        let t = |s: &str| Cell::Text(s.into());
        let rows = vec![
            vec![t("姓名"), t("性别"), t("身份证号"), t("联系方式"), Cell::Empty, t("所在支部")],
            vec![Cell::Empty, Cell::Empty, Cell::Empty, t("手机"), t("住宅电话"), Cell::Empty],
            vec![t("张三"), t("男"), t("x"), t("138"), t("0571"), t("b1")],
        ];
        let (texts, n) = header_texts(&rows, 0);
        assert_eq!(n, 2);
        assert_eq!(texts, ["姓名", "性别", "身份证号", "手机", "住宅电话", "所在支部"]);
    }
}
