//! The register's browser benchmark: writes a synthetic office of N members
//! (default 10,000), builds its register with the real `tuiguan` binary and
//! opens index.html in headless Chromium (Debian's `chromium`), timing what
//! a reader waits for, to the screen (the frame after the change painted):
//!
//!     cargo build --bins --examples && cargo run --example register_bench -- [N]
//!
//! Prints: the page's size; interactive (the script has drawn the list
//! and the search box works), at full speed and with the CPU slowed down
//! 4× (what DevTools calls a mid-range phone); each sort, each filter, a
//! search, and widening a filter back to all.

#[path = "../tests/common/chrome.rs"]
mod chrome;

#[path = "support/binary.rs"]
mod binary;

use binary::tuiguan;
use std::process::Command;
use std::time::Instant;

use chrome::{Browser, file_url};
use serde_json::json;

/// Milliseconds from the call to the frame after it is painted.
const TO_SCREEN: &str = "function toScreen(change) { var t0 = performance.now(); change(); \
    return new Promise(function (done) { requestAnimationFrame(function () { setTimeout(function () { \
    done(performance.now() - t0); }, 0); }); }); }";

/// Open the page afresh; milliseconds from navigation to the script ready
/// and the next frame painted.
fn interactive(b: &mut Browser, url: &str) -> f64 {
    b.open("about:blank");
    b.open(url);
    let ms = b.eval_await(
        "new Promise(function (done) { (function wait() { var m = performance.getEntriesByName('register-ready'); \
           if (!m.length) { return setTimeout(wait, 5); } \
           requestAnimationFrame(function () { setTimeout(function () { done(performance.now()); }, 0); }); })(); })",
    );
    ms.as_f64().expect("a time")
}

fn timed(b: &mut Browser, change: &str) -> f64 {
    b.eval_await(&format!("({TO_SCREEN})(function () {{ {change} }})")).as_f64().expect("a time")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    tuiguan::synthetic::write_office(&dir.join("data"), n, 1, as_of).expect("write office");
    let started = Instant::now();
    let status = Command::new(tuiguan())
        .args(["--as-of", "2026-11-26", "-q", "--out", "out", "register"])
        .current_dir(dir)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("run tuiguan");
    assert!(status.success());
    let index = dir.join("out/register/index.html");
    let size = std::fs::metadata(&index).unwrap().len() as f64 / 1e6;
    println!("合成单位：{n} 位党员；生成台帐 {:.2} 秒；index.html {size:.1} MB", started.elapsed().as_secs_f64());
    let version = Command::new(chrome::chromium()).arg("--version").output().map(|o| o.stdout).unwrap_or_default();
    println!("浏览器：{}（无界面，{} 核）", String::from_utf8_lossy(&version).trim(), num_cores());

    let url = file_url(&index);
    let mut b = Browser::launch(1366, 900);
    let runs: Vec<f64> = (0..3).map(|_| interactive(&mut b, &url)).collect();
    println!("可以查找（打开到列表画出）  中位 {:>6.0} 毫秒  {runs:.0?}", median(runs.clone()));

    let mut sorts = Vec::new();
    for key in ["name", "age", "branch", "visit", "whereabouts"] {
        for _ in 0..2 {
            let click = format!("document.querySelector('th[data-key={key}] button').click();");
            sorts.push((key, timed(&mut b, &click)));
        }
    }
    let worst = sorts.iter().map(|(_, t)| *t).fold(0.0, f64::max);
    println!(
        "排序（5 栏，升序和倒序）    最慢 {worst:>6.0} 毫秒  {:.0?}",
        sorts.iter().map(|s| s.1).collect::<Vec<_>>()
    );
    b.eval("document.querySelector('button[type=reset]').click()");

    let pick = |control: &str, value: &str| {
        format!(
            "var c = document.getElementById('{control}'); c.value = {value}; \
             c.dispatchEvent(new Event('change', {{ bubbles: true }}));"
        )
    };
    let branch = timed(&mut b, &pick("f-branch", "document.querySelector('#f-branch option:nth-child(2)').value"));
    let status = timed(&mut b, &pick("f-status", "'away'"));
    let widen_status = timed(&mut b, &pick("f-status", "''"));
    let widen = timed(&mut b, &pick("f-branch", "''"));
    let visit = timed(&mut b, &pick("f-visit", "'overdue'"));
    let all = timed(&mut b, &pick("f-visit", "''"));
    println!(
        "筛选：选支部 {branch:.0}、选状态 {status:.0}、放宽状态 {widen_status:.0}、放宽到全部 {widen:.0}、选走访 {visit:.0}、放宽 {all:.0} 毫秒"
    );
    let typed = timed(
        &mut b,
        "var q = document.getElementById('f-q'); q.value = 'zs'; q.dispatchEvent(new Event('input', { bubbles: true }));",
    );
    let cleared = timed(
        &mut b,
        "var q = document.getElementById('f-q'); q.value = ''; q.dispatchEvent(new Event('input', { bubbles: true }));",
    );
    println!("查找“zs” {typed:.0} 毫秒；清除 {cleared:.0} 毫秒");
    let shown = b.eval("document.querySelectorAll('#register tbody tr').length");
    println!("画出的行：{shown}（其余随滚动画出；打印和下载取全部）");

    b.call("Emulation.setCPUThrottlingRate", json!({ "rate": 4 }));
    let slow: Vec<f64> = (0..2).map(|_| interactive(&mut b, &url)).collect();
    println!("CPU 减速 4 倍（手机）可以查找 中位 {:>6.0} 毫秒  {slow:.0?}", median(slow.clone()));
    let slow_sort = timed(&mut b, "document.querySelector('th[data-key=age] button').click();");
    let slow_filter = timed(&mut b, &pick("f-status", "'away'"));
    println!("CPU 减速 4 倍：排序 {slow_sort:.0} 毫秒，筛选 {slow_filter:.0} 毫秒");
    b.assert_clean();
}

fn num_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
