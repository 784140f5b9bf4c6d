//! The clerk's desk (`tuiguan serve`), driven as the clerk drives it: in
//! the real Chromium for the pages and forms, and by plain HTTP for what a
//! hostile page or a second tab would send. Every server a test starts
//! listens on 127.0.0.1 (port 0: the system picks a free one) and is
//! stopped when the test ends, pass or fail.

#[path = "common/chrome.rs"]
mod chrome;
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use chrome::Browser;
use common::*;

/// A running desk; stopped (Ctrl-C, then killed if need be) when dropped.
struct Desk {
    child: Child,
    port: u16,
}

impl Desk {
    fn start(dir: &Path) -> Self {
        Self::start_with(dir, &[])
    }

    /// With `env` set for the server (the tests' fault injection).
    fn start_with(dir: &Path, env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tuiguan"))
            .args(["--data", "data", "--out", "out", "--as-of", AS_OF, "serve", "--no-open", "--port", "0"])
            .envs(env.iter().copied())
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        let port = first
            .trim()
            .strip_prefix("退管工作台已启动：http://127.0.0.1:")
            .and_then(|p| p.trim_end_matches('/').parse().ok())
            .unwrap_or_else(|| panic!("the desk did not start: {first}"));
        Desk { child, port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// One raw HTTP request; (status, headers, body).
    fn request(&self, method: &str, path: &str, host: &str, extra: &str, body: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{extra}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        self.request("GET", path, &format!("127.0.0.1:{}", self.port), "", "")
    }

    fn post(&self, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(form.iter().copied()).finish();
        self.request("POST", path, &format!("127.0.0.1:{}", self.port), "", &body)
    }

    fn token(&self) -> String {
        let (_, _, body) = self.get("/m/b1-007");
        let at = body.find("name=\"token\" value=\"").expect("a token in the form") + 20;
        body[at..at + 48].to_string()
    }

    /// Ctrl-C, as the clerk stops it: Ok(exit code).
    fn interrupt(&mut self) -> Option<i32> {
        // SAFETY: a signal to our own child process.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        for _ in 0..100 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Desk {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.interrupt();
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn member_file(data: &Path) -> PathBuf {
    data.join("members/b1/b1-007.yaml")
}

const VISIT: &[(&str, &str)] = &[
    ("date", "2026-11-25"),
    ("kind", "上门"),
    ("by", "何秀珍"),
    ("difficulties", "老伴住院: 需要陪护"),
    ("suggestions", "无"),
    ("plans", "春节回杭州"),
];

#[test]
fn a_visit_recorded_in_the_browser_is_written_as_a_clerk_would_and_taken_back_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let before = std::fs::read(member_file(&data)).unwrap();
    let desk = Desk::start(tmp.path());
    let mut b = Browser::launch(1366, 900);
    b.open(&desk.url("/"));
    assert_eq!(b.eval("document.querySelectorAll('table.list tbody tr').length"), 58);
    b.open(&desk.url("/m/b1-007"));
    assert_eq!(b.eval("document.querySelector('h1').textContent.trim().startsWith('孙昇')"), true);
    // The form as the clerk fills it: opened, a choice, typed text, the 三问.
    assert_eq!(b.eval("document.getElementById('form-visit').parentElement.open"), false, "forms start closed");
    b.click("#form-visit");
    assert_eq!(b.eval("document.getElementById('form-visit').parentElement.open"), true);
    b.eval("document.getElementById('visit-date').value = '2026-11-25'");
    b.eval("document.getElementById('visit-kind').value = '上门'");
    b.click("#visit-by");
    b.type_text("何秀珍");
    for (id, text) in [("difficulties", "老伴住院: 需要陪护"), ("suggestions", "无"), ("plans", "春节回杭州")]
    {
        b.click(&format!("#visit-{id}"));
        b.type_text(text);
    }
    b.click_and_wait("#form-visit + form button[type=submit]");
    // The change, in words and as the file's lines, before anything is written.
    let page = b.eval("document.querySelector('main').innerText").as_str().unwrap().to_string();
    assert!(page.contains("为 孙昇 登记走访：走访日期2026年11月25日；方式：上门；走访人：何秀珍"), "{page}");
    assert!(page.contains("+     difficulties: \"老伴住院: 需要陪护\""), "{page}");
    assert_eq!(std::fs::read(member_file(&data)).unwrap(), before, "nothing written by the preview");
    b.click_and_wait("button[value=save]");
    let page = b.eval("document.querySelector('main').innerText").as_str().unwrap().to_string();
    assert!(page.contains("已保存（操作记录第 1 号）"), "{page}");
    assert!(page.contains("走访记录（2 次）"), "{page}");
    let after = std::fs::read_to_string(member_file(&data)).unwrap();
    let added = "  - date: 2026-11-25\n    kind: 上门\n    by: 何秀珍\n    difficulties: \"老伴住院: 需要陪护\"\n    suggestions: 无\n    plans: 春节回杭州\n";
    assert_eq!(after, format!("{}{added}", String::from_utf8(before.clone()).unwrap()));
    // `check` reads it as the visit it is.
    let r = run_in(tmp.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // 操作记录: listed, taken back to the exact bytes.
    b.open(&desk.url("/log"));
    let log = b.eval("document.querySelector('main').innerText").as_str().unwrap().to_string();
    assert!(log.contains("孙昇") && log.contains("登记走访"), "{log}");
    b.click_and_wait("form[action='/log/undo'] button");
    assert_eq!(std::fs::read(member_file(&data)).unwrap(), before, "taken back byte for byte");
    let log = b.eval("document.querySelector('main').innerText").as_str().unwrap().to_string();
    assert!(log.contains("已撤销第 1 号操作"), "{log}");
    b.assert_clean();
}

#[test]
fn a_mistake_in_the_form_is_told_at_its_field_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let before = std::fs::read(member_file(&data)).unwrap();
    let desk = Desk::start(tmp.path());
    let token = desk.token();
    let (status, _, body) = desk.post(
        "/m/b1-007/visit",
        &[("token", &token), ("step", "save"), ("date", "2026-13-01"), ("kind", "视频"), ("by", "")],
    );
    assert_eq!(status, 409, "a save without the shown state is refused");
    let (status, _, body2) = desk.post(
        "/m/b1-007/visit",
        &[("token", &token), ("step", "preview"), ("date", "2026-13-01"), ("kind", "视频"), ("by", "")],
    );
    assert_eq!(status, 422);
    for said in ["“2026-13-01”不是有效日期", "方式只能是：上门、电话、书信", "请填写走访人", "请填写问困难"]
    {
        assert!(body2.contains(said), "{said} missing");
    }
    assert!(body.contains("又被改过") || status == 422);
    assert_eq!(std::fs::read(member_file(&data)).unwrap(), before);
}

#[test]
fn only_this_desks_own_pages_can_change_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let before = std::fs::read(member_file(&data)).unwrap();
    let desk = Desk::start(tmp.path());
    let token = desk.token();
    // Every answer: no framing, no CORS, no caching.
    let (status, head, _) = desk.get("/");
    assert_eq!(status, 200);
    assert!(head.contains("frame-ancestors 'none'"), "{head}");
    assert!(head.contains("X-Frame-Options: DENY"), "{head}");
    assert!(!head.to_lowercase().contains("access-control-allow"), "{head}");
    // Another name for this address (DNS rebinding): refused.
    let (status, _, _) = desk.request("GET", "/m/b1-007", &format!("evil.example:{}", desk.port), "", "");
    assert_eq!(status, 421);
    let mut form: Vec<(&str, &str)> = vec![("step", "save")];
    form.extend_from_slice(VISIT);
    // No token, a wrong token, another site's page with the token: 403.
    assert_eq!(desk.post("/m/b1-007/visit", &form).0, 403);
    let mut wrong = form.clone();
    wrong.push(("token", "0000"));
    assert_eq!(desk.post("/m/b1-007/visit", &wrong).0, 403);
    let mut with = form.clone();
    with.push(("token", &token));
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(with.iter().copied()).finish();
    let host = format!("127.0.0.1:{}", desk.port);
    let (status, _, _) = desk.request("POST", "/m/b1-007/visit", &host, "Origin: http://evil.example\r\n", &body);
    assert_eq!(status, 403);
    // A GET never changes anything.
    assert_eq!(desk.get("/log/undo").0, 404);
    assert_eq!(std::fs::read(member_file(&data)).unwrap(), before, "nothing written");
    // No path from a request: an id that is not a member's is no file.
    assert_eq!(desk.get("/m/..%2F..%2Forg.yaml").0, 404);
    assert_eq!(desk.get("/m/b1-007/..%2F..%2F..%2Forg.yaml").0, 404);
}

#[test]
fn two_tabs_saving_the_same_member_the_second_is_refused_and_nothing_is_lost() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    let token = desk.token();
    let shown_of = |body: &str| {
        let at = body.find("name=\"shown\" value=\"").unwrap() + 20;
        body[at..at + 32].to_string()
    };
    let preview = |fields: &[(&str, &str)]| {
        let mut form = vec![("token", token.as_str()), ("step", "preview")];
        form.extend_from_slice(fields);
        shown_of(&desk.post("/m/b1-007/visit", &form).2)
    };
    let other: &[(&str, &str)] = &[
        ("date", "2026-11-24"),
        ("kind", "电话"),
        ("by", "钱立群"),
        ("difficulties", "无"),
        ("suggestions", "无"),
        ("plans", "无"),
    ];
    // Both tabs show their change on the same file.
    let (shown1, shown2) = (preview(VISIT), preview(other));
    assert_eq!(shown1, shown2);
    let save = |fields: &[(&str, &str)], shown: &str| {
        let mut form = vec![("token", token.as_str()), ("step", "save"), ("shown", shown)];
        form.extend_from_slice(fields);
        desk.post("/m/b1-007/visit", &form)
    };
    assert_eq!(save(VISIT, &shown1).0, 303);
    let (status, _, body) = save(other, &shown2);
    assert_eq!(status, 409);
    assert!(body.contains("又被改过"), "{body}");
    let text = std::fs::read_to_string(member_file(&data)).unwrap();
    assert!(text.contains("plans: 春节回杭州"), "the first tab's visit stays");
    assert!(!text.contains("date: 2026-11-24"), "the second was not written over it");
}

#[test]
fn the_desk_holds_the_data_folder_and_stops_cleanly_on_ctrl_c() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let mut desk = Desk::start(tmp.path());
    // A second desk, an import that writes: told who holds the folder.
    let second = tuiguan(tmp.path(), &["--data", "data", "serve", "--no-open", "--port", "0"]);
    assert_eq!(second.code, 1, "{}", second.stderr);
    assert!(second.stderr.contains("另一个 tuiguan 正在用工作台管理 data"), "{}", second.stderr);
    assert!(second.stderr.contains("serve"), "{}", second.stderr);
    std::fs::write(tmp.path().join("a.csv"), "姓名,身份证号,住址\n王喆,330105192605232473,某市某路1号\n").unwrap();
    let import = run_in(tmp.path(), &["import", "a.csv", "--into", "data", "--update", "--write"]);
    assert_ne!(import.code, 0);
    assert!(import.stderr.contains("另一个 tuiguan 正在") && import.stderr.contains("serve"), "{}", import.stderr);
    assert_eq!(desk.interrupt(), Some(0), "Ctrl-C stops it with success");
    assert!(!data.join(".tuiguan-lock").exists(), "the lock is given back");
    assert!(std::net::TcpStream::connect(("127.0.0.1", desk.port)).is_err(), "no longer listening");
}

