//! A local kontan.co.id for tests, benchmarks and demos.
//!
//! Serves the repo's recorded pages under `ORIGIN/HOST/PATH?QUERY` (the mapping Pantau's
//! `PANTAU_KONTAN_ORIGIN` uses), with an indicator bar that follows a scripted series,
//! new headlines appearing over time, per-path fault injection, and a log of every request.
//!
//! Control endpoints (GET): `/__control/fault?path=P&kind=K[&times=N]`, `/__control/clear`,
//! `/__control/advance?seconds=S`, `/__control/hostile?on=1`, `/__control/log`, `/__control/state`.
#![allow(clippy::unwrap_used)] // a test tool: a failure here is a failed test

pub mod http;
pub mod notifications;
pub mod pages;
pub mod series;
pub mod tray_watcher;

use http::{read_request, Request, Response};
use pages::Pages;
use serde::Serialize;
use series::Series;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::{TcpListener, TcpStream};

/// Something to go wrong on a path.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status (500, 503, 404 ...).
    Status(u16),
    /// 429 with `Retry-After: seconds`.
    TooMany { retry_after: u64 },
    /// `status` with `Retry-After` as an HTTP date this many seconds from now (negative: past).
    RetryAt { status: u16, offset_secs: i64 },
    /// 503 with `Retry-After: seconds`.
    Unavailable { retry_after: u64 },
    /// A redirect (302) to this address, as given.
    Redirect(String),
    /// The article page with its canonical link naming another address.
    CanonicalElsewhere,
    /// An article page whose body nests this many elements.
    Deep(usize),
    /// A feed declaring an entity and referencing it thousands of times.
    Entities,
    /// Wait this long before answering.
    Slow { ms: u64 },
    /// Announce the full length, send half, hang up.
    Truncate,
    /// A 10 MB body.
    Huge,
    /// The page with kontan's usual markers gone (a redesign).
    LayoutChanged,
    /// The indicator bar with garbage numbers.
    GarbageBar,
    /// Close the connection without answering.
    Drop,
}

impl Fault {
    /// Parses `500`, `429:30`, `503:30` (with Retry-After), `429date:-60` (Retry-After as an HTTP
    /// date 60 s ago), `slow:20000`, `truncate`, `huge`, `layout`, `garbage`, `drop`,
    /// `redirect:URL`, `canonical`, `deep:100000`, `entities`.
    pub fn parse(kind: &str) -> Result<Fault, String> {
        let (name, arg) = kind.split_once(':').unwrap_or((kind, ""));
        let num = |default: u64| {
            if arg.is_empty() {
                Ok(default)
            } else {
                arg.parse().map_err(|_| format!("bad number in {kind}"))
            }
        };
        Ok(match name {
            "429" => Fault::TooMany {
                retry_after: num(30)?,
            },
            "503" if !arg.is_empty() => Fault::Unavailable {
                retry_after: num(30)?,
            },
            "429date" | "503date" => Fault::RetryAt {
                status: if name == "429date" { 429 } else { 503 },
                offset_secs: arg.parse().map_err(|_| format!("bad number in {kind}"))?,
            },
            "redirect" => Fault::Redirect(arg.to_string()),
            "canonical" => Fault::CanonicalElsewhere,
            "deep" => Fault::Deep(num(100_000)? as usize),
            "entities" => Fault::Entities,
            "slow" => Fault::Slow { ms: num(20_000)? },
            "truncate" => Fault::Truncate,
            "huge" => Fault::Huge,
            "layout" => Fault::LayoutChanged,
            "garbage" => Fault::GarbageBar,
            "drop" => Fault::Drop,
            n => Fault::Status(n.parse().map_err(|_| format!("unknown fault {kind}"))?),
        })
    }
}

/// One request the site received.
#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    /// Wall-clock time, milliseconds since the Unix epoch.
    pub at_ms: u64,
    pub method: String,
    pub target: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    pub user_agent: Option<String>,
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
    /// List a headline pointing at the hostile article page.
    hostile: std::sync::atomic::AtomicBool,
}

