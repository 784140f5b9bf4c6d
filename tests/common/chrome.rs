//! A headless Chromium driven over the DevTools protocol, for the browser
//! tests and the register benchmark (`examples/register_bench.rs`). Any
//! console error, script exception, dialog or Content-Security-Policy
//! violation is recorded; `assert_clean` fails on them.
#![allow(dead_code)]

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// Records CSP violations from the first moment of every document.
const WATCH_CSP: &str = "window.__csp = []; document.addEventListener('securitypolicyviolation', \
     function (e) { window.__csp.push(e.violatedDirective + ' ' + e.blockedURI); });";

pub struct Browser {
    child: Child,
    ws: WebSocket<MaybeTlsStream<TcpStream>>,
    session: String,
    next: u64,
    /// Console errors, exceptions, dialogs: anything here fails the test.
    pub problems: Vec<String>,
    loaded: bool,
    _profile: tempfile::TempDir,
}

pub fn chromium() -> PathBuf {
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
    pub fn launch(width: u32, height: u32) -> Self {
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

    pub fn send(&mut self, session: Option<String>, method: &str, params: Value) -> Value {
        self.try_send(session, method, params).unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// Like `send`, but the browser's refusal comes back as the error it is
    /// (an evaluation while a page is being replaced is refused, and is no fault).
    pub fn try_send(&mut self, session: Option<String>, method: &str, params: Value) -> Result<Value, Value> {
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
                return match v.get("error") {
                    Some(e) => Err(e.clone()),
                    None => Ok(v["result"].clone()),
                };
            }
        }
    }

    pub fn call_browser(&mut self, method: &str, params: Value) -> Value {
        self.send(None, method, params)
    }

    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let s = self.session.clone();
        self.send(Some(s), method, params)
    }

    /// The next message; events are noted on the way.
    pub fn read(&mut self) -> Value {
        // A signal (a child of the test ending) may interrupt the wait: wait again.
        let msg = loop {
            match self.ws.read() {
                Err(tungstenite::Error::Io(e)) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other.expect("message from chromium"),
            }
        };
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

    pub fn wait_for_load(&mut self) {
        let start = Instant::now();
        while !self.loaded {
            assert!(start.elapsed() < Duration::from_secs(30), "page did not load");
            self.read();
        }
    }

    pub fn open(&mut self, url: &str) {
        self.loaded = false;
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_for_load();
    }

    pub fn reload(&mut self) {
        self.loaded = false;
        self.call("Page.reload", json!({}));
        self.wait_for_load();
    }

    pub fn eval(&mut self, js: &str) -> Value {
        let r = self.call("Runtime.evaluate", json!({ "expression": js, "returnByValue": true }));
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{js}: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Evaluate `js`, waiting for the promise it returns.
    pub fn eval_await(&mut self, js: &str) -> Value {
        let r = self.call("Runtime.evaluate", json!({ "expression": js, "returnByValue": true, "awaitPromise": true }));
        if let Some(e) = r.get("exceptionDetails") {
            panic!("{js}: {e}");
        }
        r["result"]["value"].clone()
    }

    /// Print the page as the browser's print dialog would (the page's own
    /// `@page` size) into `path`.
    pub fn print_pdf(&mut self, path: &Path) {
        let pdf = self.call("Page.printToPDF", json!({ "preferCSSPageSize": true, "printBackground": false }));
        std::fs::write(path, base64_decode(pdf["data"].as_str().unwrap())).unwrap();
    }

    pub fn key(&mut self, key: &str, code: u32) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code }),
            );
        }
    }

    pub fn type_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({ "text": text }));
    }

    /// A real mouse click in the middle of the element `selector`.
    pub fn click(&mut self, selector: &str) {
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

    /// Click `selector` (a link or a form's button) and wait for the page it leads to.
    pub fn click_and_wait(&mut self, selector: &str) {
        self.eval("window.__before_click = true");
        self.loaded = false;
        self.click(selector);
        let start = Instant::now();
        loop {
            assert!(start.elapsed() < Duration::from_secs(30), "no new page after clicking {selector}");
            let s = self.session.clone();
            let r = self.try_send(
                Some(s),
                "Runtime.evaluate",
                json!({ "expression": "window.__before_click !== true && document.readyState === 'complete'", "returnByValue": true }),
            );
            match r {
                Ok(r) if r["result"]["value"] == json!(true) => break,
                Ok(_) => {}
                // The old page went away under the question: the new one is on its way.
                Err(e)
                    if e["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("navigated or closed") || m.contains("Cannot find context")) => {}
                Err(e) => panic!("Runtime.evaluate: {e}"),
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The names in the visible rows of the register, top to bottom.
    pub fn visible(&mut self) -> Vec<String> {
        let v = self.eval(
            "Array.from(document.querySelectorAll('#register tbody tr'))\
             .filter(function (r) { return !r.hidden && r.getClientRects().length > 0; })\
             .map(function (r) { return r.cells[0].textContent; })",
        );
        v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
    }

    /// Drain pending events, then fail on anything that went wrong.
    pub fn assert_clean(&mut self) {
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
pub fn base64_decode(s: &str) -> Vec<u8> {
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

pub fn file_url(p: &Path) -> String {
    format!("file://{}", p.canonicalize().unwrap().display())
}
