//! The register in a real browser: Debian's Chromium, headless, driven
//! over the DevTools protocol. Opens index.html from disk, types in the
//! search, picks a branch with the keyboard, sorts by a click on the age
//! header, reloads, and checks the visible rows each time; any console
//! error, script exception, dialog or Content-Security-Policy violation
//! fails the test. CI installs `chromium` (see .ci/run).

mod common;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// Records CSP violations from the first moment of every document.
const WATCH_CSP: &str = "window.__csp = []; document.addEventListener('securitypolicyviolation', \
     function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });";

struct Browser {
    child: Child,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    session: String,
    next: u64,
    /// Console errors, exceptions, dialogs: anything here fails the test.
    problems: Vec<String>,
    loaded: bool,
    _profile: tempfile::TempDir,
}

fn chromium() -> PathBuf {
    for c in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(out) = Command::new("which").arg(c).output()
            && out.status.success()
        {
            return PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        }
    }
    panic!("the browser test needs Chromium: apt-get install -y chromium (.ci/run does)");
}

impl Browser {
    fn launch(width: u32, height: u32) -> Self {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(chromium())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                &format!("--window-size={width},{height}"),
                &format!("--user-data-dir={}", profile.path().display()),
                "about:blank",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        // Chromium writes the port it chose and the browser's path here.
        let port_file = profile.path().join("DevToolsActivePort");
        let start = Instant::now();
        let text = loop {
            if let Ok(t) = std::fs::read_to_string(&port_file)
                && t.lines().count() >= 2
            {
                break t;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "chromium did not start");
            std::thread::sleep(Duration::from_millis(100));
        };
        let mut lines = text.lines();
        let (port, path) = (lines.next().unwrap(), lines.next().unwrap());
        let (ws, _) = tungstenite::connect(format!("ws://127.0.0.1:{port}{path}")).expect("connect to chromium");
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        }
        let mut b = Browser {
            child,
            ws,
            session: String::new(),
            next: 0,
            problems: Vec::new(),
            loaded: false,
            _profile: profile,
        };
        let target = b.call_browser("Target.createTarget", json!({ "url": "about:blank" }));
        let target = target["targetId"].as_str().unwrap().to_string();
        let attached = b.call_browser("Target.attachToTarget", json!({ "targetId": target, "flatten": true }));
        b.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            b.call(domain, json!({}));
        }
        b.call("Page.addScriptToEvaluateOnNewDocument", json!({ "source": WATCH_CSP }));
        b.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        );
        b
    }

    fn send(&mut self, session: Option<String>, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).unwrap();
        loop {
            let v = self.read();
            if v["id"] == json!(id) {
                if let Some(e) = v.get("error") {
                    panic!("{method}: {e}");
                }
                return v["result"].clone();
            }
        }
    }

    fn call_browser(&mut self, method: &str, params: Value) -> Value {
        self.send(None, method, params)
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        let s = self.session.clone();
        self.send(Some(s), method, params)
    }

    /// The next message; events are noted on the way.
    fn read(&mut self) -> Value {
        let msg = self.ws.read().expect("message from chromium");
        let Message::Text(t) = msg else { return Value::Null };
        let v: Value = serde_json::from_str(t.as_str()).unwrap();
        let p = &v["params"];
        match v["method"].as_str() {
            Some("Page.loadEventFired") => self.loaded = true,
            Some("Runtime.exceptionThrown") => self.problems.push(format!("exception: {}", p["exceptionDetails"])),
            Some("Runtime.consoleAPICalled") if matches!(p["type"].as_str(), Some("error" | "assert")) => {
                self.problems.push(format!("console.{}: {}", p["type"], p["args"]))
            }
            Some("Log.entryAdded") if p["entry"]["level"] == "error" => {
                self.problems.push(format!("log: {}", p["entry"]["text"]))
            }
            Some("Page.javascriptDialogOpening") => {
                self.problems.push(format!("dialog: {}", p["message"]));
                let s = self.session.clone();
                let msg = json!({ "id": 0, "method": "Page.handleJavaScriptDialog", "params": { "accept": true }, "sessionId": s });
                self.ws.send(Message::text(msg.to_string())).unwrap();
            }
            _ => {}
        }
        v
    }

    fn wait_for_load(&mut self) {
        let start = Instant::now();
        while !self.loaded {
            assert!(start.elapsed() < Duration::from_secs(30), "page did not load");
            self.read();
        }
    }

    fn open(&mut self, url: &str) {
        self.loaded = false;
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_for_load();
    }

    fn reload(&mut self) {
        self.loaded = false;
        self.call("Page.reload", json!({}));
        self.wait_for_load();
    }

    fn eval(&mut self, js: &str) -> Value {
        let r = self.call("Runtime.evaluate", json!({ "expression": js, "returnByValue": true }));
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{js}: {e}");
        }
        r["result"]["value"].clone()
    }

    fn key(&mut self, key: &str, code: u32) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code }),
            );
        }
    }

    fn type_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({ "text": text }));
    }

    /// A real mouse click in the middle of the element `selector`.
    fn click(&mut self, selector: &str) {
        let r = self.eval(&format!(
            "(function () {{ var e = document.querySelector({selector:?}); e.scrollIntoView({{ block: 'center' }}); \
             var r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
        ));
        let (x, y) = (r[0].as_f64().unwrap(), r[1].as_f64().unwrap());
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            );
        }
    }

    /// The names in the visible rows of the register, top to bottom.
    fn visible(&mut self) -> Vec<String> {
        let v = self.eval(
            "Array.from(document.querySelectorAll('#register tbody tr'))\
             .filter(function (r) { return !r.hidden && r.getClientRects().length > 0; })\
             .map(function (r) { return r.cells[0].textContent; })",
        );
        v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
    }

    /// Drain pending events, then fail on anything that went wrong.
    fn assert_clean(&mut self) {
        let csp = self.eval("window.__csp ? window.__csp.join('\\n') : 'watcher missing'");
        assert_eq!(csp, json!(""), "Content-Security-Policy violations");
        self.eval("0");
        assert!(self.problems.is_empty(), "browser reported: {:#?}", self.problems);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Standard base64 (what the DevTools protocol sends binary data as).
fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, c)| n | (u32::from(value(*c)) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.canonicalize().unwrap().display())
}

