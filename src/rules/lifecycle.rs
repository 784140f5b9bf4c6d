//! The life of a membership on a day (docs/domain.md §1.2.4, R2): on the books,
//! out of contact, suspended, or off the books (died, left, removed); the
//! clocks of 失联 → 停止党籍 → 自行脱党; records not confirmed for long.

use chrono::NaiveDate;

use super::followup::months_between;
use crate::diag::Pos;
use crate::office::{Member, RuleSettings, StatusKind, Word};

/// Where a membership stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    OnBooks,
    /// 失联 since the date.
    LostContact {
        since: NaiveDate,
    },
    /// 停止党籍 on the date.
    Suspended {
        since: NaiveDate,
    },
    /// Died, left or removed on the date: kept with all history, in no list,
    /// letter, visit, card or dues line from then on.
    OffBooks {
        kind: StatusKind,
        date: NaiveDate,
    },
}

impl Standing {
    pub fn on(m: &Member, day: NaiveDate) -> Self {
        let Some(s) = m.status.as_ref().filter(|s| s.date.value <= day) else { return Standing::OnBooks };
        let date = s.date.value;
        match s.kind.value {
            StatusKind::LostContact => Standing::LostContact { since: date },
            StatusKind::Suspended => Standing::Suspended { since: date },
            kind => Standing::OffBooks { kind, date },
        }
    }

    pub fn off_books(self) -> bool {
        matches!(self, Standing::OffBooks { .. })
    }

