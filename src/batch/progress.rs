//! Progress while rendering: a bar per document kind on a terminal, a
//! plain line per kind when it is done otherwise.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

/// Progress: a bar per document kind on a terminal, a plain line per kind
/// when it is done otherwise; nothing with --quiet.
pub struct Progress {
    pub bars: Option<(indicatif::MultiProgress, BTreeMap<&'static str, indicatif::ProgressBar>)>,
    left: Mutex<BTreeMap<&'static str, usize>>,
    quiet: bool,
}

impl Progress {
    pub fn new(kinds: &BTreeMap<&'static str, usize>, quiet: bool) -> Self {
        let total: usize = kinds.values().sum();
        let bars = (!quiet && std::io::stderr().is_terminal() && total > 20).then(|| {
            let multi = indicatif::MultiProgress::new();
            let style = indicatif::ProgressStyle::with_template("{prefix:>12} [{bar:30}] {pos}/{len} {per_sec}")
                .expect("valid template")
                .progress_chars("=> ");
            let bars = kinds
                .iter()
                .map(|(k, n)| {
                    let bar =
                        multi.add(indicatif::ProgressBar::new(*n as u64).with_style(style.clone()).with_prefix(*k));
                    bar.enable_steady_tick(Duration::from_millis(200));
                    (*k, bar)
                })
                .collect();
            (multi, bars)
        });
        Self { bars, left: Mutex::new(kinds.clone()), quiet }
    }

    pub fn done(&self, kind: &'static str) {
        if let Some((_, bars)) = &self.bars {
            bars[kind].inc(1);
        }
        let mut left = self.left.lock().unwrap();
        let n = left.get_mut(kind).expect("known kind");
        *n -= 1;
        if *n == 0 {
            match &self.bars {
                Some((_, bars)) => bars[kind].finish(),
                None if !self.quiet => eprintln!("  {kind}：完成"),
                None => {}
            }
        }
    }
}
