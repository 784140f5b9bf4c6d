//! Read a spreadsheet into plain cells with their real row and column:
//! xlsx/xlsm/xls/ods through calamine, CSV in UTF-8 (with or without BOM) or
//! GBK/GB18030 (detected: whatever is not valid UTF-8 is read as GB18030,
//! which contains GBK).

use std::path::Path;

/// One cell's value as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date (serial number, 1900 system), already a date.
    Date(chrono::NaiveDate),
    Bool(bool),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, numbers without a spurious ".0".
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e18 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        }
    }
}

/// A sheet: its rows from row `first_row` (1-based, as the spreadsheet
/// numbers them), each from column A.
#[derive(Debug, Clone)]
pub struct Table {
    pub sheet: String,
    pub first_row: u32,
    pub rows: Vec<Vec<Cell>>,
    /// How a CSV file was decoded ("UTF-8", "GBK/GB18030"); None for workbooks.
    pub encoding: Option<&'static str>,
    /// The workbook's other sheets that hold data (one per branch, often).
    pub other_sheets: Vec<String>,
    /// Hidden sheets, named in the report; not read unless asked for.
    pub hidden_sheets: Vec<String>,
    /// Rows hidden in the sheet (1-based), named in the report (.xlsx only).
    pub hidden_rows: Vec<u32>,
    /// Cells that cannot be read literally: (row, column, why) — Excel's
    /// error values, formulas without a saved result, text over the limit.
    pub bad_cells: Vec<(u32, usize, String)>,
}

/// Limits on what is read, whatever the file claims: the parts of a
/// workbook inflated (200 MB), the rows of a sheet, the characters of a cell.
pub const MAX_INFLATED: u64 = 200 * 1024 * 1024;
pub const MAX_ROWS: usize = 100_000;
pub const MAX_CELL_CHARS: usize = 2_000;

/// "A", …, "Z", "AA", … for a 0-based column.
pub fn column_name(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

/// An Excel serial date (1900 system) as a date.
pub fn excel_date(serial: f64) -> Option<chrono::NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_days(chrono::Days::new(serial.floor() as u64))
}

pub fn read(path: &Path, sheet: Option<&str>) -> Result<Table, String> {
    if !path.is_file() {
        return Err(format!("找不到文件 {}", path.display()));
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_INFLATED {
        return Err(too_large(path));
    }
    match ext.as_str() {
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
            let table = read_csv(&bytes, &file_stem(path))?;
            bounded(table)
        }
        "xlsx" | "xlsm" | "xlsb" | "ods" => {
            check_inflated(path)?;
            let mut t = read_workbook(path, sheet).and_then(bounded)?;
            if matches!(ext.as_str(), "xlsx" | "xlsm") {
                t.hidden_rows = hidden_rows(path, &t.sheet).unwrap_or_default();
            }
            Ok(t)
        }
        "xls" => read_workbook(path, sheet).and_then(bounded),
        _ => Err(format!(
            "无法识别 {} 的格式：应为 Excel 工作簿（.xlsx、.xls）、WPS/LibreOffice 表格（.ods）或 CSV 文件（.csv）",
            path.display()
        )),
    }
}

fn too_large(path: &Path) -> String {
    format!(
        "{} 太大：解压后超过 {} MB（一个单位的台帐远小于此），可能已损坏或不是台帐；请另存为只含台帐的工作簿再导入",
        path.display(),
        MAX_INFLATED / 1024 / 1024
    )
}

/// Inflate every part of a zip-based workbook into nothing, counting the
/// bytes it really gives, and stop at [`MAX_INFLATED`].
fn check_inflated(path: &Path) -> Result<(), String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| format!("无法打开工作簿 {}：文件已损坏，或不是它的扩展名所说的格式（{e}）", path.display()))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| format!("工作簿 {} 已损坏（{e}）", path.display()))?;
        let left = MAX_INFLATED - total;
        total += std::io::copy(&mut (&mut part).take(left + 1), &mut std::io::sink())
            .map_err(|e| format!("工作簿 {} 已损坏（{e}）", path.display()))?;
        if total > MAX_INFLATED {
            return Err(too_large(path));
        }
    }
    Ok(())
}