    /// "已故（2026年8月3日）" for the archive and the statistics; "" on the books.
    pub fn zh(self) -> &'static str {
        match self {
            Standing::OnBooks => "",
            Standing::LostContact { .. } => "失联",
            Standing::Suspended { .. } => "停止党籍",
            Standing::OffBooks { kind, .. } => kind.archived_as(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LifeIssue {
    /// 失联 for `suspend_after_months`: the branch should decide 停止党籍.
    SuspensionDue,
    /// 停止党籍 for `lapse_after_months` without contact: 自行脱党, 除名.
    LapseDue,
    /// The record not confirmed for `confirm_months`.
    NotConfirmed,
    /// Visits, contacts or payments dated after the member left the books.
    RecordsAfterLeaving,
}

impl LifeIssue {
    pub fn zh(self) -> &'static str {
        match self {
            LifeIssue::SuspensionDue => "应停止党籍",
            LifeIssue::LapseDue => "应按自行脱党处理",
            LifeIssue::NotConfirmed => "信息久未核对",
            LifeIssue::RecordsAfterLeaving => "离册后仍有记录",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            LifeIssue::SuspensionDue => {
                "多方寻找仍无联系的，经支部研究、报上级党委批准后改为 `kind: 停止党籍`，`date:` 写决定日期，`lost_since:` 写失联日期"
            }
            LifeIssue::LapseDue => "经支部研究、报上级党委批准后改为 `kind: 自行脱党`，`date:` 写决定日期",
            LifeIssue::NotConfirmed => {
                "走访或节日时请本人或家属核对（`tuiguan confirm-sheets` 打印信息核对表），核对后写 `confirmed:` 日期"
            }
            LifeIssue::RecordsAfterLeaving => "核对 `status:` 的日期，或删去记错的记录",
        }
    }
}

#[derive(Debug, Clone)]
pub struct LifeFinding {
    pub issue: LifeIssue,
    pub text: String,
    pub pos: Pos,
}

pub fn life_findings(m: &Member, as_of: NaiveDate, rules: &RuleSettings) -> Vec<LifeFinding> {
    let mut out = Vec::new();
    let standing = Standing::on(m, as_of);
    let status_pos = m.status.as_ref().map_or(m.name.pos, |s| s.date.pos);
    match standing {
        Standing::LostContact { since } => {
            let n = months_between(since, as_of);
            if n >= rules.suspend_after_months {
                out.push(LifeFinding {
                    issue: LifeIssue::SuspensionDue,
                    text: format!(
                        "自{}失联已满{n}个月；失联满{}个月、多方寻找仍无联系的，按规定停止党籍",
                        crate::zh::zh_date(since),
                        rules.suspend_after_months
                    ),
                    pos: status_pos,
                });
            }
        }
        Standing::Suspended { since } => {
            let n = months_between(since, as_of);
            if n >= rules.lapse_after_months {
                out.push(LifeFinding {
                    issue: LifeIssue::LapseDue,
                    text: format!(
                        "自{}停止党籍已满{n}个月仍无联系；停止党籍满{}个月仍无联系的，按自行脱党予以除名",
                        crate::zh::zh_date(since),
                        rules.lapse_after_months
                    ),
                    pos: status_pos,
                });
            }
        }
        Standing::OffBooks { kind, date } => {
            let later = m
                .visits
                .iter()
                .map(|v| (v.date.value, v.date.pos))
                .chain(m.contacts.iter().map(|c| (c.date.value, c.date.pos)))
                .chain(m.dues.payments.iter().map(|p| (p.paid.value, p.paid.pos)))
                .filter(|(d, _)| *d > date)
                .min();
            if let Some((d, pos)) = later {
                out.push(LifeFinding {
                    issue: LifeIssue::RecordsAfterLeaving,
                    text: format!(
                        "{}（{}）之后还有{}的记录",
                        kind.zh(),
                        crate::zh::zh_date(date),
                        crate::zh::zh_date(d)
                    ),
                    pos,
                });
            }
            return out;
        }
        Standing::OnBooks => {}
    }
    if let Some(c) = &m.confirmed {
        let n = months_between(c.value, as_of);
        if n >= rules.confirm_months {
            out.push(LifeFinding {
                issue: LifeIssue::NotConfirmed,
                text: format!("信息上次由本人或家属核对是{}，已{n}个月", crate::zh::zh_date(c.value)),
                pos: c.pos,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{date, member};

    fn issues(extra: &str, as_of: &str) -> Vec<(LifeIssue, String)> {
        let m = member("1950-03-05", extra);
        life_findings(&m, date(as_of), &RuleSettings::default()).into_iter().map(|f| (f.issue, f.text)).collect()
    }

    #[test]
    fn a_status_applies_from_its_date() {
        let m = member("1950-03-05", "status:\n  kind: 去世\n  date: 2026-08-03\n");
        assert_eq!(Standing::on(&m, date("2026-08-02")), Standing::OnBooks);
        assert_eq!(
            Standing::on(&m, date("2026-08-03")),
            Standing::OffBooks { kind: StatusKind::Died, date: date("2026-08-03") }
        );
        assert!(Standing::on(&m, date("2026-11-26")).off_books());
        let lost = member("1950-03-05", "status:\n  kind: 失联\n  date: 2026-05-20\n");
        assert!(!Standing::on(&lost, date("2026-11-26")).off_books());
    }

    #[test]
    fn six_months_lost_makes_suspension_due_to_the_day() {
        let lost = "status:\n  kind: 失联\n  date: 2026-05-27\n";
        assert_eq!(issues(lost, "2026-11-26"), []);
        let due = issues(lost, "2026-11-27");
        assert_eq!(due[0].0, LifeIssue::SuspensionDue);
        assert_eq!(due[0].1, "自2026年5月27日失联已满6个月；失联满6个月、多方寻找仍无联系的，按规定停止党籍");
    }

    #[test]
    fn two_years_suspended_makes_the_lapse_due_to_the_day() {
        let suspended = "status:\n  kind: 停止党籍\n  date: 2024-11-27\n  lost_since: 2024-05-01\n";
        assert_eq!(issues(suspended, "2026-11-26"), []);
        assert_eq!(issues(suspended, "2026-11-27")[0].0, LifeIssue::LapseDue);
    }

    #[test]
    fn confirmation_older_than_twelve_months() {
        assert_eq!(issues("confirmed: 2025-11-27\n", "2026-11-26"), []);
        assert_eq!(issues("confirmed: 2025-11-26\n", "2026-11-26")[0].0, LifeIssue::NotConfirmed);
        // A member off the books is not asked to confirm anything.
        assert_eq!(issues("confirmed: 2020-01-01\nstatus:\n  kind: 去世\n  date: 2026-01-01\n", "2026-11-26"), []);
    }

    #[test]
    fn records_after_a_death_are_questioned() {
        let text = "status:\n  kind: 去世\n  date: 2026-08-03\nvisits:\n  - date: 2026-09-01\n    kind: 上门\n";
        let found = issues(text, "2026-11-26");
        assert_eq!(found[0].0, LifeIssue::RecordsAfterLeaving);
        assert_eq!(found[0].1, "去世（2026年8月3日）之后还有2026年9月1日的记录");
    }
}
