//! The desk's benchmark: a synthetic office of N members (default 10,000),
//! the real `tuiguan serve` on 127.0.0.1 (a free port), and every page and
//! a save timed as the browser asks for them.
//!
//!     cargo build --release --bins --examples && cargo run --release --example desk_bench -- [N]
//!
//! Prints, per request, the median and the slowest of R rounds (default 20):
//! the member list, a search, a member's page, the 操作记录, a preview, a
//! save with the page it leads to, a take-back. The first request after
//! start (the office loaded) is printed on its own. The server is stopped
//! at the end.

#[path = "support/binary.rs"]
mod binary;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Instant;

struct Server {
    child: std::process::Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// (status, Location header, body), and the seconds it took.
    fn ask(&self, method: &str, path: &str, body: &str) -> ((u16, String, String), f64) {
        let started = Instant::now();
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("the desk answers");
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nOrigin: http://127.0.0.1:{}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            self.port,
            self.port,
            body.len()
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let secs = started.elapsed().as_secs_f64();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        let location = head.lines().find_map(|l| l.strip_prefix("Location: ")).unwrap_or("").to_string();
        ((status, location, body.to_string()), secs)
    }
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let enc = |s: &str| {
                s.bytes()
                    .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
                    .collect::<String>()
            };
            format!("{}={}", enc(k), enc(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn value_after(body: &str, marker: &str, len: usize) -> String {
    let at = body.find(marker).expect(marker) + marker.len();
    body[at..at + len].to_string()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let members: usize = args.first().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    tuiguan::synthetic::write_office(&dir.path().join("data"), members, 1, as_of).expect("synthetic office");
    let mut child = Command::new(binary::tuiguan())
        .args(["--data", "data", "--out", "out", "--as-of", "2026-11-26", "serve", "--no-open", "--port", "0"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let port = first.trim().rsplit(':').next().and_then(|p| p.trim_end_matches('/').parse().ok()).expect("the port");
    let server = Server { child, port };
    let ((_, _, list), cold) = server.ask("GET", "/", "");
    println!("{members} 位党员的工作台（每项 {rounds} 次，取中位数和最慢）");
    println!("  启动后第一次打开名单（读入全部数据）：{:.0} 毫秒", cold * 1000.0);
    let id = value_after(&list, "<a href=\"/m/", 7);
    let token = value_after(&server.ask("GET", &format!("/m/{id}"), "").0.2, "name=\"token\" value=\"", 48);
    let visit = |step: &str, shown: &str| {
        form(&[
            ("token", &token),
            ("step", step),
            ("shown", shown),
            ("date", "2026-11-25"),
            ("kind", "电话"),
            ("by", "何秀珍"),
            ("difficulties", "无"),
            ("suggestions", "无"),
            ("plans", "无"),
        ])
    };
    let mut times: Vec<(&str, Vec<f64>)> = Vec::new();
    let mut time = |name: &'static str, secs: f64| match times.iter_mut().find(|(n, _)| *n == name) {
        Some((_, v)) => v.push(secs),
        None => times.push((name, vec![secs])),
    };
    for _ in 0..rounds {
        time("党员名单", server.ask("GET", "/", "").1);
        time("查找姓名", server.ask("GET", "/?q=%E7%8E%8B", "").1);
        time("党员页面", server.ask("GET", &format!("/m/{id}"), "").1);
        time("操作记录", server.ask("GET", "/log", "").1);
        let ((status, _, preview), secs) = server.ask("POST", &format!("/m/{id}/visit"), &visit("preview", ""));
        assert_eq!(status, 200, "preview");
        time("登记走访：预览", secs);
        let shown = value_after(&preview, "name=\"shown\" value=\"", 32);
        let ((status, location, _), secs) = server.ask("POST", &format!("/m/{id}/visit"), &visit("save", &shown));
        assert_eq!(status, 303, "save");
        let (_, page) = server.ask("GET", location.split('#').next().unwrap(), "");
        time("登记走访：保存", secs);
        time("保存后的页面", page);
        let (_, _, log) = server.ask("GET", "/log", "").0;
        let number = value_after(&log, "name=\"number\" value=\"", 8);
        let number = number.split('"').next().unwrap().to_string();
        let ((status, _, _), secs) = server.ask("POST", "/log/undo", &form(&[("token", &token), ("number", &number)]));
        assert_eq!(status, 303, "undo");
        time("撤销", secs);
    }
    for (name, mut v) in times {
        v.sort_by(f64::total_cmp);
        println!("  {name}：中位数 {:.0} 毫秒，最慢 {:.0} 毫秒", v[v.len() / 2] * 1000.0, v[v.len() - 1] * 1000.0);
    }
}