#[test]
fn a_member_card_is_printed_from_the_desk_into_out() {
    let tmp = tempfile::tempdir().unwrap();
    sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    let token = desk.token();
    let (status, head, _) = desk.post("/m/b1-007/print/card", &[("token", &token)]);
    assert_eq!(status, 303, "{head}");
    assert!(head.contains("Location: /m/b1-007/card.pdf"), "{head}");
    assert!(tmp.path().join("out/info-cards/b1-007.pdf").is_file());
    let (status, head, _) = desk.get("/m/b1-007/card.pdf");
    assert_eq!(status, 200);
    assert!(head.contains("application/pdf"), "{head}");
    let text = pdf_text(&tmp.path().join("out/info-cards/b1-007.pdf"), None);
    assert!(text.contains("孙昇"), "{text}");
    // The record to check, one page, this member's.
    let (status, head, _) = desk.post("/m/b1-007/print/confirm", &[("token", &token)]);
    assert_eq!(status, 303, "{head}");
    let (status, head, _) = desk.get("/m/b1-007/confirm.pdf");
    assert_eq!(status, 200);
    assert!(head.contains("application/pdf"), "{head}");
    let sheet = tmp.path().join("out/confirm/confirm-sheets.pdf");
    assert_eq!(pdf_info(&sheet).0, 1);
    assert!(pdf_text(&sheet, None).contains("孙昇"));
}

