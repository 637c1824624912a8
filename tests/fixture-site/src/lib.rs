//! A local kontan.co.id for tests, benchmarks and demos.
//!
//! Serves the repo's recorded pages under `ORIGIN/HOST/PATH?QUERY` (the mapping Pantau's
//! `PANTAU_KONTAN_ORIGIN` uses), with an indicator bar that follows a scripted series,
//! new headlines appearing over time, per-path fault injection, and a log of every request.
//!
//! Control endpoints (GET): `/__control/fault?path=P&kind=K[&times=N]`, `/__control/clear`,
//! `/__control/advance?seconds=S`, `/__control/hostile?on=1`, `/__control/log`, `/__control/state`.
#![allow(clippy::unwrap_used)] // a test tool: a failure here is a failed test

mod faults;
pub mod http;
pub mod notifications;
pub mod pages;
pub mod series;
mod serve;
pub mod story;
pub mod tray_watcher;

pub use faults::Fault;

use pages::Pages;
use serde::Serialize;
use series::Series;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::net::TcpListener;

/// One request the site received.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    /// Wall-clock time, milliseconds since the Unix epoch.
    pub at_ms: u64,
    /// `GET`, `HEAD`, ...
    pub method: String,
    /// The path and query asked for.
    pub target: String,
    /// The `If-None-Match` header, if sent.
    pub if_none_match: Option<String>,
    /// The `If-Modified-Since` header, if sent.
    pub if_modified_since: Option<String>,
    /// The `User-Agent` header, if sent.
    pub user_agent: Option<String>,
    /// The status answered (0 when the connection was dropped).
    pub status: u16,
    /// Bytes sent: status line, headers and body.
    pub bytes: usize,
}

/// How the site starts.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The folder of recorded pages (`tests/fixtures/kontan`).
    pub pages_dir: PathBuf,
    /// The market script.
    pub series: Series,
    /// Site seconds per real second (0 freezes the clock; `advance` still moves it).
    pub speed: f64,
    /// A new headline appears every this many site seconds (0: never).
    pub headline_every: f64,
    /// Faults from the start: (path, fault).
    pub faults: Vec<(String, Fault)>,
    /// Print each request as a JSON line on stdout.
    pub log_to_stdout: bool,
    /// A folder served as-is under `/releases/` (a release tree of `./scripts/release`).
    pub releases_dir: Option<PathBuf>,
}

impl SiteConfig {
    /// The repo's pages and default series, a frozen clock, no faults.
    pub fn from_repo() -> SiteConfig {
        let root = repo_fixtures_dir();
        let csv = std::fs::read_to_string(default_series_path()).expect("default series");
        SiteConfig {
            pages_dir: root,
            series: Series::parse(&csv).expect("default series parses"),
            speed: 0.0,
            headline_every: 0.0,
            faults: Vec::new(),
            log_to_stdout: false,
            releases_dir: None,
        }
    }
}

/// Where the repo keeps its kontan pages.
pub fn repo_fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/kontan")
}

/// The default market script.
pub fn default_series_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("series/default.csv")
}

struct ActiveFault {
    path: String,
    fault: Fault,
    times: Option<u32>,
}

struct State {
    pages: Pages,
    series: Series,
    speed: f64,
    headline_every: f64,
    started: Instant,
    offset: Mutex<f64>,
    faults: Mutex<Vec<ActiveFault>>,
    log: Mutex<Vec<LoggedRequest>>,
    log_to_stdout: bool,
    releases_dir: Option<PathBuf>,
    /// List a headline pointing at the hostile article page.
    hostile: std::sync::atomic::AtomicBool,
    /// Stories published while the site runs.
    breaking: Mutex<Vec<pages::Breaking>>,
}

impl State {
    /// Publishes a story `minutes_ago` (real time), listed first everywhere; returns its address.
    fn publish(&self, title: String, minutes_ago: i64) -> String {
        let wib = chrono::FixedOffset::east_opt(7 * 3600).expect("WIB");
        let published =
            (chrono::Utc::now() - chrono::Duration::minutes(minutes_ago)).with_timezone(&wib);
        self.publish_at(title, published)
    }

    /// Publishes a story at `published`; returns its address.
    fn publish_at(
        &self,
        title: String,
        published: chrono::DateTime<chrono::FixedOffset>,
    ) -> String {
        let mut breaking = self.breaking.lock().unwrap();
        let url = format!(
            "https://keuangan.kontan.co.id/news/berita-terkini-{}",
            breaking.len() + 1
        );
        breaking.push(pages::Breaking {
            url: url.clone(),
            title,
            published,
        });
        url
    }

    fn site_seconds(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * self.speed + *self.offset.lock().unwrap()
    }

    fn take_fault(&self, path: &str) -> Option<Fault> {
        let mut faults = self.faults.lock().unwrap();
        let i = faults.iter().position(|f| f.path == path)?;
        let fault = faults[i].fault.clone();
        if let Some(t) = faults[i].times.as_mut() {
            *t -= 1;
            if *t == 0 {
                faults.remove(i);
            }
        }
        Some(fault)
    }
}

/// A running fixture site. Dropping it stops the server.
pub struct FixtureSite {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FixtureSite {
    /// Starts the site on `127.0.0.1:port` (0 picks a free port) in a thread of its own.
    pub fn spawn(config: SiteConfig, port: u16) -> std::io::Result<FixtureSite> {
        let std_listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let state = Arc::new(State {
            pages: Pages::load(&config.pages_dir)?,
            series: config.series,
            speed: config.speed,
            headline_every: config.headline_every,
            started: Instant::now(),
            offset: Mutex::new(0.0),
            faults: Mutex::new(
                config
                    .faults
                    .into_iter()
                    .map(|(path, fault)| ActiveFault {
                        path,
                        fault,
                        times: None,
                    })
                    .collect(),
            ),
            log: Mutex::new(Vec::new()),
            log_to_stdout: config.log_to_stdout,
            releases_dir: config.releases_dir,
            hostile: std::sync::atomic::AtomicBool::new(false),
            breaking: Mutex::new(Vec::new()),
        });
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let serve_state = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("listener");
                tokio::select! {
                    _ = serve::accept_loop(listener, serve_state) => {}
                    _ = stop_rx => {}
                }
            });
        });
        Ok(FixtureSite {
            addr,
            state,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`, the value for `PANTAU_KONTAN_ORIGIN`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Makes `path` (e.g. `/www.kontan.co.id/`) fail `times` times (forever with `None`).
    pub fn set_fault(&self, path: &str, fault: Fault, times: Option<u32>) {
        let mut faults = self.state.faults.lock().unwrap();
        faults.retain(|f| f.path != path);
        faults.push(ActiveFault {
            path: path.to_string(),
            fault,
            times,
        });
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.state.faults.lock().unwrap().clear();
    }

    /// Publishes a story `minutes_ago` (real time), listed first on every list and feed;
    /// returns its address.
    pub fn publish(&self, title: &str, minutes_ago: i64) -> String {
        self.state.publish(title.to_string(), minutes_ago)
    }

    /// Moves site time forward.
    pub fn advance(&self, seconds: f64) {
        *self.state.offset.lock().unwrap() += seconds;
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.state.log.lock().unwrap().clone()
    }

    /// Requests whose target starts with `prefix`.
    pub fn requests_to(&self, prefix: &str) -> Vec<LoggedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.target.starts_with(prefix))
            .collect()
    }

    /// Stops the server and waits for it.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for FixtureSite {
    fn drop(&mut self) {
        self.shutdown();
    }
}
