//! `org.yaml` `rules:`: the thresholds the office's rules use, with the
//! defaults of docs/domain.md §7 (R6/R7 note A, the 2006 opinion, the 2008 dues rules).

use super::words::read_word;
use crate::yaml::Fields;

/// 组织关系转出 kinds: the essay's temporary transfer, or the formal one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferKind {
    Temporary,
    Formal,
}

/// Which "大写" the office writes: 壹贰叁 (financial) or 〇一二 (plain).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumeralStyle {
    Financial,
    Plain,
}

/// Who approves a reduction or waiver of dues: the higher committee (the
/// 2008 rules, 中组发〔2008〕3号) or, where the committee has delegated it
/// for retirees in hardship, the branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReductionApprover {
    HigherCommittee,
    Branch,
}

/// What a computed dues amount is rounded to (the rules do not say; 分 by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    Fen,
    Jiao,
    Yuan,
}

impl Rounding {
    /// The unit in 分.
    pub fn unit(self) -> i64 {
        match self {
            Rounding::Fen => 1,
            Rounding::Jiao => 10,
            Rounding::Yuan => 100,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RuleSettings {
    /// A stay of this many months or more with a fixed location transfers
    /// the organisational relationship (R6).
    pub long_stay_months: u32,
    /// Whether a stay of exactly `long_stay_months` counts as long (note A:
    /// "以上" includes the number).
    pub exact_boundary_is_long: bool,
    pub transfer_kind: TransferKind,
    /// Dues unpaid this many months → warning; `dues_alert_months` → alert.
    pub dues_warn_months: u32,
    pub dues_alert_months: u32,
    /// Back pay (补交) should not go further back than this many months.
    pub dues_backpay_months: u32,
    /// The month the office's dues ledger starts: every member owes from
    /// then. None: each member's ledger starts with their first payment.
    pub dues_since: Option<(i32, u32)>,
    pub dues_rounding: Rounding,
    /// The collector signs the ledger for each month (else each quarter,
    /// as dues are usually handed up).
    pub dues_signed_monthly: bool,
    /// Whether org.yaml says which transfer it is (not assumed when a
    /// departure calls for one: `check` asks).
    pub transfer_kind_written: bool,
    /// Whose decision makes a reduction final.
    pub dues_reduction_approver: ReductionApprover,
    /// Suspended members (停止党籍) get the festival letter too; by default
    /// they are listed apart for the office to decide.
    pub letters_to_suspended: bool,
    /// A 慰问金/品 column on the letters' delivery list and a line on the
    /// visit sheet, for offices that send money or a gift with them.
    pub gift_column: bool,
    /// The filing report goes out under the committee's seal (GB/T 9704
    /// 7.3.5.1), or without it (7.3.5.2): where its signature stands.
    pub report_sealed: bool,
    /// No contact for this many months → finding (6+: 失联).
    pub out_of_contact_months: u32,
    /// R8: a member away not contacted for this many months → reminder.
    pub contact_months: u32,
    /// R9: arrival and the card handed over expected within this many days.
    pub arrival_days: u32,
    /// §1.2: 失联 this many months → 停止党籍 due.
    pub suspend_after_months: u32,
    /// §1.2: 停止党籍 this many months without contact → 自行脱党 due.
    pub lapse_after_months: u32,
    /// R2: a record not confirmed by the member or family for this many months.
    pub confirm_months: u32,
    /// A member away longer than this must report at least this often.
    pub yearly_report_months: u32,
    /// Validity of a transfer letter, in days (written in capital numerals).
    pub transfer_letter_days: u32,
    /// 大写 as 壹贰叁 or 〇一二.
    pub capital_numerals: NumeralStyle,
    /// R15: members aged this or more living in the city …
    pub visit_age: u32,
    /// … get at least this many home visits per calendar half-year.
    pub visits_per_half_year: u32,
    /// R16: members aged this or more (replaces the rule above) …
    pub frequent_visit_age: u32,
    /// … get at least this many home visits per calendar quarter.
    pub visits_per_quarter: u32,
    /// R17/R18: serious illness or hardship at 低保 level → a home visit within this many days.
    pub urgent_visit_days: u32,
    /// R4 "及时备案": `check` reminds of an unfiled departure while the
    /// member is away, or when it started within this many days.
    pub filing_window_days: u32,
    /// Greeting letters are dated this many days before their festival
    /// (when they are handed over), not with the day they are printed.
    pub letter_days_before: u32,
    /// `check` reminds when the data folder's last backup is older than this many days.
    pub backup_days: u32,
}

impl Default for RuleSettings {
    fn default() -> Self {
        Self {
            long_stay_months: 6,
            exact_boundary_is_long: true,
            transfer_kind: TransferKind::Temporary,
            dues_warn_months: 3,
            dues_alert_months: 6,
            dues_backpay_months: 6,
            dues_since: None,
            dues_rounding: Rounding::Fen,
            dues_reduction_approver: ReductionApprover::HigherCommittee,
            letters_to_suspended: false,
            gift_column: false,
            report_sealed: true,
            transfer_kind_written: false,
            dues_signed_monthly: false,
            out_of_contact_months: 6,
            contact_months: 3,
            arrival_days: 30,
            suspend_after_months: 6,
            lapse_after_months: 24,
            confirm_months: 12,
            yearly_report_months: 12,
            transfer_letter_days: 30,
            capital_numerals: NumeralStyle::Financial,
            visit_age: 70,
            visits_per_half_year: 1,
            frequent_visit_age: 80,
            visits_per_quarter: 3,
            urgent_visit_days: 7,
            filing_window_days: 90,
            letter_days_before: 3,
            backup_days: 30,
        }
    }
}

pub const RULE_KEYS: &[(&str, &str)] = &[
    ("long_stay_months", "长期外出月数"),
    ("exact_boundary_is_long", "恰好满月数是否算长期"),
    ("transfer_kind", "组织关系转出类型"),
    ("dues_warn_months", "党费未交提醒月数"),
    ("dues_alert_months", "党费未交警示月数"),
    ("dues_backpay_months", "党费补交最多月数"),
    ("dues_since", "党费台帐起始月份"),
    ("dues_rounding", "党费金额取整到"),
    ("dues_reduction_approver", "党费减免由谁批准"),
    ("letters_to_suspended", "停止党籍的也寄慰问信"),
    ("gift_column", "送达登记表和走访记录表加“慰问金/品”栏"),
    ("report_sealed", "备案报告加盖印章"),
    ("dues_signed_by", "党费收缴人按月还是按季签字"),
    ("out_of_contact_months", "失联月数"),
    ("contact_months", "联系间隔月数"),
    ("arrival_days", "到达交卡提醒天数"),
    ("suspend_after_months", "失联停止党籍月数"),
    ("lapse_after_months", "停止党籍脱党月数"),
    ("confirm_months", "信息核对间隔月数"),
    ("yearly_report_months", "外出汇报间隔月数"),
    ("transfer_letter_days", "介绍信有效天数"),
    ("capital_numerals", "大写数字写法"),
    ("visit_age", "半年走访年龄"),
    ("visits_per_half_year", "每半年上门走访次数"),
    ("frequent_visit_age", "每季走访年龄"),
    ("visits_per_quarter", "每季上门走访次数"),
    ("urgent_visit_days", "重病低保走访期限天数"),
    ("filing_window_days", "未备案提醒天数"),
    ("letter_days_before", "慰问信落款提前天数"),
    ("backup_days", "备份提醒天数"),
];

pub fn read_rule_settings(f: Option<Fields>) -> RuleSettings {
    let d = RuleSettings::default();
    let Some(f) = f else { return d };
    let months = |key: &str, default: u32| f.count(key, 1..=120).map_or(default, |v| v.value);
    let s = RuleSettings {
        long_stay_months: months("long_stay_months", d.long_stay_months),
        exact_boundary_is_long: f.flag("exact_boundary_is_long").map_or(d.exact_boundary_is_long, |v| v.value),
        transfer_kind: read_word(&f, "transfer_kind").map_or(d.transfer_kind, |k| k.value),
        dues_warn_months: months("dues_warn_months", d.dues_warn_months),
        dues_alert_months: months("dues_alert_months", d.dues_alert_months),
        dues_backpay_months: months("dues_backpay_months", d.dues_backpay_months),
        dues_since: f.month("dues_since").map(|m| m.value),
        dues_rounding: match f.choice("dues_rounding", &["分", "角", "元"]).as_deref().map(String::as_str) {
            Some("角") => Rounding::Jiao,
            Some("元") => Rounding::Yuan,
            _ => d.dues_rounding,
        },
        dues_reduction_approver: match f.choice("dues_reduction_approver", &["上级党委", "支部"]) {
            Some(k) if k.value == "支部" => ReductionApprover::Branch,
            Some(_) => ReductionApprover::HigherCommittee,
            None => d.dues_reduction_approver,
        },
        letters_to_suspended: f.flag("letters_to_suspended").map_or(d.letters_to_suspended, |v| v.value),
        gift_column: f.flag("gift_column").map_or(d.gift_column, |v| v.value),
        report_sealed: f.flag("report_sealed").map_or(d.report_sealed, |v| v.value),
        transfer_kind_written: f.node("transfer_kind").is_some(),
        dues_signed_monthly: f.choice("dues_signed_by", &["月", "季"]).is_some_and(|k| k.value == "月"),
        out_of_contact_months: months("out_of_contact_months", d.out_of_contact_months),
        contact_months: months("contact_months", d.contact_months),
        arrival_days: f.count("arrival_days", 1..=365).map_or(d.arrival_days, |v| v.value),
        suspend_after_months: months("suspend_after_months", d.suspend_after_months),
        lapse_after_months: months("lapse_after_months", d.lapse_after_months),
        confirm_months: months("confirm_months", d.confirm_months),
        yearly_report_months: months("yearly_report_months", d.yearly_report_months),
        transfer_letter_days: f.count("transfer_letter_days", 1..=180).map_or(d.transfer_letter_days, |v| v.value),
        capital_numerals: match f.choice("capital_numerals", &["壹贰叁", "〇一二"]) {
            Some(k) if k.value == "〇一二" => NumeralStyle::Plain,
            Some(_) => NumeralStyle::Financial,
            None => d.capital_numerals,
        },
        visit_age: f.count("visit_age", 50..=120).map_or(d.visit_age, |v| v.value),
        visits_per_half_year: f.count("visits_per_half_year", 1..=30).map_or(d.visits_per_half_year, |v| v.value),
        frequent_visit_age: f.count("frequent_visit_age", 50..=120).map_or(d.frequent_visit_age, |v| v.value),
        visits_per_quarter: f.count("visits_per_quarter", 1..=30).map_or(d.visits_per_quarter, |v| v.value),
        urgent_visit_days: f.count("urgent_visit_days", 1..=90).map_or(d.urgent_visit_days, |v| v.value),
        filing_window_days: f.count("filing_window_days", 1..=3660).map_or(d.filing_window_days, |v| v.value),
        letter_days_before: f.count("letter_days_before", 0..=60).map_or(d.letter_days_before, |v| v.value),
        backup_days: f.count("backup_days", 1..=3660).map_or(d.backup_days, |v| v.value),
    };
    f.finish();
    s
}
