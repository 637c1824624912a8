//! Keeping Pantau small while it waits in the tray: a small async runtime, the process settled
//! before threads start, and what the released popup held handed back (the OS-specific parts
//! are in `platform`).

use std::time::Duration;

/// Worker threads of the async runtime: the loop sleeps most of the time, two are plenty on
/// any machine (Tokio's default is one per core).
const WORKERS: usize = 2;
/// Threads for blocking work (parsing, the cache): a refresh round uses a few at a time.
const BLOCKING_THREADS: usize = 8;

/// The async runtime Tauri and the engine share, sized for a tray app rather than for the
/// machine's core count.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .max_blocking_threads(BLOCKING_THREADS)
        .thread_keep_alive(Duration::from_secs(10))
        .thread_name("pantau-worker")
        .enable_all()
        .build()
}

/// Settles the process for a long wait before any thread runs (on Linux: GTK without OpenGL,
/// WebKit's memory monitor off, two allocator arenas: `platform::prepare_process`).
pub fn prepare_process() {
    crate::platform::prepare_process();
}

/// After the popup's webview is released: memory freed by it back to the system, and WebKit's
/// idle helper processes ended (Linux). Returns how many helpers were asked to end.
pub fn after_release() -> usize {
    crate::platform::return_freed_memory();
    crate::platform::end_idle_webkit_helpers()
}

/// With no webview open: hands back the file pages an idle tray app does not use, then logs
/// what the process holds that is Pantau's own (SQLite's memory, the thread count).
pub fn settle(moment: &str) {
    let paged = crate::platform::page_out_idle_files() / (1024 * 1024);
    let sqlite_kib = pantau_engine::store::sqlite_memory_used() / 1024;
    let threads = crate::platform::thread_count().map_or_else(|| "?".into(), |n| n.to_string());
    log::info!(
        "footprint {moment}: SQLite holds {sqlite_kib} KiB; {threads} threads; {paged} MiB of \
         mapped files offered back"
    );
}
