//! One run at a time: a lock file beside out/ (and in the data folder while
//! `import --write` changes it) naming the process and its start. A lock
//! left by a run that was killed is noticed — its process is gone — and
//! taken over.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Held while a run writes; the file is removed when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Take the lock at `path` for `what` ("生成到 out"). Err: another
    /// tuiguan holds it, in Chinese, with what to do.
    pub fn acquire(path: &Path, what: &str) -> Result<Lock, String> {
        let me = format!(
            "进程 {}，{} 开始：{}\n",
            std::process::id(),
            chrono::Local::now().format("%Y-%m-%d %H:%M:%S"),
            std::env::args().collect::<Vec<_>>().join(" ")
        );
        for _ in 0..10 {
            match create_whole(path, me.as_bytes()) {
                Ok(()) => return Ok(Lock { path: path.to_path_buf() }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let held = match fs::read_to_string(path) {
                        Ok(held) => held,
                        // Released between the two steps: not stale, try again.
                        Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                        Err(_) => String::new(),
                    };
                    if holder_alive(&held) {
                        return Err(format!(
                            "另一个 tuiguan 正在{what}（{}）；等它结束后再运行。\n    提示: 如果确定没有 tuiguan 在运行（例如电脑重启过），删除锁文件 {} 后再运行",
                            held.trim(),
                            path.display()
                        ));
                    }
                    // Left by a run that was killed: move it aside (only one
                    // taker succeeds), then try again. If what was moved is
                    // not what was read, another run took the lock meanwhile:
                    // put its lock back.
                    let aside = path.with_extension(format!("stale-{}", std::process::id()));
                    if fs::rename(path, &aside).is_ok() {
                        if fs::read_to_string(&aside).unwrap_or_default() != held {
                            let _ = fs::hard_link(&aside, path);
                        }
                        let _ = fs::remove_file(&aside);
                    }
                }
                Err(e) => return Err(format!("无法建立锁文件 {}：{e}", path.display())),
            }
        }
        Err(format!("无法取得锁文件 {}；请稍后再运行", path.display()))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Create `path` holding `bytes`, failing with `AlreadyExists` if it is
/// there. The file appears whole: it is written under another name and
/// hard-linked into place (atomic, and refused if the name is taken), so
/// another run never reads a lock half-written and takes it for stale.
fn create_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(".tuiguan-lock-").tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.flush()?;
    match fs::hard_link(tmp.path(), path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        // A file system without hard links: create it in place.
        Err(_) => fs::OpenOptions::new().write(true).create_new(true).open(path)?.write_all(bytes),
    }
}

/// The lock file for writing `out`: beside it, since out/ itself is replaced.
pub fn out_lock_path(out: &Path) -> PathBuf {
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    parent.join(format!(".{name}.tuiguan-lock"))
}

/// Whether the process a lock file names still runs tuiguan. Where that
/// cannot be known (no /proc), the lock is taken as held.
fn holder_alive(held: &str) -> bool {
    let Some(pid) = held.strip_prefix("进程 ").and_then(|s| s.split('，').next()).and_then(|p| p.parse::<u32>().ok())
    else {
        // Unreadable or half-written: a run killed while writing it.
        return false;
    };
    if !Path::new("/proc/self").exists() {
        return true;
    }
    fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| String::from_utf8_lossy(&c).contains("tuiguan"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_is_refused_and_the_lock_goes_with_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".out.tuiguan-lock");
        let first = Lock::acquire(&path, "生成到 out").unwrap();
        // This test process runs "tuiguan-…" tests, so it counts as a live holder.
        let err = Lock::acquire(&path, "生成到 out").unwrap_err();
        assert!(err.contains("另一个 tuiguan 正在生成到 out（进程"), "{err}");
        drop(first);
        assert!(!path.exists());
        assert!(Lock::acquire(&path, "生成到 out").is_ok());
    }

    /// Runs starting together: never two holders at once (a lock being
    /// written must not look half-written, hence stale, to the other).
    #[test]
    fn runs_starting_together_never_both_hold_the_lock() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".out.tuiguan-lock");
        let holders = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| {
                    for _ in 0..300 {
                        if let Ok(lock) = Lock::acquire(&path, "生成到 out") {
                            let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            std::thread::yield_now();
                            holders.fetch_sub(1, Ordering::SeqCst);
                            drop(lock);
                        }
                    }
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 1);
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "nothing left behind: {left:?}");
    }

    #[test]
    fn a_lock_left_by_a_killed_run_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".out.tuiguan-lock");
        // A process that has ended.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        fs::write(&path, format!("进程 {pid}，2026-11-26 10:00:00 开始：tuiguan build\n")).unwrap();
        let lock = Lock::acquire(&path, "生成到 out").unwrap();
        assert!(fs::read_to_string(&path).unwrap().contains(&std::process::id().to_string()));
        drop(lock);
        // Half-written by a killed run.
        fs::write(&path, "").unwrap();
        assert!(Lock::acquire(&path, "生成到 out").is_ok());
    }
}
