//! The office's own pages, not one member's: the 操作记录, the papers
//! printed, the print panel, the branches' dues and the backup.

use std::path::PathBuf;

use minijinja::context;

use super::{Answer, Pages, ser};
use crate::desk::Desk;
use crate::desk::branch_dues::Line;

impl Pages {
    pub fn log(&self, desk: &Desk, undone: Option<&str>) -> Answer {
        let entries = desk.log.entries();
        let latest = entries.iter().find(|e| !e.undone).map(|e| e.number);
        // A branch's month of dues is recorded under the branch.
        let branches: Vec<String> =
            self.office(desk).map(|o| o.org.branches.iter().map(|b| b.id.value.clone()).collect()).unwrap_or_default();
        self.render(
            "log.html",
            200,
            context! { site => self.site(desk, None), entries => ser(&entries), latest, undone, branches },
        )
    }

    /// The papers just printed for a member, each a link to the browser's viewer.
    pub fn papers(&self, desk: &Desk, id: &str, papers: &[(String, String, PathBuf)]) -> Answer {
        let member = self.find(desk, id).map(|(n, _)| n).unwrap_or_default();
        let list: Vec<_> = papers
            .iter()
            .map(|(label, name, path)| {
                context! { label, name, file => path.strip_prefix(&desk.out).unwrap_or(path).display().to_string() }
            })
            .collect();
        let out = desk.out.display().to_string();
        self.render("papers.html", 200, context! { site => self.site(desk, None), id, member, papers => list, out })
    }

    /// 打印: the office's papers, each a form of its own.
    pub fn print_panel(&self, desk: &Desk) -> Answer {
        let Some(office) = self.office(desk) else { return self.not_found(desk) };
        let today = desk.today();
        let list = office.holidays();
        let next = crate::rules::holidays::next_after(&list, today);
        let holidays: Vec<_> =
            list.iter().map(|h| context! { name => h.name.clone(), full => h.full_name.clone() }).collect();
        let (next_name, next_year) =
            next.map(|(h, d)| (h.name.clone(), chrono::Datelike::year(&d))).unwrap_or_default();
        let quarter = crate::rules::period::Period::quarter_of(today).key;
        self.render(
            "print.html",
            200,
            context! { site => self.site(desk, Some(&office)), holidays, next_name, next_year, quarter, done => false },
        )
    }

    /// What a print run made, each a link to the browser's viewer.
    pub fn printed(&self, desk: &Desk, title: &str, papers: &[(usize, String, PathBuf)]) -> Answer {
        let list: Vec<_> = papers
            .iter()
            .map(|(i, label, path)| {
                context! { i, label, file => path.strip_prefix(&desk.out).unwrap_or(path).display().to_string() }
            })
            .collect();
        let out = desk.out.display().to_string();
        self.render(
            "print.html",
            200,
            context! { site => self.site(desk, None), title, papers => list, out, done => true },
        )
    }

    /// 交党费（支部）: the branches, each a link to its month's sheet.
    pub fn branches(&self, desk: &Desk) -> Answer {
        let Some(office) = self.office(desk) else { return self.not_found(desk) };
        let branches: Vec<_> = office
            .org
            .branches
            .iter()
            .map(|b| context! { id => b.id.value.clone(), name => b.name.value.clone() })
            .collect();
        let month = desk.today().format("%Y-%m").to_string();
        self.render(
            "branch_dues.html",
            200,
            context! { site => self.site(desk, Some(&office)), branches, month, sheet => false },
        )
    }

    /// One branch's month: who pays what, who has paid.
    pub fn branch_dues(
        &self,
        desk: &Desk,
        branch: &str,
        name: &str,
        month: &str,
        lines: &[Line],
        saved: Option<&str>,
    ) -> Answer {
        let paid = desk.today().to_string();
        self.render(
            "branch_dues.html",
            200,
            context! { site => self.site(desk, None), branch, name, month, lines => ser(&lines), paid, saved, sheet => true },
        )
    }

    /// 备份: when the data folder was last backed up, and a button; `made`:
    /// the archive just written.
    pub fn backup(&self, desk: &Desk, made: Option<&str>) -> Answer {
        let last = crate::backup::last_backup(&desk.data).map(crate::documents::zh_date);
        let place = crate::output::parent_of(&desk.data).join("退管数据备份").display().to_string();
        self.render("backup.html", 200, context! { site => self.site(desk, None), last, place, made })
    }
}
