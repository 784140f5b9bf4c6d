//! What the register's index, branch and statistics pages count: members
//! at home, away and gone, and visits done, owed and late.

use serde::Serialize;

use super::view::Row;

#[derive(Serialize, Clone, Copy, Default)]
pub(super) struct Totals {
    /// Off the books, counted apart.
    pub archived: usize,
    /// Whether the archive page is published.
    pub archive_page: bool,
    all: usize,
    home: usize,
    away: usize,
    out: usize,
    visits_owed: usize,
    visits_done: usize,
    visits_late: usize,
}

pub(super) fn totals_of(rows: &[&Row]) -> Totals {
    let mut t = Totals { all: rows.len(), ..Totals::default() };
    for r in rows {
        match r.status.key {
            "home" => t.home += 1,
            "away" => t.away += 1,
            _ => t.out += 1,
        }
        match r.visit.key {
            "done" => t.visits_done += 1,
            "due" => t.visits_owed += 1,
            "overdue" => t.visits_late += 1,
            _ => {}
        }
    }
    t
}

pub(super) fn totals(rows: &[Row]) -> Totals {
    totals_of(&rows.iter().collect::<Vec<_>>())
}
