//! Serving requests: faults first, then the recorded page for this moment of site time, with
//! an ETag; the control endpoints; the request log.

use crate::http::{read_request, Request, Response};
use crate::{pages, ActiveFault, Fault, LoggedRequest, State};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::net::{TcpListener, TcpStream};

pub(crate) async fn accept_loop(listener: TcpListener, state: Arc<State>) {
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
    if let (Some(dir), Some(rest)) = (&state.releases_dir, req.path().strip_prefix("/releases/")) {
        return release_file(req, dir, rest);
    }
    let t = state.site_seconds();
    let quotes = state.series.at(t);
    let fresh = if state.headline_every > 0.0 {
        (t / state.headline_every).floor() as u32
    } else {
        0
    };
    let breaking = state.breaking.lock().unwrap().clone();
    let view = pages::View {
        breaking: &breaking,
        quotes: &quotes,
        fresh_headlines: fresh,
        garbage_bar: fault == Some(Fault::GarbageBar),
        layout_changed: fault == Some(Fault::LayoutChanged),
        canonical_elsewhere: fault == Some(Fault::CanonicalElsewhere),
        hostile_headline: state.hostile.load(std::sync::atomic::Ordering::Relaxed),
    };
    let rendered = match state.pages.picture(&req.target) {
        Some(picture) => Some(picture),
        None => state
            .pages
            .render(&req.target, &view)
            .map(|(content_type, page)| (content_type, page.into_bytes())),
    };
    let Some((content_type, body)) = rendered else {
        return Response::new(404, "text/plain", "not found\n");
    };
    let etag = format!("\"{:016x}\"", fnv1a(&body));
    if req
        .header("If-None-Match")
        .is_some_and(|inm| inm.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return Response::new(304, content_type, Vec::new()).with("ETag", etag);
    }
    let response = Response::new(200, content_type, body)
        .with("ETag", etag)
        .with("Cache-Control", "max-age=0")
        .with("Vary", "Accept-Encoding");
    if accepts_gzip(req)
        && ["text/", "application/rss", "application/json"]
            .iter()
            .any(|t| content_type.starts_with(t))
    {
        return response.gzipped();
    }
    response
}

/// A file of the release tree, as a static web server gives it (with an ETag, 304 when it
/// matches); names with `..` or a leading dot are not served.
fn release_file(req: &Request, dir: &std::path::Path, rest: &str) -> Response {
    let safe = !rest.is_empty()
        && rest
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.') && !part.contains('\\'));
    let Some(body) = safe.then(|| std::fs::read(dir.join(rest)).ok()).flatten() else {
        return Response::new(404, "text/plain", "not found\n");
    };
    let content_type = if rest.ends_with(".json") {
        "application/json"
    } else {
        "application/octet-stream"
    };
    let etag = format!("\"{:016x}\"", fnv1a(&body));
    if req
        .header("If-None-Match")
        .is_some_and(|inm| inm.split(',').any(|t| t.trim() == etag))
    {
        return Response::new(304, content_type, Vec::new()).with("ETag", etag);
    }
    Response::new(200, content_type, body).with("ETag", etag)
}

/// Whether the client takes gzip (`Accept-Encoding: gzip, br`, not `gzip;q=0`).
fn accepts_gzip(req: &Request) -> bool {
    req.header("Accept-Encoding").is_some_and(|v| {
        v.split(',').any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            parts.next() == Some("gzip") && !parts.any(|p| p == "q=0" || p == "q=0.0")
        })
    })
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
        "breaking" => {
            // A story published now (or `minutes_ago`, or `at` an RFC 3339 time), listed first
            // everywhere.
            let title = req
                .query("title")
                .unwrap_or_else(|| "Berita terkini".into());
            let minutes_ago: i64 = req
                .query("minutes_ago")
                .and_then(|m| m.parse().ok())
                .unwrap_or(0);
            let url = match req
                .query("at")
                .and_then(|a| chrono::DateTime::parse_from_rfc3339(&a).ok())
            {
                Some(at) => state.publish_at(title, at),
                None => state.publish(title, minutes_ago),
            };
            ok(serde_json::json!({ "url": url }).to_string())
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
