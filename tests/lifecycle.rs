//! The life of a membership on the sample office: a member who died this
//! year and one whose relationship left for good are in no document, list or
//! count from then on, but kept in the data, the Excel register and the
//! register's archive; the clocks of 失联 and 停止党籍 warn at their boundary.

mod common;

use common::*;

/// 宋启明 (b2-044) died on 2026-09-20; 谢淑珍 (b3-057) left the books on 2026-06-30.
const GONE: [(&str, &str); 2] = [("b2-044", "宋启明"), ("b3-057", "谢淑珍")];

#[test]
fn no_document_list_or_count_includes_a_member_who_died_or_left() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // Every kind of document: the build (cards, departures, report, next festival's
    // letters, visits, dues, register), and the letters of the festivals before and after.
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", out.to_str().unwrap(), "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for holiday in [["重阳", "2026"], ["春节", "2027"]] {
        let args = [
            "--as-of",
            AS_OF,
            "--out",
            out.to_str().unwrap(),
            "letters",
            "--holiday",
            holiday[0],
            "--year",
            holiday[1],
        ];
        let run = tuiguan(&repo(), &args);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let mut pdfs = 0;
    for f in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok) {
        let path = f.path();
        let rel = path.strip_prefix(&out).unwrap().to_string_lossy().to_string();
        if rel.starts_with(".print-parts") {
            continue;
        }
        if path.extension().is_some_and(|x| x == "pdf") {
            pdfs += 1;
            let text = pdf_text(path, None);
            // The dues ledger of the year keeps the months before (checked below).
            if rel.starts_with("dues/") {
                continue;
            }
            for (id, name) in GONE {
                assert!(!text.contains(name), "{name} in {rel}");
                assert!(!rel.contains(id), "{rel}");
            }
        }
        if path.extension().is_some_and(|x| x == "html" || x == "ics") && !rel.ends_with("archive.html") {
            let text = std::fs::read_to_string(path).unwrap();
            for (_, name) in GONE {
                assert!(!text.contains(name), "{name} in {rel}");
            }
        }
    }
    assert!(pdfs > 100, "{pdfs} PDFs looked at");
    assert!(!out.join("info-cards/b2-044.pdf").exists());

    // The year's ledger: their months before, nothing after.
    let ledger = pdf_text(&out.join("dues/2026-ledger.pdf"), Some(2));
    let row = ledger.lines().find(|l| l.contains("宋启明")).expect("on the 2026 ledger");
    assert!(row.contains("2026年9月20日去世"), "{row}");
    assert_eq!(row.matches('—').count(), 3, "October to December: {row}");

    // The register: counted apart, on the archive page only.
    let index = std::fs::read_to_string(out.join("register/index.html")).unwrap();
    assert!(index.contains("共 <strong>58</strong> 人"), "{index:.3000}");
    assert!(index.contains("另有已故、已转出等不在册的 2 人"), "{index:.3000}");
    let archive = std::fs::read_to_string(out.join("register/archive.html")).unwrap();
    assert!(archive.contains("宋启明") && archive.contains("已故") && archive.contains("2026年9月20日"), "{archive}");
    assert!(archive.contains("谢淑珍") && archive.contains("中共上海市浦东新区花木街道联洋社区委员会"));
    assert!(!archive.contains("病故"), "the reason is not published: {archive}");
    assert!(!out.join("register/members/b2-044.html").exists());

    // The Excel register keeps everyone.
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(out.join("台帐（内部资料）.xlsx")).unwrap();
    let status = book.worksheet_range("党籍与核对").unwrap();
    let rows: Vec<String> =
        status.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|")).collect();
    assert!(rows.iter().any(|r| r.contains("宋启明") && r.contains("去世")), "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("郑志明") && r.contains("停止党籍")), "{rows:?}");
}

#[test]
fn an_office_that_hides_the_archive_publishes_no_names_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let mut org = std::fs::read_to_string(data.join("org.yaml")).unwrap();
    org.push_str("register:\n  archive: hidden\n");
    std::fs::write(data.join("org.yaml"), org).unwrap();
    let out = dir.path().join("out");
    build_register(&data, &out);
    assert!(!out.join("register/archive.html").exists());
    let index = std::fs::read_to_string(out.join("register/index.html")).unwrap();
    assert!(index.contains("另有已故、已转出等不在册的 2 人") && !index.contains("archive.html"));
}

