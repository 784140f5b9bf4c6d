//! Places at the grain the register shows them: the province of a 籍贯,
//! the district of an address (the essay's classification by 住址), and a
//! destination down to the province or the city.

use crate::office::Destination;

/// Provincial-level divisions by the short name people write first.
const PROVINCES: &[&str] = &[
    "北京",
    "天津",
    "河北",
    "山西",
    "内蒙古",
    "辽宁",
    "吉林",
    "黑龙江",
    "上海",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "广西",
    "海南",
    "重庆",
    "四川",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "台湾",
];

/// Suffixes that may follow a province's short name.
const PROVINCE_SUFFIXES: &[&str] = &["省", "市", "壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区"];

/// The province a place starts with ("浙江宁波" → 浙江), if it names one.
pub fn province_of(place: &str) -> Option<&'static str> {
    PROVINCES.iter().copied().find(|p| place.trim().starts_with(p))
}

/// A place written in one go ("广东省深圳市南山区粤海街道…"), split the way a
/// departure's destination is kept.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PlaceParts {
    pub province: String,
    pub city: String,
    pub county: String,
    /// What follows the county (street, house number), or the whole text
    /// when it names no province and no city.
    pub address: String,
}

/// The province's full name: "广东" → 广东省, "上海" → 上海市, "广西" → 广西壮族自治区.
fn full_province(short: &str) -> String {
    let suffix = match short {
        "北京" | "天津" | "上海" | "重庆" => "市",
        "内蒙古" | "西藏" => "自治区",
        "广西" => "壮族自治区",
        "宁夏" => "回族自治区",
        "新疆" => "维吾尔自治区",
        "香港" | "澳门" => "特别行政区",
        _ => "省",
    };
    format!("{short}{suffix}")
}

/// The leading part of `text` up to and including the first of `ends`
/// within `max` characters, and the rest.
fn take_unit<'t>(text: &'t str, ends: &[&str], max: usize) -> Option<(&'t str, &'t str)> {
    let end = ends
        .iter()
        .filter_map(|e| text.find(e).map(|i| i + e.len()))
        .filter(|i| text[..*i].chars().count() >= 2 && text[..*i].chars().count() <= max)
        .min()?;
    Some((&text[..end], &text[end..]))
}

/// Split a place into province, city, county and the rest: "广东省深圳市南山区"
/// → 广东省 / 深圳市 / 南山区; "上海浦东新区" → 上海市 / 上海市 / 浦东新区;
/// "深圳市南山区" → (no province) / 深圳市 / 南山区.
pub fn split_place(text: &str) -> PlaceParts {
    let text = text.trim();
    let mut parts = PlaceParts::default();
    let mut rest = text;
    if let Some(short) = province_of(text) {
        parts.province = full_province(short);
        rest = &rest[short.len()..];
        rest = PROVINCE_SUFFIXES.iter().find_map(|s| rest.strip_prefix(s)).unwrap_or(rest);
        if ["北京", "天津", "上海", "重庆"].contains(&short) {
            parts.city = parts.province.clone();
        }
    }
    if parts.city.is_empty()
        && let Some((city, after)) = take_unit(rest, &["自治州", "地区", "市", "州", "盟"], 10)
    {
        parts.city = city.to_string();
        rest = after;
    }
    if !parts.city.is_empty()
        && let Some((county, after)) = take_unit(rest, &["新区", "区", "县", "市", "旗"], 8)
    {
        parts.county = county.to_string();
        rest = after;
    }
    parts.address = rest.trim().to_string();
    parts
}

/// `place` without a leading province ("浙江省杭州市…" → "杭州市…"); a
/// municipality keeps its name ("上海市浦东新区" stays).
fn without_province(place: &str) -> &str {
    let Some(p) = province_of(place) else { return place };
    if ["北京", "天津", "上海", "重庆"].contains(&p) {
        return place;
    }
    let rest = &place.trim()[p.len()..];
    PROVINCE_SUFFIXES.iter().find_map(|s| rest.strip_prefix(s)).unwrap_or(rest)
}