#[test]
fn the_backup_button_writes_a_checked_archive_beside_the_data_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    let (_, _, page) = desk.get("/backup");
    assert!(page.contains("还没有备份过"), "{page}");
    let token = desk.token();
    let (status, _, page) = desk.post("/backup", &[("token", &token)]);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("备份完成，已读回逐一核对"), "{page}");
    let archive = tmp.path().join(format!("退管数据备份/data-备份-{AS_OF}.zip"));
    assert!(archive.is_file());
    let r = tuiguan(tmp.path(), &["restore", archive.to_str().unwrap(), "--into", "恢复"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names = |d: &Path| {
        let mut v: Vec<_> = walkdir::WalkDir::new(d)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && !e.path().to_string_lossy().contains(".tuiguan"))
            .map(|e| (e.path().strip_prefix(d).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    };
    assert!(names(&tmp.path().join("恢复")) == names(&data));
    assert!(desk.get("/backup").2.contains("最近一次备份是 2026年11月26日"));
}

#[test]
fn a_departure_recorded_at_the_desk_issues_its_card_and_the_card_prints_with_a_code_that_scans() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    let token = desk.token();
    let fields: &[(&str, &str)] = &[
        ("start", "2026-12-01"),
        ("planned_end", "2027-04-30"),
        ("province", "海南省"),
        ("city", "三亚市"),
        ("county", "吉阳区"),
        ("address", "海棠湾某小区3栋"),
        ("fixed_location", "是"),
        ("near_home", "否"),
        ("reason", "外出过冬"),
        ("receiving_org.name", "三亚市吉阳区海棠社区党委"),
        ("receiving_org.phone", "0898 8866 1234"),
        ("phone_away", "139 0000 1111"),
    ];
    let mut form = vec![("token", token.as_str()), ("step", "preview")];
    form.extend_from_slice(fields);
    let (status, _, preview) = desk.post("/m/b1-004/departure", &form);
    assert_eq!(status, 200, "{preview}");
    // The rule's decision and the next numbers, before anything is written.
    assert!(preview.contains("外出约4个月 → 发放联系卡，卡号 LK2026-"), "{preview}");
    assert!(preview.contains("登记外出 W2026-"), "{preview}");
    let at = preview.find("name=\"shown\" value=\"").unwrap() + 20;
    let shown = preview[at..at + 32].to_string();
    let mut form = vec![("token", token.as_str()), ("step", "save"), ("shown", shown.as_str())];
    form.extend_from_slice(fields);
    assert_eq!(desk.post("/m/b1-004/departure", &form).0, 303);
    let text = std::fs::read_to_string(data.join("members/b1/b1-004.yaml")).unwrap();
    assert!(text.contains("    destination:\n      province: 海南省\n      city: 三亚市\n"), "{text}");
    assert!(text.contains("    card:\n      number: LK2026-"), "{text}");
    assert!(
        text.contains("    receiving_org:\n      name: 三亚市吉阳区海棠社区党委\n      phone: \"089888661234\"\n"),
        "{text}"
    );
    assert!(text.contains("    phone_away: \"13900001111\"\n"), "typed with spaces, written without: {text}");
    // `check` agrees with what was recorded.
    let r = run_in(tmp.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("赵㛃（海南省三亚市吉阳区）：登记为发放联系卡"), "{}", r.stderr);
    // Printed from the desk: the form and the card, each a link.
    let (status, _, page) = desk.post("/m/b1-004/print/departures", &[("token", &token)]);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("外出党员登记表 W2026-") && page.contains("联系卡"), "{page}");
    let card = tmp.path().join("out/contact-cards/b1-004.pdf");
    let (status, head, _) = desk.get("/m/b1-004/paper/card");
    assert_eq!(status, 200, "{head}");
    assert!(pdf_text(&card, None).contains("LK2026-"));
    // The back's QR codes scan to the branch's contacts, as a phone at
    // arm's length reads them (120 dpi).
    let png = tmp.path().join("back");
    let ok = Command::new("pdftoppm")
        .args(["-f", "2", "-l", "2", "-r", "120", "-gray", "-singlefile", "-png"])
        .arg(&card)
        .arg(&png)
        .status()
        .unwrap();
    assert!(ok.success());
    let zbar = Command::new("zbarimg").args(["-q", "--raw"]).arg(png.with_extension("png")).output().unwrap();
    let read = String::from_utf8_lossy(&zbar.stdout);
    assert_eq!(read.lines().count(), 4, "the office phone and three committee members: {read}");
    assert!(read.contains("MECARD:N:第一离退休党支部（集团机关）;TEL:0571-88102235;"), "zbar read: {read}");
}