impl State {
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
            hostile: std::sync::atomic::AtomicBool::new(false),
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
                    _ = accept_loop(listener, serve_state) => {}
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

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        tokio::spawn(handle(stream, state.clone()));
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

async fn handle(mut stream: TcpStream, state: Arc<State>) {
    let Some(req) = read_request(&mut stream).await else {
        return;
    };
    let fault = if req.path().starts_with("/__control/") {
        None
    } else {
        state.take_fault(req.path())
    };
    let mut status = 200;
    let outcome = match fault {
        Some(Fault::Drop) => {
            status = 0;
            Ok(0)
        }
        Some(Fault::Huge) => Response::write_huge(&mut stream, 10 * 1024 * 1024).await,
        Some(Fault::Slow { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            let r = respond(&req, &state, None);
            status = r.status;
            r.write(&mut stream).await
        }
        Some(Fault::Truncate) => {
            let r = respond(&req, &state, None);
            status = r.status;
            r.write_truncated(&mut stream).await
        }
        other => {
            let r = respond(&req, &state, other);
            status = r.status;
            r.write(&mut stream).await
        }
    };
    let bytes = outcome.unwrap_or(0);
    let entry = LoggedRequest {
        at_ms: now_ms(),
        method: req.method.clone(),
        target: req.target.clone(),
        if_none_match: req.header("If-None-Match").map(str::to_string),
        if_modified_since: req.header("If-Modified-Since").map(str::to_string),
        user_agent: req.header("User-Agent").map(str::to_string),
        status,
        bytes,
    };
    if !req.path().starts_with("/__control/") {
        if state.log_to_stdout {
            println!("{}", serde_json::to_string(&entry).unwrap_or_default());
        }
        state.log.lock().unwrap().push(entry);
    }
}

fn respond(req: &Request, state: &State, fault: Option<Fault>) -> Response {
    if let Some(cmd) = req.path().strip_prefix("/__control/") {
        return control(cmd, req, state);
    }
    match fault {
        Some(Fault::Status(code)) => {
            return Response::new(code, "text/plain", format!("fixture fault {code}\n"))
        }
        Some(Fault::TooMany { retry_after }) => {
            return Response::new(429, "text/plain", "slow down\n")
                .with("Retry-After", retry_after.to_string())
        }
        Some(Fault::Unavailable { retry_after }) => {
            return Response::new(503, "text/plain", "down for maintenance\n")
                .with("Retry-After", retry_after.to_string())
        }
        Some(Fault::RetryAt {
            status,
            offset_secs,
        }) => {
            let at = std::time::SystemTime::now()
                .checked_add(Duration::from_secs(offset_secs.unsigned_abs()))
                .filter(|_| offset_secs >= 0)
                .or_else(|| {
                    std::time::SystemTime::now()
                        .checked_sub(Duration::from_secs(offset_secs.unsigned_abs()))
                })
                .unwrap_or_else(std::time::SystemTime::now);
            return Response::new(status, "text/plain", "slow down\n")
                .with("Retry-After", http_date(at));
        }
        Some(Fault::Redirect(to)) => {
            return Response::new(302, "text/plain", "moved\n").with("Location", to)
        }
        Some(Fault::Deep(depth)) => {
            return Response::new(200, "text/html; charset=utf-8", pages::deep_article(depth))
        }
        Some(Fault::Entities) => {
            return Response::new(200, "application/rss+xml", pages::entity_feed())
        }
        _ => {}
    }
    let t = state.site_seconds();
    let quotes = state.series.at(t);
    let fresh = if state.headline_every > 0.0 {
        (t / state.headline_every).floor() as u32
    } else {
        0
    };
    let view = pages::View {
        quotes: &quotes,
        fresh_headlines: fresh,
        garbage_bar: fault == Some(Fault::GarbageBar),
        layout_changed: fault == Some(Fault::LayoutChanged),
        canonical_elsewhere: fault == Some(Fault::CanonicalElsewhere),
        hostile_headline: state.hostile.load(std::sync::atomic::Ordering::Relaxed),
    };
    let Some((content_type, body)) = state.pages.render(&req.target, &view) else {
        return Response::new(404, "text/plain", "not found\n");
    };
    let etag = format!("\"{:016x}\"", fnv1a(body.as_bytes()));
    if req
        .header("If-None-Match")
        .is_some_and(|inm| inm.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return Response::new(304, content_type, Vec::new()).with("ETag", etag);
    }
    Response::new(200, content_type, body)
        .with("ETag", etag)
        .with("Cache-Control", "max-age=0")
}

fn control(cmd: &str, req: &Request, state: &State) -> Response {
    let ok = |body: String| Response::new(200, "application/json", body);
    match cmd {
        "fault" => {
            let (Some(path), Some(kind)) = (req.query("path"), req.query("kind")) else {
                return Response::new(400, "text/plain", "need path and kind\n");
            };
            match Fault::parse(&kind) {
                Ok(fault) => {
                    let times = req.query("times").and_then(|t| t.parse().ok());
                    let mut faults = state.faults.lock().unwrap();
                    faults.retain(|f| f.path != path);
                    faults.push(ActiveFault { path, fault, times });
                    ok("{\"ok\":true}".into())
                }
                Err(e) => Response::new(400, "text/plain", e),
            }
        }
        "hostile" => {
            let on = req.query("on").is_some_and(|v| v == "1" || v == "true");
            state
                .hostile
                .store(on, std::sync::atomic::Ordering::Relaxed);
            ok(format!("{{\"hostile\":{on}}}"))
        }
        "clear" => {
            state.faults.lock().unwrap().clear();
            ok("{\"ok\":true}".into())
        }
        "advance" => {
            let s: f64 = req
                .query("seconds")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0.0);
            *state.offset.lock().unwrap() += s;
            ok(format!("{{\"site_seconds\":{}}}", state.site_seconds()))
        }
        "log" => ok(serde_json::to_string(&*state.log.lock().unwrap()).unwrap_or_default()),
        "state" => ok(format!("{{\"site_seconds\":{}}}", state.site_seconds())),
        _ => Response::new(404, "text/plain", "unknown control\n"),
    }
}

/// An HTTP date (`Thu, 26 Nov 2026 10:15:00 GMT`).
fn http_date(at: SystemTime) -> String {
    let secs = at
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0) as i64;
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// A stable, dependency-free hash for ETags.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}
