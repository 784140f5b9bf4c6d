//! `org.yaml` `register:`: which personal fields the intranet register
//! shows, and how. The default is the minimum of docs/domain.md §4.3: no ID
//! number, no street address, no health or hardship detail, phones masked.
//! Free text (visit answers, a departure's reason and report, notes) is not
//! published by default either: it is where illness and money end up
//! whatever the `health` and `hardship` settings say (PIPL art. 28).
//! An office may narrow any field, or widen it — widening is warned about
//! on every run, since the intranet is a wide audience (PIPL art. 25).

use crate::yaml::Fields;

/// How much of one field the register shows. Levels are ordered from the
/// narrowest (`Hidden`) to the widest (`Full`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Hidden,
    /// Phones and ID numbers with the middle masked; an address down to its
    /// district; whereabouts down to the province; visit answers shortened.
    Partial,
    /// Whereabouts down to the city.
    City,
    Full,
}

/// One configurable field: its key, its Chinese name, the words an office
/// may write for each level, and the default level.
pub struct FieldSpec {
    pub key: &'static str,
    pub zh: &'static str,
    pub choices: &'static [(&'static str, Level)],
    pub default: Level,
}

const HIDE_MASK_FULL: &[(&str, Level)] =
    &[("hidden", Level::Hidden), ("masked", Level::Partial), ("full", Level::Full)];
const HIDE_SHOW: &[(&str, Level)] = &[("hidden", Level::Hidden), ("shown", Level::Full)];

pub const FIELDS: &[FieldSpec] = &[
    FieldSpec { key: "mobile", zh: "手机", choices: HIDE_MASK_FULL, default: Level::Partial },
    FieldSpec { key: "home_phone", zh: "住宅电话", choices: HIDE_MASK_FULL, default: Level::Hidden },
    FieldSpec { key: "id_number", zh: "公民身份号码", choices: HIDE_MASK_FULL, default: Level::Hidden },
    FieldSpec {
        key: "address",
        zh: "家庭住址",
        choices: &[("hidden", Level::Hidden), ("area", Level::Partial), ("full", Level::Full)],
        default: Level::Partial,
    },
    FieldSpec {
        key: "whereabouts",
        zh: "外出去向",
        choices: &[
            ("hidden", Level::Hidden),
            ("province", Level::Partial),
            ("city", Level::City),
            ("full", Level::Full),
        ],
        default: Level::City,
    },
    FieldSpec { key: "native_place", zh: "籍贯", choices: HIDE_SHOW, default: Level::Full },
    FieldSpec { key: "age", zh: "年龄", choices: HIDE_SHOW, default: Level::Full },
    FieldSpec { key: "health", zh: "健康状况", choices: HIDE_SHOW, default: Level::Hidden },
    FieldSpec { key: "hardship", zh: "生活困难", choices: HIDE_SHOW, default: Level::Hidden },
    FieldSpec { key: "family", zh: "家属联系人", choices: HIDE_MASK_FULL, default: Level::Hidden },
    FieldSpec {
        key: "visit_notes",
        zh: "走访“三问”记录",
        choices: &[("hidden", Level::Hidden), ("summary", Level::Partial), ("full", Level::Full)],
        default: Level::Hidden,
    },
    FieldSpec {
        key: "committee_mobile", zh: "支委和组长手机", choices: HIDE_MASK_FULL, default: Level::Partial
    },
    FieldSpec {
        key: "departure_notes", zh: "外出理由和外出情况汇报", choices: HIDE_SHOW, default: Level::Hidden
    },
    FieldSpec { key: "notes", zh: "备注", choices: HIDE_SHOW, default: Level::Hidden },
    // Only ever a flag: amounts and pensions are never published.
    FieldSpec { key: "dues_arrears", zh: "党费欠交标记", choices: HIDE_SHOW, default: Level::Full },
    // Members who died or left: name, branch, what and when, on a page of their own.
    FieldSpec { key: "archive", zh: "已故、已转出党员名单", choices: HIDE_SHOW, default: Level::Full },
];