/// Refuse a sheet with more rows than any office has; name the cells whose
/// text is over the limit (and blank them). The line tuiguan's own export
/// puts above each sheet's header (内部资料……) is not data: passed over.
fn bounded(mut t: Table) -> Result<Table, String> {
    let marked = t.rows.first().is_some_and(|r| {
        matches!(r.first(), Some(Cell::Text(s)) if s == crate::export::INTERNAL) && r.iter().skip(1).all(Cell::is_empty)
    });
    if marked {
        t.rows.remove(0);
        t.first_row += 1;
    }
    if t.rows.len() > MAX_ROWS {
        return Err(format!(
            "工作表“{}”有 {} 行，超过 {MAX_ROWS} 行的上限；请只留下党员台帐再导入",
            t.sheet,
            t.rows.len()
        ));
    }
    for (i, row) in t.rows.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            if let Cell::Text(s) = cell
                && s.chars().count() > MAX_CELL_CHARS
            {
                let n = s.chars().count();
                t.bad_cells.push((
                    t.first_row + i as u32,
                    c,
                    format!("这一格有 {n} 个字，超过 {MAX_CELL_CHARS} 字的上限"),
                ));
                *cell = Cell::Empty;
            }
        }
    }
    Ok(t)
}

/// The value of attribute `name` in the tag text `tag` (`<row r="5" hidden="1">`).
fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let i = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[i..].split('"').next()
}

/// Rows marked hidden in sheet `sheet` of an .xlsx (calamine does not say):
/// the sheet's part is found through the workbook and its relationships,
/// and its `<row … hidden="1">` tags are read.
fn hidden_rows(path: &Path, sheet: &str) -> Option<Vec<u32>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).ok()?).ok()?;
    let mut part = |name: &str| -> Option<String> {
        let mut s = String::new();
        zip.by_name(name).ok()?.take(MAX_INFLATED).read_to_string(&mut s).ok()?;
        Some(s)
    };
    let workbook = part("xl/workbook.xml")?;
    let rels = part("xl/_rels/workbook.xml.rels")?;
    // Each tag's attributes, with the space before the first one put back.
    let tags = |xml: &str, name: &str| -> Vec<String> {
        xml.split(&format!("<{name} ")).skip(1).map(|t| format!(" {}", t.split('>').next().unwrap_or(""))).collect()
    };
    let sheets = tags(&workbook, "sheet");
    let id = sheets.iter().find(|t| attr(t, "name") == Some(sheet)).and_then(|t| attr(t, "r:id"))?;
    let links = tags(&rels, "Relationship");
    let target = links.iter().find(|t| attr(t, "Id") == Some(id)).and_then(|t| attr(t, "Target"))?;
    let target = target.strip_prefix('/').map_or_else(|| format!("xl/{target}"), str::to_string);
    let xml = part(&target)?;
    let rows = tags(&xml, "row");
    Some(
        rows.iter()
            .filter(|t| matches!(attr(t, "hidden"), Some("1" | "true")))
            .filter_map(|t| attr(t, "r")?.parse().ok())
            .collect(),
    )
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<Table, String> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        format!(
            "无法打开工作簿 {}：文件已损坏、有密码保护，或不是它的扩展名所说的格式（{e}）。可在 Excel 或 WPS 中打开后另存为 .xlsx 再试",
            path.display()
        )
    })?;
    let names = book.sheet_names();
    let hidden: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible != calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => return Err(format!("工作簿里没有名为“{s}”的工作表。现有：{}", names.join("、"))),
        // The first visible sheet with a register's header (a summary
        // sheet often comes first), else the first with anything in it.
        None => {
            let filled: Vec<&String> = names
                .iter()
                .filter(|n| !hidden.contains(n))
                .filter(|n| book.worksheet_range(n).is_ok_and(|r| !r.is_empty()))
                .collect();
            let mut has_header = |n: &String| {
                book.worksheet_range(n).is_ok_and(|r| {
                    let top: Vec<Vec<Cell>> =
                        r.rows().take(30).map(|row| row.iter().map(|c| Cell::Text(c.to_string())).collect()).collect();
                    super::columns::find_header(&top).is_some()
                })
            };
            filled
                .iter()
                .find(|n| has_header(n))
                .or(filled.first())
                .map(|n| (*n).clone())
                .ok_or_else(|| format!("{} 里没有任何数据（隐藏的工作表不算）", path.display()))?
        }
    };
    let other_sheets = names
        .iter()
        .filter(|n| **n != name && !hidden.contains(n) && book.worksheet_range(n).is_ok_and(|r| !r.is_empty()))
        .cloned()
        .collect();
    let hidden_sheets = hidden.into_iter().filter(|n| *n != name).collect();
    let range = book.worksheet_range(&name).map_err(|e| format!("无法读取工作表“{name}”：{e}"))?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut bad_cells = Vec::new();
    // A formula whose result was never saved reads as empty: say so instead.
    if let Ok(formulas) = book.worksheet_formula(&name) {
        for (r, c, f) in formulas.used_cells().filter(|(_, _, f)| !f.is_empty()) {
            let (row, col) =
                (formulas.start().map_or(0, |s| s.0) + r as u32, formulas.start().map_or(0, |s| s.1) as usize + c);
            let value = range.get_value((row, col as u32));
            if value.is_none_or(|v| matches!(v, Data::Empty)) {
                bad_cells.push((
                    row + 1,
                    col,
                    format!("这一格是公式（={f}）但没有保存计算结果；请在 Excel 或 WPS 里打开、重新计算后保存，或把公式改成数值"),
                ));
            }
        }
    }
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, r)| {
            let mut cells = vec![Cell::Empty; col0 as usize];
            cells.extend(r.iter().enumerate().map(|(j, c)| match c {
                Data::Error(e) => {
                    bad_cells.push((
                        row0 + i as u32 + 1,
                        col0 as usize + j,
                        format!("这一格是 Excel 的错误值 {e}，不是数据；请在表格里改正这一格"),
                    ));
                    Cell::Empty
                }
                Data::Empty => Cell::Empty,
                Data::String(s) => Cell::Text(s.clone()),
                Data::Int(i) => Cell::Number(*i as f64),
                Data::Float(f) => Cell::Number(*f),
                Data::Bool(b) => Cell::Bool(*b),
                Data::DateTime(d) => excel_date(d.as_f64()).map_or(Cell::Number(d.as_f64()), Cell::Date),
                Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            }));
            cells
        })
        .collect();
    Ok(Table {
        sheet: name,
        first_row: row0 + 1,
        rows,
        encoding: None,
        other_sheets,
        hidden_sheets,
        hidden_rows: Vec::new(),
        bad_cells,
    })
}

