//! 打印: the office's papers that are not one member's — a festival's
//! letters, a period's filing report, the visit plan, the confirm sheets —
//! made by this very program as the commands make them, into out/, and
//! listed for the browser's viewer. What the clerk chose is checked against
//! the office (a festival it has, a period that parses); the files are
//! found in out/ by the names the commands give them.

use std::path::{Path, PathBuf};

use super::Desk;
use super::forms::Filled;
use super::http::Answer;

/// The papers of one print run: (what it is, file).
pub type Papers = Vec<(String, PathBuf)>;

/// Files of `folder` (in out/) whose names begin with `stem`, each with
/// its name in words by the ending the commands give it.
fn found(out: &Path, folder: &str, stem: &str, words: &[(&str, &str)]) -> Papers {
    let dir = out.join(folder);
    let mut papers: Papers = words
        .iter()
        .map(|(ending, label)| (label.to_string(), dir.join(format!("{stem}{ending}"))))
        .filter(|(_, p)| p.is_file())
        .collect();
    papers.dedup_by(|a, b| a.1 == b.1);
    papers
}

/// Run `tuiguan <args>` on the desk's folders (the member's and the
/// office's papers alike); Err: what it said.
pub fn run(desk: &Desk, args: &[String]) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("找不到 tuiguan 程序本身：{e}"))?;
    let mut c = std::process::Command::new(exe);
    c.arg("--data").arg(&desk.data).arg("--out").arg(&desk.out).arg("-q");
    if let Some(d) = desk.as_of {
        c.arg("--as-of").arg(d.to_string());
    }
    let o = c.args(args).output().map_err(|e| e.to_string())?;
    if o.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&o.stderr).into_owned()) }
}

/// `what`: letters, report, visits, confirm.
pub fn print(desk: &Desk, what: &str, form: &Filled) -> Answer {
    let Some(office) = desk.pages.office(desk) else {
        return desk.pages.message(desk, 500, "数据读不出来", "org.yaml 有错误；请运行 tuiguan check。");
    };
    let made: Result<(String, Papers), String> = match what {
        "letters" => {
            let name = form.get("holiday").cloned().unwrap_or_default();
            let list = office.holidays();
            let Some(h) = crate::rules::holidays::find(&list, &name) else {
                return desk.pages.message(desk, 422, "没有这个节日", &format!("没有名为“{name}”的节日"));
            };
            let year = match form.get("year").map(|y| y.trim().parse::<i32>()) {
                Some(Ok(y)) if (1950..=2200).contains(&y) => y,
                _ => return desk.pages.message(desk, 422, "年份不对", "年份写四位数字，在 1950 到 2200 之间"),
            };
            run(desk, &["letters".into(), "--holiday".into(), h.name.clone(), "--year".into(), year.to_string()]).map(
                |()| {
                    let stem = format!("{year}-{}", h.name);
                    let words = [
                        (".pdf", "慰问信"),
                        ("-envelopes.pdf", "信封"),
                        ("-delivery.pdf", "送达登记表"),
                        ("-phone-list.pdf", "电话慰问名单"),
                    ];
                    (format!("{year}年{}慰问信", h.full_name), found(&desk.out, "letters", &stem, &words))
                },
            )
        }
        "report" => {
            let text = form.get("period").cloned().unwrap_or_default();
            let Some(period) = crate::rules::period::parse_period(text.trim()) else {
                return desk.pages.message(
                    desk,
                    422,
                    "报告期不对",
                    &format!("“{text}”不是报告期；写成 2026-Q4、2026-11 或 2026"),
                );
            };
            run(desk, &["report".into(), "--period".into(), text.trim().to_string()]).map(|()| {
                (
                    format!("{}备案报告", period.label),
                    found(&desk.out, "reports", &format!("filing-{}", period.key), &[(".pdf", "备案报告")]),
                )
            })
        }
        "visits" => run(desk, &["visits".into()]).map(|()| {
            let words = [
                ("visit-plan.pdf", "走访计划"),
                ("visit-sheets.pdf", "走访记录表（三问）"),
                ("visits.ics", "手机日历"),
            ];
            ("走访计划".to_string(), found(&desk.out, "visits", "", &words))
        }),
        "confirm" => run(desk, &["confirm-sheets".into(), "--due".into()]).map(|()| {
            (
                "久未核对党员的信息核对表".to_string(),
                found(&desk.out, "confirm", "confirm-sheets", &[(".pdf", "信息核对表")]),
            )
        }),
        _ => return desk.pages.not_found(desk),
    };
    match made {
        Ok((title, papers)) => desk.pages.printed(desk, &title, &numbered(desk, &papers)),
        Err(e) => desk.pages.message(desk, 500, "没有生成", &e),
    }
}

/// The papers made, each with its number in the desk's list of those
/// printed (the number a link serves it by).
fn numbered(desk: &Desk, papers: &[(String, PathBuf)]) -> Vec<(usize, String, PathBuf)> {
    // Each paper keeps its number for as long as the desk runs: a link on
    // an earlier page still opens what it says.
    let mut all = desk.printed.lock().unwrap();
    papers
        .iter()
        .map(|(label, path)| {
            let n = match all.iter().position(|(_, p)| p == path) {
                Some(n) => n,
                None => {
                    all.push((label.clone(), path.clone()));
                    all.len() - 1
                }
            };
            (n, label.clone(), path.clone())
        })
        .collect()
}
