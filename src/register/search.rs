//! What the register's search matches a name against: the name itself,
//! its pinyin and its pinyin initials ("zs" and "zhangsan" find 张三). A
//! character with several readings gives every reading (a surname such as
//! 单 or 曾 is read differently from the common word); the sort key reads
//! surnames as surnames.

use pinyin::{ToPinyin, ToPinyinMulti};

/// At most this many reading combinations per name.
const MAX_COMBINATIONS: usize = 16;

/// Surnames whose reading differs from the character's first reading.
const SURNAMES: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('朴', "piao"),
    ('查', "zha"),
    ('盖', "ge"),
    ('乐', "yue"),
    ('尉', "yu"),
    ('繁', "po"),
    ('员', "yun"),
    ('覃', "qin"),
    ('秘', "bi"),
    ('种', "chong"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('折', "she"),
    ('召', "shao"),
];

/// The readings of one character (lower-case ASCII); a character that is
/// not Chinese stands for itself, lower-cased.
fn readings(c: char) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let s = p.plain().to_string();
            if !v.contains(&s) {
                v.push(s);
            }
        }
    }
    if v.is_empty() {
        v.extend(c.to_lowercase().map(String::from).filter(|s| s.chars().all(char::is_alphanumeric)));
    }
    v
}

/// Pinyin of the whole name, surname read as a surname, for sorting.
pub fn sort_key(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        match SURNAMES.iter().find(|(s, _)| *s == c && i == 0) {
            Some((_, r)) => out.push_str(r),
            None => match c.to_pinyin() {
                Some(p) => out.push_str(p.plain()),
                None => out.extend(c.to_lowercase()),
            },
        }
    }
    out
}

/// Space-separated search keys: for each combination of readings, the
/// initials and the full pinyin ("zs zhangsan").
pub fn search_keys(name: &str) -> String {
    let mut combos: Vec<(String, String)> = vec![(String::new(), String::new())];
    for (i, c) in name.chars().filter(|c| !c.is_whitespace() && *c != '·').enumerate() {
        let mut rs = readings(c);
        if i == 0
            && let Some((_, r)) = SURNAMES.iter().find(|(s, _)| *s == c)
        {
            rs.retain(|x| x != r);
            rs.insert(0, r.to_string());
        }
        if rs.is_empty() {
            continue;
        }
        let mut next = Vec::new();
        for (init, full) in &combos {
            for r in &rs {
                if next.len() < MAX_COMBINATIONS {
                    let first = r.chars().next().expect("non-empty reading");
                    next.push((format!("{init}{first}"), format!("{full}{r}")));
                }
            }
        }
        combos = next;
    }
    let mut keys: Vec<String> = Vec::new();
    for (init, full) in combos {
        for k in [init, full] {
            if !k.is_empty() && !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    keys.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(name: &str, key: &str) -> bool {
        search_keys(name).split(' ').any(|k| k == key)
    }

    #[test]
    fn initials_and_full_pinyin() {
        assert!(has("张三", "zs"));
        assert!(has("张三", "zhangsan"));
        assert!(has("欧阳建华", "oyjh"));
        assert!(!has("张三", "ls"));
    }

    #[test]
    fn surnames_read_as_surnames() {
        assert!(has("曾国藩", "zgf"));
        assert!(has("单雄信", "sxx"));
        assert_eq!(sort_key("单雄信"), "shanxiongxin");
        assert_eq!(sort_key("曾国藩"), "zengguofan");
    }

    #[test]
    fn other_characters_stand_for_themselves() {
        assert!(has("Anna", "anna"));
        assert_eq!(search_keys("<b>"), "b");
    }
}
