//! Values a member file writes as one of a fixed set of Chinese words,
//! typed once by the reader: every later stage matches on the enum and
//! never compares the Chinese word again.

use crate::yaml::{Fields, Located};

/// Field `key` read as one of `T`'s words; a word not on the list is
/// reported with the list, and gives None.
pub fn read_word<T: Word>(f: &Fields, key: &str) -> Option<Located<T>> {
    f.choice(key, &T::words()).map(|w| w.map(|w| T::from_zh(&w).expect("a listed word")))
}

/// A value written as one of a fixed list of words.
pub trait Word: Sized + Copy + PartialEq + 'static {
    /// Every value with the word a clerk writes for it.
    const WORDS: &'static [(Self, &'static str)];

    /// The word as written and printed.
    fn zh(self) -> &'static str {
        Self::WORDS.iter().find(|(v, _)| *v == self).map(|(_, w)| *w).expect("every value has a word")
    }

    /// The value a word stands for.
    fn from_zh(word: &str) -> Option<Self> {
        Self::WORDS.iter().find(|(_, w)| *w == word.trim()).map(|(v, _)| *v)
    }

    /// The words, for error messages and for checking imported cells.
    fn words() -> Vec<&'static str> {
        Self::WORDS.iter().map(|(_, w)| *w).collect()
    }
}

/// 走访方式. Only a home visit (上门) counts for the schedule (R15–R18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitKind {
    Home,
    Phone,
    Letter,
}

impl Word for VisitKind {
    const WORDS: &'static [(Self, &'static str)] =
        &[(VisitKind::Home, "上门"), (VisitKind::Phone, "电话"), (VisitKind::Letter, "书信")];
}

/// 健康状况.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthStatus {
    Good,
    Fair,
    Chronic,
    /// 重病: a prompt visit is due (R18).
    Serious,
}

impl Word for HealthStatus {
    const WORDS: &'static [(Self, &'static str)] = &[
        (HealthStatus::Good, "良好"),
        (HealthStatus::Fair, "一般"),
        (HealthStatus::Chronic, "慢性病"),
        (HealthStatus::Serious, "重病"),
    ];
}

/// 生活困难程度.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HardshipLevel {
    /// 低保: at the urban minimum-living-standard level (R17).
    MinimumLiving,
    /// 特困: extreme hardship, also below that level.
    Extreme,
    Some,
}

impl HardshipLevel {
    /// At or below the 低保 line: a prompt visit is due (R17).
    pub fn at_minimum_living_level(self) -> bool {
        matches!(self, HardshipLevel::MinimumLiving | HardshipLevel::Extreme)
    }
}

impl Word for HardshipLevel {
    const WORDS: &'static [(Self, &'static str)] =
        &[(HardshipLevel::MinimumLiving, "低保"), (HardshipLevel::Extreme, "特困"), (HardshipLevel::Some, "一般困难")];
}

impl Word for super::TransferKind {
    const WORDS: &'static [(Self, &'static str)] =
        &[(super::TransferKind::Temporary, "临时"), (super::TransferKind::Formal, "正式")];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for (v, w) in VisitKind::WORDS {
            assert_eq!(VisitKind::from_zh(w), Some(*v));
            assert_eq!(v.zh(), *w);
        }
        assert_eq!(HealthStatus::from_zh("重病"), Some(HealthStatus::Serious));
        assert_eq!(HardshipLevel::from_zh("上门"), None);
        assert!(HardshipLevel::Extreme.at_minimum_living_level());
        assert!(!HardshipLevel::Some.at_minimum_living_level());
        assert_eq!(super::super::TransferKind::words(), ["临时", "正式"]);
    }
}