/// A one-member office whose member has `status`, checked on `as_of`.
fn check_status(status: &str, as_of: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    let path = data.join("members/b1/b1-001.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("\nnotes: ", &format!("\n{status}notes: "))).unwrap();
    let run = tuiguan(dir.path(), &["--as-of", as_of, "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr.lines().filter(|l| l.contains("b1-001.yaml") && l.contains("（王喆）")).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_clocks_of_lost_contact_and_suspension_warn_at_their_boundary() {
    let lost = "status:\n  kind: 失联\n  date: 2026-05-27\n";
    assert!(!check_status(lost, "2026-11-26").contains("应停止党籍"));
    assert!(check_status(lost, "2026-11-27").contains("警告: 应停止党籍（王喆）：自2026年5月27日失联已满6个月"));
    let suspended = "status:\n  kind: 停止党籍\n  date: 2024-11-27\n  lost_since: 2024-05-01\n";
    assert!(!check_status(suspended, "2026-11-26").contains("应按自行脱党处理"));
    assert!(
        check_status(suspended, "2026-11-27")
            .contains("警告: 应按自行脱党处理（王喆）：自2024年11月27日停止党籍已满24个月")
    );
    // Suspended: no visits planned, no dues chased.
    let w = check_status(suspended, "2026-11-27");
    assert!(!w.contains("走访") && !w.contains("党费"), "{w}");
}

#[test]
fn every_status_in_one_office_checks_and_builds() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&repo().join("data"), &data);
    for (id, status) in [
        ("b1-022", "status:\n  kind: 退党\n  date: 2026-03-01\n"),
        ("b1-025", "status:\n  kind: 除名\n  date: 2026-04-01\n  document: 离退休工委〔2026〕9号\n"),
        ("b1-028", "status:\n  kind: 自行脱党\n  date: 2026-05-01\n"),
    ] {
        let path = data.join(format!("members/b1/{id}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}{status}")).unwrap();
    }
    let run = tuiguan(dir.path(), &["--as-of", AS_OF, "check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("在册党员 55 位，另有已故、已转出等不在册的 5 人"), "{}", run.stderr);
    let out = dir.path().join("out");
    let run = tuiguan(dir.path(), &["--as-of", AS_OF, "--out", out.to_str().unwrap(), "register"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let archive = std::fs::read_to_string(out.join("register/archive.html")).unwrap();
    for what in ["已故", "已转出", "已退党", "已除名", "自行脱党"] {
        assert!(archive.contains(what), "{what}: {archive}");
    }
}

#[test]
fn a_notice_to_the_members_away_with_envelopes_and_a_delivery_list() {
    let dir = tempfile::tempdir().unwrap();
    let notice = dir.path().join("民主评议通知.md");
    std::fs::write(
        &notice,
        "# 关于开展年度民主评议的通知\n\n各位在外地的老同志：\n\n请于12月10日前把个人小结交党小组组长。\n\n- 联系卡请交当地党组织年审\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let data = repo().join("data");
    let before = std::fs::read_to_string(data.join("members/b1/b1-007.yaml")).unwrap();
    let run = tuiguan(
        dir.path(),
        &[
            "--data",
            data.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--out",
            out.to_str().unwrap(),
            "notice",
            notice.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // One letter per member away far from home: seven in the sample.
    let letters = out.join("notices/民主评议通知.pdf");
    assert_eq!(pdf_info(&letters).0, 7);
    let first: String = pdf_text(&letters, Some(1)).split_whitespace().collect();
    assert!(first.contains("关于开展年度民主评议的通知") && first.contains("尊敬的孙昇同志："), "{first}");
    assert!(first.contains("联系卡请交当地党组织年审") && !first.contains("- "), "{first}");
    let list: String = pdf_text(&out.join("notices/民主评议通知-delivery.pdf"), None).split_whitespace().collect();
    assert!(list.contains("《关于开展年度民主评议的通知》送达登记表") && list.contains("共7人"), "{list}");
    assert!(!list.contains("魏建国"), "a trip near home is not away: {list}");
    assert_eq!(pdf_info(&out.join("notices/民主评议通知-envelopes.pdf")).0, 7);
    // Nothing recorded.
    assert_eq!(std::fs::read_to_string(data.join("members/b1/b1-007.yaml")).unwrap(), before);
    // One branch only, or one member named.
    let run = tuiguan(
        dir.path(),
        &[
            "--data",
            data.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--out",
            out.to_str().unwrap(),
            "notice",
            notice.to_str().unwrap(),
            "--member",
            "b1-001",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(pdf_info(&letters).0, 1);
    // An empty notice is refused in Chinese.
    std::fs::write(&notice, "\n\n").unwrap();
    let run =
        tuiguan(dir.path(), &["--data", data.to_str().unwrap(), "--as-of", AS_OF, "notice", notice.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("通知是空的"), "{}", run.stderr);
}

#[test]
fn confirm_sheets_reviews_and_subsidies() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = out.to_str().unwrap();
    // Those due: 高洪涛 (17 months) and 李堃 (never).
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", o, "confirm-sheets", "--due"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sheets = out.join("confirm/confirm-sheets.pdf");
    assert_eq!(pdf_info(&sheets).0, 2);
    let text: String = pdf_text(&sheets, None).split_whitespace().collect();
    assert!(text.contains("高洪涛") && text.contains("李堃") && text.contains("尚未核对过"), "{text}");
    // The ID number masked to its region and last four digits; the birth date whole.
    assert!(text.contains("330102********0311") && !text.contains("330102193404150311"), "{text}");
    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", o, "confirm-sheets", "--member", "b2-002", "--full-id"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(pdf_text(&sheets, None).contains("330102193404150311"));

    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", o, "reviews"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let reviews: String = pdf_text(&out.join("lists/2026-card-reviews.pdf"), Some(3)).split_whitespace().collect();
    assert!(reviews.contains("崔德明") && reviews.contains("2026年10月16日（已到期）"), "{reviews}");

    let run = tuiguan(&repo(), &["--as-of", AS_OF, "--out", o, "subsidies"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list: String = pdf_text(&out.join("lists/2026-subsidies.pdf"), Some(1)).split_whitespace().collect();
    assert!(list.contains("赵㛃") && list.contains("批准") && list.contains("5,000.00"), "{list}");
    assert!(list.contains("肖宝根") && list.contains("审核中"), "{list}");
}
