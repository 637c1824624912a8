//! The fixture kontan site and `pantau-cli` over it, as the online tests use them.

use kontan_fixture::{FixtureSite, SiteConfig};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Output;

/// A recorded article (one page, its own canonical address).
pub const KOREA: &str = "https://internasional.kontan.co.id/news/untuk-kali-pertama-korea-utara-akui-kirim-pasukan-ke-rusia";

/// The homepage's path on the fixture site.
pub const HOME: &str = "/www.kontan.co.id/";

/// A fixture site and a cache of its own.
pub struct Env {
    pub site: FixtureSite,
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

/// A fresh site and an empty cache.
pub fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cache.sqlite");
    Env {
        site: FixtureSite::spawn(SiteConfig::from_repo(), 0).unwrap(),
        dir,
        db,
    }
}

impl Env {
    pub fn cli(&self, args: &[&str]) -> Output {
        self.cli_with(args, &[])
    }

    pub fn cli_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        self.let_the_round_gap_pass();
        self.cli_now(args, vars)
    }

    /// Runs the CLI at once, without letting the 10 s between user rounds pass first.
    pub fn cli_now(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut cmd = super::cli();
        cmd.args(args)
            .arg("--origin")
            .arg(self.site.origin())
            .env("PANTAU_DB", &self.db);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    pub fn indicators(&self) -> (Vec<Value>, String) {
        let out = self.cli(&["indicators", "--json"]);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(out.status.success(), "indicators failed: {err}");
        (serde_json::from_slice(&out.stdout).unwrap(), err)
    }

    pub fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db).unwrap()
    }

    /// Moves every source's last try 11 s into the past, as if the user had waited out the
    /// 10 s between two rounds they ask for (server and error back-offs are left as they are).
    pub fn let_the_round_gap_pass(&self) {
        // A cache a test has damaged on purpose is left as it is.
        if !self.db.exists() {
            return;
        }
        if let Ok(conn) = rusqlite::Connection::open(&self.db) {
            let _ = conn.execute(
                "UPDATE source_status SET last_attempt = last_attempt - 11000",
                [],
            );
        }
    }
}

impl Env {
    /// Requests for the homepage itself (not its robots.txt).
    pub fn home_requests(&self) -> Vec<kontan_fixture::LoggedRequest> {
        self.site
            .requests()
            .into_iter()
            .filter(|r| r.target == HOME)
            .collect()
    }

    /// Waits (up to a minute: a loaded machine, or Wine, starts a process slowly, and the site
    /// logs a request just after answering it) until at least `count` answered requests match,
    /// and returns them all.
    pub fn wait_for_requests(
        &self,
        matches: impl Fn(&kontan_fixture::LoggedRequest) -> bool,
        count: usize,
    ) -> Vec<kontan_fixture::LoggedRequest> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let found: Vec<_> = self.site.requests().into_iter().filter(&matches).collect();
            if found.len() >= count || std::time::Instant::now() >= deadline {
                return found;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Waits until at least `count` homepage requests have been answered; returns them all.
    pub fn wait_for_home_requests(&self, count: usize) -> Vec<kontan_fixture::LoggedRequest> {
        self.wait_for_requests(|r| r.target == HOME, count)
    }
}

/// The reading of `symbol` in the CLI's JSON.
pub fn reading<'a>(rows: &'a [Value], symbol: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["symbol"] == symbol)
        .unwrap_or_else(|| panic!("{symbol} missing"))
}

/// A single number from SQL.
pub fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}
