//! A notification must not leave a thread behind that wakes on its own while Pantau idles in the
//! tray. zbus (under notify-rust) closes every D-Bus socket on the `blocking` crate's thread pool;
//! `blocking` 1.7 keeps the pool's last thread for the life of the process and wakes it every
//! 500 ms, 1.6 ends a thread that has been idle for 500 ms. This binary holds this test alone, so
//! no other test's threads are counted.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)] // test code: a failure here is a failed test

use std::time::{Duration, Instant};

/// Names of this process's threads that belong to the `blocking` pool ("blocking-1", …).
fn blocking_threads() -> Vec<String> {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
        .map(|name| name.trim().to_string())
        .filter(|name| name.starts_with("blocking-"))
        .collect()
}

#[test]
fn the_blocking_pool_that_zbus_closes_sockets_on_ends_its_idle_threads() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    // What zbus does with a socket it closes: a short call on the pool.
    let ran_on = runtime.block_on(blocking::unblock(|| {
        std::fs::read_to_string("/proc/thread-self/comm").unwrap()
    }));
    assert!(
        ran_on.starts_with("blocking-"),
        "the call ran on the pool ({ran_on:?})"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while !blocking_threads().is_empty() {
        assert!(
            Instant::now() < deadline,
            "the pool kept {:?} 5 s after its work ended",
            blocking_threads()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
