//! Phase timings for the benchmark: with `TUIGUAN_TIMINGS=1` in the
//! environment, each phase of a run prints how long it took to stderr;
//! with `TUIGUAN_TIMINGS=memory`, also the resident size at that moment.
//! Nothing otherwise.

use std::sync::OnceLock;
use std::time::Instant;

struct Clock {
    start: Instant,
    memory: bool,
}

fn clock() -> Option<&'static Clock> {
    static CLOCK: OnceLock<Option<Clock>> = OnceLock::new();
    CLOCK
        .get_or_init(|| {
            let v = std::env::var_os("TUIGUAN_TIMINGS")?;
            Some(Clock { start: Instant::now(), memory: v == "memory" })
        })
        .as_ref()
}

/// Start the clock (at the beginning of a run).
pub fn begin() {
    let _ = clock();
}

/// `phase` ended now: print the time since the run began.
pub fn mark(phase: &str) {
    if let Some(c) = clock() {
        let memory = if c.memory { memory() } else { String::new() };
        eprintln!("[timing] {:>8.3} s  {phase}{memory}", c.start.elapsed().as_secs_f64());
    }
}

/// "  [rss 351 MB]": the resident size. (mimalloc, the allocator, has no
/// cheap count of the bytes in use; what it has committed includes the
/// 1 GiB arena it reserves at once.)
fn memory() -> String {
    let rss = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or_else(|| "?".to_string(), |pages| ((pages * 4096) >> 20).to_string());
    // The peak so far (Linux only).
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| l.strip_prefix("VmHWM:")?.trim().strip_suffix("kB")?.trim().parse::<u64>().ok())
        })
        .map_or_else(String::new, |kb| format!(", peak {} MB", kb >> 10));
    format!("  [rss {rss} MB{peak}]")
}