#[test]
fn search_filter_sort_and_reload_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let data = hostile_office(dir.path());
    let out = dir.path().join("out");
    build_register(&data, &out);
    let index = out.join("register/index.html");
    let mut b = Browser::launch(1280, 900);
    b.open(&file_url(&index));
    assert_eq!(b.eval("document.getElementById('filters').hidden"), json!(false), "the script shows the filters");
    assert_eq!(b.visible().len(), 62);
    assert_eq!(b.eval("document.getElementById('count').textContent"), json!("共 62 人"));
    // Hostile names are text: shown as written, nothing ran.
    let all = b.visible();
    for name in HOSTILE_NAMES {
        assert!(all.contains(&name.to_string()), "{name} shown as text");
    }
    assert_eq!(b.eval("document.querySelectorAll('img, #register script').length"), json!(0));

    // A name typed in Chinese.
    b.eval("document.getElementById('f-q').focus()");
    b.type_text("宝根");
    let mut names = b.visible();
    names.sort();
    assert_eq!(names, ["李宝根", "肖宝根", "陆宝根"]);
    // Pinyin initials: 曾 as a surname reads zēng, so zqm is 曾启明 and not 宋启明 (sqm).
    b.eval("document.getElementById('f-q').select()");
    b.key("Backspace", 8);
    assert_eq!(b.visible().len(), 62, "clearing the search shows everyone");
    b.type_text("zqm");
    assert_eq!(b.visible(), ["曾启明"]);
    b.eval("document.getElementById('f-q').select()");
    b.key("Backspace", 8);
    b.type_text("hht");
    assert_eq!(b.visible(), ["韩洪涛"]);
    b.eval("document.getElementById('f-q').select()");
    b.key("Backspace", 8);

    // Sorting by branch follows org.yaml's order, not the characters' code points.
    b.click("th[data-key=branch] button");
    b.click("th[data-key=branch] button");
    let first_last = b.eval(
        "(function () { var r = Array.from(document.querySelectorAll('#register tbody tr')); \
         return [r[0].getAttribute('data-branch'), r[r.length - 1].getAttribute('data-branch')]; })()",
    );
    assert_eq!(first_last, json!(["b3", "b1"]), "descending by branch");

    // The branch filter, picked with the keyboard: 全部 → 第一 → 第二.
    b.eval("document.getElementById('f-branch').focus()");
    b.key("ArrowDown", 40);
    b.key("ArrowDown", 40);
    assert_eq!(b.eval("document.getElementById('f-branch').value"), json!("b2"));
    let b2 = b.visible();
    assert_eq!(b2.len(), 20);
    assert_eq!(b.eval("document.getElementById('count').textContent"), json!("显示 20 人（共 62 人）"));
    let branches = b.eval(
        "Array.from(document.querySelectorAll('#register tbody tr')).filter(function (r) { return !r.hidden; })\
         .map(function (r) { return r.getAttribute('data-branch'); })",
    );
    assert!(branches.as_array().unwrap().iter().all(|v| v == "b2"), "{branches}");
    // Only b2's groups are offered now.
    assert_eq!(
        b.eval("Array.from(document.querySelectorAll('#f-group option')).filter(function (o) { return !o.disabled && o.value; }).length"),
        json!(3)
    );

    // Sort by age: one click ascending, a second descending.
    b.click("th[data-key=age] button");
    b.click("th[data-key=age] button");
    assert_eq!(b.eval("document.querySelector('th[data-key=age]').getAttribute('aria-sort')"), json!("descending"));
    let ages = b.eval(
        "Array.from(document.querySelectorAll('#register tbody tr')).filter(function (r) { return !r.hidden; })\
         .map(function (r) { return parseInt(r.cells[3].textContent, 10); })",
    );
    let ages: Vec<i64> = ages.as_array().unwrap().iter().map(|a| a.as_i64().unwrap()).collect();
    assert_eq!(ages.len(), 20);
    assert!(ages.windows(2).all(|w| w[0] >= w[1]), "descending ages: {ages:?}");
    let sorted = b.visible();
    assert_ne!(sorted, b2, "the order changed");

    // The view is in the URL: reloading it gives the same rows in the same order.
    let url = b.eval("location.href");
    let url = url.as_str().unwrap().to_string();
    assert!(url.contains("branch=b2") && url.contains("sort=age") && url.contains("dir=desc"), "{url}");
    b.reload();
    assert_eq!(b.visible(), sorted);
    assert_eq!(b.eval("document.getElementById('f-branch').value"), json!("b2"));
    // And so does opening it afresh, as a bookmark would.
    b.open(&url);
    assert_eq!(b.visible(), sorted);

    // Printing: the print stylesheet gives A4 landscape, the table without the filters.
    let pdf = b.call("Page.printToPDF", json!({ "preferCSSPageSize": true, "printBackground": false }));
    let pdf = base64_decode(pdf["data"].as_str().unwrap());
    let pdf_path = dir.path().join("print.pdf");
    std::fs::write(&pdf_path, pdf).unwrap();
    let (pages, w, h) = pdf_info(&pdf_path);
    assert!((w - 841.89).abs() < 2.0 && (h - 595.28).abs() < 2.0, "A4 landscape: {w} x {h}");
    assert!(pages >= 1);
    let printed = pdf_text(&pdf_path, None);
    assert!(printed.contains("离退休党员台帐") && printed.contains("年龄"), "{printed}");
    assert!(!printed.contains("清除条件") && !printed.contains("查找姓名"), "no filters on paper: {printed}");

    // A member page, the branch page and the statistics open cleanly too.
    for page in ["members/b1-x0.html", "members/b1-x1.html", "branches/b1.html", "branches.html", "stats.html"] {
        b.open(&file_url(&out.join("register").join(page)));
        assert_eq!(b.eval("document.documentElement.lang"), json!("zh-CN"));
    }
    assert_eq!(b.eval("document.querySelectorAll('svg.bars').length"), json!(5), "five charts");
    b.assert_clean();
}

