//! Derived facts: pure functions of the model and the `--as-of` date.

pub mod age;
pub mod departure;
pub mod dues;
pub mod followup;
pub mod holidays;
pub mod lifecycle;
pub mod membership;
pub mod numerals;
pub mod period;
pub mod places;
pub mod record;
pub mod status;
#[cfg(test)]
pub(crate) mod testing;
pub mod visit_period;
pub mod visits;
