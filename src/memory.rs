//! Giving freed memory back to the system between the steps of a run.

/// Return the memory this thread freed to the system (mimalloc, the
/// global allocator, would otherwise keep it for the thread), with what
/// threads that have ended left behind: the resident size of a long run
/// then does not only grow. Called after each step of the planning,
/// before the documents render and once they are rendered (between
/// documents, see [`tidy`]).
pub fn give_back() {
    // Measured on 2,000 cards: peak 283 MB without, 268 MB with, the same
    // time. Purging at once (mimalloc's purge delay 0 instead of 10 ms)
    // cost 9–11 s more system time for another 10 MB, and was not kept.
    // SAFETY: mi_collect only frees what mimalloc holds unused; it takes no
    // pointers.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

/// Between documents: what this thread freed goes back to mimalloc's
/// shared pool, where the other worker can take it, and to the system
/// once it has lain unused for mimalloc's purge delay (10 ms), not at once
/// as [`give_back`] forces. Forced after every document (and every 100 ms
/// while the workers render), each layout faulted its memory in afresh:
/// 2,000 members took 1.2 million page faults, 10–11 s of system time in
/// a 21–23 s build; so, 130,000 and 5–7 s, the build 16–17 s. What it
/// costs in memory (10–20 MB at the peak): see docs/performance.md
/// (thirteenth session).
pub fn tidy() {
    // SAFETY: as in `give_back`.
    unsafe {
        libmimalloc_sys::mi_collect(false);
    }
}