/// Preview, then save, a form of `record` for member `id`: the save's status.
fn save(desk: &Desk, id: &str, record: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let token = desk.token();
    let mut form = vec![("token", token.as_str()), ("step", "preview")];
    form.extend_from_slice(fields);
    let (status, _, preview) = desk.post(&format!("/m/{id}/{record}"), &form);
    if status != 200 {
        return (status, preview);
    }
    let at = preview.find("name=\"shown\" value=\"").unwrap() + 20;
    let shown = preview[at..at + 32].to_string();
    let mut form = vec![("token", token.as_str()), ("step", "save"), ("shown", shown.as_str())];
    form.extend_from_slice(fields);
    let (status, _, body) = desk.post(&format!("/m/{id}/{record}"), &form);
    (status, body)
}

#[test]
fn a_death_recorded_at_the_desk_takes_the_member_off_the_letters_and_a_check_is_dated() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    // 恢复联系 only for someone out of contact.
    let (status, body) = save(&desk, "b1-007", "status", &[("kind", "恢复联系"), ("date", "2026-11-20")]);
    assert_eq!(status, 422);
    assert!(body.contains("只用于失联或停止党籍的党员"), "{body}");
    // 转出 says to whom.
    let (status, body) = save(&desk, "b1-007", "status", &[("kind", "转出"), ("date", "2026-11-20")]);
    assert_eq!(status, 422);
    assert!(body.contains("转出的请写明转往哪个党组织"), "{body}");
    assert_eq!(save(&desk, "b1-007", "status", &[("kind", "去世"), ("date", "2026-11-20"), ("reason", "病故")]).0, 303);
    let text = std::fs::read_to_string(data.join("members/b1/b1-007.yaml")).unwrap();
    assert!(text.contains("\nstatus:\n  kind: 去世\n  date: 2026-11-20\n  reason: 病故\n"), "{text}");
    assert_eq!(save(&desk, "b1-010", "confirm", &[("date", "2026-11-25")]).0, 303);
    assert!(std::fs::read_to_string(data.join("members/b1/b1-010.yaml")).unwrap().contains("confirmed: 2026-11-25\n"));
    // No letter for the member who died; the others get theirs.
    let r = run_in(tmp.path(), &["letters", "--holiday", "春节", "--year", "2027"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let letters = tmp.path().join("out/letters/2027-春节");
    assert!(letters.join("b1-010.pdf").is_file(), "{}", r.stderr);
    assert!(!letters.join("b1-007.pdf").exists(), "no letter after a death");
    // Off the list, and the page says so.
    assert!(!desk.get("/").2.contains("/m/b1-007\""));
    assert!(desk.get("/m/b1-007").2.contains("去世 2026-11-20"));
}

#[test]
fn a_dues_payment_is_computed_by_the_rules_and_lands_in_the_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    // 异地交纳 says where.
    let (status, body) =
        save(&desk, "b1-007", "dues", &[("months", "2026-12"), ("paid", "2026-11-26"), ("how", "异地交纳")]);
    assert_eq!(status, 422);
    assert!(body.contains("异地交纳的请写明交在哪个党组织"), "{body}");
    // b1-007's base for 2026 is 4,980: 0.5 % a month, 24.90.
    let token = desk.token();
    let (_, _, preview) = desk.post(
        "/m/b1-007/dues",
        &[("token", &token), ("step", "preview"), ("months", "2026-12"), ("paid", "2026-11-26")],
    );
    assert!(preview.contains("金额（按规定算）：24.90"), "{preview}");
    assert_eq!(save(&desk, "b1-007", "dues", &[("months", "2026-12"), ("paid", "2026-11-26")]).0, 303);
    let text = std::fs::read_to_string(data.join("members/b1/b1-007.yaml")).unwrap();
    assert!(text.contains("    - months: 2026-12\n      amount: 24.90\n      paid: 2026-11-26\ncontacts:"), "{text}");
    // The ledger the dues papers print from has it.
    let r = run_in(tmp.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run_in(tmp.path(), &["dues"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn the_desk_killed_in_the_middle_of_a_save_leaves_every_file_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let before = std::fs::read_to_string(member_file(&data)).unwrap();
    // The server dies (as kill -9) once the save's journal is written,
    // before the member file is replaced.
    let mut desk = Desk::start_with(tmp.path(), &[("TUIGUAN_TEST_ABORT_AFTER", "0")]);
    let (status, _) = save(&desk, "b1-007", "visit", VISIT);
    assert_ne!(status, 303, "the save did not finish");
    let _ = desk.child.wait();
    // Whole: as before, or with the visit — never half.
    let now = std::fs::read_to_string(member_file(&data)).unwrap();
    assert!(now == before || now.contains("plans: 春节回杭州\n"), "{now}");
    // The next run finishes what the journal decided, and the data reads.
    let r = run_in(tmp.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("上次导入（或工作台的保存）在写入途中被中断，已按记录补完"), "{}", r.stderr);
    let after = std::fs::read_to_string(member_file(&data)).unwrap();
    assert!(after.starts_with(&before) && after.ends_with("    plans: 春节回杭州\n"), "{after}");
    let strays: Vec<_> = walkdir::WalkDir::new(&data)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tuiguan-import"))
        .collect();
    assert!(strays.is_empty(), "{strays:?}");
}

#[test]
fn a_return_is_written_into_its_departure_and_the_member_is_home() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    // The form offers the departure under way.
    assert!(desk.get("/m/b1-007").2.contains("name=\"departure\" value=\"W2026-01\""));
    let (status, body) = save(&desk, "b1-007", "return", &[("departure", "W2026-01"), ("returned", "2026-10-01")]);
    assert_eq!(status, 422);
    assert!(body.contains("返回日期早于外出日期 2026-10-15"), "{body}");
    let (status, body) = save(&desk, "b1-007", "return", &[("departure", "W2026-07"), ("returned", "2026-11-25")]);
    assert_eq!(status, 422);
    assert!(body.contains("这位党员的外出编号：W2026-01"), "{body}");
    let before = std::fs::read_to_string(data.join("members/b1/b1-007.yaml")).unwrap();
    let fields: &[(&str, &str)] = &[
        ("departure", "W2026-01"),
        ("returned", "2026-11-25"),
        ("card_returned", "2026-11-25"),
        ("report", "在深圳参加社区党组织活动，党费按月交纳"),
    ];
    assert_eq!(save(&desk, "b1-007", "return", fields).0, 303);
    let after = std::fs::read_to_string(data.join("members/b1/b1-007.yaml")).unwrap();
    let added = "    dues_paid_to: \"2026-10\"\n    returned: 2026-11-25\n    card_returned: 2026-11-25\n    report: 在深圳参加社区党组织活动，党费按月交纳\n";
    assert_eq!(after, before.replacen("    dues_paid_to: \"2026-10\"\n", added, 1));
    let r = run_in(tmp.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("W2026-01 孙昇"), "no longer listed as away: {}", r.stderr);
    assert!(desk.get("/m/b1-007").2.contains("<dt>现在</dt><dd>在家</dd>"));
}

#[test]
fn the_print_panel_makes_a_festivals_letters_a_report_and_the_visit_plan_into_out() {
    let tmp = tempfile::tempdir().unwrap();
    sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    let (status, _, page) = desk.get("/print");
    assert_eq!(status, 200);
    assert!(page.contains("<option value=\"元旦\" selected>"), "the next festival chosen: {page}");
    let token = desk.token();
    let (status, _, page) = desk.post("/print/letters", &[("token", &token), ("holiday", "春节"), ("year", "2027")]);
    assert_eq!(status, 200, "{page}");
    for label in ["慰问信", "信封", "送达登记表", "电话慰问名单"] {
        assert!(page.contains(&format!(">{label}</a>")), "{label}: {page}");
    }
    let (status, head, _) = desk.get("/print/file/0");
    assert_eq!(status, 200);
    assert!(head.contains("application/pdf"), "{head}");
    assert!(pdf_text(&tmp.path().join("out/letters/2027-春节.pdf"), Some(1)).contains("春节"));
    // A period that is none, a festival the office has not: told, nothing run.
    assert_eq!(desk.post("/print/report", &[("token", &token), ("period", "2026-Q5")]).0, 422);
    assert_eq!(desk.post("/print/letters", &[("token", &token), ("holiday", "圣诞"), ("year", "2027")]).0, 422);
    let (status, _, page) = desk.post("/print/report", &[("token", &token), ("period", "2026-Q3")]);
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(">备案报告</a>") && tmp.path().join("out/reports/filing-2026-Q3.pdf").is_file(), "{page}");
    let (status, _, page) = desk.post("/print/visits", &[("token", &token)]);
    assert_eq!(status, 200);
    assert!(page.contains(">走访计划</a>") && page.contains(">手机日历</a>"), "{page}");
    // The letters' link on the first page still opens the letters, not the
    // latest run's first paper.
    let (_, head, served) = desk.get("/print/file/0");
    assert!(head.contains("application/pdf"));
    let file = std::fs::read(tmp.path().join("out/letters/2027-春节.pdf")).unwrap();
    let tail = String::from_utf8_lossy(&file[file.len() - 24..]).into_owned();
    assert!(served.contains(&tail), "the letters' own ending {tail:?} served as /print/file/0");
    // Printed on purpose: a plain build later keeps the festival's letters.
    assert_eq!(run_in(tmp.path(), &["build"]).code, 0);
    assert!(tmp.path().join("out/letters/2027-春节.pdf").is_file());
}

#[test]
fn a_branchs_month_of_dues_is_one_save_and_one_take_back() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    let (status, _, sheet) = desk.get("/dues/b1?month=2026-12");
    assert_eq!(status, 200, "{sheet}");
    // b1-007 pays 24.90 a month (base 4,980).
    assert!(sheet.contains("value=\"b1-007\""), "{sheet}");
    // Another one offered (not paid ahead like 谭长林).
    assert!(!sheet.contains("value=\"b1-010\""), "b1-010 paid 2026-12 ahead: {sheet}");
    let other = sheet
        .match_indices("name=\"paid_by\" value=\"")
        .map(|(i, m)| sheet[i + m.len()..].split('"').next().unwrap().to_string())
        .find(|id| id != "b1-007")
        .unwrap();
    let (a, b) = (data.join("members/b1/b1-007.yaml"), data.join(format!("members/b1/{other}.yaml")));
    let (a0, b0) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let token = desk.token();
    let (status, head, body) = desk.post(
        "/dues/b1",
        &[("token", &token), ("month", "2026-12"), ("paid", "2026-11-26"), ("paid_by", "b1-007"), ("paid_by", &other)],
    );
    assert_eq!(status, 303, "{body}");
    assert!(head.contains("saved=1"), "{head}");
    let text = std::fs::read_to_string(&a).unwrap();
    assert!(text.contains("    - months: 2026-12\n      amount: 24.90\n      paid: 2026-11-26\n"), "{text}");
    assert!(std::fs::read_to_string(&b).unwrap().contains("    - months: 2026-12\n"));
    // Now shown as paid, and not offered again.
    let (_, _, sheet) = desk.get("/dues/b1?month=2026-12");
    assert!(!sheet.contains("value=\"b1-007\""), "{sheet}");
    let (status, _, _) = desk
        .post("/dues/b1", &[("token", &token), ("month", "2026-12"), ("paid", "2026-11-26"), ("paid_by", "b1-007")]);
    assert_eq!(status, 409, "paid already");
    assert_eq!(run_in(tmp.path(), &["check"]).code, 0);
    // One take-back restores both files.
    assert_eq!(desk.post("/log/undo", &[("token", &token), ("number", "1")]).0, 303);
    assert_eq!(std::fs::read(&a).unwrap(), a0);
    assert_eq!(std::fs::read(&b).unwrap(), b0);
}

