//! 信息核对表 (R2: records accurate and promptly updated): one page per
//! member with the record as the office holds it and a column to correct it
//! by hand, signed by the member or a relative, taken on visits and at
//! festivals. The ID number is masked to its first six and last four digits
//! unless asked for in full: the sheet passes through volunteers' hands and
//! may stay with the family, while the office already holds the number
//! (PIPL art. 6, the minimum necessary); the birth date is printed whole so
//! that the middle digits can still be checked.

use serde::Serialize;

use super::info_card::{self, InfoCard};
use super::{DocumentKind, PRINT_PART, print_file, zh_date};
use crate::facts::{Facts, MemberFacts};
use crate::outputs::Output;
use crate::rules::lifecycle::LifeIssue;

pub const KIND: DocumentKind = DocumentKind {
    template: "confirm-sheet.typ",
    zh: "信息核对表",
    folder: "confirm",
    one_page: false,
    example: Some(example),
};

#[derive(Debug, Serialize)]
pub struct Line {
    pub label: &'static str,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct ConfirmSheet {
    pub name: String,
    pub branch: String,
    pub org: String,
    pub as_of: String,
    pub last_confirmed: String,
    pub lines: Vec<Line>,
    pub family: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ConfirmSheets<'a> {
    pub sheets: &'a [ConfirmSheet],
    /// Whether a record may run on to a further page (see
    /// `render::typst`: a part is laid out first as if none did).
    pub runs_on: bool,
}

/// "330105**********1214" style: the region and the last four digits.
pub fn masked_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    chars.iter().enumerate().map(|(i, c)| if i < 6 || i >= chars.len() - 4 { *c } else { '*' }).collect()
}

fn sheet(card: InfoCard, f: &MemberFacts, full_id: bool) -> ConfirmSheet {
    let lines = vec![
        Line { label: "性别", value: card.sex },
        Line { label: "民族", value: card.ethnicity },
        Line { label: "出生日期", value: card.birth_date },
        Line { label: "公民身份号码", value: if full_id { card.id_number } else { masked_id(&card.id_number) } },
        Line { label: "籍贯", value: card.native_place },
        Line { label: "学历", value: card.education },
        Line { label: "家庭住址", value: card.address },
        Line { label: "邮政编码", value: card.postcode },
        Line { label: "住宅电话", value: card.home_phone },
        Line { label: "手机", value: card.mobile },
        Line { label: "入党日期", value: card.joined_party },
        Line { label: "转正日期", value: card.full_member },
        Line { label: "退休日期", value: card.retired },
        Line { label: "原工作单位", value: card.former_unit },
        Line { label: "党小组", value: card.group },
        Line { label: "生活状况", value: card.living },
        Line { label: "健康状况", value: card.health },
        Line { label: "现在何处", value: if card.whereabouts.is_empty() { card.status } else { card.whereabouts } },
    ];
    ConfirmSheet {
        name: card.name,
        branch: card.branch,
        org: card.org,
        as_of: card.as_of,
        last_confirmed: f.member.confirmed.as_ref().map_or_else(|| "尚未核对过".into(), |c| zh_date(c.value)),
        lines,
        family: card.family.into_iter().map(|l| super::join_nonempty(&[l.name, l.relation, l.phone], "　")).collect(),
    }
}

/// Whether a member's record is due for checking: never confirmed, or not
/// for the configured months.
pub fn due(f: &MemberFacts) -> bool {
    f.member.confirmed.is_none() || f.life.iter().any(|l| l.issue == LifeIssue::NotConfirmed)
}

/// One print file of sheets for the members chosen (on the books).
pub fn plan<'f>(facts: &'f Facts<'f>, chosen: &[&MemberFacts], full_id: bool) -> Vec<Output<'f>> {
    let sheets: Vec<ConfirmSheet> =
        chosen.iter().map(|f| sheet(info_card::build(&super::Own::of(facts, f)), f, full_id)).collect();
    print_file(&KIND, &sheets, PRINT_PART, &format!("{}/confirm-sheets", KIND.folder), |sheets| ConfirmSheets {
        sheets,
        runs_on: true,
    })
}

/// The first members' sheets, as `tuiguan templates` shows its template's data.
fn example<'f>(facts: &'f Facts<'f>) -> Vec<Output<'f>> {
    let first: Vec<_> = facts.in_print_order().into_iter().take(3).collect();
    plan(facts, &first, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_the_region_and_the_last_four() {
        assert_eq!(masked_id("330105195003051214"), "330105********1214");
        assert_eq!(masked_id("11010519491231002X"), "110105********002X");
        assert_eq!(masked_id("123"), "***");
    }
}
