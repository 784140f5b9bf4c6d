//! Giving freed memory back to the system between the steps of a run.

/// Return the memory this thread freed to the system (mimalloc, the
/// global allocator, would otherwise keep it for the thread), with what
/// threads that have ended left behind: the resident size of a long run
/// then does not only grow. Called after each step of the planning,
/// before the documents render and once they are rendered (between
/// documents, see [`tidy`]).
pub fn give_back() {
    // 2,000 cards: peak 268 MB with it, 283 MB without, the same time.
    // Purging at once (mimalloc's purge delay 0 rather than 10 ms) would
    // save another 10 MB for 9–11 s more system time.
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
/// while the workers render), each layout would fault its memory in
/// afresh: at 2,000 members 1.2 million page faults and 10–11 s of system
/// time in a 21–23 s build, against 130,000 and 5–7 s in 16–17 s this way.
/// What it costs in memory (10–20 MB at the peak): see docs/performance.md,
/// "mimalloc, and memory given back without forcing it".
pub fn tidy() {
    // SAFETY: as in `give_back`.
    unsafe {
        libmimalloc_sys::mi_collect(false);
    }
}