/// Preview, then save, the 新增党员 form: the save's status and page.
fn save_new(desk: &Desk, fields: &[(&str, &str)]) -> (u16, String, String) {
    let token = desk.token();
    let mut form = vec![("token", token.as_str()), ("step", "preview")];
    form.extend_from_slice(fields);
    let (status, _, preview) = desk.post("/new", &form);
    if status != 200 {
        return (status, String::new(), preview);
    }
    let mut form = vec![("token", token.as_str()), ("step", "save")];
    form.extend_from_slice(fields);
    desk.post("/new", &form)
}

#[test]
fn a_new_member_is_added_then_filled_in_and_every_step_taken_back() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    let branch = "第二离退休党支部（铸锻分厂）";
    let group = "第二离退休党支部（铸锻分厂） · 铸锻第一党小组";
    let mut fields = vec![
        ("branch", branch),
        ("group", group),
        ("name", "林秀英"),
        ("id_number", "330105195203151245"),
        ("ethnicity", "汉族"),
        ("address", "杭州市拱墅区和睦路88号2幢301室"),
        ("mobile", "13905710001"),
        ("joined_party", "1975-07-01"),
        ("full_member", "1976-07-01"),
        ("pension", "4,200"),
    ];
    // A wrong check digit and an ID number already on the books: at the field.
    let (status, _, body) = save_new(&desk, &fields);
    assert_eq!(status, 422);
    assert!(body.contains("校验位错误：最后一位是 5，按前 17 位应为 4"), "{body}");
    fields[3].1 = "330102194603226811";
    let (status, _, body) = save_new(&desk, &fields);
    assert_eq!(status, 422);
    assert!(body.contains("同一人不要重复登记"), "{body}");
    // Right: written as the import writes a member, under the next number.
    fields[3].1 = "330105195203151244";
    let (status, location, _) = save_new(&desk, &fields);
    assert_eq!(status, 303, "{location}");
    let file = data.join("members/b2/b2-060.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    for line in [
        "id: b2-060\n",
        "name: 林秀英\n",
        "sex: 女\n",
        "id_number: \"330105195203151244\"\n",
        "native_place:  # 待补充\n",
        "branch: b2\n",
        "group: b2-g1\n",
        "pension: 4200\n",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    assert!(location.contains("/m/b2-060"), "{location}");
    assert!(desk.get("/m/b2-060").2.contains("林秀英"));
    // The same again is refused: the ID number is on the books now.
    assert_eq!(save_new(&desk, &fields).0, 422);

    // Filled in on the member's page: a relative, the basic information, a subsidy.
    let (status, body) =
        save(&desk, "b2-060", "family", &[("name", "林涛"), ("relation", "儿子"), ("phone", "1390571")]);
    assert_eq!(status, 422);
    assert!(body.contains("不是有效的电话号码"), "{body}");
    let family = [("name", "林涛"), ("relation", "儿子"), ("phone", "13905710002")];
    assert_eq!(save(&desk, "b2-060", "family", &family).0, 303);
    let mut basic: Vec<(&str, &str)> = vec![
        ("native_place", "浙江绍兴"),
        ("address", "杭州市拱墅区和睦路88号2幢301室"),
        ("mobile", "13905710001"),
        ("health.status", "重病"),
        ("health.since", "2026-11-02"),
        ("pension", "4200"),
        ("postcode", "31001"),
    ];
    let (status, body) = save(&desk, "b2-060", "basic", &basic);
    assert_eq!(status, 422);
    assert!(body.contains("邮政编码“31001”应为 6 位数字"), "{body}");
    basic[6].1 = "310011";
    assert_eq!(save(&desk, "b2-060", "basic", &basic).0, 303);
    let subsidy = [("applied", "2026-11-20"), ("decision", "审核中"), ("notes", "住院化疗")];
    assert_eq!(save(&desk, "b2-060", "subsidy", &subsidy).0, 303);
    let text = std::fs::read_to_string(&file).unwrap();
    for line in [
        "family_contacts:\n  - name: 林涛\n    relation: 儿子\n    phone: \"13905710002\"\n",
        "native_place: 浙江绍兴\n",
        "postcode: \"310011\"\n",
        "health:\n  status: 重病\n  since: 2026-11-02\n",
        "subsidies:\n  - applied: 2026-11-20\n    decision: 审核中\n    notes: 住院化疗\n",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    // The office reads it with no error, and the serious illness is due a visit.
    let r = run_in(tmp.path(), &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let about: Vec<&str> = r.stderr.lines().filter(|l| l.contains("b2-060.yaml")).collect();
    assert!(about.iter().all(|l| !l.contains("错误")), "no error in the new file: {about:?}");
    assert!(about.iter().any(|l| l.contains("身患重病（2026年11月2日登记），应在7天内上门走访")), "{about:?}");
    assert!(desk.get("/m/b2-060").2.contains("审核中"));

    // Every step taken back, the newest first; the last takes the file away.
    let token = desk.token();
    for n in (1..=4).rev() {
        assert_eq!(desk.post("/log/undo", &[("token", &token), ("number", &n.to_string())]).0, 303, "undo {n}");
    }
    assert!(!file.exists(), "the new member's file is gone again");
    assert_eq!(desk.get("/m/b2-060").0, 404);
}

#[test]
fn departures_for_a_stay_that_needs_a_card_says_so_and_issue_card_issues_the_next_number() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let file = data.join("members/b1/b1-001.yaml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(
        "departures:\n  - id: W2026-20\n    destination:\n      province: 海南省\n      city: 三亚市\n    start: 2026-11-10\n    planned_end: 2027-04-10\n    fixed_location: true\n    near_home: false\n",
    );
    std::fs::write(&file, &text).unwrap();
    let r = run_in(tmp.path(), &["departures", "--member", "b1-001"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("W2026-20 王喆按规定应发放联系卡，但还没有登记卡号，所以没有印联系卡。加 --issue-card"),
        "{}",
        r.stderr
    );
    assert!(!tmp.path().join("out/contact-cards/b1-001.pdf").exists());
    let r = run_in(tmp.path(), &["departures", "--member", "b1-001", "--issue-card"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The next number of the year: the sample has issued LK2026-001 … 008.
    assert!(r.stderr.contains("已发放 W2026-20 王喆：联系卡 LK2026-009，2026年11月26日 发"), "{}", r.stderr);
    let now = std::fs::read_to_string(&file).unwrap();
    assert_eq!(now, format!("{text}    card:\n      number: LK2026-009\n      issued: 2026-11-26\n"));
    let card = pdf_text(&tmp.path().join("out/contact-cards/b1-001.pdf"), None);
    assert!(card.contains("LK2026-009") && card.contains("王喆"), "{card}");
    // Again: nothing more to issue, nothing written.
    let r = run_in(tmp.path(), &["departures", "--member", "b1-001", "--issue-card"]);
    assert!(r.stderr.contains("没有要发的联系卡"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), now);
}

/// The page fits the phone's width: nothing wider than the screen but a
/// table that scrolls inside its own box.
fn fits(b: &mut Browser, width: u32) {
    let wide = b.eval("document.documentElement.scrollWidth");
    assert!(wide.as_u64().unwrap() <= width as u64, "the page is {wide} px wide at {width}");
}

fn main_text(b: &mut Browser) -> String {
    b.eval("document.querySelector('main').innerText").as_str().unwrap().to_string()
}

/// A clerk's day in the real browser, at a phone's width: a departure
/// recorded with its card and its papers printed, a branch's month of
/// dues ticked, the same member saved from two tabs, a death.
#[test]
fn a_clerks_day_in_the_browser_at_a_phones_width() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    let mut b = Browser::launch(390, 844);

    // 登记外出: the rule's decision and the card's number before saving.
    b.open(&desk.url("/m/b1-001"));
    fits(&mut b, 390);
    b.click("#form-departure");
    for (id, v) in [
        ("start", "2026-11-20"),
        ("planned_end", "2027-04-10"),
        ("province", "海南省"),
        ("city", "三亚市"),
        ("fixed_location", "是"),
        ("near_home", "否"),
        ("reason", "外出过冬"),
    ] {
        b.eval(&format!("document.getElementById('departure-{id}').value = '{v}'"));
    }
    b.click_and_wait("#form-departure + form button[type=submit]");
    fits(&mut b, 390);
    let page = main_text(&mut b);
    assert!(page.contains("发放联系卡") && page.contains("LK2026-009"), "{page}");
    b.click_and_wait("button[value=save]");
    assert!(main_text(&mut b).contains("已保存（操作记录第 1 号）"));
    let text = std::fs::read_to_string(data.join("members/b1/b1-001.yaml")).unwrap();
    assert!(text.contains("      number: LK2026-009\n"), "{text}");
    // 打印外出文书: the form and the card, into out/, linked.
    b.click_and_wait("form[action='/m/b1-001/print/departures'] button");
    fits(&mut b, 390);
    let page = main_text(&mut b);
    assert!(page.contains("联系卡") && page.contains("登记表"), "{page}");
    let card = tmp.path().join("out/contact-cards/b1-001.pdf");
    assert!(pdf_text(&card, None).contains("LK2026-009"));

    // 党费: a branch's month, two ticked, one save.
    b.open(&desk.url("/dues/b1?month=2026-12"));
    fits(&mut b, 390);
    b.eval("document.querySelectorAll('input[name=paid_by]')[0].checked = true");
    b.eval("document.querySelectorAll('input[name=paid_by]')[1].checked = true");
    b.click_and_wait("form[action='/dues/b1'] button.primary");
    let page = main_text(&mut b);
    assert!(page.contains("已保存（操作记录第 2 号）"), "{page}");

    // Two tabs on the same member: the second save is refused, nothing lost.
    let mut other = Browser::launch(1366, 900);
    for tab in [&mut b, &mut other] {
        tab.open(&desk.url("/m/b1-010"));
        tab.click("#form-contact");
        tab.eval("document.getElementById('contact-date').value = '2026-11-25'");
        tab.eval("document.getElementById('contact-channel').value = '电话'");
        tab.eval("document.getElementById('contact-by').value = '钱立群'");
    }
    b.eval("document.getElementById('contact-summary').value = '在三亚，一切都好'");
    other.eval("document.getElementById('contact-summary').value = '春节前回杭州'");
    b.click_and_wait("#form-contact + form button[type=submit]");
    other.click_and_wait("#form-contact + form button[type=submit]");
    b.click_and_wait("button[value=save]");
    assert!(main_text(&mut b).contains("已保存"));
    other.click_and_wait("button[value=save]");
    let page = main_text(&mut other);
    assert!(page.contains("又被改过") && page.contains("这次没有保存"), "{page}");
    let text = std::fs::read_to_string(data.join("members/b1/b1-010.yaml")).unwrap();
    assert!(text.contains("在三亚，一切都好") && !text.contains("春节前回杭州"), "{text}");
    // (The refusal is a 409, which the browser logs: that tab is not asked to be clean.)
    drop(other);

    // 党籍变动: a death, then off the list.
    b.open(&desk.url("/m/b1-007"));
    b.click("#form-status");
    b.eval("document.getElementById('status-kind').value = '去世'");
    b.eval("document.getElementById('status-date').value = '2026-11-24'");
    b.click_and_wait("#form-status + form button[type=submit]");
    b.click_and_wait("button[value=save]");
    assert!(main_text(&mut b).contains("去世 2026-11-24"));
    b.open(&desk.url("/"));
    fits(&mut b, 390);
    assert_eq!(b.eval("document.querySelectorAll('a[href=\"/m/b1-007\"]').length"), 0);
    b.open(&desk.url("/log"));
    fits(&mut b, 390);
    assert!(main_text(&mut b).contains("党籍变动"));
    b.assert_clean();
}

#[test]
fn the_desk_refuses_what_a_careful_clerk_would_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let data = sample_office(tmp.path());
    let desk = Desk::start(tmp.path());
    // Months already paid: named, nothing written.
    let before = std::fs::read(data.join("members/b1/b1-001.yaml")).unwrap();
    let (status, body) = save(&desk, "b1-001", "dues", &[("months", "2026-12"), ("paid", "2026-11-26")]);
    assert_eq!(status, 422);
    assert!(body.contains("2026年12月已交过"), "{body}");
    assert_eq!(std::fs::read(data.join("members/b1/b1-001.yaml")).unwrap(), before);
    // A waived member's payment for next year goes under dues: (a list after it).
    let (status, body) =
        save(&desk, "b1-013", "dues", &[("months", "2027-01"), ("amount", "0.20"), ("paid", "2026-11-26")]);
    assert_eq!(status, 303, "{body}");
    assert!(
        std::fs::read_to_string(data.join("members/b1/b1-013.yaml"))
            .unwrap()
            .contains("  payments:\n    - months: 2027-01\n")
    );
    // A member who died: only the 党籍 itself, no visit.
    assert_eq!(save(&desk, "b1-007", "status", &[("kind", "去世"), ("date", "2026-11-20")]).0, 303);
    let (status, body) = save(&desk, "b1-007", "visit", VISIT);
    assert_eq!(status, 422);
    assert!(body.contains("已于2026年11月20日去世，不再登记走访"), "{body}");
    assert!(!desk.get("/m/b1-007").2.contains("id=\"form-visit\""), "no visit form for him");
    // Found by a search all the same, said to have died.
    let (_, _, list) = desk.get("/?q=%E5%AD%99%E6%98%87");
    assert!(list.contains("/m/b1-007") && list.contains("去世"), "{list}");
    // Every mistake listed at the top, each a link to its field; dates typed the Chinese way are read.
    let token = desk.token();
    let (status, _, page) = desk.post(
        "/m/b1-010/visit",
        &[("token", &token), ("step", "preview"), ("date", "2026年11月25日"), ("kind", "上门"), ("by", "")],
    );
    assert_eq!(status, 422);
    assert!(page.contains("有 4 处要改"), "{page}");
    assert!(page.contains("<a href=\"#visit-by\">走访人</a>"), "{page}");
    assert!(!page.contains("“2026年11月25日”不是有效日期"), "{page}");
    // A form sent under an old token (the desk restarted): 403, nothing
    // written, and what was typed shown again to send once more.
    let (status, _, page) = desk.post(
        "/m/b1-010/contact",
        &[
            ("token", "0123"),
            ("step", "save"),
            ("date", "2026-11-25"),
            ("channel", "电话"),
            ("by", "钱立群"),
            ("summary", "在三亚过冬"),
        ],
    );
    assert_eq!(status, 403);
    assert!(page.contains("工作台重启过") && page.contains("在三亚过冬"), "{page}");
    // 新增党员: the ID number's mistake told with the others, at once.
    let (status, _, page) = desk.post(
        "/new",
        &[
            ("token", &token),
            ("step", "preview"),
            ("branch", "第二离退休党支部（铸锻分厂）"),
            ("name", ""),
            ("id_number", "330105195203151245"),
            ("ethnicity", "汉族"),
        ],
    );
    assert_eq!(status, 422);
    assert!(page.contains("请填写姓名") && page.contains("校验位错误"), "{page}");
}