/// The test's own alarm works: a page that breaks the policy is caught.
#[test]
fn csp_violations_and_errors_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'\">\
         </head><body><script>document.title = 'ran';</script><p>bad</p></body></html>",
    )
    .unwrap();
    let mut b = Browser::launch(800, 600);
    b.open(&file_url(&page));
    assert_ne!(b.eval("document.title"), json!("ran"), "the inline script must be blocked");
    assert_eq!(b.eval("window.__csp.length"), json!(1), "the violation is seen");
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| b.assert_clean()));
    assert!(caught.is_err(), "a CSP violation must fail assert_clean");
}

/// On a phone, and at 200 % zoom on a 1280-pixel laptop (640 CSS pixels),
/// the page does not scroll sideways — only the table does, inside its own
/// region — and on the phone the filters fold away under one line so the
/// table comes first.
#[test]
fn phone_width_keeps_the_page_readable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build_register(&repo().join("data"), &out);
    for width in [390, 640] {
        let mut b = Browser::launch(width, 844);
        b.open(&file_url(&out.join("register/index.html")));
        let overflow = b.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assert_eq!(overflow, json!(0), "the page scrolls sideways at {width} px");
        let folded = b.eval("!document.getElementById('more-filters').open");
        assert_eq!(folded, json!(width < 640), "filters folded on a phone, open from 640 px");
        let wrap = b.eval("(function () { var w = document.querySelector('.table-wrap'); return [w.scrollWidth > w.clientWidth, w.tabIndex]; })()");
        assert_eq!(wrap, json!([true, 0]), "the wide table scrolls in its own focusable region");
        for page in ["stats.html", "members/b1-007.html", "branches/b2.html"] {
            b.open(&file_url(&out.join("register").join(page)));
            let overflow = b.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assert_eq!(overflow, json!(0), "{page} scrolls sideways at {width} px");
        }
        b.assert_clean();
    }
}
