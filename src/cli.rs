//! The command line (clap definitions only).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::rules::period::Period;

#[derive(Debug, Parser)]
#[command(
    name = "tuiguan",
    version = crate::assets::VERSION,
    about = "退管：离退休党员台帐与文书批量生成",
    long_about = None,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,

    /// 显示版本（及所用的 typst 版本）
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,

    /// 数据文件夹（含 org.yaml 和 members/），默认 data
    #[arg(long, global = true, default_value = "data", hide_default_value = true, value_name = "DIR")]
    pub data: PathBuf,

    /// 输出文件夹，默认 out
    #[arg(long, global = true, default_value = "out", hide_default_value = true, value_name = "DIR")]
    pub out: PathBuf,

    /// 以哪一天为“今天”（年-月-日）；所有按日期的规则和文书上的日期都取这一天
    #[arg(long = "as-of", global = true, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,

    /// 全部重新生成，不管上次生成后有没有改动
    #[arg(long, global = true)]
    pub force: bool,

    /// 只显示警告和错误，不显示进度
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 只检查数据，不生成文件
    Check,
    /// 生成个人信息卡（out/info-cards/ 和 out/info-cards.pdf）
    Cards {
        /// 只生成这些成员的信息卡（成员编号，可写多个）
        #[arg(long = "member", value_name = "ID", num_args = 1..)]
        members: Vec<String>,
    },
    /// 生成外出党员登记表、联系卡和组织关系介绍信草稿（out/departures/、out/contact-cards.pdf）
    Departures {
        /// 只生成这些成员的外出文书（成员编号，可写多个）
        #[arg(long = "member", value_name = "ID", num_args = 1..)]
        members: Vec<String>,
        /// 给按规定应发联系卡、还没有卡号的外出发卡：按年份排下一个卡号（LK年份-nnn），发卡日期为今天，写进成员文件
        #[arg(long, requires = "members")]
        issue_card: bool,
    },
    /// 生成报上级党组织的备案报告（out/reports/）
    Report {
        /// 报告期：2026-Q4（季度）、2026-11（月）或 2026（年）；默认为 --as-of 所在季度
        #[arg(long, value_name = "PERIOD", value_parser = parse_period_arg, conflicts_with_all = ["from", "to"])]
        period: Option<Period>,
        /// 自定义报告期的起始日期
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of, requires = "to")]
        from: Option<NaiveDate>,
        /// 自定义报告期的截止日期
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of, requires = "from")]
        to: Option<NaiveDate>,
    },
    /// 列出节日及日期（农历节日已换算为公历）
    Holidays {
        /// 年份；默认为 --as-of 所在年
        #[arg(long, value_name = "YYYY", value_parser = parse_year)]
        year: Option<i32>,
    },
    /// 生成节日慰问信、信封和电话慰问名单（out/letters/）
    Letters {
        /// 节日，如 重阳、春节；默认为 --as-of 之后的下一个节日
        #[arg(long)]
        holiday: Option<String>,
        /// 年份；默认为该节日下一次所在的年
        #[arg(long, value_name = "YYYY", value_parser = parse_year, requires = "holiday")]
        year: Option<i32>,
        /// 慰问信的落款日期（年-月-日）；默认为节日前几天（org.yaml rules.letter_days_before，默认 3 天）
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
        date: Option<NaiveDate>,
    },
    /// 生成走访计划、走访记录表和日历（out/visits/）
    Visits,
    /// 给外出党员印通知：每人一封、信封和送达登记表（out/notices/）；不改动数据
    Notice {
        /// 通知的文件（Markdown 或纯文本）：第一行是标题，空一行后是正文
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// 只给这些支部的外出党员（支部编号，可写多次）
        #[arg(long = "branch", value_name = "ID")]
        branches: Vec<String>,
        /// 给这几位党员（成员编号，可写多次），不论是否外出
        #[arg(long = "member", value_name = "ID")]
        members: Vec<String>,
        /// 落款日期（年-月-日）；默认为 --as-of
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
        date: Option<NaiveDate>,
    },
    /// 打印信息核对表：每人一页，请本人或家属核对签字（out/confirm/）
    ConfirmSheets {
        /// 只给这些支部（支部编号，可写多次）
        #[arg(long = "branch", value_name = "ID")]
        branches: Vec<String>,
        /// 只给这几位党员（成员编号，可写多次）
        #[arg(long = "member", value_name = "ID")]
        members: Vec<String>,
        /// 只给从未核对或久未核对的党员（见 rules.confirm_months）
        #[arg(long)]
        due: bool,
        /// 印出完整的公民身份号码（默认只印前 6 位和后 4 位）
        #[arg(long)]
        full_id: bool,
    },
    /// 生成联系卡年审名单：各支部在用的联系卡、年审到期日（out/lists/）
    Reviews,
    /// 生成生日名单：各支部某月过生日的党员，附年龄、住址和电话（out/lists/）
    Birthdays {
        /// 月份：2027-01，或只写月份如 1（指今后最近的那个 1 月）；默认为 --as-of 的下一个月
        #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
        month: Option<(Option<i32>, u32)>,
    },
    /// 生成重病补助申请名单：各支部本年度的申请和审批情况（out/lists/）
    Subsidies {
        /// 年度；默认为 --as-of 所在年度
        #[arg(long, value_name = "YYYY", value_parser = parse_year)]
        year: Option<i32>,
    },
    /// 生成党费收缴登记表和党费基数核定表（out/dues/），每个支部一份
    Dues {
        /// 年度；默认为 --as-of 所在年度
        #[arg(long, value_name = "YYYY", value_parser = parse_year)]
        year: Option<i32>,
    },
    /// 从 Excel（.xlsx .xls .ods）或 CSV 台帐导入党员：先预演，加 --write 才写入
    Import {
        /// 要导入的台帐文件
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// 导入到哪个数据文件夹（需已有 org.yaml），默认同 --data
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
        /// 工作表名称；默认第一张有名册表头（姓名、身份证号……）的表
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// 确认写入（不加则只预演，不写任何文件）
        #[arg(long)]
        write: bool,
        /// 已有的党员（身份证号相同）按表格更新有改动的栏目
        #[arg(long)]
        update: bool,
        /// 确认改名或更正身份证号：身份证号相同而姓名不同、或同一支部同名而身份证号不同的行，按同一人更新
        #[arg(long, requires = "update")]
        rename: bool,
    },
    /// 新建一个单位的数据文件夹：带说明的 org.yaml 和一位党员的示例
    Init {
        /// 新数据文件夹
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// 导出完整台帐为 Excel 文件（含外出和最近走访，第二张表为待跟进事项）
    Export {
        /// Excel 文件路径，默认 out/台帐（内部资料）.xlsx
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
    /// 生成内网台帐网页（out/register/，可复制到任何网站服务器或直接用浏览器打开）
    Register,
    /// 生成全部文书（信息卡、外出文书、本季度备案报告、下一个节日的慰问信、走访计划、本年度党费表）、内网台帐和 Excel 台帐
    Build,
    /// 打开退管工作台：在本机浏览器里登记走访、联系，打印信息卡，查看和撤销操作记录（按 Ctrl-C 停止）
    Serve {
        /// 端口，默认 8470（只在本机 127.0.0.1 上打开）
        #[arg(long, default_value_t = crate::desk::PORT, hide_default_value = true)]
        port: u16,
        /// 不自动打开浏览器
        #[arg(long)]
        no_open: bool,
    },
    /// 备份整个数据文件夹：生成一个带日期的压缩包和文件清单，读回核对无误才算完成
    Backup {
        /// 备份放在哪个文件夹（最好是 U 盘或另一台电脑）；默认为数据文件夹旁边的 退管数据备份/
        #[arg(long, value_name = "DIR")]
        to: Option<PathBuf>,
    },
    /// 从备份恢复数据文件夹：只恢复到空文件夹或新文件夹，每个文件都按清单核对
    Restore {
        /// 备份压缩包（tuiguan backup 生成的 .zip）
        #[arg(value_name = "ARCHIVE")]
        archive: PathBuf,
        /// 恢复到哪个文件夹（须为空或不存在）
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
    },
    /// 清理以前特意打印的文书（某个节日的慰问信、通知、某人的外出文书、某期备案报告等）；日常生成的文书不动
    Clean {
        /// 只清理这些（写名称中的几个字即可，如 春节、民主评议、2026年第三季度）；不写则为全部特意打印的文书
        #[arg(value_name = "WHAT")]
        what: Vec<String>,
        /// 只列出会删除的文件，不删除
        #[arg(long)]
        dry_run: bool,
    },
    /// 把内置模板复制到数据文件夹的 templates/ 里，修改后就代替内置的；不写名字则列出全部模板
    Templates {
        /// 要复制的模板，如 info-card.typ、register.css；all 为全部
        #[arg(value_name = "NAME")]
        names: Vec<String>,
    },
}

fn parse_period_arg(s: &str) -> Result<Period, String> {
    crate::rules::period::parse_period(s)
        .ok_or_else(|| format!("“{s}”不是有效的报告期，应写成 2026-Q4、2026-11 或 2026"))
}

/// A month for `--month`: "2027-01" (year and month) or "1" (the month alone).
fn parse_month(s: &str) -> Result<(Option<i32>, u32), String> {
    let bad = || format!("“{s}”不是月份，应写成 2027-01，或只写月份如 1");
    let (year, month) = match s.trim().split_once('-') {
        Some((y, m)) => (Some(parse_year(y)?), m),
        None => (None, s.trim()),
    };
    match month.parse::<u32>() {
        Ok(m) if (1..=12).contains(&m) => Ok((year, m)),
        _ => Err(bad()),
    }
}

/// A year for `--year`: the rules and the lunar calendar hold from 1950 to 2200.
fn parse_year(s: &str) -> Result<i32, String> {
    match s.trim().parse::<i32>() {
        Ok(y) if (1950..=2200).contains(&y) => Ok(y),
        Ok(_) => Err(format!("年份“{s}”超出范围，应在 1950 到 2200 之间")),
        Err(_) => Err(format!("“{s}”不是年份，应写成四位数字，例如 2027")),
    }
}

fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    let date =
        crate::yaml::parse_date(s).ok_or_else(|| format!("“{s}”不是有效日期，应写成 年-月-日，例如 2026-10-01"))?;
    match chrono::Datelike::year(&date) {
        1950..=2200 => Ok(date),
        _ => Err(format!("日期“{s}”超出范围，年份应在 1950 到 2200 之间")),
    }
}
