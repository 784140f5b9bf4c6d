//! The built `tuiguan` binary beside the running example, for the benchmarks.

use std::path::{Path, PathBuf};

/// `target/<profile>/tuiguan`; exits with a hint when it is not built.
pub fn tuiguan() -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    let bin = exe.parent().and_then(Path::parent).expect("target dir").join("tuiguan");
    if !bin.exists() {
        eprintln!("找不到 {}：请先运行 cargo build --bins --examples", bin.display());
        std::process::exit(2);
    }
    bin
}
