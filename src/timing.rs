//! Phase timings for the benchmark: with `TUIGUAN_TIMINGS=1` in the
//! environment, each phase of a run prints how long it took to stderr.
//! Nothing otherwise.

use std::sync::OnceLock;
use std::time::Instant;

fn start() -> Option<&'static Instant> {
    static START: OnceLock<Option<Instant>> = OnceLock::new();
    START.get_or_init(|| std::env::var_os("TUIGUAN_TIMINGS").map(|_| Instant::now())).as_ref()
}

/// Start the clock (at the beginning of a run).
pub fn begin() {
    let _ = start();
}

/// `phase` ended now: print the time since the run began.
pub fn mark(phase: &str) {
    if let Some(t) = start() {
        eprintln!("[timing] {:>8.3} s  {phase}", t.elapsed().as_secs_f64());
    }
}
