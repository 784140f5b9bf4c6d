//! 党籍状态 (`status:` in a member file), docs/domain.md §1.2.4 and R2: a member
//! who died or left the books is kept with all history; one out of contact
//! or suspended stays on the books while the rules' clocks run. Also the
//! contact log (R8), the serious-illness subsidy (R18), read here because
//! they share the member's life rather than one departure.

use chrono::NaiveDate;

use super::words::{Word, read_word};
use crate::diag::Pos;
use crate::yaml::{Fields, Located};

/// What happened to a membership. No `status:` means on the books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusKind {
    /// 失联: out of contact since the date.
    LostContact,
    /// 停止党籍: suspended on the date (after 6 months out of contact).
    Suspended,
    /// 去世.
    Died,
    /// 正式转出: the relationship moved for good to another organisation.
    TransferredAway,
    /// 退党.
    Withdrew,
    /// 除名.
    Expelled,
    /// 自行脱党: suspended 2 years without contact, removed.
    Lapsed,
}

impl Word for StatusKind {
    const WORDS: &'static [(Self, &'static str)] = &[
        (StatusKind::LostContact, "失联"),
        (StatusKind::Suspended, "停止党籍"),
        (StatusKind::Died, "去世"),
        (StatusKind::TransferredAway, "转出"),
        (StatusKind::Withdrew, "退党"),
        (StatusKind::Expelled, "除名"),
        (StatusKind::Lapsed, "自行脱党"),
    ];
}

impl StatusKind {
    /// Off the books from the date: no letter, visit, card, dues or list entry.
    pub fn off_books(self) -> bool {
        !matches!(self, StatusKind::LostContact | StatusKind::Suspended)
    }

    /// How the archive names it: "已故", "已转出"…
    pub fn archived_as(self) -> &'static str {
        match self {
            StatusKind::Died => "已故",
            StatusKind::TransferredAway => "已转出",
            StatusKind::Withdrew => "已退党",
            StatusKind::Expelled => "已除名",
            StatusKind::Lapsed => "自行脱党",
            StatusKind::LostContact => "失联",
            StatusKind::Suspended => "停止党籍",
        }
    }
}

#[derive(Debug, Clone)]
pub struct MemberStatus {
    /// Where the `status:` key is written.
    pub pos: Pos,
    pub kind: Located<StatusKind>,
    /// Died on, left on, out of contact since, suspended on.
    pub date: Located<NaiveDate>,
    /// For 停止党籍: out of contact since.
    pub lost_since: Option<Located<NaiveDate>>,
    /// For 转出: the organisation the relationship went to.
    pub to: Option<Located<String>>,
    pub reason: Option<Located<String>>,
    /// The branch's or committee's decision (文号).
    pub document: Option<Located<String>>,
}

pub const STATUS_KEYS: &[(&str, &str)] = &[
    ("kind", "状态"),
    ("date", "日期"),
    ("lost_since", "失联日期"),
    ("to", "转往党组织"),
    ("reason", "原因"),
    ("document", "决定文号"),
];

pub fn read_status(f: Fields, pos: Pos) -> Option<MemberStatus> {
    let kind = read_word::<StatusKind>(&f, "kind");
    if f.node("kind").is_none() {
        f.req_text("kind", "去世");
    }
    let date = f.req_date("date");
    let v = (f.date("lost_since"), f.text("to"), f.text("reason"), f.text("document"));
    if kind.as_ref().is_some_and(|k| k.value == StatusKind::TransferredAway) && v.1.is_none() {
        f.warning(f.pos, "转出的党员没有写转往哪个党组织", "加一行 `to:`，写接收组织关系的党组织名称");
    }
    f.finish();
    let (lost_since, to, reason, document) = v;
    Some(MemberStatus { pos, kind: kind?, date: date?, lost_since, to, reason, document })
}

/// 联系方式 of a contact with a member (R8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Phone,
    WeChat,
    Letter,
    Visit,
    Other,
}

impl Word for Channel {
    const WORDS: &'static [(Self, &'static str)] = &[
        (Channel::Phone, "电话"),
        (Channel::WeChat, "微信"),
        (Channel::Letter, "书信"),
        (Channel::Visit, "上门"),
        (Channel::Other, "其他"),
    ];
}

/// One contact with the member (联系记录).
#[derive(Debug, Clone)]
pub struct Contact {
    pub date: Located<NaiveDate>,
    pub channel: Located<Channel>,
    pub by: Option<Located<String>>,
    pub summary: Option<Located<String>>,
}

pub const CONTACT_KEYS: &[(&str, &str)] =
    &[("date", "日期"), ("channel", "方式"), ("by", "联系人"), ("summary", "情况")];

pub fn read_contact(c: Fields) -> Option<Contact> {
    let date = c.req_date("date");
    let channel = read_word::<Channel>(&c, "channel");
    if c.node("channel").is_none() {
        c.req_text("channel", "电话");
    }
    let (by, summary) = (c.text("by"), c.text("summary"));
    c.finish();
    Some(Contact { date: date?, channel: channel?, by, summary })
}

/// 重病补助 decision (R18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubsidyDecision {
    Pending,
    Granted,
    Refused,
}

impl Word for SubsidyDecision {
    const WORDS: &'static [(Self, &'static str)] = &[
        (SubsidyDecision::Pending, "审核中"),
        (SubsidyDecision::Granted, "批准"),
        (SubsidyDecision::Refused, "不批准"),
    ];
}

/// One application for the serious-illness subsidy.
#[derive(Debug, Clone)]
pub struct Subsidy {
    pub applied: Located<NaiveDate>,
    pub decision: Option<Located<SubsidyDecision>>,
    pub decided: Option<Located<NaiveDate>>,
    pub amount: Option<Located<f64>>,
    pub notes: Option<Located<String>>,
}

impl Subsidy {
    /// The decision, 审核中 when none is recorded.
    pub fn state(&self) -> SubsidyDecision {
        self.decision.as_ref().map_or(SubsidyDecision::Pending, |d| d.value)
    }
}

pub const SUBSIDY_KEYS: &[(&str, &str)] = &[
    ("applied", "申请日期"),
    ("decision", "审批结果"),
    ("decided", "审批日期"),
    ("amount", "补助金额"),
    ("notes", "说明"),
];

pub fn read_subsidy(s: Fields) -> Option<Subsidy> {
    let applied = s.req_date("applied");
    let v = (read_word(&s, "decision"), s.date("decided"), s.amount("amount"), s.text("notes"));
    s.finish();
    let (decision, decided, amount, notes) = v;
    Some(Subsidy { applied: applied?, decision, decided, amount, notes })
}
