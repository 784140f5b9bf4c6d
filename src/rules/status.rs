//! Where a member is on a given day: at home, away (流动), or with the
//! organisational relationship transferred out. Derived once per member by
//! [`crate::facts`] from the departure in progress and its recorded handling.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whereabouts {
    AtHome,
    Away,
    TransferredOut,
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
