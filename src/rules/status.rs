//! Where a member is on a given day: at home, away (流动), or with the
//! organisational relationship transferred out. Derived once per member by
//! [`crate::facts`] from the departure in progress and its recorded handling.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whereabouts {
    AtHome,
    Away,
    TransferredOut,
}

/// Where a member is, in one word, the 党籍 first: off the books (去世,
/// 已转出, 退党…), 失联, 停止党籍, then 外出 / 已转出 (the relationship
/// moved with a stay) / 在家. The info card, the register, the Excel
/// register and the desk all say this word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Situation {
    OffBooks(crate::office::StatusKind),
    LostContact,
    Suspended,
    Here(Whereabouts),
}

impl Situation {
    pub fn of(standing: crate::rules::lifecycle::Standing, whereabouts: Whereabouts) -> Self {
        use crate::rules::lifecycle::Standing;
        match standing {
            Standing::OffBooks { kind, .. } => Situation::OffBooks(kind),
            Standing::LostContact { .. } => Situation::LostContact,
            Standing::Suspended { .. } => Situation::Suspended,
            Standing::OnBooks => Situation::Here(whereabouts),
        }
    }

    pub fn zh(self) -> &'static str {
        use crate::office::{StatusKind, Word};
        match self {
            Situation::OffBooks(StatusKind::TransferredAway) => "已转出",
            Situation::OffBooks(kind) => kind.zh(),
            Situation::LostContact => "失联",
            Situation::Suspended => "停止党籍",
            Situation::Here(w) => w.zh(),
        }
    }
}

impl Whereabouts {
    pub fn zh(self) -> &'static str {
        match self {
            Whereabouts::AtHome => "在家",
            Whereabouts::Away => "外出",
            Whereabouts::TransferredOut => "已转出",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::office::StatusKind;
    use crate::rules::lifecycle::Standing;

    #[test]
    fn the_party_standing_is_said_before_where_the_member_is() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 5, 20).unwrap();
        let say = |s, w| Situation::of(s, w).zh();
        assert_eq!(say(Standing::LostContact { since: day }, Whereabouts::Away), "失联");
        assert_eq!(say(Standing::Suspended { since: day }, Whereabouts::AtHome), "停止党籍");
        assert_eq!(say(Standing::OffBooks { kind: StatusKind::Died, date: day }, Whereabouts::AtHome), "去世");
        assert_eq!(
            say(Standing::OffBooks { kind: StatusKind::TransferredAway, date: day }, Whereabouts::AtHome),
            "已转出"
        );
        assert_eq!(say(Standing::OnBooks, Whereabouts::Away), "外出");
        assert_eq!(say(Standing::OnBooks, Whereabouts::AtHome), "在家");
    }
}
