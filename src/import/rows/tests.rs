use super::*;
use crate::import::table::Table;

fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

/// A valid ID number for someone born on `birth` (YYYYMMDD).
fn id_number(birth: &str, seq: &str) -> String {
    let first17 = format!("330105{birth}{seq}");
    format!("{first17}{}", crate::office::id_number::check_digit(&first17))
}

/// The rows read into the sample office, and their outcomes by row.
fn read(rows: Vec<Vec<Cell>>, rename: bool) -> (Vec<(u32, &'static str)>, Vec<String>) {
    let (office, _) = crate::load::load(std::path::Path::new("data"));
    let office = office.expect("the sample office loads");
    let mut all = vec![vec![text("姓名"), text("身份证号"), text("所在党支部")]];
    all.extend(rows);
    let table = Table {
        sheet: "党员名册".into(),
        first_row: 1,
        rows: all,
        encoding: None,
        other_sheets: Vec::new(),
        hidden_sheets: Vec::new(),
        hidden_rows: Vec::new(),
        bad_cells: Vec::new(),
    };
    let (sheet, header_rows, _) = crate::import::header(&table, 0);
    let tmp = tempfile::tempdir().unwrap();
    let req = Request {
        file: std::path::Path::new("名册.xlsx"),
        sheet: None,
        into: tmp.path(),
        write: false,
        update: false,
        rename,
        as_of: crate::rules::testing::date("2026-11-26"),
    };
    let mut r = Rows::new(&req, &office, &sheet, "名册.xlsx", Vec::new());
    let mut history = Histories { lists: Vec::new(), blocks: Vec::new() };
    r.read_all(header_rows, &mut history);
    let outcomes = r
        .outcomes
        .iter()
        .map(|(row, o)| {
            let what = match o {
                Outcome::New { .. } => "new",
                Outcome::Existing { .. } => "existing",
                Outcome::Skipped => "skipped",
            };
            (*row, what)
        })
        .collect();
    let errors = r.problems.iter().filter(|p| p.severity == Severity::Error).map(|p| p.text.clone()).collect();
    (outcomes, errors)
}

#[test]
fn a_member_already_there_is_found_by_id_number_and_someone_new_gets_a_file() {
    let new = id_number("19500101", "123");
    let (outcomes, errors) = read(
        vec![
            vec![text("王喆"), text("330105192605232473"), text("第一支部")],
            vec![text("新党员"), text(&new), text("第一离退休党支部（集团机关）")],
        ],
        false,
    );
    assert_eq!(outcomes, [(2, "existing"), (3, "new")], "{errors:?}");
}

#[test]
fn the_same_person_twice_is_imported_once_and_said_to_be_twice() {
    let new = id_number("19500101", "123");
    let row = || vec![text("新党员"), text(&new), text("第一离退休党支部（集团机关）")];
    let (outcomes, errors) = read(vec![row(), row()], false);
    assert_eq!(outcomes, [(2, "new"), (3, "skipped")]);
    assert!(errors.iter().any(|e| e.contains("与第 2 行（新党员）身份证号相同")), "{errors:?}");
}

#[test]
fn identity_is_never_rewritten_without_rename() {
    // A member's number under another name; a member's name and branch
    // under another number.
    let other = id_number("19260523", "999");
    let rows = || {
        vec![
            vec![text("王哲"), text("330105192605232473"), text("第一离退休党支部（集团机关）")],
            vec![text("王喆"), text(&other), text("第一离退休党支部（集团机关）")],
        ]
    };
    let (outcomes, errors) = read(rows(), false);
    assert_eq!(outcomes, [(2, "skipped"), (3, "skipped")]);
    assert!(errors[0].contains("属于 王喆") && errors[1].contains("王喆（"), "{errors:?}");
    let (outcomes, _) = read(rows(), true);
    assert_eq!(outcomes, [(2, "existing"), (3, "existing")]);
}

#[test]
fn a_branch_org_yaml_lacks_is_counted_and_the_row_not_imported() {
    let (outcomes, errors) =
        read(vec![vec![text("新党员"), text(&id_number("19500101", "123")), text("第九支部")]], false);
    assert_eq!(outcomes, [(2, "skipped")]);
    assert_eq!(errors, ["org.yaml 里没有支部“第九支部”"]);
}
