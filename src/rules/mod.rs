//! Derived facts: pure functions of the model and the `--as-of` date.

pub mod age;
pub mod status;
