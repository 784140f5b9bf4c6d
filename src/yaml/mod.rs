//! YAML with positions: the parser of serde-saphyr (its `granit_parser`)
//! turned into a small tree in which every key and value knows its line and
//! column, then read field by field so that *every* problem in a file is
//! reported in one run (serde stops at the first one).

mod located;
mod node;
mod reader;

pub use located::Located;
pub use node::{Node, NodeKind, parse};
pub use reader::{Fields, Keys, TEXT_MAX, parse_date};