/// The city and district of a street address: "杭州市拱墅区小河街道…" →
/// "杭州市拱墅区"; just the district when no city is written; "" when the
/// address names neither (it is then not shown at all).
pub fn address_area(address: &str) -> String {
    let rest = without_province(address.trim());
    let mut end = 0;
    let mut city_seen = false;
    for (i, c) in rest.char_indices() {
        let next = i + c.len_utf8();
        match c {
            '市' | '州' | '盟' if !city_seen && i > 0 && next <= 15 => {
                city_seen = true;
                end = next;
            }
            '区' | '县' | '旗' | '市' if i > end => {
                end = next;
                break;
            }
            _ => {}
        }
        if i > 30 {
            break;
        }
    }
    if end == 0 { String::new() } else { rest[..end].to_string() }
}

/// The city of a street address ("浙江省杭州市拱墅区…" → "杭州市"), if it names one.
pub fn home_city(address: &str) -> Option<String> {
    let area = address_area(address);
    // 市 first ("杭州市", not "杭州"); then an autonomous prefecture or league ("恩施州").
    let end = ['市', '州', '盟'].iter().find_map(|m| area.char_indices().find(|(i, c)| *i > 0 && c == m))?.0;
    Some(area[..end + '市'.len_utf8()].to_string())
}

/// A destination down to the province ("广东省"), the city ("广东省深圳市"),
/// or everything written; a municipality is written once.
pub fn destination_at(d: &Destination, depth: usize) -> String {
    let mut s = d.region_to(depth);
    if depth > 3
        && let Some(a) = &d.address
    {
        s.push_str(&a.value);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provinces() {
        assert_eq!(province_of("浙江宁波"), Some("浙江"));
        assert_eq!(province_of("内蒙古包头"), Some("内蒙古"));
        assert_eq!(province_of("黑龙江省哈尔滨市"), Some("黑龙江"));
        assert_eq!(province_of("宁波"), None);
    }

    #[test]
    fn places_split_into_a_destination() {
        let p = |t: &str| {
            let x = split_place(t);
            [x.province, x.city, x.county, x.address]
        };
        assert_eq!(p("广东省深圳市南山区"), ["广东省", "深圳市", "南山区", ""]);
        assert_eq!(p("海南三亚市吉阳区迎宾路168号"), ["海南省", "三亚市", "吉阳区", "迎宾路168号"]);
        assert_eq!(p("上海浦东新区花木街道"), ["上海市", "上海市", "浦东新区", "花木街道"]);
        assert_eq!(p("北京市朝阳区"), ["北京市", "北京市", "朝阳区", ""]);
        assert_eq!(p("广西南宁市青秀区"), ["广西壮族自治区", "南宁市", "青秀区", ""]);
        assert_eq!(p("湖南省湘西土家族苗族自治州吉首市"), ["湖南省", "湘西土家族苗族自治州", "吉首市", ""]);
        assert_eq!(p("深圳市南山区"), ["", "深圳市", "南山区", ""]);
        assert_eq!(p("云南"), ["云南省", "", "", ""]);
        assert_eq!(p("女儿家"), ["", "", "", "女儿家"]);
    }

    #[test]
    fn areas() {
        assert_eq!(address_area("杭州市拱墅区小河街道小河新村37幢1单元303室"), "杭州市拱墅区");
        assert_eq!(address_area("浙江省杭州市西湖区文三路 1 号"), "杭州市西湖区");
        assert_eq!(address_area("上海市浦东新区张江路 2 号"), "上海市浦东新区");
        assert_eq!(address_area("广西壮族自治区南宁市青秀区民族大道"), "南宁市青秀区");
        assert_eq!(address_area("桐庐县城南街道"), "桐庐县");
        assert_eq!(address_area("杭州市建德市新安江街道"), "杭州市建德市");
        assert_eq!(address_area("小河新村37幢"), "");
    }

    #[test]
    fn home_cities() {
        assert_eq!(home_city("浙江省杭州市西湖区文三路 1 号").as_deref(), Some("杭州市"));
        assert_eq!(home_city("上海市浦东新区张江路 2 号").as_deref(), Some("上海市"));
        assert_eq!(home_city("桐庐县城南街道"), None);
    }
}
