use super::*;
use crate::rules::period::parse_period;

#[test]
fn counts_say_only_what_was_recorded() {
    let mut c = Counts::default();
    c.add(&Handling::Card { number: None, issued: None });
    c.add(&Handling::TransferPending { kind: crate::office::TransferKind::Temporary });
    assert_eq!(
        c.sentence(),
        "一、本期新登记外出党员2人次，其中发放离退休流动党员联系卡1人次，拟转出组织关系、尚未办理1人次。"
    );
    assert_eq!(Counts::default().sentence(), "一、本期没有新登记外出的党员。");
}

fn rows(branches: &[(&str, usize)]) -> Vec<FollowUpRow> {
    let row = |b: &str, i: usize| FollowUpRow {
        name: format!("{b}{i}"),
        branch: b.into(),
        departure: String::new(),
        kind: String::new(),
        text: String::new(),
    };
    branches.iter().flat_map(|&(b, n)| (0..n).map(move |i| row(b, i))).collect()
}

fn report(departures: usize, follow_ups: &[(&str, usize)]) -> FilingReport {
    let departure = |i: usize| DepartureRow {
        name: format!("d{i}"),
        branch: if i < 4 { "一支部" } else { "二支部" }.into(),
        reason: String::new(),
        destination: String::new(),
        time: Default::default(),
        handling: String::new(),
        handling_details: Vec::new(),
    };
    FilingReport {
        issuer: "委员会".into(),
        doc_number: String::new(),
        signer: String::new(),
        title_lines: Vec::new(),
        recipient: gongwen::flush("组织部："),
        body: ["现将本期情况报告如下。", "一、本期新登记外出党员6人次。", "特此报告。"].map(gongwen::body).to_vec(),
        attachments: ATTACHMENTS.to_vec(),
        departures: (0..departures).map(departure).collect(),
        returns: Vec::new(),
        follow_ups: rows(follow_ups),
        signature: String::new(),
        sealed: true,
        date: String::new(),
        printed_by: String::new(),
        part: PartOf::whole(),
    }
}

#[test]
fn a_short_report_is_one_part() {
    let parts = parts(report(6, &[("一支部", 3)]), 10);
    assert_eq!(parts.len(), 1);
    let p = &parts[0].part;
    assert!(p.front && p.back);
    assert!(p.sections.iter().all(|s| s.shown && s.titled && s.first == 0));
}

#[test]
fn a_long_report_is_cut_where_a_branch_begins_and_every_row_is_kept() {
    // 6 departures (4 of 一支部, 2 of 二支部), no returns, 7 + 9 + 25 follow-ups; parts of 5 rows.
    let whole = report(6, &[("一支部", 7), ("二支部", 9), ("三支部", 25)]);
    let names = |r: &FilingReport| -> Vec<String> {
        r.departures.iter().map(|d| d.name.clone()).chain(r.follow_ups.iter().map(|f| f.name.clone())).collect()
    };
    let all = names(&whole);
    let parts = parts(whole, 5);
    // Every row once, in order.
    assert_eq!(parts.iter().flat_map(names).collect::<Vec<_>>(), all);
    let shape: Vec<_> = parts
        .iter()
        .map(|p| {
            let f = |s: &Section| (s.shown, s.titled, s.first);
            (p.part.front, p.part.back, p.part.sections.map(|s| f(&s)), p.departures.len(), p.follow_ups.len())
        })
        .collect();
    assert_eq!(
        shape,
        [
            // The letter and attachment 1 (6 rows: no branch begins after its 5th), and attachment 2,
            // which has no rows; attachment 3 begins a part of its own.
            (true, false, [(true, true, 0), (true, true, 0), (false, false, 0)], 6, 0),
            // Attachment 3 up to where 二支部 begins after 5 rows or more.
            (false, false, [(false, false, 0), (false, false, 0), (true, true, 0)], 0, 7),
            // 二支部's 9 rows (fewer than twice 5), then each 10 rows of 三支部's 25, numbered on.
            (false, false, [(false, false, 0), (false, false, 0), (true, false, 7)], 0, 9),
            (false, false, [(false, false, 0), (false, false, 0), (true, false, 16)], 0, 10),
            (false, false, [(false, false, 0), (false, false, 0), (true, false, 26)], 0, 10),
            // The 版记 with the last.
            (false, true, [(false, false, 0), (false, false, 0), (true, false, 36)], 0, 5),
        ]
    );
    // Only the first part has the letter's body.
    assert!(!parts[0].body.is_empty() && parts[1..].iter().all(|p| p.body.is_empty()));
}

/// The 版记 is on an even page, the back of the last sheet, however the
/// parts fall: a part's pages are counted from 1 by typst but numbered
/// on from the part before.
#[test]
fn the_back_is_on_an_even_page_however_the_parts_fall() {
    let fonts = crate::fonts::FontSet::builtin().unwrap();
    let engine = crate::render::typst::Engine::new(
        &crate::assets::Templates::builtin_only(),
        &fonts,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
    );
    let mut counts = Vec::new();
    for rows in [8, 12, 20, 30, 45, 70] {
        let mut parts = parts(report(6, &[("一支部", 30), ("二支部", 40), ("三支部", 25)]), rows).into_iter();
        let first = parts.next().unwrap();
        let json = |v: &FilingReport| serde_json::to_vec(v).unwrap();
        let job = crate::render::typst::Job::of_views(KIND.template, "r", json(&first), parts.map(|p| json(&p)));
        let made = engine.render(&job).unwrap();
        assert_eq!(made.pages % 2, 0, "{} parts of {rows} rows: {} pages", job.sequel.len() + 1, made.pages);
        counts.push((job.sequel.len() + 1, made.pages));
    }
    // Parts of several lengths were laid out.
    assert!(counts.iter().map(|c| c.0).collect::<std::collections::BTreeSet<_>>().len() >= 4, "{counts:?}");
}

#[test]
fn document_numbers() {
    assert_eq!(doc_number(&parse_period("2026-Q4").unwrap()), "退管备〔2026〕4号");
    assert_eq!(doc_number(&parse_period("2026-03").unwrap()), "退管备〔2026〕3号");
    assert_eq!(doc_number(&parse_period("2026").unwrap()), "退管备〔2026〕1号");
}
