//! `holidays [--year]`: the festivals and their Gregorian dates.

use chrono::Datelike;

use crate::error::Error;
use crate::facts::Facts;
use crate::rules::holidays::{absent_in_year, in_year};

pub fn run(facts: &Facts, year: Option<i32>) -> Result<(), Error> {
    let year = year.unwrap_or(facts.as_of.year());
    println!("{year}年节日：");
    let list = facts.office.holidays();
    for (h, date) in in_year(&list, year) {
        println!("  {date}  {}  {}{}", crate::documents::weekday(date), h.full_name, h.calendar_note(date));
    }
    for (h, absent) in absent_in_year(&list, year) {
        println!("  （{}）", absent.message(h));
    }
    Ok(())
}
