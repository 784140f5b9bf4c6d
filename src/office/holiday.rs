//! A festival the office greets members on (R13): its names and the rule
//! of the calendar it is defined in, as org.yaml writes it or built in.
//! When it falls in a given year is computed in [`crate::rules::holidays`].

/// When a festival falls, by the calendar it is defined in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Solar {
        month: u32,
        day: u32,
    },
    /// A regular (never leap) lunar month and day. Day 30 of a month that
    /// has only 29 days that year is taken as the month's last day (廿九),
    /// the way 除夕 is: a lunar festival never drops out of a year because
    /// its month is short.
    Lunar {
        month: u8,
        day: u8,
    },
    /// 除夕: the last day of lunar month 12 (the 29th or the 30th).
    LunarNewYearsEve,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// Short name used in file names and on the command line: 重阳.
    pub name: String,
    /// Name as printed: 重阳节（老年节）.
    pub full_name: String,
    pub rule: Rule,
}

impl Holiday {
    pub fn new(name: &str, full_name: &str, rule: Rule) -> Self {
        Holiday { name: name.into(), full_name: full_name.into(), rule }
    }
}

/// The default list (docs/domain.md §5.1).
pub fn builtin_holidays() -> Vec<Holiday> {
    use Rule::*;
    let h = Holiday::new;
    vec![
        h("元旦", "元旦", Solar { month: 1, day: 1 }),
        h("春节", "春节", Lunar { month: 1, day: 1 }),
        h("元宵", "元宵节", Lunar { month: 1, day: 15 }),
        h("七一", "“七一”建党节", Solar { month: 7, day: 1 }),
        h("中秋", "中秋节", Lunar { month: 8, day: 15 }),
        h("国庆", "国庆节", Solar { month: 10, day: 1 }),
        h("重阳", "重阳节（老年节）", Lunar { month: 9, day: 9 }),
    ]
}
