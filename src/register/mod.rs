//! The intranet register (台帐): a static, read-only HTML site in
//! out/register/ — the table of all members with search, filters and
//! sorting, a page per branch and per member, and statistics. Everything a
//! page shows is computed in [`view`] under the office's field policy; the
//! templates in templates/html/ only lay it out, with auto-escaping on.

mod away;
pub mod charts;
mod data;
mod member_page;
mod pages;

mod search;
mod stats;
mod totals;
pub mod view;

pub use pages::build;
