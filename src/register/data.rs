//! The register's rows as data for its script: one JSON document inside the
//! index page (`<script type="application/json">`, which the CSP lets a page
//! read and never runs), so a 10,000-member office opens at once — the
//! script draws the rows the reader can see and the rest as they scroll,
//! print or download. Every value is what [`super::view::Row`] already
//! allows under the policy; each column's order is computed here once, so
//! sorting in the browser is taking a list, not comparing Chinese text.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::search::sort_key;
use super::view::Row;

/// The register's columns: key (in the URL and the CSS), heading.
pub const COLUMNS: &[(&str, &str)] = &[
    ("name", "姓名"),
    ("branch", "党支部"),
    ("group", "党小组"),
    ("age", "年龄"),
    ("status", "状态"),
    ("whereabouts", "去向"),
    ("mobile", "手机"),
    ("card", "联系卡"),
    ("visit", "走访"),
    ("native", "籍贯"),
    ("area", "住址区域"),
    ("sign", "签字／备注"),
];

/// The columns shown until the reader chooses: all the policy allows,
/// without the blank column for signatures.
pub fn shown_by_default(key: &str) -> bool {
    key != "sign"
}

#[derive(Serialize)]
struct Data<'a> {
    /// The date the data describes, for the download's file name.
    as_of: String,
    /// Columns the policy lets the page show, in table order.
    columns: Vec<&'static str>,
    /// Branch and group names by key, so rows carry only keys.
    branches: BTreeMap<&'a str, &'a str>,
    groups: BTreeMap<&'a str, &'a str>,
    /// The words of the status, visit and card tags, by "kind:key".
    tags: BTreeMap<String, &'static str>,
    /// One array per member, in the register's order: see [`Member`].
    rows: Vec<Member<'a>>,
    /// For each sortable column, the row numbers in ascending order.
    order: BTreeMap<&'static str, Vec<u32>>,
}

/// A member's row as the script reads it: `[id, name, search words,
/// branch, group, age, age band, status, where, mobile, card, visit,
/// native place, native province, area]`. Written straight from the row:
/// made into JSON values first, 20,000 rows would hold about 20 MB.
struct Member<'a>(&'a Row);

impl Serialize for Member<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let r = self.0;
        let mut t = s.serialize_tuple(15)?;
        t.serialize_element(&r.id)?;
        t.serialize_element(&r.name)?;
        t.serialize_element(&format!("{} {} {}", r.name, r.id, r.search).to_lowercase())?;
        t.serialize_element(&r.branch_id)?;
        t.serialize_element(&r.group_key)?;
        t.serialize_element(&r.age)?;
        t.serialize_element(r.age_band)?;
        t.serialize_element(r.status.key)?;
        t.serialize_element(&r.whereabouts)?;
        t.serialize_element(&r.mobile)?;
        t.serialize_element(r.card.key)?;
        t.serialize_element(r.visit.key)?;
        t.serialize_element(&r.native_place)?;
        t.serialize_element(&r.native_province)?;
        t.serialize_element(&r.area)?;
        t.end()
    }
}

/// Row numbers sorted by `key`, ties in the register's order.
fn order_by<K: Ord>(rows: &[Row], key: impl Fn(&Row) -> K) -> Vec<u32> {
    let mut idx: Vec<u32> = (0..rows.len() as u32).collect();
    idx.sort_by_cached_key(|i| key(&rows[*i as usize]));
    idx
}

/// The JSON the index page carries, safe to place inside a `<script>`
/// element: `<`, `>` and `&` are written as `\u003c` and so on, so no
/// member text can close the element or open a comment. Written into
/// `out` as it is made.
pub fn register_data(rows: &[Row], columns: &[&'static str], as_of: chrono::NaiveDate, out: &mut impl Write) {
    let mut tags = BTreeMap::new();
    for r in rows {
        tags.insert(format!("status:{}", r.status.key), r.status.zh);
        tags.insert(format!("visit:{}", r.visit.key), r.visit.zh);
        tags.insert(format!("card:{}", r.card.key), r.card.zh);
    }
    let mut order = BTreeMap::new();
    for key in columns {
        let o = match *key {
            "name" => order_by(rows, |r| r.name_sort.clone()),
            "branch" => order_by(rows, |r| r.branch_rank),
            "group" => order_by(rows, |r| r.group_rank),
            // Members without an age (hidden or unknown) last.
            "age" => order_by(rows, |r| r.age.map_or(u32::MAX, |a| a)),
            "status" => order_by(rows, |r| r.status_rank),
            "whereabouts" => order_by(rows, |r| (r.whereabouts.is_empty(), sort_key(&r.whereabouts))),
            "mobile" => order_by(rows, |r| (r.mobile.is_empty(), r.mobile.clone())),
            "card" => order_by(rows, |r| r.card_rank),
            "visit" => order_by(rows, |r| r.visit_rank),
            "native" => order_by(rows, |r| (r.native_place.is_empty(), sort_key(&r.native_place))),
            "area" => order_by(rows, |r| (r.area.is_empty(), sort_key(&r.area))),
            _ => continue,
        };
        order.insert(*key, o);
    }
    let data = Data {
        as_of: as_of.to_string(),
        columns: columns.to_vec(),
        branches: rows.iter().map(|r| (r.branch_id.as_str(), r.branch.as_str())).collect(),
        groups: rows
            .iter()
            .filter(|r| !r.group_key.is_empty())
            .map(|r| (r.group_key.as_str(), r.group.as_str()))
            .collect(),
        tags,
        rows: rows.iter().map(Member).collect(),
        order,
    };
    script_safe(&data, out);
}

/// `value` as JSON with `<`, `>` and `&` written as `\u003c`, `\u003e`,
/// `\u0026`: the same value, and inert inside HTML. Escaped as it is
/// written into `out`, never held whole.
fn script_safe(value: &impl Serialize, out: &mut impl Write) {
    /// Bytes written, escaped, to the writer inside.
    struct Escaped<W>(W);
    impl<W: Write> Write for Escaped<W> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            // The three are ASCII: never a byte of a longer character.
            let mut rest = buf;
            while let Some(at) = rest.iter().position(|b| matches!(b, b'<' | b'>' | b'&')) {
                self.0.write_all(&rest[..at])?;
                self.0.write_all(match rest[at] {
                    b'<' => b"\\u003c",
                    b'>' => b"\\u003e",
                    _ => b"\\u0026",
                })?;
                rest = &rest[at + 1..];
            }
            self.0.write_all(rest)?;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.0.flush()
        }
    }
    // serde_json writes token by token: gathered into larger writes.
    let mut escaped = Escaped(std::io::BufWriter::with_capacity(64 * 1024, out));
    serde_json::to_writer(&mut escaped, value).expect("register data serialises");
    escaped.flush().expect("register data written");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_text_cannot_close_the_script() {
        let name = "</script><script>alert(1)</script><!--&";
        let mut bytes = Vec::new();
        script_safe(&serde_json::json!({ "name": name }), &mut bytes);
        let s = String::from_utf8(bytes).unwrap();
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script><!--&");
    }
}
