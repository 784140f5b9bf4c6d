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
}

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
    match ext.as_str() {
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| format!("无法读取 {}：{e}", path.display()))?;
            read_csv(&bytes, &file_stem(path))
        }
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_workbook(path, sheet),
        _ => Err(format!(
            "无法识别 {} 的格式：应为 Excel 工作簿（.xlsx、.xls）、WPS/LibreOffice 表格（.ods）或 CSV 文件（.csv）",
            path.display()
        )),
    }
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
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => return Err(format!("工作簿里没有名为“{s}”的工作表。现有：{}", names.join("、"))),
        // The first sheet that has anything in it.
        None => names
            .iter()
            .find(|n| book.worksheet_range(n).is_ok_and(|r| !r.is_empty()))
            .cloned()
            .ok_or_else(|| format!("{} 里没有任何数据", path.display()))?,
    };
    let other_sheets =
        names.iter().filter(|n| **n != name && book.worksheet_range(n).is_ok_and(|r| !r.is_empty())).cloned().collect();
    let range = book.worksheet_range(&name).map_err(|e| format!("无法读取工作表“{name}”：{e}"))?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .map(|r| {
            let mut cells = vec![Cell::Empty; col0 as usize];
            cells.extend(r.iter().map(|c| match c {
                Data::Empty | Data::Error(_) => Cell::Empty,
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
    Ok(Table { sheet: name, first_row: row0 + 1, rows, encoding: None, other_sheets })
}

/// Decode CSV bytes: UTF-8 (BOM stripped) when valid, else GB18030.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
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
    // Excel in China saves "CSV" with commas; some tools use tabs or semicolons.
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b'\t', b';'].into_iter().max_by_key(|d| first.matches(*d as char).count()).unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| format!("CSV 第 {} 行无法解析：{e}", i + 1))?;
        rows.push(
            rec.iter().map(|s| if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect(),
        );
    }
    Ok(Table { sheet: name.to_string(), first_row: 1, rows, encoding: Some(encoding), other_sheets: Vec::new() })
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
        let t = read_csv("\u{feff}姓名,电话\n\"王,五\",138\n\n".as_bytes(), "x").unwrap();
        assert_eq!(t.rows[1], vec![Cell::Text("王,五".into()), Cell::Text("138".into())]);
    }

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(Cell::Number(13800138000.0).text(), "13800138000");
        assert_eq!(Cell::Number(5600.5).text(), "5600.5");
    }
}