/// Decode CSV bytes: UTF-16 (by its BOM, or by the zero bytes of Chinese
/// and ASCII text saved as "Unicode text"), UTF-8 (BOM stripped) when
/// valid, else GB18030.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let zeros = bytes.iter().take(4096).filter(|b| **b == 0).count();
    let utf16 = |enc: &'static encoding_rs::Encoding| {
        let (s, _, _) = enc.decode(bytes);
        (s.trim_start_matches('\u{feff}').to_string(), "UTF-16")
    };
    if bytes.starts_with(b"\xFF\xFE") || (zeros * 4 > bytes.len().min(4096) && bytes.get(1) == Some(&0)) {
        return utf16(encoding_rs::UTF_16LE);
    }
    if bytes.starts_with(b"\xFE\xFF") || (zeros * 4 > bytes.len().min(4096) && bytes.first() == Some(&0)) {
        return utf16(encoding_rs::UTF_16BE);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (s, _, _) = encoding_rs::GB18030.decode(bytes);
            (s.into_owned(), "GBK/GB18030")
        }
    }
}

fn read_csv(bytes: &[u8], name: &str) -> Result<Table, String> {
    let (text, encoding) = decode(bytes);
    // Excel in China saves "CSV" with commas; some tools use tabs or
    // semicolons. Counted over the first lines: a title line may have none.
    let top: String = text.lines().take(10).collect();
    let delimiter = [b';', b'\t', b','].into_iter().max_by_key(|d| top.matches(*d as char).count()).unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| format!("CSV 第 {} 行无法解析：{e}", i + 1))?;
        rows.push(
            rec.iter().map(|s| if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect(),
        );
    }
    Ok(Table {
        sheet: name.to_string(),
        first_row: 1,
        rows,
        encoding: Some(encoding),
        other_sheets: Vec::new(),
        hidden_sheets: Vec::new(),
        hidden_rows: Vec::new(),
        bad_cells: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn excel_dates() {
        assert_eq!(excel_date(27441.0), chrono::NaiveDate::from_ymd_opt(1975, 2, 16));
        assert_eq!(excel_date(45000.5), chrono::NaiveDate::from_ymd_opt(2023, 3, 15));
    }

    #[test]
    fn gbk_and_utf8() {
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,性别\n张三,男\n");
        assert_eq!(decode(&gbk), ("姓名,性别\n张三,男\n".to_string(), "GBK/GB18030"));
        assert_eq!(decode("\u{feff}姓名".as_bytes()), ("姓名".to_string(), "UTF-8"));
        let le: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("姓名,性别".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&le), ("姓名,性别".to_string(), "UTF-16"));
        let no_bom: Vec<u8> = "name,sex\n张三,男".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&no_bom), ("name,sex\n张三,男".to_string(), "UTF-16"));
        let t = read_csv("\u{feff}姓名,电话\n\"王,五\",138\n\n".as_bytes(), "x").unwrap();
        assert_eq!(t.rows[1], vec![Cell::Text("王,五".into()), Cell::Text("138".into())]);
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(Cell::Number(13800138000.0).text(), "13800138000");
        assert_eq!(Cell::Number(5600.5).text(), "5600.5");
    }
}