pub const REGISTER_KEYS: &[(&str, &str)] = &[
    ("mobile", "手机"),
    ("home_phone", "住宅电话"),
    ("id_number", "公民身份号码"),
    ("address", "家庭住址"),
    ("whereabouts", "外出去向"),
    ("native_place", "籍贯"),
    ("age", "年龄"),
    ("health", "健康状况"),
    ("hardship", "生活困难"),
    ("family", "家属联系人"),
    ("visit_notes", "走访记录"),
    ("committee_mobile", "支委和组长手机"),
    ("departure_notes", "外出理由和外出情况汇报"),
    ("notes", "备注"),
    ("dues_arrears", "党费欠交标记"),
    ("archive", "已故、已转出党员名单"),
];

/// The level of every field in [`FIELDS`], in that order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterPolicy {
    levels: Vec<Level>,
}

impl Default for RegisterPolicy {
    fn default() -> Self {
        Self { levels: FIELDS.iter().map(|f| f.default).collect() }
    }
}

impl RegisterPolicy {
    /// The level of field `key` (one of [`FIELDS`]).
    pub fn level(&self, key: &str) -> Level {
        let i = FIELDS.iter().position(|f| f.key == key).unwrap_or_else(|| panic!("unknown register field {key}"));
        self.levels[i]
    }

    pub fn set(&mut self, key: &str, level: Level) {
        let i = FIELDS.iter().position(|f| f.key == key).unwrap_or_else(|| panic!("unknown register field {key}"));
        self.levels[i] = level;
    }

    pub fn shows(&self, key: &str) -> bool {
        self.level(key) > Level::Hidden
    }

    /// The fields set wider than the default, as (Chinese name, word written).
    pub fn widened(&self) -> Vec<(&'static str, &'static str)> {
        FIELDS
            .iter()
            .zip(&self.levels)
            .filter(|(f, l)| **l > f.default)
            .map(|(f, l)| (f.zh, f.choices.iter().find(|(_, c)| c == l).map_or("", |(w, _)| *w)))
            .collect()
    }
}

pub fn read_register_policy(f: Option<Fields>) -> RegisterPolicy {
    let mut policy = RegisterPolicy::default();
    let Some(f) = f else { return policy };
    for (i, spec) in FIELDS.iter().enumerate() {
        let words: Vec<&str> = spec.choices.iter().map(|(w, _)| *w).collect();
        let Some(v) = f.choice(spec.key, &words) else { continue };
        let level = spec.choices.iter().find(|(w, _)| *w == v.value).map(|(_, l)| *l).expect("a listed choice");
        if level > spec.default {
            let default = spec.choices.iter().find(|(_, l)| *l == spec.default).map_or("", |(w, _)| *w);
            f.warning(
                v.pos,
                format!(
                    "内网台帐将显示更多的{}（`register.{}: {}`，默认为 {default}）：内网面向全公司，请确认已取得本人单独同意",
                    spec.zh, spec.key, v.value
                ),
                format!("如无必要，删去这一行，恢复默认的 `{default}`（《个人信息保护法》第二十五条）"),
            );
        }
        policy.levels[i] = level;
    }
    f.finish();
    policy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_the_minimum_of_the_privacy_notes() {
        let p = RegisterPolicy::default();
        for key in
            ["id_number", "home_phone", "health", "hardship", "family", "visit_notes", "departure_notes", "notes"]
        {
            assert!(!p.shows(key), "{key} must be hidden by default");
        }
        assert_eq!(p.level("mobile"), Level::Partial);
        assert_eq!(p.level("address"), Level::Partial);
        assert!(p.widened().is_empty());
    }

    #[test]
    fn every_field_has_keys_choices_and_a_default_among_them() {
        assert_eq!(FIELDS.len(), REGISTER_KEYS.len());
        for (f, (k, _)) in FIELDS.iter().zip(REGISTER_KEYS) {
            assert_eq!(f.key, *k);
            assert!(f.choices.iter().any(|(_, l)| *l == f.default), "{}", f.key);
        }
    }

    #[test]
    fn widening_is_listed() {
        let mut p = RegisterPolicy::default();
        p.levels[0] = Level::Full;
        p.levels[7] = Level::Hidden;
        assert_eq!(p.widened(), vec![("手机", "full")]);
    }
}
