//! Keeping Pantau small while it waits in the tray: a small async runtime, and (with glibc) few
//! allocator arenas and freed memory handed back to the system when the popup goes.

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

/// Keeps GTK from loading the OpenGL stack at start (on X11 it probes GL visuals when it opens
/// the display: Mesa and, with software rendering, LLVM, about 30 MiB of PSS for a tray icon).
/// The popup's webview then shows its pages without GTK's GL, as WebKit does when GL is missing.
/// A `GDK_GL` the user set wins. Call before GTK starts and before any thread runs.
pub fn skip_gtk_gl() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("GDK_GL").is_none() {
        std::env::set_var("GDK_GL", "disable");
    }
}

/// Turns off WebKit's memory pressure monitor. Once the first webview exists, it reads
/// `/proc/meminfo` every 5 s for as long as the app lives (about 0.4 ms a time here, more than
/// the tray's ticker costs), even after the popup has been released. Pantau's own answer to
/// memory is coarser and cheaper: the popup's webview goes entirely after 3 minutes hidden.
/// (With the monitor off, the web process does not purge its caches when the system runs out of
/// memory while the popup is open.) A value the user set wins. Call before any thread runs.
pub fn skip_webkit_memory_monitor() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR").is_none() {
        std::env::set_var("WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR", "1");
    }
}

/// Caps glibc's allocator at two arenas (it makes up to eight per core, each keeping freed
/// memory of its own). Call before any thread starts.
pub fn limit_allocator_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before other threads run.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Hands memory freed by a released webview back to the system.
pub fn return_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages at the top of the allocator's heaps.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Ends WebKit's network process once no webview is left. WebKitGTK keeps one network process
/// for the life of the app, shared by every web context, even after the last webview is gone
/// (about 35 MiB for nothing); WebKit starts a new one when a webview needs it again.
/// Returns how many processes were asked to end.
pub fn end_idle_webkit_helpers() -> usize {
    #[cfg(target_os = "linux")]
    {
        let ours = std::process::id();
        let mut ended = 0;
        for pid in children_named(ours, "WebKitNetworkPr") {
            // SAFETY: kill only sends a signal to a process this one started.
            if unsafe { libc::kill(pid, libc::SIGTERM) } == 0 {
                ended += 1;
            }
        }
        ended
    }
    #[cfg(not(target_os = "linux"))]
    0
}

/// Children of `parent` whose command name (as the kernel keeps it, 15 characters) is `comm`.
#[cfg(target_os = "linux")]
fn children_named(parent: u32, comm: &str) -> Vec<libc::pid_t> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<libc::pid_t>().ok())
        .filter(|pid| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                return false;
            };
            let name = &stat[open + 1..close];
            let ppid = stat[close + 1..].split_whitespace().nth(1);
            name == comm && ppid == Some(parent.to_string().as_str())
        })
        .collect()
}

/// With no webview open: hands back the file pages an idle tray app does not use, then logs
/// what the process holds that is Pantau's own (SQLite's memory, the thread count).
pub fn settle(moment: &str) {
    let paged = page_out_idle_files() / (1024 * 1024);
    let sqlite_kib = pantau_engine::store::sqlite_memory_used() / 1024;
    let threads = std::fs::read_dir("/proc/self/task")
        .map(|d| d.count().to_string())
        .unwrap_or_else(|_| "?".into());
    log::info!(
        "footprint {moment}: SQLite holds {sqlite_kib} KiB; {threads} threads; {paged} MiB of \
         mapped files offered back"
    );
}

/// Asks the kernel to reclaim the pages of mapped files (libraries, the binary) that Pantau holds
/// but is not using: after start-up, and after the popup's release, most of WebKit's, GTK's and
/// the graphics stack's code will not run again until the popup is next opened. This is what the
/// kernel does under memory pressure anyway (`MADV_PAGEOUT`: nothing is lost; a page needed
/// again is read back from the page cache). Anonymous memory is left alone. Returns the bytes
/// of mappings asked for.
pub fn page_out_idle_files() -> usize {
    #[cfg(target_os = "linux")]
    {
        let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
            return 0;
        };
        let mut asked = 0;
        for line in maps.lines() {
            // "start-end perms offset dev inode path"
            let mut fields = line.split_whitespace();
            let (Some(range), Some(_perms)) = (fields.next(), fields.next()) else {
                continue;
            };
            let path = fields.nth(3).unwrap_or("");
            if !path.starts_with('/') {
                continue;
            }
            let Some((start, end)) = range.split_once('-') else {
                continue;
            };
            let (Ok(start), Ok(end)) = (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            ) else {
                continue;
            };
            // SAFETY: MADV_PAGEOUT only reclaims pages of a mapping this process has; their
            // contents stay (file pages are read back, private copies are kept or swapped).
            if unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_PAGEOUT) }
                == 0
            {
                asked += end - start;
            }
        }
        asked
    }
    #[cfg(not(target_os = "linux"))]
    0
}
